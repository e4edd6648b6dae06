"""The close-out forms meet a colleague's save with the conflict dialog, as the other forms do:
what they changed (field, value, who), then `t` keeps theirs or `m` re-applies the user's
fields on top — Tom saving through a second connection to the same SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY, make_app, settle
from test_closing import open_closeout, status_of
from test_conflict import _dialog_text, _type
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from itpm_tui.domain.closing import DeliverableDraft
from itpm_tui.queries.closing import DeliverableItem, closing_state, deliverable_item
from itpm_tui.queries.portfolio import projects_by_code
from itpm_tui.screens.closing_forms import (
    AcceptForm,
    ClosingForm,
    DeliverableForm,
    LessonsForm,
    OverrideForm,
    SignOffForm,
)
from itpm_tui.screens.conflict import ConflictDialog
from itpm_tui.services.closing import (
    record_sign_off,
    set_lessons,
    update_deliverable,
)
from itpm_tui.services.context import Context
from itpm_tui.storage.database import open_database, sqlite_url


@pytest.fixture
def tom(db_path: Path, demo_ctx: Context) -> Iterator[Context]:
    """Tom, saving through his own connection to the demo's database file."""
    database = open_database(sqlite_url(db_path))
    yield Context(database, "tom", clock=lambda: TODAY)
    database.dispose()


def _draft(item: DeliverableItem, **changes: object) -> DeliverableDraft:
    fields = {
        "name": item.name,
        "description": item.description,
        "acceptance_criteria": item.acceptance_criteria,
        "due_date": item.due_date,
        **changes,
    }
    return DeliverableDraft(**fields)  # type: ignore[arg-type]


async def _open(pilot: Pilot[None], code: str, *keys: str) -> ClosingForm:
    await open_closeout(pilot, code)
    await pilot.press(*keys)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ClosingForm)
    return form


async def _save_into_dialog(pilot: Pilot[None]) -> str:
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConflictDialog)
    return _dialog_text(pilot)


async def test_deliverable_form_keeps_theirs(demo_ctx: Context, tom: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "FW-26", "e")
        assert isinstance(form, DeliverableForm) and form.item is not None
        item = form.item
        update_deliverable(
            tom, item.id, _draft(item, description="Tom's words"), expected_version=item.version
        )
        await _type(pilot, "#d-name", "My name")
        text = await _save_into_dialog(pilot)
        assert "description" in text and "Tom's words" in text and "Tom Becker" in text
        assert "yours too" not in text
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#d-name", Input).value == item.name
        assert form.query_one("#d-description", TextArea).text == "Tom's words"
        assert not form.changed()
        await pilot.press("ctrl+s")  # their version saved again: no conflict
        await settle(pilot)
        assert not isinstance(app.screen, DeliverableForm | ConflictDialog)
    stored = deliverable_item(demo_ctx.db, item.id)
    assert stored is not None and (stored.name, stored.description) == (item.name, "Tom's words")


async def test_accept_form_reapplies_mine_on_their_due_date(
    demo_ctx: Context, tom: Context
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "FW-26", "down", "y")  # HQ cluster, not accepted yet
        assert isinstance(form, AcceptForm)
        item = form.item
        due = TODAY.replace(day=28)
        update_deliverable(tom, item.id, _draft(item, due_date=due), expected_version=item.version)
        await _type(pilot, "#a-note", "HA failover shown")
        text = await _save_into_dialog(pilot)
        assert "due date" in text and due.isoformat() in text
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, AcceptForm | ConflictDialog)
    stored = deliverable_item(demo_ctx.db, item.id)
    assert stored is not None and stored.accepted
    assert (stored.acceptance_note, stored.due_date) == ("HA failover shown", due)


async def test_sign_off_form_reapplies_mine_on_their_lessons(
    demo_ctx: Context, tom: Context
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "LAP-26", "s")
        assert isinstance(form, SignOffForm)
        state = form.state
        set_lessons(tom, state.project_id, "Order spares early", expected_version=state.version)
        await _type(pilot, "#s-by", "Maeve O'Brien")
        text = await _save_into_dialog(pilot)
        assert "lessons" in text and "Order spares early" in text
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, SignOffForm | ConflictDialog)
    stored = closing_state(demo_ctx.db, state.project_id)
    assert stored is not None
    assert (stored.signed_off_by, stored.signed_off_on) == ("Maeve O'Brien", TODAY)
    assert stored.lessons == "Order spares early"


async def test_lessons_form_both_changed_then_keep_theirs(demo_ctx: Context, tom: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "LAP-26", "l")
        assert isinstance(form, LessonsForm)
        state = form.state
        set_lessons(tom, state.project_id, "Tom: pilot first", expected_version=state.version)
        form.query_one("#lessons", TextArea).text = "Mine: order early"
        text = await _save_into_dialog(pilot)
        assert "Tom: pilot first" in text and "yours too" in text
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#lessons", TextArea).text == "Tom: pilot first"
        await pilot.press("escape")  # nothing changed since: closes without asking
        await settle(pilot)
        assert not isinstance(app.screen, LessonsForm | ConflictDialog)
    stored = closing_state(demo_ctx.db, state.project_id)
    assert stored is not None and stored.lessons == "Tom: pilot first"


async def test_override_form_reapplies_the_reason_after_their_sign_off(
    demo_ctx: Context, tom: Context
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "FW-26", "c")
        assert isinstance(form, OverrideForm)
        state = form.state
        record_sign_off(tom, state.project_id, "Karin Vogel", TODAY, expected_version=state.version)
        form.query_one("#reason", TextArea).text = "Client took over the depots itself"
        text = await _save_into_dialog(pilot)
        assert "signed off by" in text and "Karin Vogel" in text
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, OverrideForm | ConflictDialog)
    assert status_of(demo_ctx, "FW-26") == (
        "closed",
        "closing",
        "Client took over the depots itself",
    )
    pid = projects_by_code(demo_ctx.db)["FW-26"]
    stored = closing_state(demo_ctx.db, pid)
    assert stored is not None and stored.signed_off_by == "Karin Vogel"


async def test_override_form_read_again_says_when_nothing_blocks_any_more(
    ctx: Context, db_path: Path
) -> None:
    """Tom accepted the only deliverable and signed off meanwhile: kept, the form says the
    project can now close without an override."""
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.services.closing import accept_deliverable, add_deliverable
    from itpm_tui.services.projects import create_project

    pid = create_project(ctx, ProjectDraft(code="GO-1", name="Go live", start_date=TODAY))
    did = add_deliverable(ctx, pid, DeliverableDraft("Runbook"))
    them = Context(open_database(sqlite_url(db_path)), "tom", clock=lambda: TODAY)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open(pilot, "GO-1", "c")
        assert isinstance(form, OverrideForm)
        accept_deliverable(them, did, "Karin", TODAY, expected_version=1)
        record_sign_off(them, pid, "Karin", TODAY, expected_version=form.state.version)
        form.query_one("#reason", TextArea).text = "Needed for the audit anyway"
        await _save_into_dialog(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is form
        title = str(form.query_one("#form-title", Static).render())
        assert "can now be closed" in title and "cannot" not in title
    them.db.dispose()
