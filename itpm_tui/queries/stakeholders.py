"""Stakeholders as the screens read them: contacts with their projects, last contact and
next update due, the communication log, and the count of updates due per project.

A contact's next update is due by the rules of `itpm_tui.domain.stakeholders`. Only
stakeholders of a *live* project (active or on hold, not archived) are expected to get
updates: a contact whose projects are all closed, cancelled or archived has none due. A
contact on no project at all keeps its cadence (an account manager kept for the portfolio).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, func, select

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.enums import ProjectStatus, TaskStatus
from itpm_tui.domain.stakeholders import (
    ContactDraft,
    Due,
    Quadrant,
    due_state,
    format_projects,
    next_due,
    quadrant,
)
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    CommunicationEntry,
    Project,
    ProjectStakeholder,
    Stakeholder,
    Task,
)

LIVE_STATUS = (ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value)


@dataclass(frozen=True, slots=True)
class ProjectLink:
    project_id: int
    code: str
    role: str
    live: bool


@dataclass(frozen=True, slots=True)
class Contact:
    """One stakeholder as the screen shows it, with what is due (slotted: a portfolio holds
    thousands, and each without a `__dict__` is one object fewer for the collector)."""

    id: int
    name: str
    organisation: str
    title: str
    kind: str
    email: str
    phone: str
    channel: str
    cadence: str
    influence: int
    interest: int
    notes: str
    version: int
    digest: bool
    projects: tuple[ProjectLink, ...]
    last_contact: date | None
    next_due: date | None
    due: Due
    quadrant: Quadrant

    def on_project(self, project_id: int) -> bool:
        return any(link.project_id == project_id for link in self.projects)

    @property
    def codes(self) -> str:
        return ", ".join(link.code for link in self.projects)

    def draft(self) -> ContactDraft:
        """The contact as the edit form starts from."""
        return ContactDraft(
            name=self.name,
            organisation=self.organisation,
            title=self.title,
            kind=self.kind,
            email=self.email,
            phone=self.phone,
            channel=self.channel,
            cadence=self.cadence,
            influence=str(self.influence),
            interest=str(self.interest),
            projects=format_projects((link.code, link.role) for link in self.projects),
            notes=self.notes,
            digest=self.digest,
        )


@dataclass(frozen=True, slots=True)
class LogRow:
    id: int
    stakeholder_id: int
    logged_on: date
    channel: str
    by: str
    summary: str
    project_id: int | None
    project_code: str
    version: int  # an edit or removal from this copy is refused once a colleague saved it


# -- reads --------------------------------------------------------------------------------------


def contacts(db: Database, today: date, project_id: int | None = None) -> list[Contact]:
    """Every stakeholder, by name, with projects, last contact and next update due; with
    `project_id`, only that project's (each still with all its projects)."""
    with paused_gc(), db.read() as session:  # thousands of rows and links, none in a cycle
        return _contacts(session, today, project_id)


def contacts_of(db: Database, today: date, project_id: int | None) -> tuple[list[Contact], int]:
    """`contacts` of one project (every one with None) and how many stakeholders there are
    in all, in one read: a screen showing one project builds only that project's contacts."""
    with paused_gc(), db.read() as session:
        total = session.execute(select_columns(func.count()).select_from(Stakeholder)).scalar_one()
        return _contacts(session, today, project_id), int(total)


#: The stakeholder's columns a `Contact` carries, in the order `_contacts` reads them.
_PERSON = (
    col(Stakeholder.id),
    col(Stakeholder.name),
    col(Stakeholder.organisation),
    col(Stakeholder.title),
    col(Stakeholder.kind),
    col(Stakeholder.email),
    col(Stakeholder.phone),
    col(Stakeholder.channel),
    col(Stakeholder.cadence),
    col(Stakeholder.influence),
    col(Stakeholder.interest),
    col(Stakeholder.notes),
    col(Stakeholder.version),
    col(Stakeholder.digest),
)


