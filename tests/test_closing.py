"""Closing a project: the gate (domain), its records and every path to Closed (services), and
the close-out screen and the project form driven by keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TODAY, make_app, settle, version_of
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select
from textual.widgets import Input, Select, Static, TextArea

from itpm_tui.domain.closing import (
    MIN_OVERRIDE,
    ClosingBlocked,
    DeliverableDraft,
    closing_problems,
    is_accepted,
    override_given,
    validate_acceptance,
    validate_deliverable,
    validate_override,
    validate_sign_off,
)
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.queries.closing import closing_state
from itpm_tui.queries.portfolio import projects_by_code
from itpm_tui.screens.closing import CloseOutScreen
from itpm_tui.screens.closing_forms import AcceptForm, OverrideForm, SignOffForm
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.project_form import ProjectForm
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.services.closing import (
    accept_deliverable,
    add_deliverable,
    clear_sign_off,
    close_project,
    delete_deliverable,
    record_sign_off,
    reopen_project,
    set_lessons,
    unaccept_deliverable,
    update_deliverable,
)
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project, update_project
from itpm_tui.storage.models import Activity, Deliverable, Project

pytestmark = pytest.mark.both_backends

START = date(2026, 1, 5)


@dataclass(frozen=True)
class D:
    name: str
    accepted_by: str = ""
    accepted_on: date | None = None


# --- domain -----------------------------------------------------------------------------------


def _dv(ctx: Context, deliverable_id: int) -> int:
    """The deliverable's version, as the close-out screen shows it."""
    return version_of(ctx.db, Deliverable, deliverable_id)


def _pv(ctx: Context, project_id: int) -> int:
    """The project's version, as the close-out screen shows it."""
    return version_of(ctx.db, Project, project_id)


def test_problems_name_each_unaccepted_deliverable_and_the_sign_off() -> None:
    items = [
        D("Design", "Ann", date(2026, 2, 1)),
        D("As-built documentation"),
        D("Runbook", "Bob"),  # a name without a day is not an acceptance
        D("Training", "", date(2026, 2, 1)),
    ]
    problems = closing_problems(items, "", None)
    assert [p.rule for p in problems] == [
        "deliverable 'As-built documentation' not accepted",
        "deliverable 'Runbook' not accepted",
        "deliverable 'Training' not accepted",
        "client sign-off not recorded",
    ]
    assert {p.field for p in problems} == {"deliverables", "sign-off"}


def test_half_a_sign_off_is_named() -> None:
    assert [p.rule for p in closing_problems([], "Karin", None)] == ["client sign-off has no date"]
    assert [p.rule for p in closing_problems([], " ", TODAY)] == [
        "client sign-off has no name (who signed off)"
    ]
    assert closing_problems([], "Karin", TODAY) == []


def test_override_must_be_a_reason() -> None:
    items = [D("Design")]
    assert closing_problems(items, "", None, "   ") != []
    assert closing_problems(items, "", None, "too short") != []
    assert closing_problems(items, "", None, "client moved the go-live") == []
    with pytest.raises(ValidationError, match="give the reason") as blank:
        validate_override("  ")
    assert blank.value.field == "override"
    with pytest.raises(ValidationError, match=f"at least {MIN_OVERRIDE} characters"):
        validate_override("ok, done")
    assert validate_override("  client went bankrupt  ") == "client went bankrupt"


def test_blocked_message_lists_every_blocker() -> None:
    exc = ClosingBlocked("FW-26", closing_problems([D("As-built documentation")], "", None))
    assert str(exc) == (
        "FW-26 cannot be closed: deliverable 'As-built documentation' not accepted; "
        "client sign-off not recorded"
    )
    assert isinstance(exc, ValidationError) and len(exc.problems) == 2


