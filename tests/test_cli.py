"""The `itpm` command run as a user runs it: a real process, its exit status and stderr."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_tui import __version__


def itpm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_version_and_help() -> None:
    assert itpm("--version").stdout.strip() == f"itpm, version {__version__}"
    help_text = itpm("--help").stdout
    for command in ("demo", "export", "import", "config"):
        assert command in help_text


def test_unknown_command_and_option_are_one_line_errors() -> None:
    assert_one_line_error(itpm("frobnicate"), "No such command")
    assert_one_line_error(itpm("demo", "--bogus"), "No such option")


def test_not_a_database_exits_2_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database at all\n" * 50)
    before = path.read_bytes()
    assert_one_line_error(itpm("--db", str(path), "export"), "not a SQLite database")
    assert path.read_bytes() == before


def test_config_path_show_and_set(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    env = {"ITPM_CONFIG": str(cfg)}
    assert itpm("config", "path", env=env).stdout.strip() == str(cfg)
    assert itpm("config", "set", "refresh_seconds", "3", env=env).returncode == 0
    assert "refresh_seconds = 3.0" in itpm("config", "show", env=env).stdout
    before = cfg.read_bytes()
    assert_one_line_error(
        itpm("config", "set", "refresh_seconds", "soon", env=env), "refresh_seconds"
    )
    assert_one_line_error(itpm("config", "set", "flavour", "x", env=env), "unknown key")
    assert cfg.read_bytes() == before


def test_malformed_config_is_reported_with_its_line(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('user = "ana"\ncurrency = [\n')
    before = cfg.read_bytes()
    assert_one_line_error(itpm("config", "show", env={"ITPM_CONFIG": str(cfg)}), "line")
    assert cfg.read_bytes() == before


def test_demo_export_import_round_trip(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    out = tmp_path / "portfolio.json"
    assert itpm("demo", "--db", str(first)).returncode == 0
    assert_one_line_error(itpm("demo", "--db", str(first)), "--force")
    assert itpm("demo", "--db", str(first), "--force").returncode == 0
    assert itpm("--db", str(first), "export", "--format", "json", "-o", str(out)).returncode == 0
    data = json.loads(out.read_text())
    assert len(data["projects"]) >= 6
    result = itpm("--db", str(second), "import", str(out))
    assert result.returncode == 0, result.stderr
    again = json.loads(itpm("--db", str(second), "export").stdout)
    assert len(again["projects"]) == len(data["projects"])


def test_bad_import_reports_rows_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    result = itpm("--db", str(db), "import", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "line 1" in result.stderr


def test_an_import_whose_links_form_a_cycle_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    db, plan = tmp_path / "a.db", tmp_path / "plan.json"
    tasks = [{"id": n, "project_id": 1, "name": name} for n, name in ((1, "Patch"), (2, "Reboot"))]
    links = [{"id": 1, "predecessor_id": 1, "successor_id": 2}]
    links.append({"id": 2, "predecessor_id": 2, "successor_id": 1, "kind": "SS"})
    project = {"id": 1, "code": "OPS-7", "name": "Patch night"}
    document = {"format": "itpm-portfolio", "version": 1, "projects": [project]}
    plan.write_text(json.dumps({**document, "tasks": tasks, "dependencies": links}))
    result = itpm("--db", str(db), "import", str(plan))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "dependencies: project OPS-7: the links form a dependency cycle: Patch (task 1) → "
        "Reboot (task 2) → Patch (task 1)"
    ) in result.stderr
    if db.exists():
        with sqlite3.connect(db) as conn:
            assert conn.execute("select count(*) from project").fetchone() == (0,)


@pytest.mark.parametrize("name", ["plan.txt", "missing.json"])
def test_import_of_unreadable_files_is_refused(tmp_path: Path, name: str) -> None:
    result = itpm("--db", str(tmp_path / "a.db"), "import", str(tmp_path / name))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_mspdi_plan_imports_and_exports(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    plan = Path(__file__).parent / "data" / "mspdi" / "office_move.xml"
    result = itpm("--db", str(db), "import", str(plan), "--code", "MOVE-1")
    assert result.returncode == 0, result.stderr
    assert "MOVE-1" in result.stdout
    out = tmp_path / "out.xml"
    assert (
        itpm("--db", str(db), "export", "MOVE-1", "--format", "mspdi", "-o", str(out)).returncode
        == 0
    )
    assert b"<Project" in out.read_bytes()
    assert_one_line_error(itpm("--db", str(db), "export", "NOPE", "--format", "mspdi"), "NOPE")
    assert_one_line_error(itpm("--db", str(db), "export", "--format", "mspdi"), "code")


def test_malformed_plan_is_refused(tmp_path: Path) -> None:
    plan = Path(__file__).parent / "data" / "mspdi" / "not_xml.xml"
    result = itpm("--db", str(tmp_path / "a.db"), "import", str(plan))
    assert_one_line_error(result)


def test_dashboard_refuses_a_bad_file_before_opening_the_screen(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    shutil.copy(Path(__file__).parent / "data" / "itpm-rev0001.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = path.read_bytes()
    assert_one_line_error(itpm("--db", str(path)), "newer release of itpm")
    assert path.read_bytes() == before


def test_ledger_csv_import(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert itpm("demo", "--db", str(db)).returncode == 0
    data = Path(__file__).parent / "data" / "ledger"
    result = itpm(
        "--db",
        str(db),
        "import",
        str(data / "bank-comma.csv"),
        "--project",
        "FW-26",
        "--category",
        "hardware",
    )
    assert result.returncode == 0, result.stderr
    assert "ledger entries" in result.stdout
    assert_one_line_error(
        itpm("--db", str(db), "import", str(data / "bank-comma.csv")), "--project"
    )
    bad = itpm("--db", str(db), "import", str(data / "bad-rows.csv"), "--project", "FW-26")
    assert bad.returncode == 2 and "line 3" in bad.stderr and "Traceback" not in bad.stderr


def test_a_command_leaves_the_database_whole_in_its_file(tmp_path: Path) -> None:
    """A command closes the database as it ends, on success and on failure: SQLite folds its
    write-ahead log into the file and removes it, so the file copied or moved right after
    holds what was written (the loaded modules are never collected at exit, so nothing else
    would close it)."""
    db = tmp_path / "work.db"
    env = {"ITPM_CONFIG": str(tmp_path / "none.toml")}
    assert itpm("--db", str(db), "project", "add", "FW", "Firewall", env=env).returncode == 0
    assert_one_line_error(itpm("--db", str(db), "project", "add", "FW", "Again", env=env))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.db"]
    moved = db.rename(tmp_path / "moved.db")
    with sqlite3.connect(moved) as con:
        assert con.execute("SELECT code FROM project").fetchall() == [("FW",)]
