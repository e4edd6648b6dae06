"""`itpm my --ics`: my tasks and their downtime windows as a calendar, parsed back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_task_cli import Run

TODAY = "2026-03-18"
NAME = 'Patch; core, switch\\stack "A"'


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    run = Run(tmp_path / "plan.db", capsys, monkeypatch)
    run.ok("config", "set", "user", "ana", today=TODAY)  # the PM plans
    pm = ("--role", "pm", "--phone", "+49 30 1234", "--email", "ana@example.org")
    run.ok("person", "add", "Ana Berg", "--handle", "ana", *pm, today=TODAY)
    run.ok("person", "add", "Tom Reed", "--handle", "tom", "--role", "technician", today=TODAY)
    run.ok("person", "add", "Bob Net", "--handle", "bob", "--role", "technician", today=TODAY)
    start = ("--start", "2026-03-02", "--manager", "ana")
    run.ok("project", "add", "FW", "Firewall, Berlin", *start, today=TODAY)
    for args in (
        ("Rack the box", "--assignee", "tom", "--start", "2026-03-23", "--duration", "3d"),
        ("Cabling", "--assignee", "bob", "--start", "2026-03-23", "--duration", "1d"),
        (NAME, "--assignee", "tom", "--after", "2", "--estimate", "4"),
    ):
        run.ok("task", "add", "FW", *args, today=TODAY)
    window = ("FW", "Core off", "2026-03-25 22:00", "2026-03-25 23:30", "--task", "3")
    run.ok("downtime", "add", *window, today=TODAY)
    run.ok(
        "downtime",
        "add",
        "FW",
        "Bob's window",
        "2026-03-26 22:00",
        "2026-03-26 23:00",
        "--task",
        "2",
        today=TODAY,
    )
    run.ok("config", "set", "user", "tom", today=TODAY)  # then Tom looks at his work
    return run


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def short(uid: str) -> str:
    """ "task-1" of a UID "task-1-<the database's UUID>@itpm"."""
    found = re.fullmatch(r"([a-z]+-\d+)-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}@itpm", uid)
    assert found, uid
    return found.group(1)


def events(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {property (with its parameters): value}."""
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    return found


def test_my_tasks_are_all_day_events_and_their_windows_timed(itpm: Run) -> None:
    text = itpm.ok("my", "--ics", today=TODAY)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    by_uid = {short(e["UID"]): e for e in events(text)}
    assert set(by_uid) == {"task-1", "task-3", "downtime-1"}  # not Bob's
    rack = by_uid["task-1"]
    assert rack["SUMMARY"] == "FW 1 Rack the box"
    assert rack["DTSTART;VALUE=DATE"] == "20260323"
    assert rack["DTEND;VALUE=DATE"] == "20260326"  # the day after the finish
    about = unescape(rack["DESCRIPTION"])
    assert "Project: FW Firewall, Berlin." in about
    assert "Project manager: Ana Berg, +49 30 1234, ana@example.org." in about
    patch = by_uid["task-3"]
    assert unescape(patch["SUMMARY"]) == f"FW 3 {NAME}"
    assert "Waiting: waits for FW 2 Cabling; downtime Core off" in unescape(patch["DESCRIPTION"])
    window = by_uid["downtime-1"]
    assert (window["DTSTART"], window["DTEND"]) == ("20260325T220000", "20260325T233000")
    assert window["STATUS"] == "TENTATIVE"
    assert unescape(window["SUMMARY"]) == "FW downtime: Core off"


def test_text_is_escaped_so_it_reads_back_exactly(itpm: Run) -> None:
    itpm.ok("task", "block", "FW", "3", "--reason", "badge; ask security, room\\2", today=TODAY)
    text = itpm.ok("my", "--ics", today=TODAY)
    raw = {short(e["UID"]): e for e in events(text)}["task-3"]
    assert raw["SUMMARY"] == 'FW 3 Patch\\; core\\, switch\\\\stack "A"'
    assert "blocked: badge; ask security, room\\2" in unescape(raw["DESCRIPTION"])


def test_exporting_again_keeps_every_uid_so_a_calendar_updates(itpm: Run) -> None:
    first = events(itpm.ok("my", "--ics", today=TODAY))
    itpm.ok("task", "start", "FW", "1", today=TODAY)
    itpm.ok("config", "set", "user", "ana", today=TODAY)
    itpm.ok("task", "set", "FW", "1", "--start", "2026-03-24", today=TODAY)
    itpm.ok("config", "set", "user", "tom", today=TODAY)
    second = events(itpm.ok("my", "--ics", today=TODAY))
    assert [e["UID"] for e in first] == [e["UID"] for e in second]
    rack = next(e for e in second if short(e["UID"]) == "task-1")
    assert rack["DTSTART;VALUE=DATE"] == "20260324"


def test_a_window_has_the_same_uid_as_in_the_project_calendar(itpm: Run) -> None:
    mine = {e["UID"] for e in events(itpm.ok("my", "--ics", today=TODAY))}
    project = {e["UID"] for e in events(itpm.ok("export", "FW", "--format", "ics", today=TODAY))}
    assert {short(uid) for uid in mine & project} == {"downtime-1"}


def test_output_file_and_bad_combinations(itpm: Run, tmp_path: Path) -> None:
    target = tmp_path / "tom.ics"
    assert itpm.ok("my", "--ics", "-o", str(target), today=TODAY) == ""
    assert target.read_bytes().decode().startswith("BEGIN:VCALENDAR\r\n")
    assert "choose one" in itpm.refused("my", "--ics", "--json", today=TODAY)
    assert "--output" in itpm.refused("my", "-o", str(tmp_path / "x"), today=TODAY)


def test_nothing_assigned_is_an_empty_calendar(itpm: Run) -> None:
    itpm.ok("config", "set", "user", "ana", today=TODAY)
    text = itpm.ok("my", "--ics", today=TODAY)
    assert events(text) == [] and unfold(text)[-1] == "END:VCALENDAR"