def test_acceptance_rules() -> None:
    ok = validate_acceptance(" Ann ", TODAY, " fine ", today=TODAY, not_before=START)
    assert (ok.by, ok.on, ok.note) == ("Ann", TODAY, "fine")
    with pytest.raises(ValidationError) as missing:
        validate_acceptance("", None, today=TODAY)
    assert {(p.field, p.rule) for p in missing.value.problems} == {
        ("accepted by", "must not be empty"),
        ("accepted on", "is required"),
    }
    with pytest.raises(ValidationError, match="must not be in the future"):
        validate_acceptance("Ann", TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="before the project's start"):
        validate_acceptance("Ann", START - timedelta(days=1), today=TODAY, not_before=START)
    # Early is fine: nothing ties an acceptance to the due date.
    assert validate_acceptance("Ann", START, today=TODAY, not_before=START).on == START


def test_sign_off_rules() -> None:
    assert validate_sign_off(" Karin ", TODAY, today=TODAY).by == "Karin"
    with pytest.raises(ValidationError) as bad:
        validate_sign_off(" ", TODAY + timedelta(days=3), today=TODAY)
    assert [p.field for p in bad.value.problems] == ["signed off by", "signed off on"]
    with pytest.raises(ValidationError, match="before the project's start"):
        validate_sign_off("Karin", date(2025, 1, 1), today=TODAY, not_before=START)


def test_deliverable_rules() -> None:
    clean = validate_deliverable(DeliverableDraft(" Runbook ", " ops ", " signed "))
    assert (clean.name, clean.description, clean.acceptance_criteria) == (
        "Runbook",
        "ops",
        "signed",
    )
    with pytest.raises(ValidationError, match="name: must not be empty"):
        validate_deliverable(DeliverableDraft("  "))


deliverables = st.lists(
    st.builds(
        D,
        name=st.text(min_size=1, max_size=8),
        accepted_by=st.sampled_from(["", " ", "Ann"]),
        accepted_on=st.none() | st.just(TODAY),
    ),
    max_size=6,
)


@given(
    items=deliverables,
    by=st.sampled_from(["", "  ", "Karin"]),
    on=st.none() | st.just(TODAY),
    override=st.none() | st.text(max_size=14),
)
def test_gate_open_iff_evidence_complete_or_override(
    items: list[D], by: str, on: date | None, override: str | None
) -> None:
    problems = closing_problems(items, by, on, override)
    evidence = all(is_accepted(d) for d in items) and bool(by.strip()) and on is not None
    assert (problems == []) == (evidence or override_given(override))
    if problems:
        unaccepted = [d for d in items if not is_accepted(d)]
        named = [p for p in problems if p.field == "deliverables"]
        assert len(named) == len(unaccepted)
        assert all(f"'{d.name}'" in p.rule for d, p in zip(unaccepted, named, strict=True))
        assert any(p.field == "sign-off" for p in problems) == (not (by.strip() and on))


@given(st.text(max_size=30))
def test_override_given_iff_validate_accepts(reason: str) -> None:
    try:
        validate_override(reason)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted == override_given(reason)


# --- services ---------------------------------------------------------------------------------


def log(ctx: Context, **where: Any) -> list[Activity]:
    with ctx.db.read() as session:
        rows = session.exec(select(Activity).order_by(Activity.id)).all()
    return [a for a in rows if all(getattr(a, k) == v for k, v in where.items())]


def project(ctx: Context, pid: int) -> Project:
    with ctx.db.read() as session:
        row = session.get(Project, pid)
        assert row is not None
        return row


@pytest.fixture
def fw(ctx: Context) -> tuple[int, int, int]:
    """A project with two deliverables: (project, design, as-built)."""
    pid = create_project(ctx, ProjectDraft(code="FW-1", name="Firewall", start_date=START))
    design = add_deliverable(ctx, pid, DeliverableDraft("Design", due_date=date(2026, 2, 1)))
    built = add_deliverable(ctx, pid, DeliverableDraft("As-built documentation"))
    return pid, design, built


def test_demo_closed_project_has_its_evidence(demo_ctx: Context) -> None:
    """SRV-25 is closed in the demo: every deliverable accepted, the sign-off recorded."""
    pid = projects_by_code(demo_ctx.db)["SRV-25"]
    state = closing_state(demo_ctx.db, pid)
    assert state is not None and state.closed and state.phase == "closing"
    assert state.deliverables and all(d.accepted for d in state.deliverables)
    assert state.signed_off_by == "Karin Vogel" and state.signed_off_on is not None
    assert state.blockers == [] and state.lessons
    assert state.reasons == ["the project is already closed"] and not state.can_close


