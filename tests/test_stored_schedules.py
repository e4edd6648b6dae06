"""Stored schedules (migration 0006) are never stale without saying so, whoever writes.

The property: after any sequence of edits — through the services or raw SQL on the tables
(tasks, links, holidays common and per project, the project start) — every project whose
stored schedule claims to be fresh equals a fresh computation, and after any service write
every project is fresh.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import astuple
from datetime import date, time, timedelta
from pathlib import Path

from conftest import version_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.holidays import DayOff
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.my_work import load_my_work
from itpm_tui.queries.schedule import (
    ProjectSchedule,
    _Clocks,
    _Days,
    load_schedules,
    schedule_rows,
)
from itpm_tui.services.context import Context
from itpm_tui.services.holidays import add_holidays
from itpm_tui.services.outline_edits import add_task, delete_task
from itpm_tui.services.projects import create_project
from itpm_tui.storage import schedule_store
from itpm_tui.storage.database import Database, migrate, open_database, sqlite_url
from itpm_tui.storage.models import Task

MONDAY = date(2026, 3, 16)


def truth(db: Database) -> dict[int, ProjectSchedule]:
    """Every project scheduled from its inputs now: `replan` makes nothing stored be read."""
    with db.read() as session:
        return load_schedules(session, replan={0: (None, None)})


def stored_fresh(db: Database) -> tuple[dict[int, ProjectSchedule], set[int]]:
    """The stored schedules that claim to be fresh, as read; and the stale project ids."""
    with db.read() as session:
        states = schedule_store.states(session.connection(), None)
        stale = set(schedule_store.stale_project_ids(session.connection()))
        fresh = [pid for pid, s in states.items() if s.fresh]
        return load_schedules(session, fresh), stale


def assert_store_honest(db: Database) -> set[int]:
    right = truth(db)
    stored, stale = stored_fresh(db)
    for pid, schedule in stored.items():
        assert schedule == right[pid], f"project {pid} claims a fresh schedule that is not"
    return stale


def two_projects(ctx: Context) -> list[int]:
    pids = []
    for code in ("A-1", "B-1"):
        pid = create_project(ctx, ProjectDraft(code=code, name=code, start_date=MONDAY))
        first = add_task(
            ctx, pid, TaskDraft(name="Survey", planned_start=MONDAY, planned_finish=MONDAY)
        )
        add_task(
            ctx,
            pid,
            TaskDraft(name="Install", planned_start=MONDAY, planned_finish=MONDAY),
            after=first,
            predecessors=[PredecessorRef(first)],
        )
        pids.append(pid)
    return pids


day = st.integers(0, 20).map(lambda n: MONDAY + timedelta(days=n))
edits = st.one_of(
    st.tuples(st.just("service add task"), st.integers(0, 1), day, st.integers(0, 4)),
    st.tuples(st.just("service delete task"), st.integers(0, 50)),
    st.tuples(st.just("service holiday"), st.sampled_from([None, 0, 1]), day),
    st.tuples(st.just("sql dates"), st.integers(0, 50), day, st.integers(0, 4)),
    st.tuples(st.just("sql status"), st.integers(0, 50), st.sampled_from(["todo", "done"])),
    st.tuples(st.just("sql percent"), st.integers(0, 50), st.sampled_from([0, 50, 100])),
    st.tuples(st.just("sql manual"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("sql insert task"), st.integers(0, 1), day),
    st.tuples(st.just("sql delete task"), st.integers(0, 50)),
    st.tuples(st.just("sql parent"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("sql link"), st.integers(0, 50), st.integers(0, 50), st.integers(0, 3)),
    st.tuples(st.just("sql unlink"), st.integers(0, 50)),
    st.tuples(st.just("sql lag"), st.integers(0, 50), st.integers(-2, 5)),
    st.tuples(st.just("sql holiday"), st.sampled_from([None, 0, 1]), day),
    st.tuples(st.just("sql holiday moved"), day),
    st.tuples(st.just("sql unholiday"), st.integers(0, 50)),
    st.tuples(st.just("sql project start"), st.integers(0, 1), st.one_of(st.none(), day)),
)


def pick(rows: list[tuple[int, ...]], n: int) -> tuple[int, ...] | None:
    return rows[n % len(rows)] if rows else None


def apply(ctx: Context, pids: list[int], edit: tuple[object, ...]) -> bool:
    """Do one edit; True when it went through a service (so everything must now be fresh)."""
    kind = edit[0]
    with ctx.db.engine.connect() as conn:
        tasks = [tuple(r) for r in conn.exec_driver_sql("SELECT id, project_id FROM task")]
        links = [tuple(r) for r in conn.exec_driver_sql("SELECT id FROM dependency")]
        days_off = [tuple(r) for r in conn.exec_driver_sql("SELECT id FROM holiday")]
    if kind == "service add task":
        _, which, start, length = edit
        try:
            add_task(
                ctx,
                pids[int(which)],
                TaskDraft(
                    name="New",
                    planned_start=start,
                    planned_finish=start + timedelta(days=int(length)),
                ),
            )
        except ValidationError:  # the links the SQL edits made close a cycle: refused,
            return False  # nothing written
        return True
    if kind == "service delete task":
        if (task := pick(tasks, int(edit[1]))) is not None:
            delete_task(ctx, task[0], version_of(ctx.db, Task, task[0]))
            return True
        return False
    if kind == "service holiday":
        _, which, when = edit
        pid = None if which is None else pids[int(which)]
        with ctx.db.engine.connect() as conn:
            taken = conn.exec_driver_sql(
                "SELECT 1 FROM holiday WHERE day = ? AND project_id IS ?", (str(when), pid)
            ).first()
        if taken:
            return False
        add_holidays(ctx, [DayOff(when, "Off")], pid)
        return True
    sql: list[tuple[str, tuple[object, ...]]] = []
    if kind == "sql dates" and (task := pick(tasks, int(edit[1]))):
        start: date = edit[2]
        finish = start + timedelta(days=int(edit[3]))
        sql.append(
            (
                "UPDATE task SET planned_start = ?, planned_finish = ? WHERE id = ?",
                (str(start), str(finish), task[0]),
            )
        )
    elif kind == "sql status" and (task := pick(tasks, int(edit[1]))):
        sql.append(("UPDATE task SET status = ? WHERE id = ?", (edit[2], task[0])))
    elif kind == "sql percent" and (task := pick(tasks, int(edit[1]))):
        sql.append(("UPDATE task SET percent_complete = ? WHERE id = ?", (edit[2], task[0])))
    elif kind == "sql manual" and (task := pick(tasks, int(edit[1]))):
        sql.append(("UPDATE task SET is_manual = ? WHERE id = ?", (int(bool(edit[2])), task[0])))
    elif kind == "sql insert task":
        pid = pids[int(edit[1])]
        sql.append(
            (
                "INSERT INTO task (project_id, sort_order, wbs, name, description, is_milestone,"
                " planned_start, planned_finish, estimate_hours, remaining_hours,"
                " percent_complete, status, needs_downtime, blocked_reason, version)"
                " VALUES (?, 99, '', 'Raw', '', 0, ?, ?, 0, 0, 0, 'todo', 0, '', 1)",
                (pid, str(edit[2]), str(edit[2])),
            )
        )
    elif kind == "sql delete task" and (task := pick(tasks, int(edit[1]))):
        sql.append(("DELETE FROM task WHERE id = ?", (task[0],)))
    elif kind == "sql parent":
        child, parent = pick(tasks, int(edit[1])), pick(tasks, int(edit[2]))
        if child and parent and child != parent and child[1] == parent[1]:
            with ctx.db.engine.connect() as conn:  # no cycle: the parent is not below the child
                ancestors, up = set(), parent[0]
                while up is not None and up not in ancestors:
                    ancestors.add(up)
                    row = conn.exec_driver_sql(
                        "SELECT parent_id FROM task WHERE id = ?", (up,)
                    ).first()
                    up = row[0] if row else None
            if child[0] not in ancestors:
                sql.append(("UPDATE task SET parent_id = ? WHERE id = ?", (parent[0], child[0])))
    elif kind == "sql link":
        pred, succ = pick(tasks, int(edit[1])), pick(tasks, int(edit[2]))
        if pred and succ and pred != succ and pred[1] == succ[1]:
            kinds = ("FS", "SS", "FF", "SF")
            sql.append(
                (
                    "INSERT OR IGNORE INTO dependency (predecessor_id, successor_id, kind,"
                    " lag_days) VALUES (?, ?, ?, 0)",
                    (pred[0], succ[0], kinds[int(edit[3])]),
                )
            )
    elif kind == "sql unlink" and (link := pick(links, int(edit[1]))):
        sql.append(("DELETE FROM dependency WHERE id = ?", (link[0],)))
    elif kind == "sql lag" and (link := pick(links, int(edit[1]))):
        sql.append(("UPDATE dependency SET lag_days = ? WHERE id = ?", (edit[2], link[0])))
    elif kind == "sql holiday":
        pid = None if edit[1] is None else pids[int(edit[1])]
        sql.append(
            (
                "INSERT INTO holiday (project_id, day, name) VALUES (?, ?, 'Raw')",
                (pid, str(edit[2])),
            )
        )
    elif kind == "sql holiday moved" and days_off:
        sql.append(("UPDATE holiday SET day = ? WHERE id = ?", (str(edit[1]), days_off[0][0])))
    elif kind == "sql unholiday" and (off := pick(days_off, int(edit[1]))):
        sql.append(("DELETE FROM holiday WHERE id = ?", (off[0],)))
    elif kind == "sql project start":
        pid = pids[int(edit[1])]
        value = None if edit[2] is None else str(edit[2])
        sql.append(("UPDATE project SET start_date = ? WHERE id = ?", (value, pid)))
    with ctx.db.engine.begin() as conn:
        for statement, params in sql:
            conn.exec_driver_sql(statement, params)
    return False


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(edits, min_size=1, max_size=8))
def test_a_stored_schedule_is_fresh_or_says_it_is_stale(
    ctx: Context, sequence: list[tuple[object, ...]]
) -> None:
    with ctx.db.read() as session:
        pids = sorted(
            int(r[0]) for r in session.connection().exec_driver_sql("SELECT id FROM project")
        )
    if not pids:
        pids = two_projects(ctx)
    for edit in sequence:
        by_service = apply(ctx, pids, edit)
        stale = assert_store_honest(ctx.db)
        if by_service:
            assert stale == set(), f"{edit[0]} left projects {stale} stale"
    # and the next service write of any kind stores what raw SQL made stale
    add_holidays(ctx, [DayOff(date(2030, 1, 1) + timedelta(days=len(sequence)), "Later")], pids[0])
    assert assert_store_honest(ctx.db) == set()


def test_raw_sql_marks_exactly_the_projects_whose_inputs_changed(ctx: Context) -> None:
    a, b = two_projects(ctx)
    assert assert_store_honest(ctx.db) == set()
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE task SET description = 'notes' WHERE project_id = ?", (a,))
        conn.exec_driver_sql("UPDATE task SET assignee_id = NULL WHERE project_id = ?", (a,))
        conn.exec_driver_sql("UPDATE project SET name = 'Renamed' WHERE id = ?", (b,))
    assert assert_store_honest(ctx.db) == set()  # not inputs of a schedule
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE task SET name = 'Site survey' WHERE project_id = ?", (a,))
    assert assert_store_honest(ctx.db) == {a}
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE task SET is_manual = 1 WHERE project_id = ?", (b,))
    assert assert_store_honest(ctx.db) == {a, b}  # manual tasks are not pushed: an input
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO holiday (project_id, day, name) VALUES (NULL, ?, 'x')", (str(MONDAY),)
        )
    assert assert_store_honest(ctx.db) == {a, b}


def test_a_task_moved_to_another_project_is_stored_under_its_new_project(ctx: Context) -> None:
    """Storing only the project a task moved into replaces the row its old project kept."""
    a, b = two_projects(ctx)
    with ctx.db.engine.begin() as conn:  # raw SQL: both projects go stale
        moved = conn.exec_driver_sql(
            "SELECT id FROM task WHERE project_id = ? AND name = 'Install'", (a,)
        ).scalar_one()
        conn.exec_driver_sql("DELETE FROM dependency WHERE successor_id = ?", (moved,))
        conn.exec_driver_sql("UPDATE task SET project_id = ? WHERE id = ?", (b, moved))
    with ctx.db.write() as session:  # only b's schedule is computed, so only b's is stored
        load_schedules(session, [b])
    with ctx.db.read() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT project_id FROM taskschedule WHERE task_id = ?", (moved,)
        )
        assert [pid for (pid,) in rows] == [b]
        assert moved in {t.id for t in load_schedules(session, [b])[b].tasks}
    assert assert_store_honest(ctx.db) == {a}  # a's stored schedule waits to be redone
    add_holidays(ctx, [DayOff(date(2030, 1, 1), "Later")], b)
    assert assert_store_honest(ctx.db) == set()


def test_every_stored_column_of_a_task_reaches_its_schedule() -> None:
    """`schedule_rows` builds plan and scheduled tasks by position (keywords cost three times
    as much over a portfolio): each column read must land in its own field."""
    rows = [  # as `_scheduled` reads them: dates and the start time as stored text
        (1, 10, None, "1", "Phase", 0, "todo", 0, "2026-03-16", "2026-03-20", "2026-03-16",
         "2026-03-20", None, 0, "", None, 0, None, None),
        (1, 11, 10, "", "Survey", 0, "done", 100, "2026-03-16", "2026-03-17", "2026-03-16",
         "2026-03-18", "2026-03-17", 0, "", None, 0, None, None),
        (1, 12, 10, "", "Cut-over", 0, "todo", 0, "2026-03-18", "2026-03-18", None, None, None,
         0, "MSO", "2026-03-20", 0, 240, "13:00:00"),
        (1, 13, 10, "", "Go-live", 1, "todo", 0, "2026-03-19", "2026-03-19", None, None, None,
         1, "", None, 0, None, None),
        (1, 14, None, "", "Soak", 0, "todo", 50, "2026-03-20", "2026-03-22", None, None, None,
         0, "", None, 1, None, None),
    ]  # fmt: skip
    links = [Link(11, 12), Link(12, 13)]
    got = schedule_rows(1, rows, links, MONDAY, WorkCalendar(), _Days(), _Clocks()).tasks
    d = date
    assert [astuple(t) for t in got] == [
        (10, None, "1", "Phase", True, False, "todo", 80, d(2026, 3, 16), d(2026, 3, 20),
         d(2026, 3, 16), d(2026, 3, 20), d(2026, 3, 16), d(2026, 3, 20), None, False, False,
         None, None),
        (11, 10, "1.1", "Survey", False, False, "done", 100, d(2026, 3, 16), d(2026, 3, 17),
         d(2026, 3, 16), d(2026, 3, 17), d(2026, 3, 16), d(2026, 3, 18), d(2026, 3, 17), False,
         False, None, None),
        # Must Start On its constraint date, at the time it may start, for 4 working hours
        (12, 10, "1.2", "Cut-over", False, False, "todo", 0, d(2026, 3, 18), d(2026, 3, 18),
         d(2026, 3, 20), d(2026, 3, 20), None, None, None, True, False, time(13), None),
        # manual: held at its planned date although its predecessor ends later
        (13, 10, "1.3", "Go-live", False, True, "todo", 0, d(2026, 3, 19), d(2026, 3, 19),
         d(2026, 3, 19), d(2026, 3, 19), None, None, None, False, False, None, time(8)),
        # elapsed: three calendar days, into the weekend; it ends last, so it is critical
        (14, None, "2", "Soak", False, False, "todo", 50, d(2026, 3, 20), d(2026, 3, 22),
         d(2026, 3, 20), d(2026, 3, 22), None, None, None, True, True, None, None),
    ]  # fmt: skip


def test_another_process_sees_fresh_dates_after_a_write(ctx: Context, db_path: Path) -> None:
    a, _ = two_projects(ctx)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from itpm_tui.storage.database import open_database, sqlite_url\n"
        "from itpm_tui.queries.schedule import project_schedule\n"
        "db = open_database(sqlite_url(Path(sys.argv[1])))\n"
        "s = project_schedule(db, int(sys.argv[2]))\n"
        "print(' '.join(f'{t.name}={t.start}..{t.finish}' for t in s.tasks))\n"
    )

    def seen_elsewhere() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, str(db_path), str(a)],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    assert seen_elsewhere() == "Survey=2026-03-16..2026-03-16 Install=2026-03-17..2026-03-17"
    add_holidays(ctx, [DayOff(date(2026, 3, 17), "Closed")], a)
    assert seen_elsewhere() == "Survey=2026-03-16..2026-03-16 Install=2026-03-18..2026-03-18"
    with ctx.db.engine.begin() as conn:  # a write by some other program, no service
        conn.exec_driver_sql(
            "UPDATE task SET planned_start = '2026-03-19', planned_finish = "
            "'2026-03-19' WHERE name = 'Survey' AND project_id = ?",
            (a,),
        )
    assert seen_elsewhere() == "Survey=2026-03-19..2026-03-19 Install=2026-03-20..2026-03-20"


def test_my_work_reads_stored_dates_and_schedules_a_stale_project(ctx: Context) -> None:
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.services.people import add_person

    a, _ = two_projects(ctx)
    person = add_person(ctx, PersonDraft(name="Hal", handle="hal"))
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE task SET assignee_id = ?", (person,))
    # assigning is not an input: the stored dates are fresh and read as stored
    assert assert_store_honest(ctx.db) == set()
    work = load_my_work(ctx.db, person, MONDAY)
    assert [(t.project_id, t.name, t.start) for t in work.tasks if t.project_id == a] == [
        (a, "Survey", MONDAY),
        (a, "Install", MONDAY + timedelta(days=1)),
    ]
    with ctx.db.engine.begin() as conn:  # raw: the project is now stale
        conn.exec_driver_sql(
            "INSERT INTO holiday (project_id, day, name) VALUES (?, ?, 'x')",
            (a, str(MONDAY + timedelta(days=1))),
        )
    work = load_my_work(ctx.db, person, MONDAY)
    install = next(t for t in work.tasks if t.project_id == a and t.name == "Install")
    assert install.start == MONDAY + timedelta(days=2)
    assert install.waiting_for == ("A-1 1 Survey",)


def test_a_0005_database_with_data_gets_right_stored_schedules(
    tmp_path: Path, db_path: Path
) -> None:
    old_path = tmp_path / "rev0005.db"
    db = open_database(sqlite_url(db_path))
    ctx = Context(db, "tester", clock=lambda: MONDAY)
    two_projects(ctx)
    expected = truth(db)
    db.dispose()
    shutil.copy(db_path, old_path)
    old = open_database(sqlite_url(old_path))
    try:
        from alembic import command

        from itpm_tui.storage.database import alembic_config

        command.downgrade(alembic_config(old), "0005")
        with old.engine.connect() as conn:
            tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert "schedulestate" not in tables and "taskschedule" not in tables
    finally:
        old.dispose()
    upgraded = open_database(sqlite_url(old_path))  # migrates, then stores once
    try:
        stored, stale = stored_fresh(upgraded)
        assert stale == set()
        assert stored == expected
        with upgraded.engine.connect() as conn:
            count = conn.exec_driver_sql("SELECT count(*) FROM taskschedule").scalar()
        assert count == 4
        migrate(upgraded)  # already at head: nothing changes
    finally:
        upgraded.dispose()


def test_itpm_my_answers_from_fresh_schedules_without_sqlalchemy(
    ctx: Context, db_path: Path
) -> None:
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.services.people import add_person

    a, _ = two_projects(ctx)
    person = add_person(ctx, PersonDraft(name="Hal", handle="hal"))
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE task SET assignee_id = ? WHERE project_id = ?", (person, a))
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['itpm', '--db', {str(db_path)!r}, 'my', '--as', 'hal']\n"
        "try:\n"
        "    runpy.run_module('itpm_tui', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('sqlalchemy loaded' if 'sqlalchemy' in sys.modules else 'no sqlalchemy')\n"
    )

    def my() -> tuple[list[str], str]:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "ITPM_TODAY": MONDAY.isoformat()},
        )
        lines = done.stdout.splitlines()
        return re.findall(r"(\d\d-\d\d)→", done.stdout), lines[-1]

    assert my() == (["03-16", "03-17"], "no sqlalchemy")
    with ctx.db.engine.begin() as conn:  # stale now: answered by scheduling, dates moved
        conn.exec_driver_sql(
            "INSERT INTO holiday (project_id, day, name) VALUES (NULL, '2026-03-16', 'x')"
        )
    assert my() == (["03-17", "03-18"], "sqlalchemy loaded")
    # the full path's open stored the stale schedules: the next answer is fast again
    assert my() == (["03-17", "03-18"], "no sqlalchemy")
