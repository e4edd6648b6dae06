"""A new SQLite file gets this release's schema in one step, not by replaying every migration.

Running the ten Alembic scripts on an empty file costs about a second (Alembic itself,
each script, SQLite's copy-and-rename of tables); the schema they end in is fixed for a
release. `schema.sql` beside this module is that end state — every statement of
`sqlite_master` in creation order and the rows of the schema's own bookkeeping tables
(the Alembic revision, the change counter) — so a new file is created by one script in one
transaction, stamped with the same revision. What each file must make for itself (its own
random identity, as migration 0013 makes it) is added to the script when it runs.
`tests/test_fresh_schema.py` proves a file made this way identical to one made by the
migrations; after a new migration, write the file again with
`python -m itpm_tui.storage.fresh_schema`. Existing files, and servers, are still migrated by
Alembic (`storage.database.migrate`).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import uuid
from pathlib import Path

#: The end state of the migrations, as SQL.
SCRIPT = Path(__file__).with_name("schema.sql")
#: Tables whose rows belong to the schema itself (as `storage.database.SCHEMA_ONLY`).
BOOKKEEPING = ("alembic_version", "changecounter")


def dump(conn: sqlite3.Connection) -> str:
    """The schema of the file open in `conn` as a script that makes it again."""
    lines = ["BEGIN;"]
    for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ):  # implicit indexes (sql NULL) come with their table
        lines.append(f"{sql};")
    for table in BOOKKEEPING:
        names = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        quoted = ", ".join(f'quote("{n}")' for n in names)
        for row in conn.execute(f'SELECT {quoted} FROM "{table}" ORDER BY rowid'):
            lines.append(f'INSERT INTO "{table}" VALUES ({", ".join(row)});')
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def own_rows() -> str:
    """The rows a new file makes for itself, never shipped in the script: its identity."""
    return f"INSERT INTO \"databaseidentity\" (id, uid) VALUES (1, '{uuid.uuid4()}');\n"


def create(conn: sqlite3.Connection) -> None:
    """Write the schema into the empty file open in `conn`, all or nothing."""
    shipped = SCRIPT.read_text(encoding="utf-8")
    script = shipped.removesuffix("COMMIT;\n") + own_rows() + "COMMIT;\n"
    try:
        conn.executescript(script)
    except sqlite3.Error:
        if conn.in_transaction:
            conn.rollback()
        raise


def write_script() -> None:
    """Make `schema.sql` again from a file made by the migrations (after adding one)."""
    from itpm_tui.storage.backend import backend_for
    from itpm_tui.storage.database import Database, migrate
    from itpm_tui.storage.location import sqlite_url

    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder) / "migrated.db")
        backend = backend_for(url, busy_timeout=5)
        engine, _ = backend.open(url)
        migrate(Database(url=url, engine=engine, backend=backend))
        engine.dispose()
        with sqlite3.connect(Path(folder) / "migrated.db") as conn:
            SCRIPT.write_text(dump(conn), encoding="utf-8")


if __name__ == "__main__":
    write_script()
    sys.stdout.write(f"written {SCRIPT}\n")
