"""itpm's MS Project exports recalculate to itpm's own dates.

MS Project schedules a plan again when it opens it. These tests export plans, recalculate them
with MPXJ's MS-Project-style scheduler (`tests/mpxj_recalc.py`, in a child process with a JVM)
and compare every task's start and finish with the schedule the Timeline shows. They need the
`recalc` test extra and a Java runtime and are skipped, saying which is missing, without them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.plan import PlannedTask
from itpm_tui.formats.mspdi.exporter import export_mspdi
from itpm_tui.formats.mspdi.importer import import_mspdi
from itpm_tui.formats.mspdi.schema import NS
from itpm_tui.formats.mspdi.writer import schedule_in_minutes
from itpm_tui.queries.plans import load_project_plan, load_work_hours
from itpm_tui.queries.schedule import ScheduledTask, project_schedule
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.services.context import Context
from itpm_tui.storage.database import open_database, sqlite_url
from itpm_tui.storage.models import Dependency, Holiday, Person, Project, Task
from tests.mpxj_recalc import unavailable

ROOT = Path(__file__).parent.parent
Q = f"{{{NS}}}"
MISSING = unavailable()
needs_mpxj = pytest.mark.skipif(bool(MISSING), reason=f"MPXJ recalculation: {MISSING}")


def recalculate(paths: list[Path]) -> dict[Path, dict[str, Any]]:
    """UID → {"name", "written", "recalculated"} for each file, from MPXJ in a child process."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.mpxj_recalc", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    return {Path(r["file"]): r["tasks"] for r in results}


def disagreements(task: ScheduledTask, dates: dict[str, Any]) -> list[str]:
    """How MS Project's recalculated dates differ from itpm's: a task runs 08:00 to 17:00,
    a milestone is an instant on its day (MS Project puts one after a finish at 17:00)."""
    start, finish = (datetime.fromisoformat(d) for d in dates["recalculated"])
    assert task.start is not None and task.finish is not None
    if task.is_milestone:
        expected = (task.start, task.finish)
        got: tuple[object, object] = (start.date(), finish.date())
    elif task.is_elapsed:  # days of 24 hours: 08:00 to 08:00 the day after its finish
        expected = (
            datetime.combine(task.start, time(8)),
            datetime.combine(task.finish + timedelta(days=1), time(8)),
        )
        got = (start, finish)
    else:
        expected = (datetime.combine(task.start, time(8)), datetime.combine(task.finish, time(17)))
        got = (start, finish)
    return [] if got == expected else [f"{task.wbs} {dates['name']}: itpm {expected}, MS {got}"]


def agreement(ctx: Context, codes: dict[str, int], folder: Path) -> tuple[int, list[str]]:
    """Tasks compared, and those whose recalculated dates differ from itpm's."""
    paths = {}
    for code in codes:
        path = folder / f"{code}.xml"
        path.write_bytes(export_mspdi(ctx.db, code, ctx.today()))
        paths[code] = path
    recalculated = recalculate(list(paths.values()))
    compared, differ = 0, []
    for code, project_id in codes.items():
        schedule = project_schedule(ctx.db, project_id)
        assert schedule is not None
        by_uid = recalculated[paths[code]]
        for task in schedule.tasks:
            compared += 1
            differ += [f"{code} {line}" for line in disagreements(task, by_uid[str(task.id)])]
    return compared, differ


@needs_mpxj
def test_the_demo_portfolio_recalculates_to_the_timeline_dates(
    demo_ctx: Context, tmp_path: Path
) -> None:
    with demo_ctx.db.read() as session:
        codes = {p.code: int(p.id) for p in session.exec(select(Project)).all()}  # type: ignore[arg-type]

    compared, differ = agreement(demo_ctx, codes, tmp_path)

    assert compared > 100
    assert differ == []


