"""downtime window follows its task

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:00:00.000000

A downtime window may name the task it belongs to (`task_id`, set to NULL when the task is
deleted) and keeps that task's scheduled start at the time it was saved (`anchor_start`), so
the window is read shifted by as many days as the task has moved since. It also gets the
`version` every other editable record has, so a stale edit is refused. Existing windows are
tied to no task and start at version 1 (SQLite needs the server default to fill them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("downtimewindow", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("anchor_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_index("ix_downtimewindow_task_id", ["task_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_downtimewindow_task_id_task", "task", ["task_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("downtimewindow", schema=None) as batch_op:
        batch_op.drop_constraint("fk_downtimewindow_task_id_task", type_="foreignkey")
        batch_op.drop_index("ix_downtimewindow_task_id")
        batch_op.drop_column("version")
        batch_op.drop_column("anchor_start")
        batch_op.drop_column("task_id")
