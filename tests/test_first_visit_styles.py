"""A first visit of a screen does not restyle the screen being left (Textual would re-parse
every stylesheet and restyle it twice for a screen made after start: `ScreenEntry.make` marks
it styled), nor does the first return to the first screen (`ItpmApp._first_screen_styled`);
a new screen wears the theme of the moment, also one changed before it was first shown."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.css.stylesheet import Stylesheet

from itpm_tui.services.context import Context


@pytest.mark.parametrize("key", ["2", "3", "4", "5", "6", "7", "8"])
async def test_first_visit_reparses_no_stylesheet(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    reparsed: list[int] = []
    real = Stylesheet.reparse

    def reparse(self: Stylesheet) -> None:
        reparsed.append(1)
        real(self)

    monkeypatch.setattr(Stylesheet, "reparse", reparse)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reparsed.clear()
        await pilot.press(key)
        await settle(pilot)
        assert reparsed == []
        await pilot.press("1")
        await settle(pilot)
        assert reparsed == []  # the first screen, back again
        await pilot.press(key)
        await settle(pilot)
        assert reparsed == []


@pytest.mark.parametrize("key", ["3", "4", "5"])
async def test_a_theme_changed_before_the_first_visit_is_worn(demo_ctx: Context, key: str) -> None:
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.theme
        await pilot.press(key)
        await settle(pilot)
        before = app.screen.styles.background
        await pilot.press("1")
        await settle(pilot)

    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "textual-light" if first != "textual-light" else "nord"
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        after = app.screen.styles.background
        assert after != before
