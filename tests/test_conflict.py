"""A stale save keeps the form open and shows what the colleague changed, then lets the user
keep theirs or re-apply their own changed fields on top — driven by keys, with the colleague
saving through a second connection to the same file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import TODAY, make_app, settle
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from itpm_tui.queries.conflicts import change_mark, changes_since
from itpm_tui.queries.risks import register_rows, risk_row
from itpm_tui.screens.conflict import ConflictDialog
from itpm_tui.screens.risk_form import RiskForm
from itpm_tui.services.context import Context
from itpm_tui.services.risks import update_risk
from itpm_tui.storage.database import Database, open_database, sqlite_url


@pytest.fixture
def colleague(db_path: Path, demo_ctx: Context) -> Iterator[Context]:
    """Tom, saving through his own connection to the same database file."""
    database = open_database(sqlite_url(db_path))
    yield Context(database, "tom", clock=lambda: TODAY)
    database.dispose()


def _dialog_text(pilot: Pilot[None]) -> str:
    """Everything the dialog says, as plain text (its table printed wide: the picture
    tests check what fits at 80 columns)."""
    screen = pilot.app.screen
    assert isinstance(screen, ConflictDialog)
    console = Console(width=200, record=True, file=io.StringIO())
    for static in screen.query(Static):
        console.print(static.content)
    return console.export_text()


async def _edit_first_risk(pilot: Pilot[None]) -> RiskForm:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    await pilot.press("a", "e")  # every project, edit the selected risk
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RiskForm)
    return form


def _risk(db: Database, risk_id: int) -> object:
    row = risk_row(db, risk_id, TODAY)
    assert row is not None
    return row


async def _type(pilot: Pilot[None], selector: str, text: str) -> None:
    """Clear a one-line field and type `text` into it, as the user does."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def test_the_dialog_lists_their_fields_and_keep_theirs_shows_them(
    demo_ctx: Context, colleague: Context
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_first_risk(pilot)
        rid = form.risk_id
        assert rid is not None
        theirs = replace(form.draft, title="Licence late (Tom)", trigger="vendor silent")
        update_risk(colleague, rid, theirs, form.version)
        await _type(pilot, "#title", "Mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = _dialog_text(pilot)
        assert "Licence late (Tom)" in text and "vendor silent" in text
        assert "Tom Becker" in text
        assert "yours too" in text  # both changed the title
        await pilot.press("t")  # keep theirs
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#title", Input).value == "Licence late (Tom)"
        assert form.query_one("#trigger", Input).value == "vendor silent"
        assert not form.changed()
        await pilot.press("ctrl+s")  # nothing of mine left: saving theirs again is no conflict
        await settle(pilot)
        assert not isinstance(app.screen, RiskForm | ConflictDialog)
    stored = _risk(demo_ctx.db, rid)
    assert (stored.title, stored.trigger) == ("Licence late (Tom)", "vendor silent")  # type: ignore[attr-defined]


async def test_reapply_mine_stores_both_edits(demo_ctx: Context, colleague: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_first_risk(pilot)
        rid = form.risk_id
        assert rid is not None
        update_risk(colleague, rid, replace(form.draft, trigger="vendor silent"), form.version)
        await _type(pilot, "#title", "Licence late (mine)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "yours too" not in _dialog_text(pilot)
        await pilot.press("m")  # re-apply mine on top of theirs
        await settle(pilot)
        assert not isinstance(app.screen, RiskForm | ConflictDialog)
    stored = _risk(demo_ctx.db, rid)
    assert (stored.title, stored.trigger) == ("Licence late (mine)", "vendor silent")  # type: ignore[attr-defined]


async def test_same_field_mine_wins_only_when_chosen(demo_ctx: Context, colleague: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_first_risk(pilot)
        rid = form.risk_id
        assert rid is not None
        update_risk(colleague, rid, replace(form.draft, title="Tom's title"), form.version)
        await _type(pilot, "#title", "My title")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "yours too" in _dialog_text(pilot)
        await pilot.press("escape")  # back to the form: nothing saved, my typing kept
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#title", Input).value == "My title"
        assert "ctrl+s shows what they changed" in str(form.query_one("#form-error").render())
        assert _risk(demo_ctx.db, rid).title == "Tom's title"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")  # asked again
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, RiskForm | ConflictDialog)
    assert _risk(demo_ctx.db, rid).title == "My title"  # type: ignore[attr-defined]


def test_changes_since_keeps_the_newest_value_of_each_field(
    demo_ctx: Context, colleague: Context
) -> None:
    row = register_rows(demo_ctx.db, TODAY)[0]
    seen = change_mark(demo_ctx.db)
    update_risk(colleague, row.id, replace(row.draft(), title="One"), row.version)
    update_risk(colleague, row.id, replace(row.draft(), title="Two", trigger="t"), row.version + 1)
    changes = changes_since(demo_ctx.db, "risk", row.id, seen)
    assert [(c.field, c.value, c.user, c.name) for c in changes] == [
        ("title", "Two", "tom", "Tom Becker"),
        ("trigger", "t", "tom", "Tom Becker"),
    ]
    assert all(c.at.tzinfo is not None for c in changes)
    assert changes_since(demo_ctx.db, "risk", row.id, change_mark(demo_ctx.db)) == []


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no-colour"])
def test_dialog_at_80x24(  # type: ignore[no-untyped-def]
    snap_compare,
    demo_ctx: Context,
    colleague: Context,
    monkeypatch: pytest.MonkeyPatch,
    no_color: bool,
) -> None:
    """The dialog over the risk form: Tom changed the title and the trigger (Rich markup in
    it shown as typed), the user the title too. Taken in UTC at a fixed moment; without
    colours the state is still said in words ("yours too")."""
    import time

    import itpm_tui.services.context as context

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(context, "stamp", lambda day: datetime(2026, 3, 18, 13, 5, tzinfo=UTC))
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot[None]) -> None:
        form = await _edit_first_risk(pilot)
        assert form.risk_id is not None
        theirs = replace(
            form.draft, title="Licence late (Tom)", trigger="[bold]vendor[/bold] silent"
        )
        update_risk(colleague, form.risk_id, theirs, form.version)
        await _type(pilot, "#title", "Mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConflictDialog)

    assert snap_compare(make_app(demo_ctx), terminal_size=(80, 24), run_before=run_before)


async def test_task_form_reapplies_mine_on_their_version(db_path: Path, ctx: Context) -> None:
    """In the Timeline: Tom renames the task, sets its progress and assigns it while the user
    writes notes and a new estimate; re-applying stores all five, after the dialog listed
    Tom's three (the assignee by name)."""
    from test_timeline import chart, open_timeline, sample_project

    from itpm_tui.queries.tasks import load_task_edit
    from itpm_tui.screens.task_form import TaskForm
    from itpm_tui.services.tasks import update_task

    ids = sample_project(ctx)
    tom = Context(open_database(sqlite_url(db_path)), "tom", clock=lambda: TODAY)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot)
        chart(app).select_key(ids["2.2"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        edit = load_task_edit(tom.db, ids["2.2"])
        assert edit is not None
        theirs = replace(
            edit.draft, name="Rules review (Tom)", percent_complete=40, assignee_id=ids["ana"]
        )
        update_task(tom, edit.task_id, theirs, edit.predecessors, edit.version)
        await _type(pilot, "#estimate", "12")
        form.query_one("#notes").focus()
        await pilot.press(*"vendor call first")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = _dialog_text(pilot)
        assert "Rules review (Tom)" in text and "percent complete" in text and "40" in text
        assert "assignee" in text and "Ana Souza" in text  # an id shown by its name
        assert "tom" in text and "yours too" not in text
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, TaskForm | ConflictDialog)
    tom.db.dispose()
    stored = load_task_edit(ctx.db, ids["2.2"])
    assert stored is not None
    d = stored.draft
    assert (d.name, d.percent_complete, d.assignee_id) == ("Rules review (Tom)", 40, ids["ana"])
    assert (d.description, d.estimate_hours) == ("vendor call first", Decimal(12))


async def test_budget_line_reapplies_mine(db_path: Path, ctx: Context) -> None:
    """Tom's new amount and the user's new description are both kept after `m`."""
    from itpm_tui.domain.ledger import BudgetLineDraft
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.queries.ledger import budget_lines
    from itpm_tui.screens.budget_lines import BudgetLineForm
    from itpm_tui.services.budget_lines import add_budget_line, update_budget_line
    from itpm_tui.services.projects import create_project

    pid = create_project(ctx, ProjectDraft(code="BUD-1", name="Budget", currency="EUR"))
    add_budget_line(ctx, pid, BudgetLineDraft("hardware", "Firewalls", "12000"))
    tom = Context(open_database(sqlite_url(db_path)), "tom", clock=lambda: TODAY)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")  # edit the only line
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BudgetLineForm) and form.row is not None
        line = form.row
        update_budget_line(
            tom, line.id, BudgetLineDraft("hardware", "Firewalls", "13500"), line.version
        )
        await _type(pilot, "#description", "Firewalls [HA pair]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert [(c.label, c.who) for c in dialog.changes] == [("amount", "tom")]
        await pilot.press("m")
        await settle(pilot)
        await settle(pilot)
        assert not isinstance(app.screen, BudgetLineForm | ConflictDialog)
    tom.db.dispose()
    [stored] = budget_lines(ctx.db, pid)
    assert (stored.description, stored.amount) == ("Firewalls [HA pair]", Decimal("13500"))
