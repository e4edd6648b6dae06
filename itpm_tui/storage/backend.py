"""What differs between kinds of database, behind one small interface the services use.

The services only ever ask a `Database` for a read session, a write transaction, the
change token and what was written since one (`changes_since`); how those are done on a
particular database lives in one `Backend` module, chosen from the URL in `backend_for`.
Adding a server database is one new module that implements `Backend` (see its docstring)
and one line in `backend_for`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from itpm_tui.domain.change_set import MOST_CHANGES, Change, ChangeSet
from itpm_tui.errors import DatabaseError
from itpm_tui.storage.location import known_revisions, redact_url, sqlite_path, unknown_revision


class Backend(ABC):
    """How one kind of database is opened, written, polled and migrated.

    A server backend (PostgreSQL, say) would implement:

    - `open`: an engine with a connection pool (`pool_pre_ping`), no file checks;
    - `write_session`: serialise writers the way `BEGIN IMMEDIATE` does on SQLite — take a
      transaction-scoped lock first (`SELECT pg_advisory_xact_lock(...)`, or `SELECT ... FOR
      UPDATE` on one row), so a write never fails half-way for a concurrent one and needs no
      retry; SERIALIZABLE would instead need the caller's unit of work re-run on failure;
    - `change_token`: a commit-ordered number, e.g. a one-row counter bumped inside every
      write transaction under that lock — `max(activity.id)` is not enough there, because a
      sequence hands out ids at insert time and a slower transaction can commit a smaller id
      after a poll has already seen a larger one, and that change would never be noticed;
    - `migration_connection`: a plain connection (transactional DDL, real ALTER TABLE).
    """

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
    def change_token(self, session: Session) -> int:
        """A number that moves whenever any write is committed, cheap enough to poll."""

    @abstractmethod
    def migration_connection(self, engine: Engine) -> AbstractContextManager[Connection]:
        """The connection the migration scripts run on; committed when they succeed."""

    def changes_since(self, session: Session, since: int) -> ChangeSet:
        """What was written after the change token `since`, and the token now.

        Here the token is the newest activity id, so the rows after it are the activity
        rows with a larger id. A backend whose token is a counter of its own maps it to the
        activity rows its writes logged (e.g. the counter stored beside each row)."""
        return activity_since(session, since)


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
            raise DatabaseError(
                f"database_url '{scheme}://…' needs the Python package "
                f"{exc.name or 'of its driver'}, which is not installed"
            ) from None
        except ArgumentError as exc:
            raise DatabaseError(f"database_url '{scheme}://…' is not usable: {exc}") from None
        return engine, _recorded_revision(engine)

    @contextmanager
    def write_session(self, engine: Engine) -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    def change_token(self, session: Session) -> int:
        return newest_activity_id(session)

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
    return GenericBackend()


def newest_activity_id(session: Session) -> int:
    """The newest activity entry: every write logs one in its own transaction."""
    from sqlalchemy import func, select

    from itpm_tui.storage.models import Activity

    return int(session.execute(select(func.max(Activity.id))).scalar() or 0)


def activity_since(session: Session, since: int, most: int = MOST_CHANGES) -> ChangeSet:
    """The activity rows after id `since` (project and kind only, read as plain rows), at
    most `most` of them: more, or a newest id below `since` (a file restored from a backup,
    a history deleted), is "everything"."""
    from sqlalchemy import select

    from itpm_tui.storage.models import Activity

    token = newest_activity_id(session)
    if token == since:
        return ChangeSet(token)
    if token < since:
        return ChangeSet.unknown(token)
    rows = session.execute(
        select(Activity.project_id, Activity.entity)  # type: ignore[call-overload]
        .where(Activity.id > since, Activity.id <= token)  # type: ignore[operator]
        .order_by(Activity.id)
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
            if not inspect(conn).has_table("alembic_version"):
                return None
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:  # the driver's first line; never the SQL or its parameters
        reason = getattr(exc, "orig", None) or exc
        first = (str(reason).splitlines() or [type(reason).__name__])[0]
        raise DatabaseError(f"cannot open the database: {redact_url(first)}") from None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(unknown_revision("the database", str(revision)))
    return revision
