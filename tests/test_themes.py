"""The theme a terminal gets: the ANSI one where only 8/16 colours are advertised, unless the
user chose one in the config; and what a 16-colour terminal shows with it."""

from __future__ import annotations

import pytest
from conftest import settle
from hypothesis import given
from hypothesis import strategies as st
from textual.pilot import Pilot

from itpm_tui.config import THEMES, Settings
from itpm_tui.services.context import Context
from itpm_tui.themes import ANSI16, RICH_DEFAULT, choose_theme, few_colours


@pytest.mark.parametrize(
    ("env", "theme"),
    [
        ({"TERM": "xterm"}, "itpm-ansi"),  # SSH from a plain xterm: the case
        ({"TERM": "xterm", "COLORTERM": ""}, "itpm-ansi"),
        ({"TERM": "vt100"}, "itpm-ansi"),
        ({"TERM": "linux"}, "itpm-ansi"),
        ({"TERM": "screen"}, "itpm-ansi"),
        ({"TERM": "xterm-16color"}, "itpm-ansi"),
        ({}, "itpm-ansi"),  # no TERM at all says nothing more
        ({"TERM": "xterm-256color"}, RICH_DEFAULT),
        ({"TERM": "screen-256color"}, RICH_DEFAULT),
        ({"TERM": "xterm-kitty"}, RICH_DEFAULT),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, RICH_DEFAULT),
        ({"TERM": "vt100", "COLORTERM": "24bit"}, RICH_DEFAULT),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, "itpm-ansi"),
        ({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "truecolor"}, RICH_DEFAULT),
    ],
)
def test_auto_reads_the_colours_the_terminal_advertises(env: dict[str, str], theme: str) -> None:
    assert choose_theme(env, "auto") == theme


@given(
    env=st.dictionaries(
        st.sampled_from(["TERM", "COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM"]), st.text()
    ),
    chosen=st.sampled_from([t for t in THEMES if t != "auto"]),
)
def test_a_theme_chosen_in_the_config_always_wins(env: dict[str, str], chosen: str) -> None:
    assert choose_theme(env, chosen) == chosen


def test_no_color_keeps_the_default_theme_that_textual_greys_out() -> None:
    assert few_colours({"TERM": "xterm"})
    assert choose_theme({"TERM": "xterm", "NO_COLOR": "1"}, "auto") == RICH_DEFAULT


def test_the_ansi_theme_is_built_from_the_ansi_colours_only() -> None:
    colours = [ANSI16.primary, ANSI16.secondary, ANSI16.warning, ANSI16.error, ANSI16.success]
    colours += [ANSI16.foreground, ANSI16.background, ANSI16.surface, ANSI16.panel]
    colours += list(ANSI16.variables.values())
    assert ANSI16.ansi and all(str(c).startswith("ansi_") for c in colours)
    assert (ANSI16.error, ANSI16.warning, ANSI16.success) == (
        "ansi_red",
        "ansi_yellow",
        "ansi_green",
    )


def _app(ctx: Context, env: dict[str, str], theme: str = "auto", user: str = "tester") -> object:
    from itpm_tui.app import ItpmApp

    return ItpmApp(ctx, Settings(user=user, refresh_seconds=0.5, theme=theme), env=env)


async def test_the_dashboard_on_a_plain_xterm_draws_ansi_colours(ctx: Context) -> None:
    app = _app(ctx, {"TERM": "xterm"})
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await settle(pilot)
        assert pilot.app.theme == "itpm-ansi"
        assert pilot.app.native_ansi_color  # no true-colour filter: red stays ANSI red


async def test_an_explicit_theme_wins_on_a_plain_xterm(ctx: Context) -> None:
    app = _app(ctx, {"TERM": "xterm"}, theme="nord")
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await settle(pilot)
        assert pilot.app.theme == "nord"


async def _ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_projects_16_colours_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    """The portfolio on TERM=xterm: RED red, AMBER yellow, GREEN green."""
    app = _app(demo_ctx, {"TERM": "xterm"})
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready)


def test_my_work_16_colours_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    async def my_work(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)

    app = _app(demo_ctx, {"TERM": "xterm"}, user="priya")  # an engineer of the demo team
    assert snap_compare(app, terminal_size=(80, 24), run_before=my_work)
