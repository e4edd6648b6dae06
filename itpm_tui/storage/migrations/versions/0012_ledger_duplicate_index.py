"""ledger duplicate index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 17:30:00.000000

A ledger import skips the entries already booked (same date, amount, vendor, description and
invoice; `services.ledger._drop_booked`). Looking each imported row up by project and day
alone reads every entry of that day — 900 per row when a project books 300,000 entries over
a year. With the amount in the index the lookup reads only the entries of that amount. The
index replaces (project, date), which it serves as its first two columns.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# Plain CREATE/DROP INDEX, never a batch copy of the table: on SQLite a copy renamed into
# place is refused while the stored totals' triggers (0008) name the table.
def upgrade() -> None:
    op.create_index(
        "ix_ledger_project_date_amount",
        "ledgerentry",
        ["project_id", "entry_date", "amount"],
        unique=False,
    )
    op.drop_index("ix_ledger_project_date", table_name="ledgerentry")


def downgrade() -> None:
    op.create_index(
        "ix_ledger_project_date", "ledgerentry", ["project_id", "entry_date"], unique=False
    )
    op.drop_index("ix_ledger_project_date_amount", table_name="ledgerentry")
