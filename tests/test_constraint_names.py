"""Every constraint has the models' conventional name, in new and in upgraded databases alike.

Revision 0004 recreates every SQLite table to name its constraints; these tests check that the
result matches the models name by name, that no row is lost on the way (with foreign keys on,
dropping a parent table would cascade-delete its children), and that downgrading gives back
the unnamed constraints of revision 0003.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, select

from itpm_tui.errors import DatabaseError
from itpm_tui.services.context import Context
from itpm_tui.storage.backend import GenericBackend
from itpm_tui.storage.database import (
    Database,
    alembic_config,
    head_revision,
    migrate,
    open_database,
    sqlite_url,
    store_stale_schedules,
)
from itpm_tui.storage.models import Dependency, LedgerEntry, Project, Task

FIXTURE = Path(__file__).parent / "data" / "itpm-rev0001.db"

Schema = dict[str, dict[str, Any]]


def schema_of_models() -> Schema:
    schema: Schema = {}
    for table in SQLModel.metadata.sorted_tables:
        pk = table.primary_key
        schema[table.name] = {
            "pk": (pk.name, tuple(c.name for c in pk.columns)),
            "fk": sorted(
                (
                    fk.name,
                    tuple(fk.column_keys),
                    fk.referred_table.name,
                    tuple(e.column.name for e in fk.elements),
                    fk.ondelete,
                )
                for fk in table.foreign_key_constraints
            ),
            "uq": sorted(
                (c.name, tuple(col.name for col in c.columns))
                for c in table.constraints
                if isinstance(c, sa.UniqueConstraint)
            ),
            "ix": sorted(
                (i.name, tuple(c.name for c in i.columns), bool(i.unique)) for i in table.indexes
            ),
        }
    return schema


def schema_of(db: Database) -> Schema:
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        schema: Schema = {}
        for table in inspector.get_table_names():
            if table == "alembic_version":
                continue
            pk = inspector.get_pk_constraint(table)
            schema[table] = {
                "pk": (pk["name"], tuple(pk["constrained_columns"])),
                "fk": sorted(
                    (
                        fk["name"],
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        tuple(fk["referred_columns"]),
                        fk["options"].get("ondelete"),
                    )
                    for fk in inspector.get_foreign_keys(table)
                ),
                "uq": sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(table)
                ),
                "ix": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
            }
    return schema


def constraint_names(schema: Schema) -> list[str | None]:
    return [
        entry[0] for table in schema.values() for entry in [table["pk"], *table["fk"], *table["uq"]]
    ]


def row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def assert_matches_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again
    schema = schema_of(db)
    assert schema == schema_of_models()
    assert None not in constraint_names(schema)


def test_a_new_database_has_every_constraint_named(db: Database) -> None:
    assert_matches_the_models(db)
    assert schema_of(db)["dependency"]["uq"] == [
        ("uq_dependency_predecessor_id_successor_id", ("predecessor_id", "successor_id"))
    ]


def test_a_database_of_revision_0001_gets_the_names_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    before = row_counts(path)
    db = open_database(sqlite_url(path))
    try:
        assert_matches_the_models(db)
        assert schema_of(db)["task"]["pk"] == ("pk_task", ("id",))
        with db.read() as session:
            task = session.exec(select(Task)).one()
            project = session.exec(select(Project)).one()
    finally:
        db.dispose()
    after = row_counts(path)
    assert {t: after[t] for t in before} == before
    # the one project's schedule is stored once on opening (migration 0006)
    assert (after["schedulestate"], after["taskschedule"]) == (1, 1)
    assert task.project_id == project.id  # the child of a recreated parent is still there
    assert project.code and task.name


def test_downgrade_and_upgrade_keep_every_row_and_toggle_the_names(demo_ctx: Context) -> None:
    db = demo_ctx.db
    assert db.path is not None
    with db.read() as session:
        dependencies = session.exec(select(Dependency.predecessor_id, Dependency.successor_id))
        edges = sorted(dependencies.all())
        ledger = sorted((e.id, e.amount, e.version) for e in session.exec(select(LedgerEntry)))
    full = row_counts(db.path)
    assert min(full[t] for t in ("task", "dependency", "projectstakeholder", "ledgerentry")) > 0

    # revisions 0006 and 0008: what is computed from the rows; 0009: the change counter;
    # 0013: the database identity; 0015: the published links (none in the demo)
    derived = {
        "schedulestate",
        "taskschedule",
        "projecttotals",
        "changecounter",
        "databaseidentity",
        "publishedlink",
    }
    portfolio = {t: n for t, n in full.items() if t not in derived}

    command.downgrade(alembic_config(db), "0003")
    assert row_counts(db.path) == portfolio | {"alembic_version": 1}
    assert set(constraint_names(schema_of(db))) == {None}  # as revision 0003 made them

    migrate(db)
    store_stale_schedules(db)  # what open_database does after migrating
    assert row_counts(db.path) == full
    assert_matches_the_models(db)
    with db.read() as session:
        dependencies = session.exec(select(Dependency.predecessor_id, Dependency.successor_id))
        assert sorted(dependencies.all()) == edges
        assert sorted((e.id, e.amount, e.version) for e in session.exec(select(LedgerEntry))) == (
            ledger
        )
        version = session.connection().exec_driver_sql("SELECT version_num FROM alembic_version")
        assert version.scalar() == head_revision()


def test_renaming_is_refused_while_foreign_keys_are_on(tmp_path: Path) -> None:
    """Without the SQLite backend's migration connection, recreating tables would cascade."""
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    url = sqlite_url(path)
    engine = sa.create_engine(url)
    sa.event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys = ON"))
    db = Database(url=url, engine=engine, backend=GenericBackend())
    try:
        with pytest.raises(DatabaseError, match="foreign keys on"):
            migrate(db)
    finally:
        db.dispose()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (1,)
    finally:
        conn.close()
