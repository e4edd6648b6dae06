"""Critical path method on working days: early and late dates, float and the critical path.

Inputs are plain dataclasses so this module stays free of the database and the UI; callers
turn stored tasks and dependencies into ``ScheduleTask`` and ``Link`` values.

Conventions (all counts are working days of a ``WorkCalendar``):

- Callers pass *leaf* tasks only. Summary (parent) tasks are not scheduled here; their dates
  are the span of their children, which callers derive from the result.
- A task of duration d >= 1 starting on working day S works d whole working days and finishes
  at the end of working day S + d - 1: its finish date is its last working day of work.
- Internally time is counted in day *boundaries*: boundary k is the start of the working day
  with working index k, which is also the end of the working day before it. A task occupies
  ``[es, es + duration)``, so ``ef = es + duration``. The four link kinds constrain boundaries
  with the lag added (a negative lag is a lead):

  - FS: successor start  >= predecessor finish + lag
  - SS: successor start  >= predecessor start  + lag
  - FF: successor finish >= predecessor finish + lag
  - SF: successor finish >= predecessor start  + lag

  So with FS and lag 0 the successor starts on the next working day after the predecessor's
  finish date; with lag 2 two working days later.
- A milestone (duration 0) is an instant: its start date equals its finish date. When it is
  driven by a predecessor's finish (FS or FF from a task) it is dated on that finish day — the
  go-live milestone after a cut-over finishing Friday is on Friday, and an FS successor of it
  starts on Monday. When it is driven by a start (SS, SF, the project start or its own
  ``fixed_start``) it is dated on that start day. Late dates of a milestone use the same
  reading as its early dates, so a critical milestone has equal early and late dates, except
  that no late date is read past the project finish date.
- Every task starts no earlier than ``project_start`` (rolled forward to a working day), and no
  earlier than its ``fixed_start`` when given (a "start no earlier than" constraint). Tasks
  with no predecessors start exactly there.
- The project finish is the latest early finish. Late dates are the latest that keep every
  link and that project finish; total float = late start - early start (never negative);
  free float = how far a task can slip without moving any successor or the project finish.
  A task is critical when its total float is 0 and it is not done: float belongs to work
  still to do, so a finished task is never critical nor on the critical path (it still
  drives its successors by its dates).
- A task is *late* (`is_late`) when its scheduled finish is before today and it is not done;
  a milestone when its date has passed and it is not reached.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.tasks import validate_link
from itpm_tui.domain.validation import ValidationError

LINK_KINDS = ("FS", "SS", "FF", "SF")
_FROM_FINISH = frozenset({"FS", "FF"})
_TO_FINISH = frozenset({"FF", "SF"})
FIELD = "predecessors"


@dataclass(frozen=True, slots=True)
class ScheduleTask:
    """A leaf task to schedule; ``name`` is only used in error messages."""

    id: int
    duration: int  # working days; 0 = milestone
    fixed_start: date | None = None  # start no earlier than
    name: str = ""
    done: bool = False  # finished work has no float to protect: never critical


@dataclass(frozen=True, slots=True)
class Link:
    """``successor`` depends on ``predecessor``; ``kind`` is FS, SS, FF or SF."""

    predecessor: int
    successor: int
    kind: str = "FS"
    lag: int = 0  # working days; negative = lead


@dataclass(frozen=True, slots=True)
class TaskSchedule:
    """One task's computed dates; ``es``/``ef``/``ls``/``lf`` are the boundaries behind them."""

    id: int
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    es: int
    ef: int
    ls: int
    lf: int


@dataclass(frozen=True, slots=True)
class ScheduleResult:
    tasks: dict[int, TaskSchedule]  # by task id, in dependency (topological) order
    project_start: date  # the first working day on or after the requested start
    project_finish: date
    critical_path: list[int]  # one driving chain of critical tasks, first to last
    critical_tasks: list[int]  # every critical task, in schedule order

    def __getitem__(self, task_id: int) -> TaskSchedule:
        return self.tasks[task_id]


def schedule(
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


def find_cycle(task_ids: Iterable[int], links: Iterable[Link]) -> list[int] | None:
    """The tasks of one dependency cycle in link order (last links back to first), or None.

    A self-link is a cycle of one task. Tasks only named by links are included.
    """
    graph: dict[int, list[int]] = {tid: [] for tid in task_ids}
    for link in links:
        graph.setdefault(link.predecessor, []).append(link.successor)
        graph.setdefault(link.successor, [])
    on_path: set[int] = set()
    done: set[int] = set()
    for root in graph:
        if root in done:
            continue
        path = [root]
        on_path.add(root)
        stack = [iter(graph[root])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
            elif nxt in on_path:
                return path[path.index(nxt) :]
            elif nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(graph[nxt]))
    return None


def check_new_link(
    existing_links: Iterable[Link], new_link: Link, names: Mapping[int, str]
) -> None:
    """Refuse a link before it is stored: unknown or same task, duplicate, or a cycle.

    ``names`` maps every task of the project to its name; a cycle is reported starting at the
    task gaining the predecessor, e.g. "would create a dependency cycle: A → B → C → A".
    """
    validate_link(new_link.kind, new_link.lag)
    for end in (new_link.predecessor, new_link.successor):
        if end not in names:
            raise ValidationError(FIELD, f"unknown task {end}")
    pred, succ = new_link.predecessor, new_link.successor
    if pred == succ:
        raise ValidationError(FIELD, f"{_name(pred, names)} cannot depend on itself")
    links = list(existing_links)
    for link in links:
        if (link.predecessor, link.successor, link.kind) == (pred, succ, new_link.kind):
            raise ValidationError(
                FIELD,
                f"{_name(succ, names)} already has {_name(pred, names)} as {link.kind} predecessor",
            )
    path = _shortest_path(succ, pred, links)
    if path is not None:
        raise ValidationError(FIELD, f"would create a dependency cycle: {_describe(path, names)}")


def _shortest_path(source: int, target: int, links: Iterable[Link]) -> list[int] | None:
    """Breadth-first, so the cycle reported is the shortest one the new link closes."""
    graph: dict[int, list[int]] = {}
    for link in links:
        graph.setdefault(link.predecessor, []).append(link.successor)
    came_from: dict[int, int | None] = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            path = [node]
            while (step := came_from[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for nxt in graph.get(node, ()):
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return None


def _name(tid: int, names: Mapping[int, str]) -> str:
    return names.get(tid) or f"task {tid}"


def _describe(cycle: list[int], names: Mapping[int, str]) -> str:
    """A → B → C → A: the cycle closed back on its first task."""
    return " → ".join(_name(tid, names) for tid in [*cycle, cycle[0]])


def is_late(finish: date | None, done: bool, today: date) -> bool:
    """Work past its (scheduled) finish and not done: a task due yesterday and still open, a
    milestone whose date has passed and is not reached. Due today is not late yet."""
    return finish is not None and not done and finish < today


def schedule_variance_days(
    baseline_finish: date | None, current_finish: date | None, calendar: WorkCalendar
) -> int | None:
    """Working days the current finish is later than the baseline: positive = late, negative =
    early, None when either date is missing.

    It counts the working days in ``[baseline, current)``: a Friday finish slipping to Monday
    is 1 day late.
    """
    if baseline_finish is None or current_finish is None:
        return None
    return calendar.working_days_between(baseline_finish, current_finish)
