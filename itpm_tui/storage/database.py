"""Opening the database: check it, migrate it, and tune SQLite for several users."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from itpm_tui.domain.change_set import ChangeSet
from itpm_tui.errors import DatabaseError
from itpm_tui.storage.backend import BUSY_TIMEOUT_SECONDS, Backend, backend_for, bump_change
from itpm_tui.storage.failures import storage_error
from itpm_tui.storage.location import (
    MIGRATIONS,
    check_whole_file,
    exists,
    head_revision,
    read_only,
    redact_url,
    require_existing,
    resolve_url,
    sqlite_path,
    sqlite_url,
)

if TYPE_CHECKING:
    from itpm_tui.storage.notifications import ChangeListener
    from itpm_tui.storage.server_roles import Login

#: `Session.info` key set by `Database.write`: this session may store what it computes.
WRITABLE = "itpm_writable"
#: `Session.info` key set by `Database.write`: the change counter's value for this write,
#: stamped on each activity entry it logs (`services.context.Tx.log`).
CHANGE = "itpm_change"

__all__ = [
    "CHANGE",
    "WRITABLE",
    "Database",
    "migrate",
    "open_database",
    "resolve_url",
    "sqlite_path",
    "sqlite_url",
]


@dataclass
class Database:
    """One open database; `read()` and `write()` give sessions of the right kind."""

    url: str
    engine: Engine
    backend: Backend

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read session; the database refusing (locked, unreadable) is a `StorageError`,
        a damaged page met a `DatabaseError`."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except (DBAPIError, sqlite3.Error) as exc:
            raise storage_error(exc, "read") or exc from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        A lock held too long, a read-only file or a full disk raise `StorageError` with a
        one-line reason, so no caller ever sees a driver error; a damaged page met is a
        `DatabaseError` that says to run `itpm doctor`."""
        try:
            with self.backend.write_session(self.engine) as session:
                change = session.info[CHANGE] = bump_change(session)  # first: writers take turns
                self.backend.announce(session, change)  # heard by the dashboards on commit
                session.info[WRITABLE] = True  # may store the schedules it computes
                yield session
        except (DBAPIError, sqlite3.Error) as exc:
            raise storage_error(exc) or exc from exc

    @cached_property
    def login(self) -> Login | None:
        """The server login this database is used as, read once (None for a file)."""
        try:
            return self.backend.login(self.engine)
        except DBAPIError as exc:
            raise storage_error(exc, "read") or exc from exc

    def change_token(self) -> int:
        """What the dashboards poll: only when it moved do they fetch again."""
        with self.read() as session:
            return self.backend.change_token(session)

    def changes_since(self, token: int) -> ChangeSet:
        """What was written after the change token `token` (see `ChangeSet`): what a poll
        that found the token moved asks, so a screen fetches only what was touched."""
        with self.read() as session:
            return self.backend.changes_since(session, token)

    def listen(self, wake: Callable[[], None]) -> ChangeListener | None:
        """Have `wake` called (from a thread of its own) soon after another program commits
        a write, on a database that tells of its commits; None where only polling works.
        The caller stops the listener when done."""
        return self.backend.listen(self.engine, wake)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    url: str,
    *,
    busy_timeout: float | None = None,
    create: bool = True,
    upgrade: bool = False,
) -> Database:
    """Check, create if new, and migrate to this release's schema.

    `create=False` (a command that only reads): a SQLite file that does not exist is
    refused with "no database at PATH" instead of being created with its folders. A new
    file whose schema could not be written (a full disk, a read-only folder) is removed
    again, with the folders made for it: a failed first command leaves nothing behind.

    A server database (`Backend.migrates_on_open` false) is migrated only with `upgrade`
    (`itpm db upgrade`); otherwise one whose schema is not this release's is refused in
    one line that names that command — a shared schema never changes behind the team.

    `busy_timeout` (seconds) is how long a SQLite write waits for a lock another program
    holds (default: `ITPM_BUSY_TIMEOUT`, else 30 s); tests shorten it to see the refusal
    without waiting half a minute.

    What is checked is cheap whatever the file's size (see `inspect_sqlite_file`): its
    header, that it opens, its owner and schema revision. `itpm doctor` reads the whole
    file for damage; a read or write that meets a damaged page is refused in one line.
    """
    return _opened(url, busy_timeout=busy_timeout, create=create, upgrade=upgrade)[0]


def upgrade_database(url: str) -> tuple[str | None, str]:
    """`itpm db upgrade`: bring the database at `url` to this release's schema (creating
    it when new); the revisions before and after."""
    database, before = _opened(url, busy_timeout=None, create=True, upgrade=True)
    database.dispose()
    return before, head_revision()


def _opened(
    url: str, *, busy_timeout: float | None, create: bool, upgrade: bool
) -> tuple[Database, str | None]:
    if busy_timeout is None:
        busy_timeout = busy_timeout_seconds()
    backend = backend_for(url, busy_timeout=busy_timeout)
    path = sqlite_path(url)
    if path is not None and not create:
        require_existing(path)
    made = [] if path is None or exists(path) else _missing_folders(path)
    try:
        return _open(url, backend, path, upgrade)
    except BaseException as exc:
        if path is not None and made and not _is_lock(exc):
            _remove_new(path, made)
        raise


