"""Stakeholders: the grid, next update due, validation, the service, and the screen by keys."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TODAY, make_app, settle
from hypothesis import given
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.app import ItpmApp
from itpm_tui.domain.enums import Cadence, Channel, StakeholderType
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.stakeholders import (
    HIGH,
    ContactDraft,
    DueState,
    LogDraft,
    Quadrant,
    add_months,
    due_state,
    next_due,
    parse_projects,
    quadrant,
    validate_contact,
    validate_log,
)
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.queries.stakeholders import communication_log, contacts, updates_due
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.services.stakeholders import (
    add_contact,
    add_log_entry,
    delete_contact,
    delete_log_entry,
    record_report_sent,
    update_contact,
    update_log_entry,
)
from itpm_tui.storage.models import CommunicationEntry, ProjectStakeholder, Stakeholder, Task

# -- the grid -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (5, 5, Quadrant.MANAGE_CLOSELY),
        (4, 4, Quadrant.MANAGE_CLOSELY),  # 4 is the first high rating
        (4, 3, Quadrant.KEEP_SATISFIED),  # 3 is still low
        (5, 1, Quadrant.KEEP_SATISFIED),
        (3, 4, Quadrant.KEEP_INFORMED),
        (1, 5, Quadrant.KEEP_INFORMED),
        (3, 3, Quadrant.MONITOR),
        (1, 1, Quadrant.MONITOR),
    ],
)
def test_quadrant_boundaries(influence: int, interest: int, expected: Quadrant) -> None:
    assert HIGH == 4
    assert quadrant(influence, interest) is expected


# -- next update due ----------------------------------------------------------------------------


def test_monthly_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert next_due("monthly", date(2026, 1, 31), today=TODAY) == date(2026, 2, 28)


def test_each_cadence() -> None:
    friday = date(2026, 3, 13)
    assert next_due("daily", friday, today=TODAY) == date(2026, 3, 16)  # Monday
    assert next_due("daily", date(2026, 3, 16), today=TODAY) == date(2026, 3, 17)
    assert next_due("weekly", friday, today=TODAY) == friday + timedelta(days=7)
    assert next_due("fortnightly", friday, today=TODAY) == friday + timedelta(days=14)
    milestones = [date(2026, 3, 1), date(2026, 4, 2), date(2026, 3, 20)]
    assert next_due("at milestones", friday, today=TODAY, milestones=milestones) == date(
        2026, 3, 20
    )
    assert next_due("at milestones", date(2026, 4, 2), today=TODAY, milestones=milestones) is None
    assert next_due("at milestones", friday, today=TODAY) is None


def test_never_contacted_is_due_now_whatever_the_cadence() -> None:
    for cadence in Cadence:
        assert next_due(cadence.value, None, today=TODAY) == TODAY


def test_due_state_in_words() -> None:
    assert due_state(TODAY - timedelta(days=3), TODAY).words() == "3 days overdue"
    assert due_state(TODAY - timedelta(days=1), TODAY).words() == "1 day overdue"
    assert due_state(TODAY, TODAY).state is DueState.DUE
    assert due_state(TODAY, TODAY).needs_update
    assert due_state(TODAY + timedelta(days=2), TODAY).words() == "in 2 days"
    assert not due_state(TODAY + timedelta(days=2), TODAY).needs_update
    assert due_state(None, TODAY).state is DueState.NONE


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(last=days, cadence=st.sampled_from(list(Cadence)), milestones=st.lists(days, max_size=5))
def test_next_due_is_always_after_the_last_contact(
    last: date, cadence: Cadence, milestones: list[date]
) -> None:
    due = next_due(cadence.value, last, today=TODAY, milestones=milestones)
    if due is None:
        assert cadence is Cadence.MILESTONES and all(m <= last for m in milestones)
    else:
        assert due > last
        assert (due - last).days <= (31 if cadence is not Cadence.MILESTONES else 10**6)


@given(day=days, months=st.integers(min_value=0, max_value=36))
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    if later.day != day.day:
        assert later.day < day.day and (later + timedelta(days=1)).day == 1


# -- validation ---------------------------------------------------------------------------------


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.field for p in exc.value.problems}


def test_contact_lists_every_broken_rule() -> None:
    draft = ContactDraft(
        name=" ",
        kind="friend",
        email="not-an-address",
        phone="call me",
        channel="pigeon",
        cadence="hourly",
        influence="6",
        interest="x",
        projects="FW-26, NOPE-1",
    )
    with pytest.raises(ValidationError) as info:
        validate_contact(draft, ["FW-26"])
    assert fields_of(info) == {
        "name",
        "type",
        "email",
        "phone",
        "channel",
        "cadence",
        "influence",
        "interest",
        "projects",
    }
    assert "'NOPE-1'" in str(info.value)


def test_contact_clean_values() -> None:
    clean = validate_contact(
        ContactDraft(
            name=" Ann Lee ",
            kind=StakeholderType.SPONSOR.value,
            email=" ann@example.com ",
            influence=" 5",
            interest="1",
            projects="fw-26: Sponsor, signs off; voip-25",
        ),
        ["FW-26", "VOIP-25"],
    )
    assert clean.name == "Ann Lee" and clean.email == "ann@example.com"
    assert (clean.influence, clean.interest) == (5, 1)
    assert clean.projects == {"FW-26": "Sponsor, signs off", "VOIP-25": ""}


def test_projects_by_commas_or_semicolons() -> None:
    codes = ["A-1", "B-2", "C-3"]
    assert parse_projects("A-1, B-2;C-3", codes) == {"A-1": "", "B-2": "", "C-3": ""}
    assert parse_projects("", codes) == {}
    with pytest.raises(ValidationError, match="'D-4'"):
        parse_projects("A-1, D-4", codes)


def test_unknown_code_hint_only_when_codes_ran_together() -> None:
    """The comma hint is given where spaces joined two codes, not to a user who
    did separate them and only mistyped one."""
    codes = ["A-1", "B-2"]
    with pytest.raises(ValidationError) as info:
        parse_projects("NOPE; A-1: Lead", codes)
    assert str(info.value.problems[0].rule) == "no project with code 'NOPE'"
    with pytest.raises(ValidationError, match="'A-1 B-2'; separate codes with commas"):
        parse_projects("A-1 B-2", codes)


def test_log_entry_rules() -> None:
    with pytest.raises(ValidationError) as info:
        validate_log(LogDraft(None, "fax", " ", ""), TODAY)
    assert fields_of(info) == {"date", "channel", "by", "summary"}
    with pytest.raises(ValidationError, match="future"):
        validate_log(LogDraft(TODAY + timedelta(days=1), "e-mail", "me", "hi"), TODAY)
    clean = validate_log(LogDraft(TODAY, "phone", " me ", " called "), TODAY)
    assert (clean.by, clean.summary) == ("me", "called")


# -- the service --------------------------------------------------------------------------------


def two_projects(ctx: Context) -> tuple[int, int]:
    a = create_project(ctx, ProjectDraft(code="FW-1", name="Firewall"))
    b = create_project(ctx, ProjectDraft(code="VO-1", name="VoIP"))
    return a, b


def by_name(ctx: Context) -> dict[str, object]:
    return {c.name: c for c in contacts(ctx.db, TODAY)}


def test_add_and_edit_a_contact_with_projects_logged(ctx: Context) -> None:
    two_projects(ctx)
    sid = add_contact(ctx, ContactDraft(name="Ann", cadence="weekly", projects="FW-1: Sponsor"))
    ann = contacts(ctx.db, TODAY)[0]
    assert ann.id == sid and [(p.code, p.role) for p in ann.projects] == [("FW-1", "Sponsor")]
    assert ann.next_due == TODAY  # never contacted
    update_contact(ctx, sid, ContactDraft(name="Ann", projects="VO-1"), ann.version)
    ann2 = contacts(ctx.db, TODAY)[0]
    assert [p.code for p in ann2.projects] == ["VO-1"] and ann2.version == ann.version + 1
    with pytest.raises(ConflictError):  # stale: the version we loaded is gone
        update_contact(ctx, sid, ContactDraft(name="Ann B"), ann.version)
    with ctx.db.read() as session:
        from sqlmodel import select

        from itpm_tui.storage.models import Activity

        actions = [(r.entity, r.action) for r in session.exec(select(Activity)).all()]
    assert ("stakeholder", "create") in actions
    assert ("stakeholder", "link") in actions and ("stakeholder", "unlink") in actions


def test_logging_a_contact_moves_the_next_update(ctx: Context) -> None:
    a, _ = two_projects(ctx)
    sid = add_contact(ctx, ContactDraft(name="Ann", cadence="weekly", projects="FW-1"))
    assert updates_due(ctx.db, TODAY) == {a: 1}
    add_log_entry(ctx, sid, LogDraft(TODAY - timedelta(days=2), "phone", "me", "call", a))
    ann = contacts(ctx.db, TODAY)[0]
    assert ann.last_contact == TODAY - timedelta(days=2)
    assert ann.next_due == TODAY + timedelta(days=5)
    assert updates_due(ctx.db, TODAY) == {}
    with pytest.raises(ValidationError, match="future"):
        add_log_entry(ctx, sid, LogDraft(TODAY + timedelta(days=1), "phone", "me", "x"))


def test_log_edits_refuse_a_colleagues_newer_edit(ctx: Context) -> None:
    sid = add_contact(ctx, ContactDraft(name="Ann"))
    add_log_entry(ctx, sid, LogDraft(TODAY, "phone", "me", "first"))
    row = communication_log(ctx.db, sid)[0]
    colleague = Context(ctx.db, "bob", clock=lambda: TODAY)
    update_log_entry(colleague, row.id, LogDraft(TODAY, "chat", "bob", "theirs"), row.version)
    with pytest.raises(ConflictError):
        update_log_entry(ctx, row.id, LogDraft(TODAY, "phone", "me", "mine"), row.version)
    with pytest.raises(ConflictError):
        delete_log_entry(ctx, row.id, row.version)
    assert communication_log(ctx.db, sid)[0].summary == "theirs"
    delete_log_entry(ctx, row.id, communication_log(ctx.db, sid)[0].version)
    assert communication_log(ctx.db, sid) == []


def test_delete_contact_takes_links_and_log(ctx: Context) -> None:
    a, _ = two_projects(ctx)
    sid = add_contact(ctx, ContactDraft(name="Ann", projects="FW-1"))
    add_log_entry(ctx, sid, LogDraft(TODAY, "phone", "me", "x", a))
    with pytest.raises(ConflictError):
        delete_contact(ctx, sid, 99)
    delete_contact(ctx, sid, 1)
    with ctx.db.read() as session:
        from sqlmodel import select

        for model in (Stakeholder, ProjectStakeholder, CommunicationEntry):
            assert session.exec(select(model)).all() == []


def test_milestone_cadence_and_closed_projects(ctx: Context) -> None:
    a, b = two_projects(ctx)
    go_live = TODAY + timedelta(days=9)
    with ctx.transaction() as tx:
        for name, status, day in (("Go-live", "todo", go_live), ("Kick-off", "done", TODAY)):
            tx.create(
                Task(
                    project_id=a,
                    name=name,
                    is_milestone=True,
                    status=status,
                    planned_start=day,
                    planned_finish=day,
                )
            )
    sid = add_contact(ctx, ContactDraft(name="Ann", cadence="at milestones", projects="FW-1"))
    add_log_entry(ctx, sid, LogDraft(TODAY - timedelta(days=1), "phone", "me", "x", a))
    assert contacts(ctx.db, TODAY)[0].next_due == go_live  # the done milestone does not count
    # A contact whose projects are all closed gets no updates.
    old = add_contact(ctx, ContactDraft(name="Bob", projects="VO-1"))
    from itpm_tui.services.projects import set_archived

    set_archived(ctx, b, True, expected_version=1)
    bob = next(c for c in contacts(ctx.db, TODAY) if c.id == old)
    assert bob.next_due is None and not bob.due.needs_update


def test_report_sent_logs_each_by_preferred_channel(ctx: Context) -> None:
    a, _ = two_projects(ctx)
    ann = add_contact(ctx, ContactDraft(name="Ann", channel="chat", projects="FW-1"))
    bob = add_contact(ctx, ContactDraft(name="Bob", channel="meeting", projects="FW-1"))
    assert record_report_sent(ctx, a, [ann, bob], "executive", "md") == 2
    rows = communication_log(ctx.db, ann) + communication_log(ctx.db, bob)
    assert [(r.channel, r.summary, r.by, r.logged_on) for r in rows] == [
        ("chat", "Sent executive status report (md)", "tester", TODAY),
        ("meeting", "Sent executive status report (md)", "tester", TODAY),
    ]


def test_demo_counts_updates_due_per_project(demo_ctx: Context) -> None:
    from itpm_tui.queries.portfolio import portfolio

    rows = {r.code: r.updates_due for r in portfolio(demo_ctx.db, TODAY)}
    due = [c for c in contacts(demo_ctx.db, TODAY) if c.due.needs_update]
    assert len(contacts(demo_ctx.db, TODAY)) == 19
    assert {c.name for c in due} >= {"Oliver Grant", "Sabine Wolf", "Marco Bianchi"}
    assert rows["VOIP-25"] >= 1 and rows["M365-26"] >= 1 and rows["MOVE-26"] >= 1
    assert sum(rows.values()) == sum(
        1 for c in due for link in c.projects if link.live and link.code in rows
    )


# -- the screen ---------------------------------------------------------------------------------


def screen_of(app: ItpmApp):  # type: ignore[no-untyped-def]
    from itpm_tui.screens.stakeholders import StakeholdersScreen

    for screen in app.screen_stack:
        if isinstance(screen, StakeholdersScreen):
            return screen
    return app.get_screen_stack("stakeholders")[0]


def names(app: ItpmApp) -> list[str]:
    return [c.name for c in screen_of(app).contacts_table.rows_shown]


async def open_all(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("asterisk")
    await settle(pilot)


async def test_quadrant_filter_from_the_grid(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        assert len(names(app)) == 19
        await pilot.press("g")  # the grid; the cursor starts on "manage closely"
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_of(app).contacts_table.rows_shown
        assert shown and all(c.quadrant is Quadrant.MANAGE_CLOSELY for c in shown)
        assert "Oliver Grant" in names(app) and "Julien Morel" not in names(app)
        await pilot.press("down", "enter")  # keep informed (low influence, high interest)
        await settle(pilot)
        assert {c.quadrant for c in screen_of(app).contacts_table.rows_shown} == {
            Quadrant.KEEP_INFORMED
        }
        await pilot.press("enter")  # again: every quadrant
        await settle(pilot)
        assert len(names(app)) == 19


async def test_contact_form_labels_stand_apart_from_the_fields(demo_ctx: Context) -> None:
    """Every label (Organisation is the longest) leaves a blank column before its field,
    and the rule messages start where the fields do."""
    from textual.widgets import Label

    from itpm_tui.screens.stakeholder_form import ContactForm

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        starts = set()
        for row in form.query(".field-row"):
            label = row.query_one(Label)
            field = row.children[1]
            assert label.region.right <= field.region.x, str(label.render())
            assert len(str(label.render())) < label.region.width
            starts.add(field.region.x)
        assert len(starts) == 1
        await pilot.press("ctrl+s")  # the empty name is refused
        await settle(pilot)
        message = form.query_one("#err-name")
        assert message.content_region.x == starts.pop()


async def test_add_contact_with_a_validation_error_then_save(demo_ctx: Context) -> None:
    from itpm_tui.screens.stakeholder_form import ContactForm

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#name", Input).value = "Priya Nair"
        form.query_one("#email", Input).value = "priya-at-example"
        form.query_one("#influence", Input).value = "9"
        form.query_one("#projects", Input).value = "FW-26: Auditor; XX-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert "not an e-mail" in str(form.query_one("#err-email").render())
        assert "between 1 and 5" in str(form.query_one("#err-influence").render())
        assert "'XX-1'" in str(form.query_one("#err-projects").render())
        form.query_one("#email", Input).value = "priya@example.com"
        form.query_one("#influence", Input).value = "4"
        form.query_one("#projects", Input).value = "FW-26: Auditor"
        form.query_one("#digest").focus()
        await pilot.press("space")  # opts in to the weekly digest
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
        await settle(pilot)
        assert "Priya Nair" in names(app)
        assert screen_of(app).contacts_table.selected_row.name == "Priya Nair"
    priya = next(c for c in contacts(demo_ctx.db, TODAY) if c.name == "Priya Nair")
    assert [(p.code, p.role) for p in priya.projects] == [("FW-26", "Auditor")]
    assert priya.due.state is DueState.DUE  # never contacted: due now
    assert priya.digest


async def test_log_an_entry_and_see_next_due_move(demo_ctx: Context) -> None:
    from itpm_tui.screens.stakeholder_form import LogForm

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        screen = screen_of(app)
        oliver = next(c for c in screen.contacts_table.rows_shown if c.name == "Oliver Grant")
        assert oliver.due.state is DueState.OVERDUE
        screen.contacts_table.select_id(oliver.id)
        await settle(pilot)
        before = len(screen.log_table.rows_shown)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        assert form.query_one("#log-by", Input).value == "tester"
        assert form.selected("log-channel") == Channel.PHONE.value  # his preferred channel
        await pilot.press("ctrl+s")  # no summary yet
        await settle(pilot)
        assert "must not be empty" in str(form.query_one("#err-log-summary").render())
        form.query_one("#log-summary", Input).value = "Weekly call: training dates confirmed"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, LogForm)
        await settle(pilot)
        oliver = next(c for c in screen.contacts_table.rows_shown if c.name == "Oliver Grant")
        assert oliver.last_contact == TODAY and oliver.next_due == TODAY + timedelta(days=7)
        assert len(screen.log_table.rows_shown) == before + 1
        assert screen.log_table.rows_shown[0].summary.startswith("Weekly call")
        strip = str(screen.query_one("#due-strip").render())
        assert "Oliver Grant" not in strip


async def test_remove_a_contact_asks_first(demo_ctx: Context) -> None:
    from itpm_tui.screens.confirm import ConfirmScreen

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        first = screen_of(app).contacts_table.selected_row.name
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert first in names(app)
        await pilot.press("d", "y")
        await settle(pilot)
        screen_of(app).reload()
        await settle(pilot)
        assert first not in names(app) and len(names(app)) == 18


async def test_remove_a_log_entry_from_the_focused_log(demo_ctx: Context) -> None:
    from itpm_tui.screens.confirm import ConfirmScreen

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        screen = screen_of(app)
        stefan = next(c for c in screen.contacts_table.rows_shown if c.name == "Stefan Brandt")
        screen.contacts_table.select_id(stefan.id)
        await settle(pilot)
        assert len(screen.log_table.rows_shown) == 2
        screen.log_table.focus()
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        screen.reload()
        await settle(pilot)
        assert len(screen.log_table.rows_shown) == 1
        assert screen.contacts_table.rows_shown  # the contacts are all still there
        assert len(names(app)) == 19


async def test_edit_a_log_entry_from_the_focused_log(demo_ctx: Context) -> None:
    from itpm_tui.screens.stakeholder_form import LogForm

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        screen = screen_of(app)
        jana = next(c for c in screen.contacts_table.rows_shown if c.name == "Jana Keller")
        screen.contacts_table.select_id(jana.id)
        await settle(pilot)
        screen.log_table.focus()
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        form.query_one("#log-date", Input).value = (TODAY + timedelta(days=1)).isoformat()
        form.query_one("#log-summary", Input).value = "Cut-over after the late shift, confirmed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "future" in str(form.query_one("#err-log-date").render())
        form.query_one("#log-date", Input).value = TODAY.isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, LogForm)
    newest = communication_log(demo_ctx.db, jana.id)[0]
    assert (newest.summary, newest.logged_on) == ("Cut-over after the late shift, confirmed", TODAY)
    assert len(communication_log(demo_ctx.db, jana.id)) == 1


async def test_filters_follow_projects_type_and_search(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        followed = app.screen.table.selected_id  # type: ignore[attr-defined]
        await pilot.press("5")
        await settle(pilot)
        screen = screen_of(app)
        assert followed is not None and screen.project_id == followed
        shown = screen.contacts_table.rows_shown
        assert shown and all(c.on_project(followed) for c in shown)
        await pilot.press("asterisk")
        await settle(pilot)
        await pilot.press("t", "t")  # all → client decision maker → sponsor
        assert {c.kind for c in screen.contacts_table.rows_shown} == {"sponsor"}
        await pilot.press("slash", *"harbour")
        await settle(pilot)
        assert names(app) == ["Margaret Hale"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(names(app)) == 5  # every sponsor again
        await pilot.press("p", *"FW-26", "enter")
        await settle(pilot)
        assert names(app) == ["Karin Vogel"]


async def test_user_text_is_shown_literally(ctx: Context) -> None:
    a = create_project(ctx, ProjectDraft(code="EV-1", name="Evil"))
    sid = add_contact(ctx, ContactDraft(name="x", projects="EV-1"))
    lid = add_log_entry(ctx, sid, LogDraft(TODAY, "chat", "[red]me[/]", "hi", a))
    with ctx.db.write() as session:  # as anyone with the file could: every way in refuses it
        session.get_one(Stakeholder, sid).name = "[bold]x[/] \x1b]52;c;AAAA\x07"
        session.get_one(CommunicationEntry, lid).summary = "[b]hi[/b] \x1b[2J"
    app = make_app(ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_all(pilot)
        screen = screen_of(app)
        name = screen.contacts_table.get_row_at(0)[0]
        assert name.plain.startswith("[bold]x[/] ") and "\x1b" not in name.plain
        assert not name.spans
        summary = screen.log_table.get_row_at(0)[-1]
        assert summary.plain.startswith("[b]hi[/b]") and "\x1b" not in summary.plain
        detail = str(screen.query_one("#contact-detail").render())
        assert "[bold]x[/]" in detail and "\x1b" not in detail
        grid = screen.grid.render().plain
        assert "[bold]x[/]" in grid and "\x1b" not in grid


LIVE_WRITER = """
import sys
from datetime import date
from pathlib import Path
from itpm_tui.domain.stakeholders import LogDraft
from itpm_tui.services.context import Context
from itpm_tui.queries.stakeholders import contacts
from itpm_tui.services.stakeholders import add_log_entry
from itpm_tui.storage.database import open_database, sqlite_url
ctx = Context(open_database(sqlite_url(Path(sys.argv[1]))), "technician",
              clock=lambda: date(2026, 3, 18))
oliver = next(c for c in contacts(ctx.db, ctx.today()) if c.name == "Oliver Grant")
add_log_entry(ctx, oliver.id, LogDraft(ctx.today(), "phone", "Technician", "Called from site"))
"""


async def test_a_log_entry_from_another_process_appears(demo_ctx: Context, db_path: Path) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_all(pilot)
        screen = screen_of(app)
        oliver = next(c for c in screen.contacts_table.rows_shown if c.name == "Oliver Grant")
        screen.contacts_table.select_id(oliver.id)
        await settle(pilot)
        subprocess.run([sys.executable, "-c", LIVE_WRITER, str(db_path)], check=True)
        for _ in range(100):
            await pilot.pause(0.05)
            if any(r.summary == "Called from site" for r in screen.log_table.rows_shown):
                break
        assert screen.log_table.rows_shown[0].summary == "Called from site"
        assert screen.contacts_table.selected_id == oliver.id
        oliver = next(c for c in screen.contacts_table.rows_shown if c.name == "Oliver Grant")
        assert not oliver.due.needs_update
