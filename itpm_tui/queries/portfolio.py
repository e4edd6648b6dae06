"""Read models for the Projects screen: the rows (`portfolio`, aggregated in SQL by
`queries.portfolio_rows`), a project's detail, and the pickers' lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlmodel import col

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.queries.portfolio_rows import OPEN_RISK, Outlook, PortfolioRow, read_portfolio
from itpm_tui.queries.schedule import load_schedules
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Deliverable, Person, Project

__all__ = [
    "OPEN_RISK",
    "DeliverableView",
    "PortfolioRow",
    "ProjectDetail",
    "people",
    "portfolio",
    "project_detail",
    "projects_by_code",
]


def portfolio(
    db: Database,
    today: date,
    *,
    include_archived: bool = False,
    thresholds: RiskThresholds = RiskThresholds(),
    project_id: int | None = None,
) -> list[PortfolioRow]:
    """One row per project (or only `project_id`'s, for a report), every figure aggregated
    in SQL; a project whose stored schedule is stale is scheduled here."""
    with db.read() as session:
        connection = session.connection()
        trusted = connection.dialect.name == "sqlite"
        if trusted:  # rows as the driver gives them: no per-row layer
            driver: Any = connection.connection.driver_connection

            def run(sql: str, params: dict[str, Any]) -> list[Any]:
                return list(driver.execute(sql, params).fetchall())

        else:

            def run(sql: str, params: dict[str, Any]) -> list[Any]:
                return list(session.execute(text(sql), params).all())

        def schedule(project_ids: list[int], day: date) -> dict[int, Outlook]:
            return {
                pid: _outlook(plan, day)
                for pid, plan in load_schedules(session, project_ids).items()
            }

        rows = read_portfolio(
            run,
            today,
            include_archived=include_archived,
            thresholds=thresholds,
            project_id=project_id,
            trusted=trusted,
            schedule=schedule,
        )
    assert rows is not None  # a schedule was given: never None
    return rows


def _outlook(plan: Any, today: date) -> Outlook:
    """A scheduled project's `ProjectSchedule.outlook` as a Projects row takes it."""
    seen = plan.outlook(today)
    milestone = seen.next_milestone
    return Outlook(
        seen.forecast_finish,
        seen.baseline_finish,
        seen.late_tasks,
        seen.late_milestones,
        milestone.name if milestone else "",
        milestone.finish if milestone else None,
        tuple(plan.holidays),
    )


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
    work_hours: str = ""  # as stored: "" is the standard day (`domain.work_hours`)

    def draft(self) -> ProjectDraft:
        """The project's editable values, to fill the project form."""
        return ProjectDraft(
            code=self.code,
            name=self.name,
            client=self.client,
            sponsor=self.sponsor,
            manager_id=self.manager_id,
            phase=self.phase,
            status=self.status,
            start_date=self.start_date,
            end_date=self.end_date,
            objective=self.objective,
            scope=self.scope,
            kpis=self.kpis,
            currency=self.currency,
            work_hours=self.work_hours,
        )


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
        work_hours=project.work_hours,
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
