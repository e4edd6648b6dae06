"""A screen's first visit fetches once, and polls never run two fetches at once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app, settle
from test_my_work import build

from itpm_tui.screens.my_work import MyWorkScreen
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.services.context import Context


class Counted:
    """Wraps a screen class's real `fetch`: how many ran, and the most running at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, screen: type[Any]) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()
        real = screen.fetch

        def fetch(this: Any) -> Any:
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                return real(this)
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(screen, "fetch", fetch)


async def test_projects_first_visit_fetches_once(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch, ProjectsScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert counted.calls == 1
        await pilot.press("6")  # My work, and back: nothing changed, nothing fetched again
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert counted.calls == 1


async def test_my_work_first_visit_fetches_once(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch, MyWorkScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert counted.calls == 1


async def test_reloads_asked_during_a_fetch_run_after_it_never_beside_it(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch, ProjectsScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        for _ in range(3):
            screen.reload()
        assert screen.is_stale
        await settle(pilot)
        assert not screen.is_stale
        assert counted.most == 1
        assert 2 <= counted.calls <= 4  # the first, and at least one after the reloads


async def test_my_work_first_rows_come_straight_from_the_file(
    ctx: Context, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened as `itpm --screen my` opens it: the first rows are read without the database
    layer, then the role is learned and the next fetches go through it as usual."""
    from itpm_tui.app import ItpmApp
    from itpm_tui.clock import system_today
    from itpm_tui.config import Settings
    from itpm_tui.queries.my_work import load_my_work
    from itpm_tui.storage.database import open_database, sqlite_url

    plan = build(ctx)
    expected = [t.name for t in load_my_work(ctx.db, plan.me, system_today()).tasks]
    counted = Counted(monkeypatch, MyWorkScreen)
    url = sqlite_url(db_path)
    app = ItpmApp(
        lambda: Context(open_database(url), "ana"),
        Settings(user="ana", refresh_seconds=60),  # type: ignore[call-arg]
        first_screen="my",
        first_read_path=db_path,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MyWorkScreen)
        assert [t.name for t in screen.table.rows_shown] == expected
        assert counted.calls == 0
        for _ in range(100):
            if app.acting is not None:
                break
            await pilot.pause(0.05)
        assert app.acting is not None and app.acting.handle == "ana"
        screen.reload()  # after an edit: through the database layer
        await settle(pilot)
        assert counted.calls == 1
        assert [t.name for t in screen.table.rows_shown] == expected


async def test_projects_first_rows_come_straight_from_the_file(
    demo_ctx: Context, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened as `itpm` opens it: the first rows are read without the database layer, the
    week's glance of a tall screen follows, and the next fetches go through it as usual."""
    from itpm_tui.app import ItpmApp
    from itpm_tui.clock import system_today
    from itpm_tui.config import Settings
    from itpm_tui.queries.portfolio import portfolio
    from itpm_tui.storage.database import open_database, sqlite_url
    from itpm_tui.widgets.week_glance import WeekGlance

    expected = {r.code for r in portfolio(demo_ctx.db, system_today())}
    counted = Counted(monkeypatch, ProjectsScreen)
    url = sqlite_url(db_path)
    app = ItpmApp(
        lambda: Context(open_database(url), "ana"),
        Settings(user="ana", refresh_seconds=60),  # type: ignore[call-arg]
        first_read_path=db_path,
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        assert {r.code for r in screen.table.rows_shown} == expected
        assert counted.calls == 0
        for _ in range(100):
            if screen.query_one(WeekGlance).display:
                break
            await pilot.pause(0.05)
        assert screen.query_one(WeekGlance).display  # the glance came after the rows
        screen.reload()  # after an edit: through the database layer
        await settle(pilot)
        assert counted.calls == 1
        assert {r.code for r in screen.table.rows_shown} == expected
