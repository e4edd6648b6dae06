"""The budget categories a project books against, and its budget lines as the Budget screen
lists them for editing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from itpm_tui.domain.ledger import booking_categories
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine, LedgerEntry


def project_categories(db: Database, project_id: int) -> list[str]:
    """Every category the project may book to (see `categories_in`)."""
    with db.read() as session:
        return categories_in(session, project_id)


def categories_in(session: Session, project_id: int) -> list[str]:
    """The one list a ledger entry, an import and a change approval may book to: the
    project's budget-line categories, the standard ones, and any its ledger already uses —
    so a project with one budget line is not held to that one category."""
    lines = session.exec(
        select(BudgetLine.category)
        .where(BudgetLine.project_id == project_id)
        .order_by(col(BudgetLine.id))
    ).all()
    booked = session.exec(
        select(LedgerEntry.category).where(LedgerEntry.project_id == project_id).distinct()
    ).all()
    return booking_categories(lines, sorted(booked, key=str.casefold))


@dataclass(frozen=True, slots=True)
class BudgetLineRow:
    id: int
    category: str
    description: str
    amount: Decimal
    version: int  # an edit or removal from this copy is refused once a colleague saved it


def budget_lines(db: Database, project_id: int) -> list[BudgetLineRow]:
    """The project's budget lines by category, then in the order they were added."""
    with db.read() as session:
        return lines_in(session, project_id)


def lines_in(session: Session, project_id: int) -> list[BudgetLineRow]:
    """`budget_lines` in an open read (the Budget screen reads everything in one)."""
    rows = session.execute(
        select_columns(
            col(BudgetLine.id),
            col(BudgetLine.category),
            col(BudgetLine.description),
            col(BudgetLine.amount),
            col(BudgetLine.version),
        )
        .where(col(BudgetLine.project_id) == project_id)
        .order_by(col(BudgetLine.category), col(BudgetLine.id))
    ).all()
    return [
        BudgetLineRow(int(line_id), category, description, Decimal(amount), version)
        for line_id, category, description, amount, version in rows
    ]
