"""Burn-down series: actual remaining work against the baseline's ideal line."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from itpm_tui.domain.burndown import (
    BurndownBaseline,
    BurnUnit,
    Snapshot,
    burndown,
)
from itpm_tui.domain.validation import ValidationError

D = Decimal
START = date(2026, 3, 2)
FINISH = START + timedelta(days=10)


def day(n: int) -> date:
    return START + timedelta(days=n)


def test_hours_series_against_the_ideal_line() -> None:
    snaps = [
        Snapshot(day(0), D(100), 10),
        Snapshot(day(2), D(85), 9),
        Snapshot(day(5), D("52.5"), 6),
    ]
    base = BurndownBaseline(START, FINISH, total_hours=D(100), total_tasks=10)
    result = burndown(snaps, base, today=day(5))
    assert result.unit is BurnUnit.HOURS
    assert result.unit == "hours"
    assert result.days == tuple(day(n) for n in range(11))
    assert result.actual == {day(0): D(100), day(2): D(85), day(5): D("52.5")}
    assert result.ideal[day(0)] == D(100)
    assert result.ideal[day(2)] == D(80)
    assert result.ideal[day(5)] == D(50)
    assert result.ideal[FINISH] == D(0)
    assert list(result.ideal) == list(result.days)
    assert result.today == day(5)
    assert result.latest == (day(5), D("52.5"))
    assert (result.baseline_start, result.baseline_finish) == (START, FINISH)


def test_tasks_when_there_are_no_estimates() -> None:
    snaps = [Snapshot(day(0), D(0), 4), Snapshot(day(1), D(0), 3)]
    base = BurndownBaseline(START, day(3), total_tasks=4)
    result = burndown(snaps, base, today=day(1))
    assert result.unit is BurnUnit.TASKS
    assert result.actual == {day(0): D(4), day(1): D(3)}
    assert result.ideal == {day(0): D(4), day(1): D("2.67"), day(2): D("1.33"), day(3): D(0)}


def test_no_snapshots_draws_the_ideal_line_only() -> None:
    result = burndown([], BurndownBaseline(START, day(4), total_hours=D(40)), today=day(1))
    assert result.unit is BurnUnit.HOURS
    assert result.actual == {}
    assert result.latest is None
    assert list(result.ideal.values()) == [D(40), D(30), D(20), D(10), D(0)]


def test_no_baseline_has_no_ideal_line() -> None:
    snaps = [Snapshot(day(1), D(20), 2), Snapshot(day(3), D(12), 1)]
    result = burndown(snaps, None, today=day(4))
    assert result.ideal == {}
    assert result.days == (day(1), day(2), day(3), day(4))
    assert result.baseline_start is None
    assert result.latest == (day(3), D(12))


def test_nothing_at_all_is_empty() -> None:
    result = burndown([], None, today=day(0))
    assert result.is_empty
    assert result.days == ()
    assert result.unit is BurnUnit.TASKS
    assert result.today == day(0)


def test_single_day_baseline_and_snapshot() -> None:
    result = burndown([Snapshot(START, D(8), 1)], BurndownBaseline(START, START, D(8), 1), START)
    assert result.days == (START,)
    assert result.actual == {START: D(8)}
    assert result.ideal == {START: D(0)}  # a one-day baseline is due by the end of its day


def test_snapshots_outside_the_baseline_extend_the_axis() -> None:
    snaps = [
        Snapshot(day(-2), D(110), 11),
        Snapshot(day(4), D(60), 6),
        Snapshot(day(13), D(5), 1),
    ]
    base = BurndownBaseline(START, FINISH, total_hours=D(100))
    result = burndown(snaps, base, today=day(13))
    assert result.days[0] == day(-2)
    assert result.days[-1] == day(13)
    assert result.actual[day(-2)] == D(110)
    assert result.ideal[day(-2)] == D(100)  # before the baseline: all work still ahead
    assert result.ideal[day(12)] == D(0)  # after the baseline: all work should be done
    assert result.actual[day(13)] == D(5)


def test_today_extends_the_axis_and_none_means_no_marker() -> None:
    base = BurndownBaseline(START, day(2), total_hours=D(10))
    later = burndown([], base, today=day(5))
    assert later.days[-1] == day(5)
    assert later.ideal[day(5)] == D(0)
    plain = burndown([Snapshot(day(1), D(5), 1), Snapshot(day(6), D(0), 0)], base)
    assert plain.today is None
    assert plain.days[-1] == day(6)
    assert plain.latest == (day(6), D(0))


def test_latest_ignores_readings_after_today() -> None:
    snaps = [Snapshot(day(0), D(10), 1), Snapshot(day(3), D(4), 1)]
    assert burndown(snaps, None, today=day(2)).latest == (day(0), D(10))


def test_unsorted_and_duplicate_days_the_last_reading_wins() -> None:
    snaps = [Snapshot(day(2), D(6), 1), Snapshot(day(0), D(10), 1), Snapshot(day(2), D(5), 1)]
    result = burndown(snaps, None)
    assert list(result.actual.items()) == [(day(0), D(10)), (day(2), D(5))]


def test_baseline_without_total_starts_from_the_first_reading() -> None:
    snaps = [Snapshot(day(0), D(30), 3), Snapshot(day(1), D(24), 3)]
    result = burndown(snaps, BurndownBaseline(START, day(3)))
    assert result.unit is BurnUnit.HOURS
    assert result.ideal[START] == D(30)
    assert result.ideal[day(3)] == D(0)


def test_estimates_in_snapshots_choose_hours_even_without_baseline_hours() -> None:
    snaps = [Snapshot(day(0), D(16), 2)]
    result = burndown(snaps, BurndownBaseline(START, day(2), total_tasks=2))
    assert result.unit is BurnUnit.HOURS
    assert result.ideal[START] == D(16)


def test_zero_total_with_no_readings_is_a_flat_line() -> None:
    result = burndown([], BurndownBaseline(START, day(1), total_tasks=0))
    assert result.unit is BurnUnit.TASKS
    assert list(result.ideal.values()) == [D(0), D(0)]


def test_baseline_must_not_finish_before_it_starts() -> None:
    with pytest.raises(ValidationError) as caught:
        BurndownBaseline(START, day(-1))
    assert caught.value.field == "finish"


def test_negative_remaining_work_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        burndown([Snapshot(day(0), D(-1), 0)], None)
    assert caught.value.field == "remaining_hours"


def test_stored_rows_can_be_passed_as_they_are() -> None:
    """Anything with day / remaining_hours / remaining_tasks will do (the ORM row, here faked)."""

    class Row:
        def __init__(self, d: date, hours: Decimal, tasks: int) -> None:
            self.day, self.remaining_hours, self.remaining_tasks = d, hours, tasks

    result = burndown([Row(day(0), D("7.50"), 2)], None)
    assert result.actual == {day(0): D("7.50")}
