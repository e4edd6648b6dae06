"""The scheduled dates of projects' tasks: the one truth every screen, report and export reads.

The Timeline's schedule (links, lags, the project's holidays; `domain/plan.py`) is what a PM
sees, so the Projects slip, the next milestone, health, the task form, reports and exports
read the dates from here rather than the stored planned dates (which are only each task's
"start no earlier than" and length). Schedules are stored in the database
(`storage.schedule_store`, kept honest by triggers): `load_schedules` reads a fresh one in one
query and schedules only a stale one (plain Python per project, four queries for all of them),
storing the result when it may write. Every service transaction stores the schedules its
writes made stale before it commits (`refresh_stored`), so after any write the store is fresh.
A project whose inputs are exactly those it was last scheduled from in this process is not
scheduled again (`_CACHE`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, String, select, type_coerce
from sqlalchemy.orm import Session
from sqlmodel import col

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.plan import PlanTask, plan_project
from itpm_tui.domain.schedule import Finishes, Link, is_late
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import STANDARD_HOURS, WorkingHours, parse_working_hours
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Dependency, Holiday, Project, Task

DONE = TaskStatus.DONE.value


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class ScheduledTask:
    """A task with its stored plan and its scheduled (early) dates; a summary spans its tasks."""

    id: int
    parent_id: int | None
    wbs: str
    name: str
    is_summary: bool
    is_milestone: bool
    status: str
    percent: int
    planned_start: date | None  # as stored: the start no earlier than
    planned_finish: date | None
    start: date | None  # scheduled
    finish: date | None
    baseline_start: date | None
    baseline_finish: date | None
    actual_finish: date | None
    critical: bool
    is_elapsed: bool = False  # lasts calendar days ("10ed"): its dates may be non-working
    #: In a plan scheduled in working minutes: the clock time its work starts when not the
    #: day's first hour, and ends when not the day's last (`edge_clocks`); else None.
    start_time: time | None = None
    finish_time: time | None = None

    @property
    def done(self) -> bool:
        return self.status == DONE

    def late(self, today: date) -> bool:
        """Past its scheduled finish and not done (summaries are never late themselves)."""
        return not self.is_summary and is_late(self.finish, self.done, today)

    def forecast_finish(self, today: date) -> date | None:
        """When it ends as things stand: a done task when it did, a late one today at the
        earliest, any other when scheduled."""
        if self.done:
            return self.actual_finish or self.finish
        if self.finish is not None and self.finish < today:
            return today
        return self.finish

    @property
    def open_kind(self) -> int:
        """As stored (`TaskSchedule.open_kind`): a leaf not done, 1 a task, 2 a milestone;
        else 0."""
        if self.is_summary or self.done:
            return 0
        return 2 if self.is_milestone else 1


@dataclass(frozen=True)
class ProjectSchedule:
    project_id: int
    tasks: tuple[ScheduledTask, ...]  # outline order
    holidays: tuple[date, ...]
    critical_path: tuple[int, ...] = ()
    error: str = ""  # links that cannot be scheduled (a cycle): the tasks keep their plan

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.holidays)

    def by_id(self) -> dict[int, ScheduledTask]:
        return {t.id: t for t in self.tasks}

    @property
    def leaves(self) -> tuple[ScheduledTask, ...]:
        return tuple(t for t in self.tasks if not t.is_summary)

    def forecast_finish(self, today: date) -> date | None:
        """The latest forecast finish of the leaves (see `ScheduledTask.forecast_finish`)."""
        days = [d for t in self.leaves if (d := t.forecast_finish(today)) is not None]
        return max(days, default=None)

    def baseline_finish(self) -> date | None:
        return max((t.baseline_finish for t in self.leaves if t.baseline_finish), default=None)

    def next_milestone(self) -> ScheduledTask | None:
        """The soonest scheduled milestone not reached yet (outline order breaks a tie)."""
        open_ones = [t for t in self.leaves if t.is_milestone and not t.done and t.finish]
        return min(open_ones, key=lambda t: t.finish or date.max, default=None)

    def late(self, today: date) -> list[ScheduledTask]:
        return [t for t in self.leaves if t.late(today)]

    def finishes(self) -> Finishes:
        """The leaves' latest finishes (see `Finishes`), in one pass."""
        done = open_ = baseline = None
        for t in self.tasks:
            if t.is_summary:
                continue
            if t.done:
                end = t.actual_finish or t.finish
                if end is not None and (done is None or end > done):
                    done = end
            elif t.finish is not None and (open_ is None or t.finish > open_):
                open_ = t.finish
            b = t.baseline_finish
            if b is not None and (baseline is None or b > baseline):
                baseline = b
        return Finishes(done, open_, baseline)

    def outlook(self, today: date) -> Outlook:
        """What the Projects row needs (the same rules as `forecast_finish`,
        `baseline_finish`, `late` and `next_milestone`), in two passes over the leaves."""
        late_tasks = late_milestones = 0
        upcoming: ScheduledTask | None = None
        for t in self.tasks:
            if t.is_summary or t.done or t.finish is None:
                continue
            if t.finish < today:
                if t.is_milestone:
                    late_milestones += 1
                else:
                    late_tasks += 1
            if t.is_milestone and (upcoming is None or t.finish < (upcoming.finish or date.max)):
                upcoming = t
        finishes = self.finishes()
        forecast = finishes.forecast(today, late_tasks + late_milestones)
        return Outlook(forecast, finishes.baseline, late_tasks, late_milestones, upcoming)


