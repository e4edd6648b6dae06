"""Stored project totals: exact after any write — services, raw SQL, cascades — filled by the
upgrade from revision 0007, read the same as summed, found and repaired by `itpm doctor`."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, version_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_task_cli import Run

from itpm_tui.domain.ledger import BudgetLineDraft, EntryDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.errors import ItpmError
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.queries.portfolio_rows import open_milestone, read_portfolio
from itpm_tui.services.budget_lines import add_budget_line, delete_budget_line, update_budget_line
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry, delete_entry, update_entry
from itpm_tui.services.outline_edits import MOVES, add_task, delete_task, move_task
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import update_task
from itpm_tui.storage import project_totals
from itpm_tui.storage.database import alembic_config, open_database, sqlite_url
from itpm_tui.storage.models import OPEN_MILESTONE, BudgetLine, LedgerEntry, Task
from itpm_tui.storage.project_totals import Totals

MONDAY = date(2026, 3, 2)


def run_on(path: Path) -> tuple[sqlite3.Connection, project_totals.Run]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")  # as itpm's own connections
    return conn, lambda sql, params: conn.execute(sql, params).fetchall()


def stored_and_summed(path: Path) -> tuple[dict[int, Totals], dict[int, Totals]]:
    conn, run = run_on(path)
    try:
        return project_totals.stored(run), project_totals.computed(run)
    finally:
        conn.close()


def assert_exact(path: Path) -> dict[int, Totals]:
    kept, summed = stored_and_summed(path)
    assert kept == summed
    return kept


def raw(path: Path, sql: str, *params: object) -> None:
    conn, _ = run_on(path)
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


def two_projects(ctx: Context) -> list[int]:
    return [
        create_project(ctx, ProjectDraft(code=code, name=code, start_date=MONDAY))
        for code in ("A-1", "B-1")
    ]


def test_a_project_sums_its_leaves_its_budget_and_its_spend_by_kind(ctx: Context) -> None:
    assert ctx.db.path is not None
    pid, _ = two_projects(ctx)
    top = add_task(ctx, pid, TaskDraft(name="Phase", estimate_hours=Decimal(5)))
    child = add_task(
        ctx,
        pid,
        TaskDraft(name="Build", estimate_hours=Decimal("2.5"), percent_complete=40),
        parent=top,
    )
    add_task(ctx, pid, TaskDraft(name="Test", estimate_hours=Decimal(1), percent_complete=10))
    add_budget_line(ctx, pid, BudgetLineDraft("hardware", "Servers", "1000.25"))
    add_entry(ctx, pid, EntryDraft(MONDAY, "Dell", "hardware", "Disks", "10.50"))
    add_entry(ctx, pid, EntryDraft(MONDAY, "Dell", "hardware", "PO", "99", kind="committed"))
    kept = assert_exact(ctx.db.path)[pid]
    # the phase has a child: only Build and Test are leaves
    assert kept == Totals(10_002_500, 105_000, 990_000, 2, 50, 350, 250 * 40 + 100 * 10)
    delete_task(
        ctx, child, version_of(ctx.db, Task, child)
    )  # the phase is a leaf again, with its own figures
    assert assert_exact(ctx.db.path)[pid].leaf_hours == 500 + 100


def test_raw_writes_and_cascades_keep_the_totals_exact(ctx: Context) -> None:
    path = ctx.db.path
    assert path is not None
    a, b = two_projects(ctx)
    top = add_task(ctx, a, TaskDraft(name="Phase", estimate_hours=Decimal(8), percent_complete=50))
    leaf = add_task(ctx, a, TaskDraft(name="Leaf", estimate_hours=Decimal(3)), parent=top)
    other = add_task(ctx, b, TaskDraft(name="Other", estimate_hours=Decimal(2)))
    add_entry(ctx, a, EntryDraft(MONDAY, "V", "hardware", "x", "7"))
    steps = [
        ("UPDATE task SET parent_id = NULL WHERE id = ?", leaf),  # the phase a leaf again
        ("UPDATE task SET parent_id = ? WHERE id = ?", other, leaf),  # under another's task
        ("UPDATE task SET project_id = ? WHERE id = ?", b, leaf),
        ("UPDATE task SET percent_complete = 100, estimate_hours = 1234 WHERE id = ?", other),
        ("UPDATE ledgerentry SET kind = 'committed', project_id = ?", b),
        (
            "INSERT INTO budgetline (project_id, category, description, amount)"
            " VALUES (?, 'x', '', 5)",
            b,
        ),
        ("UPDATE budgetline SET amount = amount * 3",),
        ("DELETE FROM task WHERE id = ?", top),
        ("DELETE FROM project WHERE id = ?", b),  # its rows go by cascade, its totals too
    ]
    for sql, *params in steps:
        raw(path, sql, *params)
        assert_exact(path)
    assert set(stored_and_summed(path)[0]) == {a}


def test_deleting_a_summary_removes_its_subtree_from_the_sums(ctx: Context) -> None:
    path = ctx.db.path
    assert path is not None
    pid, _ = two_projects(ctx)
    top = add_task(ctx, pid, TaskDraft(name="Top", estimate_hours=Decimal(1)))
    mid = add_task(ctx, pid, TaskDraft(name="Mid", estimate_hours=Decimal(2)), parent=top)
    add_task(ctx, pid, TaskDraft(name="Low", estimate_hours=Decimal(4)), parent=mid)
    add_task(ctx, pid, TaskDraft(name="Side", estimate_hours=Decimal(8)))
    raw(path, "DELETE FROM task WHERE id = ?", top)  # the others by ON DELETE CASCADE
    assert assert_exact(path)[pid] == Totals(leaf_count=1, leaf_hours=800)


edits = st.one_of(
    st.tuples(
        st.just("add task"),
        st.integers(0, 1),
        st.integers(0, 60),
        st.integers(0, 40),
        st.integers(0, 100),
    ),
    st.tuples(st.just("edit task"), st.integers(0, 60), st.integers(0, 40), st.integers(0, 99)),
    st.tuples(st.just("reparent"), st.integers(0, 60), st.integers(0, 60)),
    st.tuples(st.just("move"), st.integers(0, 60), st.sampled_from(MOVES)),
    st.tuples(st.just("delete task"), st.integers(0, 60)),
    st.tuples(
        st.just("add entry"),
        st.integers(0, 1),
        st.sampled_from(["actual", "committed"]),
        st.decimals(-500, 5000, places=2),
    ),
    st.tuples(st.just("edit entry"), st.integers(0, 60), st.decimals(-50, 900, places=2)),
    st.tuples(st.just("delete entry"), st.integers(0, 60)),
    st.tuples(st.just("add line"), st.integers(0, 1), st.decimals(0, 9000, places=2)),
    st.tuples(st.just("edit line"), st.integers(0, 60), st.decimals(0, 900, places=2)),
    st.tuples(st.just("delete line"), st.integers(0, 60)),
)


def pick(path: Path, sql: str, n: int) -> int | None:
    conn, _ = run_on(path)
    try:
        ids = [int(i) for (i,) in conn.execute(sql)]
    finally:
        conn.close()
    return ids[n % len(ids)] if ids else None


def apply(ctx: Context, pids: list[int], edit: tuple[Any, ...]) -> None:
    """One service write; a write the service refuses (a cycle, an impossible move) leaves
    everything as it was, which the totals must show too."""
    path = ctx.db.path
    assert path is not None
    kind, *args = edit
    task = pick(path, "SELECT id FROM task ORDER BY id", args[0]) if "task" in kind else None
    if kind == "add task":
        which, parent, hours, percent = args
        pid = pids[which]
        under = pick(path, f"SELECT id FROM task WHERE project_id = {pid} ORDER BY id", parent)
        draft = TaskDraft(name="T", estimate_hours=Decimal(hours), percent_complete=percent)
        add_task(ctx, pid, draft, parent=under if parent % 3 else None)
    elif kind == "edit task" and task is not None:
        _, hours, percent = args
        update_task(
            ctx,
            task,
            TaskDraft(name="T", estimate_hours=Decimal(hours), percent_complete=percent),
            [],
            version_of(ctx.db, Task, task),
        )
    elif kind == "reparent" and (child := pick(path, "SELECT id FROM task", args[0])):
        parent = pick(path, "SELECT id FROM task", args[1])
        draft = TaskDraft(name="T", parent_id=parent)
        update_task(ctx, child, draft, [], version_of(ctx.db, Task, child))
    elif kind == "move" and (moved := pick(path, "SELECT id FROM task", args[0])):
        move_task(ctx, moved, args[1], expected_version=None)
    elif kind == "delete task" and task is not None:
        delete_task(ctx, task, version_of(ctx.db, Task, task))
    elif kind == "add entry":
        which, entry_kind, amount = args
        add_entry(ctx, pids[which], EntryDraft(MONDAY, "V", "hardware", "x", amount, entry_kind))
    elif kind == "edit entry" and (entry := pick(path, "SELECT id FROM ledgerentry", args[0])):
        draft = EntryDraft(MONDAY, "V", "hardware", "x", args[1], "committed")
        update_entry(ctx, entry, draft, version_of(ctx.db, LedgerEntry, entry))
    elif kind == "delete entry" and (entry := pick(path, "SELECT id FROM ledgerentry", args[0])):
        delete_entry(ctx, entry, version_of(ctx.db, LedgerEntry, entry))
    elif kind == "add line":
        which, amount = args
        count = pick(path, "SELECT count(*) FROM budgetline", 0)
        add_budget_line(ctx, pids[which], BudgetLineDraft(f"c{count}", "", amount))
    elif kind == "edit line" and (line := pick(path, "SELECT id FROM budgetline", args[0])):
        draft = BudgetLineDraft(f"e{line}", "", args[1])
        update_budget_line(ctx, line, draft, version_of(ctx.db, BudgetLine, line))
    elif kind == "delete line" and (line := pick(path, "SELECT id FROM budgetline", args[0])):
        delete_budget_line(ctx, line, version_of(ctx.db, BudgetLine, line))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(edits, min_size=1, max_size=12))
def test_stored_totals_equal_the_sums_after_any_service_writes(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[Any, ...]]
) -> None:
    path = tmp_path_factory.mktemp("totals") / "t.db"
    db = open_database(sqlite_url(path))
    try:
        ctx = Context(db, "tester", clock=lambda: MONDAY)
        pids = two_projects(ctx)
        for step in steps:
            with contextlib.suppress(ItpmError):  # refused: nothing written
                apply(ctx, pids, step)
            assert_exact(path)
    finally:
        db.dispose()


def test_the_rows_read_from_stored_totals_equal_those_summed(demo_ctx: Context) -> None:
    """The SQLite path (stored) and every other database's (summed) give the same rows."""
    path = demo_ctx.db.path
    assert path is not None
    conn, run = run_on(path)
    try:
        stored_rows = read_portfolio(run, TODAY, include_archived=True)
        raw(path, "DELETE FROM projecttotals")  # nothing stored: the rows are summed
        summed_rows = read_portfolio(run, TODAY, include_archived=True)
    finally:
        conn.close()
    assert stored_rows is not None and stored_rows == summed_rows
    assert any(r.actual for r in stored_rows) and any(r.percent_complete for r in stored_rows)


