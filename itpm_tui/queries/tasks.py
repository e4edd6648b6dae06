"""One task as its edit form reads it: the draft, its version and its predecessors.

The draft's start and finish are the task's *scheduled* dates (`queries.schedule`), the ones
the Timeline draws, so the form never opens on stored dates its links have already moved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import col, select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.tasks import Duration, TaskDraft, task_duration
from itpm_tui.queries.schedule import load_schedules
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Dependency, Task


@dataclass(frozen=True)
class TaskEdit:
    """A task as loaded for editing: its draft, version and current predecessors."""

    task_id: int
    project_id: int
    draft: TaskDraft
    version: int
    predecessors: list[PredecessorRef]
    is_summary: bool
    #: How long it lasts by its stored plan (`task_duration` of its planned dates, or its
    #: working minutes): links may start its work mid-day and stretch its scheduled dates
    #: over one day more, which is not its length. None: the draft's dates tell it.
    duration: Duration | None = None


def load_task_edit(db: Database, task_id: int) -> TaskEdit | None:
    with db.read() as session:
        task = session.get(Task, task_id)
        if task is None:
            return None
        links = session.exec(
            select(Dependency)
            .where(col(Dependency.successor_id) == task_id)
            .order_by(col(Dependency.id))
        ).all()
        has_children = session.exec(
            select(col(Task.id)).where(col(Task.parent_id) == task_id)
        ).first()
        plan = load_schedules(session, [task.project_id]).get(task.project_id)
    scheduled = plan.by_id().get(task_id) if plan is not None else None
    start = scheduled.start if scheduled is not None else task.planned_start
    finish = scheduled.finish if scheduled is not None else task.planned_finish
    draft = TaskDraft(
        name=task.name,
        parent_id=task.parent_id,
        is_milestone=task.is_milestone,
        is_manual=task.is_manual,
        is_elapsed=task.is_elapsed,
        constraint_kind=task.constraint_kind,
        constraint_date=task.constraint_date,
        deadline=task.deadline,
        planned_start=start,
        planned_finish=finish,
        actual_start=task.actual_start,
        actual_finish=task.actual_finish,
        estimate_hours=task.estimate_hours,
        remaining_hours=task.remaining_hours,
        percent_complete=task.percent_complete,
        status=task.status,
        assignee_id=task.assignee_id,
        needs_downtime=task.needs_downtime,
        description=task.description,
        blocked_reason=task.blocked_reason,
        work_minutes=task.work_minutes,
        start_time=task.start_time,
    )
    calendar = plan.calendar() if plan is not None else WorkCalendar()
    planned = replace(draft, planned_start=task.planned_start, planned_finish=task.planned_finish)
    return TaskEdit(
        task_id=task_id,
        project_id=task.project_id,
        draft=draft,
        version=task.version,
        predecessors=[
            PredecessorRef(d.predecessor_id, d.kind, d.lag_days, d.lag_minutes) for d in links
        ],
        is_summary=has_children is not None,
        duration=task_duration(planned, calendar),
    )
