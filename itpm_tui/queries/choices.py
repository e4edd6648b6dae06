"""The projects a one-project screen offers to pick from: a module of its own, so a screen
that only lists them does not load the Timeline's reads on its first visit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Project


@dataclass(frozen=True, slots=True)
class ProjectChoice:
    id: int
    code: str
    name: str
    status: str


def project_choices(db: Database) -> list[ProjectChoice]:
    """Projects that can be shown, by code (archived ones left out)."""
    with db.read() as session:
        return choices_in(session)


def choices_in(session: Session) -> list[ProjectChoice]:
    """`project_choices` in an open read."""
    rows = session.execute(
        select(col(Project.id), col(Project.code), col(Project.name), col(Project.status))
        .where(col(Project.archived) == False)  # noqa: E712
        .order_by(col(Project.code))
    ).all()
    return [ProjectChoice(*row) for row in rows]
