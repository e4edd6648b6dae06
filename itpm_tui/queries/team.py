"""The team as the Team screen and `itpm person list` show it: each person with their open
work and how it loads the coming weeks.

Counts and sums per person are aggregated in SQL; the per-week load needs each open task's
dates, so those rows (leaf tasks of live projects only, so a summary task's hours are not
counted twice) are read once and spread by `domain.people.weekly_load`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import ProjectStatus, TaskStatus
from itpm_tui.domain.people import (
    LoadTask,
    PersonDraft,
    coming_weeks,
    weekly_load,
)
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Holiday, Person, Project, Task

LIVE = (ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value)


@dataclass(frozen=True, slots=True)
class TeamMember:
    id: int
    name: str
    handle: str
    role: str
    email: str
    phone: str
    skills: str
    capacity: Decimal
    rate: Decimal
    currency: str
    active: bool
    version: int
    open_tasks: int  #: open leaf tasks of live projects assigned to them
    hours_left: Decimal  #: their remaining hours on those tasks
    unscheduled: int  #: open tasks without planned dates, not in the weekly load
    load: tuple[Decimal, ...]  #: planned hours in each of `Team.weeks`

    def draft(self) -> PersonDraft:
        return PersonDraft(
            name=self.name,
            handle=self.handle,
            role=self.role,
            email=self.email,
            phone=self.phone,
            skills=self.skills,
            weekly_capacity_hours=self.capacity,
            cost_rate=self.rate,
            cost_currency=self.currency,
        )

    def over(self) -> list[int]:
        """Indexes of the weeks where the planned hours exceed the capacity."""
        return [i for i, h in enumerate(self.load) if h.quantize(Decimal(1)) > self.capacity]


@dataclass(frozen=True, slots=True)
class Team:
    people: list[TeamMember]
    weeks: list[date]  #: Mondays of the load columns
    retired: int  #: how many retired people exist (shown or not)


def _open_leaf_tasks() -> ColumnElement[bool]:
    child = aliased(Task)
    return and_(
        col(Task.assignee_id).is_not(None),
        col(Task.status) != TaskStatus.DONE.value,
        col(Task.is_milestone) == False,  # noqa: E712
        col(Project.archived) == False,  # noqa: E712
        col(Project.status).in_(LIVE),
        ~exists().where(col(child.parent_id) == col(Task.id)),
    )


def team(db: Database, today: date, weeks: int = 4, *, retired: bool = False) -> Team:
    """Everyone (active only unless `retired`), by name, with `weeks` weeks of load."""
    mondays = coming_weeks(today, weeks)
    where = _open_leaf_tasks()
    with db.read() as session:
        query = select(Person).order_by(func.lower(col(Person.name)), col(Person.id))
        if not retired:
            query = query.where(col(Person.active) == True)  # noqa: E712
        people = list(session.exec(query).all())
        retired_count = session.execute(
            select(func.count()).select_from(Person).where(col(Person.active) == False)  # noqa: E712
        ).scalar_one()
        totals: dict[int, tuple[int, int, Decimal]] = {}
        for pid, count, undated, left in session.execute(
            sql_select(
                col(Task.assignee_id),
                func.count(),
                func.sum(
                    or_(col(Task.planned_start).is_(None), col(Task.planned_finish).is_(None))
                ),
                func.sum(col(Task.remaining_hours)),
            )
            .join(Project, col(Project.id) == col(Task.project_id))
            .where(where)
            .group_by(col(Task.assignee_id))
        ):
            totals[int(pid)] = (int(count), int(undated or 0), Decimal(left or 0))
        rows = session.execute(
            sql_select(
                col(Task.assignee_id),
                col(Task.project_id),
                col(Task.planned_start),
                col(Task.planned_finish),
                col(Task.estimate_hours),
                col(Task.remaining_hours),
                col(Task.percent_complete),
            )
            .join(Project, col(Project.id) == col(Task.project_id))
            .where(where)
            .where(col(Task.planned_start).is_not(None))
        ).all()
        project_ids = {int(r[1]) for r in rows}
        holidays: dict[int | None, list[date]] = defaultdict(list)
        if project_ids:
            for pid, day in session.execute(
                select(col(Holiday.project_id), col(Holiday.day)).where(
                    or_(
                        col(Holiday.project_id).is_(None),
                        col(Holiday.project_id).in_(project_ids),
                    )
                )
            ):
                holidays[pid].append(day)
    calendars = {pid: WorkCalendar([*holidays[None], *holidays[pid]]) for pid in project_ids}
    by_person: dict[int, list[tuple[LoadTask, WorkCalendar]]] = defaultdict(list)
    for assignee, pid, start, finish, estimate, remaining, percent in rows:
        task = LoadTask(start, finish, estimate, remaining, percent)
        by_person[int(assignee)].append((task, calendars[int(pid)]))
    members = []
    for p in people:
        pid = int(p.id)  # type: ignore[arg-type]
        count, undated, left = totals.get(pid, (0, 0, Decimal(0)))
        members.append(
            TeamMember(
                id=pid,
                name=p.name,
                handle=p.handle,
                role=p.role,
                email=p.email,
                phone=p.phone,
                skills=p.skills,
                capacity=p.weekly_capacity_hours,
                rate=p.cost_rate,
                currency=p.cost_currency,
                active=p.active,
                version=p.version,
                open_tasks=count,
                hours_left=left,
                unscheduled=undated,
                load=tuple(weekly_load(by_person.get(pid, []), mondays, today)),
            )
        )
    return Team(members, mondays, int(retired_count))
