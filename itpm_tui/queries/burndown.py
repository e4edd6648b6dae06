"""Read model for the burn-down chart: one project's progress history and its baseline.

The series themselves are decided by `domain/burndown.py`; this module only reads the stored
snapshots and the baseline (the project's baseline dates, the total of its leaf tasks'
estimates and their count) and hands back the plain `Burndown` for the UI thread.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from itpm_tui.domain.burndown import Burndown, BurndownBaseline, Snapshot, burndown
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import ProgressSnapshot, Project, Task


def project_burndown(db: Database, project_id: int, today: date | None) -> Burndown:
    """The project's remaining work per day against its baseline's ideal line."""
    with db.read() as session:
        rows = session.execute(
            select(
                col(ProgressSnapshot.day),
                col(ProgressSnapshot.remaining_hours),
                col(ProgressSnapshot.remaining_tasks),
            )
            .where(col(ProgressSnapshot.project_id) == project_id)
            .order_by(col(ProgressSnapshot.day))
        ).all()
        dates = session.execute(
            select(col(Project.baseline_start), col(Project.baseline_end)).where(
                col(Project.id) == project_id
            )
        ).first()
        baseline: BurndownBaseline | None = None
        if dates is not None and dates[0] is not None and dates[1] is not None:
            child = aliased(Task)
            is_leaf = ~select(col(child.id)).where(col(child.parent_id) == col(Task.id)).exists()
            hours, count = session.execute(
                select(func.sum(col(Task.estimate_hours)), func.count(col(Task.id))).where(
                    col(Task.project_id) == project_id, is_leaf
                )
            ).one()
            start, finish = dates[0], dates[1]
            if finish < start:
                start, finish = finish, start
            baseline = BurndownBaseline(
                start=start,
                finish=finish,
                total_hours=Decimal(hours or 0),
                total_tasks=int(count or 0),
            )
    snapshots = [
        Snapshot(day=day, remaining_hours=Decimal(left or 0), remaining_tasks=int(tasks or 0))
        for day, left, tasks in rows
    ]
    return burndown(snapshots, baseline, today)
