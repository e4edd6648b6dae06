"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 22:35:38.998991
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("handle", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("skills", sa.String(), nullable=False),
        sa.Column("weekly_capacity_hours", sa.BigInteger(), nullable=False),
        sa.Column("cost_rate", sa.BigInteger(), nullable=False),
        sa.Column("cost_currency", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_handle"), ["handle"], unique=True)

    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("organisation", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("cadence", sa.String(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("sponsor", sa.String(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("phase", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("baseline_start", sa.Date(), nullable=True),
        sa.Column("baseline_end", sa.Date(), nullable=True),
        sa.Column("baseline_set_on", sa.Date(), nullable=True),
        sa.Column("objective", sa.String(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("kpis", sa.String(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("signed_off_by", sa.String(), nullable=False),
        sa.Column("signed_off_on", sa.Date(), nullable=True),
        sa.Column("closing_override", sa.String(), nullable=False),
        sa.Column("lessons", sa.String(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["manager_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_code"), ["code"], unique=True)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old_value", sa.String(), nullable=False),
        sa.Column("new_value", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_project_at", ["project_id", "at"], unique=False)

    op.create_table(
        "budgetline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("budgetline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budgetline_project_id"), ["project_id"], unique=False)

    op.create_table(
        "changerequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("cost_impact", sa.BigInteger(), nullable=False),
        sa.Column("schedule_impact_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("changerequest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_changerequest_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "communicationentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("logged_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholder.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("communicationentry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_communicationentry_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("acceptance_criteria", sa.String(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("accepted_by", sa.String(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("acceptance_note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliverable_project_id"), ["project_id"], unique=False)

    op.create_table(
        "downtimewindow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("systems", sa.String(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("downtimewindow", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_downtimewindow_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "holiday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("holiday", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holiday_day"), ["day"], unique=False)

    op.create_table(
        "ledgerentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("vendor", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("invoice_ref", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledgerentry", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_project_date", ["project_id", "entry_date"], unique=False)

    op.create_table(
        "progresssnapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("remaining_hours", sa.BigInteger(), nullable=False),
        sa.Column("remaining_tasks", sa.Integer(), nullable=False),
        sa.Column("percent_complete", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "day"),
    )
    op.create_table(
        "projectstakeholder",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholder.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "stakeholder_id"),
    )
    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("response", sa.String(), nullable=False),
        sa.Column("mitigation", sa.String(), nullable=False),
        sa.Column("contingency", sa.String(), nullable=False),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("residual_probability", sa.Integer(), nullable=True),
        sa.Column("residual_impact", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_project_id"), ["project_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("wbs", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("is_milestone", sa.Boolean(), nullable=False),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_finish", sa.Date(), nullable=True),
        sa.Column("baseline_start", sa.Date(), nullable=True),
        sa.Column("baseline_finish", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_finish", sa.Date(), nullable=True),
        sa.Column("estimate_hours", sa.BigInteger(), nullable=False),
        sa.Column("remaining_hours", sa.BigInteger(), nullable=False),
        sa.Column("percent_complete", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("needs_downtime", sa.Boolean(), nullable=False),
        sa.Column("blocked_reason", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["parent_id"], ["task.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index("ix_task_project_order", ["project_id", "sort_order"], unique=False)

    op.create_table(
        "dependency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("lag_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["predecessor_id"], ["task.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["successor_id"], ["task.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("predecessor_id", "successor_id"),
    )
    with op.batch_alter_table("dependency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dependency_predecessor_id"), ["predecessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dependency_successor_id"), ["successor_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("dependency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dependency_successor_id"))
        batch_op.drop_index(batch_op.f("ix_dependency_predecessor_id"))

    op.drop_table("dependency")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_project_order")
        batch_op.drop_index(batch_op.f("ix_task_assignee_id"))

    op.drop_table("task")
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_project_id"))

    op.drop_table("risk")
    op.drop_table("projectstakeholder")
    op.drop_table("progresssnapshot")
    with op.batch_alter_table("ledgerentry", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_project_date")

    op.drop_table("ledgerentry")
    with op.batch_alter_table("holiday", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holiday_day"))

    op.drop_table("holiday")
    with op.batch_alter_table("downtimewindow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_downtimewindow_project_id"))

    op.drop_table("downtimewindow")
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliverable_project_id"))

    op.drop_table("deliverable")
    with op.batch_alter_table("communicationentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communicationentry_stakeholder_id"))

    op.drop_table("communicationentry")
    with op.batch_alter_table("changerequest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changerequest_project_id"))

    op.drop_table("changerequest")
    with op.batch_alter_table("budgetline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budgetline_project_id"))

    op.drop_table("budgetline")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_project_at")

    op.drop_table("activity")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_code"))

    op.drop_table("project")
    op.drop_table("stakeholder")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_handle"))

    op.drop_table("person")
