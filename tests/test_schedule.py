"""Critical path scheduling: hand-checked examples per link type, then properties on random DAGs."""

from __future__ import annotations

import graphlib
import itertools
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.schedule import (
    Link,
    ScheduleResult,
    ScheduleTask,
    check_new_link,
    find_cycle,
    is_late,
    schedule,
    schedule_variance_days,
)
from itpm_tui.domain.validation import ValidationError

CAL = WorkCalendar()
KINDS = ("FS", "SS", "FF", "SF")
START = date(2026, 3, 2)  # a Monday


def day(n: int) -> date:
    """A day of March 2026."""
    return date(2026, 3, n)


def run(tasks: list[ScheduleTask], links: list[Link], start: date = START) -> ScheduleResult:
    return schedule(tasks, links, start, CAL)


def span(result: ScheduleResult, tid: int) -> tuple[date, date]:
    return result[tid].early_start, result[tid].early_finish


# Link types and lags, hand-checked on the March 2026 calendar (2nd = Monday).


def test_finish_to_start() -> None:
    result = run([ScheduleTask(1, 3), ScheduleTask(2, 2)], [Link(1, 2, "FS")])
    assert span(result, 1) == (day(2), day(4))
    assert span(result, 2) == (day(5), day(6))
    assert result.project_finish == day(6)
    assert result.critical_path == [1, 2]
    assert result[1].total_float == result[2].total_float == 0


def test_finish_to_start_crosses_the_weekend() -> None:
    result = run([ScheduleTask(1, 5), ScheduleTask(2, 1)], [Link(1, 2)])
    assert span(result, 2) == (day(9), day(9))


@pytest.mark.parametrize(
    ("lag", "start", "finish"), [(2, day(9), day(10)), (-1, day(4), day(5)), (-5, day(2), day(3))]
)
def test_finish_to_start_lags(lag: int, start: date, finish: date) -> None:
    result = run([ScheduleTask(1, 3), ScheduleTask(2, 2)], [Link(1, 2, "FS", lag)])
    assert span(result, 2) == (start, finish)


def test_a_lead_never_starts_before_the_project() -> None:
    result = run([ScheduleTask(1, 2), ScheduleTask(2, 1)], [Link(1, 2, "FS", -5)])
    assert span(result, 2) == (day(2), day(2))
    assert result[2].total_float == 1


def test_start_to_start() -> None:
    result = run([ScheduleTask(1, 3), ScheduleTask(2, 2)], [Link(1, 2, "SS", 1)])
    assert span(result, 2) == (day(3), day(4))
    assert result.project_finish == day(4)
    assert result.critical_path == [1, 2]


def test_start_to_start_with_a_lead() -> None:
    tasks = [ScheduleTask(1, 3), ScheduleTask(2, 3), ScheduleTask(3, 1)]
    result = run(tasks, [Link(1, 2), Link(2, 3, "SS", -2)])
    assert span(result, 3) == (day(3), day(3))


def test_finish_to_finish() -> None:
    result = run([ScheduleTask(1, 5), ScheduleTask(2, 2)], [Link(1, 2, "FF", 1)])
    assert span(result, 2) == (day(6), day(9))
    assert result.project_finish == day(9)
    assert result.critical_path == [1, 2]


def test_finish_to_finish_that_does_not_bind() -> None:
    result = run([ScheduleTask(1, 3), ScheduleTask(2, 5)], [Link(1, 2, "FF")])
    assert span(result, 2) == (day(2), day(6))
    assert result[1].total_float == 2
    assert (result[1].late_start, result[1].late_finish) == (day(4), day(6))
    assert result.critical_path == [2]


def test_start_to_finish() -> None:
    tasks = [ScheduleTask(1, 3, fixed_start=day(4)), ScheduleTask(2, 2)]
    result = run(tasks, [Link(1, 2, "SF", 1)])
    assert span(result, 1) == (day(4), day(6))
    assert span(result, 2) == (day(3), day(4))  # finishes the day after task 1 starts
    assert result[2].total_float == 2
    assert (result[2].late_start, result[2].late_finish) == (day(5), day(6))
    assert result.critical_path == [1]


# Milestones.


