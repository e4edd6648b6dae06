"""Pictures of the Risks screen on the demo portfolio: fixed size, fixed today."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await settle(pilot)
    for key in ("4", *keys):
        await pilot.press(key)
        await settle(pilot)


async def _portfolio(pilot: Pilot[None]) -> None:
    await _press(pilot, "a")  # every live project: the top risks of the portfolio


async def _cell_of_one_project(pilot: Pilot[None]) -> None:
    await _press(pilot, "p", *"VOIP-25", "enter", "m", "enter")  # its P3×I3 cell chosen


async def _form(pilot: Pilot[None]) -> None:
    await _press(pilot, "a", "e")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_risks(snap_compare, demo_ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_portfolio)


def test_risks_no_color_80x24(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_cell_of_one_project)


def test_risk_form_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_form)
