"""Read models for the Timeline screen: one project's work breakdown with its schedule, and the
portfolio roadmap (one span per project).

The query loads the rows; `domain/plan.py` schedules the leaves and rolls the outline up.
Everything returned is plain data for the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import String, or_, select, type_coerce
from sqlmodel import col

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import date_warnings
from itpm_tui.domain.enums import Health, TaskStatus
from itpm_tui.domain.plan import PlanTask, plan_project
from itpm_tui.domain.predecessors import lag_text
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.schedule import Link, is_late
from itpm_tui.domain.work_hours import STANDARD_HOURS, WorkingHours
from itpm_tui.queries.choices import ProjectChoice as ProjectChoice
from itpm_tui.queries.choices import project_choices as project_choices
from itpm_tui.queries.downtime import DowntimeView, effective_windows, stored_windows
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.queries.schedule import (
    _Clocks,
    _Days,
    edge_clocks,
    load_schedules,
    project_links,
    stored_hours,
)
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Holiday, Person, Project, Task


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class LinkView:
    """One end of a dependency as the other task sees it: "1.2 Install FS+2"."""

    task_id: int
    wbs: str
    name: str
    kind: str = "FS"
    lag: int = 0
    lag_minutes: int | None = None  # the lag in working minutes when not whole days

    @property
    def code(self) -> str:
        """The form's notation: WBS code, then the type unless plain FS, then the lag."""
        return link_code(self.wbs, self.kind, self.lag, self.lag_minutes)


def link_code(ref: str, kind: str, lag: int, lag_minutes: int | None = None) -> str:
    """`1.2`, `1.2SS`, `1.2FS+2`, `1.2FS+4h`: as the predecessors field reads it."""
    lag_part = lag_text(lag, lag_minutes, STANDARD_HOURS.minutes_per_day)
    kind_part = "" if kind == "FS" and not lag_part else kind
    return f"{ref}{kind_part}{lag_part}"


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class TimelineTask:
    id: int
    parent_id: int | None
    wbs: str
    name: str
    level: int
    is_summary: bool
    is_milestone: bool
    assignee_id: int | None
    assignee: str
    status: str
    percent: int
    planned_start: date | None
    planned_finish: date | None
    start: date | None  # the scheduled (early) dates; a summary spans its children
    finish: date | None
    baseline_start: date | None
    baseline_finish: date | None
    duration: int  # working days (calendar days when elapsed); 0 for milestones
    critical: bool
    total_float: int | None
    needs_downtime: bool
    version: int
    slip_days: int | None  # working days the finish is past the baseline finish; None: none
    predecessors: tuple[LinkView, ...] = ()
    successors: tuple[LinkView, ...] = ()
    is_manual: bool = False  # held at its planned dates: links do not push it
    is_elapsed: bool = False  # `duration` counts calendar days (typed "10ed")
    constraint_kind: str = ""  # "", MSO or FNLT: `domain.constraints`
    constraint_date: date | None = None
    deadline: date | None = None
    #: Set when the project is scheduled in working minutes (`PlannedTask`): its working
    #: minutes, the clock times its work starts and ends when not the day's first and last
    #: hour (`queries.schedule.edge_clocks`), its total float in minutes.
    work_minutes: int | None = None
    start_time: time | None = None
    finish_time: time | None = None
    float_minutes: int | None = None

    def warnings(self) -> list[str]:
        """What the schedule breaks: a Finish No Later Than, a deadline (a summary's own)."""
        return date_warnings(self.constraint_kind, self.constraint_date, self.deadline, self.finish)

    def late(self, today: date) -> bool:
        """Past its scheduled finish and not done (a summary is never late itself)."""
        done = self.status == TaskStatus.DONE.value
        return not self.is_summary and is_late(self.finish, done, today)


@dataclass(frozen=True)
class ProjectTimeline:
    project_id: int
    code: str
    name: str
    version: int
    start: date | None
    finish: date | None
    baseline_start: date | None
    baseline_end: date | None
    baseline_set_on: date | None
    tasks: list[TimelineTask]
    downtime: list[DowntimeView]
    holidays: list[date]
    critical_path: list[int] = field(default_factory=list)
    schedule_error: str = ""  # stored links that cannot be scheduled (a cycle), in words
    #: Every stored link (predecessor, successor), even those the schedule ignores (a link
    #: to a summary): what deleting a task takes with it.
    links: tuple[tuple[int, int], ...] = ()
    hours: WorkingHours = STANDARD_HOURS  # the working hours of each working day

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.holidays)

    def by_id(self) -> dict[int, TimelineTask]:
        return {t.id: t for t in self.tasks}

    def wbs_index(self) -> dict[str, int]:
        """WBS code → task id, for reading predecessors typed as WBS codes."""
        index: dict[str, int] = {}
        for task in self.tasks:
            if task.wbs:
                index.setdefault(task.wbs, task.id)
        return index


@dataclass(frozen=True, slots=True)
class RoadmapRow:
    id: int
    code: str
    name: str
    manager: str
    status: str
    health: Health | None
    health_reason: str
    percent: int
    slip_days: int | None
    start: date | None
    finish: date | None
    baseline_start: date | None
    baseline_finish: date | None
    milestones: tuple[date, ...] = ()


