"""Everything a status or closing report says about one project, gathered once as plain data.

Health, progress and slip come from the portfolio rows (the same rules as the Projects
screen), the schedule from the Timeline's read model, money and earned value from the Budget
summary, risks from the register, change requests from the change log and deliverables and
sign-off from close-out; only the tasks' actual dates and blocked reasons, which the Timeline
leaves out, are read here. The renderers never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import String, func, select, type_coerce
from sqlmodel import col

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.closing import is_accepted
from itpm_tui.domain.enums import ChangeStatus, Health, RiskStatus, TaskStatus
from itpm_tui.domain.risk import ALL, RiskBand, RiskFilter, RiskThresholds
from itpm_tui.domain.schedule import schedule_variance_days
from itpm_tui.errors import NotFoundError
from itpm_tui.queries.budget import BudgetSummary, budget_summary
from itpm_tui.queries.change_requests import ChangeRow as ChangeLogRow
from itpm_tui.queries.change_requests import change_rows
from itpm_tui.queries.closing import closing_state
from itpm_tui.queries.downtime import DowntimeView, effective_windows, stored_windows
from itpm_tui.queries.portfolio import portfolio, project_detail
from itpm_tui.queries.risks import register_rows
from itpm_tui.queries.schedule import ScheduledTask, load_schedules
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Person, Project, Task

#: Risk statuses that still need watching, in the order a register lists them.
OPEN_RISK_STATUSES = (RiskStatus.OCCURRED.value, RiskStatus.OPEN.value, RiskStatus.WATCHING.value)


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    id: int
    wbs: str
    name: str
    planned: date | None
    baseline: date | None
    done: bool
    done_on: date | None  # the actual finish (the planned one when none was recorded)


@dataclass(frozen=True, slots=True)
class PhaseRow:
    """A top-level summary task: a phase of the plan, with the span of its tasks."""

    wbs: str
    name: str
    start: date | None
    finish: date | None
    percent: int


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A leaf task that needs attention: in progress, blocked or late."""

    wbs: str
    name: str
    assignee: str
    status: str
    start: date | None
    finish: date | None
    percent: int
    late: bool
    blocked_reason: str


@dataclass(frozen=True, slots=True)
class DowntimeRow:
    title: str
    starts_at: datetime
    ends_at: datetime
    systems: str
    approved: bool


@dataclass(frozen=True, slots=True)
class RiskRow:
    title: str
    category: str
    probability: int
    impact: int
    score: int
    band: RiskBand
    residual: int | None
    owner: str
    response: str
    mitigation: str
    contingency: str
    trigger: str
    status: str
    review_date: date | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RISK_STATUSES


@dataclass(frozen=True, slots=True)
class ChangeRow:
    title: str
    requested_by: str
    requested_on: date
    description: str
    cost_impact: Decimal
    schedule_impact_days: int
    decided_by: str = ""
    decided_on: date | None = None


@dataclass(frozen=True, slots=True)
class DeliverableRow:
    name: str
    due_date: date | None
    accepted_by: str
    accepted_on: date | None
    note: str

    @property
    def accepted(self) -> bool:
        return is_accepted(self)


@dataclass(frozen=True)
class ReportData:
    """One project at `as_of`: the single input of every report renderer."""

    as_of: date
    project_id: int
    code: str
    name: str
    client: str
    sponsor: str
    manager: str
    phase: str
    status: str
    currency: str
    objective: str
    health: Health | None
    health_reason: str
    percent_complete: int
    slip_days: int | None  # working days late against the baseline; negative = ahead
    baseline_start: date | None
    baseline_finish: date | None
    start: date | None  # first actual start, else the planned start
    forecast_finish: date | None
    actual_finish: date | None  # set only once every leaf task is done
    open_tasks: int  # leaf tasks not done
    finish_variance_days: int | None  # actual (or forecast) finish against the baseline
    milestones: tuple[MilestoneRow, ...]
    attention: tuple[TaskRow, ...]
    downtime: tuple[DowntimeRow, ...]
    risks: tuple[RiskRow, ...]  # open ones first, highest score first
    pending_changes: tuple[ChangeRow, ...]
    deliverables: tuple[DeliverableRow, ...]
    budget: BudgetSummary
    signed_off_by: str
    signed_off_on: date | None
    closing_override: str
    lessons: str
    #: Approved change requests, the latest decided first.
    approved_changes: tuple[ChangeRow, ...] = ()
    #: The plan's phases (top-level summary tasks), in outline order.
    phases: tuple[PhaseRow, ...] = ()

    @property
    def open_risks(self) -> tuple[RiskRow, ...]:
        return tuple(r for r in self.risks if r.is_open)

    @property
    def done_milestones(self) -> tuple[MilestoneRow, ...]:
        done = [m for m in self.milestones if m.done]
        return tuple(sorted(done, key=lambda m: (m.done_on or date.min, m.id)))

    @property
    def next_milestones(self) -> tuple[MilestoneRow, ...]:
        """Milestones not done yet, soonest first (undated ones last)."""
        todo = [m for m in self.milestones if not m.done]
        return tuple(sorted(todo, key=lambda m: (m.planned is None, m.planned or date.max)))


