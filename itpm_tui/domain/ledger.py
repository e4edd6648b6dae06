"""What makes a ledger entry (a cost booked or committed against a project) acceptable.

Amounts are exact decimals in the project's currency. A credit (a refund, a credit note) is
entered as a positive amount with the credit box ticked and stored as a negative amount, so
a stray minus sign never turns a cost into a refund unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itpm_tui.domain.enums import BudgetCategory, EntryKind
from itpm_tui.domain.money import parse_amount
from itpm_tui.domain.validation import Checker, Problem, ValidationError

MAX_TEXT = 200


@dataclass
class EntryDraft:
    """The editable fields of a ledger entry, as a form or an import supplies them."""

    entry_date: date | None
    vendor: str
    category: str
    description: str
    amount: str | Decimal
    kind: str = EntryKind.ACTUAL.value
    invoice_ref: str = ""
    credit: bool = False


@dataclass(frozen=True, slots=True)
class CleanEntry:
    """A validated entry, ready to store; `amount` is negative for a credit."""

    entry_date: date
    vendor: str
    category: str
    description: str
    amount: Decimal
    kind: str
    invoice_ref: str


@dataclass(frozen=True)
class RowDraft:
    """One row of an imported file as a draft; an empty category means the import's default
    category."""

    line: int
    draft: EntryDraft
    problems: tuple[Problem, ...] = ()  # found reading the row's cells


def default_categories() -> list[str]:
    """The standard categories, offered to every project whatever its budget lines."""
    return [c.value for c in BudgetCategory]


def validate_entry(draft: EntryDraft, currency: str, categories: Iterable[str]) -> CleanEntry:
    """Return the clean entry or raise `ValidationError` listing every broken rule.

    `categories` are those the project may book to (`queries.ledger.categories_in`);
    empty means the standard ones.
    """
    check = Checker()
    allowed = [c for c in dict.fromkeys(categories) if c] or default_categories()
    vendor = (draft.vendor or "").strip()
    description = (draft.description or "").strip()
    invoice_ref = (draft.invoice_ref or "").strip()
    category_text = (draft.category or "").strip()
    kind = (draft.kind or "").strip().lower() or EntryKind.ACTUAL.value

    if draft.entry_date is None:
        check.fail("date", "is required")

    if not vendor and not description:
        check.fail("description", "enter a vendor or a description (at least one)")
    for field, value in (("vendor", vendor), ("description", description)):
        if len(value) > MAX_TEXT:
            check.fail(field, f"must be at most {MAX_TEXT} characters")
    if len(invoice_ref) > MAX_TEXT:
        check.fail("invoice", f"must be at most {MAX_TEXT} characters")
    check.columns(
        "ledgerentry",
        {"vendor": vendor, "description": description, "invoice_ref": invoice_ref},
        {"invoice_ref": "invoice"},
    )
    check.dates(("date", draft.entry_date))

    category = next((c for c in allowed if c.casefold() == category_text.casefold()), None)
    if not category_text:
        check.fail("category", f"is required; one of {', '.join(allowed)}")
    elif category is None:
        check.fail("category", f"must be one of {', '.join(allowed)}, got '{category_text}'")

    check.one_of("kind", kind, EntryKind)

    amount = Decimal(0)
    try:
        amount = parse_amount(draft.amount, currency, "amount")
    except ValidationError as exc:
        check.problems += exc.problems
    else:
        if amount < 0:
            check.fail("amount", "enter a credit with the credit box, not a minus sign")
        elif amount == 0:
            check.fail("amount", "must be greater than 0")

    check.raise_if_any()
    assert draft.entry_date is not None and category is not None
    return CleanEntry(
        entry_date=draft.entry_date,
        vendor=vendor,
        category=category,
        description=description,
        amount=-amount if draft.credit else amount,
        kind=kind,
        invoice_ref=invoice_ref,
    )


# --- budget lines ----------------------------------------------------------------------------

#: A category is a short label in a table column, not a sentence.
MAX_CATEGORY = 40


def booking_categories(*found: Iterable[str]) -> list[str]:
    """Every category a project may book to: those `found` (its budget lines' first, so the
    plan's own order leads), then the standard ones, then the rest. Names differing only in
    case are one category, spelt as first met, so 'Hardware' never splits 'hardware'."""
    seen: dict[str, str] = {}
    groups = [*found[:1], default_categories(), *found[1:]]
    for group in groups:
        for name in group:
            clean = (name or "").strip()
            if clean and clean.casefold() not in seen:
                seen[clean.casefold()] = clean
    return list(seen.values())


@dataclass
class BudgetLineDraft:
    """The editable fields of a budget line, as the form supplies them."""

    category: str
    description: str
    amount: str | Decimal


@dataclass(frozen=True, slots=True)
class CleanBudgetLine:
    category: str
    description: str
    amount: Decimal


def validate_budget_line(
    draft: BudgetLineDraft,
    currency: str,
    known: Iterable[str],
    *,
    current_amount: Decimal | None = None,
) -> CleanBudgetLine:
    """Return the clean line or raise `ValidationError` listing every broken rule.

    The category may be any of `known` (matched regardless of case, so the stored spelling
    is kept) or a new name. The amount follows the ledger's rules and is 0 or more: a budget
    is lowered by editing its line, not by a negative one. `current_amount` is the edited
    line's stored amount, accepted as it is even if negative (an approved change that cut
    the budget), so its category or description can still be corrected.
    """
    check = Checker()
    category_text = " ".join((draft.category or "").split())
    description = (draft.description or "").strip()
    if not category_text:
        check.fail("category", "is required: choose one or name a new one")
    elif len(category_text) > MAX_CATEGORY:
        check.fail("category", f"must be at most {MAX_CATEGORY} characters")
    if len(description) > MAX_TEXT:
        check.fail("description", f"must be at most {MAX_TEXT} characters")
    check.columns("budgetline", {"category": category_text, "description": description})
    category = next(
        (c for c in known if c.strip().casefold() == category_text.casefold()), category_text
    )

    amount = Decimal(0)
    try:
        amount = parse_amount(draft.amount, currency, "amount")
    except ValidationError as exc:
        check.problems += exc.problems
    else:
        if amount < 0 and amount != current_amount:
            check.fail("amount", f"must be 0 or more (in {currency}); lower a budget by editing it")

    check.raise_if_any()
    return CleanBudgetLine(category=category.strip(), description=description, amount=amount)
