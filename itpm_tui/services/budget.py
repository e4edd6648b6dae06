"""Read models for the Budget screen: categories, earned value and the ledger, from SQL.

Every sum is a grouped SQL aggregate over the amounts as stored (integers of ten-thousandths,
see `FixedPoint`), turned back into exact `Decimal`s here; the ledger is read one window at a
time (LIMIT/OFFSET on an indexed order) so a project with 100,000 entries costs what 50 do.

A credit (a refund, a cancelled order) is an entry with a negative amount: it simply lowers
the sums it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, case, func, literal, select, type_coerce, union_all
from sqlalchemy.orm import aliased

from itpm_tui.domain.earned_value import BaselineItem, EarnedValue, describe, earned_value
from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.validation import ValidationError
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine, LedgerEntry, Project, Task

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_PERCENT_PLACES = Decimal("0.1")
_SCALE = 4  # FixedPoint(4): stored integers are ten-thousandths

#: Sort keys accepted by `ledger_page`: name → ORDER BY columns (id last, so order is total).
LEDGER_SORTS = ("date", "-date", "amount", "-amount", "vendor", "category")


def _amount(raw: Any) -> Decimal:
    """A stored integer of ten-thousandths (or a SUM of them) as an exact Decimal."""
    return Decimal(int(raw or 0)).scaleb(-_SCALE)


def _raw(column: Any) -> Any:
    """The column as its stored integer, so SQL sums it exactly."""
    return type_coerce(column, BigInteger)


@dataclass(frozen=True, slots=True)
class BudgetFigures:
    """Planned against committed against actual for one category (or the whole project).

    - ``remaining`` = budget − committed − actual: what is left to commit; negative = over.
    - ``forecast`` (at completion) = actual + committed + the remaining estimate, where the
      remaining estimate is ``max(remaining, 0)``: budget not yet committed is expected to be
      spent, and a line already past its budget is expected to cost what it has committed
      and spent so far (nothing more is assumed). So forecast = max(budget, actual + committed).
    - ``variance`` = budget − forecast: 0 while within budget, negative by the overrun.
    - ``variance_percent`` = variance / budget × 100 to one decimal; None with no budget.
    """

    category: str
    budget: Decimal
    committed: Decimal
    actual: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.actual

    @property
    def remaining_estimate(self) -> Decimal:
        return max(self.remaining, _ZERO)

    @property
    def forecast(self) -> Decimal:
        return self.actual + self.committed + self.remaining_estimate

    @property
    def variance(self) -> Decimal:
        return self.budget - self.forecast

    @property
    def variance_percent(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return (self.variance * _HUNDRED / self.budget).quantize(_PERCENT_PLACES)

    @property
    def over_budget(self) -> bool:
        return self.remaining < 0


@dataclass(frozen=True)
class BudgetSummary:
    project_id: int
    code: str
    name: str
    currency: str
    today: date
    categories: list[BudgetFigures]
    total: BudgetFigures
    entries: int
    #: None when earned value cannot be computed at all (see `ev_lines` for why).
    ev: EarnedValue | None
    ev_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LedgerRow:
    id: int
    entry_date: date
    vendor: str
    category: str
    description: str
    amount: Decimal
    kind: str
    invoice_ref: str


def category_figures(db: Database, project_id: int) -> list[BudgetFigures]:
    """Budget, committed and actual per category, in one grouped query, by category name.

    Categories come from both the budget lines and the ledger, so spending in a category
    with no budget shows up (as over budget) instead of vanishing.
    """
    budget = select(
        BudgetLine.category.label("category"),  # type: ignore[attr-defined]
        _raw(BudgetLine.amount).label("budget"),
        literal(0, BigInteger).label("committed"),
        literal(0, BigInteger).label("actual"),
    ).where(BudgetLine.project_id == project_id)
    is_actual = LedgerEntry.kind == EntryKind.ACTUAL.value
    is_committed = LedgerEntry.kind == EntryKind.COMMITTED.value
    spend = select(
        LedgerEntry.category.label("category"),  # type: ignore[attr-defined]
        literal(0, BigInteger).label("budget"),
        case((is_committed, _raw(LedgerEntry.amount)), else_=0).label("committed"),
        case((is_actual, _raw(LedgerEntry.amount)), else_=0).label("actual"),
    ).where(LedgerEntry.project_id == project_id)
    both = union_all(budget, spend).subquery()
    query = (
        select(
            both.c.category,
            func.sum(both.c.budget),
            func.sum(both.c.committed),
            func.sum(both.c.actual),
        )
        .group_by(both.c.category)
        .order_by(both.c.category)
    )
    with db.read() as session:
        rows = session.execute(query).all()
    return [BudgetFigures(cat, _amount(b), _amount(c), _amount(a)) for cat, b, c, a in rows]


def _total(categories: list[BudgetFigures]) -> BudgetFigures:
    """The project's figures: sums of the stored amounts, with the forecast rule applied to
    the whole (one category's underspend offsets another's overrun)."""
    return BudgetFigures(
        "Total",
        sum((c.budget for c in categories), _ZERO),
        sum((c.committed for c in categories), _ZERO),
        sum((c.actual for c in categories), _ZERO),
    )


def baseline_items(db: Database, project_id: int) -> list[BaselineItem]:
    """Leaf tasks with both baseline dates, weighted by their estimate hours."""
    child = aliased(Task)
    is_leaf = ~select(child.id).where(child.parent_id == Task.id).exists()
    query = (
        select(
            Task.baseline_start,
            Task.baseline_finish,
            Task.percent_complete,
            Task.estimate_hours,
            Task.name,
        )
        .where(
            Task.project_id == project_id,
            is_leaf,
            Task.baseline_start.is_not(None),  # type: ignore[union-attr]
            Task.baseline_finish.is_not(None),  # type: ignore[union-attr]
        )
        .order_by(Task.sort_order, Task.id)
    )
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        BaselineItem(
            baseline_start=start,
            baseline_finish=max(start, finish),
            percent_complete=max(0, min(100, int(pct or 0))),
            estimate_hours=max(hours or _ZERO, _ZERO),
            name=name,
        )
        for start, finish, pct, hours, name in rows
    ]


def budget_summary(db: Database, project_id: int, today: date) -> BudgetSummary:
    """Everything the top of the Budget screen shows for one project at `today`.

    Earned value: BAC is the total budget, the items are the leaf tasks with baseline dates
    (weighted by estimate hours) and AC is the actual spend; planned value spreads over
    calendar days. Raises LookupError for a project that does not exist.
    """
    with db.read() as session:
        project = session.execute(
            select(Project.code, Project.name, Project.currency).where(Project.id == project_id)
        ).first()
        entries = session.execute(
            select(func.count()).where(LedgerEntry.project_id == project_id)
        ).scalar_one()
    if project is None:
        raise LookupError(f"project {project_id} does not exist")
    code, name, currency = project
    categories = category_figures(db, project_id)
    total = _total(categories)
    items = baseline_items(db, project_id)
    ev: EarnedValue | None = None
    if total.actual < 0:
        lines = ["Earned value is not available: credits exceed the actual spend."]
    else:
        try:
            ev = earned_value(total.budget, items, total.actual, today)
        except ValidationError as exc:
            lines = [f"Earned value is not available: {exc}."]
        else:
            lines = describe(ev, currency)
    return BudgetSummary(
        project_id=project_id,
        code=code,
        name=name,
        currency=currency,
        today=today,
        categories=categories,
        total=total,
        entries=int(entries),
        ev=ev,
        ev_lines=lines,
    )


def ledger_count(db: Database, project_id: int) -> int:
    with db.read() as session:
        return int(
            session.execute(
                select(func.count()).where(LedgerEntry.project_id == project_id)
            ).scalar_one()
        )


def _order(sort: str) -> list[Any]:
    if sort not in LEDGER_SORTS:
        raise ValueError(f"unknown ledger sort {sort!r}; use one of {', '.join(LEDGER_SORTS)}")
    e = LedgerEntry
    if sort == "date":
        return [e.entry_date, e.id]
    if sort == "-date":
        return [e.entry_date.desc(), e.id.desc()]  # type: ignore[attr-defined,union-attr]
    if sort == "amount":
        return [e.amount, e.id]
    if sort == "-amount":
        return [e.amount.desc(), e.id.desc()]  # type: ignore[attr-defined,union-attr]
    return [getattr(e, sort), e.entry_date, e.id]


def ledger_page(
    db: Database, project_id: int, offset: int, limit: int, sort: str = "date"
) -> list[LedgerRow]:
    """Rows `offset` to `offset + limit` of the project's ledger in `sort` order; only those
    rows are read (the date order walks the (project_id, entry_date) index)."""
    e = LedgerEntry
    query = (
        select(
            e.id,
            e.entry_date,
            e.vendor,
            e.category,
            e.description,
            e.amount,
            e.kind,
            e.invoice_ref,
        )
        .where(e.project_id == project_id)
        .order_by(*_order(sort))
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    with db.read() as session:
        rows = session.execute(query).all()
    return [LedgerRow(*row) for row in rows]


def ledger_index_of(db: Database, project_id: int, entry_id: int, sort: str = "date") -> int | None:
    """The position of one entry in the ledger's `sort` order (to select a new entry)."""
    with db.read() as session:
        found = session.get(LedgerEntry, entry_id)
        if found is None or found.project_id != project_id:
            return None
        e = LedgerEntry
        if sort in ("date", "-date"):
            before = (e.entry_date < found.entry_date) | (
                (e.entry_date == found.entry_date) & (e.id < entry_id)  # type: ignore[operator]
            )
            if sort == "-date":
                before = (e.entry_date > found.entry_date) | (
                    (e.entry_date == found.entry_date) & (e.id > entry_id)  # type: ignore[operator]
                )
            return int(
                session.execute(
                    select(func.count()).where(e.project_id == project_id, before)
                ).scalar_one()
            )
    return None


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    currency: str
    projects: int
    budget: Decimal
    committed: Decimal
    actual: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.actual


