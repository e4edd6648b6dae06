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


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_first_visit_does_not_restyle_the_footer_keys_one_by_one(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Keys are born in the footer's style (compact or roomy), so none restyles itself
    after mounting; the keys still follow the footer when the terminal is resized."""
    from textual.widgets._footer import FooterKey

    restyled: list[FooterKey] = []
    real = FooterKey.update_node_styles

    def update_node_styles(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self)
        real(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", update_node_styles)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in "26":
            await pilot.press(key)
            await settle(pilot)
            assert restyled == []
            keys = list(app.screen.query_one(ItpmFooter).query(FooterKey).results())
            compact = size[0] < 120
            assert keys and all(
                k.has_class("-compact") == (compact or k.has_class("-command-palette"))
                for k in keys
            )
        await pilot.resize_terminal(200 if size[0] < 120 else 80, size[1])
        await settle(pilot)
        keys = list(app.screen.query_one(ItpmFooter).query(FooterKey).results())
        assert all(
            k.has_class("-compact") == (size[0] >= 120)
            for k in keys
            if not k.has_class("-command-palette")
        )


async def test_switching_back_draws_the_screen_in_the_switch_itself(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual holds the frames of a mode switch for 50 ms, to hide a new screen mounting:
    a first visit still is, a screen shown before is drawn within the key's handling."""
    from itpm_tui.app import ItpmApp

    drawn: list[tuple[object, int]] = []
    real = ItpmApp._display

    def display(self: ItpmApp, screen: object, renderable: object) -> None:
        drawn.append((screen, self._batch_count))
        real(self, screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(ItpmApp, "_display", display)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.switch_mode("team")  # first visit: held while it mounts
        assert app._batch_count > 0
        await settle(pilot)
        for mode in ("projects", "team", "projects"):
            drawn.clear()
            app.switch_mode(mode)
            assert app._batch_count == 0
            assert (app.screen, 0) in drawn  # drawn, unheld, before the switch returned
            await settle(pilot)


async def test_switching_back_draws_no_line_anew(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A screen shown before is drawn from the lines it kept: neither its background (which
    Textual's switch forgets on leaving) nor its tables' scroll bars (which every layout
    redrew) are drawn again when nothing changed."""
    from textual._styles_cache import StylesCache
    from textual.scrollbar import ScrollBar

    drawn: list[str] = []
    real = StylesCache.render_line
    real_bar = ScrollBar.render

    def render_line(self: StylesCache, *args: object, **kwargs: object) -> object:
        drawn.append("line")  # a line drawn anew, not taken from the widget's cache
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    def render(self: ScrollBar) -> object:
        drawn.append("ScrollBar")
        return real_bar(self)

    monkeypatch.setattr(StylesCache, "render_line", render_line)
    monkeypatch.setattr(ScrollBar, "render", render)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in "6161":
            await pilot.press(key)
            await settle(pilot)
        for mode in ("my", "projects", "my", "projects"):
            drawn.clear()
            app.switch_mode(mode)
            assert drawn == [], mode
            await settle(pilot)
