"""Working-day calendar: which days count as work, and arithmetic in working days.

Schedules, lags, durations and variances are all counted in working days, so the scheduler
asks this calendar millions of small questions on a large project. Rather than walking day by
day, every date maps to a *working index*: the number of working days strictly before it,
counted from 0001-01-01 (a Monday). A working day has its own index; a non-working day shares
the index of the next working day. Everything else is integer arithmetic on indexes — whole
weeks by division, holidays by binary search — so each call is O(log h) for h holidays,
whatever the distance between the dates.

Conventions:

- ``add_working_days(d, n)`` never counts ``d`` itself: ``n > 0`` is the n-th working day
  after ``d``, ``n < 0`` the |n|-th working day before it, and ``n == 0`` is ``d`` when it is
  a working day, else the next working day.
- ``working_days_between(a, b)`` counts the working days in ``[a, b)`` (``a`` counts, ``b``
  does not) and is negative when ``b`` is before ``a``; so for working days ``a`` and ``b``,
  ``add_working_days(a, working_days_between(a, b)) == b``.
- ``next_working_day`` and ``previous_working_day`` are strictly after / before ``d``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Generic, TypeVar

_WEEK = 7
K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """Answers remembered, asked by subscript: ``memo[key]`` computes a missing answer once.
    A hit is one dictionary lookup without a Python call, which is what a loop over
    10,000 tasks asking the same dates wants."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[K], V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: K) -> V:
        value = self[key] = self._compute(key)
        return value


class _Indexes(dict[date, int]):
    """date → working index, remembered; a miss is computed inline (one Python call):
    a project's tasks can name thousands of distinct dates."""

    __slots__ = ("_holidays", "_per_week", "_prefix")

    def __init__(self, per_week: int, prefix: tuple[int, ...], holidays: list[int]) -> None:
        super().__init__()
        self._per_week, self._prefix, self._holidays = per_week, prefix, holidays

    def __missing__(self, d: date) -> int:
        ordinal = d.toordinal()
        weeks, rest = divmod(ordinal - 1, _WEEK)
        found = self[d] = (
            weeks * self._per_week + self._prefix[rest] - bisect_left(self._holidays, ordinal)
        )
        return found


class _Dates(dict[int, date]):
    """working index → date, remembered; a miss is computed inline (one Python call)."""

    __slots__ = ("_keys", "_per_week", "_workdays")

    def __init__(self, per_week: int, workdays: tuple[int, ...], keys: list[int]) -> None:
        super().__init__()
        self._per_week, self._workdays, self._keys = per_week, workdays, keys

    def __missing__(self, index: int) -> date:
        if index < 0:
            raise ValueError(f"working index must not be negative, got {index}")
        # Holidays before the answer are exactly those with at most `index` working days
        # before them.
        weeks, rest = divmod(index + bisect_right(self._keys, index), self._per_week)
        found = self[index] = date.fromordinal(1 + weeks * _WEEK + self._workdays[rest])
        return found


