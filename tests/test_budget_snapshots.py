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
