"""An import writes its rows with the per-row triggers suspended (`storage.bulk_load`): the
database it leaves has the same triggers, the same stored totals and fresh schedules, as if
every row had gone through them — into an empty database and one that holds projects."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from itpm_tui.formats.portfolio_json import TransferError, import_json, write_json
from itpm_tui.services.context import Context
from itpm_tui.storage import bulk_load, project_totals
from itpm_tui.storage.schedule_store import stale_project_ids

SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"


def _schema(ctx: Context) -> list[Any]:
    assert ctx.db.path is not None
    with sqlite3.connect(ctx.db.path) as conn:
        return conn.execute(SCHEMA).fetchall()


def _kept_exact(ctx: Context) -> tuple[list[int], list[int]]:
    """The projects whose stored totals disagree with their rows, and those whose stored
    schedule is stale."""
    with ctx.db.read() as session:
        connection = session.connection()

        def run(sql: str, params: dict[str, Any]) -> list[Any]:
            return list(connection.execute(text(sql), params).all())

        return project_totals.disagreeing(run), stale_project_ids(connection)


@pytest.fixture
def export(demo_ctx: Context, tmp_path: Path) -> Path:
    """The demo exported, with its codes and handles renamed so it imports beside itself."""
    path = tmp_path / "portfolio.json"
    write_json(demo_ctx.db, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    for person in document["people"]:
        person["handle"] = person["handle"] and person["handle"] + "2"
    for project in document["projects"]:
        project["code"] += "-2"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_an_import_keeps_triggers_totals_and_schedules_as_the_triggers_would(
    demo_ctx: Context, export: Path
) -> None:
    before = _schema(demo_ctx)
    import_json(demo_ctx, export)  # the demo again, beside itself: ids shifted
    assert _schema(demo_ctx) == before
    assert _kept_exact(demo_ctx) == ([], [])
    with demo_ctx.db.read() as session:  # the copies sum as the originals do
        rows = session.connection().exec_driver_sql(
            "SELECT budget, actual, committed, leaf_count, leaf_percent, leaf_hours,"
            " leaf_earned FROM projecttotals ORDER BY project_id"
        )
        totals = [tuple(r) for r in rows]
    half = len(totals) // 2
    assert half and totals[:half] == totals[half:]


def test_a_refused_import_leaves_the_triggers_in_place(
    demo_ctx: Context, export: Path, tmp_path: Path
) -> None:
    document = json.loads(export.read_text(encoding="utf-8"))
    document["ledger_entries"][-1]["amount"] = "1.2.3"  # found after the tasks are written
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = _schema(demo_ctx)
    with pytest.raises(TransferError, match="amount"):
        import_json(demo_ctx, bad)
    assert _schema(demo_ctx) == before
    assert _kept_exact(demo_ctx) == ([], [])


def test_a_load_has_a_roomy_page_cache_and_gives_it_back(ctx: Context) -> None:
    """Inside `roomy_cache` SQLite may keep `CACHE_KIB` of pages; on leaving, normally or by
    an error, the connection has its own size again."""

    def size(connection: Any) -> int:
        return int(connection.exec_driver_sql("PRAGMA cache_size").scalar())

    with ctx.db.write() as session:
        connection = session.connection()
        before = size(connection)
        assert before != -bulk_load.CACHE_KIB
        with bulk_load.roomy_cache(connection):
            assert size(connection) == -bulk_load.CACHE_KIB
        assert size(connection) == before
        with pytest.raises(RuntimeError), bulk_load.roomy_cache(connection):
            raise RuntimeError
        assert size(connection) == before
