"""What every service call needs: the database, who is acting, and what day it is."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from itpm_tui.clock import system_today
from itpm_tui.domain.roles import PROGRESS_FIELDS, Action, Identity, Role, as_viewer, refusal
from itpm_tui.errors import ConflictError, NotAllowed, NotFoundError
from itpm_tui.storage.database import CHANGE, Database
from itpm_tui.storage.models import Activity, Task

__all__ = ["Context", "Tx", "system_today"]


@dataclass(frozen=True)
class Context:
    """`user` is the login matched to a person's handle: the config `user` on a file; on a
    server database the server's login, whatever was passed (`__post_init__`). `as_handle`
    the person `--as` looks as, if any. Their rights are decided from the stored team at
    each write (`queries.identity`), so a role changed by the PM counts at once."""

    db: Database
    user: str
    clock: Callable[[], date] = field(default=system_today)
    as_handle: str | None = None
    #: Why everyone acts as a viewer here whatever their role (the stand-up kiosk), if so.
    read_only: str = ""

    def __post_init__(self) -> None:
        found = self.db.login  # read once per database
        if found is not None:  # the server knows who is connected; the config is not asked
            object.__setattr__(self, "user", found.name)

    def today(self) -> date:
        return self.clock()

    def identity(self) -> Identity:
        """Who is acting now and with which role (for the header and `itpm whoami`)."""
        from itpm_tui.queries.identity import identify

        return self._limited(identify(self.db, self.user, self.as_handle))

    def _limited(self, who: Identity) -> Identity:
        return as_viewer(who, self.read_only) if self.read_only else who

    @contextmanager
    def transaction(self, action: Action = Action.MANAGE) -> Iterator[Tx]:
        """One write, logged against this user and refused (`NotAllowed`) unless the acting
        role may do `action` — every write service opens one, so this is the one check. A
        write of `Action.OWN_PROGRESS` must also pass `Tx.check_progress` for its task.
        The database refusing it is a `StorageError` (see `Database.write`); a versioned row
        saved by someone else meanwhile, a `ConflictError` (see `Tx.flush`). Before it
        commits, the schedules its writes made stale are stored (`queries.schedule.
        refresh_stored`), so after any service write every stored schedule is fresh."""
        from itpm_tui.queries.identity import acting, identify_in
        from itpm_tui.queries.schedule import refresh_stored
        from itpm_tui.services.stored_values import watch

        me = acting(self.db, self.user)
        if me.server:  # the server refuses a viewer's very first statement: say why first
            with self.db.read() as session:
                require(self._limited(identify_in(session, me, self.as_handle)), action)
        try:
            with self.db.write() as session:
                watch(session)  # no write stores what `domain.limits` refuses
                who = self._limited(identify_in(session, me, self.as_handle))
                tx = Tx(session, me.login, who, self.clock)
                tx.require(action)
                yield tx
                refresh_stored(session)  # what this write made stale, stored before it commits
        except StaleDataError as exc:  # a versioned write flushed outside `Tx.flush`
            raise stale_conflict(exc) from None


def require(who: Identity, action: Action, detail: str = "") -> None:
    """Refuse (`NotAllowed`) unless `who` may do `action`, naming who may."""
    if not who.may(action):
        raise NotAllowed(refusal(who.role, action, detail))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def stamp(day: date | None) -> datetime:
    """Now in UTC — moved to `day` (local time of day kept) when the context's clock says
    another day than the wall clock, so work replayed with `ITPM_TODAY` or an injected
    clock lands on the day it was done in the "What changed" feed."""
    now = datetime.now(UTC)
    if day is None:
        return now
    local = now.astimezone()
    if local.date() == day:
        return now
    return local.replace(year=day.year, month=day.month, day=day.day).astimezone(UTC)


@dataclass
class Tx:
    """One open write transaction and the user it is recorded against."""

    session: Session
    user: str
    identity: Identity | None = None
    #: The context's clock: an entry is stamped on its day (see `stamp`).
    clock: Callable[[], date] | None = None

    def require(self, action: Action, detail: str = "") -> None:
        """Refuse the write unless the acting role may do `action` (no identity: unchecked,
        for a transaction opened outside `Context.transaction`)."""
        if self.identity is not None:
            require(self.identity, action, detail)

    def check_progress(self, task: Task, fields: set[str]) -> None:
        """A technician may change only the progress `fields` of a task assigned to them;
        a project manager anything; a viewer nothing."""
        who = self.identity
        if who is None or who.role is Role.PROJECT_MANAGER:
            return
        if not fields:
            return
        self.require(Action.OWN_PROGRESS)
        others = sorted(fields - PROGRESS_FIELDS)
        if others:
            self.require(Action.MANAGE, f"changing {', '.join(others)}")
        if task.assignee_id is None or task.assignee_id != who.person_id:
            self.require(Action.MANAGE, f"task '{task.name}' is not assigned to you")

    def log(
        self,
        entity: str,
        entity_id: int | None,
        action: str,
        *,
        project_id: int | None = None,
        field: str = "",
        old: Any = None,
        new: Any = None,
        summary: str = "",
    ) -> None:
        self.session.add(
            Activity(
                at=stamp(self.clock() if self.clock is not None else None),
                user=self.user,
                project_id=project_id,
                entity=entity,
                entity_id=entity_id,
                action=action,
                field=field,
                old_value=_text(old),
                new_value=_text(new),
                summary=summary,
                change=self.session.info.get(CHANGE),
            )
        )

    def create(self, row: SQLModel, *, project_id: int | None = None, summary: str = "") -> Any:
        self.session.add(row)
        self.session.flush()
        entity = type(row).__tablename__
        row_id = getattr(row, "id", None)
        pid = project_id if project_id is not None else getattr(row, "project_id", None)
        if entity == "project":
            pid = row_id
        self.log(
            str(entity),
            row_id,
            "create",
            project_id=pid,
            summary=summary or f"created {entity} {_label(row)}",
        )
        return row

    def update(
        self,
        row: SQLModel,
        changes: dict[str, Any],
        *,
        expected_version: int | None,
        project_id: int | None = None,
    ) -> list[str]:
        """Apply `changes`, logging one entry per field that really changed.

        `expected_version` is the version the user was shown: a row saved by someone else
        since is refused (`ConflictError`). None (always said, never left out) for a row
        this transaction read and changes on its own account — the project an approved
        change moves, say — or one without a version. Either way a versioned row's UPDATE
        is `... WHERE version = <as read>` (`storage.models.Versioned`), so a save committed
        between this transaction's read and its write is refused too, not overwritten.
        """
        entity = str(type(row).__tablename__)
        self.check_version(row, expected_version)
        pid = project_id if project_id is not None else getattr(row, "project_id", None)
        if entity == "project":
            pid = row.id  # type: ignore[attr-defined]
        changed = []
        for name, new in changes.items():
            old = getattr(row, name)
            if old == new:
                continue
            setattr(row, name, new)
            changed.append(name)
            self.log(
                entity,
                getattr(row, "id", None),
                "update",
                project_id=pid,
                field=name,
                old=old,
                new=new,
            )
        self.session.add(row)
        self.flush(row)
        if not changed:
            self.confirm_version(row, expected_version)
        return changed

    def confirm_version(self, row: SQLModel, expected: int | None) -> None:
        """A save that changed nothing still names the version it was made from in SQL (an
        UPDATE that sets nothing new, `... WHERE version = <expected>`), so it is refused
        like any other when a colleague's save came first: the user's "make it so" may
        need their change again on top of the colleague's (a counter, a toggle)."""
        if expected is None:
            return
        table = type(row).__table__  # type: ignore[attr-defined]
        found = self.session.execute(
            update(table)
            .where(table.c.id == row.id, table.c.version == expected)  # type: ignore[attr-defined]
            .values(version=table.c.version)
        )
        if getattr(found, "rowcount", 1) != 1:
            raise conflict(row)

    def touch(self, row: SQLModel) -> None:
        """Count a change of `row` made elsewhere (its links, its place in the outline) as
        an edit of it: its version moves, so a form opened before is refused on save."""
        row.version = row.version + 1  # type: ignore[attr-defined]
        self.session.add(row)
        self.flush(row)

    def flush(self, row: SQLModel | None = None) -> None:
        """Send the pending writes; a versioned UPDATE or DELETE that matched no row (saved
        or removed by someone else since it was read) is a `ConflictError` naming `row`."""
        refusal = conflict(row) if row is not None else None  # named while `row` is readable
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise refusal or stale_conflict(exc) from None

    def check_version(self, row: SQLModel, expected: int | None, *, label: str = "") -> None:
        """Refuse a write based on an older copy of `row` than the stored one: a colleague
        saved it since the user opened it, so theirs is kept and `ConflictError` says so.

        `expected` is the version the user was shown (None: no check, for a row this
        transaction read and writes on its own account). `label` names the record in the
        message when its table name and name do not.

        This is the early, friendly check. What guarantees it is the write itself: the
        version the user was shown becomes the one the row's UPDATE or DELETE names
        (`... WHERE version = <expected>`, see `storage.models.Versioned`), so a save
        committed after this read, by whatever backend or process, matches no row there.
        """
        if expected is None:
            return
        if getattr(row, "version", None) != expected:
            raise conflict(row, label)
        set_committed_value(row, "version", expected)

    def delete(self, row: SQLModel, *, project_id: int | None = None) -> None:
        entity = str(type(row).__tablename__)
        pid = project_id if project_id is not None else getattr(row, "project_id", None)
        self.log(
            entity,
            getattr(row, "id", None),
            "delete",
            project_id=pid,
            summary=f"deleted {entity} {_label(row)}",
        )
        self.session.delete(row)
        self.flush(row)

    def get(self, model: type[Any], row_id: int) -> Any:
        row = self.session.get(model, row_id)
        if row is None:
            raise NotFoundError(f"{model.__tablename__} {row_id} does not exist")
        return row


def conflict(row: SQLModel, label: str = "") -> ConflictError:
    """The refusal of a save made from an older copy of `row`, naming it for the user and,
    by table and id, for a form that shows what the colleague changed."""
    entity = str(type(row).__tablename__)
    what = label or f"{entity} {_label(row)}"
    return ConflictError(
        f"{what} was changed by someone else since you opened it; "
        "reload to see their edit, then make yours again",
        entity=entity,
        row_id=getattr(row, "id", None),
    )


def stale_conflict(exc: StaleDataError) -> ConflictError:
    """`exc` (a versioned write matched no row) as the user's `ConflictError`, about the
    table it names (the row is not readable any more: the transaction failed)."""
    found = re.search(r"table '([^']+)'", str(exc))
    entity = found.group(1) if found else None
    return ConflictError(
        f"{entity or 'a record'} was changed by someone else while you saved; "
        "reload to see their edit, then make yours again",
        entity=entity,
    )


def _label(row: SQLModel) -> str:
    for attr in ("code", "name", "title", "handle"):
        value = getattr(row, attr, None)
        if value:
            return f"'{value}'"
    return f"#{getattr(row, 'id', '?')}"
