"""Budget lines: the rules, the writes with their activity, stale edits, and the categories a
project may book to once it has lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from conftest import make_app, settle
from sqlmodel import col, select
from textual.widgets import Input, OptionList, Select, Static

from itpm_tui.domain.ledger import (
    BudgetLineDraft,
    EntryDraft,
    booking_categories,
    validate_budget_line,
)
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, NotFoundError
from itpm_tui.queries.budget import budget_summary
from itpm_tui.queries.ledger import budget_lines, project_categories
from itpm_tui.screens.budget import BudgetScreen
from itpm_tui.screens.budget_lines import NEW_CATEGORY, BudgetLineForm, BudgetLinesDialog
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.entry_form import EntryForm
from itpm_tui.services.budget_lines import (
    add_budget_line,
    delete_budget_line,
    update_budget_line,
)
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity, BudgetLine
from itpm_tui.widgets.ledger_table import LedgerTable

pytestmark = pytest.mark.both_backends

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from itpm_tui.app import ItpmApp

D = Decimal
STANDARD = ["hardware", "software", "labour", "vendor services", "contingency"]


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {p.field: p.rule for p in exc.value.problems}


def project(ctx: Context, code: str = "BL-1", currency: str = "EUR") -> int:
    return create_project(ctx, ProjectDraft(code=code, name=f"{code} project", currency=currency))


def line_activity(ctx: Context) -> list[Activity]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(Activity).where(Activity.entity == "budgetline").order_by(col(Activity.id))
            ).all()
        )


# --- rules --------------------------------------------------------------------------------


def test_booking_categories_lead_with_the_lines_and_merge_case() -> None:
    assert booking_categories([]) == STANDARD
    assert booking_categories(["Travel", "LABOUR"], ["travel", " Licences "]) == [
        "Travel",
        "LABOUR",
        "hardware",
        "software",
        "vendor services",
        "contingency",
        "Licences",
    ]


@pytest.mark.parametrize(
    ("draft", "field", "rule"),
    [
        (BudgetLineDraft("", "", "10"), "category", "is required"),
        (BudgetLineDraft("   ", "", "10"), "category", "is required"),
        (BudgetLineDraft("x" * 41, "", "10"), "category", "at most 40 characters"),
        (BudgetLineDraft("travel", "y" * 201, "10"), "description", "at most 200 characters"),
        (BudgetLineDraft("travel", "", ""), "amount", "is required"),
        (BudgetLineDraft("travel", "", "12.345"), "amount", "at most 2 decimal places"),
        (BudgetLineDraft("travel", "", "12,34"), "amount", "is not a decimal amount"),
        (BudgetLineDraft("travel", "", "-5"), "amount", "must be 0 or more (in EUR)"),
    ],
)
def test_a_bad_line_names_the_field_and_rule(draft: BudgetLineDraft, field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_budget_line(draft, "EUR", STANDARD)
    assert rule in problems(exc)[field]


def test_a_clean_line_is_trimmed_and_keeps_the_known_spelling() -> None:
    clean = validate_budget_line(
        BudgetLineDraft(" Vendor  Services ", " SOC ", "1,500"), "EUR", STANDARD
    )
    assert (clean.category, clean.description, clean.amount) == (
        "vendor services",
        "SOC",
        D("1500.00"),
    )
    new = validate_budget_line(BudgetLineDraft("  Travel ", "", "0"), "JPY", STANDARD)
    assert (new.category, new.amount) == ("Travel", D(0))  # zero is a budget too
    with pytest.raises(ValidationError):
        validate_budget_line(BudgetLineDraft("travel", "", "1.5"), "JPY", STANDARD)
    # An edited line that an approved change made negative keeps its amount.
    kept = validate_budget_line(
        BudgetLineDraft("travel", "x", "-12.50"), "EUR", STANDARD, current_amount=D("-12.50")
    )
    assert kept.amount == D("-12.50")


# --- writes -------------------------------------------------------------------------------


def test_add_edit_remove_are_logged_and_change_the_totals(ctx: Context) -> None:
    pid = project(ctx)
    hw = add_budget_line(ctx, pid, BudgetLineDraft("hardware", "Firewalls", "12,000.00"))
    travel = add_budget_line(ctx, pid, BudgetLineDraft("Travel", "Site visits", "800"))
    lines = budget_lines(ctx.db, pid)
    assert [(r.category, r.description, r.amount) for r in lines] == [
        ("Travel", "Site visits", D("800")),
        ("hardware", "Firewalls", D("12000")),
    ]
    total = budget_summary(ctx.db, pid, date(2026, 3, 18)).total
    assert total.budget == D("12800.00")

    seen = next(r for r in lines if r.id == hw).version
    update_budget_line(ctx, hw, BudgetLineDraft("hardware", "Firewalls (HA pair)", "15000"), seen)
    seen = next(r for r in budget_lines(ctx.db, pid) if r.id == travel).version
    delete_budget_line(ctx, travel, seen)
    assert [(r.category, r.amount) for r in budget_lines(ctx.db, pid)] == [("hardware", D(15000))]

    log = [(a.action, a.field, a.old_value, a.new_value, a.summary) for a in line_activity(ctx)]
    assert log == [
        ("create", "", "", "", "added budget line hardware 'Firewalls' EUR 12,000.00"),
        ("create", "", "", "", "added budget line Travel 'Site visits' EUR 800.00"),
        ("update", "description", "Firewalls", "Firewalls (HA pair)", ""),
        ("update", "amount", "12000.00", "15000.00", ""),
        ("delete", "", "", "", "removed budget line Travel 'Site visits' EUR 800.00"),
    ]
    assert {a.project_id for a in line_activity(ctx)} == {pid}
    assert {a.user for a in line_activity(ctx)} == {"tester"}


def test_a_refused_line_writes_nothing(ctx: Context) -> None:
    pid = project(ctx)
    with pytest.raises(ValidationError) as exc:
        add_budget_line(ctx, pid, BudgetLineDraft("", "", "-1"))
    assert set(problems(exc)) == {"category", "amount"}
    assert budget_lines(ctx.db, pid) == [] and line_activity(ctx) == []
    line = add_budget_line(ctx, pid, BudgetLineDraft("labour", "", "100"))
    with pytest.raises(ValidationError):
        update_budget_line(ctx, line, BudgetLineDraft("labour", "", "-100"), 1)
    assert budget_lines(ctx.db, pid)[0].amount == D(100)


def test_a_stale_edit_or_removal_is_refused(ctx: Context) -> None:
    pid = project(ctx)
    line = add_budget_line(ctx, pid, BudgetLineDraft("labour", "Engineers", "1000"))
    seen = budget_lines(ctx.db, pid)[0].version
    colleague = Context(ctx.db, "colleague", ctx.clock)
    update_budget_line(colleague, line, BudgetLineDraft("labour", "Engineers", "1200"), seen)
    with pytest.raises(ConflictError, match="changed by someone else"):
        update_budget_line(ctx, line, BudgetLineDraft("labour", "Mine", "900"), seen)
    with pytest.raises(ConflictError, match=r"labour 'Engineers' EUR 1,200\.00"):
        delete_budget_line(ctx, line, seen)
    assert budget_lines(ctx.db, pid)[0].amount == D(1200)
    delete_budget_line(ctx, line, budget_lines(ctx.db, pid)[0].version)
    with pytest.raises(NotFoundError):
        delete_budget_line(ctx, line, 2)


def test_a_new_custom_category_is_offered_to_the_ledger(ctx: Context) -> None:
    pid = project(ctx)
    add_budget_line(ctx, pid, BudgetLineDraft("Licences", "", "500"))
    assert project_categories(ctx.db, pid) == ["Licences", *STANDARD]
    # Typed again in another case it is the same category, not a second one.
    add_budget_line(ctx, pid, BudgetLineDraft("LICENCES", "", "50"))
    with ctx.db.read() as session:
        assert set(session.exec(select(BudgetLine.category)).all()) == {"Licences"}


def test_an_entry_books_to_a_standard_category_without_a_line(ctx: Context) -> None:
    pid = project(ctx)
    add_budget_line(ctx, pid, BudgetLineDraft("hardware", "Switches", "5000"))
    entry = EntryDraft(date(2026, 3, 2), "Microsoft", "software", "Licences", "300.00")
    add_entry(ctx, pid, entry)
    by = {c.category: c for c in budget_summary(ctx.db, pid, date(2026, 3, 18)).categories}
    assert (by["software"].budget, by["software"].actual) == (D(0), D("300.00"))
    assert by["software"].over_budget


# --- the Budget screen, from an empty project ---------------------------------------------


def _text(app: ItpmApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def _save(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await settle(pilot)


async def test_a_plan_typed_in_from_an_empty_project(ctx: Context) -> None:
    pid = project(ctx, "EMPTY-1")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen) and screen.project_id == pid

        # The lines dialog says how to start; a standard category first, and a negative
        # amount is refused beside the field, the form kept.
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BudgetLinesDialog)
        assert "No budget lines yet" in _text(app, "#list-note")
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BudgetLineForm)
        assert not form.query_one("#new-category", Input).parent.parent.display  # type: ignore[union-attr]
        form.query_one("#category", Select).value = "hardware"
        form.query_one("#description", Input).value = "Firewalls [HA]"
        form.query_one("#amount", Input).value = "-5"
        await _save(pilot)
        assert app.screen is form
        assert "must be 0 or more (in EUR)" in _text(app, "#err-amount")
        form.query_one("#amount", Input).value = "12,000.00"
        await _save(pilot)
        assert app.screen is dialog

        # A category of the PM's own: its name is required.
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BudgetLineForm)
        form.query_one("#category", Select).value = NEW_CATEGORY
        await pilot.pause()
        assert form.query_one("#new-category", Input).parent.parent.display  # type: ignore[union-attr]
        form.query_one("#amount", Input).value = "800"
        await _save(pilot)
        assert app.screen is form
        assert "is required" in _text(app, "#err-new-category")
        form.query_one("#new-category", Input).value = "  Travel "
        await _save(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is screen
        table = _text(app, "#categories")
        assert "hardware" in table and "12,000.00" in table
        assert "Travel" in table and "800.00" in table
        assert "12,800.00" in table.splitlines()[-1]  # the total

        # Back in the lines dialog: edit one (enter), remove another (asks first).
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BudgetLinesDialog)
        options = dialog.query_one(OptionList)
        assert options.option_count == 2
        assert [r.category for r in dialog.data.lines] == ["Travel", "hardware"]
        assert "Firewalls [HA]" in str(options.get_option_at_index(1).prompt)
        await pilot.press("enter")  # the first: Travel
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BudgetLineForm) and form.row is not None
        assert form.query_one("#amount", Input).value == "800.00"
        form.query_one("#amount", Input).value = "950"
        await _save(pilot)
        assert app.screen is dialog
        assert [r.amount for r in dialog.data.lines] == [D(950), D(12000)]
        assert "12,950.00" in _text(app, "#list-note")

        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is dialog
        assert [r.category for r in dialog.data.lines] == ["Travel"]
        await pilot.press("escape")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is screen
        table = _text(app, "#categories")
        assert "hardware" not in table and "950.00" in table.splitlines()[-1]

        # A ledger entry goes to a standard category the project has no line for.
        await pilot.press("a")
        await settle(pilot)
        entry = app.screen
        assert isinstance(entry, EntryForm)
        entry.query_one("#vendor", Input).value = "Microsoft"
        entry.query_one("#category", Select).value = "software"
        entry.query_one("#amount", Input).value = "300"
        await _save(pilot)
        assert app.screen is screen
        assert screen.query_one(LedgerTable).count == 1
        assert "software" in _text(app, "#categories")

    actions = [(a.action, a.field) for a in line_activity(ctx)]
    assert actions == [("create", ""), ("create", ""), ("update", "amount"), ("delete", "")]


async def test_a_line_spelt_unlike_its_category_opens_for_editing(ctx: Context) -> None:
    """Two lines 'labour' and 'Labour' are one category: the second opens on 'labour'."""
    pid = project(ctx, "CASE-1")
    with ctx.transaction() as tx:
        tx.create(BudgetLine(project_id=pid, category="labour", amount=D(100)))
        tx.create(BudgetLine(project_id=pid, category="Labour", description="odd", amount=D(5)))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BudgetLinesDialog)
        assert [r.category for r in dialog.data.lines] == ["Labour", "labour"]
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BudgetLineForm)
        assert form.query_one("#category", Select).value == "labour"
        await _save(pilot)
        assert app.screen is dialog
    assert {r.category for r in budget_lines(ctx.db, pid)} == {"labour"}
