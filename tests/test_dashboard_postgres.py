"""The dashboard on a PostgreSQL database holding the demo: every screen reached by its key
shows the demo's data, and one write per screen made through its form or key is shown.

The screens' own tests run on SQLite only (`conftest.pytest_generate_tests`); the queries
and services behind them run on both backends. This module walks the screens once on a
server, as a team would use them, so a query that only SQLite accepts fails here. What a
screen shows is read as drawn on the terminal (`drawn`), not from its data model.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import TODAY, make_app, settle
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, Select

from itpm_tui.services.context import Context
from itpm_tui.storage.models import CommunicationEntry, LedgerEntry, Risk, Task


@pytest.fixture
def backend_name() -> str:
    """Every test of this module opens its database on the throwaway PostgreSQL server."""
    return "postgresql"


def drawn(pilot: Pilot[None]) -> str:
    """The terminal as the top screen draws it, one line per row."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def key(pilot: Pilot[None], *keys: str) -> str:
    """Press `keys`, wait for the screen's data, and say what the terminal shows."""
    await pilot.press(*keys)
    await settle(pilot)
    return drawn(pilot)


def shows(text: str, *wanted: str) -> None:
    for item in wanted:
        assert item in text, f"{item!r} not shown:\n{text}"


async def test_projects_timeline_and_help_show_the_demo(demo_ctx: Context) -> None:
    from itpm_tui.screens.projects import ProjectsScreen

    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        shows(drawn(pilot), "FW-26", "VOIP-25", "Firewall")
        await key(pilot, "2")
        text = await key(pilot, "p", *"FW-26", "enter")
        shows(text, "Penetration test of the", "HQ cut-over night", "Emma Laurent")
        shows(await key(pilot, "question_mark"), "Timeline")
        await key(pilot, "escape")
        shows(await key(pilot, "1"), "FW-26")


async def test_my_work_progress_by_its_key_is_saved_and_shown(demo_ctx: Context) -> None:
    app = make_app(demo_ctx, user="emma")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        text = await key(pilot, "6")
        shows(text, "FW-26 2.5 Penetration test", "NET-26 3.3 Network access control", "13h")
        screen = app.screen
        with demo_ctx.db.read() as session:
            task = session.exec(
                select(Task).where(col(Task.name) == "Penetration test of the new edge")
            ).one()
        assert task.percent_complete == 35 and task.id is not None
        assert screen.table.select_id(task.id)  # type: ignore[attr-defined]
        await pilot.pause()
        await key(pilot, "percent_sign")
        await pilot.press("ctrl+a", "ctrl+k", *"80", "enter")
        await settle(pilot)
        with demo_ctx.db.read() as session:
            saved = session.get(Task, task.id)
            assert saved is not None and saved.percent_complete == 80
        row = next(r for r in screen.table.rows_shown if r.id == task.id)  # type: ignore[attr-defined]
        assert row.percent == 80
        left = f"{row.remaining_hours.normalize():f}h"  # its hours left follow the percent
        assert left != "13h"
        shows(drawn(pilot), left)


async def test_budget_ledger_entry_added_by_its_form_is_shown(demo_ctx: Context) -> None:
    from itpm_tui.screens.budget import BudgetScreen
    from itpm_tui.screens.entry_form import EntryForm

    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await key(pilot, "3")
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        shows(await key(pilot, "p", *"FW-26", "enter"), "FW-26", "Earned value")
        with demo_ctx.db.read() as session:
            vendors = {e.vendor for e in session.exec(select(LedgerEntry)).all()}
        await key(pilot, "a")
        form = app.screen
        assert isinstance(form, EntryForm)
        form.query_one("#vendor", Input).value = "Patch cables [bulk]"
        form.query_one("#category", Select).value = "hardware"
        form.query_one("#amount", Input).value = "123.45"
        form.query_one("#entry-date", Input).value = TODAY.isoformat()
        text = await key(pilot, "ctrl+s")
        assert app.screen is screen
        shows(text, "Patch cables [bulk]", "123.45")
        with demo_ctx.db.read() as session:
            entry = session.exec(
                select(LedgerEntry).where(col(LedgerEntry.vendor) == "Patch cables [bulk]")
            ).one()
        assert entry.amount == Decimal("123.45") and entry.vendor not in vendors


async def test_risks_a_new_risk_by_its_form_is_shown(demo_ctx: Context) -> None:
    from itpm_tui.screens.risk_form import RiskForm
    from itpm_tui.screens.risks import RisksScreen

    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await key(pilot, "4")
        screen = app.screen
        assert isinstance(screen, RisksScreen)
        with demo_ctx.db.read() as session:
            known = session.exec(select(Risk).order_by(col(Risk.id))).first()
        assert known is not None
        shows(await key(pilot, "p", *"FW-26", "enter"), "FW-26")
        await key(pilot, "n")
        form = app.screen
        assert isinstance(form, RiskForm)
        form.query_one("#title", Input).value = "Firmware bug in the new cluster"
        form.query_one("#probability", Select).value = 4
        form.query_one("#impact", Select).value = 5
        form.query_one("#review-date", Input).value = (TODAY + timedelta(days=7)).isoformat()
        text = await key(pilot, "ctrl+s")
        assert app.screen is screen
        shows(text, "Firmware bug in the new cluster")
        row = screen.table.selected_row
        assert row is not None and (row.title, row.score) == ("Firmware bug in the new cluster", 20)


async def test_stakeholders_a_contact_logged_by_its_form_is_shown(demo_ctx: Context) -> None:
    from itpm_tui.screens.stakeholder_form import LogForm
    from itpm_tui.screens.stakeholders import StakeholdersScreen

    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await key(pilot, "5")
        shows(await key(pilot, "asterisk"), "Oliver Grant", "Karin Vogel")
        screen = app.screen
        assert isinstance(screen, StakeholdersScreen)
        oliver = next(c for c in screen.contacts_table.rows_shown if c.name == "Oliver Grant")
        screen.contacts_table.select_id(oliver.id)
        await settle(pilot)
        await key(pilot, "l")
        form = app.screen
        assert isinstance(form, LogForm)
        form.query_one("#log-summary", Input).value = "Weekly call: training dates confirmed"
        text = await key(pilot, "ctrl+s")
        assert app.screen is screen
        shows(text, "Weekly call: training dates confirmed")
        oliver = next(c for c in screen.contacts_table.rows_shown if c.name == "Oliver Grant")
        assert oliver.last_contact == TODAY
        with demo_ctx.db.read() as session:
            assert session.exec(
                select(CommunicationEntry).where(
                    col(CommunicationEntry.summary) == "Weekly call: training dates confirmed"
                )
            ).one()


async def test_team_and_what_changed_show_the_demo(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        shows(await key(pilot, "7"), "Ana Ferreira", "Emma Laurent", "13/32")
        shows(await key(pilot, "8"), "FW-26")


async def test_the_stand_up_kiosk_pages_through_the_demo(demo_ctx: Context) -> None:
    from dataclasses import replace

    from itpm_tui.cli.standup import READ_ONLY
    from itpm_tui.config import Settings
    from itpm_tui.screens.standup import StandupApp, StandupScreen

    settings = Settings(user="tester", refresh_seconds=0.5)  # type: ignore[call-arg]
    app = StandupApp(replace(demo_ctx, read_only=READ_ONLY), settings, cycle=60.0)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StandupScreen)
        pages = [drawn(pilot)]
        for _ in range(len(screen.pages) - 1):
            pages.append(await key(pilot, "right"))
        shows("\n".join(pages), "FW-26", "HQ cut-over night")
