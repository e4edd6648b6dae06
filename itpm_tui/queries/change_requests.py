"""Change requests as read: the log per project, and what approving one would move.

`approval_preview` and `approve_change` share `plan_approval`, so a confirmation dialog
says exactly what the approval will do before anything moves: the cost impact becomes a
budget line, the schedule impact moves the project's end date by that many working days on
the project's calendar, and moves the work it affects (`affected_task`): a change request
names no task, so a delay falls on the first open task of the critical path — the work the
project is waiting on now — and everything after it moves through its links; the dialog
lists every task whose scheduled finish moves, old → new.
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
from itpm_tui.queries.schedule import ProjectSchedule, ScheduledTask, load_schedules
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine, ChangeRequest, Holiday, Project

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
class TaskPlanMove:
    """The task whose stored plan an approval changes, and how."""

    task_id: int
    label: str  # "2.3 Cut-over night"
    how: str  # "delayed", "extended" or "shortened"
    start: DateMove
    finish: DateMove


@dataclass(frozen=True, slots=True)
class FinishMove:
    """A task whose scheduled finish moves, itself or through its links."""

    task_id: int
    label: str
    finish: DateMove


#: How many moved tasks a preview lists by name before it counts the rest.
SHOWN_MOVES = 6


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
    task: TaskPlanMove | None = None
    #: Every task whose scheduled finish moves, in outline order.
    moves: tuple[FinishMove, ...] = ()
    #: Why part of the schedule impact has nothing to move (no end date, no open task).
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
        if self.task is not None:
            t = self.task
            days = signed_days(self.schedule_impact_days)
            then = ", and the work after it" if t.how != "shortened" else ""
            out.append(f"{t.label} {t.how} {days}{then}:")
            for move in self.moves[:SHOWN_MOVES]:
                out.append(f"  {move.label}: finish {move.finish}")
            if len(self.moves) > SHOWN_MOVES:
                out.append(f"  … and {len(self.moves) - SHOWN_MOVES} more tasks")
        out.extend(self.notes)
        if not out:
            out.append("No budget or schedule impact: only the decision is recorded")
        return out

    def describe(self, category: str | None = None) -> str:
        """One sentence for a log line or a notice."""
        return "; ".join(line.strip() for line in self.lines(category))


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


def affected_task(plan: ProjectSchedule, days: int) -> ScheduledTask | None:
    """The task a schedule change falls on, since a change request names none.

    A delay falls on the first open task of the critical path (the work the project waits on
    now), so it and everything after it move through the links and the finish moves by the
    delay; when the path has no open task, on the open task that finishes last. A saving
    shortens the last open task of the critical path that has working days to give (not a
    milestone), else the open task that finishes last. A saving moves no other task earlier:
    each task's own planned start is a "start no earlier than" that keeps it where it is.
    """
    by_id = plan.by_id()
    leaves = [t for t in plan.leaves if not t.done and t.start and t.finish]
    if days < 0:
        leaves = [t for t in leaves if not t.is_milestone]
    path = [by_id[i] for i in plan.critical_path if by_id[i] in leaves]
    if path:
        return path[0] if days > 0 else path[-1]
    return max(leaves, key=lambda t: t.finish or date.min, default=None)


def _task_move(
    calendar: WorkCalendar, task: ScheduledTask, days: int
) -> tuple[str, date, date] | None:
    """How `task`'s stored plan changes: a task not started is delayed (start and finish
    move), one under way is extended, a saving shortens it (never below one working day).
    The new start is pinned where the schedule has it, so the length stays what it was."""
    assert task.start is not None and task.finish is not None
    if days > 0:
        finish = shift(calendar, task.finish, days)
        if task.status == TaskStatus.TODO.value:
            return "delayed", shift(calendar, task.start, days), finish
        return "extended", task.start, finish
    finish = max(task.start, shift(calendar, task.finish, days))
    return ("shortened", task.start, finish) if finish != task.finish else None


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
    task_move: TaskPlanMove | None = None
    moves: tuple[FinishMove, ...] = ()
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
        task_move, moves = _schedule_moves(session, change.project_id, calendar, days, notes)
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
        task=task_move,
        moves=moves,
        notes=tuple(notes),
    )


def _schedule_moves(
    session: Session, project_id: int, calendar: WorkCalendar, days: int, notes: list[str]
) -> tuple[TaskPlanMove | None, tuple[FinishMove, ...]]:
    """The affected task's new plan and every scheduled finish it moves (links included)."""
    plan = load_schedules(session, [project_id])[project_id]
    task = affected_task(plan, days)
    if task is None:
        notes.append("No open task to move")
        return None, ()
    change = _task_move(calendar, task, days)
    if change is None:
        notes.append(f"{_label(task)} is one working day long: nothing to take off")
        return None, ()
    how, start, finish = change
    assert task.start is not None and task.finish is not None
    after = load_schedules(session, [project_id], replan={task.id: (start, finish)})[project_id]
    new = {t.id: t.finish for t in after.leaves}
    moves = tuple(
        FinishMove(t.id, _label(t), DateMove(t.finish, after_finish))
        for t in plan.leaves
        if t.finish is not None
        and (after_finish := new.get(t.id)) is not None
        and after_finish != t.finish
    )
    if not moves:
        notes.append(f"The links of {_label(task)} hold its finish: no task's finish moves")
    move = TaskPlanMove(
        task.id, _label(task), how, DateMove(task.start, start), DateMove(task.finish, finish)
    )
    return move, moves


def _label(task: ScheduledTask) -> str:
    return f"{task.wbs} {task.name}".strip()


# --- writes ----------------------------------------------------------------------------------
