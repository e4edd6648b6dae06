"""Downtime windows: the rules, the writes with their activity, stale edits, a window that
moves with its task (on every reader: the Timeline's model, the iCalendar export, reports),
and revision 0005 upgrading a 0004 database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import version_of
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, create_engine, select

from itpm_tui.domain.downtime import WindowDraft, read_window, shifted
from itpm_tui.domain.holidays import DayOff
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.formats.icalendar import export_ics, record_uid
from itpm_tui.queries.database_identity import database_uid
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.reports.data import gather
from itpm_tui.services.context import Context
from itpm_tui.services.downtime import add_window, remove_window, update_window
from itpm_tui.services.holidays import add_holidays, remove_holiday_on
from itpm_tui.services.outline_edits import add_task, delete_task
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import update_task
from itpm_tui.storage.backend import backend_for
from itpm_tui.storage.database import Database, head_revision, migrate, open_database, sqlite_url
from itpm_tui.storage.models import Activity, DowntimeWindow, Task

pytestmark = pytest.mark.both_backends

D = date
T = datetime


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {p.field: p.rule for p in exc.value.problems}


# -- rules ----------------------------------------------------------------------------------


def test_a_clean_window_is_trimmed() -> None:
    clean = read_window(
        WindowDraft("  Core switch ", "2026-03-20 22:00", "2026-03-21T02:00", " VPN,\n  WAN ")
    )
    assert (clean.title, clean.systems) == ("Core switch", "VPN, WAN")
    assert (clean.starts_at, clean.ends_at) == (T(2026, 3, 20, 22), T(2026, 3, 21, 2))


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (WindowDraft("", "2026-03-20 22:00", "2026-03-20 23:00"), {"title": "must not be empty"}),
        (WindowDraft("x" * 121, "2026-03-20 22:00", "2026-03-20 23:00"), {"title": "at most 120"}),
        (WindowDraft("t", "2026-03-20", "2026-03-20 23:00"), {"start": "YYYY-MM-DD HH:MM"}),
        (WindowDraft("t", "2026-03-20 22:00", ""), {"end": "is required"}),
        (WindowDraft("t", "2026-03-20 22:00", "2026-03-20 22:00"), {"end": "after the start"}),
        (
            WindowDraft("", "tomorrow", "2026-02-30 10:00", "s" * 301),
            {
                "title": "empty",
                "start": "'tomorrow'",
                "end": "'2026-02-30 10:00'",
                "systems": "300",
            },
        ),
    ],
)
def test_a_bad_window_names_every_field_and_rule(
    draft: WindowDraft, expected: dict[str, str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        read_window(draft)
    found = problems(caught)
    assert set(found) == set(expected)
    for field, needle in expected.items():
        assert needle in found[field]


moments = st.datetimes(min_value=T(2000, 1, 1), max_value=T(2100, 1, 1))
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1))


@given(moments, st.integers(1, 10_000), days, days)
def test_a_shifted_window_keeps_its_length_and_moves_as_its_task(
    start: datetime, minutes: int, anchor: date, task_start: date
) -> None:
    end = start + timedelta(minutes=minutes)
    new_start, new_end = shifted(start, end, anchor, task_start)
    assert new_end - new_start == end - start
    assert new_start - start == task_start - anchor
    assert (new_start.time(), new_end.time()) == (start.time(), end.time())
    assert shifted(start, end, None, task_start) == (start, end)
    assert shifted(start, end, anchor, None) == (start, end)


# -- writes ---------------------------------------------------------------------------------


def plan(ctx: Context) -> dict[str, int]:
    """An empty project given two linked tasks: "cut" waits for "prep"."""
    pid = create_project(ctx, ProjectDraft(code="DT-1", name="Downtime [test]"))
    prep = add_task(
        ctx, pid, TaskDraft("Prepare", planned_start=D(2026, 3, 23), planned_finish=D(2026, 3, 24))
    )
    cut = add_task(
        ctx,
        pid,
        TaskDraft("Cut-over", planned_start=D(2026, 3, 25), planned_finish=D(2026, 3, 25)),
        predecessors=[PredecessorRef(prep)],
    )
    return {"project": pid, "prep": prep, "cut": cut}


def activity(ctx: Context) -> list[Activity]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(Activity)
                .where(Activity.entity == "downtimewindow")
                .order_by(col(Activity.id))
            )
        )


def windows(ctx: Context, pid: int) -> list[tuple[str, datetime, datetime]]:
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    return [(w.title, w.starts_at, w.ends_at) for w in timeline.downtime]


def test_add_edit_remove_are_logged(ctx: Context) -> None:
    ids = plan(ctx)
    wid = add_window(
        ctx, ids["project"], WindowDraft("Core", "2026-03-25 22:00", "2026-03-26 02:00", "VPN")
    )
    assert windows(ctx, ids["project"]) == [("Core", T(2026, 3, 25, 22), T(2026, 3, 26, 2))]
    changed = update_window(
        ctx,
        wid,
        WindowDraft("Core switch", "2026-03-25 22:00", "2026-03-26 03:00", "VPN", approved=True),
        expected_version=1,
    )
    assert changed == ["title", "ends_at", "approved"]
    assert (
        update_window(
            ctx,
            wid,
            WindowDraft(
                "Core switch", "2026-03-25 22:00", "2026-03-26 03:00", "VPN", approved=True
            ),
            expected_version=2,
        )
        == []
    )
    assert remove_window(ctx, wid, expected_version=2) == "Core switch"
    assert windows(ctx, ids["project"]) == []
    log = activity(ctx)
    assert [(a.action, a.field) for a in log] == [
        ("create", ""),
        ("update", "title"),
        ("update", "ends_at"),
        ("update", "approved"),
        ("delete", ""),
    ]
    assert "added downtime window 'Core' 2026-03-25 22:00 – 2026-03-26 02:00 to DT-1" in (
        log[0].summary
    )
    assert (log[2].old_value, log[2].new_value) == ("2026-03-26 02:00", "2026-03-26 03:00")
    assert "removed downtime window 'Core switch'" in log[-1].summary


def test_a_refused_window_writes_nothing(ctx: Context) -> None:
    ids = plan(ctx)
    with pytest.raises(ValidationError, match="end: must be after the start"):
        add_window(ctx, ids["project"], WindowDraft("x", "2026-03-25 22:00", "2026-03-25 21:00"))
    other = create_project(ctx, ProjectDraft(code="DT-2", name="Other"))
    with pytest.raises(ValidationError, match="task: task #"):
        add_window(
            ctx, other, WindowDraft("x", "2026-03-25 22:00", "2026-03-25 23:00", task_id=ids["cut"])
        )
    assert windows(ctx, ids["project"]) == [] and activity(ctx) == []


def test_a_stale_edit_or_removal_is_refused(ctx: Context) -> None:
    ids = plan(ctx)
    draft = WindowDraft("Core", "2026-03-25 22:00", "2026-03-26 02:00")
    wid = add_window(ctx, ids["project"], draft)
    update_window(ctx, wid, WindowDraft("Core (colleague)", draft.starts_at, draft.ends_at), 1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        update_window(ctx, wid, WindowDraft("Mine", draft.starts_at, draft.ends_at), 1)
    with pytest.raises(ConflictError):
        remove_window(ctx, wid, expected_version=1)
    assert windows(ctx, ids["project"])[0][0] == "Core (colleague)"


def test_a_window_tied_to_a_task_moves_when_its_predecessor_slips(ctx: Context) -> None:
    ids = plan(ctx)
    pid = ids["project"]
    add_window(
        ctx,
        pid,
        WindowDraft("Cut", "2026-03-25 22:00", "2026-03-26 02:00", "WAN", task_id=ids["cut"]),
    )
    add_window(ctx, pid, WindowDraft("Loose", "2026-03-25 08:00", "2026-03-25 09:00"))
    with ctx.db.read() as session:
        prep = session.get(Task, ids["prep"])
        assert prep is not None
        version = prep.version
    # The predecessor takes three days longer: the cut-over (never edited itself) is pushed
    # from Wed 25th to Mon 30th through its link, and its window with it, times kept.
    update_task(
        ctx,
        ids["prep"],
        TaskDraft("Prepare", planned_start=D(2026, 3, 23), planned_finish=D(2026, 3, 27)),
        [],
        version,
    )
    assert windows(ctx, pid) == [
        ("Loose", T(2026, 3, 25, 8), T(2026, 3, 25, 9)),
        ("Cut", T(2026, 3, 30, 22), T(2026, 3, 31, 2)),
    ]


def test_a_pushed_task_carries_its_window_everywhere(ctx: Context) -> None:
    ids = plan(ctx)
    pid = ids["project"]
    wid = add_window(
        ctx,
        pid,
        WindowDraft("Cut", "2026-03-25 22:00", "2026-03-26 02:00", "WAN", task_id=ids["cut"]),
    )
    add_window(ctx, pid, WindowDraft("Loose", "2026-03-25 08:00", "2026-03-25 09:00"))
    with ctx.db.read() as session:
        stored = session.get(DowntimeWindow, wid)
        assert stored is not None and stored.anchor_start == D(2026, 3, 25)
    # The cut-over's day becomes a non-working day: it moves to the next one, Thu 26th.
    add_holidays(ctx, [DayOff(D(2026, 3, 25), "Closed")], pid)
    assert windows(ctx, pid) == [
        ("Loose", T(2026, 3, 25, 8), T(2026, 3, 25, 9)),
        ("Cut", T(2026, 3, 26, 22), T(2026, 3, 27, 2)),
    ]
    ics = export_ics(ctx.db, pid, now=T(2026, 3, 18, 9))
    uid = record_uid(database_uid(ctx.db), "downtime", wid)
    assert f"UID:{uid}\r\nDTSTAMP:20260318T090000Z\r\nDTSTART:20260326T220000" in ics
    assert "DTEND:20260327T020000" in ics
    report = gather(ctx.db, pid, D(2026, 3, 18))
    assert [(w.title, w.starts_at) for w in report.downtime] == [
        ("Loose", T(2026, 3, 25, 8)),
        ("Cut", T(2026, 3, 26, 22)),
    ]
    # Edited where it lies now, it is anchored again: moving nothing keeps it there.
    update_window(
        ctx,
        wid,
        WindowDraft("Cut", "2026-03-26 23:00", "2026-03-27 02:00", "WAN", task_id=ids["cut"]),
        version_of(ctx.db, DowntimeWindow, wid),
    )
    assert windows(ctx, pid)[1][1:] == (T(2026, 3, 26, 23), T(2026, 3, 27, 2))
    with ctx.db.read() as session:
        stored = session.get(DowntimeWindow, wid)
        assert stored is not None and stored.anchor_start == D(2026, 3, 26)
    # The task deleted, the window stays where it lies now, tied to nothing: the day off
    # removed again, it no longer follows.
    add_holidays(ctx, [DayOff(D(2026, 3, 26), "Closed too")], pid)
    assert windows(ctx, pid)[1][1] == T(2026, 3, 27, 23)
    delete_task(ctx, ids["cut"], version_of(ctx.db, Task, ids["cut"]))
    remove_holiday_on(ctx, D(2026, 3, 26), pid)
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    cut = next(w for w in timeline.downtime if w.id == wid)
    assert (cut.task_id, cut.starts_at, cut.ends_at) == (
        None,
        T(2026, 3, 27, 23),
        T(2026, 3, 28, 2),
    )
    assert activity(ctx)[-1].summary == (
        "downtime window 'Cut' stays at 2026-03-27 23:00 – 2026-03-28 02:00, its task deleted"
    )


# -- revision 0005 --------------------------------------------------------------------------


def test_windows_of_revision_0004_are_tied_to_no_task_and_start_at_version_1(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rev0004.db"
    url = sqlite_url(path)
    old = Database(url=url, engine=create_engine(url), backend=backend_for(url))
    try:
        migrate(old, "0004")
        with old.engine.begin() as conn:
            columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info('downtimewindow')")}
            assert not {"task_id", "anchor_start", "version"} & columns
            conn.exec_driver_sql(
                "INSERT INTO project (id, code, name, client, sponsor, phase, "
                "status, objective, scope, kpis, currency, signed_off_by, closing_override, "
                "lessons, archived, created_at, version) VALUES (1, 'OLD-1', 'Old', '', '', "
                "'planning', 'active', '', '', '', 'EUR', '', '', '', 0, "
                "'2026-01-05 09:00:00', 1)"
            )
            conn.exec_driver_sql(
                "INSERT INTO downtimewindow (project_id, title, starts_at, ends_at, systems, "
                "approved) VALUES (1, 'Old window', '2026-02-06 22:00:00.000000', "
                "'2026-02-07 02:00:00.000000', 'Mail', 1)"
            )
    finally:
        old.dispose()
    db = open_database(url)
    try:
        with db.read() as session:
            window = session.exec(select(DowntimeWindow)).one()
            version = (
                session.connection()
                .exec_driver_sql("SELECT version_num FROM alembic_version")
                .scalar()
            )
            fks = (
                session.connection()
                .exec_driver_sql("PRAGMA foreign_key_list('downtimewindow')")
                .all()
            )
        timeline = load_timeline(db, 1)
    finally:
        db.dispose()
    assert version == head_revision()
    assert (window.title, window.task_id, window.anchor_start, window.version) == (
        "Old window",
        None,
        None,
        1,
    )
    assert {(fk[2], fk[3], fk[6]) for fk in fks} == {
        ("project", "project_id", "CASCADE"),
        ("task", "task_id", "SET NULL"),
    }
    assert timeline is not None
    assert [(w.title, w.starts_at) for w in timeline.downtime] == [
        ("Old window", T(2026, 2, 6, 22))
    ]
