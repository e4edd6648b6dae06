"""The "What changed" feed as the screen (key 8), `itpm changes` and the stand-up kiosk read it.

The activity entries since a day are read once, with the subjects they name looked up in one
query per kind (tasks, risks, change requests, ledger entries, contacts); milestones that fell
due in the window and are not done are added as missed. The wording and collapsing is
`domain.changes.describe`; this module only gathers.

`since` defaults to the day of the last stand-up before today (`services.standup`), else a
week before today. Entries are stamped in UTC and counted on the local day they were made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.changes import (
    Entry,
    Feed,
    MissedMilestone,
    ProjectChanges,
    default_since,
    describe,
)
from itpm_tui.domain.enums import ProjectStatus, TaskStatus
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    Activity,
    ChangeRequest,
    CommunicationEntry,
    Holiday,
    LedgerEntry,
    Person,
    Project,
    Risk,
    Stakeholder,
    Task,
)

STANDUP = "standup"


def local_day(at: datetime) -> date:
    """The local day of a stored UTC stamp (stored without its zone by SQLite)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone().date()


def _from(day: date) -> datetime:
    """A UTC bound safely before the local `day` starts (the exact cut is made by day)."""
    return datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def standup_days(session: Session, since: date) -> list[date]:
    rows = session.exec(
        select(col(Activity.at))
        .where(col(Activity.entity) == STANDUP)
        .where(col(Activity.at) >= _from(since))
    ).all()
    return [local_day(at) for at in rows]


def last_standup(db: Database, today: date) -> date | None:
    """The day of the last stand-up before today, if one was recorded."""
    with db.read() as session:
        days = [d for d in standup_days(session, today - timedelta(days=400)) if d < today]
    return max(days, default=None)


def _by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = session.exec(select(model).where(col(model.id).in_(sorted(ids)))).all()
    return {int(r.id): r for r in rows}


def _entries(
    session: Session, rows: Iterable[Activity]
) -> list[tuple[Activity, Entry, int | None]]:
    """Each activity as an `Entry`, with its subject as stored now, and the assignee's id of
    a task (for the person filter)."""
    rows = list(rows)
    wanted: dict[str, set[int]] = defaultdict(set)
    for a in rows:
        if a.entity_id is not None:
            wanted[a.entity].add(a.entity_id)
    tasks = _by_id(session, Task, wanted["task"])
    risks = _by_id(session, Risk, wanted["risk"])
    changes = _by_id(session, ChangeRequest, wanted["changerequest"])
    ledger = _by_id(session, LedgerEntry, wanted["ledgerentry"])
    contacts = _by_id(session, CommunicationEntry, wanted["communicationentry"])
    stakeholders = _by_id(
        session,
        Stakeholder,
        {c.stakeholder_id for c in contacts.values()} | wanted["stakeholder"],
    )
    projects = _by_id(session, Project, wanted["project"])
    out = []
    for a in rows:
        extra: dict[str, Any] = {}
        assignee = None
        key = a.entity_id
        if a.entity == "task" and key in tasks:
            t = tasks[key]
            assignee = t.assignee_id
            extra = {"subject": t.name, "milestone": t.is_milestone, "baseline": t.baseline_finish}
        elif a.entity == "risk" and key in risks:
            r = risks[key]
            extra = {
                "subject": r.title,
                "score": r.probability * r.impact,
                "probability": r.probability,
                "impact": r.impact,
            }
        elif a.entity == "changerequest" and key in changes:
            extra = {"subject": changes[key].title}
        elif a.entity == "ledgerentry" and key in ledger:
            extra = {"amount": ledger[key].amount, "category": ledger[key].category}
        elif a.entity == "communicationentry" and key in contacts:
            c = contacts[key]
            who = stakeholders.get(c.stakeholder_id)
            extra = {"subject": who.name if who else "", "category": c.channel}
        elif a.entity == "stakeholder" and key in stakeholders:
            extra = {"subject": stakeholders[key].name}
        elif a.entity == "project" and key in projects:
            extra = {"subject": projects[key].code, "baseline": projects[key].baseline_end}
        entry = Entry(
            day=local_day(a.at),
            user=a.user,
            entity=a.entity,
            entity_id=a.entity_id,
            action=a.action,
            field=a.field,
            old=a.old_value,
            new=a.new_value,
            summary=a.summary,
            **extra,
        )
        out.append((a, entry, assignee))
    return out