def load_timeline(db: Database, project_id: int) -> ProjectTimeline | None:
    """The project's tasks in outline order with their schedule; None if it does not exist."""
    with paused_gc():  # thousands of rows and tuples, none in a cycle
        return _load_timeline(db, project_id)


def _load_timeline(db: Database, project_id: int) -> ProjectTimeline | None:
    p = Project.__table__  # type: ignore[attr-defined]
    t = Task.__table__  # type: ignore[attr-defined]
    person = Person.__table__  # type: ignore[attr-defined]
    with db.read() as session:
        info = session.execute(
            select(
                p.c.code,
                p.c.name,
                p.c.version,
                p.c.start_date,
                p.c.baseline_start,
                p.c.baseline_end,
                p.c.baseline_set_on,
                p.c.work_hours,
            ).where(p.c.id == project_id)
        ).first()
        if info is None:
            return None
        # Core rows, dates as stored (ISO text on SQLite, parsed once each by `_Days`): a
        # 10,000-task project is read without an ORM entity per task.
        task_rows = session.execute(
            select(
                *(t.c[name] for name in _TASK_COLUMNS),
                *(type_coerce(t.c[name], String) for name in _TASK_DATES),
                person.c.name,
                t.c.work_minutes,
                type_coerce(t.c.start_time, String),  # parsed only when set
            )
            .select_from(t.outerjoin(person, t.c.assignee_id == person.c.id))
            .where(t.c.project_id == project_id)
            .order_by(t.c.sort_order, t.c.id)
        ).all()
        links = project_links(session, project_id)
        windows = stored_windows(session, project_id)
        holidays = sorted(
            set(
                session.execute(
                    select(col(Holiday.day)).where(
                        or_(
                            col(Holiday.project_id) == project_id,
                            col(Holiday.project_id).is_(None),
                        )
                    )
                ).scalars()
            )
        )

    calendar = WorkCalendar(holidays)
    hours = stored_hours(info[7])
    day = _Days()
    clock = _Clocks()
    # the order of _TASK_COLUMNS, then _TASK_DATES, then the assignee's name
    tasks = [
        _Stored(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            bool(r[10]),
            bool(r[11]),
            r[12] or "",
            day[r[13]],
            day[r[14]],
            day[r[15]],
            day[r[16]],
            day[r[17]],
            day[r[18]],
            r[19] or "",
            r[20],
            clock[r[21]],
        )
        for r in task_rows
    ]
    built, path, error = _build(tasks, links, info[3], calendar, hours)
    starts = [t.start for t in built if t.start]
    finishes = [t.finish for t in built if t.finish]
    return ProjectTimeline(
        project_id=project_id,
        code=info[0],
        name=info[1],
        version=info[2],
        start=min(starts, default=info[3]),
        finish=max(finishes, default=None),
        baseline_start=info[4],
        baseline_end=info[5],
        baseline_set_on=info[6],
        tasks=built,
        downtime=effective_windows(windows, {t.id: t.start for t in built}),
        holidays=holidays,
        critical_path=path,
        schedule_error=error,
        links=tuple((link.predecessor, link.successor) for link in links),
        hours=hours,
    )


_TASK_COLUMNS = (
    "id",
    "parent_id",
    "name",
    "wbs",
    "is_milestone",
    "percent_complete",
    "status",
    "assignee_id",
    "needs_downtime",
    "version",
    "is_manual",
    "is_elapsed",
    "constraint_kind",
)
_TASK_DATES = (
    "planned_start",
    "planned_finish",
    "baseline_start",
    "baseline_finish",
    "constraint_date",
    "deadline",
)


@dataclass(slots=True)
class _Stored:
    """One stored task as the Timeline reads it (a Core row, dates parsed)."""

    id: int
    parent_id: int | None
    name: str
    wbs: str | None
    is_milestone: bool
    percent_complete: int
    status: str
    assignee_id: int | None
    needs_downtime: bool
    version: int
    is_manual: bool
    is_elapsed: bool
    constraint_kind: str
    planned_start: date | None
    planned_finish: date | None
    baseline_start: date | None
    baseline_finish: date | None
    constraint_date: date | None
    deadline: date | None
    assignee: str
    work_minutes: int | None
    start_time: time | None


def plan_task(t: Task | _Stored) -> PlanTask:
    """A stored task (an ORM entity or a Timeline row) as what `plan_project` reads."""
    return PlanTask(
        id=int(t.id),  # type: ignore[arg-type]
        parent_id=t.parent_id,
        name=t.name,
        wbs=t.wbs or "",
        is_milestone=bool(t.is_milestone),
        percent_complete=t.percent_complete,
        planned_start=t.planned_start,
        planned_finish=t.planned_finish,
        baseline_start=t.baseline_start,
        baseline_finish=t.baseline_finish,
        done=t.status == TaskStatus.DONE.value,
        is_manual=bool(t.is_manual),
        is_elapsed=bool(t.is_elapsed),
        constraint_kind=t.constraint_kind or "",
        constraint_date=t.constraint_date,
        work_minutes=t.work_minutes,
        start_time=t.start_time,
    )