class WorkCalendar:
    """Working days: every day except the weekend days and the listed holidays.

    ``weekend`` holds ``date.weekday()`` numbers (Monday = 0); the default is Saturday and
    Sunday. Holidays that fall on a weekend are ignored, since those days are off anyway.
    """

    __slots__ = (
        "_holiday_keys",
        "_holiday_ordinals",
        "_holidays",
        "_per_week",
        "_prefix",
        "_weekend",
        "_workdays",
        "dates",
        "indexes",
        "working",
    )

    def __init__(
        self, holidays: Iterable[date] = (), weekend: Iterable[int] = frozenset({5, 6})
    ) -> None:
        weekend_days = frozenset(weekend)
        if not weekend_days <= frozenset(range(_WEEK)):
            raise ValueError(f"weekend days are weekday numbers 0–6, got {sorted(weekend_days)}")
        if len(weekend_days) == _WEEK:
            raise ValueError("a week needs at least one working day")
        self._weekend = weekend_days
        # 0001-01-01 is a Monday, so the offset of a day within its week is its weekday.
        self._workdays = tuple(d for d in range(_WEEK) if d not in weekend_days)
        self._per_week = len(self._workdays)
        self._prefix = tuple(sum(1 for d in self._workdays if d < r) for r in range(_WEEK + 1))
        kept = sorted({h for h in holidays if h.weekday() not in weekend_days})
        self._holidays = tuple(kept)
        self._holiday_ordinals = [h.toordinal() for h in kept]
        # Working days before each holiday; non-decreasing, which lets date_at bisect it.
        self._holiday_keys = [self._weekday_count(h) - i for i, h in enumerate(kept)]
        # Answers remembered: a calendar never changes, and a schedule asks about the same
        # few hundred dates tens of thousands of times. Hot loops subscript these directly:
        # ``indexes[d]`` is `working_index`, ``dates[i]`` `date_at`, ``working[d]`` `is_working`.
        self.indexes: dict[date, int] = _Indexes(
            self._per_week, self._prefix, self._holiday_ordinals
        )
        self.dates: dict[int, date] = _Dates(self._per_week, self._workdays, self._holiday_keys)
        self.working: Memo[date, bool] = Memo(self._is_working)

    def __repr__(self) -> str:
        return f"WorkCalendar(holidays={len(self._holidays)}, weekend={sorted(self._weekend)})"

    @property
    def weekend(self) -> frozenset[int]:
        return self._weekend

    @property
    def holidays(self) -> tuple[date, ...]:
        """The holidays that fall on working weekdays, sorted."""
        return self._holidays

    def _weekday_count(self, d: date) -> int:
        """Non-weekend days strictly before ``d`` (holidays not subtracted)."""
        weeks, rest = divmod(d.toordinal() - 1, _WEEK)
        return weeks * self._per_week + self._prefix[rest]

    def working_index(self, d: date) -> int:
        """Working days strictly before ``d``; a non-working day shares the next working day's."""
        return self.indexes[d]

    def date_at(self, index: int) -> date:
        """The working day whose working index is ``index`` (the inverse of ``working_index``)."""
        return self.dates[index]

    def is_working(self, d: date) -> bool:
        return self.working[d]

    def _is_working(self, d: date) -> bool:
        if d.weekday() in self._weekend:
            return False
        ordinal = d.toordinal()
        at = bisect_left(self._holiday_ordinals, ordinal)
        return at == len(self._holiday_ordinals) or self._holiday_ordinals[at] != ordinal

    def add_working_days(self, d: date, n: int) -> date:
        """Move ``n`` working days from ``d``; ``d`` itself never counts (see module docstring)."""
        index = self.working_index(d)
        if n > 0:
            return self.date_at(index + self.is_working(d) + n - 1)
        return self.date_at(index + n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``[a, b)``; negative (minus those in ``[b, a)``) when ``b < a``."""
        return self.working_index(b) - self.working_index(a)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return self.add_working_days(d, -1)

    def on_or_after(self, d: date) -> date:
        """``d`` if working, else the next one: where work "starting" on ``d`` begins."""
        return self.add_working_days(d, 0)

    def on_or_before(self, d: date) -> date:
        """``d`` when it is a working day, else the previous one."""
        return d if self.is_working(d) else self.previous_working_day(d)

    def count_working_days(self, start: date, finish: date) -> int:
        """Working days from ``start`` to ``finish``, both included; 0 if ``finish < start``.

        This is the duration of a task planned from ``start`` to ``finish``.
        """
        end = self.working_index(finish) + self.is_working(finish)
        return max(0, end - self.working_index(start))

    def finish_date(self, start: date, duration: int) -> date:
        """The finish of ``duration`` working days of work starting on ``start``.

        Work starting on a non-working day begins on the next working day; a task of
        duration d finishes on its d-th working day; a milestone (0) finishes when it starts.
        """
        if duration < 0:
            raise ValueError(f"duration must not be negative, got {duration}")
        return self.date_at(self.working_index(start) + max(duration - 1, 0))


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def week_end(day: date) -> date:
    """The Sunday that ends `day`'s week: what is due "this week" is due by then."""
    return week_start(day) + timedelta(days=6)


def next_week_end(day: date) -> date:
    """The Sunday that ends next week: "this week and next" falls by then."""
    return week_end(day) + timedelta(days=7)
