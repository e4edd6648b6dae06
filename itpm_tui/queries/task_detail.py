"""One task as a technician needs it: its notes, whom it waits for and who waits for it
(with their owners and state), who to call (the project's PM with phone and e-mail), its
downtime windows and its recent activity. Dates and WBS codes are the schedule's
(`queries.schedule`), windows where they lie now (`domain.downtime.shifted`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col

from itpm_tui.domain.downtime import shifted
from itpm_tui.queries.my_work import Window
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Activity, Dependency, DowntimeWindow, Person, Project, Task

#: How many of the task's latest activity entries the detail shows.
ACTIVITY_SHOWN = 8


@dataclass(frozen=True, slots=True)
class LinkedTask:
    wbs: str
    name: str
    status: str
    owner: str  # "" when nobody is assigned
    kind: str


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class TaskDetail:
    id: int
    project_code: str
    project_name: str
    wbs: str
    name: str
    status: str
    percent: int
    remaining_hours: Decimal
    start: date | None
    finish: date | None
    owner: str
    notes: str
    blocked_reason: str
    predecessors: tuple[LinkedTask, ...]
    successors: tuple[LinkedTask, ...]
    manager: Contact | None
    windows: tuple[Window, ...]
    activity: tuple[tuple[datetime, str, str], ...]  # (when, who, what), newest first
    version: int
    #: Clock times off the day's first and last hour (`queries.schedule.edge_clocks`).
    start_time: time | None = None
    finish_time: time | None = None


def load_task_detail(db: Database, task_id: int) -> TaskDetail | None:
    """The task's detail; None if it no longer exists."""
    from itpm_tui.queries.schedule import load_schedules

    with db.read() as session:
        task = session.get(Task, task_id)
        if task is None:
            return None
        project = session.get(Project, task.project_id)
        assert project is not None
        schedule = load_schedules(session, [task.project_id])[task.project_id].by_id()
        owner = aliased(Person)
        other = aliased(Task)

        def linked(mine: Any, theirs: Any) -> tuple[LinkedTask, ...]:
            rows = session.execute(
                select(
                    col(other.id),
                    col(other.name),
                    col(other.status),
                    col(owner.name),
                    col(Dependency.kind),
                )
                .join(other, col(other.id) == theirs)
                .join(owner, col(owner.id) == col(other.assignee_id), isouter=True)
                .where(mine == task_id)
                .order_by(col(other.sort_order), col(other.id))
            ).all()
            return tuple(
                LinkedTask(
                    schedule[int(r[0])].wbs if int(r[0]) in schedule else "",
                    r[1],
                    r[2],
                    r[3] or "",
                    r[4],
                )
                for r in rows
            )

        predecessors = linked(col(Dependency.successor_id), col(Dependency.predecessor_id))
        successors = linked(col(Dependency.predecessor_id), col(Dependency.successor_id))
        manager = session.get(Person, project.manager_id) if project.manager_id else None
        assignee = session.get(Person, task.assignee_id) if task.assignee_id else None
        me = schedule.get(task_id)
        windows = tuple(
            Window(
                w.title,
                *shifted(w.starts_at, w.ends_at, w.anchor_start, me.start if me else None),
                w.approved,
            )
            for w in session.execute(
                select(DowntimeWindow)
                .where(col(DowntimeWindow.task_id) == task_id)
                .order_by(col(DowntimeWindow.starts_at))
            ).scalars()
        )
        activity = tuple(
            (a.at, a.user, a.summary or f"{a.field.replace('_', ' ')} → {a.new_value}")
            for a in session.execute(
                select(Activity)
                .where(col(Activity.entity) == "task", col(Activity.entity_id) == task_id)
                .order_by(col(Activity.id).desc())
                .limit(ACTIVITY_SHOWN)
            ).scalars()
        )
        return TaskDetail(
            id=task_id,
            project_code=project.code,
            project_name=project.name,
            wbs=me.wbs if me else task.wbs,
            name=task.name,
            status=task.status,
            percent=task.percent_complete,
            remaining_hours=Decimal(task.remaining_hours),
            start=me.start if me else task.planned_start,
            finish=me.finish if me else task.planned_finish,
            owner=assignee.name if assignee else "",
            notes=task.description,
            blocked_reason=task.blocked_reason,
            predecessors=predecessors,
            successors=successors,
            manager=Contact(manager.name, manager.phone, manager.email) if manager else None,
            windows=windows,
            activity=activity,
            version=task.version,
            start_time=me.start_time if me else None,
            finish_time=me.finish_time if me else None,
        )