def _build(
    rows: list[_Stored],
    links: list[Link],
    project_start: date | None,
    calendar: WorkCalendar,
    hours: WorkingHours,
) -> tuple[list[TimelineTask], list[int], str]:
    """Stored rows → plain values for `plan_project`, and its answer → the screen's rows."""
    stored = {t.id: t for t in rows}
    plan = plan_project(
        [plan_task(t) for t in stored.values()],
        links,
        project_start,
        calendar,
        hours,
    )
    info = {p.id: (p.wbs, stored[p.id].name) for p in plan.tasks}

    def view(task_id: int, link: Link) -> LinkView:
        return LinkView(task_id, *info[task_id], link.kind, link.lag, link.lag_minutes)

    built = []
    for p in plan.tasks:
        task = stored[p.id]
        at = until = None
        if p.start_time is not None or p.finish_time is not None:  # a plan in minutes
            at, until = edge_clocks(hours, p.start_time, p.finish_time)
        built.append(
            TimelineTask(
                id=p.id,
                parent_id=task.parent_id,
                wbs=p.wbs,
                name=task.name,
                level=p.level,
                is_summary=p.is_summary,
                is_milestone=bool(task.is_milestone) and not p.is_summary,
                assignee_id=task.assignee_id,
                assignee=task.assignee,
                status=task.status,
                percent=p.percent,
                planned_start=task.planned_start,
                planned_finish=task.planned_finish,
                start=p.start,
                finish=p.finish,
                baseline_start=p.baseline_start,
                baseline_finish=p.baseline_finish,
                duration=p.duration,
                critical=p.critical,
                total_float=p.total_float,
                needs_downtime=bool(task.needs_downtime),
                version=task.version,
                slip_days=p.slip_days,
                predecessors=tuple(view(link.predecessor, link) for link in p.predecessors),
                successors=tuple(view(link.successor, link) for link in p.successors),
                is_manual=bool(task.is_manual) and not p.is_summary,
                is_elapsed=p.elapsed,
                constraint_kind=task.constraint_kind,
                constraint_date=task.constraint_date,
                deadline=task.deadline,
                work_minutes=p.work_minutes,
                start_time=at,
                finish_time=until,
                float_minutes=p.float_minutes,
            )
        )
    return built, plan.critical_path, plan.schedule_error


@dataclass(frozen=True)
class ProjectCalendar:
    milestone_finished: dict[int, date | None]  # milestone id → its actual finish


def load_project_calendar(db: Database, project_id: int) -> ProjectCalendar:
    """What a calendar export needs beyond the timeline: when milestones were actually
    reached (the downtime windows, moved with their tasks, are the timeline's own)."""
    with db.read() as session:
        finished = session.execute(
            select(col(Task.id), col(Task.actual_finish)).where(
                col(Task.project_id) == project_id,
                col(Task.is_milestone) == True,  # noqa: E712
            )
        ).all()
    return ProjectCalendar({int(tid): day for tid, day in finished})


def load_roadmap(
    db: Database, today: date, thresholds: RiskThresholds = RiskThresholds()
) -> list[RoadmapRow]:
    """One row per active project: its span, baseline span, progress, health and milestones."""
    rows = portfolio(db, today, thresholds=thresholds)
    with db.read() as session:
        # The scheduled dates, as each project's chart draws them (one truth for dates).
        plans = load_schedules(session, [row.id for row in rows])
        own = {
            pid: (start, end, b_start, b_end)
            for pid, start, end, b_start, b_end in session.execute(
                select(
                    col(Project.id),
                    col(Project.start_date),
                    col(Project.end_date),
                    col(Project.baseline_start),
                    col(Project.baseline_end),
                )
            )
        }
    spans: dict[int, tuple[date | None, ...]] = {}
    milestones: dict[int, list[date]] = {}
    for pid, plan in plans.items():
        leaves = plan.leaves
        spans[pid] = (
            min((t.start for t in leaves if t.start), default=None),
            max((t.finish for t in leaves if t.finish), default=None),
            min((t.baseline_start for t in leaves if t.baseline_start), default=None),
            max((t.baseline_finish for t in leaves if t.baseline_finish), default=None),
        )
        milestones[pid] = sorted(t.finish for t in leaves if t.is_milestone and t.finish)
    out = []
    for row in rows:
        span = spans.get(row.id, (None, None, None, None))
        mine = own.get(row.id, (None, None, None, None))
        out.append(
            RoadmapRow(
                id=row.id,
                code=row.code,
                name=row.name,
                manager=row.manager,
                status=row.status,
                health=row.health,
                health_reason=row.health_reason,
                percent=row.percent_complete,
                slip_days=row.slip_days,
                start=_as_date(span[0]) or mine[0],
                finish=_as_date(span[1]) or mine[1],
                baseline_start=mine[2] or _as_date(span[2]),
                baseline_finish=mine[3] or _as_date(span[3]),
                milestones=tuple(milestones.get(row.id, ())),
            )
        )
    out.sort(key=lambda r: (r.start is None, r.start or date.max, r.code))
    return out


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
