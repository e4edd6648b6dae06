"""Read models for the stand-up kiosk that no screen had yet: the milestones of this week
and next across the active projects (late ones first, with their owners), and the
stakeholder updates due by the end of this week.

The dates are the scheduled ones (`queries.schedule`, the one truth) and lateness is
`domain.schedule.is_late`; the other kiosk pages reuse `portfolio`, `risks` and `burndown`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from itpm_tui.domain.calendar import week_start
from itpm_tui.domain.enums import ProjectStatus, TaskStatus
from itpm_tui.domain.schedule import is_late
from itpm_tui.domain.stakeholders import Due
from itpm_tui.queries.schedule import load_schedules
from itpm_tui.queries.stakeholders import contacts
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    CommunicationEntry,
    Person,
    Project,
    Stakeholder,
    Task,
    TaskSchedule,
)


@dataclass(frozen=True, slots=True)
class MilestoneDue:
    """A milestone not reached, late or falling in the window asked for."""

    project_code: str
    project_name: str
    name: str
    finish: date
    owner: str  # the person the milestone is assigned to, else the project's manager
    late: bool
    days_late: int  # calendar days past its date (0 unless late)


@dataclass(frozen=True, slots=True)
class RecentContact:
    """An update given to a stakeholder lately (the communication log)."""

    logged_on: date
    name: str
    channel: str
    summary: str
    project_code: str  # "" when the entry names no project


@dataclass(frozen=True, slots=True)
class UpdateDue:
    """A stakeholder owed an update by the end of the window."""

    name: str
    organisation: str
    channel: str
    projects: str  # codes of their live projects
    next_due: date
    due: Due


def active_project_ids(db: Database) -> list[int]:
    """Projects a stand-up talks about: active and not archived, by code."""
    with db.read() as session:
        return [
            int(pid)
            for pid in session.execute(
                select(col(Project.id))
                .where(
                    col(Project.status) == ProjectStatus.ACTIVE.value,
                    col(Project.archived) == False,  # noqa: E712
                )
                .order_by(col(Project.code))
            ).scalars()
        ]


def milestones_due(
    db: Database, today: date, until: date, project_ids: Collection[int] | None = None
) -> list[MilestoneDue]:
    """Open milestones of the active projects (or of `project_ids`) dated from this week's
    Monday to `until`, and every late one whatever its date: late ones first (the longest
    late first), then by date."""
    ids = list(project_ids) if project_ids is not None else active_project_ids(db)
    if not ids:
        return []
    start = week_start(today)
    with db.read() as session:
        chosen = _open_milestones(session, ids, today, start, until)
        task_ids = [tid for _pid, tid, _name, _finish in chosen]
        owners = {
            int(tid): name
            for tid, name in session.execute(
                select(col(Task.id), col(Person.name))
                .join(Person, col(Person.id) == col(Task.assignee_id))
                .where(col(Task.id).in_(task_ids))
            )
        }
        projects = {
            int(pid): (code, name, manager or "")
            for pid, code, name, manager in session.execute(
                select(col(Project.id), col(Project.code), col(Project.name), col(Person.name))
                .join(Person, col(Person.id) == col(Project.manager_id), isouter=True)
                .where(col(Project.id).in_(ids))
            )
        }
    out = []
    for pid, tid, name, finish in chosen:
        code, project_name, manager = projects[pid]
        late = is_late(finish, False, today)
        out.append(
            MilestoneDue(
                project_code=code,
                project_name=project_name,
                name=name,
                finish=finish,
                owner=owners.get(tid, manager),
                late=late,
                days_late=(today - finish).days if late else 0,
            )
        )
    return sorted(out, key=milestone_order)


def milestone_order(m: MilestoneDue) -> tuple[bool, date, str, str]:
    """Late ones first (the longest late first), then by date."""
    return (not m.late, m.finish, m.project_code, m.name)


def _open_milestones(
    session: Any, ids: list[int], today: date, start: date, until: date
) -> list[tuple[int, int, str, date]]:
    """(project, task, name, finish) of the open milestones late or due from `start` to
    `until`. A project whose stored schedule is fresh is asked in SQL over it (one query for
    all of them, not every task of the portfolio loaded); the others are scheduled."""
    from itpm_tui.storage import schedule_store

    connection = session.connection()
    states = schedule_store.states(connection, ids) if schedule_store.trusted(connection) else {}
    fresh = {pid for pid in ids if (st := states.get(pid)) is not None and st.fresh}
    stale = [pid for pid in ids if pid not in fresh]
    chosen: list[tuple[int, int, str, date]] = []
    if stale:
        schedules = load_schedules(session, stale)
        chosen += [
            (pid, task.id, task.name, task.finish)
            for pid in stale
            for task in schedules[pid].leaves
            if task.is_milestone
            and not task.done
            and task.finish is not None
            and (task.late(today) or start <= task.finish <= until)
        ]
    if fresh:
        stored = TaskSchedule.__table__  # type: ignore[attr-defined]
        rows = session.execute(
            select(stored.c.project_id, col(Task.id), col(Task.name), stored.c.finish)
            .join(Task, col(Task.id) == stored.c.task_id)
            .where(
                stored.c.project_id.in_(sorted(fresh)),
                stored.c.is_summary == False,  # noqa: E712
                col(Task.is_milestone) == True,  # noqa: E712
                col(Task.status) != TaskStatus.DONE.value,
                stored.c.finish.is_not(None),
                or_(stored.c.finish < today, stored.c.finish.between(start, until)),
            )
        )
        chosen += [(int(pid), int(tid), name, finish) for pid, tid, name, finish in rows]
    return chosen


def updates_due_by(db: Database, today: date, until: date) -> list[UpdateDue]:
    """Stakeholders whose next update (`queries.stakeholders`' rules) falls due by `until`,
    overdue ones included: the most overdue first."""
    out = [
        UpdateDue(
            name=c.name,
            organisation=c.organisation,
            channel=c.channel,
            projects=", ".join(link.code for link in c.projects if link.live),
            next_due=c.next_due,
            due=c.due,
        )
        for c in contacts(db, today)
        if c.next_due is not None and c.next_due <= until
    ]
    return sorted(out, key=lambda u: (u.next_due, u.name))


def recent_contacts(db: Database, since: date, limit: int = 50) -> list[RecentContact]:
    """The communication log from `since` on, across all stakeholders: the newest first."""
    with db.read() as session:
        rows = session.execute(
            select(
                col(CommunicationEntry.logged_on),
                col(Stakeholder.name),
                col(CommunicationEntry.channel),
                col(CommunicationEntry.summary),
                col(Project.code),
            )
            .join(Stakeholder, col(Stakeholder.id) == col(CommunicationEntry.stakeholder_id))
            .join(Project, col(Project.id) == col(CommunicationEntry.project_id), isouter=True)
            .where(col(CommunicationEntry.logged_on) >= since)
            .order_by(col(CommunicationEntry.logged_on).desc(), col(CommunicationEntry.id).desc())
            .limit(limit)
        ).all()
    return [
        RecentContact(day, name, channel or "", summary or "", code or "")
        for day, name, channel, summary, code in rows
    ]
