"""name every constraint

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:00:00.000000

Primary keys, foreign keys and unique constraints get the names of the models' naming
convention (`storage.models.NAMING_CONVENTION`), so later migrations can drop or change them
by name. SQLite cannot rename a constraint, so every table is recreated (batch mode: copy
into a new table, drop the old, rename) with rows, indexes and foreign keys carried over.

That runs with foreign keys off (see `SqliteBackend.migration_connection`): dropping a
parent table with them on would cascade-delete its children. Before committing, the keys
are checked, and the migration is rolled back if the copy broke any.

Other databases are left as they are: one created by this release has the names from the
start (alembic applies the convention in `create_table`); one created earlier keeps the names
its server gave, for a server backend's first migration to rename with ALTER TABLE.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from itpm_tui.errors import DatabaseError

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As 0003 left them; parents first, though with foreign keys off the order does not matter.
TABLES = (
    "person",
    "stakeholder",
    "project",
    "activity",
    "budgetline",
    "changerequest",
    "communicationentry",
    "deliverable",
    "downtimewindow",
    "holiday",
    "ledgerentry",
    "progresssnapshot",
    "projectstakeholder",
    "risk",
    "task",
    "dependency",
)

NAMING_CONVENTION = {  # frozen here: the models' convention may change in a later revision
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def upgrade() -> None:
    def named(name: str) -> None:
        # Reflected names are kept; the convention names the constraints that have none.
        with op.batch_alter_table(name, recreate="always", naming_convention=NAMING_CONVENTION):
            pass

    _recreate_sqlite_tables(named)


def downgrade() -> None:
    def unnamed(name: str) -> None:
        table = sa.Table(name, sa.MetaData(), autoload_with=op.get_bind())
        for constraint in table.constraints:
            constraint.name = None
        with op.batch_alter_table(name, recreate="always", copy_from=table):
            pass

    _recreate_sqlite_tables(unnamed)


def _recreate_sqlite_tables(recreate: Callable[[str], None]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise DatabaseError(
            "cannot rename constraints with foreign keys on: recreating a table would "
            "cascade-delete the rows that refer to it"
        )
    before = _broken_keys()
    for name in TABLES:
        recreate(name)
    broken = _broken_keys() - before
    if broken:
        raise DatabaseError(
            "renaming constraints broke foreign keys "
            f"({', '.join(f'{t} → {p}' for t, p in sorted(broken))}); nothing was changed"
        )


def _broken_keys() -> Counter[tuple[str, str]]:
    """Rows whose foreign key points nowhere, counted per (table, referred table)."""
    rows = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").all()
    return Counter((row[0], row[2]) for row in rows)
