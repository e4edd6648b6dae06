"""What a one-shot command names by text, found: a project by its code, a person by handle.

A name that matches nothing is refused with one line naming it, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import NotFoundError
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Person, Project


@dataclass(frozen=True, slots=True)
class ProjectRef:
    id: int
    code: str
    name: str
    start_date: date | None
    currency: str


def project_by_code(db: Database, code: str) -> ProjectRef:
    """The project with this code, compared without regard to case."""
    with db.read() as session:
        found = session.exec(
            select(Project).where(func.upper(col(Project.code)) == code.strip().upper())
        ).first()
        if found is None:
            raise NotFoundError(f"no project with code '{code}'")
        return ProjectRef(
            int(found.id or 0), found.code, found.name, found.start_date, found.currency
        )


def person_by_handle(db: Database, handle: str, field: str = "assignee") -> int:
    """The id of the active team member with this login handle."""
    with db.read() as session:
        found = session.exec(
            select(col(Person.id)).where(
                func.lower(col(Person.handle)) == handle.strip().lower(),
                col(Person.active) == True,  # noqa: E712
            )
        ).first()
    if found is None:
        raise ValidationError(field, f"no active person has the handle '{handle}'")
    return int(found)
