"""A database that refuses a write or a read is told in one line and the dashboard stays.

Real parts throughout: the demo portfolio in a SQLite file, a second connection of the
`sqlite3` module holding the write lock as another program would, and the same file opened
read-only. Only the poll test replaces the change-token query, to fail it on cue.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, make_app, settle
from sqlmodel import create_engine
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from itpm_tui.app import ItpmApp
from itpm_tui.errors import StorageError
from itpm_tui.queries.stakeholders import contacts
from itpm_tui.services.context import Context
from itpm_tui.services.stakeholders import delete_contact
from itpm_tui.storage.backend import backend_for
from itpm_tui.storage.database import Database, open_database, sqlite_url

LOCKED = "could not save: the database is locked by another program — try again"
READ_ONLY = "could not save: the database is read-only"


@contextmanager
def another_program_writing(path: Path) -> Iterator[None]:
    """Hold SQLite's write lock the way any other program's open write transaction does."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture
def impatient_ctx(demo_ctx: Context, db_path: Path) -> Iterator[Context]:
    """The demo file opened again, giving up on a held lock after 0.2 s instead of 30 s."""
    db = open_database(sqlite_url(db_path), busy_timeout=0.2)
    yield Context(db, "tester", clock=lambda: TODAY)
    db.dispose()


@pytest.fixture
def read_only_ctx(demo_ctx: Context, db_path: Path) -> Iterator[Context]:
    """The demo file opened read-only.

    SQLite opens a file it may not write read-only and refuses every write with
    SQLITE_READONLY. The tests run as root, whom chmod 0444 does not stop, so the file is
    opened with SQLite's own read-only URI (`mode=ro`): the same connection state and the
    same refusal, without depending on who runs the tests.
    """
    engine = create_engine(
        f"sqlite:///file:{db_path}?mode=ro&uri=true", connect_args={"check_same_thread": False}
    )
    url = sqlite_url(db_path)
    db = Database(url=url, engine=engine, backend=backend_for(url))
    yield Context(db, "tester", clock=lambda: TODAY)
    db.dispose()


def names(ctx: Context) -> list[str]:
    return [c.name for c in contacts(ctx.db, TODAY)]


def notices(app: ItpmApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_stakeholders(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("asterisk")  # every project's stakeholders
    await settle(pilot)


async def add_contact_named(pilot: Pilot[None], name: str) -> object:
    from itpm_tui.screens.stakeholder_form import ContactForm

    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ContactForm)
    form.query_one("#name", Input).value = name
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


def test_a_service_write_meeting_a_held_lock_raises_one_line(
    impatient_ctx: Context, db_path: Path
) -> None:
    victim = next(c for c in contacts(impatient_ctx.db, TODAY))
    started = time.monotonic()
    with another_program_writing(db_path), pytest.raises(StorageError) as exc:
        delete_contact(impatient_ctx, victim.id, victim.version)
    assert str(exc.value) == LOCKED
    assert time.monotonic() - started < 5  # the configured 0.2 s, not the default 30 s
    assert victim.name in names(impatient_ctx)


async def test_a_save_while_another_program_writes_keeps_the_form(
    impatient_ctx: Context, db_path: Path
) -> None:
    app = make_app(impatient_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stakeholders(pilot)
        with another_program_writing(db_path):
            form = await add_contact_named(pilot, "Priya Nair")
            assert app.screen is form  # still open, nothing lost
            assert form.query_one("#name", Input).value == "Priya Nair"
            assert LOCKED in str(form.query_one("#form-error").render())
        assert "Priya Nair" not in names(impatient_ctx)
        await pilot.press("ctrl+s")  # the other program is done: trying again works
        await settle(pilot)
        assert app.screen is not form
    assert "Priya Nair" in names(impatient_ctx)


async def test_a_save_to_a_read_only_database_keeps_the_form(read_only_ctx: Context) -> None:
    app = make_app(read_only_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stakeholders(pilot)
        form = await add_contact_named(pilot, "Priya Nair")
        assert app.screen is form
        assert form.query_one("#name", Input).value == "Priya Nair"
        assert READ_ONLY in str(form.query_one("#form-error").render())
    assert "Priya Nair" not in names(read_only_ctx)


async def test_a_delete_while_another_program_writes_is_told_and_kept(
    impatient_ctx: Context, db_path: Path
) -> None:
    from itpm_tui.screens.stakeholders import StakeholdersScreen

    app = make_app(impatient_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stakeholders(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholdersScreen)
        selected = screen.contacts_table.selected_row
        assert selected is not None
        first = selected.name
        with another_program_writing(db_path):
            await pilot.press("d", "y")
            await settle(pilot)
        assert first in [c.name for c in screen.contacts_table.rows_shown]
        assert notices(app)[-1] == LOCKED
        assert app.screen is screen
    assert first in names(impatient_ctx)


async def test_failing_polls_back_off_and_show_one_banner_not_a_message_each(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itpm_tui.screens.live import LiveScreen

    real = Database.changes_since
    failing = threading.Event()
    failed: list[float] = []

    def changes_since(db: Database, token: int) -> Any:  # what a poll asks first
        if failing.is_set():
            failed.append(time.monotonic())
            with db.read():  # the driver's refusal, met where a real poll would meet it
                raise sqlite3.OperationalError("database is locked")
        return real(db, token)

    monkeypatch.setattr(Database, "changes_since", changes_since)
    monkeypatch.setattr(LiveScreen, "RETRY_MIN", 0.2)
    monkeypatch.setattr(LiveScreen, "RETRY_MAX", 0.4)
    app = make_app(demo_ctx, refresh_seconds=0.05)
    told: list[str] = []  # every notification, expired or not
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        told.append(str(message))
        shown(message, **options)

    monkeypatch.setattr(app, "notify", notify)
    locked = "could not read: the database is locked by another program — try again"

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        rows = screen.query_one(DataTable).row_count
        assert screen.banner is None and rows
        failing.set()
        await until(pilot, lambda: len(failed) >= 4)
        assert told == []  # no message at all, let alone one per retry
        since = app.unreachable_since
        assert since is not None
        assert screen.banner == f"reconnecting… (since {since:%H:%M}, last error: {locked})"
        assert screen.query_one(DataTable).row_count == rows  # what was shown stays
        assert screen.retry_in == 0.4  # 0.05 → at least 0.2 → doubled, capped at 0.4
        gaps = [b - a for a, b in itertools.pairwise(failed)]
        assert all(gap >= 0.15 for gap in gaps), gaps  # not every 0.05 s
        failing.clear()
        await until(pilot, lambda: screen.retry_in is None)  # back at the usual pace
        assert screen.banner is None and app.unreachable_since is None
        failing.set()
        await until(pilot, lambda: screen.banner is not None)  # a new run is told again
        assert told == []


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 20) -> None:
    """Wait (in real time: the polls run on timers) until `condition` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def test_only_a_refusal_by_the_database_becomes_the_users_problem() -> None:
    from sqlalchemy.exc import IntegrityError, InvalidRequestError

    from itpm_tui.storage.failures import storage_error

    unique = sqlite3.IntegrityError("UNIQUE constraint failed: project.code")
    assert str(storage_error(IntegrityError("INSERT …", {}, unique))) == (
        "could not save: the database reported: UNIQUE constraint failed: project.code"
    )
    assert str(storage_error(sqlite3.OperationalError(""), "read")) == (
        "could not read: the database reported: OperationalError"
    )
    assert storage_error(InvalidRequestError("a bug")) is None  # shown as the bug it is
    assert storage_error(ValueError("a bug")) is None
