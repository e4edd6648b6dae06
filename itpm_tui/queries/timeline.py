"""Read models for the Timeline screen: one project's work breakdown with its schedule, and the
portfolio roadmap (one span per project).

The schedule is computed here with the critical path method of `domain/schedule.py`: each leaf
task lasts the working days from its planned start to its planned finish (a milestone lasts 0)
and may not start before its planned start; links may push it later. Summary tasks are not
scheduled: they span their children. Everything returned is plain data for the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import Health
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.schedule import Link, ScheduleTask, schedule, schedule_variance_days
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Dependency, DowntimeWindow, Holiday, Person, Project, Task


@dataclass(frozen=True, slots=True)
class LinkView:
    """One end of a dependency as the other task sees it: "1.2 Install FS+2"."""

    task_id: int
    wbs: str
    name: str
    kind: str = "FS"
    lag: int = 0

    @property
    def code(self) -> str:
        """The form's notation: WBS code, then the type unless plain FS, then the lag."""
        return link_code(self.wbs, self.kind, self.lag)


def link_code(ref: str, kind: str, lag: int) -> str:
    kind_part = "" if kind == "FS" and not lag else kind
    return f"{ref}{kind_part}{lag:+d}" if lag else f"{ref}{kind_part}"


@dataclass(frozen=True, slots=True)
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
    duration: int  # working days; 0 for milestones; a summary's is its span
    critical: bool
    total_float: int | None
    needs_downtime: bool
    version: int
    slip_days: int | None  # working days the finish is past the baseline finish; None: none
    predecessors: tuple[LinkView, ...] = ()
    successors: tuple[LinkView, ...] = ()


@dataclass(frozen=True, slots=True)
class DowntimeView:
    title: str
    starts_at: datetime
    ends_at: datetime
    systems: str
    approved: bool

    @property
    def first_day(self) -> date:
        return self.starts_at.date()

    @property
    def last_day(self) -> date:
        return self.ends_at.date()


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


@dataclass(frozen=True, slots=True)
class ProjectChoice:
    id: int
    code: str
    name: str
    status: str


def project_choices(db: Database) -> list[ProjectChoice]:
    """Projects that can be shown, by code (archived ones left out)."""
    with db.read() as session:
        rows = session.execute(
            select(col(Project.id), col(Project.code), col(Project.name), col(Project.status))
            .where(col(Project.archived) == False)  # noqa: E712
            .order_by(col(Project.code))
        ).all()
    return [ProjectChoice(*row) for row in rows]


def load_timeline(db: Database, project_id: int) -> ProjectTimeline | None:
    """The project's tasks in outline order with their schedule; None if it does not exist."""
    with db.read() as session:
        project = session.get(Project, project_id)
        if project is None:
            return None
        assignee = aliased(Person)
        task_rows = session.execute(
            select(Task, col(assignee.name))
            .join(assignee, col(Task.assignee_id) == col(assignee.id), isouter=True)
            .where(col(Task.project_id) == project_id)
            .order_by(col(Task.sort_order), col(Task.id))
        ).all()
        succ = aliased(Task)
        links = session.execute(
            select(
                col(Dependency.predecessor_id),
                col(Dependency.successor_id),
                col(Dependency.kind),
                col(Dependency.lag_days),
            )
            .join(succ, col(Dependency.successor_id) == col(succ.id))
            .where(col(succ.project_id) == project_id)
            .order_by(col(Dependency.id))
        ).all()
        windows = session.execute(
            select(
                col(DowntimeWindow.title),
                col(DowntimeWindow.starts_at),
                col(DowntimeWindow.ends_at),
                col(DowntimeWindow.systems),
                col(DowntimeWindow.approved),
            )
            .where(col(DowntimeWindow.project_id) == project_id)
            .order_by(col(DowntimeWindow.starts_at))
        ).all()
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
        info = (
            project.code,
            project.name,
            project.version,
            project.start_date,
            project.baseline_start,
            project.baseline_end,
            project.baseline_set_on,
        )

    calendar = WorkCalendar(holidays)
    tasks = [(row[0], row[1] or "") for row in task_rows]
    built, path, error = _build(tasks, links, info[3], calendar)
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
        downtime=[DowntimeView(*w) for w in windows],
        holidays=holidays,
        critical_path=path,
        schedule_error=error,
    )


