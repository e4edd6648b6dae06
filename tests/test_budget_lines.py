"""Budget lines: the rules, the writes with their activity, stale edits, and the categories a
project may book to once it has lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, select

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
from itpm_tui.services.budget_lines import (
    add_budget_line,
    delete_budget_line,
    update_budget_line,
)
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity, BudgetLine

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

    seen = next(r for r in lines if r.id == hw).fields
    update_budget_line(ctx, hw, BudgetLineDraft("hardware", "Firewalls (HA pair)", "15000"), seen)
    seen = next(r for r in budget_lines(ctx.db, pid) if r.id == travel).fields
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
        update_budget_line(ctx, line, BudgetLineDraft("labour", "", "-100"))
    assert budget_lines(ctx.db, pid)[0].amount == D(100)


def test_a_stale_edit_or_removal_is_refused(ctx: Context) -> None:
    pid = project(ctx)
    line = add_budget_line(ctx, pid, BudgetLineDraft("labour", "Engineers", "1000"))
    seen = budget_lines(ctx.db, pid)[0].fields
    colleague = Context(ctx.db, "colleague", ctx.clock)
    update_budget_line(colleague, line, BudgetLineDraft("labour", "Engineers", "1200"), seen)
    with pytest.raises(ConflictError, match="changed by someone else"):
        update_budget_line(ctx, line, BudgetLineDraft("labour", "Mine", "900"), seen)
    with pytest.raises(ConflictError, match=r"labour 'Engineers' EUR 1,200\.00"):
        delete_budget_line(ctx, line, seen)
    assert budget_lines(ctx.db, pid)[0].amount == D(1200)
    delete_budget_line(ctx, line, budget_lines(ctx.db, pid)[0].fields)
    with pytest.raises(NotFoundError):
        delete_budget_line(ctx, line)


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