@pytest.fixture
def plan_ctx(tmp_path: Path) -> Iterator[Context]:
    """A plan with every kind of link and lag, a holiday, undated and start-only tasks, a
    task pushed past its planned start, progress and an estimate unlike its duration, a
    manual task, a Must Start On, a Finish No Later Than with a deadline, and one on the
    summary."""
    db = open_database(sqlite_url(tmp_path / "plan.db"))
    ctx = Context(db, "tester", clock=lambda: date(2026, 4, 8))
    with ctx.transaction() as tx:
        s = tx.session
        ana = Person(name="Ana Silva", handle="ana")
        project = Project(code="MIX", name="Mixed plan", start_date=date(2026, 4, 6))
        s.add_all([ana, project])
        s.flush()
        pid = int(project.id)  # type: ignore[arg-type]
        s.add(Holiday(project_id=pid, day=date(2026, 4, 15), name="Site closed"))
        phase = Task(
            project_id=pid,
            name="Phase",
            sort_order=1,
            constraint_kind="FNLT",
            constraint_date=date(2026, 4, 30),
        )
        s.add(phase)
        s.flush()

        def task(name: str, order: int, start: date | None, finish: date | None, **kw: Any) -> Task:
            row = Task(
                project_id=pid,
                parent_id=kw.pop("parent", phase.id),
                name=name,
                sort_order=order,
                planned_start=start,
                planned_finish=finish,
                **kw,
            )
            s.add(row)
            return row

        design = task(
            "Design",
            2,
            date(2026, 4, 7),
            date(2026, 4, 9),
            assignee_id=ana.id,
            estimate_hours=Decimal(50),
            remaining_hours=Decimal(20),
            percent_complete=60,
            status="in progress",
            actual_start=date(2026, 4, 7),
        )
        build = task(
            "Build",
            3,
            date(2026, 4, 8),
            date(2026, 4, 14),
            assignee_id=ana.id,
            estimate_hours=Decimal(12),
        )
        test = task("Test", 4, date(2026, 4, 6), date(2026, 4, 7))
        train = task("Train", 5, date(2026, 4, 20), date(2026, 4, 21))
        docs = task("Docs", 6, date(2026, 4, 6), date(2026, 4, 6))
        undated = task("Undated", 7, None, None, estimate_hours=Decimal(4))
        task("Start only", 8, date(2026, 4, 22), None)
        live = task("Go live", 9, date(2026, 4, 6), date(2026, 4, 6), is_milestone=True)
        done = task(
            "Kick-off",
            10,
            date(2026, 4, 6),
            date(2026, 4, 6),
            parent=None,
            percent_complete=100,
            status="done",
            actual_start=date(2026, 4, 6),
            actual_finish=date(2026, 4, 6),
        )
        # held where they are put though their predecessors end later, and one to finish by
        # a date its links keep it within, with a deadline they push it past
        visit = task("Site visit", 11, date(2026, 4, 8), date(2026, 4, 8), is_manual=True)
        rehearsal = task(
            "Rehearsal",
            12,
            date(2026, 4, 9),
            date(2026, 4, 9),
            constraint_kind="MSO",
            constraint_date=date(2026, 4, 9),
        )
        cutover = task(
            "Cut-over",
            13,
            date(2026, 4, 6),
            date(2026, 4, 7),
            constraint_kind="FNLT",
            constraint_date=date(2026, 4, 24),
            deadline=date(2026, 4, 20),
        )
        # a carrier's 10-day porting wait through a weekend and the holiday after a Friday
        # finish, and one on its own non-working start
        order = task("Order lines", 14, date(2026, 4, 8), date(2026, 4, 10))
        porting = task("Porting", 15, date(2026, 4, 6), date(2026, 4, 15), is_elapsed=True)
        switch = task("Switch lines", 16, date(2026, 4, 6), date(2026, 4, 6))
        task("Settle", 17, date(2026, 4, 18), date(2026, 4, 19), is_elapsed=True)
        s.flush()
        for pred, succ, kind, lag in (
            (order, porting, "FS", 0),
            (porting, switch, "FS", 0),
            (design, visit, "FS", 0),
            (build, rehearsal, "FS", 0),
            (train, cutover, "FS", 0),
            (design, build, "FS", 0),  # Build's planned start is before Design ends
            (design, test, "SS", 2),
            (build, train, "FF", -1),
            (build, docs, "SF", 1),
            (design, undated, "FS", 1),
            (train, live, "FS", 0),
            (done, design, "FS", 0),
        ):
            s.add(Dependency(predecessor_id=pred.id, successor_id=succ.id, kind=kind, lag_days=lag))
    yield ctx
    db.dispose()


