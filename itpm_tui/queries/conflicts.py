"""What a colleague changed in one record while the user had it open in a form.

A form notes the change token when it loads its record (`change_mark`); when its save meets
a `ConflictError`, the entries of that record stamped with a later change are the colleague's
edit (`changes_since`). Each activity entry is written, and stamped with its write's place
in the commit order, in the same transaction as the change it describes, so an entry above
the note is a save the form had not seen — on a server too, where ids are not commit-ordered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Activity, Person, Project, Task


@dataclass(frozen=True, slots=True)
class ColleagueChange:
    """One field as the colleague left it (several saves of one field: the newest)."""

    field: str  # the stored column ("planned_finish"); "" for an entry without a field
    value: str  # their value, as the log wrote it ("" for none)
    at: datetime  # aware, UTC
    user: str  # the login the entry was written by
    name: str  # that login's person, if the team has one with that handle; else ""
    summary: str = ""  # the entry's own words when it names no field

    @property
    def label(self) -> str:
        """The field as words: ``planned_finish`` reads "planned finish", ``assignee_id``
        "assignee" (its value is the name)."""
        if not self.field:
            return self.summary
        return self.field.removesuffix("_id").replace("_", " ")

    @property
    def who(self) -> str:
        """Their name as the team knows it, else the login."""
        return self.name or self.user


def change_mark(db: Database) -> int:
    """The change token now (the count of committed writes): one row read."""
    return db.change_token()


def changes_since(db: Database, entity: str, row_id: int, after: int) -> list[ColleagueChange]:
    """The changes to record `entity` #`row_id` logged after change token `after`, one per field
    (the newest value wins), in the order of their last save."""
    with db.read() as session:
        rows = session.execute(
            select(
                col(Activity.field),
                col(Activity.new_value),
                col(Activity.at),
                col(Activity.user),
                col(Person.name),
                col(Activity.summary),
            )
            .outerjoin(Person, col(Person.handle) == col(Activity.user))
            .where(
                col(Activity.entity) == entity,
                col(Activity.entity_id) == row_id,
                col(Activity.change) > after,
            )
            .order_by(col(Activity.id))
        ).all()
        newest: dict[str, ColleagueChange] = {}
        for field, value, at, user, name, summary in rows:
            key = field or f"\0{summary}"  # entries without a field are listed one by one
            newest.pop(key, None)  # moved to the end: the order is that of their last save
            newest[key] = ColleagueChange(
                field, value or "", _utc(at), user, name or "", "" if field else summary
            )
        return [_named(session, change) for change in newest.values()]


#: Columns that hold another record's id, and what names it: their value is shown by name.
_NAMED_BY: dict[str, Any] = {
    "assignee_id": col(Person.name),
    "owner_id": col(Person.name),
    "manager_id": col(Person.name),
    "project_id": col(Project.code),
    "parent_id": col(Task.name),
    "task_id": col(Task.name),
}


def _named(session: Session, change: ColleagueChange) -> ColleagueChange:
    """`change` with an id value (an assignee, a parent task) as the name it stands for."""
    column = _NAMED_BY.get(change.field)
    if column is None or not change.value.isdigit():
        return change
    found = session.execute(select(column).where(column.table.c.id == int(change.value))).scalar()
    shown = str(found) if found is not None else f"#{change.value}"
    return replace(change, value=shown)


def _utc(at: datetime) -> datetime:
    """SQLite returns the stored UTC stamp without its zone."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
