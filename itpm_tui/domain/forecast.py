"""The one forecast at completion: what each budget category, and so the project, will cost.

The Budget screen's category table, its earned value panel (EAC, ETC, VAC) and every report
read their forecast from here, so a client is never told one figure while the PM sees
another. The rule, documented with worked figures in docs/earned-value.md:

- **Money spent or ordered is known.** A category's forecast is its actual plus committed
  cost plus an estimate for the rest, never less: a signed order is not forecast away by a
  good cost rate.
- **The budget still to spend is costed at the rate so far.** What is left of a category's
  budget once spending and orders are taken off (its *remaining*, when positive) is the work
  still to buy, and it is expected to cost what the project's work has cost so far per unit
  of budget: × AC ÷ EV (1 ÷ CPI). Tasks carry no category, so the project's rate stands for
  every category; a category's own progress is read from its spending.
- **A category already past its budget** is forecast at what it spent and ordered: nothing
  more is assumed.
- **Once all the baselined work is done** (EV ≥ BAC) nothing more than what is spent and
  ordered is forecast: the unspent budget is an underrun.
- **Without a rate** (nothing baselined, a zero BAC, nothing spent or nothing earned yet)
  the budget still to spend is taken at face value: the forecast is the larger of the budget
  and actual + committed.
- **The project's forecast is the sum of its categories' forecasts**, so the Total row is
  the sum of its rows and one category's overrun always shows in the total.

Money is `Decimal` throughout; each category's estimate is rounded half-even to the
currency's minor unit (4 places when none is given), and the project's figure is the exact
sum of the rounded category figures, so the amounts shown add up to the total shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Protocol

from itpm_tui.domain.earned_value import (
    AMOUNT_PLACES,
    NOTHING_BASELINED,
    ZERO_BUDGET,
    EarnedValue,
)

_ZERO = Decimal(0)


class CategoryMoney(Protocol):
    """What a category brings to the forecast (a `queries.budget.BudgetFigures` fits)."""

    @property
    def budget(self) -> Decimal: ...
    @property
    def committed(self) -> Decimal: ...
    @property
    def actual(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class ForecastBasis:
    """How the budget still to spend is costed, the same for every category of a project.

    ``cost_rate`` is AC ÷ EV (1 ÷ CPI); None means no rate is measured and the budget still
    to spend is taken at face value. ``work_left`` False once all the baselined work is done.
    ``unit`` is the rounding of the estimates: the currency's minor unit.
    """

    cost_rate: Decimal | None = None
    work_left: bool = True
    unit: Decimal = AMOUNT_PLACES


#: No rate measured: every category is forecast at the larger of its budget and its spend.
AT_BUDGET = ForecastBasis()


def forecast_basis(ev: EarnedValue | None, unit: Decimal = AMOUNT_PLACES) -> ForecastBasis:
    """The basis earned value gives, estimates rounded to `unit`: a rate needs BAC, EV and
    AC above 0; all the baselined work done (EV ≥ BAC) leaves nothing more to buy."""
    if ev is None or ev.bac <= 0:
        return AT_BUDGET
    if ev.ev >= ev.bac:
        return ForecastBasis(work_left=False, unit=unit)
    if ev.ev <= 0 or ev.ac <= 0:
        return AT_BUDGET
    return ForecastBasis(cost_rate=ev.ac / ev.ev, unit=unit)


def still_to_spend(
    budget: Decimal, committed: Decimal, actual: Decimal, basis: ForecastBasis
) -> Decimal:
    """What a category is expected to cost from now on: what is ordered, plus the budget not
    yet spent or ordered at the cost rate so far; never less than what is ordered."""
    uncommitted = max(budget - actual - committed, _ZERO) if basis.work_left else _ZERO
    if basis.cost_rate is not None:
        uncommitted = (uncommitted * basis.cost_rate).quantize(basis.unit, ROUND_HALF_EVEN)
    return committed + uncommitted


def category_forecast(
    budget: Decimal, committed: Decimal, actual: Decimal, basis: ForecastBasis
) -> Decimal:
    """A category's forecast at completion: actual + what is still to spend (≥ committed)."""
    return actual + still_to_spend(budget, committed, actual, basis)


def project_forecast(categories: Iterable[CategoryMoney], basis: ForecastBasis) -> Decimal:
    """The project's forecast at completion: the sum of its categories' forecasts."""
    return sum(
        (category_forecast(c.budget, c.committed, c.actual, basis) for c in categories), _ZERO
    )


def with_forecast(ev: EarnedValue, eac: Decimal) -> EarnedValue:
    """Earned value whose EAC is the project's forecast, with ETC = EAC − AC and VAC = BAC −
    EAC, so the earned value panel and the category table show one figure.

    A project whose earned value cannot be measured at all (nothing baselined, BAC 0) keeps
    its "not available" figures: the category table still shows the forecast.
    """
    if ev.reasons.get("spi") in (NOTHING_BASELINED, ZERO_BUDGET):
        return ev
    reasons = {k: v for k, v in ev.reasons.items() if k not in ("eac", "etc", "vac")}
    return replace(ev, eac=eac, etc=eac - ev.ac, vac=ev.bac - eac, reasons=reasons)