def test_a_milestone_after_a_task_is_on_its_finish_day() -> None:
    tasks = [ScheduleTask(1, 5), ScheduleTask(2, 0), ScheduleTask(3, 2)]
    result = run(tasks, [Link(1, 2), Link(2, 3)])
    assert span(result, 2) == (day(6), day(6))
    assert (result[2].late_start, result[2].late_finish) == (day(6), day(6))
    assert span(result, 3) == (day(9), day(10))
    assert result.critical_path == [1, 2, 3]


def test_a_kick_off_milestone_is_on_the_first_day() -> None:
    result = run([ScheduleTask(1, 0), ScheduleTask(2, 3)], [Link(1, 2)])
    assert span(result, 1) == (day(2), day(2))
    assert span(result, 2) == (day(2), day(4))
    assert result.critical_path == [1, 2]


def test_milestones_driven_by_starts_and_finishes() -> None:
    tasks = [ScheduleTask(1, 3), ScheduleTask(2, 0), ScheduleTask(3, 0)]
    result = run(tasks, [Link(1, 2, "SS", 2), Link(1, 3, "FF", 1)])
    assert span(result, 2) == (day(4), day(4))  # two days after task 1 started
    assert span(result, 3) == (day(5), day(5))  # a day after task 1 finished
    assert result.project_finish == day(5)


def test_a_milestone_with_float() -> None:
    tasks = [ScheduleTask(1, 5), ScheduleTask(2, 2), ScheduleTask(3, 0)]
    result = run(tasks, [Link(2, 3)])
    assert span(result, 3) == (day(3), day(3))
    assert (result[3].late_start, result[3].late_finish) == (day(6), day(6))
    assert result[3].total_float == 3
    assert not result[3].critical


def test_a_loose_milestone_floats_to_the_last_day_but_not_past_it() -> None:
    result = run([ScheduleTask(1, 0), ScheduleTask(2, 1)], [])
    assert span(result, 1) == (day(2), day(2))
    assert (result[1].late_start, result[1].late_finish) == (day(2), day(2))
    assert result[1].total_float == 1
    assert result.project_finish == day(2)


# Float, constraints, holidays.


def test_float_and_the_critical_path() -> None:
    tasks = [ScheduleTask(1, 5), ScheduleTask(2, 2), ScheduleTask(3, 1)]
    result = run(tasks, [Link(1, 3), Link(2, 3)])
    assert result[2].total_float == result[2].free_float == 3
    assert (result[2].late_start, result[2].late_finish) == (day(5), day(6))
    assert result.critical_tasks == [1, 3]
    assert result.critical_path == [1, 3]
    assert result.project_finish == day(9)


def test_free_float_is_less_than_total_float_in_a_chain() -> None:
    tasks = [ScheduleTask(1, 5), ScheduleTask(2, 1), ScheduleTask(3, 1), ScheduleTask(4, 1)]
    result = run(tasks, [Link(2, 3), Link(1, 4), Link(3, 4)])
    assert (result[2].total_float, result[2].free_float) == (3, 0)
    assert (result[3].total_float, result[3].free_float) == (3, 3)


def test_fixed_start_is_start_no_earlier_than() -> None:
    tasks = [
        ScheduleTask(1, 3),
        ScheduleTask(2, 1, fixed_start=day(12)),
        ScheduleTask(3, 2, fixed_start=day(7)),  # a Saturday
        ScheduleTask(4, 1, fixed_start=day(1)),  # before the project
    ]
    result = run(tasks, [Link(1, 2)])
    assert span(result, 2) == (day(12), day(12))
    assert span(result, 3) == (day(9), day(10))
    assert span(result, 4) == (day(2), day(2))


def test_a_weekend_project_start_rolls_forward() -> None:
    result = run([ScheduleTask(1, 1)], [], start=date(2026, 2, 28))
    assert result.project_start == day(2)
    assert span(result, 1) == (day(2), day(2))


def test_holidays_push_the_work() -> None:
    easter = WorkCalendar([date(2026, 4, 3), date(2026, 4, 6)])
    tasks = [ScheduleTask(1, 3), ScheduleTask(2, 1)]
    result = schedule(tasks, [Link(1, 2)], date(2026, 4, 2), easter)
    assert span(result, 1) == (date(2026, 4, 2), date(2026, 4, 8))
    assert span(result, 2) == (date(2026, 4, 9), date(2026, 4, 9))


