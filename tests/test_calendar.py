"""The working-day calendar: hand-checked dates, then agreement with a day-by-day walk."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar

WED = date(2026, 3, 18)
THU = date(2026, 3, 19)
FRI = date(2026, 3, 20)
SAT = date(2026, 3, 21)
SUN = date(2026, 3, 22)
MON = date(2026, 3, 23)
GOOD_FRIDAY = date(2026, 4, 3)
EASTER_MONDAY = date(2026, 4, 6)
EASTER = WorkCalendar([GOOD_FRIDAY, EASTER_MONDAY])


def test_weekends_are_not_working_days() -> None:
    cal = WorkCalendar()
    working = [cal.is_working(d) for d in (THU, FRI, SAT, SUN, MON)]
    assert working == [True, True, False, False, True]


def test_adding_working_days_skips_the_weekend() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(FRI, 1) == MON
    assert cal.add_working_days(WED, 5) == date(2026, 3, 25)
    assert cal.add_working_days(MON, -1) == FRI
    assert cal.add_working_days(MON, -5) == date(2026, 3, 16)


def test_zero_keeps_a_working_day_and_rolls_a_weekend_forward() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(WED, 0) == WED
    assert cal.add_working_days(SAT, 0) == MON
    assert cal.add_working_days(SUN, 0) == MON


def test_the_starting_day_never_counts() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(SAT, 1) == MON
    assert cal.add_working_days(SAT, 2) == date(2026, 3, 24)
    assert cal.add_working_days(SUN, -1) == FRI


def test_next_and_previous_are_strict() -> None:
    cal = WorkCalendar()
    assert cal.next_working_day(THU) == FRI
    assert cal.next_working_day(FRI) == MON
    assert cal.next_working_day(SAT) == MON
    assert cal.previous_working_day(MON) == FRI
    assert cal.previous_working_day(SUN) == FRI
    assert cal.on_or_after(SAT) == MON
    assert cal.on_or_after(FRI) == FRI
    assert cal.on_or_before(SUN) == FRI
    assert cal.on_or_before(MON) == MON


def test_working_days_between_is_signed_and_half_open() -> None:
    cal = WorkCalendar()
    assert cal.working_days_between(date(2026, 3, 16), MON) == 5
    assert cal.working_days_between(MON, date(2026, 3, 16)) == -5
    assert cal.working_days_between(FRI, MON) == 1
    assert cal.working_days_between(SAT, MON) == 0
    assert cal.working_days_between(WED, WED) == 0


def test_holidays_are_skipped() -> None:
    thursday = date(2026, 4, 2)
    assert not EASTER.is_working(GOOD_FRIDAY)
    assert not EASTER.is_working(EASTER_MONDAY)
    assert EASTER.next_working_day(thursday) == date(2026, 4, 7)
    assert EASTER.add_working_days(thursday, 2) == date(2026, 4, 8)
    assert EASTER.previous_working_day(date(2026, 4, 7)) == thursday
    assert EASTER.add_working_days(GOOD_FRIDAY, 0) == date(2026, 4, 7)
    assert EASTER.working_days_between(thursday, date(2026, 4, 9)) == 3


def test_a_holiday_on_a_weekend_changes_nothing() -> None:
    cal = WorkCalendar([SAT, SUN])
    assert cal.holidays == ()
    assert cal.add_working_days(FRI, 1) == MON


def test_another_weekend() -> None:
    cal = WorkCalendar(weekend=frozenset({4, 5}))  # Friday and Saturday off
    assert not cal.is_working(FRI)
    assert cal.is_working(SUN)
    assert cal.next_working_day(THU) == SUN


def test_counting_and_finishing_a_task() -> None:
    assert EASTER.count_working_days(date(2026, 4, 2), date(2026, 4, 8)) == 3
    assert EASTER.count_working_days(SAT, SUN) == 0
    assert EASTER.count_working_days(MON, FRI) == 0
    assert EASTER.finish_date(date(2026, 4, 2), 3) == date(2026, 4, 8)
    assert EASTER.finish_date(SAT, 1) == MON
    assert EASTER.finish_date(SAT, 0) == MON


@pytest.mark.parametrize("weekend", [frozenset(range(7)), frozenset({7})])
def test_impossible_weekends_are_refused(weekend: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(weekend=weekend)


def test_years_apart_cost_no_day_loop() -> None:
    cal = WorkCalendar([date(2026, 12, 25), date(2027, 12, 24)])
    start = date(2026, 1, 1)
    far = cal.add_working_days(start, 2_000)
    assert cal.working_days_between(start, far) == 2_000 - (not cal.is_working(start))


# Properties: the arithmetic agrees with walking the days one at a time.

BASE = date(2025, 12, 1)


def walk(cal: WorkCalendar, d: date, n: int) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        if cal.is_working(d):
            left -= 1
    return d


def count(cal: WorkCalendar, a: date, b: date) -> int:
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    days = (hi - lo).days
    return sign * sum(cal.is_working(lo + timedelta(days=i)) for i in range(days))


calendars = st.builds(
    WorkCalendar,
    st.lists(st.integers(0, 120).map(lambda i: BASE + timedelta(days=i)), max_size=25),
    st.frozensets(st.integers(0, 6), max_size=6),
)
days = st.integers(0, 120).map(lambda i: BASE + timedelta(days=i))


@settings(max_examples=200, deadline=None)
@given(calendars, days)
def test_is_working_matches_the_definition(cal: WorkCalendar, d: date) -> None:
    assert cal.is_working(d) == (d.weekday() not in cal.weekend and d not in cal.holidays)


@settings(max_examples=200, deadline=None)
@given(calendars, days, st.integers(-30, 30))
def test_add_matches_a_day_walk(cal: WorkCalendar, d: date, n: int) -> None:
    result = cal.add_working_days(d, n)
    assert cal.is_working(result)
    if n == 0:
        expected = d
        while not cal.is_working(expected):
            expected += timedelta(days=1)
        assert result == expected
    else:
        assert result == walk(cal, d, n)


@settings(max_examples=200, deadline=None)
@given(calendars, days, days)
def test_between_matches_counting_and_inverts_add(cal: WorkCalendar, a: date, b: date) -> None:
    between = cal.working_days_between(a, b)
    assert between == count(cal, a, b)
    assert between == -cal.working_days_between(b, a)
    if cal.is_working(a) and cal.is_working(b):
        assert cal.add_working_days(a, between) == b
    assert cal.date_at(cal.working_index(a)) == cal.on_or_after(a)


@settings(max_examples=200, deadline=None)
@given(calendars, st.lists(st.tuples(days, st.integers(0, 30)), min_size=1, max_size=40))
def test_remembered_answers_match_a_day_walk(
    cal: WorkCalendar, questions: list[tuple[date, int]]
) -> None:
    """A calendar asked the same dates over and over (as a schedule does) answers each time
    what walking the days one by one gives: remembering never changes an answer."""
    for _ in range(2):
        for start, length in questions:
            first = start
            while not (first.weekday() not in cal.weekend and first not in cal.holidays):
                first += timedelta(days=1)
            finish = cal.finish_date(start, length)
            assert finish == (first if length <= 1 else walk(cal, first, length - 1))
            assert cal.count_working_days(start, finish) == max(length, 1)
            assert cal.working_index(start) == count(cal, BASE, start) + cal.working_index(BASE)
