"""Earned value management: is the project getting the work it paid for, on time?

Schedules slip quietly and budgets burn quietly; earned value puts both on one money scale so
a PM can say "20% behind, 12% over for the work done" from the baseline, the percent complete
of each baselined item and the cost booked so far. The formulas and the "not available" rules
are documented in docs/earned-value.md.

Conventions:

- Money is `Decimal` throughout; amounts are rounded half-even to 4 places (the storage
  scale) only where a division makes them inexact, ratios to 4 places.
- Planned value spreads each item's budget linearly over its baseline days, *inclusive* of
  both ends, and the status date counts as a whole day done. By default every calendar day
  counts; pass ``day_counter=WorkCalendar(...).working_days_between`` (days in ``[a, b)``)
  to spread over working days instead.
- A ratio or forecast that cannot be computed is ``None`` and its reason is in
  ``EarnedValue.reasons``; nothing here raises ``ZeroDivisionError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from itpm_tui.domain.money import format_money
from itpm_tui.domain.validation import Checker, ValidationError

#: Amounts made inexact by a division are rounded to this (the storage scale).
AMOUNT_PLACES = Decimal("0.0001")
#: Performance indexes are rounded to this.
RATIO_PLACES = Decimal("0.0001")

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_DAY = timedelta(days=1)

#: Counts the days that carry work in ``[a, b)``; the signature of
#: ``WorkCalendar.working_days_between``.
DayCounter = Callable[[date, date], int]

# Reasons a figure is not available, shown to the user as they are.
NOTHING_BASELINED = "nothing is baselined"
ZERO_BUDGET = "the budget at completion is zero"
NOTHING_PLANNED = "no work was planned to be done by the status date"
NOTHING_SPENT = "nothing has been spent yet"
NOTHING_EARNED = "no work has been earned yet, so there is no cost rate to project from"
NO_WORK_LEFT = "no work remains"
BUDGET_SPENT = "the whole budget is already spent"
BUDGET_OVERSPENT = "spending has already passed the budget at completion"


def calendar_days(a: date, b: date) -> int:
    """Every calendar day in ``[a, b)`` counts: the default spreading."""
    return (b - a).days


@dataclass(frozen=True, slots=True)
class BaselineItem:
    """One baselined piece of work: its baseline dates, its share of BAC and its progress.

    ``budget`` None means "no budget split": the part of BAC not given to items explicitly
    is spread over such items by ``estimate_hours`` weight (equally when none has hours).
    """

    baseline_start: date
    baseline_finish: date
    budget: Decimal | None = None
    percent_complete: int | Decimal = 0
    estimate_hours: Decimal = _ZERO
    name: str = ""


@dataclass(frozen=True, slots=True)
class EarnedValue:
    """The earned value figures at a status date; None means "not available", see `reasons`."""

    status_date: date
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None
    #: BAC not given to any item (only when every item has an explicit budget).
    unallocated: Decimal = _ZERO
    #: Metric name (``"spi"``, ``"eac"``, …) → why it is not available.
    reasons: Mapping[str, str] = field(default_factory=dict)

    def reason(self, metric: str) -> str | None:
        return self.reasons.get(metric)


class Step(StrEnum):
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class EvAcPoint:
    """Cumulative EV and AC on one day of an S-curve; None after the status date or unknown."""

    day: date
    ev: Decimal | None
    ac: Decimal | None


# --- inputs ---------------------------------------------------------------------------------


def _exact(value: Decimal | int, field_name: str) -> Decimal:
    """Refuse floats outright: a binary float has no place in money arithmetic."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field_name} must be a Decimal (or int), got {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValidationError(field_name, f"must be a finite amount, got {value}")
    return result


def _label(item: BaselineItem, index: int) -> str:
    return f"'{item.name}'" if item.name else f"item {index + 1}"


def _check_items(bac: Decimal, items: Sequence[BaselineItem]) -> None:
    check = Checker()
    check.not_negative("bac", bac)
    for i, item in enumerate(items):
        label = _label(item, i)
        if item.baseline_finish < item.baseline_start:
            check.fail(
                "baseline_finish",
                f"must not be before baseline_start ({item.baseline_start.isoformat()}) "
                f"for {label}",
            )
        pct = _exact(item.percent_complete, "percent_complete")
        if not _ZERO <= pct <= _HUNDRED:
            check.fail("percent_complete", f"must be between 0 and 100, got {pct} for {label}")
        if item.budget is not None and _exact(item.budget, "budget") < 0:
            check.fail("budget", f"must not be negative, got {item.budget} for {label}")
        if _exact(item.estimate_hours, "estimate_hours") < 0:
            check.fail(
                "estimate_hours", f"must not be negative, got {item.estimate_hours} for {label}"
            )
    check.raise_if_any()


