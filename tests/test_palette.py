"""The command palette (ctrl+p) does the everyday actions through the screens' own actions,
and goes to one project's Timeline, Budget or Risks — driven by keys."""

from __future__ import annotations

from conftest import make_app, settle
from textual.command import CommandPalette
from textual.pilot import Pilot

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.screens.budget import BudgetScreen
from itpm_tui.screens.project_form import ProjectForm
from itpm_tui.screens.risk_form import RiskForm
from itpm_tui.screens.risks import RisksScreen
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project


def two_projects(ctx: Context) -> tuple[int, int]:
    first = create_project(ctx, ProjectDraft(code="NET-1", name="Core switch refresh"))
    second = create_project(ctx, ProjectDraft(code="FW-26", name="Branch office firewall"))
    return first, second


async def palette(pilot: Pilot[None], words: str) -> None:
    """Open the palette, type `words`, wait for the hits and run the best one."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*words)
    for _ in range(40):  # the palette gathers hits after a short pause
        await pilot.pause(0.05)
    await pilot.press("enter")  # the best hit is highlighted: enter runs it
    await settle(pilot)
    if isinstance(pilot.app.screen, CommandPalette):  # it was not yet: enter highlighted it
        await pilot.press("enter")
        await settle(pilot)


async def test_budget_of_a_project_from_anywhere(ctx: Context) -> None:
    net, fw = two_projects(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.selected_project == fw  # first by code on Projects
        await palette(pilot, "budget of net-1")
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        await settle(pilot)
        assert screen.project_id == net
        await pilot.press("p", "escape")  # the project picker, left alone
        await palette(pilot, "budget of fw-26")  # same screen: it follows all the same
        await settle(pilot)
        assert app.screen is screen and screen.project_id == fw
        await palette(pilot, "risks of net-1")
        assert isinstance(app.screen, RisksScreen)
        await settle(pilot)
        assert app.screen.project_id == net


async def test_new_risk_opens_the_risk_form_of_the_current_project(ctx: Context) -> None:
    net, fw = two_projects(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette(pilot, "new risk")
        for _ in range(40):
            if isinstance(app.screen, RiskForm):
                break
            await pilot.pause(0.05)
        form = app.screen
        assert isinstance(form, RiskForm)
        assert form.selected("project") == fw == app.selected_project != net
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RisksScreen)


async def test_new_project_from_another_screen(ctx: Context) -> None:
    two_projects(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await palette(pilot, "new project")
        for _ in range(40):
            if isinstance(app.screen, ProjectForm):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ProjectForm)
        assert app.current_mode == "projects"


async def test_the_palette_lists_the_actions_before_typing(ctx: Context) -> None:
    from itpm_tui.commands import ItpmCommands

    two_projects(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = ItpmCommands(app.screen)
        await provider.startup()
        listed = [str(hit.display) async for hit in provider.discover()]
        for title in (
            "New project",
            "New task in the current project",
            "New risk",
            "New ledger entry",
            "Log a contact",
            "Set baseline",
            "Status report",
        ):
            assert title in listed
        assert not any("FW-26" in title for title in listed)  # projects come as you type
        found = [hit.text async for hit in provider.search("timeline fw")]
        assert "Timeline of FW-26 — Branch office firewall" in found
