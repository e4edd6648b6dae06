"""database identity

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:30:00.000000

A one-row table (`databaseidentity`) holding a random UUID made here, once per database.
The UIDs of exported iCalendar events and vCards combine it with the record's id: stable
across exports of the same database, and different from any other database's (before this,
two databases gave their first milestone the same UID, and a calendar holding both merged
them).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "databaseidentity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_databaseidentity"),
    )
    op.bulk_insert(table, [{"id": 1, "uid": str(uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table("databaseidentity")
