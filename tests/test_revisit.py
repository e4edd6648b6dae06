"""Coming back to a screen: its styles and drawn table lines are kept unless the theme
changed meanwhile, and its footer is not rebuilt when its keys are the same."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.widgets import DataTable

from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.services.context import Context
from itpm_tui.widgets.footer import ItpmFooter


async def test_switching_back_keeps_the_tables_styles_until_the_theme_changes(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    restyled: list[str | None] = []
    real = DataTable.notify_style_update

    def notify_style_update(self: DataTable[object]) -> None:
        restyled.append(self.id)
        real(self)

    monkeypatch.setattr(DataTable, "notify_style_update", notify_style_update)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        restyled.clear()
        for key in "6161":
            await pilot.press(key)
            await settle(pilot)
        # nothing changed: the portfolio is neither restyled nor redrawn
        assert "portfolio" not in restyled
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        before = screen.table.styles.background
        await pilot.press("6")
        await settle(pilot)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.press("1")  # the theme changed while Projects rested
        await settle(pilot)
        assert screen.table.styles.background != before


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itpm_tui.domain.roles import Identity, Role

    built: list[int] = []
    real = ItpmFooter.recompose

    async def recompose(self: ItpmFooter) -> None:
        built.append(1)
        await real(self)

    monkeypatch.setattr(ItpmFooter, "recompose", recompose)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        built.clear()
        for key in "6161":
            await pilot.press(key)
            await settle(pilot)
        app.screen.refresh_bindings()
        await settle(pilot)
        assert built == []
        footer = app.screen.query_one(ItpmFooter)
        assert "New" in [k.description for k in footer.query("FooterKey").results()]  # type: ignore[attr-defined]
        app.set_acting(Identity("viewer", Role.VIEWER, "test"))  # fewer keys: built again
        await settle(pilot)
        assert built
        footer = app.screen.query_one(ItpmFooter)
        assert "New" not in [k.description for k in footer.query("FooterKey").results()]  # type: ignore[attr-defined]