def project_id_for_code(db: Database, code: str) -> int:
    """The id of the project with this code, compared without regard to case."""
    with db.read() as session:
        found = session.execute(
            select(col(Project.id)).where(func.upper(col(Project.code)) == code.strip().upper())
        ).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"no project with code '{code}'")
    return int(found)


def gather(
    db: Database,
    project_id: int,
    today: date,
    thresholds: RiskThresholds = RiskThresholds(),
) -> ReportData:
    """Read one project for a report as of `today`; NotFoundError if it does not exist.

    Health and risk bands use `thresholds`, the configured bands (see `itpm config`)."""
    with paused_gc():  # a large project's rows are many small objects, none in a cycle
        return _gather(db, project_id, today, thresholds)


def _gather(db: Database, project_id: int, today: date, thresholds: RiskThresholds) -> ReportData:
    detail = project_detail(db, project_id)
    plan = _plan(db, project_id) if detail is not None else None
    if detail is None or plan is None:
        raise NotFoundError(f"project {project_id} does not exist")
    closing = closing_state(db, project_id)
    if closing is None:
        raise NotFoundError(f"project {project_id} does not exist")
    changes = change_rows(db, project_id)
    rows = portfolio(db, today, include_archived=True, thresholds=thresholds, project_id=project_id)
    row = next(r for r in rows if r.id == project_id)
    leaves = [t for t in plan.tasks if not t.is_summary]
    extra = plan.extras
    done = TaskStatus.DONE.value
    forecasts = [_forecast_finish(t.status, extra.get(t.id), t.finish, today) for t in leaves]
    forecast_finish = max((d for d in forecasts if d is not None), default=None)
    open_tasks = sum(1 for t in leaves if t.status != done)
    finishes = [extra[t.id][1] or t.finish for t in leaves if t.id in extra]
    actual_finish = (
        max((d for d in finishes if d is not None), default=None)
        if leaves and open_tasks == 0
        else None
    )
    starts = [extra[t.id][0] or t.start for t in leaves if t.id in extra]
    baseline_finish = plan.baseline_end or max(
        (t.baseline_finish for t in leaves if t.baseline_finish), default=None
    )
    calendar = WorkCalendar(plan.holidays)
    milestones = tuple(
        MilestoneRow(
            id=t.id,
            wbs=t.wbs,
            name=t.name,
            planned=t.finish,
            baseline=t.baseline_finish,
            done=t.status == done,
            done_on=(extra.get(t.id, (None, None, ""))[1] or t.finish)
            if t.status == done
            else None,
        )
        for t in leaves
        if t.is_milestone
    )
    attention = tuple(
        TaskRow(
            wbs=t.wbs,
            name=t.name,
            assignee=plan.assignees.get(t.id, ""),
            status=t.status,
            start=t.start,
            finish=t.finish,
            percent=t.percent,
            late=t.late(today),
            blocked_reason=extra.get(t.id, (None, None, ""))[2],
        )
        for t in leaves
        if t.status != done
        and (t.status in (TaskStatus.IN_PROGRESS.value, TaskStatus.BLOCKED.value) or t.late(today))
    )
    downtime = tuple(
        DowntimeRow(w.title, w.starts_at, w.ends_at, w.systems, w.approved)
        for w in plan.downtime
        if w.ends_at.date() >= today
    )
    return ReportData(
        as_of=today,
        project_id=project_id,
        code=detail.code,
        name=detail.name,
        client=detail.client,
        sponsor=detail.sponsor,
        manager=detail.manager,
        phase=detail.phase,
        status=detail.status,
        currency=detail.currency,
        objective=detail.objective,
        health=row.health,
        health_reason=row.health_reason,
        percent_complete=row.percent_complete,
        slip_days=row.slip_days,
        baseline_start=plan.baseline_start,
        baseline_finish=baseline_finish,
        start=min((d for d in starts if d is not None), default=detail.start_date),
        forecast_finish=forecast_finish,
        actual_finish=actual_finish,
        open_tasks=open_tasks,
        finish_variance_days=schedule_variance_days(
            baseline_finish, actual_finish or forecast_finish, calendar
        ),
        milestones=milestones,
        attention=attention,
        downtime=downtime,
        risks=_risks(db, project_id, today, thresholds),
        pending_changes=tuple(
            _change(c) for c in sorted(changes, key=lambda c: (c.requested_on, c.id)) if c.pending
        ),
        deliverables=tuple(
            DeliverableRow(d.name, d.due_date, d.accepted_by, d.accepted_on, d.acceptance_note)
            for d in closing.deliverables
        ),
        budget=budget_summary(db, project_id, today),
        signed_off_by=closing.signed_off_by,
        signed_off_on=closing.signed_off_on,
        closing_override=closing.closing_override,
        lessons=closing.lessons,
        approved_changes=tuple(
            _change(c)
            for c in sorted(
                changes, key=lambda c: (c.decided_on or c.requested_on, c.id), reverse=True
            )
            if c.status == ChangeStatus.APPROVED.value
        ),
        phases=tuple(
            PhaseRow(t.wbs, t.name, t.start, t.finish, t.percent)
            for t in plan.tasks
            if t.is_summary and t.parent_id is None
        ),
    )


