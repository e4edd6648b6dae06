"""The burn-down: its read model on the demo data, then the chart on the Timeline by keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import TODAY, make_app, settle
from rich.text import Text
from sqlmodel import select
from textual.pilot import Pilot

from itpm_tui.domain.burndown import BurnUnit
from itpm_tui.queries.burndown import project_burndown
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.models import ProgressSnapshot, Project, Task
from itpm_tui.widgets.burndown_chart import EMPTY_MESSAGE, BurndownChart, tick_positions


def _baselined_with_history(ctx: Context) -> Project:
    with ctx.db.read() as session:
        projects = session.exec(select(Project).where(Project.baseline_start != None)).all()  # noqa: E711
        with_history = {pid for pid in session.exec(select(ProgressSnapshot.project_id)).all()}
    return next(p for p in projects if p.id in with_history)


def test_service_on_demo_data(demo_ctx: Context) -> None:
    project = _baselined_with_history(demo_ctx)
    assert project.id is not None and project.baseline_end is not None
    result = project_burndown(demo_ctx.db, project.id, TODAY)
    assert result.unit is BurnUnit.HOURS
    assert result.actual
    assert result.today == TODAY and TODAY in result.days
    with demo_ctx.db.read() as session:
        tasks = session.exec(select(Task).where(Task.project_id == project.id)).all()
    parents = {t.parent_id for t in tasks}
    total = sum((t.estimate_hours for t in tasks if t.id not in parents), Decimal(0))
    assert result.ideal[project.baseline_start] == total  # type: ignore[index]
    assert result.ideal[project.baseline_end] == 0
    assert max(result.ideal.values()) == total
    days = sorted(result.actual)
    assert days == [d for d in result.days if d in result.actual]


def test_service_without_history_or_baseline(ctx: Context) -> None:
    with ctx.transaction() as tx:
        project = Project(code="EMPTY", name="Nothing yet")
        tx.session.add(project)
        tx.session.flush()
        pid = int(project.id)  # type: ignore[arg-type]
    result = project_burndown(ctx.db, pid, TODAY)
    assert result.is_empty


def test_service_counts_tasks_without_estimates(ctx: Context) -> None:
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(
            code="T",
            name="Tasks only",
            baseline_start=date(2026, 3, 16),
            baseline_end=date(2026, 3, 20),
        )
        s.add(project)
        s.flush()
        parent = Task(project_id=project.id, name="phase")  # type: ignore[arg-type]
        s.add(parent)
        s.flush()
        s.add_all(
            [
                Task(project_id=project.id, parent_id=parent.id, name=f"t{i}")  # type: ignore[arg-type]
                for i in range(4)
            ]
        )
        s.add(ProgressSnapshot(project_id=project.id, day=date(2026, 3, 17), remaining_tasks=3))  # type: ignore[arg-type]
        pid = int(project.id)  # type: ignore[arg-type]
    result = project_burndown(ctx.db, pid, TODAY)
    assert result.unit is BurnUnit.TASKS
    assert result.ideal[date(2026, 3, 16)] == 4  # the leaf tasks, not the summary
    assert result.ideal[date(2026, 3, 20)] == 0
    # Nobody saved on the 18th (TODAY): the 17th's figure carries forward to it.
    assert result.actual == {date(2026, 3, 17): Decimal(3), TODAY: Decimal(3)}


def test_tick_positions_cover_both_ends() -> None:
    assert tick_positions(0, 80) == []
    assert tick_positions(3, 80) == [0, 1, 2]
    ticks = tick_positions(100, 80)
    assert ticks[0] == 0 and ticks[-1] == 99 and len(ticks) <= 8


async def test_timeline_toggles_the_chart(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        chart = screen.query_one(BurndownChart)
        assert not chart.display
        project = _baselined_with_history(demo_ctx)
        screen.show_project(int(project.id))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.pause()
        assert chart.display and chart.region.height >= 12
        assert chart.burndown is not None and chart.burndown.ideal
        assert chart.plot is not None and chart.plot.display
        text = Text.from_ansi(chart.plot.plt.build()).plain
        assert "remaining" in text and "ideal" in text
        assert "today" in text
        await pilot.press("d")
        await pilot.pause()
        assert not chart.display


async def test_chart_says_when_there_is_no_history(demo_ctx: Context) -> None:
    from itpm_tui.domain.burndown import Burndown

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        chart = app.screen.query_one(BurndownChart)
        chart.show(Burndown(unit=BurnUnit.HOURS, days=()))
        await pilot.pause()
        assert chart.plot is None or not chart.plot.display
        message = chart.query_one("#burndown-message")
        assert message.display
        assert EMPTY_MESSAGE.split(":")[0] in str(message.render())


def test_chart_snapshot_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    project = _baselined_with_history(demo_ctx)

    async def open_chart(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TimelineScreen)
        screen.show_project(int(project.id))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.pause()

    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=open_chart)


async def test_d_loads_the_series_alone(demo_ctx: Context) -> None:
    """`d` draws the burn-down without fetching (and rescheduling) the timeline again."""
    app = make_app(demo_ctx)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        project = _baselined_with_history(demo_ctx)
        screen.show_project(int(project.id))  # type: ignore[arg-type]
        await settle(pilot)
        fetches: list[int] = []
        fetch = screen.fetch

        def counted() -> object:
            fetches.append(1)
            return fetch()

        screen.fetch = counted  # type: ignore[method-assign]
        await pilot.press("d")
        await settle(pilot)
        await pilot.pause()
        chart = screen.query_one(BurndownChart)
        assert chart.display and chart.burndown is not None and chart.burndown.ideal
        assert screen.data is not None and screen.data.burndown is chart.burndown
        assert fetches == []


async def test_a_chart_laid_out_again_is_not_built_again(demo_ctx: Context) -> None:
    """Textual renders a widget again whenever the screen around it is laid out again; the
    plotext figure is built again only for new data, a new size or a new theme."""
    from itpm_tui.widgets.cached_plot import CachedPlot

    project = _baselined_with_history(demo_ctx)
    assert project.id is not None
    burndown = project_burndown(demo_ctx.db, project.id, TODAY)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one(BurndownChart)
        chart.show(burndown)
        await settle(pilot)
        plot = chart.plot
        assert isinstance(plot, CachedPlot)
        built: list[int] = []
        real = plot.plt.build

        def build() -> str:
            built.append(1)
            return real()

        plot.plt.build = build  # type: ignore[method-assign]
        first = plot.render()
        assert plot.render() is first and built == []  # nothing changed: the same drawing
        chart.show(burndown)  # new data drawn in
        assert plot.render() is not first and built == [1]
