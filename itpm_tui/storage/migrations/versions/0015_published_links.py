"""published links

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 23:00:00.000000

The secret links `itpm serve` answers (`publishedlink`): a person's or a project's calendar
feed, a project's page for the helpdesk or the client. Each row keeps the SHA-256 of its
token (never the token), who made it and when, and when it was revoked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publishedlink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name="fk_publishedlink_person_id_person",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name="fk_publishedlink_project_id_project",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_publishedlink"),
        sa.UniqueConstraint("token_hash", name="uq_publishedlink_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("publishedlink")
