"""The budget categories a project books against (its budget lines', else the defaults)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from itpm_tui.domain.ledger import default_categories
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine

# --- single entries ------------------------------------------------------------------------


def project_categories(db: Database, project_id: int) -> list[str]:
    """The categories of the project's budget lines; every `BudgetCategory` if it has none."""
    with db.read() as session:
        return categories_in(session, project_id)


# --- CSV import ----------------------------------------------------------------------------


def categories_in(session: Session, project_id: int) -> list[str]:
    rows = session.exec(
        select(BudgetLine.category)
        .where(BudgetLine.project_id == project_id)
        .order_by(col(BudgetLine.id))
    ).all()
    found = [c for c in dict.fromkeys(r.strip() for r in rows) if c]
    return found or default_categories()
