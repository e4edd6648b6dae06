"""SQLite, tuned for a few people sharing one file: WAL, a busy timeout, one writer at a time."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from itpm_tui.errors import DatabaseError
from itpm_tui.private_files import create_database_file, make_private_folders
from itpm_tui.storage.backend import Backend
from itpm_tui.storage.location import inspect_sqlite_file, sqlite_path


class SqliteBackend(Backend):
    def __init__(self, busy_timeout: float) -> None:
        #: Seconds a write waits for another program's lock before it is refused.
        self.busy_timeout = busy_timeout

    def open(self, url: str) -> tuple[Engine, str | None]:
        path = sqlite_path(url)
        assert path is not None, "backend_for gives SQLite only URLs with a file"
        revision = inspect_sqlite_file(path)
        try:
            make_private_folders(path.parent)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
        try:
            create_database_file(path)  # 0600 (0660 in a team folder), not the umask's mode
        except OSError as exc:
            raise DatabaseError(f"cannot create {path}: {exc.strerror}") from None
        # hide_parameters: an error never quotes the rows being written (people's names…)
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        _tune_sqlite(engine, self.busy_timeout)
        return engine, revision

    @contextmanager
    def write_session(self, engine: Engine) -> Iterator[Session]:
        writer = engine.execution_options(itpm_write=True)  # BEGIN IMMEDIATE, see _tune_sqlite
        with Session(writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def migration_connection(self, engine: Engine) -> Iterator[Connection]:
        """A connection with foreign keys off while the scripts run.

        SQLite changes a table by copying it into a new one and dropping the old; with
        foreign keys on, that DROP would cascade-delete every row referring to the table.
        The pragma only takes effect outside a transaction, so it is set on the driver
        connection before SQLAlchemy begins one, and set back before the connection
        returns to the pool. A script that recreates tables checks the keys itself
        (`PRAGMA foreign_key_check`) before its transaction commits.
        """
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys = OFF")
            try:
                yield connection
                connection.commit()
            finally:
                connection.rollback()
                driver.execute("PRAGMA foreign_keys = ON")


def _tune_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front: in WAL mode a deferred transaction that
        # upgrades to writing after another commit fails at once instead of waiting.
        writing = conn.get_execution_options().get("itpm_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