@needs_mpxj
def test_every_link_lag_holiday_and_undated_task_recalculates_the_same(
    plan_ctx: Context, tmp_path: Path
) -> None:
    with plan_ctx.db.read() as session:
        project = session.exec(select(Project)).one()

    compared, differ = agreement(plan_ctx, {"MIX": int(project.id)}, tmp_path)  # type: ignore[arg-type]

    assert compared == 17
    assert differ == [], "\n".join(differ)


@pytest.fixture
def summary_ctx(tmp_path: Path) -> Iterator[Context]:
    """Links on summaries of every kind MS Project allows: into a summary (FS, SS) and into a
    nested one, from a summary's finish (FS, FF) and from its start (SS, SF), summary to
    summary, with lags; the tasks under the summaries start at different times."""
    db = open_database(sqlite_url(tmp_path / "summary.db"))
    ctx = Context(db, "tester", clock=lambda: date(2026, 4, 8))
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(code="SUM", name="Summary links", start_date=date(2026, 4, 6))
        s.add(project)
        s.flush()
        pid = int(project.id)  # type: ignore[arg-type]
        order = iter(range(1, 100))

        def task(name: str, parent: Task | None, start: date | None, finish: date | None) -> Task:
            row = Task(
                project_id=pid,
                parent_id=None if parent is None else parent.id,
                name=name,
                sort_order=next(order),
                planned_start=start,
                planned_finish=finish,
            )
            s.add(row)
            s.flush()
            return row

        kickoff = task("Kick-off", None, date(2026, 4, 6), date(2026, 4, 7))
        build = task("Build", None, None, None)
        task("Design", build, date(2026, 4, 8), date(2026, 4, 10))
        task("Code", build, date(2026, 4, 6), date(2026, 4, 9))
        infra = task("Infra", build, None, None)  # nested summary
        task("Rack", infra, date(2026, 4, 6), date(2026, 4, 6))
        task("Cable", infra, date(2026, 4, 13), date(2026, 4, 14))
        vendor = task("Vendor", None, date(2026, 4, 6), date(2026, 4, 8))
        test = task("Test", None, None, None)
        task("Unit", test, date(2026, 4, 6), date(2026, 4, 7))
        task("System", test, date(2026, 4, 9), date(2026, 4, 13))
        watch = task("Watch", None, date(2026, 4, 6), date(2026, 4, 7))
        report = task("Report", None, date(2026, 4, 6), date(2026, 4, 8))
        docs = task("Docs", None, date(2026, 4, 6), date(2026, 4, 6))
        sign = task("Sign-off", None, date(2026, 4, 6), date(2026, 4, 6))
        for pred, succ, kind, lag in (
            (kickoff, build, "FS", 0),  # into a summary: holds back every task under it
            (vendor, infra, "SS", 1),  # into a nested summary, from a start
            (build, test, "FS", 1),  # summary to summary
            (build, watch, "SS", 2),  # from a summary's start: its earliest task's
            (build, report, "FF", 0),  # from a summary's finish: its latest task's
            (test, docs, "SF", 0),
            (infra, sign, "FS", 0),  # from a nested summary
        ):
            s.add(Dependency(predecessor_id=pred.id, successor_id=succ.id, kind=kind, lag_days=lag))
    yield ctx
    db.dispose()


@needs_mpxj
def test_links_on_summaries_recalculate_the_same(summary_ctx: Context, tmp_path: Path) -> None:
    with summary_ctx.db.read() as session:
        project = session.exec(select(Project)).one()

    compared, differ = agreement(summary_ctx, {"SUM": int(project.id)}, tmp_path)  # type: ignore[arg-type]

    assert compared == 15
    assert differ == [], "\n".join(differ)


