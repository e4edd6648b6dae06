"""outlook summaries

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 17:20:00.000000

The Projects screen's first rows read each project's outlook — its forecast and baseline
finish, its late tasks and milestones — from the stored schedules. Reading it over every
leaf joined to its task cost a third of the dashboard's first read at 100,000 tasks, so a
stored schedule now also keeps what does not depend on the day (`schedulestate`: the
latest finish of the leaves done and of those not, the latest baseline finish) and marks
each leaf not done (`taskschedule.open_kind`), indexed by finish, so a day's late leaves
are counted without reading the others. A stakeholder's latest contact is read from an
index of (stakeholder, day) instead of every entry. The upgrade fills the new figures in from
the stored schedules, which stay as fresh as they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedulestate") as batch_op:  # SQLite: ADD COLUMN, no copy
        batch_op.add_column(sa.Column("done_finish", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("open_finish", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("baseline_finish", sa.Date(), nullable=True))
    with op.batch_alter_table("taskschedule") as batch_op:  # rows stored before: 0, stale
        batch_op.add_column(
            sa.Column("open_kind", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_index(
        "ix_taskschedule_open_finish",
        "taskschedule",
        ["finish", "project_id", "open_kind"],
        sqlite_where=sa.text("open_kind > 0"),
        postgresql_where=sa.text("open_kind > 0"),
    )
    op.drop_index("ix_communicationentry_stakeholder_id", table_name="communicationentry")
    op.create_index(
        "ix_communicationentry_stakeholder_logged",
        "communicationentry",
        ["stakeholder_id", "logged_on"],
    )
    # the stored schedules stay as fresh as they were: their new figures are filled in here
    leaves = (
        "FROM taskschedule s JOIN task t ON t.id = s.task_id"
        " WHERE s.project_id = schedulestate.project_id AND NOT s.is_summary"
    )
    op.execute(
        "UPDATE schedulestate SET"
        f" done_finish = (SELECT max(coalesce(t.actual_finish, s.finish)) {leaves}"
        "  AND t.status = 'done'),"
        f" open_finish = (SELECT max(s.finish) {leaves} AND t.status != 'done'),"
        f" baseline_finish = (SELECT max(s.baseline_finish) {leaves})"
    )
    op.execute(
        "UPDATE taskschedule SET open_kind = (SELECT CASE WHEN taskschedule.is_summary"
        " OR t.status = 'done' THEN 0 WHEN t.is_milestone THEN 2 ELSE 1 END"
        " FROM task t WHERE t.id = taskschedule.task_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_communicationentry_stakeholder_logged", table_name="communicationentry")
    op.create_index(
        "ix_communicationentry_stakeholder_id", "communicationentry", ["stakeholder_id"]
    )
    op.drop_index("ix_taskschedule_open_finish", table_name="taskschedule")
    # in place (SQLite 3.35+): a batch copy would rename tables the triggers of 0006 name
    for table, column in (
        ("taskschedule", "open_kind"),
        ("schedulestate", "baseline_finish"),
        ("schedulestate", "open_finish"),
        ("schedulestate", "done_finish"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
