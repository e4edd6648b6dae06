"""Burn-down series: remaining work per day against the straight line the baseline promised.

The chart widget only draws; this module decides what is drawn, so the dashboard, the
stand-up view and the one-shot report tell the same story.

Rules:

- Unit: hours when there are estimates (the baseline has total hours, or any snapshot has
  remaining hours), otherwise tasks. The unit is named in the result.
- Axis: every calendar day from the earliest to the latest of the snapshot days, the
  baseline start and finish and ``today`` (when given). Nothing to draw when there are
  neither snapshots nor a baseline.
- Actual: the remaining work on each snapshot day (the last snapshot given for a day wins);
  snapshots outside the baseline range are kept. Negative remaining work is refused.
- Ideal: ``total`` on and before the baseline start, 0 on and after the baseline finish
  (so a one-day baseline is 0 on its day), straight in between, rounded to 2 places.
  ``total`` is the baseline's total in the unit; when the baseline lacks it (or says 0 while
  snapshots show work), the earliest snapshot's remaining. No baseline, no ideal line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Protocol

from itpm_tui.domain.validation import Checker

_PLACES = Decimal("0.01")
_ZERO = Decimal(0)


class BurnUnit(StrEnum):
    HOURS = "hours"
    TASKS = "tasks"


class SnapshotLike(Protocol):
    """Anything with a day's remaining work, e.g. the stored `ProgressSnapshot` rows."""

    @property
    def day(self) -> date: ...

    @property
    def remaining_hours(self) -> Decimal: ...

    @property
    def remaining_tasks(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Snapshot:
    day: date
    remaining_hours: Decimal = _ZERO
    remaining_tasks: int = 0


@dataclass(frozen=True, slots=True)
class BurndownBaseline:
    """The baseline the ideal line runs along: from ``start`` (all work left) to ``finish``."""

    start: date
    finish: date
    total_hours: Decimal | None = None
    total_tasks: int | None = None

    def __post_init__(self) -> None:
        check = Checker()
        check.date_order("start", self.start, "finish", self.finish)
        check.not_negative("total_hours", self.total_hours)
        check.not_negative("total_tasks", self.total_tasks)
        check.raise_if_any()


@dataclass(frozen=True, slots=True)
class Burndown:
    unit: BurnUnit
    #: Every day of the chart's axis, ascending.
    days: tuple[date, ...]
    #: Snapshot day → remaining work in `unit`.
    actual: Mapping[date, Decimal] = field(default_factory=dict)
    #: Axis day → ideal remaining work; empty without a baseline.
    ideal: Mapping[date, Decimal] = field(default_factory=dict)
    #: The today marker; None when not asked for.
    today: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.days

    @property
    def latest(self) -> tuple[date, Decimal] | None:
        """The last actual reading on or before today (or the last one when no today)."""
        readings = [(d, v) for d, v in self.actual.items() if self.today is None or d <= self.today]
        return readings[-1] if readings else None


def _unit(baseline: BurndownBaseline | None, snapshots: Iterable[SnapshotLike]) -> BurnUnit:
    if baseline is not None and baseline.total_hours:
        return BurnUnit.HOURS
    if any(s.remaining_hours for s in snapshots):
        return BurnUnit.HOURS
    return BurnUnit.TASKS


def _ideal(baseline: BurndownBaseline, total: Decimal, day: date) -> Decimal:
    if day >= baseline.finish:
        return _ZERO
    if day <= baseline.start:
        return total
    span = (baseline.finish - baseline.start).days
    left = (baseline.finish - day).days
    return (total * left / span).quantize(_PLACES, rounding=ROUND_HALF_EVEN)


def burndown(
    snapshots: Iterable[SnapshotLike],
    baseline: BurndownBaseline | None,
    today: date | None = None,
) -> Burndown:
    """The actual and ideal series on one daily axis, plus the today marker."""
    by_day: dict[date, SnapshotLike] = {}
    for snap in sorted(snapshots, key=lambda s: s.day):
        by_day[snap.day] = snap
    check = Checker()
    for snap in by_day.values():
        check.not_negative("remaining_hours", snap.remaining_hours)
        check.not_negative("remaining_tasks", snap.remaining_tasks)
    check.raise_if_any()

    unit = _unit(baseline, by_day.values())

    def remaining(snap: SnapshotLike) -> Decimal:
        if unit is BurnUnit.HOURS:
            return Decimal(snap.remaining_hours)
        return Decimal(snap.remaining_tasks)

    actual = {d: remaining(s) for d, s in by_day.items()}
    anchors = list(actual)
    if baseline is not None:
        anchors += [baseline.start, baseline.finish]
    if not anchors:
        return Burndown(unit=unit, days=(), today=today)
    if today is not None:
        anchors.append(today)
    first, last = min(anchors), max(anchors)
    days = tuple(first + timedelta(days=n) for n in range((last - first).days + 1))

    ideal: dict[date, Decimal] = {}
    if baseline is not None:
        given = baseline.total_hours if unit is BurnUnit.HOURS else baseline.total_tasks
        if given is not None and (given or not actual):
            total = Decimal(given)
        else:
            total = next(iter(actual.values()), _ZERO)
        ideal = {d: _ideal(baseline, total, d) for d in days}

    return Burndown(
        unit=unit,
        days=days,
        actual=actual,
        ideal=ideal,
        today=today,
        baseline_start=baseline.start if baseline else None,
        baseline_finish=baseline.finish if baseline else None,
    )
