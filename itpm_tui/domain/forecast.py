"""The one forecast at completion: what each budget category, and so the project, will cost.

The Budget screen's category table, its earned value panel (EAC, ETC, VAC) and every report
read their forecast from here, so a client is never told one figure while the PM sees
another. The rule, documented with worked figures in docs/earned-value.md:

- **Money spent or ordered is known.** A category's forecast is never below its actual plus
  committed cost: a signed order is not forecast away by a good cost rate.
- **The work still to do is costed at the rate so far.** With earned value measured (work
  baselined, BAC > 0, something earned and something spent) a category's remaining work is
  its budget × the share of the baselined work not yet done, (BAC − EV) ÷ BAC, at the cost
  rate AC ÷ EV (1 ÷ CPI). Orders already placed pay for part of that work, so the forecast is
  actual + the larger of committed and that estimate. With nothing committed this is the
  textbook EAC = BAC ÷ CPI.
- **Once all the baselined work is done** (EV = BAC) nothing more than what is ordered is
  forecast: the unspent budget is an underrun.
- **Without a measured rate** (nothing baselined, a zero BAC, nothing spent or nothing
  earned yet) the money spent is taken to have bought its worth of work: the budget not yet
  spent or ordered is forecast at face value, so the forecast is the larger of the budget and
  actual + committed.
- **The project's forecast is the sum of its categories' forecasts**, so the total row of a
  table is the sum of its rows and one category's underrun offsets another's overrun only
  by adding up.

Money is `Decimal` throughout; each category's estimate of the remaining work is rounded
half-even to the currency's minor unit (4 places when none is given), and the project's
figure is the exact sum of the rounded category figures, so the amounts shown add up.
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
    """How the work still to do is costed, the same for every category of a project.

    ``factor`` is (BAC − EV) ÷ BAC × AC ÷ EV: the share of the baselined work not yet done at
    the cost rate so far, so a category's remaining work costs its budget × ``factor``.
    None means no rate is measured: the budget not yet spent or ordered is taken at face
    value. ``cost_rate`` (AC ÷ EV) and ``work_left`` ((BAC − EV) ÷ BAC) are kept for display.
    """

    factor: Decimal | None = None
    cost_rate: Decimal | None = None
    work_left: Decimal | None = None
    #: Estimates are rounded to this: the currency's minor unit, so that the amounts shown
    #: add up to the total shown.
    unit: Decimal = AMOUNT_PLACES

    @property
    def measured(self) -> bool:
        return self.factor is not None


#: No rate measured: every category is forecast at the larger of its budget and its spend.
AT_BUDGET = ForecastBasis()


def forecast_basis(ev: EarnedValue | None, unit: Decimal = AMOUNT_PLACES) -> ForecastBasis:
    """The basis earned value gives, estimates rounded to `unit`. All the baselined work done
    (EV ≥ BAC) leaves nothing more to spend than what is ordered; otherwise a rate needs
    BAC, EV and AC above 0."""
    if ev is None or ev.bac <= 0:
        return AT_BUDGET
    if ev.ev >= ev.bac:
        return ForecastBasis(_ZERO, ev.ac / ev.ev, _ZERO, unit)
    if ev.ev <= 0 or ev.ac <= 0:
        return AT_BUDGET
    return ForecastBasis(
        factor=(ev.bac - ev.ev) * ev.ac / (ev.bac * ev.ev),
        cost_rate=ev.ac / ev.ev,
        work_left=(ev.bac - ev.ev) / ev.bac,
        unit=unit,
    )


def still_to_spend(
    budget: Decimal, committed: Decimal, actual: Decimal, basis: ForecastBasis
) -> Decimal:
    """What a category is expected to cost from now on: ordered money plus any more the work
    still to do needs; never less than what is committed."""
    # Unmeasured: money spent bought its worth of work, so what is left is the unspent budget.
    work = (
        budget - actual
        if basis.factor is None
        else (budget * basis.factor).quantize(basis.unit, rounding=ROUND_HALF_EVEN)
    )
    return max(committed, work)


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
