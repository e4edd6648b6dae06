"""scheduled clock times

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 07:00:00.000000

The stored schedule (`taskschedule`) keeps, for a plan scheduled in working minutes (a task
lasting `4h`, or starting at a time), the clock time a task's work starts when it is not the
day's first hour and ends when it is not the day's last (`start_time`, `finish_time`; NULL
otherwise), so My work and the task detail show `13:00` as the Timeline does. Schedules
stored before are of whole days (part-day tasks come with 0018, in the same release), for
which NULL is right: nothing is marked stale, so an upgrade writes nothing a dashboard
would take for a change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite: ADD COLUMN in place; a batch copy would rename tables the triggers of 0006 name
    op.add_column("taskschedule", sa.Column("start_time", sa.Time(), nullable=True))
    op.add_column("taskschedule", sa.Column("finish_time", sa.Time(), nullable=True))


def downgrade() -> None:
    # in place (SQLite 3.35+): a batch copy would rename tables the triggers of 0006 name
    op.execute("ALTER TABLE taskschedule DROP COLUMN finish_time")
    op.execute("ALTER TABLE taskschedule DROP COLUMN start_time")
