"""Working time at minute resolution: working hours, part-day durations, and a schedule in
working minutes that agrees with the whole-day one wherever every task lasts whole days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.plan import PlanTask, plan_project
from itpm_tui.domain.predecessors import parse_predecessors
from itpm_tui.domain.schedule import EarlyDates, Link, early_dates
from itpm_tui.domain.tasks import Duration, parse_duration
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import (
    STANDARD_HOURS,
    WorkingHours,
    WorkingTime,
    format_work,
    parse_working_hours,
)

MONDAY = date(2027, 1, 4)
DAY = STANDARD_HOURS.minutes_per_day  # 480
KINDS = ("FS", "SS", "FF", "SF")
#: durations, fixed starts, manual and elapsed flags, links
Project = tuple[list[int], list[date | None], list[bool], list[bool], list[Link]]


# --- working hours -----------------------------------------------------------------------


def test_the_standard_day_reads_offsets_as_ms_project_does() -> None:
    hours = STANDARD_HOURS
    assert str(hours) == "08:00-12:00,13:00-17:00" and hours.minutes_per_day == 480
    # at the lunch break, work ending there ends at 12:00 and work starting there at 13:00
    assert hours.finish_clock(240) == time(12) and hours.start_clock(240) == time(13)
    assert hours.start_clock(0) == time(8) and hours.finish_clock(480) == time(17)
    assert hours.start_clock(90) == time(9, 30) and hours.finish_clock(300) == time(14)
    assert hours.offset_at(time(13)) == 240 == hours.offset_at(time(12, 30))
    assert hours.offset_at(time(7)) == 0 and hours.offset_at(time(18)) == 480


def test_hours_are_parsed_sorted_and_checked_naming_the_field() -> None:
    assert parse_working_hours("") is STANDARD_HOURS
    hours = parse_working_hours(" 12:00-15:30 , 07:00-11:30 ")
    assert hours == WorkingHours(((420, 690), (720, 930))) and hours.minutes_per_day == 480
    assert parse_working_hours("19:00-23:00").minutes_per_day == 240
    for text, rule in (
        ("8-12", "is not a span of hours"),
        ("17:00-08:00", "ends before it starts"),
        ("08:00-12:00,11:00-13:00", "overlap at 11:00"),
        ("08:00-24:00", "not a clock time"),
        ("08:61-12:00", "not a clock time"),
    ):
        with pytest.raises(ValidationError) as caught:
            parse_working_hours(text)
        assert caught.value.field == "working hours" and rule in caught.value.rule, text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(480, "1d"), (1440, "3d"), (240, "4h"), (30, "30m"), (90, "1h30m"), (720, "1.5d"),
     (500, "8h20m")],
)  # fmt: skip
def test_working_time_is_shown_in_the_largest_exact_unit(minutes: int, text: str) -> None:
    assert format_work(minutes, DAY) == text


# --- the schedule in minutes ----------------------------------------------------------------


def minutes_schedule(
    durations: list[int], links: list[Link], offsets: Sequence[int] = ()
) -> EarlyDates:
    n = len(durations)
    return early_dates(
        list(range(n)), durations, [None] * n, [False] * n, links, MONDAY,
        WorkCalendar(), day_length=DAY, start_offsets=offsets,
    )  # fmt: skip


def test_two_half_days_in_a_row_fill_one_day() -> None:
    result = minutes_schedule([240, 240], [Link(0, 1)])
    assert result.dates == {0: (MONDAY, MONDAY), 1: (MONDAY, MONDAY)}
    assert result.offsets == {0: (0, 240), 1: (240, 480)}
    assert result.critical_path == [0, 1]


def test_part_day_work_runs_over_into_the_next_working_day() -> None:
    friday = MONDAY + timedelta(days=4)
    # 6h after 4h: from Monday 13:00 to Tuesday 10:00; then 1.5d to Wednesday 15:00, and 1h
    # to 16:00
    result = minutes_schedule([240, 360, 720, 60], [Link(0, 1), Link(1, 2), Link(2, 3)])
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    assert result.dates[1] == (MONDAY, tuesday) and result.offsets[1] == (240, 120)
    assert result.dates[2] == (tuesday, wednesday) and result.offsets[2] == (120, 360)
    assert result.dates[3] == (wednesday, wednesday) and result.offsets[3] == (360, 420)
    # across a weekend: 4h on Friday afternoon, then 6h from Monday 08:00
    late = minutes_schedule([4 * DAY + 240, 360], [Link(0, 1)])
    assert late.dates[0] == (MONDAY, friday) and late.offsets[0] == (0, 240)
    assert late.dates[1] == (friday, MONDAY + timedelta(days=7))
    assert late.offsets[1] == (240, 120)


def test_lags_stay_whole_working_days_and_float_is_counted_in_minutes() -> None:
    # A (4h) FS+1d B (1h): B starts a working day after A's end, Tuesday 13:00, and ends at
    # 14:00, the project's finish; C (1d) alongside ends Monday 17:00: 5 hours of float.
    result = minutes_schedule([240, 60, DAY], [Link(0, 1, "FS", 1)])
    assert result.offsets[1] == (240, 300) and result.dates[1][0] == MONDAY + timedelta(days=1)
    assert result.total_float == {0: 0, 1: 0, 2: 300}


def test_a_start_at_a_time_holds_the_task_there() -> None:
    n = 2
    result = early_dates(
        [0, 1], [120, 0], [MONDAY, None], [False] * n, [Link(0, 1)], MONDAY, WorkCalendar(),
        manual=[True, False], day_length=DAY, start_offsets=[300, 0],
    )  # fmt: skip
    # manual at 14:00 for 2h: ends 16:00; its milestone successor at 16:00 too
    assert result.offsets == {0: (300, 420), 1: (420, 420)}


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(1, 12))
    durations: list[int] = []
    fixed: list[date | None] = []
    manual: list[bool] = []
    elapsed: list[bool] = []
    for _ in range(n):
        offset = draw(st.none() | st.integers(0, 30))
        fixed.append(None if offset is None else MONDAY + timedelta(days=offset))
        duration = draw(st.integers(0, 8))
        durations.append(duration)
        elapsed.append(duration > 0 and draw(st.integers(0, 4)) == 0)
        manual.append(draw(st.integers(0, 9)) == 0)
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(KINDS),
                st.integers(-3, 3),
            ),
            max_size=2 * n,
        )
    )  # fmt: skip
    links = [Link(min(a, b), max(a, b), kind, lag) for a, b, kind, lag in raw if a != b]
    return durations, fixed, manual, elapsed, links


@settings(max_examples=150, deadline=None)
@given(projects(), st.lists(st.integers(0, 60), max_size=6))
def test_whole_days_counted_in_minutes_schedule_exactly_as_days(
    project: Project,
    holidays: list[int],
) -> None:
    durations, fixed, manual, elapsed, links = project
    cal = WorkCalendar([MONDAY + timedelta(days=d) for d in holidays])
    n = len(durations)
    ids, done = list(range(n)), [False] * n
    days = early_dates(ids, durations, fixed, done, links, MONDAY, cal, dict, manual, elapsed)
    scaled = [d if e else d * DAY for d, e in zip(durations, elapsed, strict=True)]
    minutes = early_dates(
        ids, scaled, fixed, done, links, MONDAY, cal, dict, manual, elapsed, day_length=DAY
    )
    assert minutes.dates == days.dates
    assert minutes.total_float == {t: f * DAY for t, f in days.total_float.items()}
    assert minutes.critical == days.critical and minutes.critical_path == days.critical_path
    for t in ids:  # a whole-day task works whole days
        if durations[t]:
            assert minutes.offsets[t] == (0, DAY)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 3 * DAY), min_size=1, max_size=10),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.sampled_from(KINDS)), max_size=15),
)
def test_part_day_links_hold_in_minutes_early_and_late(
    durations: list[int], raw: list[tuple[int, int, str]]
) -> None:
    n = len(durations)
    links = [Link(min(a, b), max(a, b), k) for a, b, k in raw if a != b and max(a, b) < n]
    result = minutes_schedule(durations, links)
    cal = WorkCalendar()
    # boundaries read back from dates and offsets: a working day's index times DAY + offset
    start = {
        t: cal.working_index(result.dates[t][0]) * DAY + result.offsets[t][0] for t in range(n)
    }
    finish = {
        t: cal.working_index(result.dates[t][1]) * DAY + result.offsets[t][1] for t in range(n)
    }
    for t in range(n):
        assert finish[t] - start[t] == durations[t]
        assert result.total_float[t] >= 0
    assert_links_hold(links, start, finish)


def assert_links_hold(links: list[Link], starts: dict[int, int], ends: dict[int, int]) -> None:
    """Every link holds between the boundaries where its tasks start and end."""
    for link in links:
        p, s = link.predecessor, link.successor
        reached = ends[p] if link.kind in ("FS", "FF") else starts[p]
        measured = ends[s] if link.kind in ("FF", "SF") else starts[s]
        assert measured >= reached, link


# --- a plan with part-day tasks ---------------------------------------------------------------


def test_a_plan_with_part_day_tasks_carries_clock_times_and_rolls_them_up() -> None:
    tasks = [
        PlanTask(1, None, "Cut-over"),
        PlanTask(2, 1, "Prepare", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240),
        PlanTask(3, 1, "Switch", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240),
        PlanTask(4, None, "Review", planned_start=MONDAY, planned_finish=MONDAY),
    ]
    plan = plan_project(tasks, [Link(2, 3)], MONDAY, WorkCalendar())
    by_id = {t.id: t for t in plan.tasks}
    assert (by_id[2].start_time, by_id[2].finish_time) == (time(8), time(12))
    assert (by_id[3].start_time, by_id[3].finish_time) == (time(13), time(17))
    assert by_id[3].work_minutes == 240 and by_id[3].float_minutes == 0
    assert by_id[4].work_minutes == 480 and by_id[4].float_minutes == 0
    summary = by_id[1]
    assert summary.is_summary and summary.work_minutes == 480
    assert (summary.start_time, summary.finish_time) == (time(8), time(17))
    assert by_id[2].duration == 1 and by_id[2].total_float == 0


def test_a_plan_on_other_hours_reads_its_times_in_them() -> None:
    hours = parse_working_hours("07:00-11:00,11:30-15:30")
    tasks = [
        PlanTask(1, None, "Backup", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=300),
        PlanTask(2, None, "Swap", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=120),
    ]
    plan = plan_project(tasks, [Link(1, 2)], MONDAY, WorkCalendar(), hours)
    by_id = {t.id: t for t in plan.tasks}
    assert (by_id[1].start_time, by_id[1].finish_time) == (time(7), time(12, 30))
    assert (by_id[2].start_time, by_id[2].finish_time) == (time(12, 30), time(14, 30))


def test_a_plan_of_whole_days_has_no_clock_times() -> None:
    tasks = [PlanTask(1, None, "Survey", planned_start=MONDAY, planned_finish=MONDAY)]
    task = plan_project(tasks, [], MONDAY, WorkCalendar()).tasks[0]
    assert task.start_time is None and task.work_minutes is None and task.float_minutes is None
    assert task.total_float == 0 and task.duration == 1


def test_a_task_starting_at_a_time_starts_then() -> None:
    tasks = [
        PlanTask(
            1, None, "Cut-over", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=120,
            start_time=time(14), is_manual=True,
        ),
        PlanTask(2, None, "Test", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=60),
    ]  # fmt: skip
    plan = plan_project(tasks, [Link(1, 2)], MONDAY, WorkCalendar())
    by_id = {t.id: t for t in plan.tasks}
    assert (by_id[1].start_time, by_id[1].finish_time) == (time(14), time(16))
    assert (by_id[2].start_time, by_id[2].finish_time) == (time(16), time(17))


# --- clock time (elapsed hours) ---------------------------------------------------------------


def test_an_evening_cut_over_lasts_its_four_hours_and_work_resumes_next_morning() -> None:
    tasks = [
        PlanTask(1, None, "Prepare", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240),
        PlanTask(
            2, None, "Cut-over", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240,
            is_elapsed=True, is_manual=True, start_time=time(19),
        ),
        PlanTask(3, None, "Verify", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=120),
    ]  # fmt: skip
    plan = plan_project(tasks, [Link(1, 2), Link(2, 3)], MONDAY, WorkCalendar())
    by_id = {t.id: t for t in plan.tasks}
    cut_over, verify = by_id[2], by_id[3]
    assert (cut_over.start, cut_over.finish) == (MONDAY, MONDAY)
    assert (cut_over.start_time, cut_over.finish_time) == (time(19), time(23))
    assert cut_over.elapsed and cut_over.work_minutes == 240
    tuesday = MONDAY + timedelta(days=1)
    assert (verify.start, verify.start_time, verify.finish_time) == (tuesday, time(8), time(10))


def test_clock_time_after_work_runs_into_the_evening_and_its_successor_waits() -> None:
    clock = WorkingTime(WorkCalendar(), STANDARD_HOURS)
    result = early_dates(
        [0, 1, 2], [240, 360, 60], [None] * 3, [False] * 3, [Link(0, 1), Link(1, 2)], MONDAY,
        WorkCalendar(), day_length=DAY, clock=clock, clocked=[False, True, False],
    )  # fmt: skip
    # clock time does not wait for working hours: 6 clock hours from the 12:00 finish end at
    # 18:00; the next task starts Tuesday 08:00
    assert result.moments == {1: (datetime(2027, 1, 4, 12), datetime(2027, 1, 4, 18))}
    assert result.dates[1] == (MONDAY, MONDAY)
    assert result.dates[2] == (MONDAY + timedelta(days=1),) * 2 and result.offsets[2] == (0, 60)
    # a wait over the weekend: 60 clock hours from Friday 13:00 end Monday 01:00
    friday = MONDAY + timedelta(days=4)
    waits = early_dates(
        [0, 1], [3600, 60], [friday, None], [False] * 2, [Link(0, 1)], MONDAY, WorkCalendar(),
        day_length=DAY, start_offsets=[240, 0], clock=clock, clocked=[True, False],
    )  # fmt: skip
    assert waits.moments[0] == (datetime(2027, 1, 8, 13), datetime(2027, 1, 11, 1))
    assert waits.dates[1] == (MONDAY + timedelta(days=7),) * 2 and waits.offsets[1] == (0, 60)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 3 * DAY), st.booleans()), min_size=1, max_size=9),
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8), st.sampled_from(KINDS)), max_size=14),
)
def test_clock_time_keeps_every_link_between_the_moments_work_starts_and_ends(
    tasks: list[tuple[int, bool]], raw: list[tuple[int, int, str]]
) -> None:
    """Moments are compared in working time: one in a break or the night is the working
    minute that follows it (12:01 at lunch is 13:00)."""
    n = len(tasks)
    links = [Link(min(a, b), max(a, b), k) for a, b, k in raw if a != b and max(a, b) < n]
    cal = WorkCalendar()
    clock = WorkingTime(cal, STANDARD_HOURS)
    result = early_dates(
        list(range(n)), [d for d, _ in tasks], [None] * n, [False] * n, links, MONDAY, cal,
        day_length=DAY, clock=clock, clocked=[c for _, c in tasks],
    )  # fmt: skip
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for t, (minutes, clocked) in enumerate(tasks):
        first, last = result.dates[t]
        if clocked:
            begun, ended = result.moments[t]
            assert ended - begun == timedelta(minutes=minutes)
            starts[t], ends[t] = clock.boundary_at(begun), clock.boundary_at(ended)
        else:
            into, out_of = result.offsets[t]
            starts[t] = cal.working_index(first) * DAY + into
            ends[t] = cal.working_index(last) * DAY + out_of
            assert ends[t] - starts[t] == minutes
        assert result.total_float[t] >= 0
    assert_links_hold(links, starts, ends)


def test_clock_time_is_typed_with_e_and_shown_back_as_typed() -> None:
    assert parse_duration("4eh") == Duration(1, elapsed=True, minutes=240)
    assert parse_duration("48eh") == Duration(2, elapsed=True)
    assert str(parse_duration("1.5ed")) == "1.5ed" and str(parse_duration("90em")) == "1eh30em"
    assert parse_duration("1.5d", 420) == Duration(2, minutes=630)


# --- part-day lags ------------------------------------------------------------------------------


def test_a_lag_of_hours_counts_working_hours_only() -> None:
    # A ends 12:00; FS+2h skips lunch: B starts 15:00. SS-30m from B's start: C at 14:30.
    tasks = [
        PlanTask(1, None, "A", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240),
        PlanTask(2, None, "B", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=60),
        PlanTask(3, None, "C", planned_start=MONDAY, planned_finish=MONDAY),
    ]
    links = [Link(1, 2, "FS", 0, 120), Link(2, 3, "SS", 0, -30)]
    by_id = {t.id: t for t in plan_project(tasks, links, MONDAY, WorkCalendar()).tasks}
    assert by_id[2].start_time == time(15) and by_id[2].finish_time == time(16)
    assert by_id[3].start_time == time(14, 30) and by_id[3].start == MONDAY
    assert by_id[3].finish == MONDAY + timedelta(days=1) and by_id[3].finish_time == time(14, 30)


def test_a_part_day_lag_alone_schedules_the_plan_in_minutes() -> None:
    tasks = [
        PlanTask(1, None, "A", planned_start=MONDAY, planned_finish=MONDAY),
        PlanTask(2, None, "B", planned_start=MONDAY, planned_finish=MONDAY),
    ]
    by_id = {
        t.id: t
        for t in plan_project(tasks, [Link(1, 2, "FS", 1, 720)], MONDAY, WorkCalendar()).tasks
    }
    # 1.5 days after Monday 17:00: Wednesday 13:00 to Thursday 12:00
    assert (by_id[2].start, by_id[2].start_time) == (MONDAY + timedelta(days=2), time(13))
    assert (by_id[2].finish, by_id[2].finish_time) == (MONDAY + timedelta(days=3), time(12))


@pytest.mark.parametrize(
    ("typed", "lag", "minutes", "shown"),
    [("1.2FS+2", 2, None, "+2"), ("1.2FS+4h", 0, 240, "+4h"), ("1.2SS-30m", 0, -30, "-30m"),
     ("1.2+1.5d", 1, 720, "+1.5d"), ("1.2FS+8h", 1, None, "+1"), ("1.2 FS + 4 h", 0, 240, "+4h")],
)  # fmt: skip
def test_lags_are_typed_in_working_time(
    typed: str, lag: int, minutes: int | None, shown: str
) -> None:
    (ref,) = parse_predecessors(typed, {"1.2": 7}, {7})
    assert (ref.task_id, ref.lag, ref.lag_minutes, ref.lag_text()) == (7, lag, minutes, shown)


@pytest.mark.parametrize("typed", ["1.2FS+x", "1.2FS+4eh", "1.2FS+4h4h"])
def test_other_lags_are_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_predecessors(typed, {"1.2": 7}, {7})
    assert caught.value.field == "predecessors" and f"'{typed}'" in caught.value.rule
    assert "+4h" in caught.value.rule


def test_clock_time_with_a_start_rule_at_a_time_starts_then_unless_links_push_it() -> None:
    clock = WorkingTime(WorkCalendar(), STANDARD_HOURS)

    def cut_over(after_minutes: int) -> tuple[datetime, datetime]:
        result = early_dates(
            [0, 1], [after_minutes, 240], [MONDAY, MONDAY], [False] * 2, [Link(0, 1)], MONDAY,
            WorkCalendar(), day_length=DAY, clock=clock, clocked=[False, True],
            start_times=[None, time(19)],
        )  # fmt: skip
        return result.moments[1]

    # not manual: the start rule holds it at 19:00 after a day's work
    assert cut_over(DAY) == (datetime(2027, 1, 4, 19), datetime(2027, 1, 4, 23))
    # a day and a half of work first: it starts when that ends, Tuesday 12:00
    assert cut_over(DAY + 240) == (datetime(2027, 1, 5, 12), datetime(2027, 1, 5, 16))


def test_a_summary_weighs_clock_time_by_its_minutes() -> None:
    # a 4h task done and a 4eh cut-over not started: half the summary's time is done
    tasks = [
        PlanTask(1, None, "Cut-over night"),
        PlanTask(
            2, 1, "Prepare", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240,
            percent_complete=100,
        ),
        PlanTask(
            3, 1, "Cut-over", planned_start=MONDAY, planned_finish=MONDAY, work_minutes=240,
            is_elapsed=True, start_time=time(19),
        ),
    ]  # fmt: skip
    summary = plan_project(tasks, [Link(2, 3)], MONDAY, WorkCalendar()).tasks[0]
    assert summary.is_summary and summary.percent == 50
