"""Pictures of every stand-up kiosk page on the demo portfolio at a fixed today: on a laptop
(80×24), on wall screens (200×60 and 240×67), without colour at 80×24, and in the
16-colour theme."""

from __future__ import annotations

import pytest
from conftest import settle
from test_standup import kiosk_app, kiosk_ctx
from textual.pilot import Pilot

from itpm_tui.config import Settings
from itpm_tui.screens.standup import PAGES, StandupApp
from itpm_tui.services.context import Context


def _on_page(number: int):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(str(number))
        await settle(pilot)
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize(
    "size", [(80, 24), (200, 60), (240, 67)], ids=["80x24", "200x60", "240x67"]
)
@pytest.mark.parametrize("number", [page.number for page in PAGES], ids=[p.slug for p in PAGES])
def test_kiosk_page(snap_compare, demo_ctx: Context, number: int, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(kiosk_app(demo_ctx), terminal_size=size, run_before=_on_page(number))


def test_kiosk_health_no_color_120x35(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(kiosk_app(demo_ctx), terminal_size=(120, 35), run_before=_on_page(1))


@pytest.mark.parametrize("number", [page.number for page in PAGES], ids=[p.slug for p in PAGES])
def test_kiosk_page_no_color_80x24(
    snap_compare, demo_ctx: Context, number: int, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(kiosk_app(demo_ctx), terminal_size=(80, 24), run_before=_on_page(number))


def test_kiosk_health_in_16_colours_200x60(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(user="tester", refresh_seconds=0.5)  # type: ignore[call-arg]
    app = StandupApp(kiosk_ctx(demo_ctx), settings, cycle=60.0, env={"TERM": "xterm"})
    assert snap_compare(app, terminal_size=(200, 60), run_before=_on_page(1))
