"""A whole portfolio moved from one database to another, and a SQLite file backed up.

`copy_database` reads the source in one read-only snapshot and writes the target in one
transaction: every portfolio table in foreign-key order, rows in batches of Core rows (never
ORM objects, so memory stays flat whatever the size), ids kept, money passed as exact
`Decimal`s by the column types. The target must be an empty database at this release's
schema; a failure anywhere leaves it as it was. Derived tables (the stored schedules) are
not copied: the target computes its own from the tasks, as it does after any migration.

`backup_sqlite` uses SQLite's online backup API: the copy is one consistent snapshot even
while others write, and is checked page by page before it is put in place.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, event, func, insert, inspect, literal, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import sort_tables
from sqlmodel import SQLModel, create_engine

from itpm_tui.errors import DatabaseError
from itpm_tui.private_files import write_private_file
from itpm_tui.storage.backend import backend_for
from itpm_tui.storage.database import (
    Database,
    busy_timeout_seconds,
    holds_rows,
    open_database,
    store_stale_schedules,
)
from itpm_tui.storage.failures import storage_error
from itpm_tui.storage.location import (
    connect_read_only,
    exists,
    head_revision,
    inspect_sqlite_file,
    require_existing,
    shown,
    sqlite_path,
)
from itpm_tui.storage.models import ALL_TABLES, Activity, ChangeCounter

#: Rows read and written at a time.
BATCH = 1_000

#: What a copy reports as it goes: the table being copied, rows copied so far, rows in all.
CopyProgress = Callable[[str, int, int], None]

#: The portfolio's tables, each after the tables it refers to. The schema's other tables
#: (the stored schedules) are computed from these: the target computes its own (on SQLite,
#: triggers mark every copied project's schedule stale, and `store_stale_schedules` stores it).
TABLES: list[Table] = sort_tables([model.__table__ for model in ALL_TABLES])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CopyReport:
    """What was copied: rows per table, in the order they were written."""

    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def copy_database(
    source_url: str, target_url: str, progress: CopyProgress | None = None
) -> CopyReport:
    """Copy every row of the portfolio at `source_url` into the empty database at
    `target_url` (a new SQLite file is created), all or nothing.

    Raises `DatabaseError` (nothing written) when the two are the same database, the source
    is not an itpm database at this release's schema, or the target holds any row or —
    a server — is not at this release's schema (`itpm db upgrade` migrates it).
    """
    if _same(source_url, target_url):
        raise DatabaseError(f"{shown(source_url)} is both the source and the target of the copy")
    source = _open_source(source_url)
    try:
        target = _open_target(target_url)
        try:
            report = _copy(source, source_url, target, progress)
            store_stale_schedules(target)  # its own, from the tasks just copied
        finally:
            target.dispose()
    finally:
        source.dispose()
    return report


def _same(first: str, second: str) -> bool:
    a, b = sqlite_path(first), sqlite_path(second)
    if a is None or b is None:
        return first == second
    return os.path.realpath(a) == os.path.realpath(b)


def _open_source(url: str) -> Engine:
    """An engine that reads `url` without ever writing it; refused unless it holds an itpm
    portfolio at this release's schema and no table this release does not know."""
    path = sqlite_path(url)
    if path is not None:
        require_existing(path)
        revision = inspect_sqlite_file(path)
        engine = _read_only_sqlite(path)
    else:
        engine, revision = backend_for(url).open(url)
        if engine.dialect.name == "postgresql":  # one snapshot, and the server refuses writes
            engine = engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
    where = shown(url)
    if revision is None:
        engine.dispose()
        raise DatabaseError(f"{where} holds no itpm database; nothing to copy")
    if revision != head_revision():
        engine.dispose()
        raise DatabaseError(
            f"{where} has schema {revision} and this release copies schema {head_revision()}: "
            "run `itpm db upgrade` on it first; nothing was copied"
        )
    try:
        with engine.connect() as connection:
            found = set(inspect(connection).get_table_names())
    except DBAPIError as exc:
        engine.dispose()
        raise storage_error(exc, f"read {where}") or exc from None
    unknown = sorted(found - set(SQLModel.metadata.tables) - {"alembic_version"})
    if unknown:
        engine.dispose()
        raise DatabaseError(
            f"{where} has tables this release does not know ({', '.join(unknown)}); "
            "nothing was copied"
        )
    return engine