@dataclass(frozen=True, slots=True)
class Outlook:
    forecast_finish: date | None
    baseline_finish: date | None
    late_tasks: int  # milestones apart
    late_milestones: int
    next_milestone: ScheduledTask | None


def project_schedule(db: Database, project_id: int) -> ProjectSchedule | None:
    """One project's scheduled tasks; None if it does not exist."""
    with db.read() as session:
        return load_schedules(session, [project_id]).get(project_id)


def project_schedules(
    db: Database, project_ids: Collection[int] | None = None
) -> dict[int, ProjectSchedule]:
    """Every project's (or those of `project_ids`) scheduled tasks, by project id."""
    with db.read() as session:
        return load_schedules(session, project_ids)


def load_schedules(
    session: Session | Any,
    project_ids: Collection[int] | None = None,
    replan: Mapping[int, tuple[date | None, date | None]] | None = None,
) -> dict[int, ProjectSchedule]:
    """The projects' schedules inside an open session (a read or a write transaction).

    A project whose stored schedule is fresh (`storage.schedule_store`) is read as stored, in
    one query for all of them; any other is scheduled now from its inputs (four queries
    whatever the number of projects and tasks), and stored when the session may write
    (`Database.write`), so the next reader finds it fresh. `replan` gives some tasks other
    stored (planned start, planned finish) dates: what the schedule would be if they were
    saved — scheduled, never stored."""
    with paused_gc():  # tens of thousands of rows and tuples, none in a cycle
        return _load_schedules(session, project_ids, replan)


def _load_schedules(
    session: Session | Any,
    project_ids: Collection[int] | None,
    replan: Mapping[int, tuple[date | None, date | None]] | None,
) -> dict[int, ProjectSchedule]:
    from itpm_tui.storage import schedule_store

    def scoped(query: Any, column: Any, ids: Collection[int] | None = project_ids) -> Any:
        return query if ids is None else query.where(column.in_(list(ids)))

    # an ORM query first: it flushes the session's pending writes, which the triggers count
    starts: dict[int, tuple[date | None, str]] = {
        int(pid): (start, hours)
        for pid, start, hours in session.execute(
            scoped(
                select(col(Project.id), col(Project.start_date), col(Project.work_hours)),
                col(Project.id),
            )
        )
    }
    connection = session.connection()
    trusted = not replan and schedule_store.trusted(connection)
    states = schedule_store.states(connection, project_ids) if trusted else {}
    fresh = {pid for pid in starts if (st := states.get(pid)) is not None and st.fresh}
    stale = [pid for pid in starts if pid not in fresh]

    holiday_q = select(col(Holiday.project_id), col(Holiday.day))
    if project_ids is not None:
        holiday_q = holiday_q.where(
            col(Holiday.project_id).is_(None) | col(Holiday.project_id).in_(list(project_ids))
        )
    common: set[date] = set()
    own: dict[int, set[date]] = {}
    for pid, day in session.execute(holiday_q):
        (common if pid is None else own.setdefault(pid, set())).add(day)

    out: dict[int, ProjectSchedule] = {}
    if fresh:
        out.update(_stored(connection, fresh, states, common, own))
    if stale:
        ids = None if project_ids is None and not fresh else stale
        out.update(_scheduled(session, ids, stale, starts, common, own, replan))
        if trusted and session.info.get(schedule_store.WRITABLE):
            schedule_store.store(
                connection, [_stored_form(out[pid], states.get(pid)) for pid in stale]
            )
    return {pid: out[pid] for pid in starts}