def _split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` by ``weights`` to 4 places so the shares add up to ``total`` exactly.

    Largest remainder: every share is rounded down, then the units left over go to the shares
    that lost the most; a residue finer than 4 places (only if ``total`` has one) goes to the
    heaviest share.
    """
    weight_sum = sum(weights, _ZERO)
    if weight_sum == 0:
        weights = [_ONE] * len(weights)
        weight_sum = Decimal(len(weights))
    raw = [total * w / weight_sum for w in weights]
    shares = [r.quantize(AMOUNT_PLACES, rounding=ROUND_FLOOR) for r in raw]
    left = total - sum(shares, _ZERO)
    by_loss = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in by_loss:
        if left < AMOUNT_PLACES:
            break
        shares[i] += AMOUNT_PLACES
        left -= AMOUNT_PLACES
    if left:
        heaviest = max(range(len(weights)), key=lambda i: weights[i])
        shares[heaviest] += left
    return shares


def allocate(bac: Decimal, items: Sequence[BaselineItem]) -> tuple[list[Decimal], Decimal]:
    """Each item's budget, and the part of BAC left unallocated.

    Explicit budgets are kept; what remains of BAC is spread over the items without one by
    estimate hours (equally when they have none). Explicit budgets above BAC are refused.
    """
    bac = _exact(bac, "bac")
    _check_items(bac, items)
    explicit = sum((_exact(i.budget, "budget") for i in items if i.budget is not None), _ZERO)
    if explicit > bac:
        raise ValidationError(
            "budget",
            f"work item budgets total {explicit}, more than the budget at completion {bac}",
        )
    remainder = bac - explicit
    open_items = [i for i, item in enumerate(items) if item.budget is None]
    budgets = [_ZERO if item.budget is None else Decimal(item.budget) for item in items]
    if not open_items:
        return budgets, remainder
    weights = [Decimal(items[i].estimate_hours) for i in open_items]
    for i, share in zip(open_items, _split(remainder, weights), strict=True):
        budgets[i] = share
    return budgets, _ZERO


# --- the figures ----------------------------------------------------------------------------


def _planned_fraction(item: BaselineItem, on: date, day_counter: DayCounter) -> Decimal:
    """The share of the item planned to be done by the end of ``on``."""
    if on < item.baseline_start:
        return _ZERO
    duration = day_counter(item.baseline_start, item.baseline_finish + _DAY)
    if duration <= 0:  # only non-working days: all of it is due at the finish
        return _ONE if on >= item.baseline_finish else _ZERO
    elapsed = day_counter(item.baseline_start, min(on, item.baseline_finish) + _DAY)
    return Decimal(max(0, min(elapsed, duration))) / Decimal(duration)


def _round_amount(value: Decimal) -> Decimal:
    return value.quantize(AMOUNT_PLACES, rounding=ROUND_HALF_EVEN)


def _round_ratio(value: Decimal) -> Decimal:
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_EVEN)


def _planned(
    items: Sequence[BaselineItem], budgets: Sequence[Decimal], on: date, day_counter: DayCounter
) -> Decimal:
    total = sum(
        (
            b * _planned_fraction(item, on, day_counter)
            for item, b in zip(items, budgets, strict=True)
        ),
        _ZERO,
    )
    return _round_amount(total)


def _earned(items: Sequence[BaselineItem], budgets: Sequence[Decimal]) -> Decimal:
    total = sum(
        (
            b * Decimal(item.percent_complete) / _HUNDRED
            for item, b in zip(items, budgets, strict=True)
        ),
        _ZERO,
    )
    return _round_amount(total)


def planned_value(
    bac: Decimal,
    items: Sequence[BaselineItem],
    on: date,
    *,
    day_counter: DayCounter = calendar_days,
) -> Decimal:
    """PV: the budget of the work the baseline says should be done by the end of ``on``."""
    budgets, _ = allocate(bac, items)
    return _planned(items, budgets, on, day_counter)


def earned(bac: Decimal, items: Sequence[BaselineItem]) -> Decimal:
    """EV: the budget of the work actually done (each item's budget × its percent complete)."""
    budgets, _ = allocate(bac, items)
    return _earned(items, budgets)


def earned_value(
    bac: Decimal,
    items: Sequence[BaselineItem],
    actual_cost: Decimal,
    status_date: date,
    *,
    day_counter: DayCounter = calendar_days,
) -> EarnedValue:
    """All earned value figures at ``status_date``; see docs/earned-value.md for the rules."""
    bac = _exact(bac, "bac")
    ac = _exact(actual_cost, "actual_cost")
    if ac < 0:
        raise ValidationError("actual_cost", f"must not be negative, got {ac}")
    budgets, unallocated = allocate(bac, items)
    pv = _planned(items, budgets, status_date, day_counter)
    ev = _earned(items, budgets)

    reasons: dict[str, str] = {}
    spi = cpi = eac = etc = vac = tcpi = None
    blocker = NOTHING_BASELINED if not items else ZERO_BUDGET if bac == 0 else None
    if blocker:
        reasons = dict.fromkeys(("spi", "cpi", "eac", "etc", "vac", "tcpi"), blocker)
    else:
        if pv == 0:
            reasons["spi"] = NOTHING_PLANNED
        else:
            spi = _round_ratio(ev / pv)

        if ac == 0:
            reasons["cpi"] = NOTHING_SPENT
        else:
            cpi = _round_ratio(ev / ac)

        if ac == 0 or ev == 0:
            why = reasons["cpi"] if ac == 0 else NOTHING_EARNED
            reasons.update(eac=why, etc=why, vac=why)
        else:
            # BAC / CPI with the unrounded CPI, i.e. BAC × AC / EV.
            eac = _round_amount(bac * ac / ev)
            etc = eac - ac
            vac = bac - eac

        if bac - ev == 0:
            reasons["tcpi"] = NO_WORK_LEFT
        elif bac == ac:
            reasons["tcpi"] = BUDGET_SPENT
        elif ac > bac:
            reasons["tcpi"] = BUDGET_OVERSPENT
        else:
            tcpi = _round_ratio((bac - ev) / (bac - ac))

    return EarnedValue(
        status_date=status_date,
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac=eac,
        etc=etc,
        vac=vac,
        tcpi=tcpi,
        unallocated=unallocated,
        reasons=reasons,
    )


# --- S-curve series -------------------------------------------------------------------------


def date_grid(start: date, end: date, step: Step | str = Step.DAY) -> list[date]:
    """``start``, then every day or week after it, always ending on ``end``; empty if reversed."""
    if end < start:
        return []
    stride = timedelta(days=7 if Step(step) is Step.WEEK else 1)
    days: list[date] = []
    day = start
    while day < end:
        days.append(day)
        day += stride
    days.append(end)
    return days


def pv_series(
    bac: Decimal,
    items: Sequence[BaselineItem],
    start: date | None = None,
    end: date | None = None,
    *,
    step: Step | str = Step.DAY,
    day_counter: DayCounter = calendar_days,
) -> list[tuple[date, Decimal]]:
    """Cumulative PV at the end of each day (or week) of ``[start, end]``: the baseline S-curve.

    The range defaults to the earliest baseline start and the latest baseline finish.
    """
    budgets, _ = allocate(bac, items)
    if start is None or end is None:
        if not items:
            return []
        if start is None:
            start = min(i.baseline_start for i in items)
        if end is None:
            end = max(i.baseline_finish for i in items)
    return [(d, _planned(items, budgets, d, day_counter)) for d in date_grid(start, end, step)]


def ev_ac_series(
    earned_points: Iterable[tuple[date, Decimal]],
    costs: Iterable[tuple[date, Decimal]],
    start: date,
    end: date,
    status_date: date,
    *,
    step: Step | str = Step.DAY,
) -> list[EvAcPoint]:
    """Cumulative EV and AC on the same grid as `pv_series`, up to the status date.

    ``earned_points`` are EV observations (e.g. computed from each progress snapshot; add
    ``(status_date, ev)`` for today's figure), carried forward to later days and unknown
    before the first one. ``costs`` are dated actual-cost entries, summed up to each day.
    After ``status_date`` both are None: there are no actuals in the future.
    """
    observed = sorted((d, _exact(v, "ev")) for d, v in earned_points)
    spent = sorted((d, _exact(v, "actual_cost")) for d, v in costs)
    points: list[EvAcPoint] = []
    ev: Decimal | None = None
    ac = _ZERO
    oi = ci = 0
    for day in date_grid(start, end, step):
        if day > status_date:
            points.append(EvAcPoint(day, None, None))
            continue
        while oi < len(observed) and observed[oi][0] <= day:
            ev = observed[oi][1]
            oi += 1
        while ci < len(spent) and spent[ci][0] <= day:
            ac += spent[ci][1]
            ci += 1
        points.append(EvAcPoint(day, ev, ac))
    return points


# --- plain language -------------------------------------------------------------------------


def _percent(fraction: Decimal) -> str:
    """0.125 → "12%" (half-even); a non-zero fraction that rounds to 0 reads "under 1%"."""
    whole = (fraction * _HUNDRED).quantize(_ONE, rounding=ROUND_HALF_EVEN)
    if whole == 0 and fraction != 0:
        return "under 1%"
    return f"{whole}%"


def _amount(value: Decimal, currency: str | None) -> str:
    if currency:
        return format_money(value, currency)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN):,.2f}"


def describe(ev: EarnedValue, currency: str | None = None) -> list[str]:
    """The figures in words a sponsor reads without a glossary, one sentence per line."""
    blocker = ev.reasons.get("spi")
    if blocker in (NOTHING_BASELINED, ZERO_BUDGET):
        return [f"Earned value is not available: {blocker}."]
    lines: list[str] = []

    if ev.spi is None:
        lines.append(f"Schedule performance is not available: {ev.reasons['spi']}.")
    elif ev.ev < ev.pv:
        lines.append(f"{_percent((ev.pv - ev.ev) / ev.pv)} behind schedule in value terms.")
    elif ev.ev > ev.pv:
        lines.append(f"{_percent((ev.ev - ev.pv) / ev.pv)} ahead of schedule in value terms.")
    else:
        lines.append("On schedule in value terms.")

    if ev.cpi is None:
        lines.append(f"Cost performance is not available: {ev.reasons['cpi']}.")
    elif ev.ev == 0:
        lines.append(f"{_amount(ev.ac, currency)} spent with no work recorded as done yet.")
    elif ev.ac > ev.ev:
        lines.append(
            f"Spending {_percent((ev.ac - ev.ev) / ev.ev)} more than planned for the work done."
        )
    elif ev.ac < ev.ev:
        lines.append(
            f"Spending {_percent((ev.ev - ev.ac) / ev.ev)} less than planned for the work done."
        )
    else:
        lines.append("On budget for the work done.")

    # A forecast without a cost rate (nothing spent or earned yet) is not "at this rate".
    will = "At this rate the project will" if ev.cpi else "The project is expected to"
    if ev.eac is None or ev.vac is None:
        lines.append(f"No forecast at completion: {ev.reasons['eac']}.")
    elif ev.vac < 0:
        lines.append(
            f"{will} cost {_amount(ev.eac, currency)}, {_amount(-ev.vac, currency)} over budget."
        )
    elif ev.vac > 0:
        lines.append(
            f"{will} cost {_amount(ev.eac, currency)}, {_amount(ev.vac, currency)} under budget."
        )
    else:
        lines.append(f"{will} finish on budget ({_amount(ev.eac, currency)}).")

    if ev.tcpi is not None:
        if ev.tcpi > 1:
            lines.append(
                "To finish within budget the remaining work must be done "
                f"{_percent(ev.tcpi - 1)} more efficiently."
            )
        elif ev.vac is not None and ev.vac < 0:  # only with the one forecast (commitments)
            lines.append(
                "The remaining work fits the remaining budget at the planned rate; the "
                "forecast overrun is in money already spent or ordered."
            )
        else:
            lines.append("The remaining budget covers the remaining work at the planned rate.")
    elif ev.reasons.get("tcpi") in (BUDGET_SPENT, BUDGET_OVERSPENT):
        lines.append(f"Finishing within budget is no longer possible: {ev.reasons['tcpi']}.")

    if ev.unallocated > 0:
        lines.append(
            f"{_amount(ev.unallocated, currency)} of the budget is not assigned to any "
            "baselined work."
        )
    return lines