def test_an_empty_project() -> None:
    result = run([], [], start=date(2026, 2, 28))
    assert result.project_finish == day(2)
    assert result.critical_path == result.critical_tasks == []


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown task 9"):
        run([ScheduleTask(1, 1)], [Link(1, 9)])
    with pytest.raises(ValidationError, match="duration: must not be negative"):
        run([ScheduleTask(1, -1)], [])
    with pytest.raises(ValidationError, match="link type"):
        run([ScheduleTask(1, 1), ScheduleTask(2, 1)], [Link(1, 2, "XX")])
    with pytest.raises(ValidationError, match="listed twice"):
        run([ScheduleTask(1, 1), ScheduleTask(1, 2)], [])


# Cycles.

NAMES = {1: "Survey", 2: "Order", 3: "Install", 4: "Test"}


def test_schedule_refuses_a_cycle_and_names_it() -> None:
    tasks = [ScheduleTask(tid, 1, name=name) for tid, name in NAMES.items()]
    links = [Link(1, 2), Link(2, 3), Link(3, 4), Link(4, 2)]
    with pytest.raises(ValidationError) as info:
        run(tasks, links)
    assert info.value.field == "predecessors"
    assert str(info.value) == (
        "predecessors: tasks form a dependency cycle: Order → Install → Test → Order"
    )


def test_schedule_refuses_a_self_link() -> None:
    with pytest.raises(ValidationError, match="cycle: Survey → Survey"):
        run([ScheduleTask(1, 1, name="Survey")], [Link(1, 1)])


def test_find_cycle() -> None:
    assert find_cycle([1, 2, 3, 4], [Link(1, 2), Link(2, 3), Link(1, 3)]) is None
    assert find_cycle([1, 2, 3, 4], [Link(1, 2), Link(2, 3), Link(3, 4), Link(4, 2)]) == [2, 3, 4]
    assert find_cycle([1], [Link(1, 1)]) == [1]
    assert find_cycle([], []) is None


