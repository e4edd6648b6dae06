"""working time at hour resolution

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 06:30:00.000000

A project's working hours (`project.work_hours`, e.g. ``08:00-12:00,13:00-17:00``; empty is
that standard day) and a task's working minutes when it lasts part of a day
(`task.work_minutes`, a 4-hour cut-over; NULL keeps the working days of its dates) and the
clock time its work starts (`task.start_time`; NULL is the day's first hour), and a link's
lag in working minutes when it is not whole days (`dependency.lag_minutes`, FS+4h; any change
to a link already marks its project's schedule stale). The task and project columns are
inputs of the stored schedule, so the SQLite triggers that mark a project's schedule stale
(migrations 0006, 0017) are made again with them. Every existing plan keeps its meaning.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: Task columns the stored schedule is made from, as of 0017 (a migration keeps its own copy).
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
    "is_elapsed",
)
_AFTER = (*_BEFORE, "work_minutes", "start_time")
_BUMP = "UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE "


def _task_changed(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return (
        f"CREATE TRIGGER schedule_task_changed AFTER UPDATE OF {', '.join(columns)} ON task "
        f"WHEN {changed} BEGIN {_BUMP}project_id IN (OLD.project_id, NEW.project_id); END"
    )


def _project_changed(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return (
        f"CREATE TRIGGER schedule_project_start AFTER UPDATE OF {', '.join(columns)} ON project "
        f"WHEN {changed} BEGIN {_BUMP}project_id = NEW.id; END"
    )


def _replace_triggers(task: tuple[str, ...], project: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS schedule_task_changed")
        op.execute(_task_changed(task))
        op.execute("DROP TRIGGER IF EXISTS schedule_project_start")
        op.execute(_project_changed(project))


def upgrade() -> None:
    # SQLite: ADD COLUMN in place; a batch copy would rename tables the triggers of 0006 name
    op.add_column(
        "project", sa.Column("work_hours", sa.String(), nullable=False, server_default="")
    )
    op.add_column("task", sa.Column("work_minutes", sa.Integer(), nullable=True))
    op.add_column("task", sa.Column("start_time", sa.Time(), nullable=True))
    op.add_column("dependency", sa.Column("lag_minutes", sa.Integer(), nullable=True))
    _replace_triggers(_AFTER, ("start_date", "work_hours"))


def downgrade() -> None:
    _replace_triggers(_BEFORE, ("start_date",))
    # in place (SQLite 3.35+): a batch copy would rename tables the triggers of 0006 name
    op.execute("ALTER TABLE dependency DROP COLUMN lag_minutes")
    op.execute("ALTER TABLE task DROP COLUMN start_time")
    op.execute("ALTER TABLE task DROP COLUMN work_minutes")
    op.execute("ALTER TABLE project DROP COLUMN work_hours")
