"""Deterministic pictures of the screens: fixed size, fixed today, demo data, no blink."""

from __future__ import annotations

from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def _detail(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_projects_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_ready)


def test_projects_160x48(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(160, 48), run_before=_ready)


def test_projects_detail_160x36(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    """Below 40 rows the detail opens on enter (taller, it is open from the start)."""
    assert snap_compare(make_app(demo_ctx), terminal_size=(160, 36), run_before=_detail)


def test_projects_200x60(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    """A tall screen: this week's milestones and updates due, then the selected project."""
    assert snap_compare(make_app(demo_ctx), terminal_size=(200, 60), run_before=_ready)


def test_projects_no_color_80x24(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_ready)


def test_projects_empty_80x24(snap_compare, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    """An empty database: the screen says how to create the first project or fill a sample."""
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=_ready)


def test_projects_empty_no_color_80x24(snap_compare, ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=_ready)
