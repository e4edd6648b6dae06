"""The burn-down of a project kept only through the dashboard moves with every edit, on every
dashboard showing it: driven through the Timeline's task form, read from the chart widget."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

from conftest import TODAY, make_app, settle
from test_progress import small_project
from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.screens.task_form import TaskForm
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database
from itpm_tui.widgets.burndown_chart import BurndownChart
from itpm_tui.widgets.gantt import GanttChart

D = Decimal


async def show_burndown(pilot: Pilot[None], project_id: int) -> BurndownChart:
    """Timeline (key 2) on the project with its burn-down shown (`d`)."""
    await settle(pilot)
    await pilot.app.run_action("switch_mode('timeline')")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TimelineScreen)
    screen.show_project(project_id)
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    return screen.query_one(BurndownChart)


async def set_percent(pilot: Pilot[None], task_id: int, percent: int) -> None:
    """Select the task, `e`, type the percent, `ctrl+s`: what a project manager does."""
    pilot.app.screen.query_one(GanttChart).select_key(task_id)
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TaskForm)
    form.query_one("#percent", Input).value = str(percent)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TimelineScreen)
    await settle(pilot)


def actual(chart: BurndownChart) -> dict[date, Decimal]:
    assert chart.burndown is not None
    return dict(chart.burndown.actual)


async def until(pilot: Pilot[None], check: object, seconds: float = 10.0) -> None:
    """Let a dashboard poll (every 0.5 s in tests) until `check()` holds."""
    for _ in range(int(seconds / 0.1)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
        await settle(pilot)
    assert check()  # type: ignore[operator]


async def test_the_burn_down_moves_after_each_edit_on_every_dashboard(db: Database) -> None:
    days = [TODAY]
    ctx = Context(db, "tester", clock=lambda: days[0])
    ids = small_project(ctx)
    pid = ids["project"]
    editing: ItpmApp = make_app(ctx)
    watching: ItpmApp = make_app(Context(db, "colleague", clock=lambda: days[0]))
    async with (
        editing.run_test(size=(120, 40)) as pilot,
        watching.run_test(size=(120, 40)) as other,
    ):
        mine = await show_burndown(pilot, pid)
        theirs = await show_burndown(other, pid)
        assert actual(mine) == actual(theirs) == {}  # no history yet: nothing burnt down

        await set_percent(pilot, ids["1.2"], 50)
        # 8 h done + 8 of 16 h of the 48 h of leaves: 32 h left, read from the chart itself.
        assert actual(mine) == {TODAY: D(32)}
        await until(other, lambda: actual(theirs) == {TODAY: D(32)})

        await set_percent(pilot, ids["2"], 25)  # the same day: the day's point moves
        assert actual(mine) == {TODAY: D(26)}
        await until(other, lambda: actual(theirs) == {TODAY: D(26)})

        days[0] = TODAY + timedelta(1)  # the next morning
        await set_percent(pilot, ids["1.2"], 100)
        tomorrow = {TODAY: D(26), TODAY + timedelta(1): D(18)}
        assert actual(mine) == tomorrow
        await until(other, lambda: actual(theirs) == tomorrow)
        assert mine.burndown is not None and mine.burndown.latest == (TODAY + timedelta(1), 18)
        assert mine.plot is not None and mine.plot.display  # drawn, not the empty message
