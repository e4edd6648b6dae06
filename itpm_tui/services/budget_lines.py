"""Writes to a project's plan of spend: add, edit and remove budget lines.

Every write is one transaction through `Tx`, so the activity log says what the budget was
and became. An edit or removal names the version the user saw (`BudgetLineRow.version`) and
is refused if a colleague changed the line meanwhile.
"""

from __future__ import annotations

from decimal import Decimal

from itpm_tui.domain.ledger import BudgetLineDraft, CleanBudgetLine, validate_budget_line
from itpm_tui.domain.money import format_money, minor_digits
from itpm_tui.queries.ledger import categories_in
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import BudgetLine, Project


def _describe(line: BudgetLine | CleanBudgetLine, currency: str) -> str:
    what = f" '{line.description}'" if line.description else ""
    return f"{line.category}{what} {format_money(line.amount, currency)}"


def _check_unchanged(tx: Tx, line: BudgetLine, expected_version: int, currency: str) -> None:
    tx.check_version(line, expected_version, label=f"budget line {_describe(line, currency)}")


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
    ctx: Context, line_id: int, draft: BudgetLineDraft, expected_version: int
) -> None:
    """Save the edit, logging the old and new value of every field that changed; a line a
    colleague saved since `expected_version` (the version shown) is kept, this edit refused."""
    with ctx.transaction() as tx:
        line = tx.get(BudgetLine, line_id)
        currency = tx.get(Project, line.project_id).currency
        _check_unchanged(tx, line, expected_version, currency)
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
            expected_version=expected_version,
        )


def delete_budget_line(ctx: Context, line_id: int, expected_version: int) -> None:
    """Remove the line; the activity log keeps what it was. Ledger entries booked to its
    category stay (the category then shows spend against no budget)."""
    with ctx.transaction() as tx:
        line = tx.get(BudgetLine, line_id)
        currency = tx.get(Project, line.project_id).currency
        _check_unchanged(tx, line, expected_version, currency)
        tx.log(
            "budgetline",
            line.id,
            "delete",
            project_id=line.project_id,
            summary=f"removed budget line {_describe(line, currency)}",
        )
        tx.session.delete(line)
        tx.flush(line)
