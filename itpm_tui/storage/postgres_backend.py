"""PostgreSQL, a database a team shares: a connection pool, and a schema only `itpm db
upgrade` changes.

Writers take turns on the change counter's row (`backend.bump_change`, the first statement
of every write), so the services' checks that read and then write hold at the server's
default READ COMMITTED isolation exactly as under SQLite's one writer. Each write also sends
`NOTIFY itpm_change` with its number, delivered on commit, which the dashboards LISTEN for
(`storage.notifications`), so they show a colleague's commit at once rather than at the next
poll. The password comes
from the URL, or — when the URL has none — from libpq's usual places (`PGPASSWORD`,
`~/.pgpass`), so it need not sit in the config file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from itpm_tui.storage.backend import GenericBackend
from itpm_tui.storage.notifications import CHANNEL, ChangeListener, connector
from itpm_tui.storage.server_roles import Login, current_login

#: The advisory lock `itpm db upgrade` holds while it migrates (any fixed 64-bit number;
#: this one spells "itpm" in ASCII).
MIGRATION_LOCK = 0x6974706D


#: An INSERT's table and column list, as SQLAlchemy writes it.
_INSERT = re.compile(r'INSERT INTO "?(\w+)"? \(([^)]*)\)')
#: Move a table's id sequence past its largest id.
_CATCH_UP = (
    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), "
    "COALESCE((SELECT max(id) FROM {0}), 1), (SELECT max(id) FROM {0}) IS NOT NULL)"
)


class PostgresBackend(GenericBackend):
    migrates_on_open = False

    def open(self, url: str) -> tuple[Engine, str | None]:
        engine, revision = super().open(url)
        event.listen(engine, "after_cursor_execute", _ids_follow_rows)
        return engine, revision

    def login(self, engine: Engine) -> Login:
        """`SELECT current_user`: on a server the acting login is the database's, not a
        value of the config file anyone could edit."""
        with engine.connect() as connection:
            return current_login(connection)

    def announce(self, session: Session, change: int) -> None:
        session.execute(
            text("SELECT pg_notify(:channel, :change)"), {"channel": CHANNEL, "change": str(change)}
        )

    def listen(self, engine: Engine, wake: Callable[[], None]) -> ChangeListener:
        return ChangeListener(connector(engine), wake).start()

    @contextmanager
    def migration_connection(self, engine: Engine) -> Iterator[Connection]:
        """One transaction holding the migration lock: a second `itpm db upgrade` waits,
        then finds the schema current (DDL is transactional here, so a failed script leaves
        the schema as it was)."""
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            yield connection
            connection.commit()


def _ids_follow_rows(
    conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    """After an INSERT that gave the ids itself (the demo, an import), move the table's id
    sequence past them at once — in the same transaction, before its next ordinary insert —
    or that insert would be handed an id already taken (SQLite takes max(id) + 1 itself)."""
    if not statement.startswith("INSERT"):
        return
    found = _INSERT.match(statement)
    if found and "id" in (c.strip().strip('"') for c in found.group(2).split(",")):
        driver = conn.connection.dbapi_connection
        assert driver is not None
        cursor = driver.cursor()  # its own cursor: the INSERT's may hold RETURNING rows
        try:
            cursor.execute(_CATCH_UP.format(found.group(1)))
        finally:
            cursor.close()
