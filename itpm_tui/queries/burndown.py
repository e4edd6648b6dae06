"""Read model for the burn-down chart: one project's progress history and its baseline.

The series themselves are decided by `domain/burndown.py`; this module only reads the stored
snapshots and the baseline (the project's baseline dates, the total of its leaf tasks'
estimates and their count) and hands back the plain `Burndown` for the UI thread.

A snapshot is written only on a day someone saved progress, so a day nobody touched carries
the last snapshot before it, up to today: the remaining line stays flat while nothing moves
instead of sloping between two saves, and reaches today instead of stopping at the last save.
"""

from __future__ import annotations

from datetime import date, timedelta
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
    return burndown(carried_forward(snapshots, today), baseline, today)


def carried_forward(snapshots: list[Snapshot], today: date | None) -> list[Snapshot]:
    """`snapshots` (by day, one a day) with every day between them and up to `today` that has
    none given the one before it."""
    filled: list[Snapshot] = []
    for i, snap in enumerate(snapshots):
        filled.append(snap)
        if i + 1 < len(snapshots):
            until = snapshots[i + 1].day
        else:
            until = max(snap.day, today) + timedelta(days=1) if today else snap.day
        day = snap.day + timedelta(days=1)
        while day < until:
            filled.append(Snapshot(day, snap.remaining_hours, snap.remaining_tasks))
            day += timedelta(days=1)
    return filled