def refresh_stored(session: Session | Any) -> int:
    """Store the schedule of every project whose stored one is stale, in this write session;
    the number of projects scheduled. Cheap when all are fresh (one query)."""
    from itpm_tui.storage import schedule_store

    connection = session.connection()
    if not schedule_store.trusted(connection):
        return 0
    session.flush()
    stale = schedule_store.stale_project_ids(connection)
    if stale:
        info = session.info
        writable = info.get(schedule_store.WRITABLE)
        info[schedule_store.WRITABLE] = True
        try:
            load_schedules(session, stale)
        finally:
            info[schedule_store.WRITABLE] = writable
    return len(stale)


def _stored_form(schedule: ProjectSchedule, state: Any) -> Any:
    """The schedule as `storage.schedule_store` keeps it, computed at the inputs revision
    `state` read (the first when the project has none yet)."""
    from itpm_tui.storage.schedule_store import Stored

    finishes = schedule.finishes()
    return Stored(
        schedule.project_id,
        state.inputs_revision if state is not None else 1,
        schedule.tasks,  # each a `schedule_store.ScheduledRow` as it is
        tuple(schedule.critical_path),
        schedule.error,
        (finishes.done, finishes.open, finishes.baseline),
    )


def _stored(
    connection: Any,
    project_ids: Collection[int],
    states: Mapping[int, Any],
    common: set[date],
    own: dict[int, set[date]],
) -> dict[int, ProjectSchedule]:
    """Fresh projects as stored: the task's own columns joined with its stored schedule.

    Only SQLite stores trusted schedules, so this reads through the driver's own cursor
    (a portfolio is 100,000 rows: no per-row layer); dates come as ISO text."""
    ids = sorted(project_ids)
    driver = connection.connection.driver_connection
    rows = driver.execute(
        "SELECT s.project_id, t.id, t.parent_id, s.wbs, t.name, s.is_summary, t.is_milestone,"
        " t.status, s.percent, t.planned_start, t.planned_finish, s.start, s.finish,"
        " s.baseline_start, s.baseline_finish, t.actual_finish, s.critical, t.is_elapsed,"
        " s.start_time, s.finish_time FROM taskschedule s JOIN task t ON t.id = s.task_id"
        f" WHERE s.project_id IN ({', '.join('?' * len(ids))})"
        " ORDER BY s.project_id, s.position",
        ids,
    ).fetchall()
    tasks: dict[int, list[ScheduledTask]] = {pid: [] for pid in ids}
    day = _Days()
    clock = _Clocks()
    for pid, tid, parent, wbs, name, summary, milestone, status, percent, *rest in rows:
        *dates, crit, ed, at, until = rest
        tasks[pid].append(
            ScheduledTask(
                tid,
                parent,
                wbs,
                name,
                bool(summary),
                bool(milestone) and not summary,
                status,
                percent,
                day[dates[0]],
                day[dates[1]],
                day[dates[2]],
                day[dates[3]],
                day[dates[4]],
                day[dates[5]],
                day[dates[6]],
                bool(crit),
                bool(ed) and not summary and not milestone,
                clock[at],
                clock[until],
            )
        )
    return {
        pid: ProjectSchedule(
            project_id=pid,
            tasks=tuple(tasks[pid]),
            holidays=tuple(sorted(common | own.get(pid, set()))),
            critical_path=states[pid].critical_path,
            error=states[pid].error,
        )
        for pid in ids
    }


class _Days(dict[Any, date | None]):
    """ISO text → date, each text parsed once: a portfolio repeats its dates a lot."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, key: Any) -> date | None:
        found = self[key] = _as_date(key)
        return found


class _Clocks(dict[Any, time | None]):
    """Stored clock text (`13:00:00`) → time, each text parsed once."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, key: Any) -> time | None:
        found = self[key] = time.fromisoformat(str(key))
        return found


