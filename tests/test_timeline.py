"""The Timeline: its read model and task services on a real database, then the screen by keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from conftest import TODAY, make_app, settle
from rich.cells import cell_len
from rich.text import Text
from sqlmodel import select
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from itpm_tui.domain.predecessors import PredecessorRef, parse_predecessors
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import parse_working_hours
from itpm_tui.errors import ConflictError
from itpm_tui.queries.tasks import load_task_edit
from itpm_tui.queries.timeline import load_roadmap, load_timeline, project_choices
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.project_picker import ProjectPicker
from itpm_tui.screens.task_form import TaskForm
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.services.tasks import set_baseline, update_task
from itpm_tui.storage.models import (
    Activity,
    Dependency,
    DowntimeWindow,
    Holiday,
    Person,
    Project,
    Task,
)
from itpm_tui.widgets.gantt import (
    HEADER_LINES,
    GanttChart,
    GanttRow,
    Span,
    day_parts,
    fit,
    layout_for,
)

D = date


def sample_project(ctx: Context, code: str = "FW-26") -> dict[str, int]:
    """A firewall upgrade around TODAY (Wed 2026-03-18): ids by WBS code, plus "project"."""
    with ctx.transaction() as tx:
        s = tx.session
        ana = Person(name="Ana Souza", handle=f"ana-{code}")
        lee = Person(name="李小龙 Lee", handle=f"lee-{code}")
        s.add_all([ana, lee])
        s.flush()
        project = Project(code=code, name="Firewall [upgrade] 🔥", start_date=D(2026, 3, 2))
        s.add(project)
        s.flush()
        ids: dict[str, int] = {"project": int(project.id), "ana": int(ana.id), "lee": int(lee.id)}  # type: ignore[arg-type]

        def task(wbs: str, name: str, parent: str | None = None, **fields: object) -> None:
            row = Task(
                project_id=project.id,  # type: ignore[arg-type]
                parent_id=ids[parent] if parent else None,
                name=name,
                wbs=wbs,
                sort_order=len(ids),
                **fields,  # type: ignore[arg-type]
            )
            s.add(row)
            s.flush()
            ids[wbs] = int(row.id)  # type: ignore[arg-type]

        task("1", "Design")
        task("1.1", "Survey [rules] 防火墙", "1", planned_start=D(2026, 3, 2),
             planned_finish=D(2026, 3, 6), percent_complete=100, status="done",
             assignee_id=ana.id)  # fmt: skip
        task("1.2", "Write change plan", "1", planned_start=D(2026, 3, 9),
             planned_finish=D(2026, 3, 13), percent_complete=100, status="done",
             assignee_id=lee.id, baseline_start=D(2026, 3, 9),
             baseline_finish=D(2026, 3, 11))  # fmt: skip
        task("1.3", "Plan approved", "1", is_milestone=True, planned_start=D(2026, 3, 13),
             planned_finish=D(2026, 3, 13), percent_complete=100, status="done")  # fmt: skip
        task("2", "Build")
        task("2.1", "Order hardware", "2", planned_start=D(2026, 3, 16),
             planned_finish=D(2026, 3, 20), percent_complete=60, status="in progress",
             assignee_id=ana.id)  # fmt: skip
        task("2.2", "Rack and cable", "2", planned_start=D(2026, 3, 23),
             planned_finish=D(2026, 3, 27), assignee_id=lee.id)  # fmt: skip
        task("2.3", "Migrate rules", "2", planned_start=D(2026, 3, 16),
             planned_finish=D(2026, 3, 24), percent_complete=30, status="in progress",
             assignee_id=lee.id)  # fmt: skip
        task("3", "Cut-over", planned_start=D(2026, 3, 30), planned_finish=D(2026, 3, 31),
             needs_downtime=True, assignee_id=ana.id)  # fmt: skip
        task("4", "Go live", is_milestone=True, planned_start=D(2026, 3, 31),
             planned_finish=D(2026, 3, 31))  # fmt: skip
        for pred, succ in [
            ("1.1", "1.2"),
            ("1.2", "1.3"),
            ("1.3", "2.1"),
            ("2.1", "2.2"),
            ("1.3", "2.3"),
            ("2.2", "3"),
            ("2.3", "3"),
            ("3", "4"),
        ]:
            s.add(Dependency(predecessor_id=ids[pred], successor_id=ids[succ]))
        s.add(
            DowntimeWindow(
                project_id=project.id,  # type: ignore[arg-type]
                title="Cut-over window",
                starts_at=datetime(2026, 3, 30, 22),
                ends_at=datetime(2026, 3, 31, 4),
            )
        )
    return ids


def big_project(ctx: Context, tasks: int = 2000) -> int:
    """A roll-out of `tasks` tasks in waves of 20 (a summary and 19 laptops), some chained."""
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(code="BIG-1", name="Laptop roll-out", start_date=D(2026, 1, 5))
        s.add(project)
        s.flush()
        previous = None
        for wave in range(tasks // 20):
            group = Task(project_id=project.id, name=f"Wave {wave + 1}", sort_order=wave * 20)  # type: ignore[arg-type]
            s.add(group)
            s.flush()
            for j in range(19):
                start = D(2026, 1, 5) + timedelta(days=(wave * 3 + j) % 200)
                row = Task(
                    project_id=project.id,  # type: ignore[arg-type]
                    parent_id=group.id,
                    name=f"Laptop {wave}-{j} 笔记本电脑",
                    planned_start=start,
                    planned_finish=start + timedelta(days=2),
                    sort_order=wave * 20 + j + 1,
                    percent_complete=(j * 7) % 101,
                )
                s.add(row)
                s.flush()
                if previous is not None and j % 5 == 0:
                    s.add(Dependency(predecessor_id=previous.id, successor_id=row.id))  # type: ignore[arg-type]
                previous = row
        return int(project.id)  # type: ignore[arg-type]


def draft_of(ctx: Context, task_id: int) -> tuple[TaskDraft, int]:
    edit = load_task_edit(ctx.db, task_id)
    assert edit is not None
    return edit.draft, edit.version


# -- read model ----------------------------------------------------------------------------


def test_outline_schedule_and_critical_path(ctx: Context) -> None:
    ids = sample_project(ctx)
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    by_wbs = {t.wbs: t for t in timeline.tasks}
    assert [t.wbs for t in timeline.tasks] == [
        "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "3", "4"
    ]  # fmt: skip
    assert [by_wbs[w].level for w in ("1", "1.1", "2", "2.3", "3")] == [0, 1, 0, 1, 0]
    assert by_wbs["1"].is_summary and not by_wbs["1.1"].is_summary
    assert by_wbs["1.1"].assignee == "Ana Souza"
    # Leaves: duration in working days from the plan; milestones 0.
    assert by_wbs["2.3"].duration == 7 and by_wbs["1.3"].duration == 0
    # Summaries span their children and weigh progress by duration.
    build = by_wbs["2"]
    assert (build.start, build.finish) == (D(2026, 3, 16), D(2026, 3, 27))
    assert build.percent == (5 * 60 + 5 * 0 + 7 * 30) // 17
    # The chain through 2.1 and 2.2 is critical; 2.3 has 3 days of float.
    assert by_wbs["2.2"].critical and by_wbs["4"].critical
    assert not by_wbs["2.3"].critical and by_wbs["2.3"].total_float == 3
    assert timeline.critical_path[-1] == ids["4"]
    assert [p.wbs for p in by_wbs["3"].predecessors] == ["2.2", "2.3"]
    assert [s.wbs for s in by_wbs["2.1"].successors] == ["2.2"]
    # Baseline differences read as slip; the downtime window comes along.
    assert by_wbs["1.2"].slip_days == 2
    assert timeline.downtime[0].first_day == D(2026, 3, 30)
    assert timeline.wbs_index()["2.2"] == ids["2.2"]


def test_links_push_tasks_later_and_holidays_count(ctx: Context) -> None:
    ids = sample_project(ctx)
    with ctx.transaction() as tx:
        tx.session.add(Holiday(day=D(2026, 3, 20), name="Local holiday"))
        task = tx.get(Task, ids["2.2"])
        task.planned_start = D(2026, 3, 18)  # wants to start before its predecessor is done
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    by_wbs = {t.wbs: t for t in timeline.tasks}
    # 2.1 planned Mon 16 – Fri 20, but Friday is a holiday: 4 working days, done Thursday.
    assert by_wbs["2.1"].duration == 4 and by_wbs["2.1"].finish == D(2026, 3, 19)
    assert by_wbs["2.2"].start == D(2026, 3, 23)  # pushed past the holiday weekend


def test_a_stored_cycle_is_reported_not_raised(ctx: Context) -> None:
    ids = sample_project(ctx)
    with ctx.transaction() as tx:
        tx.session.add(Dependency(predecessor_id=ids["4"], successor_id=ids["1.1"]))
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    assert "cycle" in timeline.schedule_error
    assert all(t.start is not None for t in timeline.tasks)


def test_roadmap_and_choices(ctx: Context) -> None:
    sample_project(ctx)
    sample_project(ctx, code="NET-2")
    choices = project_choices(ctx.db)
    assert [c.code for c in choices] == ["FW-26", "NET-2"]
    rows = load_roadmap(ctx.db, TODAY)
    assert {r.code for r in rows} == {"FW-26", "NET-2"}
    first = rows[0]
    assert (first.start, first.finish) == (D(2026, 3, 2), D(2026, 3, 31))
    assert first.milestones == (D(2026, 3, 13), D(2026, 3, 31))


# -- services ------------------------------------------------------------------------------


def test_parse_predecessors() -> None:
    index = {"1": 10, "1.2": 12, "2.1": 21}
    ids = {10, 12, 21, 45}
    refs = parse_predecessors(" 1.2FS+2, 2.1ss , #45FF-1, 1 ", index, ids)
    assert refs == [
        PredecessorRef(12, "FS", 2),
        PredecessorRef(21, "SS", 0),
        PredecessorRef(45, "FF", -1),
        PredecessorRef(10, "FS", 0),
    ]
    assert parse_predecessors("45", index, ids) == [PredecessorRef(45)]  # no WBS 45: an id
    assert parse_predecessors("", index, ids) == []
    for bad, words in [
        ("1.2XX", "not a predecessor"),
        ("9.9", "no task with WBS code 9.9"),
        ("#99", "no task #99"),
        ("1.2, 1.2SS", "same task"),
        ("1.2+400", "lag"),
    ]:
        with pytest.raises(ValidationError) as err:
            parse_predecessors(bad, index, ids)
        assert err.value.field in ("predecessors", "lag") and words in str(err.value)


def test_update_task_saves_fields_and_links_with_activity(ctx: Context) -> None:
    ids = sample_project(ctx)
    draft, version = draft_of(ctx, ids["2.3"])
    draft.percent_complete = 50
    draft.assignee_id = ids["ana"]
    changed = update_task(
        ctx, ids["2.3"], draft, [PredecessorRef(ids["2.1"], "SS", 2)], expected_version=version
    )
    assert set(changed) == {"percent_complete", "assignee_id", "predecessors"}
    with ctx.db.read() as session:
        links = session.exec(select(Dependency).where(Dependency.successor_id == ids["2.3"])).all()
        assert [(d.predecessor_id, d.kind, d.lag_days) for d in links] == [(ids["2.1"], "SS", 2)]
        log = session.exec(select(Activity).where(Activity.project_id == ids["project"])).all()
        assert {a.field for a in log if a.entity == "task"} == {"percent_complete", "assignee_id"}
        assert {a.action for a in log if a.entity == "dependency"} == {"create", "delete"}
        assert session.get(Task, ids["2.3"]).version == version + 1  # type: ignore[union-attr]
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    moved = next(t for t in timeline.tasks if t.wbs == "2.3")
    assert moved.start == D(2026, 3, 18)  # SS+2 from 2.1's start on the 16th


def test_update_task_refuses_a_cycle_naming_the_tasks(ctx: Context) -> None:
    ids = sample_project(ctx)
    draft, version = draft_of(ctx, ids["1.1"])
    with pytest.raises(ValidationError) as err:
        update_task(ctx, ids["1.1"], draft, [PredecessorRef(ids["2.2"])], version)
    message = str(err.value)
    assert err.value.field == "predecessors"
    assert "cycle" in message and "1.1 Survey [rules] 防火墙" in message
    assert "2.2 Rack and cable" in message
    with ctx.db.read() as session:
        assert session.get(Task, ids["1.1"]).version == version  # type: ignore[union-attr]


def test_update_task_refuses_stale_versions_and_summary_cycles(ctx: Context) -> None:
    ids = sample_project(ctx)
    draft, version = draft_of(ctx, ids["2.2"])
    update_task(Context(ctx.db, "bob"), ids["2.2"], replace(draft, name="Bob's"), [], version)
    with pytest.raises(ConflictError):
        update_task(ctx, ids["2.2"], replace(draft, name="Mine"), [], version)
    draft, version = draft_of(ctx, ids["2.2"])
    with pytest.raises(ValidationError, match="a task cannot wait for its own summary"):
        update_task(ctx, ids["2.2"], draft, [PredecessorRef(ids["2"])], version)
    survey, survey_version = draft_of(ctx, ids["1.1"])
    with pytest.raises(
        ValidationError, match=r"cycle: 1\.1 Survey.* → 2\.1 Order .* → 2 Build → 1\.1"
    ):
        update_task(ctx, ids["1.1"], survey, [PredecessorRef(ids["2"], "SS")], survey_version)
    build, build_version = draft_of(ctx, ids["2"])
    with pytest.raises(ValidationError, match=r"2 Build is a summary task: .* FS or SS only"):
        update_task(ctx, ids["2"], build, [PredecessorRef(ids["1.1"], "FF")], build_version)
    with pytest.raises(ValidationError, match="done task is 100%"):
        update_task(ctx, ids["2.2"], replace(draft, status="done"), [], version)
    with ctx.db.read() as session:
        assert session.get(Task, ids["2.2"]).name == "Bob's"  # type: ignore[union-attr]


def test_set_baseline_copies_the_plan_and_logs(ctx: Context) -> None:
    ids = sample_project(ctx)
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    scheduled = {t.id: (t.start, t.finish) for t in timeline.tasks}
    count = set_baseline(ctx, ids["project"])
    assert count == 10
    with ctx.db.read() as session:
        tasks = session.exec(select(Task).where(Task.project_id == ids["project"])).all()
        # The baseline is the schedule the Timeline draws (summaries span their tasks).
        assert all((t.baseline_start, t.baseline_finish) == scheduled[t.id] for t in tasks)
        project = session.get(Project, ids["project"])
        assert project is not None
        assert (project.baseline_start, project.baseline_end) == (D(2026, 3, 2), D(2026, 3, 31))
        assert project.baseline_set_on == TODAY
        actions = [a.action for a in session.exec(select(Activity)).all()]
        assert "set baseline" in actions


# -- the widget on its own -----------------------------------------------------------------


def test_fit_counts_wide_characters() -> None:
    for text in ["Survey 防火墙 rules", "🔥🔥🔥🔥", "plain", "[b]x[/b]"]:
        for width in range(1, 20):
            assert cell_len(fit(text, width)) == width
    assert layout_for(80).left < layout_for(160).left
    assert layout_for(160).code and not layout_for(80).code


# -- the screen ----------------------------------------------------------------------------


def chart(app: object) -> GanttChart:
    return app.screen.query_one(GanttChart)  # type: ignore[attr-defined]


def screen_text(app: object) -> str:
    """What the chart shows right now, line by line (the Line API, as the terminal gets it)."""
    gantt = chart(app)
    return "\n".join(gantt.render_line(y).text for y in range(gantt.size.height))


async def open_timeline(pilot: Pilot[None]) -> None:
    """What key 2 does (run as its action: a key may land in whatever has focus)."""
    await settle(pilot)
    await pilot.app.run_action("switch_mode('timeline')")
    await settle(pilot)


async def test_open_zoom_scroll_today_and_select(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        assert isinstance(app.screen, TimelineScreen)
        gantt = chart(app)
        text = screen_text(app)
        assert "FW-26 Firewall [upgrade] 🔥" in text
        assert "◆" in text and "!" in text and "█" in text and "▒" in text
        assert "│" in text and "▼" in text and "▓" in text
        # Every row's separator sits in the same column whatever the name's characters.
        lines = text.splitlines()[: len(gantt.rows) + HEADER_LINES]
        columns = {cell_len(line[: line.index("│")]) for line in lines}
        assert len(columns) == 1
        assert gantt.zoom == "week"  # the finest zoom that shows the whole month of work
        await pilot.press("plus")
        assert gantt.zoom == "day"
        await pilot.press("plus")
        assert gantt.zoom == "day"
        await pilot.press("minus", "minus")
        assert gantt.zoom == "month"
        await pilot.press("minus", "minus")
        assert gantt.zoom == "quarter"
        await pilot.press("plus", "plus", "plus")
        assert gantt.zoom == "day"
        x = gantt.scroll_x
        await pilot.press("right", "l")
        await pilot.pause()
        assert gantt.scroll_x > x
        await pilot.press("h")
        await pilot.pause()
        assert gantt.scroll_x < x + 2 * (gantt.chart_width // 4)
        for _ in range(10):
            await pilot.press("right")
        await pilot.press("t")
        await pilot.pause()
        today_x = gantt.x_of(TODAY)
        assert gantt.scroll_x <= today_x < gantt.scroll_x + gantt.chart_width
        # A refresh (someone saved something) keeps the zoom and the dates in view.
        left = gantt.date_at(round(gantt.scroll_x))
        app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert gantt.zoom == "day" and gantt.date_at(round(gantt.scroll_x)) == left
        await pilot.press("down", "down")
        assert gantt.selected_key == ids["1.2"]
        info = str(app.screen.query_one("#info").render())
        assert "1.2" in info and "Write change plan" in info and "2d late" in info
        await pilot.press("end")
        assert gantt.selected_key == ids["4"]
        assert "waits for: 3 Cut-over" in str(app.screen.query_one("#info").render())


async def test_edit_with_a_validation_error_then_save(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_timeline(pilot)
        chart(app).select_key(ids["2.3"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        assert form.query_one("#predecessors", Input).value == "1.3"
        form.query_one("#percent", Input).value = "150"
        form.query_one("#finish", Input).value = "2026-03-01"
        form.query_one("#predecessors", Input).value = "1.3, 7.7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)
        shown = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert set(shown) == {"err-percent", "err-finish", "err-predecessors"}
        assert "between 0 and 100" in shown["err-percent"]
        assert "no task with WBS code 7.7" in shown["err-predecessors"]
        form.query_one("#percent", Input).value = "80"
        form.query_one("#finish", Input).value = "2026-03-20"
        form.query_one("#predecessors", Input).value = "2.1FS+1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        await settle(pilot)
        task = next(t for t in app.screen.data.project.tasks if t.id == ids["2.3"])  # type: ignore[union-attr]
        # Finish moved, so the duration follows: 16th–20th is 5 days, after 2.1 (20th) + 1.
        assert (task.percent, task.duration) == (80, 5)
        assert task.start == D(2026, 3, 24)
        assert [p.code for p in task.predecessors] == ["2.1FS+1"]


async def test_moving_the_start_keeps_the_duration(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_timeline(pilot)
        chart(app).select_key(ids["3"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        assert form.query_one("#duration", Input).value == "2"
        form.query_one("#start", Input).value = "2026-04-03"  # a Friday
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    with ctx.db.read() as session:
        task = session.get(Task, ids["3"])
        assert task is not None
        assert (task.planned_start, task.planned_finish) == (D(2026, 4, 3), D(2026, 4, 6))


async def test_edit_refuses_a_cycle(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_timeline(pilot)
        chart(app).select_key(ids["1.1"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        form.query_one("#predecessors", Input).value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)
        error = str(form.query_one("#err-predecessors").render())
        assert "cycle" in error and "3 Cut-over" in error and "1.1 Survey" in error
        await pilot.press("escape", "y")  # something was typed: esc asks before discarding
        assert isinstance(app.screen, TimelineScreen)
    with ctx.db.read() as session:
        assert not session.exec(
            select(Dependency).where(Dependency.successor_id == ids["1.1"])
        ).all()


async def test_milestone_checkbox_and_summary_form(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_timeline(pilot)
        chart(app).select_key(ids["1"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        assert form.query_one("#start", Input).disabled
        assert form.query_one("#milestone", Checkbox).disabled
        form.query_one("#name", Input).value = "Design phase"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    with ctx.db.read() as session:
        assert session.get(Task, ids["1"]).name == "Design phase"  # type: ignore[union-attr]


async def test_pick_project_roadmap_and_back(ctx: Context) -> None:
    sample_project(ctx)
    other = sample_project(ctx, code="NET-2")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await pilot.press("p")
        assert isinstance(app.screen, ProjectPicker)
        await pilot.press("n", "e", "t", "enter")
        await settle(pilot)
        assert screen.project_id == other["project"]
        assert "NET-2" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        gantt = chart(app)
        assert [r.kind for r in gantt.rows] == ["project", "project"]
        assert "Roadmap" in screen_text(app)
        gantt.select_key(other["project"])
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.roadmap and screen.project_id == other["project"]
        assert gantt.rows[0].kind == "summary"


async def test_follows_the_project_selected_on_projects(ctx: Context) -> None:
    sample_project(ctx)
    other = sample_project(ctx, code="NET-2")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_project(other["project"])
        await settle(pilot)
        await open_timeline(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert screen.project_id == other["project"]
        # The palette, on this screen, offers every project's timeline.
        from itpm_tui.screens.timeline import TimelineCommands

        hits = [hit async for hit in TimelineCommands(screen).search("timeline fw")]
        assert any("FW-26" in str(hit.text) for hit in hits)
        hits[0].command()  # type: ignore[misc]
        await settle(pilot)
        assert screen.project_id != other["project"]


async def test_set_baseline_asks_first(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        await pilot.press("b")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        with ctx.db.read() as session:
            assert session.get(Project, ids["project"]).baseline_set_on is None  # type: ignore[union-attr]
        await pilot.press("b", "y")
        await settle(pilot)
        await settle(pilot)
        with ctx.db.read() as session:
            assert session.get(Project, ids["project"]).baseline_set_on == TODAY  # type: ignore[union-attr]
        assert app.screen.data.project.baseline_set_on == TODAY  # type: ignore[attr-defined]


async def test_two_thousand_tasks_render_and_scroll(ctx: Context) -> None:
    pid = big_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        app.screen.show_project(pid)  # type: ignore[attr-defined]
        await settle(pilot)
        gantt = chart(app)
        assert len(gantt.rows) == 2000
        await pilot.press("pagedown", "pagedown", "end")
        await pilot.pause()
        assert gantt.cursor == 1999
        assert gantt.scroll_y == gantt.max_scroll_y
        text = screen_text(app)
        assert "Laptop 99-18" in text
        await pilot.press("home", "minus", "right", "t")
        await pilot.pause()
        assert gantt.cursor == 0 and gantt.scroll_y == 0
        # Only what is on screen was rendered: the cache holds at most a screenful or two.
        assert len(gantt._cache) < 4 * gantt.size.height


class ChartApp(App[None]):
    """The chart alone, fed rows directly."""

    def __init__(self, rows: list[GanttRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield GanttChart(today=TODAY)

    def on_mount(self) -> None:
        chart = self.query_one(GanttChart)
        chart.set_rows(
            self.rows,
            today=TODAY,
            title=Text("[red]not markup[/]"),
            downtime=[Span(D(2026, 3, 28), D(2026, 3, 29), "Weekend cut-over")],
            fit_view=True,
        )
        chart.focus()


async def test_chart_tells_state_by_symbol_and_follows_clicks() -> None:
    rows = [
        GanttRow(1, "Plain", start=D(2026, 3, 16), finish=D(2026, 3, 20), percent=40),
        GanttRow(
            2,
            "Critical",
            start=D(2026, 3, 16),
            finish=D(2026, 3, 20),
            critical=True,
            flag="!",
            percent=100,
        ),
        GanttRow(3, "Go live", kind="milestone", start=D(2026, 3, 25), finish=D(2026, 3, 25)),
        GanttRow(
            4,
            "Slipped",
            start=D(2026, 3, 23),
            finish=D(2026, 3, 27),
            baseline_start=D(2026, 3, 16),
            baseline_finish=D(2026, 3, 24),
        ),
        *(
            GanttRow(10 + i, f"Filler {i}", start=D(2026, 4, 1), finish=D(2026, 4, 2))
            for i in range(40)
        ),
    ]
    app = ChartApp(rows)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        gantt = app.query_one(GanttChart)
        lines = [gantt.render_line(y).text for y in range(gantt.size.height)]
        assert lines[0].startswith("[red]not markup[/]")
        assert "▓" in lines[1] and "▼" in lines[1]
        plain, critical, milestone, slipped = lines[2:6]
        assert "█" in plain and "▒" in plain and not plain.startswith("!")
        assert critical.startswith("!") and "▒" not in critical.split("│", 1)[1]
        assert "◆ Go live" in milestone and milestone.count("◆") == 2
        chart_part = slipped.split("│", 1)[1]
        assert "─" in chart_part and "┃" in chart_part  # baseline before, its end inside
        assert chart_part.index("─") < chart_part.index("▒")
        await pilot.click(GanttChart, offset=(5, 2 + 3))
        assert gantt.selected_key == 4
        await pilot.press("end")
        assert gantt.selected_key == 49 and gantt.scroll_y == gantt.max_scroll_y
        x = gantt.scroll_x
        await pilot.press("right")
        assert gantt.scroll_x > x
        await pilot.press("left", "left")
        assert gantt.scroll_x < x + 1


async def test_a_new_chart_is_first_drawn_at_its_fitted_zoom(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fit is done as layout gives the chart its size, not after a first drawing at
    the default zoom (which drew the whole chart twice on a first visit)."""
    drawn: list[str] = []
    real = GanttChart.render_row

    def render_row(self: GanttChart, index: int, width: int) -> object:
        drawn.append(self.zoom)
        return real(self, index, width)

    monkeypatch.setattr(GanttChart, "render_row", render_row)
    year = [
        GanttRow(1, "Start", start=D(2026, 1, 5), finish=D(2026, 1, 30)),
        GanttRow(2, "End", start=D(2026, 11, 2), finish=D(2026, 12, 18)),
    ]
    async with ChartApp(year).run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        chart = pilot.app.query_one(GanttChart)
        assert chart.zoom != "week"  # a year does not fit by weeks: the test means something
        assert drawn and set(drawn) == {chart.zoom}


