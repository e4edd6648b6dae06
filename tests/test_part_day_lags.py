"""Lags in working time typed as predecessors (`1FS+2h`, `2SS-30m`, `+1.5d`): stored with
their minutes, scheduled in working minutes, shown back as typed, and logged in words."""

from __future__ import annotations

import sqlite3
from datetime import time
from pathlib import Path

import pytest
from test_task_cli import Run

from itpm_tui.queries.timeline import link_code, load_timeline
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
