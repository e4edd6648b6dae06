"""The firewall replacement of docs/examples/branch-firewall.sh, run as a user runs it: the
shell script, one `itpm` process per command, on an empty database file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "docs" / "examples" / "branch-firewall.sh"


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_the_example_script_plans_and_tracks_a_project_from_nothing(tmp_path: Path) -> None:
    db = tmp_path / "branch.db"
    env = {**os.environ, "ITPM_DB": str(db), "ITPM": f"{sys.executable} -m itpm_tui"}
    done = subprocess.run(
        ["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # The plan as the Timeline schedules it: links push the work, the milestone ends it.
    assert "2.2  Stage and configure" in out
    assert "Percent complete: 68%" in out
    assert "Slip:             0 working days" in out
    assert "Branch internet" in out  # the cut-over night's window, in the report
    with sqlite3.connect(db) as conn:
        days = conn.execute("select day, remaining_hours from progresssnapshot order by day")
        history = [(day, hours / 100) for day, hours in days]
        budget = conn.execute("select sum(amount) from budgetline").fetchone()[0]
    assert history[0] == ("2026-03-02", 84.0) and history[-1] == ("2026-03-11", 28.8)
    assert len(history) == 8  # one point a day that someone reported progress
    assert budget == 26000 * 10000  # four lines, stored to the ten-thousandth
