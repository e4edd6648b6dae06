"""`itpm my` and `itpm task start|done|block|unblock` through `main([...])`, from an empty file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_task_cli import Run

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-03-18"


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    run = Run(tmp_path / "plan.db", capsys, monkeypatch)
    run.ok("config", "set", "user", "ana", today=TODAY)
    run.ok("project", "add", "FW", "Firewall", "--start", "2026-03-02", today=TODAY)
    run.ok("person", "add", "Ana Tech", "--handle", "ana", today=TODAY)
    run.ok("person", "add", "Bob Net", "--handle", "bob", today=TODAY)
    for args in (
        ("Rack the box", "--assignee", "ana", "--start", "2026-03-09", "--duration", "2d"),
        ("Cabling", "--assignee", "bob", "--duration", "5d"),
        ("Cut over", "--assignee", "ana", "--after", "2", "--estimate", "4"),
    ):
        run.ok("task", "add", "FW", *args, today=TODAY)
    return run


def test_my_lists_the_config_users_open_tasks_late_first(itpm: Run) -> None:
    lines = itpm.ok("my", today=TODAY).splitlines()
    assert lines[0].startswith("Ana Tech (ana): 2 open tasks")
    assert lines[1].startswith("! · todo") and "FW 1 Rack the box" in lines[1]
    assert "FW 3 Cut over" in lines[2]
    assert lines[3].strip() == "waits for FW 2 Cabling"
    assert all(len(line) <= 80 for line in lines)
    assert "Cabling" not in lines[1] + lines[2]  # Bob's work is not Ana's


def test_as_someone_else(itpm: Run) -> None:
    out = itpm.ok("my", "--as", "bob", today=TODAY)
    assert out.splitlines()[0].startswith("Bob Net (bob): 1 open task ")
    assert "FW 2 Cabling" in out


def test_json_shape(itpm: Run) -> None:
    itpm.ok("task", "block", "FW", "3", "--reason", "no badge", today=TODAY)
    doc = json.loads(itpm.ok("my", "--json", today=TODAY))
    assert doc["format"] == "itpm-my/1"
    assert doc["person"] == {"id": 1, "name": "Ana Tech", "handle": "ana"}
    first, second = doc["tasks"]
    assert set(first) == {
        "id", "project", "wbs", "name", "status", "late", "group", "start", "finish",
        "actual_finish", "percent", "remaining_hours", "blocked_reason", "waiting_for",
        "downtime",
    }  # fmt: skip
    assert (first["wbs"], first["late"], first["group"]) == ("1", True, "late")
    assert second["status"] == "blocked" and second["blocked_reason"] == "no badge"
    assert second["waiting_for"] == ["FW 2 Cabling"]


def test_quick_updates_and_all_shows_recent_done_work(itpm: Run) -> None:
    assert "status" in itpm.ok("task", "start", "FW", "1", "--note", "on site", today=TODAY)
    itpm.ok("task", "done", "FW", "1", today=TODAY)
    assert "Rack the box" not in itpm.ok("my", today=TODAY)
    out = itpm.ok("my", "--all", today=TODAY)
    assert "✓ done" in out and "Rack the box" in out
    itpm.ok("task", "block", "FW", "3", "--reason", "no badge", today=TODAY)
    assert "blocked: no badge" in itpm.ok("my", today=TODAY)
    itpm.ok("task", "unblock", "FW", "3", today=TODAY)
    assert "■ blocked" not in itpm.ok("my", today=TODAY)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("my", "--as", "zed"), "itpm person add NAME --handle zed"),
        (("task", "block", "FW", "3"), "reason: is required"),
        (("task", "block", "FW", "3", "--reason", "  "), "reason: is required"),
        (("task", "start", "FW", "9"), "there is no task 9 in FW"),
        (("task", "start", "NOPE", "1"), "no project with code 'NOPE'"),
        (("task", "unblock", "FW", "1"), "not blocked"),
        (("task", "start", "FW", "1", "--reason", "x"), "only block takes a reason"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    itpm: Run, args: tuple[str, ...], words: str
) -> None:
    assert words in itpm.refused(*args, today=TODAY)


def test_nobody_matches_the_config_user(itpm: Run) -> None:
    itpm.ok("config", "set", "user", "root", today=TODAY)
    line = itpm.refused("my", today=TODAY)
    assert "config key 'user'" in line and "itpm person add" in line


def test_itpm_my_never_loads_textual() -> None:
    probe = (
        "import sys\nfrom itpm_tui.cli import my\nimport itpm_tui.queries.my_work\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert not {m for m in out.stdout.split() if m.split(".")[0] in ("textual", "rich")}
