"""The team database: PostgreSQL opened and upgraded on purpose, and on every backend a
commit-ordered change token whose counter makes writers take turns (real processes)."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from conftest import TODAY
from conftest import run_cli as run
from sqlalchemy import text
from sqlmodel import select

from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, DatabaseError
from itpm_tui.queries.tasks import load_task_edit
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import update_task
from itpm_tui.storage.database import CHANGE, alembic_config, open_database, upgrade_database
from itpm_tui.storage.location import head_revision, redact_url, resolve_url
from itpm_tui.storage.models import Activity, Dependency

# --- URLs and passwords ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("postgresql://ana@db.example/itpm", "postgresql+psycopg://ana@db.example/itpm"),
        ("postgres://ana@db.example/itpm", "postgresql+psycopg://ana@db.example/itpm"),
        ("postgresql+psycopg://ana@db/itpm", "postgresql+psycopg://ana@db/itpm"),
    ],
)
def test_a_postgresql_url_means_psycopg_from_every_source(
    given: str, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_url(given) == url  # --db
    assert resolve_url(None, given) == url  # config database_url
    monkeypatch.setenv("ITPM_DB", given)
    assert resolve_url(None) == url


def test_a_password_is_never_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql://ana:s3cr%40t@127.0.0.1:1/itpm"
    assert run(capsys, "config", "set", "database_url", url)[0] == 0
    code, out, _ = run(capsys, "config", "show")
    assert code == 0 and "s3cr" not in out and "ana:***@127.0.0.1" in out
    code, out, err = run(capsys, "my")  # nothing listens on port 1
    assert code == 2 and "s3cr" not in out + err
    assert err.startswith("itpm: cannot open the database: connection failed")


# --- schema on a server: explicit ----------------------------------------------------------


def test_a_server_database_is_migrated_only_by_db_upgrade(
    postgres_empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(DatabaseError, match="no itpm tables yet; run itpm db upgrade --db '"):
        open_database(postgres_empty_url)
    code, out, err = run(capsys, "my", "--db", postgres_empty_url)
    assert code == 2 and err.count("\n") == 1 and "itpm db upgrade" in err

    from alembic import command

    old = open_database(postgres_empty_url, upgrade=True)
    command.downgrade(alembic_config(old), "0008")  # as a colleague's older release left it
    old.dispose()
    with pytest.raises(
        DatabaseError, match=f"schema 0008 and this release needs {head_revision()}"
    ):
        open_database(postgres_empty_url)

    code, out, err = run(capsys, "db", "upgrade", "--db", postgres_empty_url)
    assert (code, err) == (0, "")
    assert out.strip().endswith(f"upgraded from schema 0008 to {head_revision()}")
    code, out, err = run(capsys, "db", "upgrade", "--db", postgres_empty_url)
    assert code == 0 and "nothing to do" in out
    open_database(postgres_empty_url).dispose()  # and now it opens


def test_db_upgrade_on_a_sqlite_file_creates_and_migrates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "team.db"
    code, out, _ = run(capsys, "db", "upgrade", "--db", str(path))
    assert code == 0 and out.strip().endswith(f"created at schema {head_revision()}")
    code, out, _ = run(capsys, "db", "upgrade", "--db", str(path))
    assert code == 0 and "nothing to do" in out


def test_two_upgrades_at_once_take_turns(postgres_empty_url: str) -> None:
    """Two `itpm db upgrade` processes at once: the advisory lock lets one migrate while
    the other waits, then finds the schema current; both succeed."""
    command_line = [sys.executable, "-m", "itpm_tui", "db", "upgrade", "--db", postgres_empty_url]
    runs = [
        subprocess.Popen(command_line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in runs]
    assert [(code, err) for code, _, err in results] == [(0, "")] * 2
    open_database(postgres_empty_url).dispose()


# --- the change token --------------------------------------------------------------------------


def _activity_at_0007(url: str) -> int:
    """A database as release 0007 left it, with history; the newest activity id."""
    database = open_database(url, upgrade=True)
    ctx = Context(database, "tester", clock=lambda: TODAY)
    for code in ("FW-1", "FW-2", "FW-3"):
        create_project(ctx, ProjectDraft(code=code, name="Firewall"))
    command.downgrade(alembic_config(database), "0007")
    with database.read() as session:
        newest = int(session.execute(text("SELECT max(id) FROM activity")).scalar_one())
    database.dispose()
    return newest


def test_an_upgraded_history_looks_unchanged_and_then_moves(any_url: str) -> None:
    newest = _activity_at_0007(any_url)
    before, after = upgrade_database(any_url)
    assert (before, after) == ("0007", head_revision())
    database = open_database(any_url)
    try:
        assert database.change_token() == newest
        assert database.changes_since(newest).changes == ()
        ctx = Context(database, "tester", clock=lambda: TODAY)
        pid = create_project(ctx, ProjectDraft(code="FW-4", name="Firewall"))
        moved = database.changes_since(newest)
        assert moved.token == newest + 1 and not moved.everything
        assert [c.project_id for c in moved.changes] == [pid]
        with database.read() as session:
            stamped = session.exec(select(Activity.change).order_by(Activity.id)).all()
        assert stamped == [*range(1, newest + 1), newest + 1]
    finally:
        database.dispose()


def test_writers_take_turns_and_the_token_follows_the_commits(any_url: str) -> None:
    """A second writer waits at its first statement until the first commits, so a poll
    between the two commits sees the first's change and never later a smaller one."""
    first, second = open_database(any_url), open_database(any_url)
    token = first.change_token()
    events: list[str] = []
    entered = threading.Event()

    def slow() -> None:
        with first.write() as session:
            entered.set()
            time.sleep(0.6)
            change = session.info[CHANGE]
            session.add(Activity(user="a", entity="note", action="create", change=change))
            events.append("first commits")

    def quick() -> None:
        entered.wait()
        with second.write():
            events.append("second in")

    threads = [threading.Thread(target=slow), threading.Thread(target=quick)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert events == ["first commits", "second in"]
        assert first.change_token() == token + 2
        assert [c.entity for c in first.changes_since(token).changes] == ["note"]
    finally:
        first.dispose()
        second.dispose()


# --- check-then-write under real concurrency ---------------------------------------------------

PAIRS = 12


def _link_worker(url: str, pairs: list[tuple[int, int]], barrier: object, out: object) -> None:
    """Make each task of `pairs` wait for the other one, in step with the other worker."""
    database = open_database(url)
    ctx = Context(database, "tester", clock=lambda: TODAY)
    linked = refused = 0
    for successor, predecessor in pairs:
        edit = load_task_edit(database, successor)
        assert edit is not None
        barrier.wait()  # type: ignore[attr-defined]
        try:
            update_task(ctx, successor, edit.draft, [PredecessorRef(predecessor)], edit.version)
            linked += 1
        except (ValidationError, ConflictError):
            refused += 1
    database.dispose()
    out.put((linked, refused))  # type: ignore[attr-defined]


def test_two_processes_never_close_a_cycle_together(any_url: str) -> None:
    """Each round one process links A after B while the other links B after A, at the
    same moment: exactly one of them wins, the other is refused naming the cycle."""
    database = open_database(any_url)
    ctx = Context(database, "tester", clock=lambda: TODAY)
    pid = create_project(ctx, ProjectDraft(code="LAN-1", name="LAN", start_date=date(2026, 3, 2)))
    tasks = [add_task(ctx, pid, TaskDraft(name=f"Step {n}")) for n in range(2 * PAIRS)]
    database.dispose()
    pairs = list(zip(tasks[::2], tasks[1::2], strict=True))
    spawn = multiprocessing.get_context("spawn")
    barrier, out = spawn.Barrier(2), spawn.Queue()
    workers = [
        spawn.Process(target=_link_worker, args=(any_url, pairs, barrier, out)),
        spawn.Process(
            target=_link_worker, args=(any_url, [(b, a) for a, b in pairs], barrier, out)
        ),
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert sum(linked for linked, _ in results) == PAIRS
    assert sum(refused for _, refused in results) == PAIRS
    database = open_database(any_url)
    try:
        with database.read() as session:
            links = {(d.predecessor_id, d.successor_id) for d in session.exec(select(Dependency))}
    finally:
        database.dispose()
    assert len(links) == PAIRS
    assert all((b, a) not in links for a, b in links)


def test_redacting_a_server_url_keeps_the_rest() -> None:
    assert (
        redact_url("postgresql+psycopg://ana:pw@db/itpm") == "postgresql+psycopg://ana:***@db/itpm"
    )