def test_state_lists_acceptance_and_reasons(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid, design, _ = fw
    accept_deliverable(
        ctx, design, "Ann", date(2026, 2, 3), "looks good", expected_version=_dv(ctx, design)
    )
    state = closing_state(ctx.db, pid)
    assert state is not None
    assert [(d.name, d.accepted) for d in state.deliverables] == [
        ("Design", True),
        ("As-built documentation", False),  # no due date: last
    ]
    assert state.accepted_count == 1 and not state.can_close
    assert state.reasons == [
        "deliverable 'As-built documentation' not accepted",
        "client sign-off not recorded",
    ]
    assert closing_state(ctx.db, 999) is None


def test_close_refused_with_every_blocker_and_nothing_written(
    ctx: Context, fw: tuple[int, int, int]
) -> None:
    pid = fw[0]
    before = len(log(ctx))
    with pytest.raises(ClosingBlocked) as blocked:
        close_project(ctx, pid, expected_version=_pv(ctx, pid))
    assert str(blocked.value) == (
        "FW-1 cannot be closed: deliverable 'Design' not accepted; deliverable "
        "'As-built documentation' not accepted; client sign-off not recorded"
    )
    assert project(ctx, pid).status == "active" and len(log(ctx)) == before


def test_close_after_all_accepted_and_signed_off(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid, design, built = fw
    accept_deliverable(ctx, design, "Ann", date(2026, 2, 3), expected_version=_dv(ctx, design))
    record_sign_off(ctx, pid, "Karin Vogel", TODAY, expected_version=1)
    with pytest.raises(ClosingBlocked, match=r"'As-built documentation' not accepted$"):
        close_project(ctx, pid, expected_version=_pv(ctx, pid))
    accept_deliverable(ctx, built, "Ann", TODAY, "handed over", expected_version=_dv(ctx, built))
    state = closing_state(ctx.db, pid)
    assert state is not None and state.can_close
    close_project(ctx, pid, expected_version=state.version)
    row = project(ctx, pid)
    assert (row.status, row.phase, row.closing_override) == ("closed", "closing", "")
    closes = log(ctx, action="close")
    assert [(a.user, a.summary) for a in closes] == [("tester", "closed FW-1")]
    fields = {(a.field, a.new_value) for a in log(ctx, entity="project", action="update")}
    assert {("status", "closed"), ("phase", "closing"), ("signed_off_by", "Karin Vogel")} <= fields
    with pytest.raises(ValidationError, match="already closed"):
        close_project(ctx, pid, expected_version=_pv(ctx, pid))


def test_override_keeps_the_reason_and_logs_it(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid = fw[0]
    with pytest.raises(ValidationError) as short:
        close_project(ctx, pid, override_reason="because", expected_version=_pv(ctx, pid))
    assert short.value.field == "override" and project(ctx, pid).status == "active"
    reason = "Client cancelled the last phase; signed e-mail on file"
    close_project(ctx, pid, override_reason=f"  {reason} ", expected_version=1)
    row = project(ctx, pid)
    assert (row.status, row.closing_override) == ("closed", reason)
    (entry,) = log(ctx, action="close")
    assert reason in entry.summary and "client sign-off not recorded" in entry.summary
    assert any(a.field == "closing_override" and a.new_value == reason for a in log(ctx))


def test_no_override_stored_when_nothing_blocks(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="OK-1", name="Ready", start_date=START))
    record_sign_off(ctx, pid, "Karin", TODAY, expected_version=_pv(ctx, pid))
    close_project(
        ctx, pid, override_reason="not needed but typed anyway", expected_version=_pv(ctx, pid)
    )
    assert project(ctx, pid).closing_override == ""


def test_stale_close_is_refused(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="ST-1", name="Stale", start_date=START))
    record_sign_off(ctx, pid, "Karin", TODAY, expected_version=_pv(ctx, pid))  # version 1 → 2
    with pytest.raises(ConflictError):
        close_project(ctx, pid, expected_version=1)
    assert project(ctx, pid).status == "active"


def test_acceptance_is_checked_and_logged(ctx: Context, fw: tuple[int, int, int]) -> None:
    _, design, _ = fw
    with pytest.raises(ValidationError, match="future"):
        accept_deliverable(
            ctx, design, "Ann", TODAY + timedelta(days=1), expected_version=_dv(ctx, design)
        )
    with pytest.raises(ValidationError, match="before the project's start"):
        accept_deliverable(
            ctx, design, "Ann", START - timedelta(days=1), expected_version=_dv(ctx, design)
        )
    accept_deliverable(ctx, design, "Ann", TODAY, "ok", expected_version=_dv(ctx, design))
    entries = {(a.field, a.new_value) for a in log(ctx, entity="deliverable", action="update")}
    assert entries == {
        ("accepted_by", "Ann"),
        ("accepted_on", TODAY.isoformat()),
        ("acceptance_note", "ok"),
    }
    unaccept_deliverable(ctx, design, expected_version=_dv(ctx, design))
    withdrawn = log(ctx, entity="deliverable", field="accepted_by", new_value="")
    assert [a.old_value for a in withdrawn] == ["Ann"]


def test_deliverable_edits(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid, design, built = fw
    assert update_deliverable(
        ctx, built, DeliverableDraft("As-built docs", "PDF"), expected_version=_dv(ctx, built)
    ) == [
        "name",
        "description",
    ]
    delete_deliverable(ctx, design, expected_version=_dv(ctx, design))
    state = closing_state(ctx.db, pid)
    assert state is not None and [d.name for d in state.deliverables] == ["As-built docs"]
    assert (
        log(ctx, entity="deliverable", action="delete")[0].summary == "deleted deliverable 'Design'"
    )
    with pytest.raises(ValidationError):
        add_deliverable(ctx, pid, DeliverableDraft(""))


def test_closed_record_is_frozen_until_reopened(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid, design, _ = fw
    close_project(
        ctx,
        pid,
        override_reason="Contract ended early by the client",
        expected_version=_pv(ctx, pid),
    )
    for attempt in (
        lambda: add_deliverable(ctx, pid, DeliverableDraft("More")),
        lambda: accept_deliverable(ctx, design, "Ann", TODAY, expected_version=_dv(ctx, design)),
        lambda: delete_deliverable(ctx, design, expected_version=_dv(ctx, design)),
        lambda: record_sign_off(ctx, pid, "Karin", TODAY, expected_version=_pv(ctx, pid)),
        lambda: clear_sign_off(ctx, pid, expected_version=_pv(ctx, pid)),
    ):
        with pytest.raises(ValidationError, match="reopen it"):
            attempt()
    set_lessons(ctx, pid, "  Agree the exit clause up front.  ", expected_version=_pv(ctx, pid))
    assert project(ctx, pid).lessons == "Agree the exit clause up front."


def test_reopen_is_logged_and_needs_a_new_close(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid = fw[0]
    reason = "Contract ended early by the client"
    close_project(ctx, pid, override_reason=reason, expected_version=_pv(ctx, pid))
    reopen_project(ctx, pid, expected_version=_pv(ctx, pid))
    row = project(ctx, pid)
    assert (row.status, row.closing_override) == ("active", "")
    (entry,) = log(ctx, action="reopen")
    assert reason in entry.summary and entry.user == "tester"
    with pytest.raises(ClosingBlocked):
        close_project(ctx, pid, expected_version=_pv(ctx, pid))
    with pytest.raises(ValidationError, match="not closed"):
        reopen_project(ctx, pid, expected_version=_pv(ctx, pid))


def draft_of(row: Project, **changes: Any) -> ProjectDraft:
    values = {k: getattr(row, k) for k in ProjectDraft.__dataclass_fields__ if k not in changes}
    return ProjectDraft(**values, **changes)


def test_edit_form_path_is_gated(ctx: Context, fw: tuple[int, int, int]) -> None:
    pid, design, built = fw
    row = project(ctx, pid)
    with pytest.raises(ValidationError) as refused:
        update_project(ctx, pid, draft_of(row, status="closed", name="Renamed"), row.version)
    assert refused.value.field == "status"
    assert "deliverable 'Design' not accepted" in refused.value.rule
    assert "c on Projects" in refused.value.rule
    assert project(ctx, pid).name == "Firewall"  # nothing written
    for item in (design, built):
        accept_deliverable(ctx, item, "Ann", TODAY, expected_version=_dv(ctx, item))
    record_sign_off(ctx, pid, "Karin", TODAY, expected_version=_pv(ctx, pid))
    row = project(ctx, pid)
    update_project(ctx, pid, draft_of(row, status="closed", phase="execution"), row.version)
    row = project(ctx, pid)
    assert (row.status, row.phase) == ("closed", "closing")
    # Editing a closed project that stays closed is not a new close.
    update_project(ctx, pid, draft_of(row, name="Firewall (done)"), row.version)
    row = project(ctx, pid)
    update_project(ctx, pid, draft_of(row, status="active"), row.version)
    assert project(ctx, pid).status == "active" and len(log(ctx, action="reopen")) == 1


def test_new_project_cannot_start_closed(ctx: Context) -> None:
    with pytest.raises(ValidationError, match="cannot start closed") as refused:
        create_project(ctx, ProjectDraft(code="NEW-1", name="New", status="closed"))
    assert refused.value.field == "status"


def test_import_keeps_closed_projects_as_history(ctx: Context, tmp_path: Any) -> None:
    """A file's closed project is history, not a close: it imports as it was (see transfer)."""
    import json

    from itpm_tui.formats.portfolio_json import export_json, import_json

    pid = create_project(ctx, ProjectDraft(code="OLD-1", name="Old", start_date=START))
    close_project(
        ctx,
        pid,
        override_reason="Closed before sign-off was tracked",
        expected_version=_pv(ctx, pid),
    )
    document = export_json(ctx.db)
    document["projects"][0].update(code="OLD-2", closing_override="")
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    import_json(ctx, path)
    imported = projects_by_code(ctx.db)["OLD-2"]
    assert project(ctx, imported).status == "closed"


# --- screens ----------------------------------------------------------------------------------


async def open_closeout(pilot: Any, code: str) -> CloseOutScreen:
    await settle(pilot)
    await pilot.press("slash", *code, "enter")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CloseOutScreen)
    return screen


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def status_of(ctx: Context, code: str) -> tuple[str, str, str]:
    row = project(ctx, projects_by_code(ctx.db)[code])
    return row.status, row.phase, row.closing_override


async def test_gate_refuses_then_closes_after_sign_off(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot, "LAP-26")
        assert "NOT READY TO CLOSE" in text_of(screen, "#gate")
        assert "client sign-off not recorded" in text_of(screen, "#gate")
        assert "not recorded" in text_of(screen, "#signoff")
        await pilot.press("c")  # blocked: the override dialog lists why
        await settle(pilot)
        assert isinstance(app.screen, OverrideForm)
        assert "client sign-off not recorded" in str(
            app.screen.query_one("#form-title", Static).render()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert status_of(demo_ctx, "LAP-26")[0] == "active"
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SignOffForm)
        assert form.query_one("#s-on", Input).value == TODAY.isoformat()
        form.query_one("#s-by", Input).value = "Maeve O'Brien"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "READY TO CLOSE" in text_of(screen, "#gate")
        assert "NOT READY" not in text_of(screen, "#gate")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert status_of(demo_ctx, "LAP-26") == ("closed", "closing", "")
        assert "CLOSED" in text_of(screen, "#gate")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)


async def test_override_from_the_screen_keeps_the_reason(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_closeout(pilot, "FW-26")
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OverrideForm)
        title = str(form.query_one("#form-title", Static).render())
        assert "'HQ FortiGate cluster in production' not accepted" in title
        await pilot.press(*"short", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "at least 10 characters" in text_of(form, "#err-reason")
        assert status_of(demo_ctx, "FW-26")[0] == "active"
        form.query_one("#reason", TextArea).text = "Client took over the depots itself"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status_of(demo_ctx, "FW-26") == (
            "closed",
            "closing",
            "Client took over the depots itself",
        )
        (entry,) = log(demo_ctx, action="close")
        assert "Client took over the depots itself" in entry.summary
        assert "with override" in text_of(app.screen, "#gate")


async def test_accept_from_the_screen_defaults_to_user_and_today(demo_ctx: Context) -> None:
    app = make_app(demo_ctx, user="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot, "FW-26")
        await pilot.press("down")  # HQ cluster, not accepted yet
        await pilot.press("y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AcceptForm)
        assert form.query_one("#a-by", Input).value == "ana"
        assert form.query_one("#a-on", Input).value == TODAY.isoformat()
        form.query_one("#a-on", Input).value = (TODAY + timedelta(days=2)).isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "must not be in the future" in text_of(form, "#err-a-on")
        form.query_one("#a-on", Input).value = TODAY.isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        state = screen.state
        assert state is not None and state.accepted_count == 2
        item = state.deliverables[1]
        assert (item.accepted_by, item.accepted_on) == ("ana", TODAY)


async def test_edit_form_refuses_closed_and_points_to_closeout(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"FW-26", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        form.query_one("#status", Select).value = "closed"
        await settle(pilot)
        note = text_of(form, "#err-status")
        assert "cannot be closed yet" in note and "c on Projects" in note  # at once
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        note = text_of(form, "#err-status")
        assert "client sign-off not recorded" in note and "c on Projects" in note
        assert status_of(demo_ctx, "FW-26")[0] == "active"


async def test_reopen_from_the_screen(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot, "SRV-25")
        assert "CLOSED" in text_of(screen, "#gate")
        await pilot.press("s")  # frozen while closed: no sign-off form
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert status_of(demo_ctx, "SRV-25")[0] == "active"
        assert len(log(demo_ctx, action="reopen")) == 1
        assert "READY TO CLOSE" in text_of(screen, "#gate")


async def test_detail_panel_shows_the_closing_line(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 36)) as pilot:  # below 40 rows, enter opens the detail
        await settle(pilot)
        await pilot.press("slash", *"FW-26", "enter", "enter")
        await settle(pilot)
        from rich.console import Console

        console = Console(width=120, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(app.screen.query_one("#detail-text").shown)  # type: ignore[attr-defined]
        shown = console.export_text()
        assert "Closing" in shown
        assert "Deliverables 1/3 accepted · sign-off: not recorded" in shown


async def test_dialogs_open_ready_to_type(demo_ctx: Context) -> None:
    """Sign-off, acceptance and deliverable dialogs focus their first field, so what the
    user types lands there (it used to go nowhere until tab was pressed)."""
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot, "LAP-26")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SignOffForm)
        await pilot.press(*"Maeve", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert project(demo_ctx, projects_by_code(demo_ctx.db)["LAP-26"]).signed_off_by == "Maeve"
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#d-name", Input)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await open_closeout(pilot, "FW-26")
        await pilot.press("down", "y")  # HQ cluster, not accepted yet
        await settle(pilot)
        assert isinstance(app.screen, AcceptForm)
        assert app.screen.focused is app.screen.query_one("#a-by", Input)


# --- open work warns, never blocks --------------------------------------------------------------


def open_work_project(ctx: Context) -> int:
    """Ready to close by the gate (signed off, no deliverables) with a summary task over one
    done and one open task, one open and one closed risk."""
    from itpm_tui.domain.risk import RiskDraft
    from itpm_tui.services.risks import add_risk, close_risk
    from itpm_tui.storage.models import Task

    pid = create_project(ctx, ProjectDraft(code="WK-1", name="Work left", start_date=START))
    with ctx.transaction() as tx:
        summary = tx.create(Task(project_id=pid, name="Phase 1", wbs="1"))
        tx.create(Task(project_id=pid, parent_id=summary.id, name="Done", status="done"))
        tx.create(Task(project_id=pid, parent_id=summary.id, name="Cabling", status="blocked"))
    add_risk(ctx, pid, RiskDraft("Vendor late", 4, 4))
    close_risk(ctx, add_risk(ctx, pid, RiskDraft("Licence expiry", 2, 2)), 1)
    record_sign_off(ctx, pid, "Karin Vogel", TODAY, expected_version=_pv(ctx, pid))
    return pid


def test_close_warns_of_open_tasks_and_risks_but_does_not_block(ctx: Context) -> None:
    pid = open_work_project(ctx)
    state = closing_state(ctx.db, pid)
    assert state is not None
    assert (state.open_tasks, state.open_risks) == (1, 1)  # the summary and the done task: no
    assert state.warning == "1 task and 1 risk still open"
    assert state.can_close  # a warning, not a blocker
    close_project(ctx, pid, expected_version=_pv(ctx, pid))
    assert project(ctx, pid).status == "closed"
    (entry,) = log(ctx, action="close")
    assert entry.summary == "closed WK-1 with 1 task and 1 risk still open"


def test_nothing_open_no_warning(ctx: Context, fw: tuple[int, int, int]) -> None:
    state = closing_state(ctx.db, fw[0])
    assert state is not None and (state.open_tasks, state.open_risks, state.warning) == (0, 0, "")


def test_a_closed_project_counts_no_open_risks_on_projects(ctx: Context) -> None:
    from itpm_tui.queries.portfolio import portfolio

    pid = open_work_project(ctx)
    (row,) = portfolio(ctx.db, TODAY)
    assert row.open_high_risks == 1  # 4×4: high while the project runs
    close_project(ctx, pid, expected_version=_pv(ctx, pid))
    (row,) = portfolio(ctx.db, TODAY)
    assert (row.status, row.open_high_risks, row.open_critical_risks) == ("closed", 0, 0)


async def test_closeout_screen_and_question_say_what_stays_open(ctx: Context) -> None:
    open_work_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closeout(pilot, "WK-1")
        gate = text_of(screen, "#gate")
        assert "READY TO CLOSE" in gate and "NOT READY" not in gate
        assert "▲ 1 task and 1 risk still open: closing leaves them as they are" in gate
        await pilot.press("c")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "1 task and 1 risk still open" in question.question
        await pilot.press("y")
        await settle(pilot)
        assert status_of(ctx, "WK-1")[0] == "closed"
        assert "still open" not in text_of(screen, "#gate")  # closed: history, no warning


# --- deliverables from Projects, during identification ----------------------------------------


async def test_deliverables_are_added_and_edited_from_projects(ctx: Context) -> None:
    from textual.widgets import OptionList

    from itpm_tui.screens.closing_forms import DeliverableForm
    from itpm_tui.screens.deliverables import DeliverablesDialog

    pid = create_project(ctx, ProjectDraft(code="FW-26", name="Branch office firewall"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeliverablesDialog)
        assert "No deliverables yet" in text_of(dialog, "#list-note")
        await pilot.press("a", *"HA cluster", "tab", *"Firewalls fail over")
        await pilot.press("tab", "tab", *"2026-05-01", "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one(OptionList).option_count == 1
        await pilot.press("e")  # the same form, filled in
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeliverableForm)
        assert form.query_one("#d-due", Input).value == "2026-05-01"
        await pilot.press("end", *" pair", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
    state = closing_state(ctx.db, pid)
    assert state is not None
    assert [(d.name, d.description, d.due_date) for d in state.deliverables] == [
        ("HA cluster pair", "Firewalls fail over", date(2026, 5, 1))
    ]
    assert state.phase == "identification"  # added while the project is being identified


async def test_deliverables_delete_asks_first(ctx: Context, fw: tuple[int, int, int]) -> None:
    from itpm_tui.screens.deliverables import DeliverablesDialog

    pid = fw[0]
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DeliverablesDialog)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "'Design'" in str(app.screen.question)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, DeliverablesDialog)
    state = closing_state(ctx.db, pid)
    assert state is not None
    assert [d.name for d in state.deliverables] == ["As-built documentation"]
