"""One project's work breakdown scheduled and rolled up: what the Timeline and reports show.

Each leaf task lasts the working days from its planned start to its planned finish (a milestone
lasts 0; an elapsed task the calendar days) and may not start before its planned start; links
may push it later (critical path method of `schedule.py`), except a manual task, which keeps
its planned dates, and one that must start on a date, held there.
Summary tasks span their children, and their progress is their children's weighted by
duration. Links on them are scheduled as MS Project does (`summary_links.py`): a link into a
summary holds back every task under it, one from it waits for its last task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import MUST_START_ON, held_start
from itpm_tui.domain.outline import outline
from itpm_tui.domain.schedule import Link, early_dates
from itpm_tui.domain.summary_links import SummaryTree
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import STANDARD_HOURS, WorkingHours, WorkingTime


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class PlanTask:
    """A stored task as planning needs it, given in sort order."""

    id: int
    parent_id: int | None
    name: str
    wbs: str = ""
    is_milestone: bool = False
    percent_complete: int = 0
    planned_start: date | None = None
    planned_finish: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    estimate_hours: Decimal = Decimal(0)
    remaining_hours: Decimal = Decimal(0)
    assignee_id: int | None = None
    description: str = ""
    done: bool = False  # status done: off the critical path (float is for work to do)
    #: Manually scheduled: held at its planned dates, links into it do not push it.
    is_manual: bool = False
    #: Elapsed ("10ed"): lasts calendar days, weekends and holidays included.
    is_elapsed: bool = False
    constraint_kind: str = ""  # "", MSO (held at constraint_date) or FNLT: domain/constraints
    constraint_date: date | None = None
    deadline: date | None = None  # flagged when the finish is later; never moves the task
    #: For a plan file: the stored planned start, the start rule links may push the task past
    #: (`planned_start` is then its scheduled start); None when the PM gave no start.
    earliest_start: date | None = None
    #: For a plan file: the stored planned finish beside it (the task's own length).
    earliest_finish: date | None = None
    #: Working minutes when not a whole number of working days (`4h`); None: the working
    #: days of its planned dates.
    work_minutes: int | None = None
    #: The clock time its work may start on its planned start day; None: the day's first hour.
    start_time: time | None = None


@dataclass(frozen=True, slots=True)
class PlanPerson:
    id: int
    name: str
    handle: str
    email: str = ""


@dataclass(frozen=True)
class ProjectPlan:
    """A whole project plan as plain data, for a file format to write."""

    name: str
    currency: str
    start_date: date | None
    end_date: date | None
    baseline_start: date | None
    baseline_end: date | None
    tasks: list[PlanTask]
    links: list[Link]  # by task id, in the order stored
    people: list[PlanPerson]  # the assignees
    holidays: list[date]


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class PlannedTask:
    """A task in outline order with its scheduled (early) dates and rolled-up figures."""

    id: int
    level: int
    wbs: str
    is_summary: bool
    percent: int
    start: date | None
    finish: date | None
    baseline_start: date | None
    baseline_finish: date | None
    duration: int  # working days (calendar days when elapsed); 0 for milestones
    critical: bool
    total_float: int | None
    slip_days: int | None  # working days the finish is past the baseline finish
    predecessors: tuple[Link, ...] = ()
    successors: tuple[Link, ...] = ()
    elapsed: bool = False  # `duration` counts calendar days
    #: Set when the plan is scheduled in minutes (some leaf lasts part of a day or starts at
    #: a time): the task's working minutes, the clock times its work starts and ends, and its
    #: total float in working minutes. None in a plan of whole days.
    work_minutes: int | None = None
    start_time: time | None = None
    finish_time: time | None = None
    float_minutes: int | None = None


@dataclass(frozen=True)
class PlannedProject:
    tasks: list[PlannedTask]
    critical_path: list[int] = field(default_factory=list)
    schedule_error: str = ""  # links that cannot be scheduled (a cycle), in words


def leaf_duration(
    is_milestone: bool,
    start: date | None,
    finish: date | None,
    calendar: WorkCalendar,
    elapsed: bool = False,
) -> int:
    """Days a leaf lasts: 0 for a milestone, at least 1 for a task; working days, or
    calendar days for an elapsed task."""
    if is_milestone:
        return 0
    if start is None or finish is None:
        return 1
    if elapsed:
        return max(1, (finish - start).days + 1)
    return max(1, calendar.count_working_days(start, finish))


def plan_project(
    tasks: Sequence[PlanTask],
    links: Iterable[Link],
    project_start: date | None,
    calendar: WorkCalendar,
    hours: WorkingHours = STANDARD_HOURS,
) -> PlannedProject:
    """Schedule the leaves, then roll dates, baselines and progress up the outline.

    A plan whose leaves all last whole working days is scheduled in days; one with a leaf
    lasting part of a day (`work_minutes`) or starting at a time, or a link lagging part of a
    day (`Link.lag_minutes`), is scheduled in working minutes of `hours`, and its tasks then
    carry their clock times.

    Links on summaries move the tasks under them (`summary_links`); a stored cycle is
    reported in `schedule_error` and the leaves keep their planned dates. A 10,000-task
    project takes a few list and dict operations per task: no calendar walk, no object beyond
    the rows it answers."""
    with paused_gc():
        return _plan(tasks, links, project_start, calendar, hours)


def _plan(
    tasks: Sequence[PlanTask],
    links: Iterable[Link],
    project_start: date | None,
    calendar: WorkCalendar,
    hours: WorkingHours,
) -> PlannedProject:
    by_id = {t.id: t for t in tasks}
    rows = outline(tasks)
    leaves = [by_id[r.id] for r in rows if not r.children]
    link_list = [link for link in links if link.predecessor in by_id and link.successor in by_id]
    tree = SummaryTree.of_rows(rows)
    index, working = calendar.indexes, calendar.working  # remembered answers, by subscript
    durations = {}
    for t in leaves:  # `leaf_duration`
        start, finish = t.planned_start, t.planned_finish
        if t.is_milestone:
            durations[t.id] = 0
        elif start is None or finish is None:
            durations[t.id] = 1
        elif t.is_elapsed:
            durations[t.id] = max(1, (finish - start).days + 1)
        else:
            work = index[finish] + working[finish] - index[start]
            durations[t.id] = work if work > 1 else 1
    # In minutes when a leaf lasts part of a day or starts at a time, or a link lags part of
    # a day: `lengths` in working minutes (an elapsed task's stays in calendar days), else
    # the working days themselves.
    unit = (
        hours.minutes_per_day
        if any(t.work_minutes is not None or t.start_time is not None for t in leaves)
        or any(link.lag_minutes is not None for link in link_list)
        else 1
    )
    lengths = durations if unit == 1 else _minutes(leaves, durations, unit)
    offsets = (
        {t.id: hours.offset_at(t.start_time) for t in leaves if t.start_time is not None}
        if unit != 1
        else {}
    )

    dates, critical, floats, path, error, clock, moments = _schedule_leaves(
        leaves, lengths, link_list, tree, by_id, project_start, calendar, unit, offsets,
        WorkingTime(calendar, hours) if unit != 1 else None,
    )  # fmt: skip
    for tid, (starts_at, ends_at) in moments.items():  # clock time among working time
        clock[tid] = (hours.offset_at(starts_at.time()), hours.offset_at(ends_at.time()) or unit)

    # Summaries span their children: walk the outline bottom-up.
    weights = (
        lengths
        if unit == 1
        else {  # progress weighs each leaf's time; elapsed days count as whole days
            t.id: lengths[t.id] * (unit if t.is_elapsed and t.work_minutes is None else 1)
            for t in leaves
        }
    )
    spans: dict[int, tuple[date | None, date | None, int, int]] = {  # start, finish, work, done
        t.id: (*dates[t.id], weights[t.id], weights[t.id] * t.percent_complete) for t in leaves
    }
    base: dict[int, tuple[date | None, date | None]] = {
        t.id: (t.baseline_start, t.baseline_finish) for t in leaves
    }
    for row in reversed(rows):
        kids = row.children
        if not kids:
            continue
        task = by_id[row.id]
        # the children's columns at once (dates are never false, so `filter` drops the Nones)
        starts, finishes, works, dones = zip(*[spans[k] for k in kids], strict=True)
        spans[row.id] = (
            min(filter(None, starts), default=None),
            max(filter(None, finishes), default=None),
            sum(works),
            sum(dones),
        )
        if clock:  # a summary starts and ends at its children's first start and last end
            firsts = [(spans[k][0], clock[k][0]) for k in kids if spans[k][0] and k in clock]
            lasts = [(spans[k][1], clock[k][1]) for k in kids if spans[k][1] and k in clock]
            if firsts and lasts:
                clock[row.id] = (min(firsts)[1], max(lasts)[1])
        b_starts, b_finishes = zip(*[base[k] for k in kids], strict=True)
        base[row.id] = (
            task.baseline_start or min(filter(None, b_starts), default=None),
            task.baseline_finish or max(filter(None, b_finishes), default=None),
        )

    preds: dict[int, list[Link]] = {}
    succs: dict[int, list[Link]] = {}
    for link in link_list:
        preds.setdefault(link.successor, []).append(link)
        succs.setdefault(link.predecessor, []).append(link)

    planned: list[PlannedTask] = []
    append = planned.append
    none: tuple[Link, ...] = ()
    is_critical, float_of, before_of, after_of = critical.get, floats.get, preds.get, succs.get
    clock_of = clock.get
    for row in rows:
        tid = row.id
        task = by_id[tid]
        start, finish, work, done = spans[tid]
        baseline_start, baseline_finish = base[tid]
        if row.children:
            summary = True
            elapsed = False
            percent = done // work if work else task.percent_complete
            duration = calendar.count_working_days(start, finish) if start and finish else 0
        else:
            summary = False
            percent = task.percent_complete
            duration = durations[tid]
            elapsed = task.is_elapsed and duration > 0 and not task.is_milestone
        total = float_of(tid)
        minutes: int | None = None
        at: time | None = None
        until: time | None = None
        float_minutes: int | None = None
        times = clock_of(tid)
        if times is not None and start is not None and finish is not None:
            begun, ended = times
            minutes = (
                None
                if elapsed and tid not in moments
                else lengths[tid]
                if not summary
                else (index[finish] * unit + ended) - (index[start] * unit + begun)
            )
            moment = moments.get(tid)
            at = hours.start_clock(begun) if moment is None else moment[0].time()
            until = hours.finish_clock(ended) if moment is None else moment[1].time()
            float_minutes, total = total, None if total is None else total // unit
        # the working days the finish is past the baseline's (`schedule_variance_days`)
        slip = (
            None
            if baseline_finish is None or finish is None
            else index[finish] - index[baseline_finish]
        )
        before, after = before_of(tid), after_of(tid)
        append(
            PlannedTask(
                tid,
                row.level,
                row.code,
                summary,
                percent,
                start,
                finish,
                baseline_start,
                baseline_finish,
                duration,
                is_critical(tid, False),
                total,
                slip,
                none if before is None else tuple(before),
                none if after is None else tuple(after),
                elapsed,
                minutes,
                at,
                until,
                float_minutes,
            )
        )
    return PlannedProject(planned, path, error)


def _minutes(leaves: list[PlanTask], durations: dict[int, int], unit: int) -> dict[int, int]:
    """Each leaf's length in working minutes of `unit`-minute days: its own minutes, or its
    working days'; a milestone 0, an elapsed task its calendar days (counted as days) or,
    lasting elapsed hours, its minutes of clock time."""
    return {
        t.id: durations[t.id]
        if t.is_milestone or (t.is_elapsed and t.work_minutes is None)
        else max(1, t.work_minutes)
        if t.work_minutes is not None
        else durations[t.id] * unit
        for t in leaves
    }


def _schedule_leaves(
    leaves: list[PlanTask],
    durations: dict[int, int],
    links: list[Link],
    tree: SummaryTree,
    by_id: Mapping[int, PlanTask],
    project_start: date | None,
    calendar: WorkCalendar,
    unit: int,
    start_offsets: Mapping[int, int],
    clock: WorkingTime | None,
) -> tuple[
    dict[int, tuple[date | None, date | None]],
    dict[int, bool],
    dict[int, int],
    list[int],
    str,
    dict[int, tuple[int, int]],
    dict[int, tuple[datetime, datetime]],
]:
    """Early dates, critical flags, total floats, critical path, error of the leaves and, in
    a plan of `unit`-minute days, how far into their first and last day their work starts and
    ends; a leaf that cannot be scheduled (no dates at all, or a stored cycle) keeps its plan.

    A link from a summary's start is one from its leaf starting first, which only a schedule
    says: schedule again until that leaf stays the same. Each round settles the summaries one
    link further down the chain, so it ends after at most one round per such summary."""
    planned = [t.planned_start for t in leaves if t.planned_start]
    begin = min([*planned, *([project_start] if project_start else [])], default=None)
    error = ""
    dates: dict[int, tuple[date | None, date | None]] = {}
    critical: dict[int, bool] = {}
    floats: dict[int, int] = {}
    path: list[int] = []
    into_days: dict[int, tuple[int, int]] = {}
    moments: dict[int, tuple[datetime, datetime]] = {}
    if leaves and begin is not None:
        starts_from = tree.starts_from(links)
        first = tree.first_leaves(starts_from, {})
        expanded, hubs = tree.expand(links, first)
        # The hubs are milestones standing for the summaries' ends, never held.
        ids = [t.id for t in leaves] + list(hubs)
        lengths = [durations[t.id] for t in leaves] + [0] * len(hubs)
        fixed = [
            held_start(t.constraint_kind, t.constraint_date) or t.planned_start for t in leaves
        ] + [None] * len(hubs)
        done = [t.done for t in leaves] + [False] * len(hubs)
        held = [t.is_manual or t.constraint_kind == MUST_START_ON for t in leaves]
        held += [False] * len(hubs)
        pinned = [t.constraint_kind == MUST_START_ON and not t.is_manual for t in leaves]
        pinned += [False] * len(hubs)
        # elapsed days, or (in minutes) elapsed hours: clock time
        elapsed = [t.is_elapsed and not t.is_milestone and t.work_minutes is None for t in leaves]
        elapsed += [False] * len(hubs)
        timed = [t.is_elapsed and not t.is_milestone and t.work_minutes is not None for t in leaves]
        timed += [False] * len(hubs)
        names = _names(leaves, hubs, by_id)
        into = [start_offsets.get(t.id, 0) for t in leaves] + [0] * len(hubs)
        times = [t.start_time for t in leaves] + [None] * len(hubs)
        try:
            for _ in range(len(starts_from) + 1):
                result = early_dates(
                    ids, lengths, fixed, done, expanded, begin, calendar, names, held, elapsed,
                    unit, into if start_offsets else (), clock, timed, times, pinned,
                )  # fmt: skip
                if not starts_from:
                    break
                picked = tree.first_leaves(
                    starts_from, {tid: d[0] for tid, d in result.dates.items()}
                )
                if picked == first:
                    break
                first = picked
                expanded = tree.expand(links, first)[0]
        except ValidationError as exc:
            error = exc.rule
        else:
            dates.update(result.dates)
            critical, floats, path = result.critical, result.total_float, result.critical_path
            into_days, moments = result.offsets, result.moments
            if hubs:  # the summaries' ends are not tasks
                for hub in hubs:
                    del dates[hub], critical[hub], floats[hub]
                    into_days.pop(hub, None)
                path = [tid for tid in path if tid not in hubs]
    for t in leaves:
        if t.id not in dates:
            dates[t.id] = (t.planned_start, t.planned_finish or t.planned_start)
    return dates, critical, floats, path, error, into_days, moments


def _names(
    leaves: list[PlanTask], hubs: Mapping[int, int], by_id: Mapping[int, PlanTask]
) -> Callable[[], dict[int, str]]:
    """The names a cycle is described with: a hub is named as its summary."""
    return lambda: {
        **{t.id: t.name for t in leaves},
        **{hub: by_id[summary].name for hub, summary in hubs.items()},
    }
