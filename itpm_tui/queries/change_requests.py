"""Change requests as read: the log per project, and what approving one would move.

`approval_preview` and `approve_change` share `plan_approval`, so a confirmation dialog
says exactly what the approval will do before anything moves: the cost impact becomes a
budget line, the schedule impact moves the project's end date and its latest open milestone
by that many working days on the project's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, case, func, or_, type_coerce
from sqlmodel import Session, col, select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.change_control import (
    shift,
    signed_days,
)
from itpm_tui.domain.enums import BudgetCategory, ChangeStatus, TaskStatus
from itpm_tui.domain.money import format_money, minor_digits
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import NotFoundError
from itpm_tui.queries.ledger import categories_in
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine, ChangeRequest, Holiday, Project, Task

_SCALE = 4  # FixedPoint(4): stored amounts are integers of ten-thousandths


DEFAULT_CATEGORY = BudgetCategory.CONTINGENCY.value


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change request as the log shows it; `cost_impact` is in `currency`'s minor units."""

    id: int
    project_id: int
    project_code: str
    currency: str
    title: str
    requested_by: str
    requested_on: date
    description: str
    cost_impact: Decimal
    schedule_impact_days: int
    status: str
    decided_by: str
    decided_on: date | None
    version: int

    @property
    def pending(self) -> bool:
        return self.status == ChangeStatus.PROPOSED.value


@dataclass(frozen=True, slots=True)
class ChangeTarget:
    """The project a new change request is for, as a form needs to know it."""

    project_id: int
    code: str
    currency: str


@dataclass(frozen=True, slots=True)
class DateMove:
    """One planned date an approval moves."""

    before: date
    after: date

    def __str__(self) -> str:
        return f"{self.before.isoformat()} → {self.after.isoformat()}"


@dataclass(frozen=True, slots=True)
class MilestoneMove:
    task_id: int
    name: str
    start: DateMove | None
    finish: DateMove | None


@dataclass(frozen=True)
class ApprovalPreview:
    """What approving one change will move, computed before anything is written.

    `category` is where the cost impact will be booked (None: none chosen and the project has
    no contingency category); `categories` are those the approver may choose from, and
    `category_budgets` their budgets now, so a dialog can re-word the preview when the
    approver picks another category.
    """

    change_id: int
    version: int
    title: str
    project_id: int
    project_code: str
    currency: str
    cost_impact: Decimal
    schedule_impact_days: int
    categories: tuple[str, ...]
    category: str | None
    budget_total: Decimal
    category_budgets: dict[str, Decimal] = field(default_factory=dict)
    end_date: DateMove | None = None
    milestone: MilestoneMove | None = None
    #: Why part of the schedule impact has nothing to move (no end date, no open milestone).
    notes: tuple[str, ...] = ()

    @property
    def needs_category(self) -> bool:
        return self.cost_impact != 0

    def lines(self, category: str | None = None) -> list[str]:
        """The moves in words, one per line; `category` overrides the previewed one."""
        chosen = category if category is not None else self.category
        out: list[str] = []
        if self.cost_impact != 0:
            amount = signed_money(self.cost_impact, self.currency)
            after = self.budget_total + self.cost_impact
            total = (
                f"total {format_money(self.budget_total, self.currency)} → "
                f"{format_money(after, self.currency)}"
            )
            if chosen is None:
                out.append(f"Budget {amount} (choose a category), {total}")
            else:
                before = self.category_budgets.get(chosen, Decimal(0))
                out.append(
                    f"Budget {amount} ({chosen}: {format_money(before, self.currency)} → "
                    f"{format_money(before + self.cost_impact, self.currency)}), {total}"
                )
        if self.end_date is not None:
            out.append(f"End date {self.end_date}")
        if self.milestone is not None:
            moved = self.milestone.finish or self.milestone.start
            out.append(f"Milestone '{self.milestone.name}' {moved}")
        out.extend(self.notes)
        if not out:
            out.append("No budget or schedule impact: only the decision is recorded")
        return out

    def describe(self, category: str | None = None) -> str:
        """One sentence for a log line or a notice."""
        return "; ".join(self.lines(category))


# --- reads -----------------------------------------------------------------------------------


def _amount(raw: Any) -> Decimal:
    return Decimal(int(raw or 0)).scaleb(-_SCALE)


def in_currency(amount: Decimal, currency: str) -> Decimal:
    """A stored amount (four places) in the currency's own minor units."""
    return amount.quantize(Decimal(1).scaleb(-minor_digits(currency)))


def signed_money(amount: Decimal, currency: str) -> str:
    text = format_money(abs(amount), currency)
    return f"-{text}" if amount < 0 else f"+{text}"


def change_rows(db: Database, project_id: int | None) -> list[ChangeRow]:
    """The change log of one project (None: of all projects): pending first, then newest."""
    c = ChangeRequest
    pending_first = case((col(c.status) == ChangeStatus.PROPOSED.value, 0), else_=1)
    query = (
        select(c, col(Project.code), col(Project.currency))
        .join(Project, col(Project.id) == col(c.project_id))
        .order_by(pending_first, col(c.requested_on).desc(), col(c.id).desc())
    )
    if project_id is not None:
        query = query.where(col(c.project_id) == project_id)
    with db.read() as session:
        found = session.exec(query).all()
    return [_row(change, code, currency) for change, code, currency in found]


def change_row(db: Database, change_id: int) -> ChangeRow | None:
    with db.read() as session:
        found = session.exec(
            select(ChangeRequest, col(Project.code), col(Project.currency))
            .join(Project, col(Project.id) == col(ChangeRequest.project_id))
            .where(col(ChangeRequest.id) == change_id)
        ).first()
    return None if found is None else _row(*found)


