"""updates sent by e-mail

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 23:00:00.000000

A communication log entry says what kind of contact it was (`kind`: empty for one logged by
hand or marked as sent, "update" for a status report e-mailed by itpm, "digest" for the
weekly digest) and keeps the text that was sent (`body`), so a run of `itpm updates send`
can tell from the log what already went out today (or this week), and the PM can read
later what a stakeholder was told. A stakeholder may opt in to the weekly digest
(`stakeholder.digest`). Existing rows get the server defaults: no kind, no body, no digest.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never a batch copy (see 0010: the stored totals' triggers name tables).


def upgrade() -> None:
    op.add_column(
        "stakeholder",
        sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "communicationentry",
        sa.Column("kind", sa.String(), nullable=False, server_default=""),
    )
    op.add_column(
        "communicationentry",
        sa.Column("body", sa.String(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE communicationentry DROP COLUMN body")
    op.execute("ALTER TABLE communicationentry DROP COLUMN kind")
    op.execute("ALTER TABLE stakeholder DROP COLUMN digest")
