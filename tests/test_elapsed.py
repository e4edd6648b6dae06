"""Elapsed durations (`10ed`): calendar days through weekends and holidays, in both passes of
the scheduler, in a plan, and as typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.plan import PlanTask, plan_project
from itpm_tui.domain.schedule import Link, ScheduleResult, ScheduleTask, early_dates, schedule
from itpm_tui.domain.tasks import (
    Duration,
    TaskDraft,
    parse_duration,
    reconcile_dates,
    task_duration,
)
from itpm_tui.domain.validation import Problem, ValidationError

CAL = WorkCalendar()
KINDS = ("FS", "SS", "FF", "SF")
START = date(2026, 3, 2)  # a Monday


def day(n: int) -> date:
    """A day of March 2026 (the 2nd is a Monday)."""
    return date(2026, 3, n)


def span(result: ScheduleResult, tid: int) -> tuple[date, date]:
    return result[tid].early_start, result[tid].early_finish


def late_span(result: ScheduleResult, tid: int) -> tuple[date, date]:
    return result[tid].late_start, result[tid].late_finish


# --- hand-checked waits -------------------------------------------------------------------


def test_a_wait_runs_through_the_weekend_and_its_successor_waits_for_monday() -> None:
    tasks = [ScheduleTask(1, 3), ScheduleTask(2, 11, elapsed=True), ScheduleTask(3, 2)]
    result = schedule(tasks, [Link(1, 2), Link(2, 3)], START, CAL)
    # Thursday the 5th + 11 calendar days: its last is Sunday the 15th
    assert span(result, 2) == (day(5), day(15))
    assert span(result, 3) == (day(16), day(17))
    assert result.project_finish == day(17)
    assert result.critical_path == [1, 2, 3]
    assert [result[t].total_float for t in (1, 2, 3)] == [0, 0, 0]
    assert late_span(result, 2) == span(result, 2)


def test_a_wait_ending_on_saturday_has_the_sunday_as_float() -> None:
    tasks = [ScheduleTask(1, 3), ScheduleTask(2, 10, elapsed=True), ScheduleTask(3, 2)]
    result = schedule(tasks, [Link(1, 2), Link(2, 3)], START, CAL)
    assert span(result, 2) == (day(5), day(14))
    assert span(result, 3) == (day(16), day(17))
    # it may start on Friday and end on Sunday: a working day of float, for its
    # predecessor too, so the critical chain is the last task alone
    assert late_span(result, 2) == (day(6), day(15))
    assert [result[t].total_float for t in (1, 2, 3)] == [1, 1, 0]
    assert result.critical_path == [3]


def test_a_wait_counts_holidays_and_its_successor_skips_them() -> None:
    cal = WorkCalendar([day(3), day(4), day(9)])
    tasks = [ScheduleTask(1, 5, elapsed=True), ScheduleTask(2, 1), ScheduleTask(3, 5)]
    result = schedule(tasks, [Link(1, 2)], START, cal)
    assert span(result, 1) == (day(2), day(6))  # the holidays are calendar days like others
    assert span(result, 3) == (day(2), day(11))  # five working days skip the three holidays
    assert span(result, 2) == (day(10), day(10))  # not the weekend, not the holiday on the 9th


def test_a_wait_ending_on_sunday_finishes_the_project_that_sunday() -> None:
    tasks = [ScheduleTask(1, 5), ScheduleTask(2, 7, elapsed=True)]
    result = schedule(tasks, [], START, CAL)
    assert span(result, 2) == (day(2), day(8))
    assert result.project_finish == day(8)
    assert result.critical_path == [2]
    # both end before Monday the 9th, the first working day after the project
    assert result[1].total_float == result[2].total_float == 0


def test_a_wait_with_slack_may_end_late_on_any_day_before_the_end() -> None:
    tasks = [ScheduleTask(1, 10), ScheduleTask(2, 3, elapsed=True), ScheduleTask(3, 1)]
    result = schedule(tasks, [Link(2, 3, "SS", 1)], START, CAL)
    assert span(result, 2) == (day(2), day(4))
    # it must be done by Friday the 13th: Wednesday the 11th is its latest start
    assert late_span(result, 2) == (day(11), day(13))
    assert result[2].total_float == 7 and not result[2].critical
    assert result[3].late_start == day(13)


def test_a_wait_before_a_monday_successor_may_start_late_and_end_on_sunday() -> None:
    tasks = [ScheduleTask(1, 6, elapsed=True), ScheduleTask(2, 1, fixed_start=day(9))]
    result = schedule(tasks, [Link(1, 2)], START, CAL)
    assert span(result, 1) == (day(2), day(7))  # a Saturday finish
    assert late_span(result, 1) == (day(3), day(8))  # Tuesday to Sunday: Monday still holds
    assert result[1].total_float == 1 and result[1].free_float == 0


def test_finish_to_finish_into_a_wait_places_its_end() -> None:
    tasks = [ScheduleTask(1, 5), ScheduleTask(2, 3, elapsed=True)]
    result = schedule(tasks, [Link(1, 2, "FF")], START, CAL)
    assert span(result, 2) == (day(4), day(6))  # ends with its predecessor on Friday
    assert result.critical_path == [1, 2]


def test_a_weekend_start_rolls_to_monday_unless_the_task_is_manual() -> None:
    auto = ScheduleTask(1, 2, fixed_start=day(7), elapsed=True)
    manual = ScheduleTask(2, 2, fixed_start=day(7), elapsed=True, manual=True)
    tasks = [auto, manual, ScheduleTask(3, 1)]
    result = schedule(tasks, [Link(2, 3)], START, CAL)
    assert span(result, 1) == (day(9), day(10))  # as MS Project starts it
    assert span(result, 2) == (day(7), day(8))  # held where the PM put it
    assert span(result, 3) == (day(9), day(9))


# --- properties ---------------------------------------------------------------------------

BASE = date(2026, 1, 5)


@st.composite
def projects(draw: st.DrawFn) -> tuple[list[ScheduleTask], list[Link], date]:
    n = draw(st.integers(1, 14))
    tasks = []
    for i in range(n):
        offset = draw(st.none() | st.integers(0, 40))
        fixed = None if offset is None else BASE + timedelta(days=offset)
        duration = draw(st.integers(0, 12))
        elapsed = duration > 0 and draw(st.booleans())
        manual = draw(st.integers(0, 9)) == 0
        tasks.append(ScheduleTask(i, duration, fixed, elapsed=elapsed, manual=manual))
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.sampled_from(KINDS),
                st.integers(-3, 3),
            ),
            max_size=3 * n,
        )
    )
    links = [Link(min(a, b), max(a, b), kind, lag) for a, b, kind, lag in raw if a != b]
    return tasks, links, BASE + timedelta(days=draw(st.integers(0, 6)))


@settings(max_examples=150, deadline=None)
@given(projects())
def test_without_non_working_days_an_elapsed_task_is_an_ordinary_one(
    project: tuple[list[ScheduleTask], list[Link], date],
) -> None:
    tasks, links, start = project
    every_day = WorkCalendar(weekend=())
    ordinary = [ScheduleTask(t.id, t.duration, t.fixed_start, manual=t.manual) for t in tasks]
    assert schedule(tasks, links, start, every_day) == schedule(ordinary, links, start, every_day)


@settings(max_examples=150, deadline=None)
@given(projects(), st.lists(st.integers(0, 120)))
def test_waits_last_their_calendar_days_and_keep_every_link_early_and_late(
    project: tuple[list[ScheduleTask], list[Link], date], holidays: list[int]
) -> None:
    tasks, links, start = project
    cal = WorkCalendar([BASE + timedelta(days=d) for d in holidays])
    result = schedule(tasks, links, start, cal)
    by_id = {t.id: t for t in tasks}
    for t in tasks:
        r = result[t.id]
        assert r.total_float >= 0 and r.ls >= r.es and r.lf <= result[t.id].lf
        if t.elapsed:
            assert r.early_finish - r.early_start == timedelta(days=t.duration - 1)
            assert r.late_finish - r.late_start == timedelta(days=t.duration - 1)
            assert r.early_finish <= result.project_finish
            assert r.late_finish <= result.project_finish
            if not t.manual:
                assert cal.is_working(r.early_start)
    for link in links:
        if by_id[link.successor].manual:
            continue  # links into a manual task do not move it
        for first, last in (("es", "ef"), ("ls", "lf")):
            pred, succ = result[link.predecessor], result[link.successor]
            reached = getattr(pred, last if link.kind in ("FS", "FF") else first) + link.lag
            measured = getattr(succ, last if link.kind in ("FF", "SF") else first)
            assert measured >= reached, (link, first)
    for tid in result.critical_path:
        assert result[tid].critical
    # the columns the Timeline reads give the same dates
    columns = early_dates(
        [t.id for t in tasks],
        [t.duration for t in tasks],
        [t.fixed_start for t in tasks],
        [t.done for t in tasks],
        links,
        start,
        cal,
        manual=[t.manual for t in tasks],
        elapsed=[t.elapsed for t in tasks],
    )
    for t in tasks:
        if t.duration:
            assert columns.dates[t.id] == span(result, t.id)
        assert columns.total_float[t.id] == result[t.id].total_float
    assert columns.critical_path == result.critical_path


# --- in a plan ----------------------------------------------------------------------------


def test_a_plan_reads_an_elapsed_task_in_calendar_days() -> None:
    tasks = [
        PlanTask(1, None, "Order", planned_start=day(2), planned_finish=day(4)),
        PlanTask(2, None, "Port", planned_start=day(5), planned_finish=day(15), is_elapsed=True),
        PlanTask(3, None, "Switch", planned_start=day(2), planned_finish=day(2)),
    ]
    plan = plan_project(tasks, [Link(1, 2), Link(2, 3)], START, CAL)
    rows = {t.id: t for t in plan.tasks}
    assert (rows[2].start, rows[2].finish, rows[2].duration, rows[2].elapsed) == (
        day(5),
        day(15),
        11,
        True,
    )
    assert (rows[3].start, rows[3].finish) == (day(16), day(16))
    assert plan.critical_path == [1, 2, 3]


# --- as typed -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", Duration(3)),
        ("3d", Duration(3)),
        (" 3 days ", Duration(3)),
        ("10ed", Duration(10, elapsed=True)),
        ("10 ED", Duration(10, elapsed=True)),
        ("0", Duration(0)),
    ],
)
def test_durations_as_typed(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected
    assert parse_duration(str(expected)) == expected


@pytest.mark.parametrize("text", ["", "0.1m", "-2", "10e", "ten", "3w", "1h2h", "2.5e", "4h2eh"])
def test_other_durations_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_duration(text)
    assert caught.value.field == "duration"
    assert "10ed" in caught.value.rule


def test_an_elapsed_duration_places_the_finish_in_calendar_days() -> None:
    problems: list[Problem] = []
    dates = reconcile_dates(
        day(5),
        None,
        10,
        False,
        CAL,
        finish_moved=False,
        duration_moved=True,
        problems=problems,
        elapsed=True,
    )
    assert dates == (day(5), day(14)) and problems == []
    draft = TaskDraft(name="Port", is_elapsed=True, planned_start=day(5), planned_finish=day(14))
    assert task_duration(draft, CAL) == Duration(10, elapsed=True)
    reconcile_dates(
        day(5),
        day(20),
        10,
        False,
        CAL,
        finish_moved=True,
        duration_moved=True,
        problems=problems,
        elapsed=True,
    )
    assert problems == [
        Problem(
            "duration",
            "10 calendar days from 2026-03-05 end on 2026-03-14, not on the finish "
            "2026-03-20; change one of them",
        )
    ]
