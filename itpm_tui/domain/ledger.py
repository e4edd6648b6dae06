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
from itpm_tui.domain.validation import Checker, ValidationError

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


def default_categories() -> list[str]:
    """The categories offered when a project has no budget lines yet."""
    return [c.value for c in BudgetCategory]


def validate_entry(draft: EntryDraft, currency: str, categories: Iterable[str]) -> CleanEntry:
    """Return the clean entry or raise `ValidationError` listing every broken rule.

    `categories` are the project's (those of its budget lines); empty means any
    `BudgetCategory`.
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

    category = next((c for c in allowed if c.casefold() == category_text.casefold()), None)
    if not category_text:
        check.fail("category", f"is required; one of {', '.join(allowed)}")
    elif category is None:
        check.fail("category", f"must be one of {', '.join(allowed)}, got '{category_text}'")

    check.one_of("kind", kind, [k.value for k in EntryKind])

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