def _outline(tasks: list[Task]) -> list[tuple[Task, int, str]]:
    """Depth-first order by sort order: (task, outline level, WBS code shown)."""
    ids = {t.id for t in tasks}
    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        parent = task.parent_id if task.parent_id in ids else None
        children.setdefault(parent, []).append(task)
    out: list[tuple[Task, int, str]] = []
    seen: set[int] = set()

    def walk(parent: int | None, level: int, prefix: str) -> None:
        for number, task in enumerate(children.get(parent, []), start=1):
            if task.id in seen:  # a parent loop in stored data: show each task once
                continue
            seen.add(int(task.id))  # type: ignore[arg-type]
            wbs = task.wbs or (f"{prefix}.{number}" if prefix else str(number))
            out.append((task, level, wbs))
            walk(task.id, level + 1, wbs)

    walk(None, 0, "")
    for task in tasks:  # tasks only reachable through a parent loop
        if task.id not in seen:
            seen.add(int(task.id))  # type: ignore[arg-type]
            out.append((task, 0, task.wbs or f"#{task.id}"))
    return out


def leaf_duration(
    is_milestone: bool, start: date | None, finish: date | None, calendar: WorkCalendar
) -> int:
    """Working days a leaf lasts: 0 for a milestone, at least 1 for a task."""
    if is_milestone:
        return 0
    if start is None or finish is None:
        return 1
    return max(1, calendar.count_working_days(start, finish))