@needs_mpxj
def test_a_file_with_summary_links_imports_to_ms_projects_dates(
    summary_ctx: Context, tmp_path: Path
) -> None:
    """The file written for the plan above, imported into another database, schedules every
    task where MPXJ's recalculation of that file puts it; no link is reported."""
    path = tmp_path / "SUM.xml"
    path.write_bytes(export_mspdi(summary_ctx.db, "SUM", summary_ctx.today()))
    other = Context(
        open_database(sqlite_url(tmp_path / "other.db")), "tester", clock=summary_ctx.clock
    )
    report = import_mspdi(other, path)
    assert report.links == 7
    assert not [w for w in report.warnings if "link" in w]
    schedule = project_schedule(other.db, report.project_id)
    assert schedule is not None
    by_name = {d["name"]: d for d in recalculate([path])[path].values()}
    differ = [line for t in schedule.tasks for line in disagreements(t, by_name[t.name])]
    assert len(schedule.tasks) == 15
    assert differ == [], "\n".join(differ)
    other.db.dispose()


@needs_mpxj
def test_constraints_and_deadlines_come_back_as_they_were(
    plan_ctx: Context, tmp_path: Path
) -> None:
    """Each constraint is written as what it is (Finish No Later Than as `ConstraintType` 7,
    not as a deadline), and the file imported into another database gives every task the
    same constraint, date and deadline, and the same scheduled dates."""
    path = tmp_path / "MIX.xml"
    path.write_bytes(export_mspdi(plan_ctx.db, "MIX", plan_ctx.today()))
    written = {
        el.findtext(f"{Q}Name"): (
            el.findtext(f"{Q}ConstraintType"),
            el.findtext(f"{Q}ConstraintDate"),
            el.findtext(f"{Q}Deadline"),
        )
        for el in ET.parse(path).getroot().iter(f"{Q}Task")
    }
    assert written["Cut-over"] == ("7", "2026-04-24T17:00:00", "2026-04-20T17:00:00")
    assert written["Phase"] == ("7", "2026-04-30T17:00:00", None)
    assert written["Rehearsal"] == ("2", "2026-04-09T08:00:00", None)
    assert written["Build"] == ("4", "2026-04-08T08:00:00", None)  # the start rule

    other = Context(
        open_database(sqlite_url(tmp_path / "other.db")), "tester", clock=plan_ctx.clock
    )
    report = import_mspdi(other, path)

    def rules(ctx: Context, project_id: int | None = None) -> dict[str, tuple[object, ...]]:
        with ctx.db.read() as session:
            query = select(Task)
            if project_id is not None:
                query = query.where(Task.project_id == project_id)
            return {
                t.name: (t.constraint_kind, t.constraint_date, t.deadline)
                for t in session.exec(query).all()
            }

    assert rules(other, report.project_id) == rules(plan_ctx)
    assert rules(other)["Cut-over"] == ("FNLT", date(2026, 4, 24), date(2026, 4, 20))
    kinds = ("Finish No Later Than", "Must Start On", "deadline")
    assert not [w for w in report.warnings if "not imported" in w and any(k in w for k in kinds)]
    # the deadline the links push Cut-over past is flagged, as the Timeline flags it
    assert any("Cut-over' misses its deadline 2026-04-20" in w for w in report.warnings)
    ours, theirs = (
        project_schedule(c.db, p) for c, p in ((plan_ctx, 1), (other, report.project_id))
    )
    assert ours is not None and theirs is not None
    assert [(t.name, t.start, t.finish) for t in theirs.tasks] == [
        (t.name, t.start, t.finish) for t in ours.tasks
    ]
    other.db.dispose()


