"""Read models for plan files: a whole project plan as plain data, and the holidays in force.

A plan file carries each task's *scheduled* dates (`queries.schedule`: links, lags,
holidays), the dates the Timeline draws, not the stored ones links may have moved past, with
the stored start beside them as the rule a recalculation starts from; a summary carries the
percent rolled up from its children. A date the PM never gave stays out (an undated task is
left for the reader to schedule).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from itpm_tui.domain.plan import PlanPerson, PlanTask, ProjectPlan
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.work_hours import WorkingHours, parse_working_hours
from itpm_tui.errors import NotFoundError
from itpm_tui.queries.schedule import ScheduledTask, load_schedules
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Dependency, Holiday, Person, Project, Task


def holidays(db: Database, project_id: int | None = None) -> list[date]:
    """The portfolio's holidays, and those of `project_id` when given."""
    with db.read() as session:
        return _holidays(session, project_id)


def _holidays(session: Session, project_id: int | None) -> list[date]:
    query = select(col(Holiday.day)).where(
        or_(col(Holiday.project_id).is_(None), col(Holiday.project_id) == project_id)
    )
    return list(session.exec(query).all())


def load_work_hours(db: Database, project_code: str) -> WorkingHours:
    """The working hours of the project with this code (any case); the standard day when
    there is no such project (`load_project_plan` says so)."""
    with db.read() as session:
        hours = session.exec(
            select(Project.work_hours).where(
                func.upper(Project.code) == project_code.strip().upper()
            )
        ).first()
    return parse_working_hours(hours or "")


def load_project_plan(db: Database, project_code: str) -> ProjectPlan:
    """The project with this code (any case) with its tasks in sort order, the links into
    them, their assignees and its holidays; `NotFoundError` if there is no such project."""
    with db.read() as session:
        project = session.exec(
            select(Project).where(func.upper(Project.code) == project_code.strip().upper())
        ).first()
        if project is None:
            raise NotFoundError(f"no project with code '{project_code}'")
        tasks = list(
            session.exec(
                select(Task)
                .where(Task.project_id == project.id)
                .order_by(col(Task.sort_order), col(Task.id))
            ).all()
        )
        task_ids = [t.id for t in tasks]
        links = list(
            session.exec(
                select(Dependency)
                .where(col(Dependency.successor_id).in_(task_ids))
                .order_by(col(Dependency.id))
            ).all()
        )
        assignee_ids = {t.assignee_id for t in tasks if t.assignee_id is not None}
        people = list(session.exec(select(Person).where(col(Person.id).in_(assignee_ids))).all())
        assert project.id is not None
        plan = load_schedules(session, [project.id])[project.id]
        scheduled: dict[int | None, ScheduledTask] = {t.id: t for t in plan.tasks}
        return ProjectPlan(
            name=project.name,
            currency=project.currency,
            start_date=project.start_date,
            end_date=project.end_date,
            baseline_start=project.baseline_start,
            baseline_end=project.baseline_end,
            tasks=[
                PlanTask(
                    id=int(t.id),  # type: ignore[arg-type]
                    parent_id=t.parent_id,
                    name=t.name,
                    wbs=t.wbs,
                    is_milestone=t.is_milestone,
                    is_manual=t.is_manual,
                    is_elapsed=t.is_elapsed,
                    constraint_kind=t.constraint_kind,
                    constraint_date=t.constraint_date,
                    deadline=t.deadline,
                    # a summary's percent is its children's, as the Timeline shows it
                    percent_complete=scheduled[t.id].percent,
                    planned_start=scheduled[t.id].start if t.planned_start else None,
                    planned_finish=scheduled[t.id].finish if t.planned_finish else None,
                    earliest_start=t.planned_start,
                    earliest_finish=t.planned_finish,
                    baseline_start=t.baseline_start,
                    baseline_finish=t.baseline_finish,
                    actual_start=t.actual_start,
                    actual_finish=t.actual_finish,
                    estimate_hours=t.estimate_hours,
                    remaining_hours=t.remaining_hours,
                    assignee_id=t.assignee_id,
                    description=t.description,
                    work_minutes=t.work_minutes,
                    start_time=t.start_time,
                )
                for t in tasks
            ],
            links=[
                Link(d.predecessor_id, d.successor_id, d.kind, d.lag_days, d.lag_minutes)
                for d in links
            ],
            people=[
                PlanPerson(int(p.id), p.name, p.handle, p.email)  # type: ignore[arg-type]
                for p in people
            ],
            holidays=_holidays(session, project.id),
        )