def test_the_upgrade_from_0007_sums_the_existing_rows(demo_ctx: Context, tmp_path: Path) -> None:
    from alembic import command

    assert demo_ctx.db.path is not None
    before = portfolio(demo_ctx.db, TODAY, include_archived=True)
    old = tmp_path / "rev0007.db"
    shutil.copy(demo_ctx.db.path, old)
    db = open_database(sqlite_url(old))
    try:
        command.downgrade(alembic_config(db), "0007")
    finally:
        db.dispose()
    conn = sqlite3.connect(old)
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "projecttotals" not in tables and "totals_task_added" not in tables
    upgraded = open_database(sqlite_url(old))
    try:
        kept = assert_exact(old)
        assert len(kept) == len(before) and any(t.actual and t.leaf_count for t in kept.values())
        assert portfolio(upgraded, TODAY, include_archived=True) == before
        pid = before[0].id
        add_entry(Context(upgraded, "tester"), pid, EntryDraft(MONDAY, "V", "hardware", "x", "1"))
        assert assert_exact(old)[pid].actual == kept[pid].actual + 10_000  # triggers in place
    finally:
        upgraded.dispose()


def test_doctor_finds_totals_that_disagree_and_repair_rewrites_them(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_ctx.db.path
    assert path is not None
    before = portfolio(demo_ctx.db, TODAY, include_archived=True)
    itpm = Run(path, capsys, monkeypatch)
    code, out, _ = itpm("doctor")
    assert "ok    stored totals: every project's are the sums of its rows" in out
    raw(path, "UPDATE projecttotals SET actual = actual + 1 WHERE project_id = 2")
    raw(path, "DELETE FROM projecttotals WHERE project_id = 3")
    code, out, _ = itpm("doctor")
    assert code == 1
    assert "stored totals of 2 projects disagree with their rows (ids 2, 3)" in out
    assert f"itpm --db {path} doctor --repair" in out
    code, out, _ = itpm("doctor", "--repair")
    assert out.splitlines()[0] == "repaired the stored totals of 2 projects"
    assert "every project's are the sums of its rows" in out
    assert_exact(path)
    assert portfolio(demo_ctx.db, TODAY, include_archived=True) == before
    assert itpm("doctor", "--repair")[1].splitlines()[0] == "stored totals: none to repair"


def test_the_open_milestones_are_read_through_their_partial_index(demo_ctx: Context) -> None:
    """SQLite uses a partial index only when the query states its condition: the queries'
    text and the index's are the same, and the plan says the index is used."""
    path = demo_ctx.db.path
    assert path is not None
    assert open_milestone() == OPEN_MILESTONE
    conn, _ = run_on(path)
    try:
        plan = conn.execute(
            f"EXPLAIN QUERY PLAN SELECT DISTINCT project_id, planned_finish FROM task"
            f" WHERE {open_milestone()} AND planned_finish IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    assert any("ix_task_open_milestone" in str(step[-1]) for step in plan)
