"""Pictures of the Stakeholders screen on the demo portfolio: fixed size, fixed today."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _stakeholders(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("p", *"VOIP-25", "enter")  # a late project with an overdue update
    await settle(pilot)


async def _all_projects(pilot: Pilot[None]) -> None:
    await _stakeholders(pilot)
    await pilot.press("asterisk")
    await settle(pilot)


async def _contact_form(pilot: Pilot[None]) -> None:
    await _stakeholders(pilot)
    await pilot.press("e")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_stakeholders(snap_compare, demo_ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_stakeholders)


def test_stakeholders_all_projects_160x48(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(160, 48), run_before=_all_projects)


def test_stakeholders_no_color_80x24(snap_compare, demo_ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_stakeholders)


def test_contact_form_80x24(snap_compare, demo_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=_contact_form)
