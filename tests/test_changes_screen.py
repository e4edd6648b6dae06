"""The What changed screen (key 8) driven by keys, and its pictures at 80×24 and 200×60.

The week is made through the services (tests/test_changes.py); the app's today is the
fixed TODAY (Wed 2026-03-18), and a stand-up was held on Monday 2026-03-09.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import TODAY, make_app, settle
from test_changes import MONDAY, make_week, work_the_week
from textual.pilot import Pilot

from itpm_tui.services.context import Context


def busy(ctx: Context) -> Context:
    """A worked week on ctx's database, a stand-up on its Monday; ctx back on TODAY."""
    from itpm_tui.services.standup import record_standup

    week = make_week(ctx.db)
    week.clock.day = MONDAY
    record_standup(week.ctx)
    work_the_week(week)
    return replace(ctx, clock=lambda: TODAY)


async def _changes(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("8")
    await settle(pilot)


def _screen_text(pilot: Pilot[None]) -> str:
    from itpm_tui.screens.changes import ChangesScreen

    screen = pilot.app.screen
    assert isinstance(screen, ChangesScreen)
    assert screen.data is not None
    feed = screen.data.feed
    return "\n".join(line.plain() for group in feed.projects for line in group.lines)


async def test_key_8_shows_the_week_since_the_last_standup(ctx: Context) -> None:
    app = make_app(busy(ctx))
    async with app.run_test(size=(80, 24)) as pilot:
        await _changes(pilot)
        from itpm_tui.screens.changes import ChangesScreen

        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        summary = str(screen.query_one("#changes-summary").render())
        assert "Since Mon 2026-03-09 (last stand-up)" in summary
        text = _screen_text(pilot)
        assert "finished Rack the box" in text and "Cabling slipped 2 working days" in text
        # The selected change in full under the feed, with its day and who.
        await pilot.press("down")
        await settle(pilot)
        full = str(screen.query_one("#changes-line").render())
        assert full == "✓ done · 2026-03-10 · tester: finished Rack the box"
        # A week further back and forward again.
        await pilot.press("[")
        await settle(pilot)
        assert screen.data is not None and screen.data.feed.since == date(2026, 3, 2)
        await pilot.press("]", "]")
        await settle(pilot)
        assert screen.data.feed.since == date(2026, 3, 16)
        assert "finished Rack the box" not in _screen_text(pilot)


async def test_a_day_typed_and_empty_goes_back_to_the_standup(ctx: Context) -> None:
    app = make_app(busy(ctx))
    async with app.run_test(size=(80, 24)) as pilot:
        await _changes(pilot)
        screen = app.screen
        await pilot.press("s")
        await settle(pilot)
        field = app.screen.query_one("#status-date")
        field.value = "2026-03-12"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.data is not None and screen.data.feed.since == date(2026, 3, 12)
        assert "started Rack the box" not in _screen_text(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#status-date").value = "2027-01-01"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not screen  # a day after today is refused, the prompt stays
        app.screen.query_one("#status-date").value = ""  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.data.feed.since == MONDAY


async def test_filter_by_project_and_person(ctx: Context) -> None:
    app = make_app(busy(ctx))
    async with app.run_test(size=(80, 24)) as pilot:
        await _changes(pilot)
        screen = app.screen
        await pilot.press("p")
        await settle(pilot)
        await pilot.press(*"wifi", "enter")
        await settle(pilot)
        assert screen.data is not None and screen.data.feed.project == "WIFI"
        assert screen.data.feed.projects == ()  # nothing happened to WIFI this week
        assert "Nothing changed since 2026-03-09 for this filter" in str(
            screen.query_one("#changes-empty").render()
        )
        await pilot.press("p")
        await settle(pilot)
        await pilot.press(*"all", "enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"ana", "enter")
        await settle(pilot)
        assert screen.data.feed.person == "ana"
        text = _screen_text(pilot)
        assert "Cut over blocked" in text and "finished Rack the box" not in text


async def test_what_others_write_appears_by_itself(ctx: Context) -> None:
    from itpm_tui.services import my_work as quick

    shown = busy(ctx)
    app = make_app(shown)
    async with app.run_test(size=(80, 24)) as pilot:
        await _changes(pilot)
        quick.start_task(shown, 5)  # Survey, by a colleague's process
        for _ in range(20):
            await pilot.pause(0.2)
            await settle(pilot)
            if "started Survey" in _screen_text(pilot):
                break
        assert "started Survey" in _screen_text(pilot)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_changes(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(busy(ctx)), terminal_size=size, run_before=_changes)


def test_changes_no_color_80x24(snap_compare, ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(busy(ctx)), terminal_size=(80, 24), run_before=_changes)