@needs_mpxj
def test_where_ms_project_schedules_a_finish_no_later_than_otherwise(tmp_path: Path) -> None:
    """MS Project keeps one constraint a task, so a Finish No Later Than takes the place of
    the start rule, and it honours the constraint before the links: a task its links push
    past its Finish No Later Than is moved back to meet it (itpm flags it instead), and one
    its planned start holds later than its links would starts as soon as they allow. Both
    are as docs/mspdi.md says; every other task keeps itpm's dates."""
    db = open_database(sqlite_url(tmp_path / "fnlt.db"))
    ctx = Context(db, "tester", clock=lambda: date(2026, 4, 8))
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(code="FN", name="Finish by", start_date=date(2026, 4, 6))
        s.add(project)
        s.flush()
        pid = int(project.id)  # type: ignore[arg-type]

        def task(name: str, first: date, last: date, by: date | None = None) -> Task:
            return Task(
                project_id=pid,
                name=name,
                planned_start=first,
                planned_finish=last,
                constraint_kind="FNLT" if by else "",
                constraint_date=by,
            )

        rows = [
            task("Survey", date(2026, 4, 6), date(2026, 4, 17)),
            task("Pushed", date(2026, 4, 6), date(2026, 4, 7), by=date(2026, 4, 17)),
            task("Held", date(2026, 4, 13), date(2026, 4, 14), by=date(2026, 4, 30)),
            task("Placed", date(2026, 4, 6), date(2026, 4, 7), by=date(2026, 4, 30)),
        ]
        for n, row in enumerate(rows, 1):
            row.sort_order = n
        s.add_all(rows)
        s.flush()
        survey, pushed, _, placed = rows
        s.add(Dependency(predecessor_id=survey.id, successor_id=pushed.id))
        s.add(Dependency(predecessor_id=survey.id, successor_id=placed.id))

    compared, differ = agreement(ctx, {"FN": pid}, tmp_path)

    assert compared == 4
    assert differ == [
        "FN 2 Pushed: itpm (datetime.datetime(2026, 4, 20, 8, 0), datetime.datetime(2026, 4, "
        "21, 17, 0)), MS (datetime.datetime(2026, 4, 16, 8, 0), datetime.datetime(2026, 4, 17, "
        "17, 0))",
        "FN 3 Held: itpm (datetime.datetime(2026, 4, 13, 8, 0), datetime.datetime(2026, 4, 14, "
        "17, 0)), MS (datetime.datetime(2026, 4, 6, 8, 0), datetime.datetime(2026, 4, 7, 17, "
        "0))",
    ]
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    flagged = {t.name: t.warnings() for t in timeline.tasks if t.warnings()}
    assert flagged == {"Pushed": ["finishes after its Finish No Later Than 2026-04-17"]}
    db.dispose()


# --- part-day working time -----------------------------------------------------------------


def minute_schedule(ctx: Context, code: str) -> dict[str, PlannedTask]:
    """itpm's schedule in working minutes of the project, by task name: the one its MS
    Project export is written from."""
    plan = load_project_plan(ctx.db, code)
    hours = load_work_hours(ctx.db, code)
    names = {t.id: t.name for t in plan.tasks}
    timed = schedule_in_minutes(plan, WorkCalendar(plan.holidays), hours)
    return {names[tid]: task for tid, task in timed.items()}


def minute_disagreements(
    scheduled: dict[str, PlannedTask], recalculated: dict[str, dict[str, Any]]
) -> list[str]:
    """Tasks whose start and finish (to the minute) differ from MPXJ's."""
    out = []
    for name, task in scheduled.items():
        assert task.start and task.finish and task.start_time and task.finish_time
        start = task.finish_time if task.work_minutes == 0 else task.start_time  # milestone
        ours = (
            datetime.combine(task.start, start),
            datetime.combine(task.finish, task.finish_time),
        )
        theirs = tuple(datetime.fromisoformat(d) for d in recalculated[name]["recalculated"])
        if ours != theirs:
            out.append(f"{name}: itpm {ours}, MS {theirs}")
    return out


@needs_mpxj
def test_a_part_day_file_imports_to_ms_projects_times_and_critical_path(
    tmp_path: Path,
) -> None:
    """4h, 2h and 1.5d tasks on a 7.5-hour day with a half-hour break, a holiday, a manual
    task at 13:00 and a task 2 hours after it, a Must Start On at 09:00 and a one-day task
    started in the afternoon: itpm's schedule of the imported plan gives each task MPXJ's
    start and finish to the minute, and its critical flag but one."""
    source = ROOT / "tests" / "data" / "mspdi" / "part_day.xml"
    ctx = Context(open_database(sqlite_url(tmp_path / "t.db")), "tester")
    report = import_mspdi(ctx, source)
    by_name = {d["name"]: d for d in recalculate([source])[source].values()}

    scheduled = minute_schedule(ctx, report.project_code)
    differ = minute_disagreements(scheduled, by_name)

    assert len(scheduled) == 9
    assert differ == [], "\n".join(differ)
    chain = {"Prepare cut-over", "Cut over", "Migrate data", "Check reports", "Go-live"}
    # MS Project counts a Must Start On task critical (its dates cannot move), and so does
    # itpm: every flag of the nine agrees
    critical = {name for name, t in scheduled.items() if t.critical}
    assert critical == {*chain, "Hypercare", "Change window"}
    assert critical == {name for name, d in by_name.items() if d["critical"]}
    assert {name for name, d in by_name.items() if d["critical"]} == {
        *chain,
        "Hypercare",
        "Change window",
    }
    ctx.db.dispose()


