"""Pictures of the Timeline on the demo portfolio: fixed size, fixed today, no cursor blink."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _timeline(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.app.run_action("switch_mode('timeline')")
    await settle(pilot)


async def _roadmap(pilot: Pilot[None]) -> None:
    await _timeline(pilot)
    await pilot.press("m")
    await settle(pilot)


async def _edit_form(pilot: Pilot[None]) -> None:
    await _timeline(pilot)
    await pilot.press("down", "down", "e")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_timeline(snap_compare, demo_ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_timeline)


def test_timeline_no_color_80x24(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_timeline)


def test_roadmap_160x48(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(160, 48), run_before=_roadmap)


def test_task_form_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_edit_form)
