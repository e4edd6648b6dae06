"""`itpm db copy` and `itpm db backup`: a portfolio moved between databases with an identical
export, a refused target left as it was, a backup consistent while another process writes,
the progress line on a terminal, and every bad argument one line with exit status 2."""

from __future__ import annotations

import hashlib
import os
import pty
import select
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import run_cli as run
from sqlalchemy import create_engine, text

from itpm_tui.services.context import Context
from itpm_tui.storage.backend import backend_for
from itpm_tui.storage.database import Database, migrate, open_database, sqlite_url
from itpm_tui.storage.location import head_revision
from itpm_tui.storage.transfer import copy_database

ROOT = Path(__file__).resolve().parents[1]


def one_line_error(result: tuple[int, str, str], *needles: str) -> str:
    code, _, err = result
    assert code == 2, result
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def exported(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    """`itpm export --format json` of the database at `path`, without its time stamp."""
    code, out, err = run(capsys, "--db", str(path), "export", "--format", "json")
    assert code == 0, err
    lines = out.splitlines()
    assert sum('"exported_at"' in line for line in lines) == 1
    return "\n".join(line for line in lines if '"exported_at"' not in line)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def source(demo_ctx: Context, db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The demo portfolio, with a task whose parent has a higher id (a parent added after
    its child): the copy must not write the child before its parent exists."""
    for name in ("Child added first", "Parent added later"):
        code, _, err = run(capsys, "--db", str(db_path), "task", "add", "FW-26", name)
        assert code == 0, err
    with sqlite3.connect(db_path) as conn:
        (child,), (parent,) = conn.execute(
            "SELECT id FROM task WHERE name LIKE '% added %' ORDER BY id"
        ).fetchall()
        conn.execute("UPDATE task SET parent_id = ? WHERE id = ?", (parent, child))
    demo_ctx.db.dispose()  # the file alone, as another user's command would find it
    return db_path


def test_sqlite_to_sqlite_gives_an_identical_export(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new" / "copy.db"
    before = digest(source)
    code, out, err = run(capsys, "db", "copy", str(source), str(target))
    assert code == 0, err
    assert out.startswith("copied ") and "rows of 16 tables" in out, out
    assert err == "", "no progress line when stderr is not a terminal"
    assert digest(source) == before, "the source is only read"
    assert exported(capsys, target) == exported(capsys, source)
    assert target.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(target) as conn:  # the target computed its own stored schedules
        stale = conn.execute(
            "SELECT count(*) FROM schedulestate WHERE inputs_revision != scheduled_revision"
        ).fetchone()
        projects = conn.execute("SELECT count(*) FROM project").fetchone()
        stored = conn.execute("SELECT count(*) FROM schedulestate").fetchone()
    assert stale == (0,) and stored == projects


def test_the_copy_keeps_every_id_the_history_and_exact_money(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    report = copy_database(sqlite_url(source), sqlite_url(target))
    queries = {
        "activity": "SELECT id, at, user, entity, entity_id, action, summary FROM activity",
        "ledger": "SELECT id, project_id, amount FROM ledgerentry",
        "tasks": "SELECT id, parent_id, project_id, wbs, name FROM task",
    }
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        for query in queries.values():
            rows = old.execute(f"{query} ORDER BY id").fetchall()
            assert rows and new.execute(f"{query} ORDER BY id").fetchall() == rows
        (activity,) = old.execute("SELECT count(*) FROM activity").fetchone()
    assert report.rows["activity"] == activity > 0
    assert list(report.rows)[:2] == ["person", "stakeholder"]  # referenced tables first


def test_a_target_holding_anything_is_refused_untouched(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "used.db"
    code, _, err = run(capsys, "--db", str(target), "person", "add", "Ann", "--handle", "ann")
    assert code == 0, err
    before = digest(target)
    line = one_line_error(run(capsys, "db", "copy", str(source), str(target)), "not empty")
    assert str(target) in line
    assert digest(target) == before


def test_a_failed_copy_writes_nothing_and_leaves_no_new_file(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row the target refuses half-way (a task of a project that is not there, written
    by a tool that left foreign keys off) rolls the whole copy back."""
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE task SET project_id = 999 WHERE id = (SELECT max(id) FROM task)")
    target = tmp_path / "new" / "copy.db"
    one_line_error(run(capsys, "db", "copy", str(source), str(target)), "FOREIGN KEY")
    assert not target.parent.exists(), "the file and the folder made for it are taken back"


def test_an_empty_sqlite_target_at_an_older_schema_is_migrated(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "old.db"
    url = sqlite_url(target)
    backend = backend_for(url)
    old = Database(url, backend.open(url)[0], backend)
    migrate(old, "0005")
    old.dispose()
    code, _, err = run(capsys, "db", "copy", str(source), str(target))
    assert code == 0, err
    assert exported(capsys, target) == exported(capsys, source)


def test_bad_arguments_are_one_line_and_exit_2(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "t.db"
    one_line_error(run(capsys, "db", "copy", str(source)), "Missing argument 'TARGET'")
    one_line_error(run(capsys, "db", "copy", str(tmp_path / "nope.db"), str(target)), "no database")
    one_line_error(run(capsys, "db", "copy", str(source), str(source)), "both the source")
    line = one_line_error(run(capsys, "db", "copy", str(source), "mysql://u:secret@h/db"), "mysql")
    assert "secret" not in line
    assert not target.exists()
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 40)
    one_line_error(run(capsys, "db", "copy", str(notes), str(target)), "not a SQLite database")
    nothing = tmp_path / "nothing.db"
    nothing.touch()
    one_line_error(run(capsys, "db", "copy", str(nothing), str(target)), "no itpm database")
    assert not target.exists()
    empty = tmp_path / "empty.db"
    open_database(sqlite_url(empty)).dispose()
    with sqlite3.connect(empty) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0005'")
    line = one_line_error(run(capsys, "db", "copy", str(empty), str(target)), "itpm db upgrade")
    assert "schema 0005" in line
    with sqlite3.connect(empty) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (head_revision(),))
        conn.execute("CREATE TABLE notes (id INTEGER)")
    one_line_error(run(capsys, "db", "copy", str(empty), str(target)), "does not know (notes)")
    assert not target.exists()


def test_the_progress_line_shows_on_a_terminal_and_is_erased(source: Path, tmp_path: Path) -> None:
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "db", "copy", str(source), str(tmp_path / "t.db")],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    shown = b""
    while select.select([master], [], [], 60)[0]:
        try:
            piece = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not piece:
            break
        shown += piece
    out, _ = child.communicate(timeout=60)
    os.close(master)
    assert child.returncode == 0, shown
    assert b"\rcopying: " in shown and b" rows, person" in shown, shown
    assert b"\x1b" not in shown, "plain text: no escape sequence"
    last = shown.rsplit(b"\r", 2)
    assert last[-1] == b"" and last[-2].strip() == b"", "the line is blanked at the end"
    assert out.startswith(b"copied ")


# --- backup -------------------------------------------------------------------------------

#: Another process writing as fast as it can: each transaction adds one activity row and
#: writes the number of such rows into a person's name. Any snapshot of a consistent file
#: has the two agree; a torn copy would not.
WRITER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    n = 0
    stop = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < stop:
        n += 1
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO activity (at, user, entity, action, field, old_value, new_value,"
            " summary) VALUES ('2026-03-18 10:00:00', 'writer', 'person', 'edit', '', '',"
            " '', ?)", ("x" * 2000,)
        )
        conn.execute("UPDATE person SET name = ? WHERE id = 1", (f"n{n}",))
        conn.execute("COMMIT")
        if n == 1:
            print("writing", flush=True)
    print(n, flush=True)
    """
)


def test_a_backup_while_another_process_writes_is_consistent(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(source), "4"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    seen = []
    for number in range(4):
        backup = tmp_path / f"backup-{number}.db"
        code, out, err = run(capsys, "--db", str(source), "db", "backup", str(backup))
        assert code == 0, err
        assert out.strip() == f"backed up {source} to {backup}"
        assert backup.stat().st_mode & 0o777 == 0o600
        with sqlite3.connect(backup) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            (written,) = conn.execute(
                "SELECT count(*) FROM activity WHERE user = 'writer'"
            ).fetchone()
            (name,) = conn.execute("SELECT name FROM person WHERE id = 1").fetchone()
        assert name == f"n{written}", "the copy is one snapshot of the file"
        seen.append(written)
        time.sleep(0.2)
    out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0
    assert 0 < seen[0] < seen[-1] < int(out.split()[-1]), "copied while the writer wrote"
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []


def test_backup_never_clobbers_and_refuses_what_it_cannot_do(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.db"
    assert run(capsys, "--db", str(source), "db", "backup", str(backup))[0] == 0
    backup.chmod(0o640)
    before = digest(backup)
    one_line_error(run(capsys, "--db", str(source), "db", "backup", str(backup)), "--force")
    assert digest(backup) == before
    code, _, err = run(capsys, "--db", str(source), "db", "backup", str(backup), "--force")
    assert code == 0, err
    assert backup.stat().st_mode & 0o777 == 0o640, "a replaced file keeps its mode"
    one_line_error(
        run(capsys, "--db", str(source), "db", "backup", str(source), "--force"),
        "the database itself",
    )
    one_line_error(run(capsys, "--db", str(source), "db", "backup", str(tmp_path)), "a directory")
    one_line_error(
        run(capsys, "--db", str(tmp_path / "nope.db"), "db", "backup", str(tmp_path / "b.db")),
        "no database at",
    )
    one_line_error(run(capsys, "--db", str(source), "db", "backup"), "Missing argument")


def test_backup_of_a_server_database_points_to_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "server.toml"
    config.write_text('database_url = "postgresql+psycopg://ann:s3cret@db.example/itpm"\n')
    monkeypatch.setenv("ITPM_CONFIG", str(config))
    line = one_line_error(run(capsys, "db", "backup", str(tmp_path / "b.db")), "pg_dump")
    assert "s3cret" not in line and "ann:***@db.example" in line
    assert not (tmp_path / "b.db").exists()


# --- PostgreSQL -----------------------------------------------------------------------------


def test_demo_to_postgresql_and_back_gives_an_identical_export(
    source: Path, postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "db", "copy", str(source), postgres_url)
    assert code == 0, err
    assert "rows of 16 tables" in out
    back = tmp_path / "back.db"
    code, _, err = run(capsys, "db", "copy", postgres_url, str(back))
    assert code == 0, err
    assert exported(capsys, back) == exported(capsys, source)
    one_line_error(run(capsys, "db", "copy", str(source), postgres_url), "not empty")
    engine = create_engine(postgres_url)
    with engine.begin() as conn:  # the sequences moved past the copied ids
        top = conn.execute(text("SELECT max(id) FROM activity")).scalar_one()
        fresh = conn.execute(text("SELECT nextval(pg_get_serial_sequence('activity', 'id'))"))
        assert fresh.scalar_one() == top + 1
    engine.dispose()


def test_a_failed_copy_to_postgresql_writes_nothing(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL refuses a NUL character in text, which SQLite stores: the copy fails at
    the last table and nothing of the first ones stays."""
    with sqlite3.connect(source) as conn:
        conn.execute(
            "UPDATE activity SET summary = ? WHERE id = (SELECT max(id) FROM activity)",
            ("a\x00b",),
        )
    one_line_error(run(capsys, "db", "copy", str(source), postgres_url), "could not copy", "NUL")
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() == 0
    engine.dispose()


def test_a_postgresql_target_without_the_schema_is_refused(
    source: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    line = one_line_error(run(capsys, "db", "copy", str(source), postgres_url), "itpm db upgrade")
    assert "has no itpm schema" in line
