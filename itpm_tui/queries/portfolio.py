"""Read models for the Projects screen: one row per project, aggregated in SQL.

Each aggregate is one grouped query over its table, so a portfolio of hundreds of projects
with a hundred thousand tasks and ledger entries costs a handful of index scans, not a load
of whole tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, case, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import col

from itpm_tui.domain.enums import ChangeStatus, EntryKind, Health, RiskStatus
from itpm_tui.domain.health import HealthSignals, assess
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.schedule import schedule_variance_days
from itpm_tui.queries.closing import CLOSED
from itpm_tui.queries.schedule import load_schedules
from itpm_tui.queries.stakeholders import due_counts
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    BudgetLine,
    ChangeRequest,
    Deliverable,
    LedgerEntry,
    Person,
    Project,
    Risk,
    Task,
)

OPEN_RISK = (RiskStatus.OPEN.value, RiskStatus.WATCHING.value, RiskStatus.OCCURRED.value)


@dataclass(frozen=True)
class PortfolioRow:
    id: int
    code: str
    name: str
    client: str
    phase: str
    status: str
    manager: str
    currency: str
    archived: bool
    version: int
    health: Health | None
    health_reason: str
    percent_complete: int
    slip_days: int | None  # working days late against the baseline; negative = ahead
    budget: Decimal
    actual: Decimal
    committed: Decimal
    open_high_risks: int
    open_critical_risks: int
    pending_changes: int
    next_milestone: str
    next_milestone_date: date | None
    #: Stakeholders of this project whose update is due today or overdue (not a health rule).
    updates_due: int = 0
    late_tasks: int = 0  # leaf tasks past their scheduled finish, not done (milestones apart)
    late_milestones: int = 0  # milestones past their scheduled date, not reached
    next_milestone_overdue: bool = False  # its date has passed and it is not reached

    @property
    def variance(self) -> Decimal:
        """Budget left after actual and committed spend; negative means over budget."""
        return self.budget - self.actual - self.committed


def _grouped(session: Any, query: Any) -> dict[int, Any]:
    return {row[0]: row for row in session.execute(query)}


def portfolio(
    db: Database,
    today: date,
    *,
    include_archived: bool = False,
    thresholds: RiskThresholds = RiskThresholds(),
    project_id: int | None = None,
) -> list[PortfolioRow]:
    """One row per project (or only `project_id`'s, for a report), every figure aggregated
    in SQL."""

    def scoped(query: Any, column: Any) -> Any:
        return query if project_id is None else query.where(column == project_id)

    with db.read() as session:
        manager = aliased(Person)
        projects_q = (
            select(Project, col(manager.name))
            .join(manager, col(Project.manager_id) == col(manager.id), isouter=True)
            .order_by(col(Project.code))
        )
        if not include_archived:
            projects_q = projects_q.where(col(Project.archived) == False)  # noqa: E712
        projects = session.execute(scoped(projects_q, col(Project.id))).all()

        child = aliased(Task)
        is_leaf = ~select(col(child.id)).where(col(child.parent_id) == col(Task.id)).exists()
        raw_hours = type_coerce(col(Task.estimate_hours), BigInteger)  # scale cancels in the ratio
        tasks = _grouped(
            session,
            scoped(
                select(
                    col(Task.project_id),
                    func.sum(raw_hours * col(Task.percent_complete)),
                    func.sum(raw_hours),
                    func.avg(col(Task.percent_complete)),
                ).where(is_leaf),
                col(Task.project_id),
            ).group_by(col(Task.project_id)),
        )
        # The dates are the scheduled ones (links, lags, holidays), as the Timeline shows them.
        schedules = load_schedules(session, [p.id for p, _ in projects])

        budget = _grouped(
            session,
            scoped(
                select(col(BudgetLine.project_id), func.sum(col(BudgetLine.amount))),
                col(BudgetLine.project_id),
            ).group_by(col(BudgetLine.project_id)),
        )
        spend = _grouped(
            session,
            scoped(
                select(
                    col(LedgerEntry.project_id),
                    func.sum(
                        case(
                            (
                                col(LedgerEntry.kind) == EntryKind.ACTUAL.value,
                                col(LedgerEntry.amount),
                            ),
                            else_=0,
                        )
                    ),
                    func.sum(
                        case(
                            (
                                col(LedgerEntry.kind) == EntryKind.COMMITTED.value,
                                col(LedgerEntry.amount),
                            ),
                            else_=0,
                        )
                    ),
                ),
                col(LedgerEntry.project_id),
            ).group_by(col(LedgerEntry.project_id)),
        )

        score = col(Risk.probability) * col(Risk.impact)
        risks = _grouped(
            session,
            scoped(
                select(
                    col(Risk.project_id),
                    func.sum(case((score >= thresholds.high, 1), else_=0)),
                    func.sum(case((score >= thresholds.critical, 1), else_=0)),
                ).where(col(Risk.status).in_(OPEN_RISK)),
                col(Risk.project_id),
            ).group_by(col(Risk.project_id)),
        )
        changes = _grouped(
            session,
            scoped(
                select(col(ChangeRequest.project_id), func.count()).where(
                    col(ChangeRequest.status) == ChangeStatus.PROPOSED.value
                ),
                col(ChangeRequest.project_id),
            ).group_by(col(ChangeRequest.project_id)),
        )

        due_updates = due_counts(session, today, project_id)

    rows = []
    for project, manager_name in projects:
        pid = project.id
        t = tasks.get(pid)
        percent = _percent(t)
        plan = schedules[pid]
        outlook = plan.outlook(today)
        baseline_finish = project.baseline_end or outlook.baseline_finish
        slip = schedule_variance_days(baseline_finish, outlook.forecast_finish, plan.calendar())
        budget_total = _money(budget.get(pid), 1)
        actual = _money(spend.get(pid), 1)
        committed = _money(spend.get(pid), 2)
        # a closed project's risks are its history, not exposure: none counts as open
        live_risks = risks.get(pid) if project.status != CLOSED else None
        high = int(live_risks[1]) if live_risks else 0
        critical = int(live_risks[2]) if live_risks else 0
        pending = int(changes[pid][1]) if pid in changes else 0
        result = assess(
            HealthSignals(
                status=project.status,
                slip_days=slip,
                budget=budget_total,
                forecast_spend=actual + committed,
                open_high_risks=high,
                open_critical_risks=critical,
                pending_changes=pending,
                late_tasks=outlook.late_tasks,
                late_milestones=outlook.late_milestones,
            )
        )
        milestone = outlook.next_milestone
        rows.append(
            PortfolioRow(
                id=pid,
                code=project.code,
                name=project.name,
                client=project.client,
                phase=project.phase,
                status=project.status,
                manager=manager_name or "",
                currency=project.currency,
                archived=project.archived,
                version=project.version,
                health=result.health,
                health_reason=result.reason,
                percent_complete=percent,
                slip_days=slip,
                budget=budget_total,
                actual=actual,
                committed=committed,
                open_high_risks=high,
                open_critical_risks=critical,
                pending_changes=pending,
                next_milestone=milestone.name if milestone else "",
                next_milestone_date=milestone.finish if milestone else None,
                updates_due=due_updates.get(pid, 0),
                late_tasks=outlook.late_tasks,
                late_milestones=outlook.late_milestones,
                next_milestone_overdue=milestone is not None and milestone.late(today),
            )
        )
    return rows


def _percent(aggregate: Any) -> int:
    if not aggregate:
        return 0
    weighted, total_hours, average = aggregate[1], aggregate[2], aggregate[3]
    if total_hours:
        return int(Decimal(int(weighted)) / Decimal(int(total_hours)))  # floor: 99.6% is not done
    return int(Decimal(str(average or 0)).to_integral_value())


def _money(row: Any, index: int) -> Decimal:
    return Decimal(row[index]) if row is not None and row[index] is not None else Decimal(0)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class DeliverableView:
    name: str
    due_date: date | None
    accepted_by: str
    accepted_on: date | None


@dataclass(frozen=True)
class ProjectDetail:
    id: int
    code: str
    name: str
    client: str
    sponsor: str
    manager: str
    manager_id: int | None
    phase: str
    status: str
    start_date: date | None
    end_date: date | None
    baseline_end: date | None
    objective: str
    scope: str
    kpis: str
    currency: str
    archived: bool
    version: int
    deliverables: list[DeliverableView] = field(default_factory=list)


def project_detail(db: Database, project_id: int) -> ProjectDetail | None:
    with db.read() as session:
        project = session.get(Project, project_id)
        if project is None:
            return None
        manager = session.get(Person, project.manager_id) if project.manager_id else None
        deliverables = session.execute(
            select(
                col(Deliverable.name),
                col(Deliverable.due_date),
                col(Deliverable.accepted_by),
                col(Deliverable.accepted_on),
            )
            .where(col(Deliverable.project_id) == project_id)
            .order_by(col(Deliverable.due_date))
        ).all()
    return ProjectDetail(
        id=project_id,
        code=project.code,
        name=project.name,
        client=project.client,
        sponsor=project.sponsor,
        manager=manager.name if manager else "",
        manager_id=project.manager_id,
        phase=project.phase,
        status=project.status,
        start_date=project.start_date,
        end_date=project.end_date,
        baseline_end=project.baseline_end,
        objective=project.objective,
        scope=project.scope,
        kpis=project.kpis,
        currency=project.currency,
        archived=project.archived,
        version=project.version,
        deliverables=[DeliverableView(*d) for d in deliverables],
    )


def people(db: Database) -> list[tuple[int, str]]:
    """(id, name) of active people, for pickers."""
    with db.read() as session:
        return [
            (pid, name)
            for pid, name in session.execute(
                select(col(Person.id), col(Person.name))
                .where(col(Person.active) == True)  # noqa: E712
                .order_by(col(Person.name))
            )
        ]


def projects_by_code(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            code: pid for pid, code in session.execute(select(col(Project.id), col(Project.code)))
        }
