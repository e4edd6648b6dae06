"""Opening the database: find it, check it, migrate it, and tune SQLite for several users.

A file that is not an itpm database, a corrupt one, or one written by a newer release is
refused with a `DatabaseError` before anything touches it, so it stays byte-for-byte as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

from itpm_tui.errors import DatabaseError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("itpm") / "itpm.db"


def resolve_url(
    db_path: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> str:
    """`--db PATH` wins, then `ITPM_DB`, then config `database_url`, then the default file."""
    if db_path:
        return sqlite_url(Path(db_path))
    if env := os.environ.get("ITPM_DB"):
        return sqlite_url(Path(env))
    if database_url:
        return database_url
    return sqlite_url(default_db_path())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().absolute()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database or an in-memory one."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"database_url '{url}' is not a database URL: {exc}") from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def head_revision() -> str:
    """The newest schema revision this release knows, read from the migration files."""
    return max(known_revisions())


def known_revisions() -> list[str]:
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def inspect_sqlite_file(path: Path) -> str | None:
    """Check a database file without changing it; return its schema revision (None if new).

    Raises `DatabaseError` for a file that is not SQLite, is corrupt, is some other
    application's database, or was written by a newer release.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a SQLite database (no SQLite header); left untouched")
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise DatabaseError(
                    f"{path} is corrupt ({check[0] if check else 'no answer'}); "
                    "left untouched — restore it from a backup"
                )
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise DatabaseError(
                    f"{path} is a SQLite database but not an itpm one; left untouched"
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path} is corrupt or not a database ({exc}); left untouched"
        ) from None
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"{path} was written by a newer release of itpm (schema {revision}; this release "
            f"knows up to {head_revision()}); upgrade itpm to open it — the file is untouched"
        )
    return revision


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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


def open_database(url: str) -> Database:
    """Check, create if new, and migrate to this release's schema."""
    path = sqlite_path(url)
    revision: str | None
    if path is not None:
        revision = inspect_sqlite_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine)
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
