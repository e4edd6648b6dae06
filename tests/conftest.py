"""Shared fixtures: a real SQLite file per test, a fixed user and a fixed "today"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database, open_database, sqlite_url

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from itpm_tui.app import ItpmApp

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config or database."""
    monkeypatch.setenv("ITPM_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # crash files
    monkeypatch.delenv("ITPM_DB", raising=False)
    monkeypatch.setenv("USER", "tester")


@pytest.fixture(autouse=True)
def _no_cursor_blink(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot never catches a text cursor mid-blink: every Input and TextArea in a test
    that takes a picture starts with its cursor steady."""
    if "snap_compare" not in request.fixturenames:
        return
    from textual.reactive import reactive
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        steady: reactive[bool] = reactive(False, init=False)
        steady.__set_name__(widget, "cursor_blink")
        monkeypatch.setattr(widget, "cursor_blink", steady)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "itpm.db"


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty migrated database and the demo one, made once per test process: migrating
    costs more than most tests, and every test gets its own copy of the file."""
    from itpm_tui.demo.builder import build_demo

    folder = tmp_path_factory.mktemp("templates")
    empty, demo = folder / "empty.db", folder / "demo.db"
    open_database(sqlite_url(empty)).dispose()
    shutil.copyfile(empty, demo)
    database = open_database(sqlite_url(demo))
    build_demo(Context(database, "tester", clock=lambda: TODAY))
    database.dispose()  # the last connection folds the WAL into the file
    return {"empty": empty, "demo": demo}


@pytest.fixture
def db(
    db_path: Path, _templates: dict[str, Path], request: pytest.FixtureRequest
) -> Iterator[Database]:
    if not db_path.exists():
        demo = "demo_ctx" in request.fixturenames
        shutil.copyfile(_templates["demo" if demo else "empty"], db_path)
    database = open_database(sqlite_url(db_path))
    yield database
    database.dispose()


@pytest.fixture
def ctx(db: Database) -> Context:
    return Context(db, "tester", clock=lambda: TODAY)


@pytest.fixture
def demo_ctx(ctx: Context) -> Context:
    """The demo portfolio, placed around the fixed TODAY (copied from the one built once)."""
    return ctx


def make_app(ctx: Context, **settings: object) -> ItpmApp:
    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings

    values: dict[str, object] = {"user": "tester", "refresh_seconds": 0.5, **settings}
    return ItpmApp(ctx, Settings(**values))  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the screen has its data and no worker is busy."""
    from textual.worker import WorkerCancelled

    from itpm_tui.screens.live import LiveScreen

    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # an exclusive worker was replaced by a newer one: wait for that
        screen = app.screen
        if not isinstance(screen, LiveScreen) or not screen.is_stale:
            break
    await pilot.pause()


def version_of(db: Database, model: type[Any], row_id: int) -> int:
    """The row's stored version: what a test edits from, as a form shows it."""
    with db.read() as session:
        row = session.get(model, row_id)
        assert row is not None, f"{model.__tablename__} {row_id} does not exist"
        return int(row.version)
