"""Pictures of the Budget screen on the demo portfolio: fixed size, fixed today."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _budget(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("p", *"FW-26", "enter")  # a baselined project: earned value in full
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_budget(snap_compare, demo_ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_budget)


async def _s_curve(pilot: Pilot[None]) -> None:
    await _budget(pilot)
    await pilot.press("c")
    await settle(pilot)


async def _budget_burndown(pilot: Pilot[None]) -> None:
    await _s_curve(pilot)
    await pilot.press("c")
    await settle(pilot)


async def _week_back(pilot: Pilot[None]) -> None:
    await _budget(pilot)
    await pilot.press("left_square_bracket")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_s_curve(snap_compare, demo_ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_s_curve)


def test_budget_burndown_160x48(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(160, 48), run_before=_budget_burndown)


def test_budget_no_color_80x24(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_budget_burndown)


def test_status_date_a_week_back_160x48(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(160, 48), run_before=_week_back)
