"""Writes to a project's plan of spend: add, edit and remove budget lines.

Every write is one transaction through `Tx`, so the activity log says what the budget was
and became. A budget line has no version column: an edit or removal compares the fields the
user saw (`BudgetLineRow.fields`) with the stored ones and is refused if a colleague changed
the line meanwhile.
"""

from __future__ import annotations

from decimal import Decimal

from itpm_tui.domain.ledger import BudgetLineDraft, CleanBudgetLine, validate_budget_line
from itpm_tui.domain.money import format_money, minor_digits
from itpm_tui.queries.ledger import categories_in
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import BudgetLine, Project

#: What an edit or removal was based on: (category, description, amount) as shown.
Seen = tuple[str, str, Decimal]


def _describe(line: BudgetLine | CleanBudgetLine, currency: str) -> str:
    what = f" '{line.description}'" if line.description else ""
    return f"{line.category}{what} {format_money(line.amount, currency)}"


def _check_unchanged(tx: Tx, line: BudgetLine, seen: Seen | None, currency: str) -> None:
    now = (line.category, line.description, Decimal(line.amount))
    tx.check_version(line, seen, label=f"budget line {_describe(line, currency)}", stored=now)


def add_budget_line(ctx: Context, project_id: int, draft: BudgetLineDraft) -> int:
    """Validate and store the line; return its id."""
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        clean = validate_budget_line(draft, project.currency, categories_in(tx.session, project_id))
        row = tx.create(
            BudgetLine(
                project_id=project_id,
                category=clean.category,
                description=clean.description,
                amount=clean.amount,
            ),
            summary=f"added budget line {_describe(clean, project.currency)}",
        )
        return int(row.id)


def update_budget_line(
    ctx: Context, line_id: int, draft: BudgetLineDraft, expected: Seen | None = None
) -> None:
    """Save the edit, logging the old and new value of every field that changed; with
    `expected` (the line as shown), a colleague's newer edit is kept and this one refused."""
    with ctx.transaction() as tx:
        line = tx.get(BudgetLine, line_id)
        currency = tx.get(Project, line.project_id).currency
        _check_unchanged(tx, line, expected, currency)
        # Stored at 4 places: the log shows the old amount as the currency writes it.
        line.amount = Decimal(line.amount).quantize(Decimal(1).scaleb(-minor_digits(currency)))
        clean = validate_budget_line(
            draft,
            currency,
            categories_in(tx.session, line.project_id),
            current_amount=line.amount,
        )
        tx.update(
            line,
            {"category": clean.category, "description": clean.description, "amount": clean.amount},
        )


def delete_budget_line(ctx: Context, line_id: int, expected: Seen | None = None) -> None:
    """Remove the line; the activity log keeps what it was. Ledger entries booked to its
    category stay (the category then shows spend against no budget)."""
    with ctx.transaction() as tx:
        line = tx.get(BudgetLine, line_id)
        currency = tx.get(Project, line.project_id).currency
        _check_unchanged(tx, line, expected, currency)
        tx.log(
            "budgetline",
            line.id,
            "delete",
            project_id=line.project_id,
            summary=f"removed budget line {_describe(line, currency)}",
        )
        tx.session.delete(line)
        tx.session.flush()