def _contacts(session: Session, today: date, project_id: int | None = None) -> list[Contact]:
    """Every stakeholder, or only those of `project_id`.

    Read as plain rows (no ORM entity per stakeholder: 5,000 of them cost more to build than
    everything else here), with their links, last contacts and milestones in three more
    queries, each only about the stakeholders read."""
    members = (
        None
        if project_id is None
        else select_columns(col(ProjectStakeholder.stakeholder_id)).where(
            col(ProjectStakeholder.project_id) == project_id
        )
    )
    people_q = select_columns(*_PERSON).order_by(col(Stakeholder.name))
    links_q = (
        select_columns(
            col(ProjectStakeholder.stakeholder_id),
            col(Project.id),
            col(Project.code),
            col(ProjectStakeholder.role),
            col(Project.status),
            col(Project.archived),
        )
        .join(Project, col(Project.id) == col(ProjectStakeholder.project_id))
        .order_by(col(Project.code))
    )
    last_q = select_columns(
        col(CommunicationEntry.stakeholder_id), func.max(col(CommunicationEntry.logged_on))
    ).group_by(col(CommunicationEntry.stakeholder_id))
    if members is not None:
        people_q = people_q.where(col(Stakeholder.id).in_(members))
        links_q = links_q.where(col(ProjectStakeholder.stakeholder_id).in_(members))
        last_q = last_q.where(col(CommunicationEntry.stakeholder_id).in_(members))
    people = session.execute(people_q).all()
    links: dict[int, list[ProjectLink]] = defaultdict(list)
    for sid, pid, code, role, status, archived in session.execute(links_q):
        links[sid].append(ProjectLink(pid, code, role, status in LIVE_STATUS and not archived))
    last = dict(session.execute(last_q).all())
    milestones = _milestones(session, members)
    out = []
    for (
        sid,
        name,
        organisation,
        title,
        kind,
        email,
        phone,
        channel,
        cadence,
        influence,
        interest,
        notes,
        version,
        digest,
    ) in people:
        own = tuple(links.get(sid, ()))
        live = [link for link in own if link.live]
        last_contact = _as_date(last.get(sid))
        due_on: date | None = None
        if live or not own:
            due_on = next_due(
                cadence,
                last_contact,
                today=today,
                milestones=(d for link in live for d in milestones.get(link.project_id, ())),
            )
        out.append(
            Contact(
                id=sid,
                name=name,
                organisation=organisation,
                title=title,
                kind=kind,
                email=email,
                phone=phone,
                channel=channel,
                cadence=cadence,
                influence=influence,
                interest=interest,
                notes=notes,
                version=version,
                digest=bool(digest),
                projects=own,
                last_contact=last_contact,
                next_due=due_on,
                due=due_state(due_on, today),
                quadrant=quadrant(influence, interest),
            )
        )
    return out


def _milestones(session: Session, members: Any = None) -> dict[int, list[date]]:
    """Planned finishes of the not-done milestones of projects that have stakeholders (with
    `members`, a query of stakeholder ids: the projects of those stakeholders)."""
    linked = select_columns(col(ProjectStakeholder.project_id))
    if members is not None:
        linked = linked.where(col(ProjectStakeholder.stakeholder_id).in_(members))
    rows = session.execute(
        select(col(Task.project_id), col(Task.planned_finish))
        .where(
            col(Task.is_milestone) == True,  # noqa: E712
            col(Task.status) != TaskStatus.DONE.value,
            col(Task.planned_finish).is_not(None),
            col(Task.project_id).in_(linked),
        )
        .distinct()
    ).all()
    found: dict[int, list[date]] = defaultdict(list)
    for pid, day in rows:
        found[pid].append(_as_date(day))  # type: ignore[arg-type]
    return found


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def updates_due(db: Database, today: date) -> dict[int, int]:
    """Per live project: how many of its stakeholders are due or overdue an update."""
    with db.read() as session:
        return due_counts(session, today)


def due_counts(session: Session, today: date, project_id: int | None = None) -> dict[int, int]:
    """`updates_due` inside an open read (the portfolio query shares its session); with
    `project_id`, only that project's stakeholders are looked at."""
    counts: dict[int, int] = defaultdict(int)
    for contact in _contacts(session, today, project_id):
        if contact.due.needs_update:
            for link in contact.projects:
                if link.live:
                    counts[link.project_id] += 1
    return dict(counts)


