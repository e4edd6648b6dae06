"""Lags in working time typed as predecessors (`1FS+2h`, `2SS-30m`, `+1.5d`): stored with
their minutes, scheduled in working minutes, shown back as typed, and logged in words."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest
from test_task_cli import Run

from itpm_tui.queries.timeline import link_code, load_timeline
from itpm_tui.screens.timeline import _task_row
from itpm_tui.storage.database import open_database, sqlite_url


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    return Run(tmp_path / "lags.db", capsys, monkeypatch)


def test_lags_of_hours_from_an_empty_database(itpm: Run) -> None:
    itpm.ok("project", "add", "CUT-27", "Core switch cut-over", "--start", "2027-01-04")
    itpm.ok("task", "add", "CUT-27", "Backup configs", "--duration", "4h")
    itpm.ok("task", "add", "CUT-27", "Swap core", "--duration", "2h", "--after", "1FS+2h")
    itpm.ok("task", "add", "CUT-27", "Verify", "--duration", "1h", "--after", "2SS-30m")
    with sqlite3.connect(itpm.db) as conn:
        stored = conn.execute(
            "SELECT predecessor_id, successor_id, kind, lag_days, lag_minutes FROM dependency"
        ).fetchall()
        logged = [s for (s,) in conn.execute("SELECT summary FROM activity")]
    assert stored == [(1, 2, "FS", 0, 120), (2, 3, "SS", 0, -30)]
    assert "'Swap core' waits for task #1 (FS+2h)" in logged
    db = open_database(sqlite_url(itpm.db))
    timeline = load_timeline(db, 1)
    assert timeline is not None
    by_name = {t.name: t for t in timeline.tasks}
    swap, verify = by_name["Swap core"], by_name["Verify"]
    # 12:00 plus two working hours skips lunch: 15:00; Verify 30 minutes before that
    assert (swap.start_time, swap.finish_time) == (time(15), None)  # None: the day's end
    assert (verify.start_time, verify.finish_time) == (time(14, 30), time(15, 30))
    assert [p.code for p in swap.predecessors] == ["1FS+2h"]
    assert [p.code for p in verify.predecessors] == ["2SS-30m"]
    # the chart draws each as its share of the day: the morning, from 15:00, 14:30 to 15:30
    parts = [
        (row.start_part, row.finish_part)
        for row in (_task_row(t, date(2027, 1, 4), timeline.hours) for t in timeline.tasks)
    ]
    assert parts == [(None, 0.5), (0.75, None), (0.6875, 0.8125)]
    db.dispose()


def test_a_lag_changed_to_whole_days_forgets_its_minutes(itpm: Run) -> None:
    itpm.ok("project", "add", "CUT-27", "Core switch cut-over", "--start", "2027-01-04")
    itpm.ok("task", "add", "CUT-27", "Order", "--duration", "1")
    itpm.ok("task", "add", "CUT-27", "Install", "--duration", "1", "--after", "1FS+1.5d")
    with sqlite3.connect(itpm.db) as conn:
        assert conn.execute("SELECT lag_days, lag_minutes FROM dependency").fetchall() == [(1, 720)]
    assert itpm.refused("task", "add", "CUT-27", "Test", "--after", "2FS+4eh").startswith(
        "predecessors: '2FS+4eh' has a lag that is not working time"
    )


@pytest.mark.parametrize(
    ("lag", "minutes", "code"),
    [(0, None, "1.2"), (2, None, "1.2FS+2"), (0, 240, "1.2FS+4h"), (-1, -720, "1.2FS-1.5d")],
)
def test_links_are_written_as_the_predecessors_field_reads_them(
    lag: int, minutes: int | None, code: str
) -> None:
    assert link_code("1.2", "FS", lag, minutes) == code


def test_an_evening_cut_over_in_clock_time_from_the_command_line(itpm: Run) -> None:
    itpm.ok("project", "add", "CUT-27", "Core switch cut-over", "--start", "2027-01-04")
    itpm.ok("task", "add", "CUT-27", "Swap core", "--duration", "2h")
    # a task of working time may not start after hours; clock time may
    assert itpm.refused("task", "add", "CUT-27", "Patch", "--start-time", "19:00") == (
        "start time: 19:00 is outside the project's working hours (08:00-12:00,13:00-17:00)"
    )
    itpm.ok(
        "task", "add", "CUT-27", "Cut-over window", "--duration", "4eh", "--start-time",
        "19:00", "--after", "1",
    )  # fmt: skip
    itpm.ok("task", "add", "CUT-27", "Verify", "--duration", "1h", "--after", "2")
    with sqlite3.connect(itpm.db) as conn:
        row = conn.execute(
            "SELECT planned_start, planned_finish, work_minutes, start_time, is_elapsed "
            "FROM task WHERE name = 'Cut-over window'"
        ).fetchone()
    assert row == ("2027-01-04", "2027-01-04", 240, "19:00:00.000000", 1)
    db = open_database(sqlite_url(itpm.db))
    timeline = load_timeline(db, 1)
    assert timeline is not None
    by_name = {t.name: t for t in timeline.tasks}
    cut, verify = by_name["Cut-over window"], by_name["Verify"]
    assert (cut.start, cut.start_time, cut.finish, cut.finish_time) == (
        date(2027, 1, 4),
        time(19),
        date(2027, 1, 4),
        time(23),
    )
    assert cut.is_elapsed and cut.work_minutes == 240
    assert (verify.start, verify.start_time, verify.finish_time) == (
        date(2027, 1, 5),
        None,
        time(9),
    )
    db.dispose()
    # 4 clock hours from 22:00 end the next day
    itpm.ok("task", "set", "CUT-27", "2", "--start-time", "22:00")
    with sqlite3.connect(itpm.db) as conn:
        assert conn.execute(
            "SELECT planned_finish FROM task WHERE name = 'Cut-over window'"
        ).fetchone() == ("2027-01-05",)
