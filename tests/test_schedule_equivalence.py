"""The fast critical-path passes give exactly what the plain ones gave, on random projects.

`reference_schedule` is the scheduler as it was before it worked on positions and columns
(dicts of ids, `Link` objects, one calendar question per use): the oracle for `schedule` and
`early_dates` on every link kind, lag, milestone, fixed start, finished task and calendar.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule import projects

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.schedule import (
    _FROM_FINISH,
    _TO_FINISH,
    FIELD,
    LINK_KINDS,
    Link,
    ScheduleResult,
    ScheduleTask,
    TaskSchedule,
    _describe,
    early_dates,
    find_cycle,
    schedule,
)
from itpm_tui.domain.validation import ValidationError

Project = tuple[list[ScheduleTask], list[Link], date, WorkCalendar]


@st.composite
def shuffled(draw: st.DrawFn) -> Project:
    """`projects()` with ids that are not positions, tasks out of dependency order, some
    tasks done and names to tell them apart."""
    tasks, links, start, cal = draw(projects())
    ids = draw(st.permutations([10 * i + 7 for i in range(len(tasks))]))
    new_id = {t.id: ids[n] for n, t in enumerate(tasks)}
    order = draw(st.permutations(range(len(tasks))))
    done = draw(st.lists(st.booleans(), min_size=len(tasks), max_size=len(tasks)))
    moved = [
        ScheduleTask(new_id[tasks[i].id], tasks[i].duration, tasks[i].fixed_start, f"t{i}", done[i])
        for i in order
    ]
    relinked = [Link(new_id[lk.predecessor], new_id[lk.successor], lk.kind, lk.lag) for lk in links]
    return moved, relinked, start, cal


@settings(max_examples=300, deadline=None)
@given(shuffled())
def test_schedule_equals_the_reference(project: Project) -> None:
    tasks, links, start, cal = project
    assert schedule(tasks, links, start, cal) == reference_schedule(tasks, links, start, cal)


@settings(max_examples=300, deadline=None)
@given(shuffled())
def test_early_dates_equal_the_reference(project: Project) -> None:
    tasks, links, start, cal = project
    expected = reference_schedule(tasks, links, start, cal)
    got = early_dates(
        [t.id for t in tasks],
        [t.duration for t in tasks],
        [t.fixed_start for t in tasks],
        [t.done for t in tasks],
        links,
        start,
        cal,
    )
    assert list(got.dates) == list(expected.tasks)  # the same (topological) order
    assert got.dates == {i: (r.early_start, r.early_finish) for i, r in expected.tasks.items()}
    assert got.total_float == {i: r.total_float for i, r in expected.tasks.items()}
    assert got.critical == {i: r.critical for i, r in expected.tasks.items()}
    assert got.critical_path == expected.critical_path


def test_a_cycle_is_refused_alike() -> None:
    tasks = [ScheduleTask(1, 1, name="A"), ScheduleTask(2, 1, name="B")]
    links = [Link(1, 2), Link(2, 1)]
    cal = WorkCalendar()
    errors = []
    for run in (schedule, reference_schedule):
        try:
            run(tasks, links, date(2026, 3, 2), cal)
        except ValidationError as exc:
            errors.append(str(exc))
    assert len(errors) == 2 and errors[0] == errors[1]
    assert "A → B → A" in errors[0]


# -- the reference: the scheduler before the fast passes, unchanged -------------------------


def reference_schedule(
    tasks: Sequence[ScheduleTask],
    links: Iterable[Link],
    project_start: date,
    calendar: WorkCalendar,
) -> ScheduleResult:
    """Forward and backward pass over leaf tasks; raises ``ValidationError`` on a cycle."""
    by_id: dict[int, ScheduleTask] = {}
    for task in tasks:
        if task.id in by_id:
            raise ValidationError("tasks", f"task id {task.id} is listed twice")
        if task.duration < 0:
            raise ValidationError("duration", f"must not be negative, got {task.duration}")
        by_id[task.id] = task
    link_list = list(links)
    incoming: dict[int, list[Link]] = {t: [] for t in by_id}
    outgoing: dict[int, list[Link]] = {t: [] for t in by_id}
    for link in link_list:
        if link.kind not in LINK_KINDS:
            raise ValidationError("link type", f"must be one of FS, SS, FF, SF, got '{link.kind}'")
        for end in (link.predecessor, link.successor):
            if end not in by_id:
                raise ValidationError(FIELD, f"a link refers to unknown task {end}")
        incoming[link.successor].append(link)
        outgoing[link.predecessor].append(link)

    order = _topological_order(by_id, incoming, outgoing, link_list)
    position = {task_id: i for i, task_id in enumerate(order)}
    # Many tasks share dates: ask the calendar once per date and once per index.
    indexes: dict[date, int] = {}
    days: dict[int, date] = {}

    def index_of(day: date) -> int:
        found = indexes.get(day)
        if found is None:
            found = indexes[day] = calendar.working_index(day)
        return found

    def date_at(index: int) -> date:
        found = days.get(index)
        if found is None:
            found = days[index] = calendar.date_at(index)
        return found

    start_index = index_of(project_start)

    # Forward pass.
    es: dict[int, int] = {}
    ef: dict[int, int] = {}
    ends_day: dict[int, bool] = {}  # milestones only: dated on the day that ends at es
    for tid in order:
        task = by_id[tid]
        duration = task.duration
        earliest = start_index
        if task.fixed_start is not None:
            earliest = max(earliest, index_of(task.fixed_start))
        at_end = False  # the project start and fixed starts are starts of days
        for link in incoming[tid]:
            pid = link.predecessor
            point = (ef[pid] if link.kind in _FROM_FINISH else es[pid]) + link.lag
            start = point - duration if link.kind in _TO_FINISH else point
            point_ends_day = _point_ends_day(link, by_id[pid].duration, ends_day.get(pid, False))
            if start > earliest:
                earliest, at_end = start, point_ends_day
            elif start == earliest:
                at_end = at_end and point_ends_day  # the start of a day is later on the clock
        es[tid] = earliest
        ef[tid] = earliest + duration
        if duration == 0:
            ends_day[tid] = at_end

    finish_index = max(ef.values(), default=start_index)

    # Backward pass.
    lf: dict[int, int] = {}
    ls: dict[int, int] = {}
    free: dict[int, int] = {}
    for tid in reversed(order):
        duration = by_id[tid].duration
        latest = finish_index
        slack = finish_index - ef[tid]
        for link in outgoing[tid]:
            sid = link.successor
            succ_point = lf[sid] if link.kind in _TO_FINISH else ls[sid]
            bound = succ_point - link.lag
            if link.kind not in _FROM_FINISH:
                bound += duration
            latest = min(latest, bound)
            own = (ef[tid] if link.kind in _FROM_FINISH else es[tid]) + link.lag
            succ_early = ef[sid] if link.kind in _TO_FINISH else es[sid]
            slack = min(slack, succ_early - own)
        lf[tid] = latest
        ls[tid] = latest - duration
        free[tid] = slack

    def start_date(tid: int, boundary: int) -> date:
        if by_id[tid].duration == 0 and ends_day[tid]:
            return date_at(boundary - 1)
        return date_at(boundary)

    def finish_date(tid: int, boundary: int) -> date:
        if by_id[tid].duration == 0:
            return start_date(tid, boundary)
        return date_at(boundary - 1)

    first_day = date_at(start_index)
    project_finish = max((finish_date(tid, ef[tid]) for tid in order), default=first_day)
    results: dict[int, TaskSchedule] = {}
    for tid in order:
        total = ls[tid] - es[tid]
        # A milestone read as the start of a day could otherwise float to the day after the
        # last day of work; at the very end it is read as the project's finish.
        late = min(finish_date(tid, lf[tid]), project_finish)
        results[tid] = TaskSchedule(
            id=tid,
            early_start=start_date(tid, es[tid]),
            early_finish=finish_date(tid, ef[tid]),
            late_start=late if by_id[tid].duration == 0 else start_date(tid, ls[tid]),
            late_finish=late,
            total_float=total,
            free_float=free[tid],
            critical=total == 0 and not by_id[tid].done,
            es=es[tid],
            ef=ef[tid],
            ls=ls[tid],
            lf=lf[tid],
        )

    critical_tasks = sorted(
        (tid for tid, r in results.items() if r.critical),
        key=lambda tid: (es[tid], ef[tid], position[tid]),
    )
    path: list[int] = []
    # A task ending at the last boundary and dated on the finish day ends the chain; it is
    # critical (its late finish is that boundary too).
    last = [
        tid
        for tid in order
        if ef[tid] == finish_index and results[tid].early_finish == project_finish
    ]
    if last:
        current = last[-1]
        path.append(current)
        while True:
            driver = _driving_predecessor(current, incoming[current], es, ef, by_id)
            if driver is None:
                break
            path.append(driver)
            current = driver
        path.reverse()
        path = [tid for tid in path if not by_id[tid].done]
    return ScheduleResult(
        tasks=results,
        project_start=first_day,
        project_finish=project_finish,
        critical_path=path,
        critical_tasks=critical_tasks,
    )


def _point_ends_day(link: Link, pred_duration: int, pred_ends_day: bool) -> bool:
    """Whether the predecessor's point a link measures from is the end of a day.

    A task's finish is the end of its last day and its start the start of its first; a
    milestone's point is read the way the milestone itself is dated.
    """
    if pred_duration == 0:
        return pred_ends_day
    return link.kind in _FROM_FINISH


def _driving_predecessor(
    tid: int,
    links: list[Link],
    es: Mapping[int, int],
    ef: Mapping[int, int],
    by_id: Mapping[int, ScheduleTask],
) -> int | None:
    """A predecessor whose link holds ``tid`` exactly where it is (such a one is critical)."""
    duration = by_id[tid].duration
    for link in links:
        pid = link.predecessor
        point = (ef[pid] if link.kind in _FROM_FINISH else es[pid]) + link.lag
        start = point - duration if link.kind in _TO_FINISH else point
        if start == es[tid]:
            return pid
    return None


def _topological_order(
    by_id: Mapping[int, ScheduleTask],
    incoming: Mapping[int, list[Link]],
    outgoing: Mapping[int, list[Link]],
    links: list[Link],
) -> list[int]:
    """Kahn's algorithm, stable in input order; a cycle becomes a ValidationError naming it."""
    waiting = {tid: len(incoming[tid]) for tid in by_id}
    ready = deque(tid for tid in by_id if waiting[tid] == 0)
    order: list[int] = []
    while ready:
        tid = ready.popleft()
        order.append(tid)
        for link in outgoing[tid]:
            waiting[link.successor] -= 1
            if waiting[link.successor] == 0:
                ready.append(link.successor)
    if len(order) < len(by_id):
        stuck = [tid for tid in by_id if waiting[tid] > 0]
        inside = set(stuck)
        cycle = find_cycle(
            stuck, [lk for lk in links if lk.predecessor in inside and lk.successor in inside]
        )
        names = {tid: task.name for tid, task in by_id.items()}
        raise ValidationError(
            FIELD, f"tasks form a dependency cycle: {_describe(cycle or stuck, names)}"
        )
    return order
