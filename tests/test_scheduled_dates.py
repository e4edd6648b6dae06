"""One truth for dates: the Timeline's schedule is what the Projects row, the task form, the
baseline, reports and exports read, on a project planned from empty; late work is flagged;
approving a change moves the work after it through its links."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from datetime import date as D
from typing import Any

from conftest import TODAY, make_app, settle
from sqlalchemy import event
from sqlmodel import col, select
from textual.widgets import Input

from itpm_tui.domain.change_control import ChangeDraft
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.formats.icalendar import export_ics
from itpm_tui.formats.mspdi.exporter import export_mspdi
from itpm_tui.queries.change_requests import approval_preview
from itpm_tui.queries.portfolio import PortfolioRow, portfolio
from itpm_tui.queries.schedule import project_schedule, project_schedules
from itpm_tui.queries.tasks import load_task_edit
from itpm_tui.queries.timeline import ProjectTimeline, load_timeline
from itpm_tui.reports.data import gather
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.task_form import TaskForm
from itpm_tui.screens.timeline import TimelineScreen, _task_info, _task_row
from itpm_tui.services.change_requests import add_change, approve_change
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import set_baseline, update_task
from itpm_tui.storage.models import Activity, Task

MSPDI = "{http://schemas.microsoft.com/project}"


def linked_plan(ctx: Context, code: str = "LINK-1") -> dict[str, int]:
    """Survey Mon 16–Fri 20 March; Install stored as 16–17 March but after Survey, so the
    schedule pushes it to Mon 23–Tue 24; Go live, a milestone stored on 17 March, after it."""
    pid = create_project(ctx, ProjectDraft(code=code, name="Linked plan"))
    survey = add_task(
        ctx,
        pid,
        TaskDraft(name="Survey", planned_start=D(2026, 3, 16), planned_finish=D(2026, 3, 20)),
    )
    install = add_task(
        ctx,
        pid,
        TaskDraft(name="Install", planned_start=D(2026, 3, 16), planned_finish=D(2026, 3, 17)),
        after=survey,
        predecessors=[PredecessorRef(survey)],
    )
    live = add_task(
        ctx,
        pid,
        TaskDraft(
            name="Go live",
            is_milestone=True,
            planned_start=D(2026, 3, 17),
            planned_finish=D(2026, 3, 17),
        ),
        after=install,
        predecessors=[PredecessorRef(install)],
    )
    return {"project": pid, "survey": survey, "install": install, "live": live}


def timeline_of(ctx: Context, pid: int) -> ProjectTimeline:
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    return timeline


def row_of(ctx: Context, pid: int, today: date = TODAY) -> PortfolioRow:
    return next(r for r in portfolio(ctx.db, today) if r.id == pid)


def test_the_schedule_read_is_the_timelines(ctx: Context) -> None:
    ids = linked_plan(ctx)
    timeline = timeline_of(ctx, ids["project"])
    plan = project_schedule(ctx.db, ids["project"])
    assert plan is not None
    assert [(t.id, t.start, t.finish, t.critical) for t in plan.tasks] == [
        (t.id, t.start, t.finish, t.critical) for t in timeline.tasks
    ]
    install = plan.by_id()[ids["install"]]
    assert (install.planned_start, install.start, install.finish) == (
        D(2026, 3, 16),
        D(2026, 3, 23),
        D(2026, 3, 24),
    )
    assert project_schedule(ctx.db, 9999) is None


def test_every_reader_shows_the_scheduled_dates(ctx: Context) -> None:
    ids = linked_plan(ctx)
    pid = ids["project"]
    by_id = timeline_of(ctx, pid).by_id()
    live, install = by_id[ids["live"]], by_id[ids["install"]]
    assert live.finish == D(2026, 3, 24)

    row = row_of(ctx, pid)  # Projects: the next milestone on its scheduled day
    assert (row.next_milestone, row.next_milestone_date) == ("Go live", live.finish)
    assert not row.next_milestone_overdue

    edit = load_task_edit(ctx.db, ids["install"])  # the task form opens on the schedule
    assert edit is not None
    assert (edit.draft.planned_start, edit.draft.planned_finish) == (install.start, install.finish)

    data = gather(ctx.db, pid, TODAY)  # reports
    assert [(m.name, m.planned) for m in data.milestones] == [("Go live", live.finish)]
    assert data.forecast_finish == live.finish

    ics = export_ics(ctx.db, pid)  # the helpdesk calendar
    assert "DTSTART;VALUE=DATE:20260324" in ics and "20260317" not in ics

    root = ET.fromstring(export_mspdi(ctx.db, "LINK-1", TODAY))  # MS Project
    tasks = {t.findtext(f"{MSPDI}Name"): t for t in root.findall(f"{MSPDI}Tasks/{MSPDI}Task")}
    assert tasks["Install"].findtext(f"{MSPDI}Start") == "2026-03-23T08:00:00"
    assert tasks["Install"].findtext(f"{MSPDI}Finish") == "2026-03-24T17:00:00"


def test_setting_the_baseline_saves_the_scheduled_dates(ctx: Context) -> None:
    ids = linked_plan(ctx)
    pid = ids["project"]
    assert set_baseline(ctx, pid) == 3
    timeline = timeline_of(ctx, pid)
    assert all(t.slip_days == 0 for t in timeline.tasks)
    assert (timeline.baseline_start, timeline.baseline_end) == (D(2026, 3, 16), D(2026, 3, 24))
    by_id = timeline.by_id()
    assert (by_id[ids["install"]].baseline_start, by_id[ids["install"]].baseline_finish) == (
        D(2026, 3, 23),
        D(2026, 3, 24),
    )
    row = row_of(ctx, pid)
    assert (row.slip_days, row.health, row.health_reason) == (0, "green", "on track")
    data = gather(ctx.db, pid, TODAY)
    assert (data.slip_days, data.finish_variance_days) == (0, 0)
    assert [m.baseline for m in data.milestones] == [D(2026, 3, 24)]


def test_late_work_is_flagged_and_feeds_health(ctx: Context) -> None:
    ids = linked_plan(ctx)
    pid = ids["project"]
    set_baseline(ctx, pid)
    # Thursday 26 March: Survey (due 20th) and Install (due 24th) are open, Go live (24th)
    # not reached.
    today = D(2026, 3, 26)
    row = row_of(ctx, pid, today)
    assert (row.late_tasks, row.late_milestones) == (2, 1)
    assert row.next_milestone_overdue
    assert row.health == "amber"
    assert "1 milestone overdue" in row.health_reason and "2 tasks late" in row.health_reason
    timeline = timeline_of(ctx, pid)
    by_id = timeline.by_id()
    assert all(t.late(today) for t in timeline.tasks)
    assert not by_id[ids["live"]].late(D(2026, 3, 24))  # due today is not late yet
    gantt_row = _task_row(by_id[ids["live"]], today, timeline.hours)
    assert gantt_row.late
    info = _task_info(timeline, by_id[ids["live"]], "%Y-%m-%d", 80, "n", today).plain
    assert "⚠ late: due 2026-03-24" in info
    # Done work is never late, and a done milestone is no longer the next one.
    for key in ("survey", "install", "live"):
        edit = load_task_edit(ctx.db, ids[key])
        assert edit is not None
        done = edit.draft.__class__(
            **{**edit.draft.__dict__, "status": "done", "percent_complete": 100}
        )
        update_task(
            Context(ctx.db, "tester", clock=lambda: today), ids[key], done, [], edit.version
        )
    row = row_of(ctx, pid, today)
    assert (row.late_tasks, row.late_milestones, row.next_milestone) == (0, 0, "")
    assert "late" not in row.health_reason


def test_a_finished_task_leaves_the_critical_path(ctx: Context) -> None:
    ids = linked_plan(ctx)
    timeline = timeline_of(ctx, ids["project"])
    assert timeline.critical_path == [ids["survey"], ids["install"], ids["live"]]
    edit = load_task_edit(ctx.db, ids["survey"])
    assert edit is not None
    done = edit.draft.__class__(
        **{**edit.draft.__dict__, "status": "done", "percent_complete": 100}
    )
    update_task(ctx, ids["survey"], done, [], edit.version)
    timeline = timeline_of(ctx, ids["project"])
    by_id = timeline.by_id()
    assert not by_id[ids["survey"]].critical
    assert timeline.critical_path == [ids["install"], ids["live"]]
    assert by_id[ids["install"]].start == D(2026, 3, 23)  # it still waits for the survey


def test_many_projects_are_scheduled_in_a_few_queries(ctx: Context) -> None:
    for n in range(3):
        linked_plan(ctx, f"LINK-{n}")
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    def selects() -> int:
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        few = project_schedules(ctx.db)
        queries_for_few = selects()
        for n in range(3, 8):
            linked_plan(ctx, f"LINK-{n}")
        statements.clear()
        many = project_schedules(ctx.db)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)
    assert len(few) == 3 and len(many) == 8
    # projects, stored states, holidays (+ the stored dates, read on the driver's cursor)
    assert selects() == queries_for_few == 3
    with ctx.db.engine.begin() as conn:  # every project stale: all scheduled, in 5 queries
        conn.exec_driver_sql("INSERT INTO holiday (day, name) VALUES ('2026-03-20', 'Off')")
    statements.clear()
    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        scheduled = project_schedules(ctx.db)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)
    assert len(scheduled) == 8 and selects() == 5  # and tasks, links


def test_approving_a_delay_moves_the_work_after_it(ctx: Context) -> None:
    ids = linked_plan(ctx)
    pid = ids["project"]
    set_baseline(ctx, pid)
    change = add_change(
        ctx, pid, ChangeDraft("Extra survey of the loft", TODAY, schedule_impact_days="3")
    )
    preview = approval_preview(ctx.db, change)
    assert preview.lines() == [
        "1 Survey delayed +3 wd, and the work after it:",
        "  1 Survey: finish 2026-03-20 → 2026-03-25",
        "  2 Install: finish 2026-03-24 → 2026-03-27",
        "  3 Go live: finish 2026-03-24 → 2026-03-27",
        "The project has no end date to move",
    ]
    before = max(a.id for a in _activity(ctx))  # type: ignore[type-var]
    done = approve_change(ctx, change, expected_version=1, category=None)
    assert done.lines() == preview.lines()
    by_id = timeline_of(ctx, pid).by_id()
    assert [by_id[ids[k]].finish for k in ("survey", "install", "live")] == [
        D(2026, 3, 25),
        D(2026, 3, 27),
        D(2026, 3, 27),
    ]
    assert by_id[ids["live"]].slip_days == 3  # the baseline stays, so the variance shows
    logged = [
        (a.entity, a.action, a.field)
        for a in _activity(ctx)
        if a.id > before  # type: ignore[operator]
    ]
    assert ("task", "update", "planned_finish") in logged
    assert logged[-1] == ("changerequest", "approve", "")
    assert row_of(ctx, pid).slip_days == 3


def _activity(ctx: Context) -> list[Activity]:
    with ctx.db.read() as session:
        return list(session.exec(select(Activity).order_by(col(Activity.id))).all())


async def test_linking_on_the_timeline_agrees_with_projects_and_the_report(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="DASH-1", name="Planned in the dashboard"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_project(pid)
        await settle(pilot)
        await pilot.app.run_action("switch_mode('timeline')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)

        async def add(name: str, start: str, finish: str, predecessors: str = "") -> None:
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, TaskForm)
            form.query_one("#name", Input).value = name
            form.query_one("#start", Input).value = start
            form.query_one("#finish", Input).value = finish
            form.query_one("#predecessors", Input).value = predecessors
            await pilot.press("ctrl+s")
            await settle(pilot)
            await settle(pilot)
            assert isinstance(app.screen, TimelineScreen), "the form did not save"

        await add("Survey", "2026-03-18", "2026-03-24")
        await add("Install", "2026-03-18", "2026-03-19", "1")  # pushed after the survey
        data = screen.data
        assert data is not None and data.project is not None
        shown = {t.name: t for t in data.project.tasks}
        assert (shown["Install"].start, shown["Install"].finish) == (D(2026, 3, 25), D(2026, 3, 26))
        await pilot.press("b")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        await pilot.app.run_action("switch_mode('projects')")
        await settle(pilot)
    row = row_of(ctx, pid)
    report = gather(ctx.db, pid, TODAY)
    timeline = timeline_of(ctx, pid)
    assert timeline.finish == D(2026, 3, 26)
    assert row.slip_days == 0 and report.slip_days == 0  # not late the moment it is baselined
    assert report.forecast_finish == timeline.finish == report.baseline_finish
    assert row.health == "green"
    with ctx.db.read() as session:
        install = session.exec(select(Task).where(Task.name == "Install")).one()
        assert install.baseline_finish == D(2026, 3, 26)
