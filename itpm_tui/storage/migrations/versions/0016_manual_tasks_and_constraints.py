"""manual tasks and constraints

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 23:00:00.000000

What an MS Project plan says about a task's dates beyond itpm's start rule:

- `task.is_manual` (MS Project's "Manual" flag): it keeps its planned dates and links into it
  do not push it;
- `task.constraint_kind` and `task.constraint_date`: "Must Start On" (held at the date) or
  "Finish No Later Than" (flagged when the schedule finishes later), `domain.constraints`;
- `task.deadline`: flagged when the scheduled finish is later.

Every existing task stays automatic and unconstrained. The flag and the constraint are inputs
of the stored schedule, so the SQLite trigger that marks a project's schedule stale when a
task changes (migration 0006) is made again with them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: Task columns `queries.schedule.load_schedules` reads, as of 0006 (with the row's existence).
_BEFORE = (
    "id",
    "project_id",
    "parent_id",
    "sort_order",
    "wbs",
    "name",
    "is_milestone",
    "status",
    "percent_complete",
    "planned_start",
    "planned_finish",
    "baseline_start",
    "baseline_finish",
    "actual_finish",
)
_AFTER = (*_BEFORE, "is_manual", "constraint_kind", "constraint_date")


def _task_changed(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return (
        f"CREATE TRIGGER schedule_task_changed AFTER UPDATE OF {', '.join(columns)} ON task "
        f"WHEN {changed} BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 "
        "WHERE project_id IN (OLD.project_id, NEW.project_id); END"
    )


def _replace_trigger(columns: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS schedule_task_changed")
        op.execute(_task_changed(columns))


def upgrade() -> None:
    # SQLite: ADD COLUMN in place; a batch copy would rename tables the triggers of 0006 name
    op.add_column(
        "task", sa.Column("is_manual", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "task", sa.Column("constraint_kind", sa.String(), nullable=False, server_default="")
    )
    op.add_column("task", sa.Column("constraint_date", sa.Date(), nullable=True))
    op.add_column("task", sa.Column("deadline", sa.Date(), nullable=True))
    _replace_trigger(_AFTER)


def downgrade() -> None:
    _replace_trigger(_BEFORE)
    # in place (SQLite 3.35+): a batch copy would rename tables the triggers of 0006 name
    for column in ("deadline", "constraint_date", "constraint_kind", "is_manual"):
        op.execute(f"ALTER TABLE task DROP COLUMN {column}")