def _open(
    url: str, backend: Backend, path: Path | None, upgrade: bool
) -> tuple[Database, str | None]:
    engine, revision = backend.open(url)
    database = Database(url=url, engine=engine, backend=backend)
    if revision != head_revision():
        if not (backend.migrates_on_open or upgrade):
            engine.dispose()
            raise DatabaseError(schema_refusal(url, revision))
        if revision is not None and path is not None:  # once per upgrade, not every start
            require_sound(path)  # nothing is migrated before the file is known sound
        if revision is None and path is not None:
            create_schema(database)  # a new file: the migrations' end state in one step
        else:
            migrate(database)
    store_stale_schedules(database)
    return database, revision


def schema_refusal(url: str, revision: str | None) -> str:
    """Why a server database whose schema is not this release's is not opened, and the
    command that fixes it (a newer schema is refused earlier: `unknown_revision`)."""
    shown = redact_url(url)
    fix = f"run itpm db upgrade --db '{shown}'"
    if revision is None:
        return f"{shown} has no itpm tables yet; {fix} to create them"
    return (
        f"{shown} has schema {revision} and this release needs {head_revision()}; {fix} "
        "(a shared database is migrated only on purpose)"
    )


def busy_timeout_seconds() -> float:
    """How long a write waits for another program's lock: `ITPM_BUSY_TIMEOUT` seconds (a
    slow shared disk may want more, a test less), else 30."""
    raw = os.environ.get("ITPM_BUSY_TIMEOUT", "")
    try:
        value = float(raw) if raw.strip() else BUSY_TIMEOUT_SECONDS
    except ValueError:
        raise DatabaseError(f"ITPM_BUSY_TIMEOUT: '{raw}' is not a number of seconds") from None
    if not 0 <= value <= 3600:
        raise DatabaseError(f"ITPM_BUSY_TIMEOUT: must be 0 to 3600 seconds, got {raw}")
    return value


def new_paths(path: Path) -> list[Path]:
    """What opening `path` will create: the file and its missing folders (deepest first);
    empty when the file is there already."""
    return [] if exists(path) else _missing_folders(path)


#: Tables a new database has a row in before anything is written: its schema's own.
SCHEMA_ONLY = frozenset({"alembic_version", "changecounter", "databaseidentity"})


def discard_unused(made: list[Path]) -> bool:
    """Remove a database (and the folders made for it) that a failed command created and
    left holding nothing but its schema: a first command that fails leaves nothing behind.
    A file holding any row is kept (another program may have started to use it)."""
    path = made[0]
    try:
        if holds_rows(path):
            return False
    except sqlite3.Error:
        return False
    _remove_new(path, made)
    return True


def holds_rows(path: Path) -> bool:
    """Whether the SQLite file at `path` holds any row besides its schema's own bookkeeping
    (`SCHEMA_ONLY`), read without writing (whatever its schema): a database someone has
    started to use."""
    with read_only(path) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if name not in SCHEMA_ONLY and not name.startswith("sqlite_")
        ]
        return any(conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in tables)


def _missing_folders(path: Path) -> list[Path]:
    """`path` and the folders above it that do not exist yet (deepest first): what creating
    the database makes, so a failure can take it back."""
    made = [path]
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        made.append(folder)
        folder = folder.parent
    return made


def _remove_new(path: Path, made: list[Path]) -> None:
    """Take back a database this call created and could not finish."""
    engine_files = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    for leftover in [path, *engine_files, *made[1:]]:
        with contextlib.suppress(OSError):
            if leftover.is_dir():
                leftover.rmdir()  # only when empty: never someone else's files
            else:
                leftover.unlink()


def _is_lock(exc: BaseException) -> bool:
    """Another program holds the file: it may be creating it right now; leave it be."""
    return "locked" in str(exc)


def require_sound(path: Path) -> None:
    """Refuse a file with damage anywhere (the whole file is read: see `check_whole_file`)."""
    found = check_whole_file(path)
    if found != "ok":
        raise DatabaseError(
            f"{path} is corrupt ({found}); left untouched — restore it from a backup"
        )


def store_stale_schedules(database: Database) -> None:
    """Store the schedules that are stale (after a migration, or raw SQL by another program),
    once, so every later reader finds them fresh. One query when all are fresh; skipped on a
    file this process cannot write (the readers then compute them)."""
    from itpm_tui.storage.schedule_store import stale_project_ids, trusted

    with database.read() as session:
        connection = session.connection()
        if not trusted(connection) or not stale_project_ids(connection):
            return
    path = database.path
    if path is not None and not os.access(path, os.W_OK):
        return
    from itpm_tui.errors import StorageError
    from itpm_tui.queries.schedule import refresh_stored

    try:
        with database.write() as session:
            refresh_stored(session)
    except StorageError:
        return  # locked or read-only after all: readers compute what is stale


def alembic_config(database: Database) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = database.engine
    config.attributes["backend"] = database.backend
    return config


def create_schema(database: Database) -> None:
    """Give a new, empty SQLite file this release's schema, stamped with its revision, in
    one script (`storage.fresh_schema`): what the migrations would make, without them."""
    from itpm_tui.storage.fresh_schema import create

    with database.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        try:
            create(driver)
        except sqlite3.Error as exc:  # as `migrate` says it
            raise storage_error(exc, "write the database's schema") or DatabaseError(
                f"cannot create the database's schema ({type(exc).__name__})"
            ) from None


def migrate(database: Database, revision: str = "head") -> None:
    """Bring the schema to `revision` with the migration scripts (alembic loads only here)."""
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    try:
        command.upgrade(alembic_config(database), revision)
    except SQLAlchemyError as exc:  # said without the SQL: it may carry the rows' data
        refused = storage_error(exc, "write the database's schema")
        if refused is not None:
            raise refused from None
        raise DatabaseError(
            f"cannot migrate the database ({type(exc).__name__}); the file is left as it was"
        ) from None
