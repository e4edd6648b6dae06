"""Pictures of the Team screen with a few people, one over capacity: fixed size and today."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from test_team import overloaded_team
from textual.pilot import Pilot

from itpm_tui.services.context import Context


async def _team(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)


async def _form(pilot: Pilot[None]) -> None:
    await _team(pilot)
    await pilot.press("e")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_team(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    overloaded_team(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=_team)


def test_team_no_color_80x24(snap_compare, ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    overloaded_team(ctx)
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=_team)


def test_person_form_80x24(snap_compare, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    overloaded_team(ctx)
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=_form)