def portfolio_budget(db: Database, *, include_archived: bool = False) -> dict[str, CurrencyTotals]:
    """Budget, committed and actual of all projects, one total per currency (never mixed)."""
    p = Project
    live = p.archived == False  # noqa: E712
    with db.read() as session:
        budget_q = (
            select(p.currency, func.count(func.distinct(p.id)), func.sum(_raw(BudgetLine.amount)))
            .join(BudgetLine, BudgetLine.project_id == p.id, isouter=True)
            .group_by(p.currency)
        )
        spend_q = (
            select(
                p.currency,
                func.sum(
                    case(
                        (LedgerEntry.kind == EntryKind.COMMITTED.value, _raw(LedgerEntry.amount)),
                        else_=0,
                    )
                ),
                func.sum(
                    case(
                        (LedgerEntry.kind == EntryKind.ACTUAL.value, _raw(LedgerEntry.amount)),
                        else_=0,
                    )
                ),
            )
            .join(LedgerEntry, LedgerEntry.project_id == p.id)
            .group_by(p.currency)
        )
        if not include_archived:
            budget_q = budget_q.where(live)
            spend_q = spend_q.where(live)
        budgets = session.execute(budget_q).all()
        spends = {cur: (c, a) for cur, c, a in session.execute(spend_q).all()}
    out: dict[str, CurrencyTotals] = {}
    for currency, count, budget in budgets:
        committed, actual = spends.get(currency, (0, 0))
        out[currency] = CurrencyTotals(
            currency, int(count), _amount(budget), _amount(committed), _amount(actual)
        )
    return out
