"""A new SQLite file is given this release's schema in one script (`storage.fresh_schema`):
the same schema, bookkeeping rows and revision as running every migration on it makes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from itpm_tui.storage.backend import backend_for
from itpm_tui.storage.database import Database, migrate, open_database
from itpm_tui.storage.fresh_schema import SCRIPT, dump
from itpm_tui.storage.location import head_revision, sqlite_url

REGENERATE = "python -m itpm_tui.storage.fresh_schema"


def _migrated(path: Path) -> Path:
    """A new file given its schema the long way: every Alembic migration."""
    url = sqlite_url(path)
    backend = backend_for(url, busy_timeout=5)
    engine, revision = backend.open(url)
    assert revision is None
    migrate(Database(url=url, engine=engine, backend=backend))
    engine.dispose()
    return path


def _schema(path: Path) -> tuple[list[Any], list[Any]]:
    """`sqlite_master` (every table, index and trigger with its SQL) and the bookkeeping
    rows. The constraint clauses of a table are compared as a set: the migrations
    themselves write them in a different order from run to run (Alembic's batch copy of a
    table), an order nothing in SQLite depends on."""
    with sqlite3.connect(path) as conn:
        master = []
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ):
            if kind == "table" and sql:
                head, *body, tail = sql.split("\n")
                items = [line.rstrip(", ") for line in body]
                columns = [i for i in items if not i.lstrip().startswith("CONSTRAINT")]
                constraints = sorted(i for i in items if i.lstrip().startswith("CONSTRAINT"))
                sql = (head, columns, constraints, tail)
            master.append((kind, name, table, sql))
        rows = [
            conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("alembic_version", "changecounter")
        ]
        settings = [conn.execute(f"PRAGMA {p}").fetchone() for p in ("user_version", "encoding")]
        return master, [rows, settings]


def test_a_new_file_has_the_schema_the_migrations_make(tmp_path: Path) -> None:
    slow = _migrated(tmp_path / "migrated.db")
    fast = tmp_path / "new.db"
    open_database(sqlite_url(fast)).dispose()
    assert _schema(fast) == _schema(slow), f"the migrations changed: run {REGENERATE}"
    with sqlite3.connect(fast) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert len(conn.execute("SELECT * FROM sqlite_master").fetchall()) > 50


def test_every_new_file_has_its_own_identity(tmp_path: Path) -> None:
    uids = set()
    for name in ("one.db", "two.db"):
        open_database(sqlite_url(tmp_path / name)).dispose()
        with sqlite3.connect(tmp_path / name) as conn:
            rows = conn.execute("SELECT id, uid FROM databaseidentity").fetchall()
        assert len(rows) == 1 and rows[0][0] == 1
        uids.add(rows[0][1])
    assert len(uids) == 2
    assert 'databaseidentity" VALUES' not in SCRIPT.read_text(encoding="utf-8")


def test_the_script_is_what_the_migrations_end_in(tmp_path: Path) -> None:
    with sqlite3.connect(_migrated(tmp_path / "migrated.db")) as conn:
        made = dump(conn)
    shipped = SCRIPT.read_text(encoding="utf-8")
    assert shipped.count("\n") == made.count("\n"), f"the migrations changed: run {REGENERATE}"
    assert f"INSERT INTO \"alembic_version\" VALUES ('{head_revision()}');" in shipped


def test_a_file_made_from_the_script_opens_again_without_migrating(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_database(sqlite_url(path)).dispose()
    before = _schema(path)
    open_database(sqlite_url(path)).dispose()  # at this release's revision: nothing to do
    assert _schema(path) == before
