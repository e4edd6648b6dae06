"""ledger entry version

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 10:00:00.000000

Ledger entries get the `version` every other editable record has, so an edit or delete
made from a stale screen is refused instead of overwriting a colleague's newer edit.
Existing entries start at version 1 (SQLite needs the server default to fill them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledgerentry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("ledgerentry", schema=None) as batch_op:
        batch_op.drop_column("version")