def _row(change: ChangeRequest, code: str, currency: str) -> ChangeRow:
    assert change.id is not None
    return ChangeRow(
        id=change.id,
        project_id=change.project_id,
        project_code=code,
        currency=currency,
        title=change.title,
        requested_by=change.requested_by,
        requested_on=change.requested_on,
        description=change.description,
        cost_impact=in_currency(change.cost_impact, currency),
        schedule_impact_days=change.schedule_impact_days,
        status=change.status,
        decided_by=change.decided_by,
        decided_on=change.decided_on,
        version=change.version,
    )


def change_target(db: Database, project_id: int) -> ChangeTarget:
    """The project's code and currency, for the form of a new change request."""
    with db.read() as session:
        project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError(f"project {project_id} does not exist")
    return ChangeTarget(project_id, project.code, project.currency)


def approval_preview(db: Database, change_id: int, category: str | None = None) -> ApprovalPreview:
    """What `approve_change` would move now, with the cost booked to `category` (None: the
    project's contingency category, if it has one)."""
    with db.read() as session:
        change = session.get(ChangeRequest, change_id)
        if change is None:
            raise NotFoundError(f"change request #{change_id} does not exist")
        return plan_approval(session, change, category, strict=False)


# --- the approval plan: shared by the preview and the approval --------------------------------


def _calendar(session: Session, project_id: int) -> WorkCalendar:
    """The project's working days: weekends off, and its own and the global holidays."""
    days = session.exec(
        select(col(Holiday.day)).where(
            or_(col(Holiday.project_id) == project_id, col(Holiday.project_id).is_(None))
        )
    ).all()
    return WorkCalendar(set(days))


def _latest_open_milestone(session: Session, project_id: int) -> Task | None:
    """The project's last milestone not done yet (by planned date), which a slip moves."""
    when = func.coalesce(col(Task.planned_finish), col(Task.planned_start))
    return session.exec(
        select(Task)
        .where(
            col(Task.project_id) == project_id,
            col(Task.is_milestone).is_(True),
            col(Task.status) != TaskStatus.DONE.value,
            when.is_not(None),
        )
        .order_by(when.desc(), col(Task.sort_order).desc(), col(Task.id).desc())
        .limit(1)
    ).first()


def _category_budgets(session: Session, project_id: int) -> dict[str, Decimal]:
    rows = session.execute(
        select(col(BudgetLine.category), func.sum(type_coerce(col(BudgetLine.amount), BigInteger)))
        .where(col(BudgetLine.project_id) == project_id)
        .group_by(col(BudgetLine.category))
    ).all()
    return {category: _amount(raw) for category, raw in rows}


def _pick_category(categories: list[str], wanted: str | None) -> str | None:
    if wanted is None or not wanted.strip():
        wanted = DEFAULT_CATEGORY
    key = wanted.strip().casefold()
    return next((c for c in categories if c.casefold() == key), None)


def plan_approval(
    session: Session, change: ChangeRequest, category: str | None, *, strict: bool
) -> ApprovalPreview:
    """What approving `change` moves. With `strict`, refuse what cannot be applied."""
    assert change.id is not None
    project = session.get(Project, change.project_id)
    if project is None:
        raise NotFoundError(f"project {change.project_id} does not exist")
    currency = project.currency
    cost = in_currency(change.cost_impact, currency)
    days = change.schedule_impact_days
    categories = categories_in(session, change.project_id)
    budgets = _category_budgets(session, change.project_id)
    chosen = _pick_category(categories, category)
    if strict and cost != 0 and chosen is None:
        if category and category.strip():
            rule = f"must be one of {', '.join(categories)}, got '{category}'"
        else:
            rule = f"choose the budget category the cost goes to: {', '.join(categories)}"
        raise ValidationError("category", rule)

    end: DateMove | None = None
    milestone: MilestoneMove | None = None
    notes: list[str] = []
    if days:
        calendar = _calendar(session, change.project_id)
        if project.end_date is None:
            notes.append("The project has no end date to move")
        else:
            end = DateMove(project.end_date, shift(calendar, project.end_date, days))
            if project.start_date is not None and end.after < project.start_date:
                if strict:
                    raise ValidationError(
                        "schedule impact",
                        f"{signed_days(days)} would move the end date to "
                        f"{end.after.isoformat()}, before the project's start "
                        f"{project.start_date.isoformat()}",
                    )
                notes.append(
                    f"Refused: the end date would fall before the start "
                    f"{project.start_date.isoformat()}"
                )
        task = _latest_open_milestone(session, change.project_id)
        if task is None:
            notes.append("No open milestone to move")
        else:
            assert task.id is not None
            milestone = MilestoneMove(
                task_id=task.id,
                name=task.name,
                start=_move(calendar, task.planned_start, days),
                finish=_move(calendar, task.planned_finish, days),
            )
    return ApprovalPreview(
        change_id=change.id,
        version=change.version,
        title=change.title,
        project_id=change.project_id,
        project_code=project.code,
        currency=currency,
        cost_impact=cost,
        schedule_impact_days=days,
        categories=tuple(categories),
        category=chosen if cost != 0 else None,
        budget_total=sum(budgets.values(), Decimal(0)),
        category_budgets=budgets,
        end_date=end,
        milestone=milestone,
        notes=tuple(notes),
    )


def _move(calendar: WorkCalendar, day: date | None, days: int) -> DateMove | None:
    return None if day is None else DateMove(day, shift(calendar, day, days))


# --- writes ----------------------------------------------------------------------------------