def _change(c: ChangeLogRow) -> ChangeRow:
    return ChangeRow(
        c.title,
        c.requested_by,
        c.requested_on,
        c.description,
        c.cost_impact,
        c.schedule_impact_days,
        c.decided_by,
        c.decided_on,
    )


def _forecast_finish(
    status: str,
    extra: tuple[date | None, date | None, str] | None,
    scheduled: date | None,
    today: date,
) -> date | None:
    """The portfolio's rule: a done task finished when it did; a late one finishes today at
    the earliest; any other when scheduled."""
    if status == TaskStatus.DONE.value:
        return (extra[1] if extra else None) or scheduled
    if scheduled is not None and scheduled < today:
        return today
    return scheduled


@dataclass(frozen=True)
class _Plan:
    """The project's scheduled tasks (as stored: no rescheduling when fresh) and what a
    report adds to them: assignees, actual dates, blocked reasons, downtime, baseline."""

    tasks: tuple[ScheduledTask, ...]
    holidays: tuple[date, ...]
    assignees: dict[int, str]
    extras: dict[int, tuple[date | None, date | None, str]]  # actual start, finish, reason
    downtime: list[DowntimeView]
    baseline_start: date | None
    baseline_end: date | None


def _plan(db: Database, project_id: int) -> _Plan | None:
    """One read: the stored schedule and, in one Core query, the task columns it leaves out
    (dates parsed once each: a 10,000-task project repeats few)."""
    with db.read() as session:
        schedule = load_schedules(session, [project_id]).get(project_id)
        if schedule is None:
            return None
        baseline = session.execute(
            select(col(Project.baseline_start), col(Project.baseline_end)).where(
                col(Project.id) == project_id
            )
        ).one()
        t = Task.__table__  # type: ignore[attr-defined]
        p = Person.__table__  # type: ignore[attr-defined]
        rows = session.execute(
            select(
                t.c.id,
                p.c.name,
                type_coerce(t.c.actual_start, String),
                type_coerce(t.c.actual_finish, String),
                t.c.blocked_reason,
            )
            .select_from(t.outerjoin(p, p.c.id == t.c.assignee_id))
            .where(t.c.project_id == project_id)
        ).all()
        windows = stored_windows(session, project_id)
    day: dict[str | None, date | None] = {None: None}

    def parsed(text: str | None) -> date | None:
        found = day.get(text, day)
        if found is day:
            found = day[text] = date.fromisoformat(str(text)[:10])
        return found  # type: ignore[return-value]

    assignees: dict[int, str] = {}
    extras: dict[int, tuple[date | None, date | None, str]] = {}
    for tid, name, started, finished, reason in rows:
        if name:
            assignees[tid] = name
        extras[tid] = (parsed(started), parsed(finished), reason or "")
    return _Plan(
        tasks=schedule.tasks,
        holidays=schedule.holidays,
        assignees=assignees,
        extras=extras,
        downtime=effective_windows(windows, {t.id: t.start for t in schedule.tasks}),
        baseline_start=baseline[0],
        baseline_end=baseline[1],
    )


def _risks(
    db: Database, project_id: int, today: date, thresholds: RiskThresholds
) -> tuple[RiskRow, ...]:
    """The project's whole register: open risks first, each part by score, highest first."""
    rows = register_rows(db, today, RiskFilter(project_id=project_id, status=ALL), thresholds)
    out = [
        RiskRow(
            title=r.title,
            category=r.category,
            probability=r.probability,
            impact=r.impact,
            score=r.score,
            band=r.band,
            residual=r.residual_score,
            owner=r.owner,
            response=r.response,
            mitigation=r.mitigation,
            contingency=r.contingency,
            trigger=r.trigger,
            status=r.status,
            review_date=r.review_date,
        )
        for r in rows
    ]
    out.sort(key=lambda r: (not r.is_open, -r.score))  # stable: the register's order within
    return tuple(out)