def test_check_new_link_names_the_cycle() -> None:
    existing = [Link(1, 2), Link(2, 3), Link(3, 4)]
    with pytest.raises(ValidationError) as info:
        check_new_link(existing, Link(3, 1), NAMES)
    assert info.value.field == "predecessors"
    assert info.value.rule == "would create a dependency cycle: Survey → Order → Install → Survey"
    check_new_link(existing, Link(1, 4, "SS", 2), NAMES)  # a shortcut is no cycle


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (Link(2, 2), "predecessors: Order cannot depend on itself"),
        (Link(1, 7), "predecessors: unknown task 7"),
        (Link(1, 2), "predecessors: Order already has Survey as FS predecessor"),
        (Link(1, 2, "XX"), "link type: must be one of FS, SS, FF, SF, got 'XX'"),
        (Link(1, 3, "FS", 400), "lag: must be between -365 and 365, got 400"),
    ],
)
def test_check_new_link_refuses(link: Link, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_new_link([Link(1, 2)], link, NAMES)
    assert str(info.value) == message


# Variance.


def test_schedule_variance_is_positive_when_late() -> None:
    assert schedule_variance_days(day(6), day(10), CAL) == 2
    assert schedule_variance_days(day(6), day(9), CAL) == 1
    assert schedule_variance_days(day(6), day(4), CAL) == -2
    assert schedule_variance_days(day(6), day(6), CAL) == 0
    assert schedule_variance_days(None, day(6), CAL) is None
    assert schedule_variance_days(day(6), None, CAL) is None


def test_two_thousand_tasks_over_years() -> None:
    rng = random.Random(7)
    holidays = [date(2026, 1, 1) + timedelta(days=rng.randrange(3650)) for _ in range(200)]
    cal = WorkCalendar(holidays)
    tasks = [ScheduleTask(i, rng.randrange(0, 11)) for i in range(2000)]
    links = [Link(i - 10, i) for i in range(10, 2000, 10)]  # a spine of about four years
    for _ in range(3000):
        a, b = sorted(rng.sample(range(2000), 2))
        links.append(Link(a, b, rng.choice(KINDS), rng.randrange(-2, 4)))
    result = schedule(tasks, links, date(2026, 1, 5), cal)
    assert len(result.tasks) == 2000
    assert result.project_finish > date(2027, 1, 1)
    assert all(result[t].critical for t in result.critical_path)


# Properties on random acyclic projects.

BASE = date(2026, 1, 5)


@st.composite
def projects(draw: st.DrawFn) -> tuple[list[ScheduleTask], list[Link], date, WorkCalendar]:
    n = draw(st.integers(1, 18))
    tasks = []
    for i in range(n):
        offset = draw(st.none() | st.integers(0, 40))
        fixed = None if offset is None else BASE + timedelta(days=offset)
        tasks.append(ScheduleTask(i, draw(st.integers(0, 10)), fixed_start=fixed))
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
    holidays = draw(st.lists(st.integers(0, 300).map(lambda d: BASE + timedelta(days=d))))
    weekend = draw(st.sampled_from([frozenset({5, 6}), frozenset({6}), frozenset({4, 5})]))
    start = BASE + timedelta(days=draw(st.integers(0, 6)))
    return tasks, links, start, WorkCalendar(holidays, weekend)


def bound_of(task: ScheduleTask, start: date, cal: WorkCalendar) -> int:
    first = cal.working_index(start)
    return first if task.fixed_start is None else max(first, cal.working_index(task.fixed_start))


def allowed(link: Link, es: dict[int, int], ef: dict[int, int]) -> int:
    """The boundary the successor's start or finish must reach."""
    return (ef if link.kind in ("FS", "FF") else es)[link.predecessor] + link.lag


def measured(link: Link, es: dict[int, int], ef: dict[int, int]) -> int:
    return (ef if link.kind in ("FF", "SF") else es)[link.successor]


def brute_force(
    tasks: list[ScheduleTask], links: list[Link], start: date, cal: WorkCalendar
) -> tuple[dict[int, int], dict[int, int], int]:
    """Longest paths by relaxing every link until nothing moves (Bellman-Ford style)."""
    dur = {t.id: t.duration for t in tasks}
    es = {t.id: bound_of(t, start, cal) for t in tasks}
    for _ in range(len(tasks) + 1):
        for lk in links:
            need = allowed(lk, es, {i: es[i] + dur[i] for i in es})
            if lk.kind in ("FF", "SF"):
                need -= dur[lk.successor]
            es[lk.successor] = max(es[lk.successor], need)
    finish = max(es[i] + dur[i] for i in es)
    lf = dict.fromkeys(es, finish)
    for _ in range(len(tasks) + 1):
        for lk in links:
            p, s = lk.predecessor, lk.successor
            succ = lf[s] if lk.kind in ("FF", "SF") else lf[s] - dur[s]
            own_is_finish = lk.kind in ("FS", "FF")
            lf[p] = min(lf[p], succ - lk.lag + (0 if own_is_finish else dur[p]))
    return es, lf, finish


@settings(max_examples=200, deadline=None)
@given(projects())
def test_properties_on_random_dags(
    project: tuple[list[ScheduleTask], list[Link], date, WorkCalendar],
) -> None:
    tasks, links, start, cal = project
    result = schedule(tasks, links, start, cal)
    rows = result.tasks
    es = {t: r.es for t, r in rows.items()}
    ef = {t: r.ef for t, r in rows.items()}
    ls = {t: r.ls for t, r in rows.items()}
    lf = {t: r.lf for t, r in rows.items()}
    dur = {t.id: t.duration for t in tasks}
    index = cal.working_index

    # (1) No task starts before its links, the project start or its fixed start allow —
    # in the early schedule and in the late one.
    for lk in links:
        assert measured(lk, es, ef) >= allowed(lk, es, ef)
        assert measured(lk, ls, lf) >= allowed(lk, ls, lf)
        pred, succ = rows[lk.predecessor], rows[lk.successor]
        if dur[lk.predecessor] and dur[lk.successor]:  # the same rules read on dates
            gap = {
                "FS": index(succ.early_start) - index(pred.early_finish) - 1,
                "SS": index(succ.early_start) - index(pred.early_start),
                "FF": index(succ.early_finish) - index(pred.early_finish),
                "SF": index(succ.early_finish) + 1 - index(pred.early_start),
            }[lk.kind]
            assert gap >= lk.lag
    for task in tasks:
        row = rows[task.id]
        assert row.early_start >= result.project_start
        assert task.fixed_start is None or row.early_start >= task.fixed_start
        assert es[task.id] >= bound_of(task, start, cal)

    # (2) Float is never negative; critical means zero float.
    for task in tasks:
        row = rows[task.id]
        assert row.total_float >= 0
        assert row.total_float == ls[task.id] - es[task.id] == lf[task.id] - ef[task.id]
        assert row.critical == (row.total_float == 0)
        assert 0 <= row.free_float <= row.total_float

    # (3) The project finish is the longest path, and a critical chain reaches it.
    bf_es, bf_lf, bf_finish = brute_force(tasks, links, start, cal)
    assert es == bf_es
    assert lf == bf_lf
    assert max(ef.values()) == bf_finish
    assert result.project_finish == max(r.early_finish for r in rows.values())
    assert all(r.late_finish <= result.project_finish for r in rows.values())
    chain = result.critical_path
    assert chain
    assert all(rows[t].critical for t in chain)
    assert rows[chain[-1]].early_finish == result.project_finish
    assert es[chain[0]] == bound_of(rows_task(tasks, chain[0]), start, cal)
    for a, b in itertools.pairwise(chain):
        assert any(
            lk.predecessor == a
            and lk.successor == b
            and measured(lk, es, ef) == allowed(lk, es, ef)
            for lk in links
        )
    assert set(result.critical_tasks) == {t for t, r in rows.items() if r.critical}

    # (4) Every date is a working day and matches the boundaries behind it.
    for task in tasks:
        row = rows[task.id]
        for d in (row.early_start, row.early_finish, row.late_start, row.late_finish):
            assert cal.is_working(d)
        if task.duration:
            assert row.early_start == cal.date_at(row.es)
            assert row.early_finish == cal.date_at(row.ef - 1)
            assert row.late_start == cal.date_at(row.ls)
            assert row.late_finish == cal.date_at(row.lf - 1)
        else:
            assert row.early_start == row.early_finish and row.late_start == row.late_finish
            shift = row.es - index(row.early_start)
            assert shift in (0, 1)
            if row.late_start != result.project_finish:
                assert row.ls - index(row.late_start) == shift


def rows_task(tasks: list[ScheduleTask], tid: int) -> ScheduleTask:
    return next(t for t in tasks if t.id == tid)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)))
        )
    )
)
def test_find_cycle_agrees_with_graphlib(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, pairs = graph
    links = [Link(a, b) for a, b in pairs]
    sorter = graphlib.TopologicalSorter({i: set() for i in range(n)})
    for a, b in pairs:
        sorter.add(b, a)
    try:
        sorter.prepare()
        acyclic = True
    except graphlib.CycleError:
        acyclic = False
    cycle = find_cycle(range(n), links)
    assert (cycle is None) == acyclic
    if cycle is not None:
        assert len(set(cycle)) == len(cycle)
        edges = set(pairs)
        assert all((a, b) in edges for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=12),
    st.tuples(st.integers(0, 6), st.integers(0, 6)).filter(lambda p: p[0] != p[1]),
)
def test_check_new_link_refuses_exactly_the_cycles(
    pairs: list[tuple[int, int]], new: tuple[int, int]
) -> None:
    existing = [Link(min(a, b), max(a, b)) for a, b in pairs if a != b]  # acyclic
    names = {i: f"T{i}" for i in range(7)}
    link = Link(*new, kind="SS")
    expect_cycle = find_cycle(range(7), [*existing, link]) is not None
    try:
        check_new_link(existing, link, names)
        refused = False
    except ValidationError as exc:
        assert "dependency cycle" in exc.rule
        first = names[link.successor]
        assert exc.rule.endswith(f"{names[link.predecessor]} → {first}")
        assert exc.rule.startswith(f"would create a dependency cycle: {first} → ")
        refused = True
    assert refused == expect_cycle


