"""PostgreSQL, a database a team shares: a connection pool, and a schema only `itpm db
upgrade` changes.

Writers take turns on the change counter's row (`backend.bump_change`, the first statement
of every write), so the services' checks that read and then write hold at the server's
default READ COMMITTED isolation exactly as under SQLite's one writer. The password comes
from the URL, or — when the URL has none — from libpq's usual places (`PGPASSWORD`,
`~/.pgpass`), so it need not sit in the config file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from itpm_tui.storage.backend import GenericBackend

#: The advisory lock `itpm db upgrade` holds while it migrates (any fixed 64-bit number;
#: this one spells "itpm" in ASCII).
MIGRATION_LOCK = 0x6974706D


class PostgresBackend(GenericBackend):
    migrates_on_open = False

    @contextmanager
    def migration_connection(self, engine: Engine) -> Iterator[Connection]:
        """One transaction holding the migration lock: a second `itpm db upgrade` waits,
        then finds the schema current (DDL is transactional here, so a failed script leaves
        the schema as it was)."""
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            yield connection
            connection.commit()
