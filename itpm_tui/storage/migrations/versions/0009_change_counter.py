"""change counter

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00.000000

A one-row counter (`changecounter`) that every write transaction adds one to first, and the
counter's value on each activity entry (`activity.change`, indexed). The counter is the
change token the dashboards poll: commit-ordered on every backend (a sequence's ids are
handed out at insert time, so a slow writer can commit a smaller id after a poll saw a larger
one), and on a server its row lock makes writers take turns as SQLite's `BEGIN IMMEDIATE`
does. Existing entries take their id as their change and the counter starts at the newest
id, so nothing looks changed to a dashboard after the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changecounter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_changecounter"),
    )
    with op.batch_alter_table("activity") as batch_op:  # SQLite: ADD COLUMN, no copy
        batch_op.add_column(sa.Column("change", sa.BigInteger(), nullable=True))
    op.execute("UPDATE activity SET change = id")
    op.create_index("ix_activity_change", "activity", ["change"])
    op.execute("INSERT INTO changecounter (id, value) SELECT 1, COALESCE(MAX(id), 0) FROM activity")


def downgrade() -> None:
    op.drop_index("ix_activity_change", table_name="activity")
    with op.batch_alter_table("activity") as batch_op:
        batch_op.drop_column("change")
    op.drop_table("changecounter")
