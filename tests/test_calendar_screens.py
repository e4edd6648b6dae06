"""The Timeline's downtime windows (w) and non-working days (H), driven by keys from an empty
project: a window tied to a task moves when the task moves, on the chart and in the .ics."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from conftest import make_app, settle
from textual.widgets import Checkbox, Input, OptionList, Select, Static

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.formats.icalendar import export_ics
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.downtime import DowntimeDialog, DowntimeForm
from itpm_tui.screens.holidays import HolidayForm, HolidaysDialog
from itpm_tui.screens.task_form import TaskForm
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.widgets.gantt import GanttChart, Span

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from itpm_tui.app import ItpmApp

D = date


async def _save(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await settle(pilot)


def _options(app: ItpmApp, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def _spans(app: ItpmApp) -> list[Span]:
    screen = app.screen
    assert isinstance(screen, TimelineScreen)
    return list(screen.query_one(GanttChart).downtime)


async def _open_timeline(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.app.run_action("switch_mode('timeline')")
    await settle(pilot)


async def _task_start(pilot: Pilot[None], name: str, start: str, *, new: bool) -> None:
    await pilot.press("n" if new else "e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TaskForm)
    if new:
        form.query_one("#name", Input).value = name
    form.query_one("#start", Input).value = start
    await _save(pilot)
    assert isinstance(pilot.app.screen, TimelineScreen)
    await settle(pilot)


async def test_a_window_added_to_a_task_moves_with_it(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="FW-9", name="Branch [firewall]"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_timeline(pilot)
        await _task_start(pilot, "Cut-over", "2026-03-20", new=True)

        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DowntimeDialog)
        assert "No downtime windows yet" in str(dialog.query_one("#list-note", Static).content)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DowntimeForm)
        assert form.query_one("#title", Input).has_focus
        # Every rule at once, beside its field; the form and what was typed stay.
        form.query_one("#start", Input).value = "2026-03-20 22:00"
        form.query_one("#end", Input).value = "2026-03-20 21:00"
        await _save(pilot)
        assert app.screen is form
        shown = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert set(shown) == {"err-title", "err-end"}
        assert "must be after the start (2026-03-20 22:00)" in shown["err-end"]
        form.query_one("#title", Input).value = "Swap [bold]firewalls"
        form.query_one("#end", Input).value = "2026-03-21 02:00"
        form.query_one("#systems", Input).value = "Internet, VPN"
        task_select = form.query_one("#task", Select)
        task_select.value = next(v for _label, v in task_select._options if v != Select.NULL)
        form.query_one("#approved", Checkbox).value = True
        await _save(pilot)
        assert app.screen is dialog
        rows = _options(app, "#list-rows")
        assert len(rows) == 1
        assert rows[0].startswith("2026-03-20 22:00–03-21 02:00 Swap [bold]firewal")
        assert "task 1 Cut-over" in rows[0]
        assert rows[0].rstrip().endswith("yes")
        await pilot.press("escape")
        await settle(pilot)
        assert _spans(app) == [Span(D(2026, 3, 20), D(2026, 3, 21), "Swap [bold]firewalls")]

        # Move the task a week on: the window follows, times kept, on the chart and in the .ics.
        await _task_start(pilot, "", "2026-03-27", new=False)
        assert _spans(app) == [Span(D(2026, 3, 27), D(2026, 3, 28), "Swap [bold]firewalls")]
        ics = export_ics(ctx.db, pid, now=datetime(2026, 3, 18, 9))
        assert "DTSTART:20260327T220000" in ics and "DTEND:20260328T020000" in ics

        # Edit shows it where it lies now; remove asks first, and "no" keeps it.
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DowntimeForm)
        assert form.query_one("#start", Input).value == "2026-03-27 22:00"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(_options(app, "#list-rows")) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert _options(app, "#list-rows") == []
        await pilot.press("escape")
        await settle(pilot)
        assert _spans(app) == []


async def test_non_working_days_from_the_timeline_reschedule_it(ctx: Context) -> None:
    create_project(ctx, ProjectDraft(code="HO-9", name="Office move"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_timeline(pilot)
        await _task_start(pilot, "Move desks", "2026-03-20", new=True)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)

        await pilot.press("H")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HolidaysDialog)
        assert "No non-working days yet" in str(dialog.query_one("#list-note", Static).content)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HolidayForm)
        form.query_one("#day", Input).value = "20 March"
        await _save(pilot)
        assert "is not a date" in str(form.query_one("#err-day", Static).render())
        form.query_one("#day", Input).value = "2026-03-20"
        form.query_one("#name", Input).value = "Site [closed]"
        form.query_one("#scope", Select).value = "all"
        await _save(pilot)
        assert app.screen is dialog
        # The same day again in the same calendar is refused; in this project's, it is added.
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HolidayForm)
        form.query_one("#day", Input).value = "2026-03-20"
        form.query_one("#scope", Select).value = "all"
        await _save(pilot)
        assert "already in every project's calendar" in str(
            form.query_one("#err-day", Static).render()
        )
        form.query_one("#scope", Select).value = "project"
        await _save(pilot)
        rows = _options(app, "#list-rows")
        assert len(rows) == 2
        assert rows[0].startswith("2026-03-20 Fri Site [closed]")
        assert rows[0].rstrip().endswith("all projects")
        assert rows[1].rstrip().endswith("this project")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.data is not None and screen.data.project is not None
        assert screen.data.project.tasks[0].start == D(2026, 3, 23)  # the Monday after

        # Both removed (asking each time): the task is back on Friday.
        await pilot.press("H")
        await settle(pilot)
        for _ in range(2):
            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            await settle(pilot)
        assert _options(app, "#list-rows") == []
        await pilot.press("escape")
        await settle(pilot)
        assert screen.data.project.tasks[0].start == D(2026, 3, 20)


async def test_the_keys_ask_for_a_project_on_the_roadmap(ctx: Context) -> None:
    create_project(ctx, ProjectDraft(code="HO-8", name="Roadmap"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_timeline(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("w")
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)  # no dialog over the roadmap
        told = [n.message for n in app._notifications]
        assert "Open a project's timeline to plan its downtime." in told
        assert "Open a project's timeline to see its days off." in told