def edge_clocks(
    hours: WorkingHours, start: time | None, finish: time | None
) -> tuple[time | None, time | None]:
    """The scheduled clock times worth showing beside the dates: a start that is not the
    day's first hour, a finish that is not its last (a task of whole days shows none; clock
    time after hours, a 19:00 to 23:00 cut-over, shows both)."""
    if start is not None and start == hours.start_clock(0):
        start = None
    if finish is not None and finish == hours.finish_clock(hours.minutes_per_day):
        finish = None
    return start, finish


def _scheduled(
    session: Session | Any,
    ids: Collection[int] | None,
    wanted: Collection[int],
    starts: Mapping[int, tuple[date | None, str]],
    common: set[date],
    own: dict[int, set[date]],
    replan: Mapping[int, tuple[date | None, date | None]] | None,
) -> dict[int, ProjectSchedule]:
    """Schedule the `wanted` projects from their inputs (`ids`: their ids, or None for all)."""

    def scoped(query: Any, column: Any) -> Any:
        return query if ids is None else query.where(column.in_(list(ids)))

    # Core columns as stored (dates as text on SQLite, flags as 0 and 1): comparing a
    # project's rows with those it was last scheduled from is then cheap, only a changed
    # project parses its dates, and no value passes through a per-row type processor.
    t = _TASK
    task_rows = (
        session.connection()
        .execute(
            scoped(
                select(
                    t.c.project_id,
                    t.c.id,
                    t.c.parent_id,
                    t.c.wbs,
                    t.c.name,
                    type_coerce(t.c.is_milestone, Integer),
                    t.c.status,
                    t.c.percent_complete,
                    *(type_coerce(t.c[name], String) for name in _DATE_COLUMNS),
                    type_coerce(t.c.is_manual, Integer),
                    t.c.constraint_kind,
                    type_coerce(t.c.constraint_date, String),
                    type_coerce(t.c.is_elapsed, Integer),
                    t.c.work_minutes,
                    type_coerce(t.c.start_time, String),  # parsed only when set
                ),
                t.c.project_id,
            ).order_by(t.c.project_id, t.c.sort_order, t.c.id)
        )
        .all()
    )
    link_rows = session.connection().execute(scoped(_LINKS, t.c.project_id)).all()

    values: Iterable[tuple[Any, ...]] = map(tuple, task_rows)
    if replan:
        values = [
            (*r[:8], *map(_iso, replan[r[1]]), *r[10:]) if r[1] in replan else r for r in values
        ]
    tasks = {pid: list(rows) for pid, rows in groupby(values, itemgetter(0))}  # by project
    links: dict[int, list[Link]] = {}
    for pid, pred, succ_id, kind, lag, minutes in link_rows:
        link = Link(int(pred), int(succ_id), str(kind), int(lag), minutes)
        links.setdefault(pid, []).append(link)

    out: dict[int, ProjectSchedule] = {}
    calendars: dict[frozenset[date], WorkCalendar] = {}
    day = _Days()
    clock = _Clocks()
    cache = _CACHE
    for pid in wanted:
        project_start, hours_text = starts[pid]
        days = frozenset(common | own.get(pid, set()))
        rows, project_links = tasks.get(pid, []), links.get(pid, [])
        key = (tuple(rows), tuple(project_links), project_start, days, hours_text)
        cached = cache.get(pid)
        if cached is not None and cached[0] == key:
            out[pid] = cached[1]
            continue
        calendar = calendars.get(days)
        if calendar is None:
            calendar = calendars[days] = WorkCalendar(days)
        out[pid] = schedule_rows(
            pid, rows, project_links, project_start, calendar, day, clock, days,
            stored_hours(hours_text),
        )  # fmt: skip
        if not replan:
            cache[pid] = (key, out[pid])
    return out


_DATE_COLUMNS = (
    "planned_start",
    "planned_finish",
    "baseline_start",
    "baseline_finish",
    "actual_finish",
)


_TASK, _LINK = Task.__table__, Dependency.__table__  # type: ignore[attr-defined]
#: (project id, predecessor, successor, type, lag, lag minutes) of every link into a task, in
#: the order they were made: Core columns, as the task rows are read (a portfolio has
#: thousands).
_LINKS = (
    select(
        _TASK.c.project_id,
        _LINK.c.predecessor_id,
        _LINK.c.successor_id,
        _LINK.c.kind,
        _LINK.c.lag_days,
        _LINK.c.lag_minutes,
    )
    .join(_TASK, _LINK.c.successor_id == _TASK.c.id)
    .order_by(_LINK.c.id)
)