def _read_only_sqlite(path: Path) -> Engine:
    """A SQLite engine on `path` opened `mode=ro`, whose transactions are real ones: every
    read of a copy sees the same snapshot, whatever others commit meanwhile."""
    timeout = busy_timeout_seconds()
    engine = create_engine(
        "sqlite://",
        creator=lambda: connect_read_only(path, timeout=timeout, check_same_thread=False),
        hide_parameters=True,  # an error never quotes the rows' data
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # BEGIN is issued below, not left to the driver

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _open_target(url: str) -> Database:
    """The empty target: a SQLite file is created and migrated if it is new (or empty); a
    server database must be at this release's schema already."""
    path = sqlite_path(url)
    where = shown(url)
    if path is not None:
        if exists(path) and inspect_sqlite_file(path) is not None:
            try:
                used = holds_rows(path)
            except sqlite3.Error as exc:
                raise storage_error(exc, f"read {where}") or exc from None
            if used:  # said before a migration could write it
                raise _not_empty(where)
        return open_database(url)
    backend = backend_for(url)
    engine, revision = backend.open(url)
    if revision != head_revision():
        engine.dispose()
        found = "has no itpm schema" if revision is None else f"has schema {revision}"
        raise DatabaseError(
            f"{where} {found} and this release writes schema {head_revision()}: "
            "run `itpm db upgrade` on it first; nothing was copied"
        )
    return Database(url=url, engine=engine, backend=backend)


def _not_empty(where: str) -> DatabaseError:
    return DatabaseError(
        f"{where} is not empty: itpm copies only into an empty database; nothing was written"
    )


def _copy(
    source: Engine, source_url: str, target: Database, progress: CopyProgress | None
) -> CopyReport:
    """Every table in one read snapshot of the source and one write transaction of the
    target (rolled back if anything fails)."""
    doing = f"copy {shown(source_url)} to {shown(target.url)}"
    try:
        with source.connect() as reading, reading.begin(), target.write() as session:
            try:
                return CopyReport(_fill(reading, session.connection(), target, progress))
            except DBAPIError as exc:  # said here: `write` would call it a failed save
                raise storage_error(exc, doing) or exc from None
    except DBAPIError as exc:  # the source could not be read at all
        raise storage_error(exc, doing) or exc from None


def _fill(
    reading: Connection, writing: Connection, target: Database, progress: CopyProgress | None
) -> dict[str, int]:
    """Copy every table into the target, checked empty in the same transaction; the rows
    copied per table."""
    if any(writing.execute(_any_row(table)).first() for table in TABLES):
        raise _not_empty(shown(target.url))
    total = sum(int(reading.execute(_count(table)).scalar_one()) for table in TABLES)
    rows: dict[str, int] = {}
    done = 0
    for table in TABLES:
        rows[table.name] = 0
        for batch in _copy_table(reading, writing, table):
            rows[table.name] += batch
            done += batch
            if progress is not None:
                progress(table.name, done, total)
    # PostgreSQL's id sequences follow the copied ids by themselves (`postgres_backend`)
    _counter_follows_history(writing)
    return rows


def _any_row(table: Table) -> Any:
    return select(literal(1)).select_from(table).limit(1)


def _count(table: Table) -> Any:
    return select(func.count()).select_from(table)


def _copy_table(reading: Connection, writing: Connection, table: Table) -> Iterator[int]:
    """Copy `table` a batch at a time, yielding each batch's size.

    A column pointing into its own table (a task's parent) may point at a row with a higher
    id, which does not exist yet when the row is written (the keys are checked at once); such
    columns are written empty first and set in a second pass, once every row is there."""
    own = [
        column.name
        for column in table.columns
        if any(fk.column.table is table for fk in column.foreign_keys)
    ]
    query = select(*table.columns).order_by(*table.primary_key.columns)
    for batch in reading.execute(query.execution_options(yield_per=BATCH)).partitions():
        values = [row._asdict() for row in batch]
        for row in values:
            row.update(dict.fromkeys(own))
        writing.execute(insert(table), values)
        yield len(values)
    for name in own:
        _link_within(reading, writing, table, name)


def _link_within(reading: Connection, writing: Connection, table: Table, name: str) -> None:
    """Set column `name` of the copied rows of `table` to the source's values, streamed."""
    (key,) = table.primary_key.columns
    column = table.c[name]
    change = update(table).where(key == bindparam("_key")).values({name: bindparam("_to")})
    linked = select(key, column).where(column.is_not(None)).order_by(key)
    for batch in reading.execute(linked.execution_options(yield_per=BATCH)).partitions():
        writing.execute(change, [{"_key": row_key, "_to": to} for row_key, to in batch])


def _counter_follows_history(writing: Connection) -> None:
    """The copied history keeps its change stamps: the target's change counter moves past
    them, so every later write is newer than each copied one to a dashboard's poll."""
    newest = writing.execute(select(func.max(Activity.change))).scalar()
    if newest is not None:
        writing.execute(
            update(ChangeCounter)
            .where(ChangeCounter.value < newest)  # type: ignore[arg-type]
            .values(value=newest)
        )


def backup_sqlite(url: str, file: Path, *, replace: bool = False) -> None:
    """Write a consistent copy of the SQLite database at `url` to `file` with SQLite's online
    backup API, while others may be writing it: private (0600) when new, an existing file
    replaced only with `replace` (keeping its mode), never half-written (see
    `private_files`). A server database is refused, pointing at its own tool."""
    path = sqlite_path(url)
    if path is None:
        raise DatabaseError(
            f"{shown(url)} is a server database: back it up with the server's own tool, "
            "e.g. pg_dump (see the README, 'Where things are kept')"
        )
    require_existing(path)
    if inspect_sqlite_file(path) is None:
        raise DatabaseError(f"{path} holds no itpm database; nothing to back up")
    if exists(file) and os.path.realpath(file) == os.path.realpath(path):
        raise DatabaseError(f"{file} is the database itself; back it up to another file")

    def fill(tmp: Path) -> None:
        live = connect_read_only(path, timeout=busy_timeout_seconds())
        with closing(live), closing(sqlite3.connect(tmp)) as copy:
            live.backup(copy)  # one step: one read snapshot, writers carry on (WAL)
            # checked on this connection: closing it, the last one, removes the copy's
            # -wal and -shm files (a read-only check would leave them behind)
            (found,) = copy.execute("PRAGMA quick_check").fetchone()
        if found != "ok":
            raise DatabaseError(f"the backup of {path} did not check out ({found}); not written")

    try:
        write_private_file(file, fill, replace=replace)
    except sqlite3.Error as exc:
        raise storage_error(exc, f"back up {path}") or exc from None
