"""Every `itpm` command once on a PostgreSQL database holding the demo, beside the same
command on a SQLite file holding the same demo: the same exit status and the same output
(clock readings aside), never a traceback; the writes end with both databases exporting
the same portfolio.

The dashboard and the stand-up kiosk are driven on a server by `test_dashboard_postgres`;
`serve` is started here and its page fetched.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, _postgres_database, run_cli

from itpm_tui.storage.database import head_revision, sqlite_url
from tests.postgres import Cluster


@dataclass(frozen=True)
class Pair:
    sqlite: str  # the path of a SQLite file holding the demo
    server: str  # the URL of a PostgreSQL database holding the same demo
    folder: Path


@pytest.fixture
def pair(
    tmp_path: Path,
    _templates: dict[str, Path],
    postgres_cluster: Cluster,
    _postgres_templates: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Pair]:
    monkeypatch.setenv("ITPM_TODAY", TODAY.isoformat())
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "demo.db"
    shutil.copyfile(_templates["demo"], path)
    with _postgres_database(postgres_cluster, _postgres_templates, "demo") as url:
        yield Pair(str(path), url, tmp_path)


#: Clock readings, which differ between any two runs: the export's time, an activity's
#: or a row's time of day (the demo's own entry and every write's), an iCalendar stamp; and
#: what differs between any two databases: their identity in exported UIDs.
_CLOCK = [
    (re.compile(r'"exported_at": "[^"]*"'), '"exported_at": ""'),
    (re.compile(r'"(at|created_at)": "(\d{4}-\d\d-\d\d)T[^"]*"'), r'"\1": "\2"'),
    (re.compile(r"^DTSTAMP:.*$", re.M), "DTSTAMP:"),
    # each database's own identity, in the UIDs of exported events and cards
    (re.compile(r"^(UID:[a-z]+-\d+-)[0-9a-f-]{36}@itpm", re.M), r"\1DB@itpm"),
    (re.compile(r"^UID:urn:uuid:[0-9a-f-]{36}", re.M), "UID:urn:uuid:"),
]


def unclocked(text: str) -> str:
    for pattern, replacement in _CLOCK:
        text = pattern.sub(replacement, text)
    return text


def itpm(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str]:
    """`itpm --db DB ARGS` in this process: its status and its output (stdout then
    stderr), the database named as `DB` whichever it is."""
    code, out, err = run_cli(capsys, "--db", db, *args)
    assert "Traceback" not in out + err, out + err
    return code, unclocked(out + err).replace(db, "DB").replace(sqlite_url(Path(db)), "DB")


def same(capsys: pytest.CaptureFixture[str], pair: Pair, *args: str, status: int = 0) -> str:
    """Run `args` on both databases: the same status (`status`) and the same output."""
    on_sqlite = itpm(capsys, pair.sqlite, *args)
    on_server = itpm(capsys, pair.server, *args)
    if on_server != on_sqlite:
        lines = difflib.unified_diff(
            on_sqlite[1].splitlines(), on_server[1].splitlines(), "SQLite", "PostgreSQL", n=0
        )
        shown = "\n".join(list(lines)[:40])
        raise AssertionError(f"itpm {' '.join(args)}: {on_sqlite[0]} / {on_server[0]}\n{shown}")
    assert on_server[0] == status, on_server[1]
    return on_server[1]


READS = [
    ("person", "list"),
    ("person", "list", "--all"),
    ("task", "list", "FW-26"),
    ("task", "list", "VOIP-25", "--mine", "sofia"),
    ("my", "--as", "emma"),
    ("my", "--as", "priya", "--all", "--json"),
    ("my", "--as", "priya", "--ics"),
    ("changes",),
    ("changes", "--since", "2026-03-01", "--format", "json"),
    ("changes", "--project", "FW-26", "--person", "ana", "--format", "md"),
    ("downtime", "list", "FW-26"),
    ("holidays", "list"),
    ("export", "--format", "json"),
    ("export", "FW-26", "--format", "mspdi"),
    ("export", "FW-26", "--format", "vcard"),
    ("export", "FW-26", "--format", "ics"),
    ("report", "FW-26"),
    ("report", "VOIP-25", "--format", "md", "--audience", "technical"),
    ("report", "FW-26", "--format", "html", "--closing", "--as-of", "2026-03-13"),
    ("config", "show"),
]


def test_every_read_command_prints_the_same_on_both(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in READS:
        shown = same(capsys, pair, *args)
        assert shown.strip(), f"itpm {' '.join(args)} printed nothing"
    assert "Penetration test of the new edge" in same(capsys, pair, "task", "list", "FW-26")
    for args in (("whoami",), ("--as", "emma", "whoami")):  # a server names its login
        code, shown = itpm(capsys, pair.server, *args)
        assert code == 0 and "login: 'tester', the database's" in shown


WRITES = [
    ("person", "add", "Zoe Zed", "--handle", "zoe", "--role", "technician", "--rate", "50"),
    ("project", "add", "NEW-1", "New thing", "--start", "2026-03-23", "--manager", "ana"),
    ("task", "add", "NEW-1", "Kick-off", "--duration", "2d", "--assignee", "zoe"),
    ("task", "add", "NEW-1", "Build", "--duration", "3d", "--after", "1", "--estimate", "8h"),
    ("task", "add", "NEW-1", "Spare", "--parent", "2", "--duration", "1d"),
    ("task", "set", "NEW-1", "1", "--percent", "50", "--note", "halfway"),
    ("task", "start", "FW-26", "3.4"),
    ("task", "block", "FW-26", "3.4", "--reason", "waiting for tokens"),
    ("task", "unblock", "FW-26", "3.4"),
    ("task", "done", "FW-26", "2.5"),
    ("budget", "set", "NEW-1", "labour", "1500.25"),
    ("budget", "set", "FW-26", "hardware", "48000"),
    ("baseline", "set", "NEW-1"),
    ("downtime", "add", "NEW-1", "Cut-over", "2026-03-28 22:00", "2026-03-29 02:00"),
    ("downtime", "rm", "NEW-1", "8"),
    ("holidays", "add", "2026-12-24", "--name", "Eve"),
    ("holidays", "add", "2026-12-31", "--name", "Year end", "--project", "NEW-1"),
    ("holidays", "rm", "2026-12-24"),
    ("import", "plan.xml", "--code", "PLAN-2"),
    ("import", "costs.csv", "--project", "NEW-1", "--category", "hardware"),
    ("task", "rm", "NEW-1", "2.1", "--yes"),  # last: SQLite gives a deleted last id again
]


def test_every_write_command_does_the_same_on_both(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        itpm(capsys, pair.sqlite, "export", "FW-26", "--format", "mspdi", "-o", "plan.xml")[0] == 0
    )
    (pair.folder / "costs.csv").write_text("date,description,amount\n2026-03-10,Cable,120.50\n")
    (pair.folder / "closures.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:1@t\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261228\r\n"
        "DTEND;VALUE=DATE:20261230\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for args in [*WRITES, ("holidays", "import", "closures.ics")]:
        same(capsys, pair, *args)
    same(capsys, pair, "task", "block", "NEW-1", "1", status=2)  # no reason: refused alike
    same(capsys, pair, "task", "rm", "NEW-1", "2", status=2)  # no --yes: says what would go
    shown = same(capsys, pair, "task", "list", "NEW-1")
    assert "Kick-off" in shown and "Spare" not in shown
    assert "Closed" in same(capsys, pair, "holidays", "list")
    assert "zoe" in same(capsys, pair, "person", "list")
    assert "waiting for tokens" in same(capsys, pair, "changes", "--project", "FW-26")
    exported = same(capsys, pair, "export", "--format", "json")
    assert "PLAN-2" in exported and "1500.25" in exported


def test_database_commands_on_a_server(
    pair: Pair, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """upgrade (nothing to do), copy both ways, backup (the server's tool is named),
    import and demo into an empty database."""
    code, said = itpm(capsys, pair.server, "db", "upgrade")
    assert code == 0 and f"schema {head_revision()}," in said, said
    copy = str(pair.folder / "copy.db")
    code, out, err = run_cli(capsys, "db", "copy", pair.server, copy)
    assert code == 0 and "copied" in out, err
    assert itpm(capsys, copy, "export", "--format", "json") == itpm(
        capsys, pair.server, "export", "--format", "json"
    )
    code, out, err = run_cli(capsys, "db", "copy", copy, postgres_url)
    assert code == 0 and "copied" in out, err
    assert itpm(capsys, postgres_url, "export", "--format", "json")[1] == unclocked(
        itpm(capsys, copy, "export", "--format", "json")[1]
    )
    code, said = itpm(capsys, pair.server, "db", "backup", "backup.dump")
    assert code == 2 and "pg_dump" in said and said.count("\n") == 1
    code, said = itpm(capsys, pair.server, "doctor")
    assert code == 0 and "all fine" in said


def test_import_and_demo_into_empty_server_databases(
    pair: Pair,
    postgres_cluster: Cluster,
    _postgres_templates: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert itpm(capsys, pair.server, "export", "--format", "json", "-o", "portfolio.json")[0] == 0
    with _postgres_database(postgres_cluster, _postgres_templates, "empty") as empty:
        code, said = itpm(capsys, empty, "import", "portfolio.json")
        assert code == 0 and "7 projects" in said, said
        imported = json.loads(itpm(capsys, empty, "export", "--format", "json")[1])
        source = json.loads(unclocked((pair.folder / "portfolio.json").read_text()))
        for table in set(source) - {"exported_at", "activity"}:
            assert imported[table] == source[table], table
    with _postgres_database(postgres_cluster, _postgres_templates, "empty") as empty:
        code, said = itpm(capsys, empty, "demo")
        assert code == 0, said
        code, listed = itpm(capsys, empty, "task", "list", "FW-26")
        assert code == 0 and "Penetration test of the new edge" in listed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_a_server_database(pair: Pair) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "--db", pair.server, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = _fetch(f"http://127.0.0.1:{port}/", server)
        assert f"ws://127.0.0.1:{port}/ws" in page
    finally:
        server.terminate()
        said = server.communicate(timeout=20)[0]
    assert "Traceback" not in said


def _fetch(url: str, server: subprocess.Popen[Any]) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_json_export_of_both_is_one_portfolio(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not only the same text: the same rows, ids and money (a check on `same`)."""
    sqlite = json.loads(itpm(capsys, pair.sqlite, "export", "--format", "json")[1])
    server = json.loads(itpm(capsys, pair.server, "export", "--format", "json")[1])
    assert server == sqlite and len(server["projects"]) == 7