def project_links(session: Session | Any, project_id: int) -> list[Link]:
    """The links into one project's tasks, in the order they were made."""
    session.flush()  # a Core read: the links this transaction added, sent first
    rows = session.connection().execute(_LINKS.where(_TASK.c.project_id == project_id))
    return [Link(int(p), int(s), str(k), int(lag), m) for _, p, s, k, lag, m in rows]


_ZERO = Decimal(0)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@lru_cache(maxsize=64)
def stored_hours(text: str) -> WorkingHours:
    """A project's stored working hours ("" is the standard day). Every write checks them
    (`domain.projects.validate_project`); a value that does not read (a database edited by
    hand) schedules on the standard day rather than failing every screen that reads it."""
    try:
        return parse_working_hours(text or "")
    except ValidationError:
        return STANDARD_HOURS


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


#: Project id → (the stored inputs, the schedule made from them). Only exactly equal inputs
#: reuse a schedule — whatever the database — so it cannot go stale; it saves the dashboards
#: rescheduling every project each time one changes.
_CACHE: dict[int, tuple[Any, ProjectSchedule]] = {}


def schedule_rows(
    project_id: int,
    rows: list[Any],
    links: list[Link],
    project_start: date | None,
    calendar: WorkCalendar,
    day: Mapping[Any, date | None],
    clock: Mapping[Any, time | None],
    holidays: Collection[date] = (),
    hours: WorkingHours = STANDARD_HOURS,
) -> ProjectSchedule:
    """Rows of (project_id, id, parent_id, wbs, name, is_milestone, status, percent,
    planned_start, planned_finish, baseline_start, baseline_finish, actual_finish, is_manual,
    constraint_kind, constraint_date, is_elapsed, work_minutes, start_time) in sort order →
    the project's schedule, within the working `hours` of each day. Dates and the start time
    are read through `day` and `clock` (`_Days`, `_Clocks`: stored text to values).

    Rows and tasks are built with positional arguments: keywords cost three times as much,
    and a portfolio's import schedules 10,000 of each."""
    zero = _ZERO
    # PlanTask's fields in order: id, parent_id, name, wbs, is_milestone, percent_complete,
    # planned_start, planned_finish, baseline_start, baseline_finish, actual_start,
    # actual_finish, estimate_hours, remaining_hours, assignee_id, description, done,
    # is_manual, is_elapsed, constraint_kind, constraint_date, deadline, earliest_start,
    # earliest_finish, work_minutes, start_time.
    tasks: list[PlanTask] = []
    add = tasks.append
    for r in rows:
        add(PlanTask(
            r[1], r[2], r[4], r[3] or "", bool(r[5]), int(r[7]),
            day[r[8]], day[r[9]], day[r[10]], day[r[11]], None,
            day[r[12]], zero, zero, None, "", r[6] == DONE,
            bool(r[13]), bool(r[16]), r[14], day[r[15]], None, None,
            None, r[17], clock[r[18]],
        ))  # fmt: skip
    stored = {t.id: (t, r[6]) for t, r in zip(tasks, rows, strict=True)}
    plan = plan_project(tasks, links, project_start, calendar, hours)
    scheduled: list[ScheduledTask] = []
    append = scheduled.append
    for p in plan.tasks:
        t, status = stored[p.id]
        at = until = None
        if p.start_time is not None or p.finish_time is not None:  # a plan in minutes
            at, until = edge_clocks(hours, p.start_time, p.finish_time)
        # ScheduledTask's fields in order (see the class).
        append(ScheduledTask(
            p.id, t.parent_id, p.wbs, t.name, p.is_summary,
            t.is_milestone and not p.is_summary, status, p.percent,
            t.planned_start, t.planned_finish, p.start, p.finish,
            p.baseline_start, p.baseline_finish, t.actual_finish, p.critical,
            p.elapsed, at, until,
        ))  # fmt: skip
    return ProjectSchedule(
        project_id=project_id,
        tasks=tuple(scheduled),
        holidays=tuple(sorted(holidays)),
        critical_path=tuple(plan.critical_path),
        error=plan.schedule_error,
    )
