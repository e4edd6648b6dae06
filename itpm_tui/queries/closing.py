"""Closing a project as read: its deliverables checklist, sign-off and the closing gate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from itpm_tui.domain.closing import (
    closing_problems,
    is_accepted,
)
from itpm_tui.domain.enums import ProjectStatus, RiskStatus, TaskStatus
from itpm_tui.domain.validation import Problem
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Deliverable, Project, Risk, Task

CLOSED = ProjectStatus.CLOSED.value
#: Risk states that still expose the project (as on Projects and Risks).
OPEN_RISK = (RiskStatus.OPEN.value, RiskStatus.WATCHING.value, RiskStatus.OCCURRED.value)


def open_work_text(tasks: int, risks: int) -> str:
    """ "2 tasks and 1 risk still open", or empty when nothing is."""
    parts = [
        f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((tasks, "task"), (risks, "risk")) if n
    ]
    return " and ".join(parts) + " still open" if parts else ""


@dataclass(frozen=True)
class DeliverableItem:
    id: int
    name: str
    description: str
    acceptance_criteria: str
    due_date: date | None
    accepted_by: str
    accepted_on: date | None
    acceptance_note: str
    version: int  # what an edit, acceptance or removal from this copy names

    @property
    def accepted(self) -> bool:
        return is_accepted(self)


@dataclass(frozen=True)
class ClosingState:
    """One project's close-out: the checklist, the sign-off, and whether it may close now."""

    project_id: int
    code: str
    name: str
    status: str
    phase: str
    start_date: date | None
    version: int
    signed_off_by: str
    signed_off_on: date | None
    closing_override: str
    lessons: str
    deliverables: list[DeliverableItem] = field(default_factory=list)
    #: What stops the project from closing without an override (empty: the gate is open).
    blockers: list[Problem] = field(default_factory=list)
    #: Work not done (tasks without children whose status is not done) and risks still
    #: open: closing warns about them but does not refuse.
    open_tasks: int = 0
    open_risks: int = 0

    @property
    def warning(self) -> str:
        """The work and risks a close would leave open, in words; empty when none."""
        return open_work_text(self.open_tasks, self.open_risks)

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    @property
    def can_close(self) -> bool:
        return not self.closed and not self.blockers

    @property
    def reasons(self) -> list[str]:
        """Why the project cannot close now, in words; empty when it can."""
        if self.closed:
            return ["the project is already closed"]
        return [p.rule for p in self.blockers]

    @property
    def accepted_count(self) -> int:
        return sum(1 for d in self.deliverables if d.accepted)

    @property
    def signed_off(self) -> bool:
        return bool(self.signed_off_by.strip()) and self.signed_off_on is not None


def deliverables_of(session: Session, project_id: int) -> list[Deliverable]:
    query = (
        select(Deliverable)
        .where(Deliverable.project_id == project_id)
        .order_by(
            col(Deliverable.due_date).is_(None), col(Deliverable.due_date), col(Deliverable.id)
        )
    )
    return list(session.exec(query).all())


def closing_state(db: Database, project_id: int) -> ClosingState | None:
    """The close-out of one project, or None if it does not exist (any more)."""
    with db.read() as session:
        project = session.get(Project, project_id)
        if project is None:
            return None
        rows = deliverables_of(session, project_id)
        open_tasks, open_risks = open_work(session, project_id)
    items = [_item(d) for d in rows]
    return ClosingState(
        project_id=project_id,
        code=project.code,
        name=project.name,
        status=project.status,
        phase=project.phase,
        start_date=project.start_date,
        version=project.version,
        signed_off_by=project.signed_off_by,
        signed_off_on=project.signed_off_on,
        closing_override=project.closing_override,
        lessons=project.lessons,
        deliverables=items,
        blockers=closing_problems(items, project.signed_off_by, project.signed_off_on),
        open_tasks=open_tasks,
        open_risks=open_risks,
    )


def open_work(session: Session, project_id: int) -> tuple[int, int]:
    """How many tasks (leaves: a summary is done when its tasks are) are not done and how
    many risks are still open, read in the caller's session or transaction."""
    child = aliased(Task)
    is_leaf = ~select(col(child.id)).where(col(child.parent_id) == col(Task.id)).exists()
    tasks = session.exec(
        select(func.count())
        .select_from(Task)
        .where(
            col(Task.project_id) == project_id, is_leaf, col(Task.status) != TaskStatus.DONE.value
        )
    ).one()
    risks = session.exec(
        select(func.count())
        .select_from(Risk)
        .where(col(Risk.project_id) == project_id, col(Risk.status).in_(OPEN_RISK))
    ).one()
    return int(tasks), int(risks)


def gate_problems(session: Session, project: Project) -> list[Problem]:
    """The blockers of `project` as stored now (its own override reason counts), read in the
    caller's transaction."""
    return closing_problems(
        deliverables_of(session, int(project.id or 0)),
        project.signed_off_by,
        project.signed_off_on,
        project.closing_override,
    )


# --- deliverables ----------------------------------------------------------------------------


def deliverable_item(db: Database, deliverable_id: int) -> DeliverableItem | None:
    """One deliverable as stored now (a form reads it again after a colleague's save), or
    None when it no longer exists."""
    with db.read() as session:
        row = session.get(Deliverable, deliverable_id)
        return None if row is None else _item(row)


def _item(d: Deliverable) -> DeliverableItem:
    return DeliverableItem(
        id=int(d.id or 0),
        name=d.name,
        description=d.description,
        acceptance_criteria=d.acceptance_criteria,
        due_date=d.due_date,
        accepted_by=d.accepted_by,
        accepted_on=d.accepted_on,
        acceptance_note=d.acceptance_note,
        version=d.version,
    )
