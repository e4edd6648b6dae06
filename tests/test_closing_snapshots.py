"""Pictures of close-out on the demo portfolio: fixed size, fixed today."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _closeout(pilot: Pilot[None]) -> None:
    """FW-26: one deliverable accepted, two not, no sign-off — the gate names them all."""
    await settle(pilot)
    await pilot.press("slash", *"FW-26", "enter")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)


async def _override(pilot: Pilot[None]) -> None:
    await _closeout(pilot)
    await pilot.press("c")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_closeout(snap_compare, demo_ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_closeout)


def test_closeout_no_color_80x24(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_closeout)


def test_close_with_override_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_override)