def _missed(
    session: Session, since: date, today: date, project_id: int | None, person_id: int | None
) -> dict[int, list[MissedMilestone]]:
    """Milestones due from `since` up to yesterday that are not done, in live projects."""
    query = (
        select(Task)
        .join(Project, col(Project.id) == col(Task.project_id))
        .where(col(Task.is_milestone) == True)  # noqa: E712
        .where(col(Task.status) != TaskStatus.DONE.value)
        .where(col(Task.planned_finish) >= since)
        .where(col(Task.planned_finish) < today)
        .where(col(Project.status) == ProjectStatus.ACTIVE.value)
        .where(col(Project.archived) == False)  # noqa: E712
        .order_by(col(Task.planned_finish), col(Task.id))
    )
    if project_id is not None:
        query = query.where(col(Task.project_id) == project_id)
    if person_id is not None:
        query = query.where(col(Task.assignee_id) == person_id)
    out: dict[int, list[MissedMilestone]] = defaultdict(list)
    for t in session.exec(query).all():
        assert t.planned_finish is not None
        out[t.project_id].append(MissedMilestone(t.name, t.planned_finish))
    return out


def _calendars(session: Session, project_ids: set[int]) -> dict[int, WorkCalendar]:
    days: dict[int | None, list[date]] = defaultdict(list)
    for h in session.exec(select(Holiday)).all():
        days[h.project_id].append(h.day)
    return {pid: WorkCalendar([*days[None], *days[pid]]) for pid in project_ids}


def load_changes(
    db: Database,
    today: date,
    *,
    since: date | None = None,
    project_id: int | None = None,
    person: str | None = None,
) -> Feed:
    """What changed from `since` (a day, counted whole) to now, grouped by project (in code
    order; changes of no project last), optionally of one project, and of one person: what
    they did and what happened to the tasks assigned to them."""
    handle = person.strip().lower() if person else None
    with db.read() as session:
        standups = standup_days(session, today - timedelta(days=400))
        start = since if since is not None else default_since(today, standups)
        query = (
            select(Activity)
            .where(col(Activity.at) >= _from(start))
            .order_by(col(Activity.at), col(Activity.id))
        )
        if project_id is not None:
            query = query.where(col(Activity.project_id) == project_id)
        person_id = None
        if handle is not None:
            found = session.exec(
                select(col(Person.id)).where(func.lower(col(Person.handle)) == handle)
            ).first()
            person_id = int(found) if found is not None else None
        rows = [a for a in session.exec(query).all() if local_day(a.at) >= start]
        entries = _entries(session, rows)
        everyone = tuple(
            sorted({e.user for _a, e, _p in entries if e.user and e.entity != STANDUP})
        )
        if handle is not None:
            entries = [
                x
                for x in entries
                if x[1].user.lower() == handle or (person_id is not None and x[2] == person_id)
            ]
        missed = _missed(session, start, today, project_id, person_id if handle else None)
        if handle is not None and person_id is None:
            missed = {}
        grouped: dict[int | None, list[Entry]] = defaultdict(list)
        for a, e, _p in entries:
            grouped[a.project_id].append(e)
        ids = {pid for pid in [*grouped, *missed] if pid is not None}
        projects = _by_id(session, Project, ids)
        calendars = _calendars(session, ids)
        chosen = session.get(Project, project_id) if project_id is not None else None
    out: list[ProjectChanges] = []
    for pid in sorted(ids, key=lambda i: projects[i].code if i in projects else ""):
        p = projects.get(pid)
        lines = describe(
            grouped.get(pid, []),
            currency=p.currency if p else "EUR",
            calendar=calendars.get(pid),
            missed=missed.get(pid, []),
        )
        if lines:
            out.append(
                ProjectChanges(
                    pid, p.code if p else "?", p.name if p else "", p.currency if p else "", lines
                )
            )
    general = describe(grouped.get(None, []), currency="EUR")
    if general:
        out.append(ProjectChanges(None, "", "Across projects", "", general))
    return Feed(
        since=start,
        today=today,
        last_standup=max((d for d in standups if d < today), default=None),
        project=chosen.code if chosen else None,
        person=handle,
        projects=tuple(out),
        people=everyone,
    )
