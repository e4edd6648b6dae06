"""versions for every editable record

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 11:00:00.000000

Deliverables, budget lines and communication log entries get the `version` every other
editable record has. With it SQLAlchemy's version counter checks the version in the UPDATE
itself (`... WHERE id = ? AND version = ?`), so accepting a deliverable, editing a budget
line or a log entry from a stale screen is refused instead of overwriting a colleague.
Existing rows start at version 1 (the server default fills them, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: The tables that had no version column before this revision.
TABLES = ("deliverable", "budgetline", "communicationentry")


# Plain ALTER TABLE on every database, never a batch copy of the table: on SQLite a copy
# renamed into place is refused while the stored totals' triggers (0008) name the table.


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