async def test_a_broken_finish_no_later_than_or_deadline_is_flagged(ctx: Context) -> None:
    ids = sample_project(ctx)
    with ctx.transaction() as tx:
        task = tx.session.get(Task, ids["2.2"])
        assert task is not None
        task.deadline = D(2026, 3, 25)  # it finishes on the 27th
        other = tx.session.get(Task, ids["2.3"])
        assert other is not None
        other.constraint_kind, other.constraint_date = "FNLT", D(2026, 3, 24)  # in time
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        text = screen_text(app)
        assert "⚠ Rack and cable" in text
        assert "⚠ Migrate rules" not in text
        chart(app).select_key(ids["2.2"])
        await pilot.pause()
        info = str(app.screen.query_one("#info").render())
        assert "⚠ misses its deadline 2026-03-25" in info


async def test_part_day_work_fills_its_share_of_the_day_at_day_zoom(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two 4-hour tasks in a row are the two halves of one day (▌ then ▐), a 2-hour task
    three quarters of a cell, a 1.5-day task a day and a half, a milestone at its hour: with
    NO_COLOR and in 16 colours alike, the blocks say it."""
    hours = parse_working_hours("")
    monday = D(2026, 3, 16)
    tuesday = monday + timedelta(days=1)
    rows = [
        GanttRow(1, "Morning", start=monday, finish=monday, percent=100,
                 start_part=None, finish_part=0.5),
        GanttRow(2, "Afternoon", start=monday, finish=monday,
                 start_part=0.5, finish_part=None),
        GanttRow(3, "Two hours", start=tuesday, finish=tuesday,
                 **dict(zip(("start_part", "finish_part"), day_parts(hours, time(8), time(10)),
                            strict=True))),
        GanttRow(4, "Day and a half", start=monday, finish=tuesday,
                 **dict(zip(("start_part", "finish_part"), day_parts(hours, time(8), time(12)),
                            strict=True))),
        GanttRow(5, "Noon", kind="milestone", start=tuesday, finish=tuesday,
                 **dict(zip(("start_part", "finish_part"), day_parts(hours, time(12), time(12)),
                            strict=True))),
        GanttRow(6, "Whole days", start=monday, finish=tuesday),
    ]  # fmt: skip
    assert day_parts(hours, time(13), time(17)) == (0.5, None)
    assert day_parts(hours, time(8), time(10)) == (None, 0.25)
    for env in ({"NO_COLOR": "1"}, {"TEXTUAL_COLOR_SYSTEM": "standard"}):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        app = ChartApp(rows)
        async with app.run_test(size=(100, 12)) as pilot:
            await pilot.pause()
            gantt = app.query_one(GanttChart)
            gantt.set_zoom("day")
            gantt.scroll_to(x=gantt.x_of(monday) - 1, animate=False)
            await pilot.pause()
            left = gantt._layout.left
            cells = {
                row.name: gantt.render_line(2 + i).text[left + 1 : left + 7]
                for i, row in enumerate(rows)
            }
        for name in env:
            monkeypatch.delenv(name)
        assert cells == {  # Monday's three cells, then Tuesday's
            "Morning": "█▌    ",
            "Afternoon": " ▐▒   ",
            "Two hours": "   ▊  ",
            "Day and a half": "▒▒▒▒▌ ",
            "Noon": "    ◆ ",
            "Whole days": "▒▒▒▒▒▒",
        }, env