@needs_mpxj
def test_part_day_exports_recalculate_to_itpms_times(tmp_path: Path) -> None:
    """A plan typed in itpm on the standard day (two 4h tasks in a row, 1.5d after them, a
    manual 2h at 13:00, a milestone, a task whose start links push within a day, a manual
    4eh cut-over from 19:00 and the smoke test after it the next morning) and the
    imported 7.5-hour plan: MPXJ's recalculation of each export gives every task itpm's
    times and critical flag."""
    ctx = Context(open_database(sqlite_url(tmp_path / "t.db")), "tester")
    monday = date(2026, 6, 1)
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(code="HALF", name="Half days", start_date=monday)
        s.add(project)
        s.flush()
        rows = {}
        for order, (name, start, finish, minutes, extra) in enumerate(
            (
                ("Back up", monday, monday, 240, {}),
                ("Upgrade", monday, monday, 240, {}),
                ("Migrate", monday, monday + timedelta(days=1), 720, {}),
                ("Call vendor", monday + timedelta(days=1), monday + timedelta(days=1), 120,
                 {"is_manual": True, "start_time": time(13)}),
                ("Verify", monday, monday + timedelta(days=1), None, {}),
                ("Live", monday, monday, None, {"is_milestone": True}),
                # a 4eh cut-over put in the evening, and the smoke test the next morning
                ("Cut-over", monday + timedelta(days=1), monday + timedelta(days=1), 240,
                 {"is_elapsed": True, "start_time": time(19), "is_manual": True}),
                ("Smoke test", monday + timedelta(days=1), monday + timedelta(days=1), 60, {}),
            ),
            1,
        ):  # fmt: skip
            rows[name] = Task(
                project_id=project.id,
                name=name,
                sort_order=order,
                planned_start=start,
                planned_finish=finish,
                work_minutes=minutes,
                **extra,
            )
        s.add_all(rows.values())
        s.flush()
        for pred, succ in (
            ("Back up", "Upgrade"),
            ("Upgrade", "Migrate"),
            ("Call vendor", "Verify"),
            ("Migrate", "Live"),
            ("Cut-over", "Smoke test"),
        ):
            s.add(Dependency(predecessor_id=rows[pred].id, successor_id=rows[succ].id))
    imported = import_mspdi(ctx, ROOT / "tests" / "data" / "mspdi" / "part_day.xml")

    compared, differ, flags = 0, [], []
    for code in ("HALF", imported.project_code):
        path = tmp_path / f"{code}.xml"
        path.write_bytes(export_mspdi(ctx.db, code, ctx.today()))
        by_name = {d["name"]: d for d in recalculate([path])[path].values()}
        scheduled = minute_schedule(ctx, code)
        compared += len(scheduled)
        differ += minute_disagreements(scheduled, by_name)
        flags += [n for n, t in scheduled.items() if t.critical != by_name[n]["critical"]]

    half = minute_schedule(ctx, "HALF")
    # the contract of the minute schedule: 08:00-12:00, then 13:00-17:00 the same day
    assert (half["Back up"].start_time, half["Back up"].finish_time) == (time(8), time(12))
    assert (half["Upgrade"].start, half["Upgrade"].start_time) == (monday, time(13))
    assert (half["Cut-over"].start_time, half["Cut-over"].finish_time) == (time(19), time(23))
    assert (half["Smoke test"].start, half["Smoke test"].start_time) == (
        monday + timedelta(days=2),
        time(8),
    )
    assert compared == 8 + 9
    assert differ == [], "\n".join(differ)
    # one critical flag differs, the dates not: MS Project does not count the manual call
    # that drives the last task critical
    assert flags == ["Call vendor"]
    ctx.db.dispose()
