"""What differs between kinds of database, behind one small interface the services use.

The services only ever ask a `Database` for a read session, a write transaction, the
change token and what was written since one (`changes_since`); how those are done on a
particular database lives in one `Backend` module, chosen from the URL in `backend_for`.
Adding a server database is one new module that implements `Backend` (see its docstring)
and one line in `backend_for`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from itpm_tui.domain.change_set import MOST_CHANGES, Change, ChangeSet
from itpm_tui.errors import DatabaseError
from itpm_tui.storage.location import known_revisions, redact_url, sqlite_path, unknown_revision

if TYPE_CHECKING:
    from itpm_tui.storage.notifications import ChangeListener
    from itpm_tui.storage.server_roles import Login


class Backend(ABC):
    """How one kind of database is opened, written, polled and migrated.

    Every backend counts committed writes in one row (`ChangeCounter`): `Database.write`
    adds one first thing in each write transaction (`bump_change`), which is the change
    token the dashboards poll and, on a server, the lock that makes writers take turns as
    SQLite's `BEGIN IMMEDIATE` does — so a check-then-write in a service never races.

    A backend implements:

    - `open`: the engine and the schema revision found (SQLite checks the file first; a
      server gets a connection pool with `pool_pre_ping`);
    - `write_session`: a session in one transaction;
    - `migration_connection`: the connection the migration scripts run on (a server takes
      an advisory lock there, so two upgrades never run at once);
    - `migrates_on_open`: whether opening an older schema migrates it (a file one person
      opens) or is refused until `itpm db upgrade` (a database a team shares).

    A server that can tell its clients of a commit also implements `announce` (in each
    write) and `listen` (for a dashboard); elsewhere the dashboards only poll.
    """

    #: False on a shared server: its schema changes only by `itpm db upgrade`.
    migrates_on_open: bool = True

    @abstractmethod
    def open(self, url: str) -> tuple[Engine, str | None]:
        """An engine for `url` and the schema revision found there (None if new).

        Raises `DatabaseError`, leaving the database untouched, if this release must not
        open it (not an itpm database, a damaged header, or written by a newer release).
        Only what is cheap is checked: nothing reads the whole database on open.
        """

    @abstractmethod
    def write_session(self, engine: Engine) -> AbstractContextManager[Session]:
        """A session in one write transaction: committed on success, rolled back on error."""

    @abstractmethod
    def migration_connection(self, engine: Engine) -> AbstractContextManager[Connection]:
        """The connection the migration scripts run on; committed when they succeed."""

    def announce(self, session: Session, change: int) -> None:
        """Tell the dashboards watching the database of write `change`: `Database.write`
        calls it right after `bump_change`, in the same transaction, so they hear of it only
        if it commits. Nothing by default: a SQLite file's dashboards poll."""
        return

    def listen(self, engine: Engine, wake: Callable[[], None]) -> ChangeListener | None:
        """Start hearing `announce`: a listener calling `wake` (from its own thread) soon
        after another program's commit; None where the dashboards only poll."""
        return None

    def change_token(self, session: Session) -> int:
        """A number that moves whenever any write is committed, cheap enough to poll: the
        change counter (one row)."""
        return current_change(session)

    def changes_since(self, session: Session, since: int) -> ChangeSet:
        """What was written after the change token `since`, and the token now: the activity
        rows whose writes counted after it."""
        return activity_since(session, since)

    def login(self, engine: Engine) -> Login | None:
        """The login the server knows this engine's connections as (`storage.server_roles`);
        None where the database has no logins of its own (a file: the config `user` names
        who is acting)."""
        return None


class GenericBackend(Backend):
    """Any other SQLAlchemy URL: the database's own defaults, nothing tuned."""

    def open(self, url: str) -> tuple[Engine, str | None]:
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        scheme = url.split(":", 1)[0]
        try:  # hide_parameters: no error message ever quotes the rows' data
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        except NoSuchModuleError:
            raise DatabaseError(
                f"database_url '{scheme}://…' is not a kind of database itpm can open"
            ) from None
        except ImportError as exc:
            extra = " (pip install 'itpm[postgres]')" if scheme.startswith("postgres") else ""
            raise DatabaseError(
                f"database_url '{scheme}://…' needs the Python package "
                f"{exc.name or 'of its driver'}, which is not installed{extra}"
            ) from None
        except ArgumentError as exc:
            raise DatabaseError(f"database_url '{scheme}://…' is not usable: {exc}") from None
        return engine, _recorded_revision(engine)

    @contextmanager
    def write_session(self, engine: Engine) -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def migration_connection(self, engine: Engine) -> Iterator[Connection]:
        with engine.connect() as connection:
            yield connection
            connection.commit()


#: How long a write waits for another program's write to finish before giving up.
BUSY_TIMEOUT_SECONDS = 30.0


def backend_for(url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Backend:
    """The one place that decides which backend serves a URL."""
    if sqlite_path(url) is not None:
        from itpm_tui.storage.sqlite_backend import SqliteBackend

        return SqliteBackend(busy_timeout)
    if url.startswith("postgresql"):
        from itpm_tui.storage.postgres_backend import PostgresBackend

        return PostgresBackend()
    return GenericBackend()


_BUMP = "UPDATE changecounter SET value = value + 1 WHERE id = 1 RETURNING value"


def bump_change(session: Session) -> int:
    """Count this write transaction and return its number: the first statement of every
    write (`Database.write`). Until it commits, the counter's row stays locked, so the
    next writer waits here — before it has read anything it could check against."""
    from sqlalchemy import text

    value = session.execute(text(_BUMP)).scalar()
    if value is None:
        raise DatabaseError("the database has lost its change counter; run itpm doctor")
    return int(value)


def current_change(session: Session) -> int:
    """The number of the last committed write (0 on a new database)."""
    from sqlalchemy import select

    from itpm_tui.storage.models import ChangeCounter

    counter = ChangeCounter.__table__.c  # type: ignore[attr-defined]
    value = session.execute(select(counter.value).where(counter.id == 1)).scalar()
    return int(value or 0)


def activity_since(session: Session, since: int, most: int = MOST_CHANGES) -> ChangeSet:
    """The activity rows logged by writes counted after `since` (project and kind only,
    read as plain rows), at most `most` of them: more, none (a write that logged nothing,
    such as an import's rows), or a counter below `since` (a file restored from a backup)
    is "everything"."""
    from sqlalchemy import select

    from itpm_tui.storage.models import Activity

    token = current_change(session)
    if token == since:
        return ChangeSet(token)
    if token < since:
        return ChangeSet.unknown(token)
    change = Activity.change
    rows = session.execute(
        select(Activity.project_id, Activity.entity)  # type: ignore[call-overload]
        .where(change > since, change <= token)  # type: ignore[operator]
        .order_by(change, Activity.id)
        .limit(most + 1)
    ).all()
    if not rows or len(rows) > most:
        return ChangeSet.unknown(token)
    return ChangeSet(token, tuple(Change(pid, str(entity)) for pid, entity in rows))


def _recorded_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as conn:
            found = inspect(conn)
            if not found.has_table("alembic_version"):
                if found.get_table_names():
                    raise DatabaseError(
                        f"{redact_url(engine.url.render_as_string(hide_password=True))} holds "
                        "tables but is not an itpm database; left untouched"
                    )
                return None
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:  # the driver's first line; never the SQL or its parameters
        reason = getattr(exc, "orig", None) or exc
        first = (str(reason).splitlines() or [type(reason).__name__])[0]
        raise DatabaseError(f"cannot open the database: {redact_url(first)}") from None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(unknown_revision("the database", str(revision)))
    return revision
