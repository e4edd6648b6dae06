"""Many rows of new projects written at once, with the per-row triggers suspended.

SQLite's triggers keep each project's stored totals (`project_totals`) and schedule
revision (`schedule_store`) exact one row at a time: every task inserted re-sums its
project's leaf tasks, every link and ledger entry updates a row. For an import, which only
ever adds rows to projects it adds itself, that is most of the cost of writing a portfolio
(and grows with its size). So for the load those triggers on the tables below are dropped,
and before the transaction commits they are created again from their own stored SQL and
their effect is made once: the new projects' totals summed from their rows
(`project_totals.refill`); their schedules are stale already (a new project's state says
so, from the project trigger, which stays), so the transaction stores them
(`queries.schedule.refresh_stored`).

SQLite's schema changes are part of the transaction: no other connection ever sees the
database without its triggers, and a failed load rolls them back with its rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from itpm_tui.storage import project_totals

#: SQLite's page cache while a load writes, in KiB (negative: a size, not a count of pages).
#: With the default 2 MB the pages of the growing tables and indexes are spilled to the
#: write-ahead log again and again: 69,000 page writes for a 10 MB portfolio, not 8,000.
CACHE_KIB = 64 * 1024
#: The tables whose rows always belong to a project, and the triggers on them suspended.
TABLES = ("task", "dependency", "ledgerentry", "budgetline")
_TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
    f" AND tbl_name IN ({', '.join(repr(t) for t in TABLES)})"
    " AND (name LIKE 'totals\\_%' ESCAPE '\\' OR name LIKE 'schedule\\_%' ESCAPE '\\')"
    " ORDER BY name"
)


@contextmanager
def new_projects(connection: Any, after_id: int) -> Iterator[None]:
    """Inside, rows are written to projects whose id is above `after_id` (all new in this
    transaction) without the triggers of `TABLES`; on leaving normally, the triggers are
    back and those projects' totals are right. On an error nothing is put back: the
    caller's transaction must roll back (it restores the triggers too). Elsewhere than
    SQLite (no triggers) nothing is done."""
    if connection.dialect.name != "sqlite":
        yield
        return
    triggers = [(str(name), str(sql)) for name, sql in connection.exec_driver_sql(_TRIGGERS)]
    for name, _ in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        connection.exec_driver_sql(sql)

    def run(sql: str, params: dict[str, Any]) -> list[Any]:
        from sqlalchemy import text

        result = connection.execute(text(sql), params)
        return list(result.all()) if result.returns_rows else []

    project_totals.refill(run, after_id)


@contextmanager
def roomy_cache(connection: Any) -> Iterator[None]:
    """Inside, SQLite keeps up to `CACHE_KIB` of pages in memory (it takes only what the
    load touches), so the pages a load changes are written once, as it commits; the size
    the connection had is back on leaving. Elsewhere than SQLite nothing is done."""
    if connection.dialect.name != "sqlite":
        yield
        return
    size = int(connection.exec_driver_sql("PRAGMA cache_size").scalar())
    connection.exec_driver_sql(f"PRAGMA cache_size = {-CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {size}")
