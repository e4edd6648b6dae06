"""elapsed tasks

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 01:40:00.000000

`task.is_elapsed` (MS Project's elapsed durations, typed `10ed`): the task lasts the calendar
days from its planned start to its planned finish, weekends and holidays included, as a
carrier's porting wait does. Every existing task stays in working days. The flag is an input
of the stored schedule, so the SQLite trigger that marks a project's schedule stale when a task
changes (migrations 0006, 0016) is made again with it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: Task columns `queries.schedule.load_schedules` reads, as of 0016 (a migration keeps its own
#: copy: it must not change when later code does).
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
    "is_manual",
    "constraint_kind",
    "constraint_date",
)
_AFTER = (*_BEFORE, "is_elapsed")


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
        "task", sa.Column("is_elapsed", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    _replace_trigger(_AFTER)


def downgrade() -> None:
    _replace_trigger(_BEFORE)
    # in place (SQLite 3.35+): a batch copy would rename tables the triggers of 0006 name
    op.execute("ALTER TABLE task DROP COLUMN is_elapsed")
