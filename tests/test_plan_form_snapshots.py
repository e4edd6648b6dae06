"""Pictures of the planning dialogs and forms a project is typed in with — budget lines,
non-working days, deliverables, a person, a downtime window, a new project — at 80×24 and
160×48: a small firewall replacement built through the services, fixed size and today."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot
from textual.widgets import Input, Select

from itpm_tui.domain.closing import DeliverableDraft
from itpm_tui.domain.downtime import WindowDraft
from itpm_tui.domain.holidays import DayOff
from itpm_tui.domain.ledger import BudgetLineDraft
from itpm_tui.domain.people import read_person
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.services.budget_lines import add_budget_line
from itpm_tui.services.closing import add_deliverable
from itpm_tui.services.context import Context
from itpm_tui.services.downtime import add_window
from itpm_tui.services.holidays import add_holidays
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.people import add_person
from itpm_tui.services.projects import create_project

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
Steps = Callable[[Pilot[None]], Awaitable[None]]


def firewall(ctx: Context) -> None:
    """A branch firewall replacement: two people, three tasks, four budget lines, two
    deliverables, a cut-over window, a project holiday and one for every project."""
    priya = add_person(
        ctx, read_person(name="Priya Nair", handle="priya", role="engineer", rate="98")
    )
    dan = add_person(ctx, read_person(name="Dan Hughes", handle="dan", role="pm", rate="45"))
    pid = create_project(
        ctx,
        ProjectDraft(
            code="FW-26",
            name="Branch firewall replacement",
            client="Retail ops",
            sponsor="CIO",
            manager_id=dan,
            start_date=date(2026, 3, 16),
            end_date=date(2026, 4, 30),
        ),
    )
    add_task(
        ctx,
        pid,
        TaskDraft(
            "Rules review",
            planned_start=date(2026, 3, 18),
            planned_finish=date(2026, 3, 20),
            estimate_hours=Decimal(16),
            assignee_id=priya,
        ),
    )
    cut_over = add_task(
        ctx,
        pid,
        TaskDraft(
            "Cut-over",
            planned_start=date(2026, 3, 23),
            planned_finish=date(2026, 3, 24),
            estimate_hours=Decimal(12),
            assignee_id=priya,
            needs_downtime=True,
        ),
    )
    add_task(
        ctx,
        pid,
        TaskDraft(
            "Hand-over to operations",
            planned_start=date(2026, 3, 25),
            planned_finish=date(2026, 3, 26),
            estimate_hours=Decimal(6),
            assignee_id=dan,
        ),
    )
    for category, description, amount in (
        ("hardware", "Two firewall appliances", "18400"),
        ("licences", "Threat protection, 3 years", "6200"),
        ("labour", "Engineering time", "4800"),
        ("contingency", "Ten per cent", "2940"),
    ):
        add_budget_line(ctx, pid, BudgetLineDraft(category, description, amount))
    add_deliverable(
        ctx,
        pid,
        DeliverableDraft(
            "New firewall in service",
            acceptance_criteria="All branch traffic passes through it for a week",
            due_date=date(2026, 3, 24),
        ),
    )
    add_deliverable(
        ctx,
        pid,
        DeliverableDraft(
            "Operations runbook",
            acceptance_criteria="Signed off by the service desk lead",
            due_date=date(2026, 3, 26),
        ),
    )
    add_window(
        ctx,
        pid,
        WindowDraft(
            "Swap firewalls",
            "2026-03-23 22:00",
            "2026-03-24 02:00",
            "Internet, site-to-site VPN",
            approved=True,
            task_id=cut_over,
        ),
    )
    add_holidays(ctx, [DayOff(date(2026, 3, 27), "Branch stocktake")], pid)
    add_holidays(ctx, [DayOff(date(2026, 4, 3), "Good Friday")])


def keys(mode: str, *presses: str) -> Steps:
    """Open `mode` and press each key in turn, waiting for the screen after each."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.app.run_action(f"switch_mode('{mode}')")
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run


async def _budget_line_problem(pilot: Pilot[None]) -> None:
    await keys("budget", "b", "a")(pilot)
    form = pilot.app.screen
    form.query_one("#category", Select).value = "hardware"
    form.query_one("#description", Input).value = "Spare power supply"
    form.query_one("#amount", Input).focus()
    await pilot.press("minus", "5", "ctrl+s")
    await settle(pilot)


@SIZES
def test_budget_lines(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=keys("budget", "b"))


@SIZES
def test_budget_line_form_problem(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=_budget_line_problem)


@SIZES
def test_holidays(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=keys("timeline", "H"))


@SIZES
def test_holiday_form(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    run = keys("timeline", "H", "a")
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=run)


@SIZES
def test_deliverables(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=keys("projects", "d"))


@SIZES
def test_new_person_form(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=keys("team", "n"))


def test_downtime_form_160x48(snap_compare, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    run = keys("timeline", "w", "e")
    assert snap_compare(make_app(ctx), terminal_size=(160, 48), run_before=run)


@SIZES
def test_new_project_form(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    firewall(ctx)
    assert snap_compare(make_app(ctx), terminal_size=size, run_before=keys("projects", "n"))
