"""Pictures of the downtime-window form and list at 80×24 (and the form in NO_COLOR): a
project with one task and one window tied to it, fixed size and today."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from itpm_tui.domain.downtime import WindowDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.services.context import Context
from itpm_tui.services.downtime import add_window
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.projects import create_project


def one_window(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="FW-9", name="Branch firewall"))
    task = add_task(ctx, pid, TaskDraft("Cut-over", planned_start=date(2026, 3, 20)))
    add_window(
        ctx,
        pid,
        WindowDraft(
            "Swap [bold]firewalls",
            "2026-03-20 22:00",
            "2026-03-21 02:00",
            "Internet, site-to-site VPN",
            approved=True,
            task_id=task,
        ),
    )


async def _dialog(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.app.run_action("switch_mode('timeline')")
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


async def _form(pilot: Pilot[None]) -> None:
    await _dialog(pilot)
    await pilot.press("e")
    await settle(pilot)


def test_downtime_form_80x24(snap_compare, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    one_window(ctx)
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=_form)


def test_downtime_form_no_color_80x24(snap_compare, ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    one_window(ctx)
    assert snap_compare(make_app(ctx), terminal_size=(80, 24), run_before=_form)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_downtime_windows(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    one_window(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=_dialog)