def communication_log(db: Database, stakeholder_id: int, limit: int = 500) -> list[LogRow]:
    """The stakeholder's contacts, newest first."""
    with db.read() as session:
        rows = session.execute(
            select(CommunicationEntry, col(Project.code))
            .join(Project, col(Project.id) == col(CommunicationEntry.project_id), isouter=True)
            .where(col(CommunicationEntry.stakeholder_id) == stakeholder_id)
            .order_by(col(CommunicationEntry.logged_on).desc(), col(CommunicationEntry.id).desc())
            .limit(limit)
        ).all()
    return [_log_row(entry, code) for entry, code in rows]


def _log_row(entry: CommunicationEntry, code: str | None) -> LogRow:
    assert entry.id is not None
    return LogRow(
        id=entry.id,
        stakeholder_id=entry.stakeholder_id,
        logged_on=entry.logged_on,
        channel=entry.channel,
        by=entry.by,
        summary=entry.summary,
        project_id=entry.project_id,
        project_code=code or "",
        version=entry.version,
    )


@dataclass(frozen=True, slots=True)
class LoggedText:
    """One logged contact in full, for reading: the log row, whom it was with, and the text
    kept with it (`body`: the report or digest e-mailed; empty for one logged by hand)."""

    row: LogRow
    stakeholder: str
    kind: str
    body: str


def logged_text(db: Database, entry_id: int) -> LoggedText | None:
    """The contact `entry_id` with its stored text; None once it was deleted. Read one at
    a time: the log list never carries the bodies (up to 20,000 characters each)."""
    with db.read() as session:
        found = session.execute(
            select(CommunicationEntry, col(Project.code), col(Stakeholder.name))
            .join(Stakeholder, col(Stakeholder.id) == col(CommunicationEntry.stakeholder_id))
            .join(Project, col(Project.id) == col(CommunicationEntry.project_id), isouter=True)
            .where(col(CommunicationEntry.id) == entry_id)
        ).first()
    if found is None:
        return None
    entry, code, name = found
    return LoggedText(_log_row(entry, code), name, entry.kind, entry.body)


def project_codes(db: Database) -> list[str]:
    """Every project code (archived ones too: a contact may stay on a closed project)."""
    with db.read() as session:
        return list(session.exec(select(col(Project.code)).order_by(col(Project.code))).all())


# -- contact writes -----------------------------------------------------------------------------


# -- log writes ---------------------------------------------------------------------------------


# -- reports sent -------------------------------------------------------------------------------


def report_summary(audience: str, fmt: str) -> str:
    return f"Sent {audience} status report ({fmt})"


# -- e-mailed updates ---------------------------------------------------------------------------


def emailed_on(db: Database, day: date) -> set[tuple[int, int]]:
    """(stakeholder, project) pairs that were e-mailed a status report on `day`: what the
    daily run does not send again (`domain.mail`)."""
    from itpm_tui.domain.mail import UPDATE

    with db.read() as session:
        rows = session.execute(
            select_columns(
                col(CommunicationEntry.stakeholder_id), col(CommunicationEntry.project_id)
            ).where(
                col(CommunicationEntry.kind) == UPDATE,
                col(CommunicationEntry.logged_on) == day,
                col(CommunicationEntry.project_id).is_not(None),
            )
        ).all()
    return {(sid, pid) for sid, pid in rows}


def last_digests(db: Database) -> dict[int, date]:
    """Each stakeholder's latest e-mailed digest, by day (none: never sent one)."""
    from itpm_tui.domain.mail import DIGEST

    with db.read() as session:
        rows = session.execute(
            select_columns(
                col(CommunicationEntry.stakeholder_id), func.max(col(CommunicationEntry.logged_on))
            )
            .where(col(CommunicationEntry.kind) == DIGEST)
            .group_by(col(CommunicationEntry.stakeholder_id))
        ).all()
    return {sid: day for sid, value in rows if (day := _as_date(value)) is not None}


def find_contact(contacts: list[Contact], who: str) -> Contact | None:
    """The contact `who` names: their e-mail address or their name (any letter case)."""
    wanted = who.strip().casefold()
    by_email = [c for c in contacts if c.email and c.email.casefold() == wanted]
    by_name = [c for c in contacts if c.name.casefold() == wanted]
    found = by_email or by_name
    return found[0] if len(found) == 1 else None
