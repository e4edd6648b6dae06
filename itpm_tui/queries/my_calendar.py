"""What `itpm my --ics` adds to My work: each project's name and PM to call, the ids of
the downtime windows tied to my tasks and the database's identity (a calendar event's UID is
made of both).

`queries.my_work` gives the windows where they lie now, in stored order (start, id); the
ids here are read in the same order, so the n-th id is the n-th window of the task.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from itpm_tui.queries.database_identity import database_uid
from itpm_tui.queries.my_work import MyWork
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import DowntimeWindow, Person, Project


@dataclass(frozen=True, slots=True)
class ProjectCall:
    """A project as a calendar entry names it, with the PM to call ("" when none)."""

    name: str
    manager: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class CalendarExtras:
    projects: dict[int, ProjectCall]
    window_ids: dict[int, tuple[int, ...]]  # task id → its windows' ids, as in MyTask.windows
    database: uuid.UUID  # `queries.database_identity.database_uid`


def load_calendar_extras(db: Database, work: MyWork) -> CalendarExtras:
    project_ids = sorted({t.project_id for t in work.tasks})
    task_ids = [t.id for t in work.tasks]
    projects: dict[int, ProjectCall] = {}
    window_ids: dict[int, list[int]] = {}
    database = database_uid(db)
    if not task_ids:
        return CalendarExtras({}, {}, database)
    with db.read() as session:
        rows = session.execute(
            select(
                col(Project.id),
                col(Project.name),
                col(Person.name),
                col(Person.phone),
                col(Person.email),
            )
            .outerjoin(Person, col(Person.id) == col(Project.manager_id))
            .where(col(Project.id).in_(project_ids))
        ).all()
        for pid, name, manager, phone, email in rows:
            projects[int(pid)] = ProjectCall(name, manager or "", phone or "", email or "")
        for wid, tid in session.execute(
            select(col(DowntimeWindow.id), col(DowntimeWindow.task_id))
            .where(col(DowntimeWindow.task_id).in_(task_ids))
            .order_by(col(DowntimeWindow.starts_at), col(DowntimeWindow.id))
        ):
            window_ids.setdefault(int(tid), []).append(int(wid))
    windows = {tid: tuple(ids) for tid, ids in window_ids.items()}
    return CalendarExtras(projects, windows, database)