def _build(
    rows: list[tuple[Task, str]],
    links: Iterable[Any],
    project_start: date | None,
    calendar: WorkCalendar,
) -> tuple[list[TimelineTask], list[int], str]:
    assignees = {int(t.id): name for t, name in rows}  # type: ignore[arg-type]
    outline = _outline([t for t, _ in rows])
    parents = {t.parent_id for t, _, _ in outline if t.parent_id is not None}
    leaves = [t for t, _, _ in outline if t.id not in parents]
    leaf_ids = {int(t.id) for t in leaves}  # type: ignore[arg-type]
    link_list = [
        Link(int(p), int(s), str(k), int(lag))
        for p, s, k, lag in links
        if p in leaf_ids and s in leaf_ids
    ]
    durations = {
        int(t.id): leaf_duration(t.is_milestone, t.planned_start, t.planned_finish, calendar)  # type: ignore[arg-type]
        for t in leaves
    }
    planned = [t.planned_start for t in leaves if t.planned_start]
    begin = min([*planned, *([project_start] if project_start else [])], default=None)
    error = ""
    dates: dict[int, tuple[date | None, date | None]] = {}
    critical: dict[int, bool] = {}
    floats: dict[int, int] = {}
    path: list[int] = []
    if leaves and begin is not None:
        try:
            result = schedule(
                [
                    ScheduleTask(int(t.id), durations[int(t.id)], t.planned_start, t.name)  # type: ignore[arg-type]
                    for t in leaves
                ],
                link_list,
                begin,
                calendar,
            )
        except ValidationError as exc:
            error = exc.rule
        else:
            for tid, ts in result.tasks.items():
                dates[tid] = (ts.early_start, ts.early_finish)
                critical[tid] = ts.critical
                floats[tid] = ts.total_float
            path = result.critical_path
    for t in leaves:  # unscheduled (no dates at all, or a stored cycle): the plan as it is
        tid = int(t.id)  # type: ignore[arg-type]
        if tid not in dates:
            dates[tid] = (t.planned_start, t.planned_finish or t.planned_start)

    # Summaries span their children: walk the outline bottom-up.
    spans: dict[int, tuple[date | None, date | None, int, int]] = {}  # start, finish, work, done
    base: dict[int, tuple[date | None, date | None]] = {}
    by_parent: dict[int, list[int]] = {}
    for task, _, _ in outline:
        if task.parent_id in parents and task.parent_id is not None:
            by_parent.setdefault(int(task.parent_id), []).append(int(task.id))  # type: ignore[arg-type]
    for task, _, _ in reversed(outline):
        tid = int(task.id)  # type: ignore[arg-type]
        if tid in leaf_ids:
            start, finish = dates[tid]
            work = durations[tid]
            spans[tid] = (start, finish, work, work * task.percent_complete)
            base[tid] = (task.baseline_start, task.baseline_finish)
            continue
        kids = by_parent.get(tid, [])
        starts = [d for k in kids if (d := spans[k][0]) is not None]
        finishes = [d for k in kids if (d := spans[k][1]) is not None]
        work = sum(spans[k][2] for k in kids)
        done = sum(spans[k][3] for k in kids)
        spans[tid] = (min(starts, default=None), max(finishes, default=None), work, done)
        b_starts = [d for k in kids if (d := base[k][0]) is not None]
        b_finishes = [d for k in kids if (d := base[k][1]) is not None]
        base[tid] = (
            task.baseline_start or min(b_starts, default=None),
            task.baseline_finish or max(b_finishes, default=None),
        )

    info = {int(t.id): (wbs, t.name) for t, _, wbs in outline}  # type: ignore[arg-type]
    preds: dict[int, list[LinkView]] = {}
    succs: dict[int, list[LinkView]] = {}
    for link in link_list:
        p_wbs, p_name = info[link.predecessor]
        s_wbs, s_name = info[link.successor]
        preds.setdefault(link.successor, []).append(
            LinkView(link.predecessor, p_wbs, p_name, link.kind, link.lag)
        )
        succs.setdefault(link.predecessor, []).append(
            LinkView(link.successor, s_wbs, s_name, link.kind, link.lag)
        )

    built = []
    for task, level, wbs in outline:
        tid = int(task.id)  # type: ignore[arg-type]
        start, finish, work, done = spans[tid]
        summary = tid not in leaf_ids
        if summary:
            percent = done // work if work else task.percent_complete
            duration = calendar.count_working_days(start, finish) if start and finish else 0
        else:
            percent = task.percent_complete
            duration = durations[tid]
        built.append(
            TimelineTask(
                id=tid,
                parent_id=task.parent_id,
                wbs=wbs,
                name=task.name,
                level=level,
                is_summary=summary,
                is_milestone=task.is_milestone and not summary,
                assignee_id=task.assignee_id,
                assignee=assignees.get(tid, ""),
                status=task.status,
                percent=percent,
                planned_start=task.planned_start,
                planned_finish=task.planned_finish,
                start=start,
                finish=finish,
                baseline_start=base[tid][0],
                baseline_finish=base[tid][1],
                duration=duration,
                critical=critical.get(tid, False),
                total_float=floats.get(tid),
                needs_downtime=task.needs_downtime,
                version=task.version,
                slip_days=schedule_variance_days(base[tid][1], finish, calendar),
                predecessors=tuple(preds.get(tid, ())),
                successors=tuple(succs.get(tid, ())),
            )
        )
    return built, path, error


def load_roadmap(
    db: Database, today: date, thresholds: RiskThresholds = RiskThresholds()
) -> list[RoadmapRow]:
    """One row per active project: its span, baseline span, progress, health and milestones."""
    rows = portfolio(db, today, thresholds=thresholds)
    with db.read() as session:
        spans = {
            pid: (start, finish, b_start, b_finish)
            for pid, start, finish, b_start, b_finish in session.execute(
                select(
                    col(Task.project_id),
                    func.min(col(Task.planned_start)),
                    func.max(col(Task.planned_finish)),
                    func.min(col(Task.baseline_start)),
                    func.max(col(Task.baseline_finish)),
                ).group_by(col(Task.project_id))
            )
        }
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
        milestones: dict[int, list[date]] = {}
        for pid, day in session.execute(
            select(col(Task.project_id), col(Task.planned_finish))
            .where(col(Task.is_milestone) == True, col(Task.planned_finish).is_not(None))  # noqa: E712
            .order_by(col(Task.planned_finish))
        ):
            milestones.setdefault(pid, []).append(_as_date(day))  # type: ignore[arg-type]
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