# -- finished work and late work -----------------------------------------------------------


def test_a_finished_task_is_not_critical_but_still_drives_its_successors() -> None:
    tasks = [ScheduleTask(1, 5, done=True), ScheduleTask(2, 2), ScheduleTask(3, 1)]
    result = run(tasks, [Link(1, 2), Link(2, 3)])
    assert not result[1].critical and result[1].total_float == 0
    assert result.critical_tasks == [2, 3]
    assert result.critical_path == [2, 3]
    assert span(result, 2) == (day(9), day(10))  # still after the finished survey


@given(projects(), st.data())
def test_done_flags_change_only_what_is_critical(
    project: tuple[list[ScheduleTask], list[Link], date, WorkCalendar], data: st.DataObject
) -> None:
    tasks, links, start, cal = project
    done = data.draw(st.sets(st.sampled_from([t.id for t in tasks])))
    plain = schedule(tasks, links, start, cal)
    marked = schedule(
        [ScheduleTask(t.id, t.duration, t.fixed_start, t.name, t.id in done) for t in tasks],
        links,
        start,
        cal,
    )
    for tid, row in marked.tasks.items():
        before = plain[tid]
        assert (row.early_start, row.early_finish, row.total_float) == (
            before.early_start,
            before.early_finish,
            before.total_float,
        )
        assert row.critical == (before.critical and tid not in done)
    assert not done & set(marked.critical_path)
    assert not done & set(marked.critical_tasks)
    assert marked.critical_path == [t for t in plain.critical_path if t not in done]


