"""What every form shares, driven by keys: the first keys typed land in a field, and `esc`
on a form with changes asks before throwing them away."""

from __future__ import annotations

from conftest import make_app, settle
from sqlmodel import select
from textual.widgets import Input

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.stakeholders import ContactDraft
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.project_form import ProjectForm
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.screens.stakeholder_form import LogForm
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.services.stakeholders import add_contact
from itpm_tui.storage.models import CommunicationEntry, Project


async def test_new_project_takes_the_keys_typed_right_after_n(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "F", "W", "minus", "2", "6", "tab", "E", "d", "g", "e")
        form = app.screen
        assert isinstance(form, ProjectForm)
        assert form.query_one("#code", Input).value == "FW-26"
        assert form.query_one("#name", Input).value == "Edge"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
    with ctx.db.read() as session:
        assert [p.code for p in session.exec(select(Project)).all()] == ["FW-26"]


async def test_log_form_takes_the_keys_typed_right_after_l(ctx: Context) -> None:
    create_project(ctx, ProjectDraft(code="FW-26", name="Firewall"))
    add_contact(ctx, ContactDraft(name="Oliver Grant", projects="FW-26: Sponsor"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("l", "O", "k")
        form = app.screen
        assert isinstance(form, LogForm)
        assert form.focused is form.query_one("#log-summary", Input)
        assert form.query_one("#log-summary", Input).value == "Ok"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, LogForm)
    with ctx.db.read() as session:
        assert [e.summary for e in session.exec(select(CommunicationEntry)).all()] == ["Ok"]


async def test_escape_on_an_unchanged_form_closes_at_once(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ProjectForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)


async def test_escape_on_a_changed_form_asks_before_discarding(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "X", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard the changes" in str(app.screen.question)
        await pilot.press("n")  # keep editing: the form and what was typed stay
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        assert form.query_one("#code", Input).value == "X"
        await pilot.press("backspace", "escape")  # back to how it opened: nothing to lose
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        await pilot.press("n", "Y", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
    with ctx.db.read() as session:
        assert session.exec(select(Project)).all() == []


async def test_edit_form_with_a_manager_is_unchanged_until_edited(ctx: Context) -> None:
    """The manager choices arrive after the form opened; that alone is no change."""
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.services.people import add_person

    manager = add_person(ctx, PersonDraft(name="Ana Silva", handle="ana"))
    create_project(ctx, ProjectDraft(code="FW-26", name="Firewall", manager_id=manager))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        assert form.selected("manager") == manager
        assert not form.changed()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)


async def test_keys_typed_in_one_burst_after_n_are_not_lost(ctx: Context) -> None:
    """A fast typist: every key arrives before the form exists. Textual queues them for the
    table below; the form takes them once it has opened (`FormScreen.take_typed`)."""
    from textual import events

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        driver = app._driver
        assert driver is not None
        for key, character in [("n", "n"), ("F", "F"), ("W", "W"), ("minus", "-"), ("2", "2")]:
            driver.send_message(events.Key(key, character))  # no pause between them
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        assert form.query_one("#code", Input).value == "FW-2"  # "2" did not switch screens
        assert form.focused is form.query_one("#code", Input)
