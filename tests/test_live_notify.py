"""On PostgreSQL a dashboard shows a colleague's commit at once, and rides out a server restart.

Real parts only: the dashboard (`ItpmApp` under Textual's Pilot) on a real server, polling
every 300 s so that only the NOTIFY of a commit can make it look sooner; the colleague is
another process (`itpm project add`) or another `Database` of this one. The restart test
stops and starts a server of its own — never the per-process one other tests use.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, make_app, settle
from test_write_failures import until
from textual.pilot import Pilot

from itpm_tui.app import ItpmApp
from itpm_tui.screens.live import LiveScreen
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.database import open_database, upgrade_database
from tests.postgres import Cluster, throwaway_cluster

ROOT = Path(__file__).resolve().parent.parent
#: So long that a row appearing within a test's wait was fetched because of a NOTIFY.
NEVER = 300


def codes(screen: ProjectsScreen) -> list[str]:
    return [row.code for row in screen.rows]


def itpm_process(url: str, *args: str) -> None:
    """`itpm --db URL ARGS` as another program on the machine."""
    done = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr


def add(url: str, code: str) -> None:
    """A colleague's project, written through a database of their own."""
    from itpm_tui.domain.projects import ProjectDraft

    database = open_database(url)
    try:
        create_project(Context(database, "tester", clock=lambda: TODAY), ProjectDraft(code, code))
    finally:
        database.dispose()


def told(app: ItpmApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message the app shows from now on (expired or not)."""
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(str(message))
        shown(message, **options)

    monkeypatch.setattr(app, "notify", notify)
    return said


async def listening(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ItpmApp) and app.listener is not None
    listener = app.listener
    await until(pilot, lambda: listener.listening)


async def test_a_commit_by_another_program_shows_without_waiting_for_the_poll(
    postgres_url: str,
) -> None:
    database = open_database(postgres_url)
    app = make_app(Context(database, "tester", clock=lambda: TODAY), refresh_seconds=NEVER)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ProjectsScreen) and codes(screen) == []
            await listening(pilot)
            await asyncio.to_thread(
                itpm_process, postgres_url, "project", "add", "NT-01", "Heard at once"
            )
            await until(pilot, lambda: codes(screen) == ["NT-01"], timeout=30)
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[Cluster]:
    """A server of this module's own, to stop and start again."""
    with throwaway_cluster("itpm-pgr-") as cluster:
        yield cluster


async def test_a_server_restart_shows_a_banner_keeps_the_screen_and_recovers_by_itself(
    own_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_cluster.create("restarted")
    upgrade_database(url)
    add(url, "RS-01")
    monkeypatch.setattr(LiveScreen, "RETRY_MIN", 0.2)  # the failed polls come quickly
    monkeypatch.setattr(LiveScreen, "RETRY_MAX", 0.4)
    database = open_database(url)
    app = make_app(Context(database, "tester", clock=lambda: TODAY), refresh_seconds=NEVER)
    said = told(app, monkeypatch)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ProjectsScreen) and codes(screen) == ["RS-01"]
            await listening(pilot)
            assert screen.banner is None

            own_cluster.stop()  # the listener's connection drops: the screen looks at once
            await until(pilot, lambda: screen.banner is not None, timeout=30)
            banner = screen.banner
            assert banner is not None and banner.startswith("reconnecting… (since ")
            assert "last error: could not read: " in banner
            failures = polls_failing(screen, monkeypatch)
            await until(pilot, lambda: len(failures) >= 3, timeout=30)
            assert codes(screen) == ["RS-01"]  # the rows stay
            assert app.screen is screen and app.fatal_error is None
            assert said == []  # the banner says it; no message, let alone one per retry

            await pilot.press("a", "y")  # a write key while away: its usual one line
            await until(pilot, lambda: len(said) == 1, timeout=30)
            # (on a server the write first reads who is acting: that read is what fails)
            assert said[0].startswith(("could not save: ", "could not read: "))
            assert "the database reported: " in said[0]
            assert "\n" not in said[0]

            own_cluster.serve()
            add(url, "RS-02")  # written before the dashboard is back
            await until(pilot, lambda: screen.banner is None, timeout=60)
            await until(pilot, lambda: codes(screen) == ["RS-01", "RS-02"], timeout=30)
            assert screen.retry_in is None and app.unreachable_since is None
            await listening(pilot)  # LISTENing again, so the next commit shows at once
            await asyncio.to_thread(add, url, "RS-03")
            await until(pilot, lambda: "RS-03" in codes(screen), timeout=30)
            assert len(said) == 1
    finally:
        database.dispose()


def polls_failing(screen: LiveScreen[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The problems of the screen's polls from now on (each failed poll adds one)."""
    problems: list[str] = []
    real = screen._polled

    def polled(problem: str | None) -> None:
        if problem is not None:
            problems.append(problem)
        real(problem)

    monkeypatch.setattr(screen, "_polled", polled)
    return problems