@pytest.mark.parametrize(
    ("finish", "done", "late"),
    [
        (day(17), False, True),  # due yesterday, still open
        (day(18), False, False),  # due today: not late yet
        (day(19), False, False),
        (day(2), True, False),  # done work is never late
        (None, False, False),  # no date, nothing to be late against
    ],
)
def test_is_late(finish: date | None, done: bool, late: bool) -> None:
    assert is_late(finish, done, day(18)) is late


# Manually scheduled tasks: held where the PM put them, pushing their successors.


def test_a_manual_task_is_not_pushed_but_pushes_its_successors() -> None:
    tasks = [
        ScheduleTask(1, 3),
        ScheduleTask(2, 1, fixed_start=day(3), manual=True),  # its predecessor ends on the 4th
        ScheduleTask(3, 2),
    ]
    result = run(tasks, [Link(1, 2), Link(2, 3)])
    assert span(result, 2) == (day(3), day(3))
    assert span(result, 3) == (day(4), day(5))
    # the link into the manual task limits nothing: task 1 may slip to the project finish
    assert result[1].total_float == 1 and not result[1].critical
    assert result.critical_path == [2, 3]


def test_a_manual_task_may_start_before_the_project_start_and_without_a_start() -> None:
    tasks = [ScheduleTask(1, 2, fixed_start=day(2), manual=True), ScheduleTask(2, 1, manual=True)]
    result = run(tasks, [Link(1, 2)], start=day(4))
    assert span(result, 1) == (day(2), day(3))
    assert span(result, 2) == (day(4), day(4))  # no start of its own: the project start


@settings(max_examples=200, deadline=None)
@given(projects(), st.data())
def test_manual_tasks_are_where_they_are_put_and_links_into_them_are_inert(
    project: tuple[list[ScheduleTask], list[Link], date, WorkCalendar], data: st.DataObject
) -> None:
    tasks, links, start, cal = project
    flags = data.draw(st.lists(st.booleans(), min_size=len(tasks), max_size=len(tasks)))
    manual = {t.id for t, flag in zip(tasks, flags, strict=True) if flag}
    marked = [ScheduleTask(t.id, t.duration, t.fixed_start, manual=t.id in manual) for t in tasks]
    result = schedule(marked, links, start, cal)
    for task in marked:
        if task.manual and task.fixed_start is not None:
            assert result[task.id].es == cal.working_index(task.fixed_start)
    # Apart from a manual task placed before the project start, it is the same as the
    # automatic schedule without the links into manual tasks.
    held = [
        ScheduleTask(
            t.id,
            t.duration,
            max(t.fixed_start, start) if t.fixed_start is not None and t.manual else t.fixed_start,
        )
        for t in marked
    ]
    without = schedule(held, [lk for lk in links if lk.successor not in manual], start, cal)
    early_before = {
        t.id
        for t in marked
        if t.manual
        and t.fixed_start is not None
        and cal.working_index(t.fixed_start) < cal.working_index(start)
    }
    if not early_before:
        assert result == without
    for row in result.tasks.values():
        assert row.total_float >= 0
        assert row.critical == (row.total_float == 0)
