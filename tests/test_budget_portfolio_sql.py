"""The portfolio roll-up summed per project and kind in SQL equals the sums it replaced.

`portfolio_budget` used to sum a CASE per ledger row grouped by currency; it now sums each
project's entries per kind along the (project, kind, amount) index and adds those up by
currency. On random portfolios — several currencies, archived projects, credits, projects
with no budget line or no entry — both equal plain Python sums over the rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, case, delete, func, select, type_coerce
from sqlmodel import col

from itpm_tui.domain.enums import EntryKind
from itpm_tui.queries.budget import CurrencyTotals, portfolio_budget
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine, LedgerEntry, Project

CURRENCIES = ("EUR", "GBP", "USD")
#: Ten-thousandths, as stored: credits are negative.
AMOUNTS = st.integers(-5_000_000, 50_000_000).map(lambda raw: Decimal(raw).scaleb(-4))

Portfolio = list[tuple[str, bool, list[Decimal], list[tuple[str, Decimal]]]]


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    """Projects as (currency, archived, budget lines, ledger entries as (kind, amount))."""
    kinds = st.sampled_from([k.value for k in EntryKind])
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(CURRENCIES),
                st.booleans(),
                st.lists(AMOUNTS, max_size=3),
                st.lists(st.tuples(kinds, AMOUNTS), max_size=6),
            ),
            max_size=6,
        )
    )


def _store(db: Database, portfolio: Portfolio) -> None:
    with db.write() as session:
        for table in (LedgerEntry, BudgetLine, Project):
            session.execute(delete(table))
        for n, (currency, archived, lines, entries) in enumerate(portfolio):
            project = Project(code=f"P{n}", name=f"P{n}", currency=currency, archived=archived)
            session.add(project)
            session.flush()
            for amount in lines:
                session.add(BudgetLine(project_id=project.id, category="hardware", amount=amount))
            for kind, amount in entries:
                session.add(
                    LedgerEntry(
                        project_id=project.id,
                        entry_date=date(2026, 3, 1),
                        category="hardware",
                        amount=amount,
                        kind=kind,
                    )
                )


def _by_hand(portfolio: Portfolio, include_archived: bool) -> dict[str, CurrencyTotals]:
    """The roll-up as plain sums over the rows."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    count: dict[str, int] = defaultdict(int)
    for currency, archived, lines, entries in portfolio:
        if archived and not include_archived:
            continue
        count[currency] += 1
        totals = sums[currency]
        totals[0] += sum(lines, Decimal(0))
        for kind, amount in entries:
            totals[1 if kind == EntryKind.COMMITTED.value else 2] += amount
    return {c: CurrencyTotals(c, count[c], *sums[c]) for c in count}


def _before(db: Database, include_archived: bool) -> dict[str, tuple[Decimal, Decimal]]:
    """Committed and actual per currency as `portfolio_budget` summed them before (a CASE
    per ledger row, grouped by currency)."""
    raw = type_coerce(col(LedgerEntry.amount), BigInteger)
    query = (
        select(
            col(Project.currency),
            func.sum(case((col(LedgerEntry.kind) == EntryKind.COMMITTED.value, raw), else_=0)),
            func.sum(case((col(LedgerEntry.kind) == EntryKind.ACTUAL.value, raw), else_=0)),
        )
        .join(LedgerEntry, col(LedgerEntry.project_id) == col(Project.id))
        .group_by(col(Project.currency))
    )
    if not include_archived:
        query = query.where(col(Project.archived) == False)  # noqa: E712
    with db.read() as session:
        rows = session.execute(query).all()
    return {
        cur: (Decimal(int(c or 0)).scaleb(-4), Decimal(int(a or 0)).scaleb(-4))
        for cur, c, a in rows
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(portfolio=portfolios(), include_archived=st.booleans())
def test_portfolio_roll_up_equals_the_rows_and_the_old_sums(
    db: Database, portfolio: Portfolio, include_archived: bool
) -> None:
    _store(db, portfolio)
    got = portfolio_budget(db, include_archived=include_archived)
    assert got == _by_hand(portfolio, include_archived)
    for currency, (committed, actual) in _before(db, include_archived).items():
        assert (got[currency].committed, got[currency].actual) == (committed, actual)
