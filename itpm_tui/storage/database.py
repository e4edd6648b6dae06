"""Opening the database: check it, migrate it, and tune SQLite for several users."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from itpm_tui.errors import DatabaseError
from itpm_tui.storage.location import (
    MIGRATIONS,
    head_revision,
    inspect_sqlite_file,
    known_revisions,
    resolve_url,
    sqlite_path,
    sqlite_url,
)

__all__ = ["Database", "migrate", "open_database", "resolve_url", "sqlite_path", "sqlite_url"]

#: How long a write waits for another program's write to finish before giving up.
BUSY_TIMEOUT_SECONDS = 30.0


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


@dataclass
class Database:
    """One open database; `read()` and `write()` give sessions of the right kind."""

    url: str
    engine: Engine

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        engine = self.engine.execution_options(itpm_write=True)
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Database:
    """Check, create if new, and migrate to this release's schema.

    `busy_timeout` (seconds) is how long a SQLite write waits for a lock another program
    holds; tests shorten it to see the refusal without waiting half a minute.
    """
    path = sqlite_path(url)
    revision: str | None
    if path is not None:
        revision = inspect_sqlite_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine, busy_timeout)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        revision = _server_revision(engine)
    database = Database(url=url, engine=engine)
    if revision != head_revision():
        migrate(database)
    return database


def _server_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open database: {exc.__class__.__name__}: {exc}") from None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"the database was written by a newer release of itpm "
            f"(schema {revision}); upgrade itpm to open it"
        )
    return revision


def alembic_config(database: Database) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = database.engine
    return config


def migrate(database: Database, revision: str = "head") -> None:
    """Bring the schema to `revision` with the migration scripts (alembic loads only here)."""
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    try:
        command.upgrade(alembic_config(database), revision)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot migrate the database: {exc}") from None
