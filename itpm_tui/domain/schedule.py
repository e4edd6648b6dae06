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
- A *manual* task (MS Project's "manually scheduled") is where the PM put it: it starts on
  its ``fixed_start`` (or the project start without one), whatever its predecessors; links
  into it neither move it nor limit their predecessors' late dates. Its own links push its
  successors as any task's do.
- An *elapsed* task (MS Project's ``ed``) lasts ``duration`` calendar days, weekends and
  holidays included: a carrier's 10-day porting wait. Like MS Project it starts on a working
  day (a start on a weekend rolls to Monday, as any task's does), unless it is manual and
  its own start is a non-working day; it finishes on whatever day its calendar days end.
  Its boundaries stay working ones: its finish boundary is the first working day after its
  last day, so its successors wait for the next working day as usual.
- *Part-day work*: `early_dates` with ``day_length`` above 1 counts boundaries in working
  minutes, ``day_length`` to a working day (a 4-hour task lasts 240 of a 480-minute day, and
  the next task starts where it ends, after lunch). Durations and floats are then minutes;
  lags stay whole working days; a task may start at a minute of its fixed start day. Dates
  are read from the day a boundary falls in, so a plan of whole days schedules exactly as it
  does in days. An elapsed task still runs whole calendar days from the start of its day.
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.tasks import validate_link
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import WorkingTime

LINK_KINDS = ("FS", "SS", "FF", "SF")
_FROM_FINISH = frozenset({"FS", "FF"})
_TO_FINISH = frozenset({"FF", "SF"})
#: Link kind → (measured from the predecessor's finish, constrains the successor's finish).
_KINDS = {kind: (kind in _FROM_FINISH, kind in _TO_FINISH) for kind in LINK_KINDS}
FIELD = "predecessors"


@dataclass(frozen=True, slots=True)
class ScheduleTask:
    """A leaf task to schedule; ``name`` is only used in error messages."""

    id: int
    duration: int  # working days; 0 = milestone
    fixed_start: date | None = None  # start no earlier than
    name: str = ""
    done: bool = False  # finished work has no float to protect: never critical
    manual: bool = False  # held at fixed_start: links into it do not move it
    elapsed: bool = False  # duration in calendar days, weekends and holidays included


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class Link:
    """``successor`` depends on ``predecessor``; ``kind`` is FS, SS, FF or SF."""

    predecessor: int
    successor: int
    kind: str = "FS"
    lag: int = 0  # working days; negative = lead
    #: The lag in working minutes when it is not whole days (`FS+4h`): a plan with one is
    #: scheduled in minutes; `lag` is then its working days rounded toward zero.
    lag_minutes: int | None = None


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
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
    with paused_gc():
        return _schedule(tasks, links, project_start, calendar)


def _schedule(
    tasks: Sequence[ScheduleTask],
    links: Iterable[Link],
    project_start: date,
    calendar: WorkCalendar,
) -> ScheduleResult:
    cpm = _Passes(
        [t.id for t in tasks],
        [t.duration for t in tasks],
        [t.fixed_start for t in tasks],
        [t.done for t in tasks],
        list(links),
        project_start,
        calendar,
        lambda: {t.id: t.name for t in tasks},
        [t.manual for t in tasks],
        [t.elapsed for t in tasks],
    )
    ids, es, ef, ls, lf, dur = cpm.ids, cpm.es, cpm.ef, cpm.ls, cpm.lf, cpm.durations
    project_finish = cpm.project_finish
    results: dict[int, TaskSchedule] = {}
    for i in cpm.order:
        total = ls[i] - es[i]
        # A milestone read as the start of a day could otherwise float to the day after the
        # last day of work; at the very end it is read as the project's finish.
        late = min(cpm.finish_date(i, lf[i]), project_finish)
        days = (
            cpm.start_date(i, es[i]),
            cpm.finish_date(i, ef[i]),
            late if dur[i] == 0 else cpm.start_date(i, ls[i]),
            late,
        )
        if cpm.stretch is not None and i in cpm.stretch:
            days = cpm.stretch[i]  # calendar days: not read from working boundaries
        results[ids[i]] = TaskSchedule(
            id=ids[i],
            early_start=days[0],
            early_finish=days[1],
            late_start=days[2],
            late_finish=days[3],
            total_float=total,
            free_float=cpm.free[i],
            critical=total == 0 and not cpm.done[i],
            es=es[i],
            ef=ef[i],
            ls=ls[i],
            lf=lf[i],
        )
    return ScheduleResult(
        tasks=results,
        project_start=cpm.first_day,
        project_finish=project_finish,
        critical_path=cpm.critical_path(),
        critical_tasks=cpm.critical_tasks(),
    )


@dataclass(frozen=True, slots=True)
class EarlyDates:
    """What a plan shows of a schedule: each task's early dates, total float and whether it
    is critical (by task id), and the critical path — without the late dates' objects."""

    dates: dict[int, tuple[date, date]]
    total_float: dict[int, int]
    critical: dict[int, bool]
    critical_path: list[int]
    #: Scheduled in minutes (``day_length`` > 1): how far into its start day each task's work
    #: starts and into its finish day it ends (a whole day's length at the day's end).
    offsets: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: Tasks lasting clock time: the moments they start and end.
    moments: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)


def early_dates(
    ids: Sequence[int],
    durations: Sequence[int],
    fixed_starts: Sequence[date | None],
    done: Sequence[bool],
    links: Iterable[Link],
    project_start: date,
    calendar: WorkCalendar,
    names: Callable[[], Mapping[int, str]] = dict,
    manual: Sequence[bool] = (),
    elapsed: Sequence[bool] = (),
    day_length: int = 1,
    start_offsets: Sequence[int] = (),
    clock: WorkingTime | None = None,
    clocked: Sequence[bool] = (),
    start_times: Sequence[time | None] = (),
) -> EarlyDates:
    """`schedule` for tasks given as columns (``ids[i]`` lasts ``durations[i]``...), answering
    only what `EarlyDates` holds: the same passes without an object per task and date.
    ``names`` gives the tasks' names when a cycle must be described; ``manual`` flags the
    manually scheduled tasks and ``elapsed`` those lasting calendar days (none when empty).

    With ``day_length`` above 1 time is counted in units of which a working day has that
    many (working minutes): durations and floats are in those units (an elapsed task's
    duration stays in calendar days, link lags in working days), ``start_offsets[i]`` is how
    far into its fixed start day task i may start, and the answer holds each task's
    `EarlyDates.offsets`. ``clocked[i]`` marks a task lasting ``durations[i]`` minutes of
    clock time (elapsed hours), placed on ``clock`` (whose days last ``day_length``); held,
    it starts at ``start_times[i]`` of its fixed start day, even outside working hours, and
    `EarlyDates.moments` holds when it starts and ends."""
    cpm = _Passes(
        list(ids), list(durations), list(fixed_starts), list(done), list(links),
        project_start, calendar, names, list(manual), list(elapsed),
        day_length, list(start_offsets), clock, list(clocked), list(start_times),
    )  # fmt: skip
    ids, es, ef, ls, ends, finished = cpm.ids, cpm.es, cpm.ef, cpm.ls, cpm.ends_day, cpm.done
    day, order = cpm._days, cpm.order
    # Comprehensions in schedule order: a task's dates are its first and last day of work; a
    # milestone's one day is read as it is dated (the day ending at, or starting at, es).
    dur = cpm.durations
    offsets: dict[int, tuple[int, int]] = {}
    if day_length == 1:
        dates = {
            ids[i]: (day[es[i]], day[ef[i] - 1])
            if dur[i]
            else (day[es[i] - 1],) * 2
            if ends[i]
            else (day[es[i]],) * 2
            for i in order
        }
    else:
        dates = {}
        for i in order:
            dates[ids[i]], offsets[ids[i]] = cpm.dated(i)
    if cpm.stretch is not None:  # an elapsed task's days are calendar days
        for i, (start, finish, _, _) in cpm.stretch.items():
            dates[ids[i]] = (start, finish)
            if offsets:
                offsets[ids[i]] = (0, day_length)
    moments: dict[int, tuple[datetime, datetime]] = {}
    if cpm.moments is not None:  # clock time: when it starts and ends, not boundaries
        for i, (begun, ended) in cpm.moments.items():
            dates[ids[i]] = (begun.date(), _finish_day(ended))
            moments[ids[i]] = (begun, ended)
    floats = {ids[i]: ls[i] - es[i] for i in order}
    critical = {ids[i]: ls[i] == es[i] and not finished[i] for i in order}
    return EarlyDates(dates, floats, critical, cpm.critical_path(), offsets, moments)


class _Passes:
    """The critical path method on positions: task ``i`` of the input is ``ids[i]``; links
    become (other task's position, measured from a finish, constrains a finish, lag) tuples.

    Every list is indexed by position, dates are asked of the calendar once each, so a
    10,000-task project costs a few list operations per task and link.
    """

    __slots__ = (
        "_days",
        "_incoming",
        "_indexes",
        "calendar",
        "done",
        "durations",
        "ef",
        "ends_day",
        "es",
        "finish_index",
        "first_day",
        "free",
        "ids",
        "lf",
        "ls",
        "moments",
        "order",
        "project_finish",
        "start_index",
        "stretch",
        "unit",
    )

    def __init__(
        self,
        ids: list[int],
        durations: list[int],
        fixed_starts: list[date | None],
        done: list[bool],
        links: list[Link],
        project_start: date,
        calendar: WorkCalendar,
        names: Callable[[], Mapping[int, str]],
        manual: list[bool],
        elapsed: list[bool],
        day_length: int = 1,
        start_offsets: list[int] | None = None,
        clock: WorkingTime | None = None,
        clocked: list[bool] | None = None,
        start_times: list[time | None] | None = None,
    ) -> None:
        n = len(ids)
        #: Boundaries per working day: 1 in a plan of whole days, else working minutes.
        self.unit = unit = day_length
        held = manual if any(manual) else None
        #: Elapsed tasks (not milestones) by position → their early start, early finish, late
        #: start and late finish days; None when there are none, which keeps the passes lean.
        self.stretch: dict[int, tuple[date, date, date, date]] | None = None
        lasting = elapsed if any(elapsed) else None
        #: Tasks lasting clock time (``clocked``, durations in calendar minutes; minutes only)
        #: by position → the moments they start and end; None when there are none.
        self.moments: dict[int, tuple[datetime, datetime]] | None = None
        timed = clocked if clock is not None and clocked and any(clocked) else None
        position = dict(zip(ids, range(n), strict=True))
        if len(position) < n or min(durations, default=0) < 0:
            _refuse_tasks(ids, durations)
        incoming: list[list[tuple[int, bool, bool, int]]] = [[] for _ in range(n)]
        outgoing: list[list[tuple[int, bool, bool, int]]] = [[] for _ in range(n)]
        successors: list[list[int]] = [[] for _ in range(n)]
        waiting = [0] * n  # predecessors not yet placed in the order
        kinds = _KINDS
        for link in links:
            kind = kinds.get(link.kind)
            if kind is None:
                raise ValidationError(
                    "link type", f"must be one of FS, SS, FF, SF, got '{link.kind}'"
                )
            p = position.get(link.predecessor)
            s = position.get(link.successor)
            if p is None or s is None:
                unknown = link.predecessor if p is None else link.successor
                raise ValidationError(FIELD, f"a link refers to unknown task {unknown}")
            if held is not None and held[s]:
                continue  # a manual task stays where it is put
            from_finish, to_finish = kind
            lag = link.lag * unit if link.lag_minutes is None or unit == 1 else link.lag_minutes
            incoming[s].append((p, from_finish, to_finish, lag))
            outgoing[p].append((s, from_finish, to_finish, lag))
            successors[p].append(s)
            waiting[s] += 1
        self.ids, self.durations, self.done, self.calendar = ids, durations, done, calendar
        self._incoming = incoming
        self.order = order = _topological_order(ids, waiting, successors, links, names)
        days: _DayAt = calendar.dates
        indexes: _IndexOf = calendar.indexes
        if unit != 1:  # boundaries are minutes: days are read from, and turned into, them
            days, indexes = (
                _MinuteDays(calendar.dates, unit),
                _MinuteIndexes(calendar.indexes, unit),
            )
        self._days, self._indexes = days, indexes
        self.start_index = start_index = indexes[project_start]
        # Each task's own earliest boundary: the project start, or its fixed start if later.
        starts = [None if fixed is None else indexes[fixed] for fixed in fixed_starts]
        if start_offsets:  # a fixed start at a time of its day (a working day only)
            working = calendar.working
            for i, into in enumerate(start_offsets):
                if into and (fixed := fixed_starts[i]) is not None and working[fixed]:
                    starts[i] = indexes[fixed] + into
        floor = [start_index if at is None or at < start_index else at for at in starts]
        if held is not None:  # a manual task starts on its own start, even before the project's
            for i, at in enumerate(starts):
                if held[i] and at is not None:
                    floor[i] = at

        # Forward pass.
        self.es = es = [0] * n
        self.ef = ef = [0] * n
        ends_day = [False] * n  # milestones only: dated on the day that ends at es
        stretch: dict[int, tuple[date, date, date, date]] = {}
        moments: dict[int, tuple[datetime, datetime]] = {}
        for i in order:
            earliest = floor[i]
            preds = incoming[i]
            if timed is not None and timed[i]:
                assert clock is not None  # `timed` is only set with it
                held_at = fixed_starts[i] if held is not None and held[i] else None
                held_time = None if held_at is None or start_times is None else start_times[i]
                begun = (
                    datetime.combine(held_at, held_time)
                    if held_at is not None and held_time is not None
                    else self._clocked_start(clock, i, preds, earliest, held_at is not None)
                )
                ended = begun + timedelta(minutes=durations[i])
                es[i], ef[i] = clock.boundary_at(begun), clock.boundary_at(ended)
                # the working minutes between: what links and floats count from here on
                durations[i] = ef[i] - es[i]
                moments[i] = (begun, ended)
            elif lasting is not None and lasting[i] and durations[i]:
                start_day = self._elapsed_start(
                    i, preds, earliest, fixed_starts[i] if held is not None and held[i] else None
                )
                finish_day = start_day + timedelta(durations[i] - 1)
                es[i] = indexes[start_day]
                ef[i] = indexes[finish_day + _DAY]
                stretch[i] = (start_day, finish_day, start_day, finish_day)
            elif preds:
                duration = durations[i]
                at_end = False  # the project start and fixed starts are starts of days
                for p, from_finish, to_finish, lag in preds:
                    start = (ef[p] if from_finish else es[p]) + lag
                    if to_finish:
                        start -= duration
                    # A task's finish is the end of its last day and its start the start of
                    # its first; a milestone's point is read the way the milestone is dated.
                    point_ends_day = ends_day[p] if durations[p] == 0 else from_finish
                    if start > earliest:
                        earliest, at_end = start, point_ends_day
                    elif start == earliest:
                        at_end = at_end and point_ends_day  # the start of a day is later
                if duration == 0:
                    ends_day[i] = at_end
                es[i] = earliest
                ef[i] = earliest + duration
            else:
                es[i] = earliest
                ef[i] = earliest + durations[i]
        self.finish_index = finish_index = max(ef, default=start_index)
        self.first_day = days[start_index]
        # The last finish date is that of the latest boundary a finish is dated by (the day
        # before a task's finish boundary; a milestone's own day): dates rise with indexes.
        last_day = max(
            (
                ef[i] - 1 if durations[i] or ends_day[i] else ef[i]
                for i in range(n)
                if i not in moments
            ),
            default=None,
        )
        self.project_finish = self.first_day if last_day is None else days[last_day]
        if moments:  # clock time may end outside working hours, even on a non-working day
            self.project_finish = max(
                self.project_finish if last_day is not None else date.min,
                *(_finish_day(end) for _, end in moments.values()),
            )
            self.moments = moments
        if stretch:  # an elapsed task may finish on a later, non-working day
            self.project_finish = max(self.project_finish, *(f for _, f, _, _ in stretch.values()))
            self.stretch = stretch

        # Backward pass.
        lf = [finish_index] * n
        ls = [0] * n
        free = [0] * n
        for i in reversed(order):
            duration = durations[i]
            succs = outgoing[i]
            if i in stretch:
                ls[i], lf[i], free[i] = self._elapsed_late(i, succs, ls, lf)
            elif succs:
                latest = finish_index
                own_finish = ef[i]
                slack = finish_index - own_finish
                for s, from_finish, to_finish, lag in succs:
                    bound = (lf[s] if to_finish else ls[s]) - lag
                    if not from_finish:
                        bound += duration
                    if bound < latest:
                        latest = bound
                    gap = (
                        (ef[s] if to_finish else es[s])
                        - (own_finish if from_finish else es[i])
                        - lag
                    )
                    if gap < slack:
                        slack = gap
                lf[i] = latest
                ls[i] = latest - duration
                free[i] = slack
            else:
                ls[i] = finish_index - duration
                free[i] = finish_index - ef[i]
        self.ls, self.lf, self.free, self.ends_day = ls, lf, free, ends_day

    def _clocked_start(
        self,
        clock: WorkingTime,
        i: int,
        preds: list[tuple[int, bool, bool, int]],
        earliest: int,
        held: bool,
    ) -> datetime:
        """When task ``i``, lasting ``durations[i]`` minutes of clock time, may start: at the
        working boundary its links and start rule allow (a finish bound counts its clock time
        back from the moment the bound ends)."""
        if not held:
            es, ef, n = self.es, self.ef, self.durations[i]
            for p, from_finish, to_finish, lag in preds:
                start = (ef[p] if from_finish else es[p]) + lag
                if to_finish:
                    start = clock.boundary_at(clock.finish_moment(start) - timedelta(minutes=n))
                if start > earliest:
                    earliest = start
        return clock.start_moment(earliest)

    def _elapsed_start(
        self,
        i: int,
        preds: list[tuple[int, bool, bool, int]],
        floor: int,
        held: date | None,
    ) -> date:
        """The day elapsed task ``i`` starts: the working day its links and start rule allow,
        or the start it is `held` at (manual, Must Start On), though a non-working day."""
        if held is not None:  # links into a held task are not kept
            return held
        es, ef, n = self.es, self.ef, self.durations[i]
        earliest = floor
        for p, from_finish, to_finish, lag in preds:
            start = (ef[p] if from_finish else es[p]) + lag
            if to_finish:
                start = self._elapsed_start_for_finish(start, n)
            if start > earliest:
                earliest = start
        return self._days[earliest]

    def _elapsed_start_for_finish(self, boundary: int, n: int) -> int:
        """The first working boundary an n-calendar-day task can start at and still finish at
        or after ``boundary`` (its last day on or after the day before working day
        ``boundary``)."""
        return self._indexes[self._days[boundary - 1] + timedelta(1 - n)]

    def _elapsed_late(
        self, i: int, succs: list[tuple[int, bool, bool, int]], ls: list[int], lf: list[int]
    ) -> tuple[int, int, int]:
        """Late start and finish boundaries and free float of elapsed task ``i``: it may
        finish on any day before its successors' bound (a non-working day too), and at the
        latest on the project's finish date."""
        es, ef, days, indexes = self.es, self.ef, self._days, self._indexes
        n = self.durations[i]
        finish_by: int | None = None  # a finish boundary successors bound
        start_by: int | None = None
        slack = self.finish_index - ef[i]
        for s, from_finish, to_finish, lag in succs:
            bound = (lf[s] if to_finish else ls[s]) - lag
            if from_finish:
                finish_by = bound if finish_by is None else min(finish_by, bound)
            else:
                start_by = bound if start_by is None else min(start_by, bound)
            gap = (ef[s] if to_finish else es[s]) - (ef[i] if from_finish else es[i]) - lag
            slack = min(slack, gap)
        if finish_by is None or finish_by > self.finish_index:
            finish_by = self.finish_index
        # the day before the working day it must end by; within the project, which may end
        # before that (on a Friday) or on it (a wait ending on Sunday)
        last_day = days[finish_by] - _DAY
        if finish_by == self.finish_index and self.project_finish < last_day:
            last_day = self.project_finish
        # a working day n-1 days before
        latest = indexes[last_day - timedelta(n - 2)] - self.unit
        if start_by is not None and start_by < latest:
            latest = start_by
        stretch = self.stretch
        assert stretch is not None  # only elapsed tasks are asked
        early_start, early_finish, _, _ = stretch[i]
        if latest <= es[i]:  # critical, or held on a non-working start of its own
            return es[i], ef[i], slack
        late_start = days[latest]
        late_finish = late_start + timedelta(n - 1)
        stretch[i] = (early_start, early_finish, late_start, late_finish)
        return latest, indexes[late_finish + _DAY], slack

    def date_at(self, index: int) -> date:
        return self._days[index]

    def dated(self, i: int) -> tuple[tuple[date, date], tuple[int, int]]:
        """Task ``i``'s first and last day of work and how far into them its work starts and
        ends, in units of a day of `unit` (the end of a day is ``unit``)."""
        es, ef, unit, days = self.es[i], self.ef[i], self.unit, self._days
        if self.durations[i]:
            return (days[es], days[ef - 1]), (es % unit, (ef - 1) % unit + 1)
        if self.ends_day[i] and es % unit == 0:  # at the end of the day before
            return (days[es - 1],) * 2, (unit, unit)
        return (days[es],) * 2, (es % unit,) * 2

    def start_date(self, i: int, boundary: int) -> date:
        if self.durations[i] == 0 and self.ends_day[i]:
            return self.date_at(boundary - 1)
        return self.date_at(boundary)

    def finish_date(self, i: int, boundary: int) -> date:
        if self.durations[i] == 0:
            return self.start_date(i, boundary)
        return self.date_at(boundary - 1)

    def early_finish(self, i: int) -> date:
        """Task ``i``'s early finish date; an elapsed task's may be a non-working day."""
        if self.stretch is not None and i in self.stretch:
            return self.stretch[i][1]
        if self.moments is not None and i in self.moments:
            return _finish_day(self.moments[i][1])
        return self.finish_date(i, self.ef[i])

    def critical(self, i: int) -> bool:
        return self.ls[i] == self.es[i] and not self.done[i]

    def critical_tasks(self) -> list[int]:
        """Every critical task, by early start, early finish, then schedule order."""
        es, ef = self.es, self.ef
        rank = {i: n for n, i in enumerate(self.order)}
        found = sorted(
            (i for i in self.order if self.critical(i)), key=lambda i: (es[i], ef[i], rank[i])
        )
        return [self.ids[i] for i in found]

    def critical_path(self) -> list[int]:
        """One driving chain of critical tasks, first to last.

        A task ending at the last boundary and dated on the finish day ends the chain; it is
        critical (its late finish is that boundary too)."""
        ef, finish_index, finish = self.ef, self.finish_index, self.project_finish
        last = [i for i in self.order if ef[i] == finish_index and self.early_finish(i) == finish]
        if not last:
            return []
        current = last[-1]
        path = [current]
        ls, es = self.ls, self.es
        # an elapsed predecessor ending on a weekend can drive a task and still have float
        while (driver := self._driving_predecessor(current)) is not None and (
            ls[driver] == es[driver]
        ):
            path.append(driver)
            current = driver
        path.reverse()
        return [self.ids[i] for i in path if not self.done[i]]

    def _driving_predecessor(self, i: int) -> int | None:
        """A predecessor whose link holds task ``i`` exactly where it is (it is critical)."""
        es, ef, duration = self.es, self.ef, self.durations[i]
        elapsed = self.stretch is not None and i in self.stretch
        for p, from_finish, to_finish, lag in self._incoming[i]:
            start = (ef[p] if from_finish else es[p]) + lag
            if to_finish:
                start = (
                    self._elapsed_start_for_finish(start, duration) if elapsed else start - duration
                )
            if start == es[i]:
                return p
        return None


_DAY = timedelta(days=1)


def _finish_day(moment: datetime) -> date:
    """The day work ending at ``moment`` ends on: midnight ends the day before."""
    return moment.date() if moment.time() else (moment - _DAY).date()


class _DayAt(Protocol):
    def __getitem__(self, boundary: int, /) -> date: ...


class _IndexOf(Protocol):
    def __getitem__(self, day: date, /) -> int: ...


class _MinuteDays:
    """Boundary → date when a working day has ``unit`` boundaries: the day it falls in."""

    __slots__ = ("_dates", "_unit")

    def __init__(self, dates: Mapping[int, date], unit: int) -> None:
        self._dates, self._unit = dates, unit

    def __getitem__(self, boundary: int) -> date:
        return self._dates[boundary // self._unit]


class _MinuteIndexes:
    """Date → boundary when a working day has ``unit`` boundaries: the start of its day."""

    __slots__ = ("_indexes", "_unit")

    def __init__(self, indexes: Mapping[date, int], unit: int) -> None:
        self._indexes, self._unit = indexes, unit

    def __getitem__(self, day: date) -> int:
        return self._indexes[day] * self._unit


def _refuse_tasks(ids: list[int], durations: list[int]) -> None:
    """The first task listed twice or lasting less than nothing, as a ValidationError."""
    seen: set[int] = set()
    for tid, duration in zip(ids, durations, strict=True):
        if tid in seen:
            raise ValidationError("tasks", f"task id {tid} is listed twice")
        if duration < 0:
            raise ValidationError("duration", f"must not be negative, got {duration}")
        seen.add(tid)


def _topological_order(
    ids: list[int],
    waiting: list[int],
    successors: list[list[int]],
    links: list[Link],
    names: Callable[[], Mapping[int, str]],
) -> list[int]:
    """Kahn's algorithm over positions, stable in input order; a cycle becomes a
    ValidationError naming it. ``waiting[i]`` counts task i's predecessors (it is used up)."""
    ready = deque([i for i, count in enumerate(waiting) if not count])
    order: list[int] = []
    append, popleft, push = order.append, ready.popleft, ready.append
    while ready:
        i = popleft()
        append(i)
        for s in successors[i]:
            waiting[s] -= 1
            if not waiting[s]:
                push(s)
    if len(order) < len(ids):
        stuck = [ids[i] for i, count in enumerate(waiting) if count > 0]
        inside = set(stuck)
        cycle = find_cycle(
            stuck, [lk for lk in links if lk.predecessor in inside and lk.successor in inside]
        )
        raise ValidationError(
            FIELD, f"tasks form a dependency cycle: {_describe(cycle or stuck, names())}"
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


def describe_cycle(cycle: list[int], names: Mapping[int, str]) -> str:
    """A cycle as the refusals name it (`_describe`), for checks made outside this module."""
    return _describe(cycle, names)


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


@dataclass(frozen=True, slots=True)
class Finishes:
    """A project's leaves' latest finishes, whatever the day: stored with its schedule, so
    a day's outlook needs only that day's late leaves."""

    done: date | None  # of the leaves done, when they did
    open: date | None  # of the others, as scheduled
    baseline: date | None

    def forecast(self, today: date, late: int) -> date | None:
        """The latest forecast finish of the leaves (`queries.schedule.ScheduledTask`),
        `late` of which are not done and past their finish: they end today at the earliest."""
        days = [d for d in (self.done, self.open) if d is not None]
        if late:
            days.append(today)
        return max(days, default=None)
