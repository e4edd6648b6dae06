"""stored schedules, never stale

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:45:00.000000

Each task's scheduled dates, WBS, rolled-up percent, summary flag and criticality are stored
(`taskschedule`), and per project its critical path, schedule error and two revisions
(`schedulestate`): of its inputs and of the inputs last scheduled. Reading a project whose
revisions agree costs one indexed query instead of scheduling it.

Why triggers: the inputs are written by the services, by imports and the demo builder in bulk
SQL, by tests and scripts with raw SQL, and by other processes sharing the file. Only the
database sees every one of those writes, so triggers on the inputs — task rows (insert,
delete, and an update of any column the schedule reads), links, holidays (a common holiday,
`project_id` NULL, touches every project) and the project's start date — add one to the
project's inputs revision in the same statement. No writer can forget it; a schedule can only
be stale visibly. The triggers are SQLite's (the one backend that stores schedules trusted by
readers; see `queries.schedule`). Every existing project starts stale; `open_database`
stores their schedules once after migrating.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Task columns `queries.schedule.load_schedules` reads (with the row's existence).
TASK_INPUTS = (
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


def _bump(where: str) -> str:
    return f"UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE {where};"


def _of_tasks(*ids: str) -> str:
    return f"project_id IN (SELECT project_id FROM task WHERE id IN ({', '.join(ids)}))"


changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TASK_INPUTS)

TRIGGERS = {
    "schedule_project_added": (
        "AFTER INSERT ON project",
        "INSERT OR IGNORE INTO schedulestate (project_id, inputs_revision, scheduled_revision, "
        "critical_path, schedule_error) VALUES (NEW.id, 1, 0, '', '');",
    ),
    "schedule_project_start": (
        "AFTER UPDATE OF start_date ON project WHEN OLD.start_date IS NOT NEW.start_date",
        _bump("project_id = NEW.id"),
    ),
    "schedule_task_added": ("AFTER INSERT ON task", _bump("project_id = NEW.project_id")),
    "schedule_task_removed": ("AFTER DELETE ON task", _bump("project_id = OLD.project_id")),
    "schedule_task_changed": (
        f"AFTER UPDATE OF {', '.join(TASK_INPUTS)} ON task WHEN {changed}",
        _bump("project_id IN (OLD.project_id, NEW.project_id)"),
    ),
    "schedule_link_added": (
        "AFTER INSERT ON dependency",
        _bump(_of_tasks("NEW.predecessor_id", "NEW.successor_id")),
    ),
    "schedule_link_removed": (
        "AFTER DELETE ON dependency",
        _bump(_of_tasks("OLD.predecessor_id", "OLD.successor_id")),
    ),
    "schedule_link_changed": (
        "AFTER UPDATE ON dependency",
        _bump(
            _of_tasks(
                "OLD.predecessor_id", "OLD.successor_id", "NEW.predecessor_id", "NEW.successor_id"
            )
        ),
    ),
    "schedule_holiday_added": (
        "AFTER INSERT ON holiday",
        _bump("NEW.project_id IS NULL OR project_id = NEW.project_id"),
    ),
    "schedule_holiday_removed": (
        "AFTER DELETE ON holiday",
        _bump("OLD.project_id IS NULL OR project_id = OLD.project_id"),
    ),
    "schedule_holiday_changed": (
        "AFTER UPDATE ON holiday",
        _bump(
            "OLD.project_id IS NULL OR NEW.project_id IS NULL "
            "OR project_id IN (OLD.project_id, NEW.project_id)"
        ),
    ),
}


def upgrade() -> None:
    op.create_table(
        "schedulestate",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("inputs_revision", sa.Integer(), nullable=False),
        sa.Column("scheduled_revision", sa.Integer(), nullable=False),
        sa.Column("critical_path", sa.String(), nullable=False),
        sa.Column("schedule_error", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name="fk_schedulestate_project_id_project",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name="pk_schedulestate"),
    )
    op.create_table(
        "taskschedule",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("wbs", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("finish", sa.Date(), nullable=True),
        sa.Column("baseline_start", sa.Date(), nullable=True),
        sa.Column("baseline_finish", sa.Date(), nullable=True),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("is_summary", sa.Boolean(), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name="fk_taskschedule_project_id_project",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name="fk_taskschedule_task_id_task", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", name="pk_taskschedule"),
    )
    op.create_index("ix_taskschedule_project_position", "taskschedule", ["project_id", "position"])
    op.execute(
        "INSERT INTO schedulestate (project_id, inputs_revision, scheduled_revision, "
        "critical_path, schedule_error) SELECT id, 1, 0, '', '' FROM project"
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, (when, body) in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_taskschedule_project_position", table_name="taskschedule")
    op.drop_table("taskschedule")
    op.drop_table("schedulestate")
