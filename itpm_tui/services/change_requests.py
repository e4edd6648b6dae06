"""Writes to change requests: propose, edit, and decide (approve, reject, withdraw).

Approving a change applies it in the same transaction that records the decision, as
`queries.change_requests.plan_approval` computes it. Baselines are never touched, so the
variance the change causes stays visible. Every field that moves is logged with its old and
new value, plus one line that sums up the approval.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itpm_tui.domain.change_control import (
    ChangeDraft,
    CleanChange,
    check_editable,
    check_transition,
    signed_days,
    validate_change,
)
from itpm_tui.domain.enums import ChangeStatus
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.change_requests import (
    ApprovalPreview,
    in_currency,
    plan_approval,
    signed_money,
)
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import BudgetLine, ChangeRequest, Project, Task

# --- reads -----------------------------------------------------------------------------------


# --- the approval plan: shared by the preview and the approval --------------------------------


# --- writes ----------------------------------------------------------------------------------


def _label(change: ChangeRequest) -> str:
    return f"change #{change.id} '{change.title}'"


def _fields(clean: CleanChange) -> dict[str, Any]:
    return {
        "title": clean.title,
        "requested_by": clean.requested_by,
        "requested_on": clean.requested_on,
        "description": clean.description,
        "cost_impact": clean.cost_impact,
        "schedule_impact_days": clean.schedule_impact_days,
    }


def add_change(ctx: Context, project_id: int, draft: ChangeDraft) -> int:
    """Validate and store a new proposed change request; return its id."""
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        clean = validate_change(draft, project.currency)
        row = tx.create(
            ChangeRequest(
                project_id=project_id, status=ChangeStatus.PROPOSED.value, **_fields(clean)
            ),
            summary=(
                f"proposed change '{clean.title}': "
                f"{signed_money(clean.cost_impact, project.currency)}, "
                f"{signed_days(clean.schedule_impact_days)}"
            ),
        )
        return int(row.id)


def update_change(
    ctx: Context, change_id: int, draft: ChangeDraft, expected_version: int
) -> list[str]:
    """Save an edit of a proposed change; refuse a decided or stale one. Returns the fields
    that changed."""
    with ctx.transaction() as tx:
        change = tx.get(ChangeRequest, change_id)
        check_editable(change.status, _label(change))
        currency = tx.get(Project, change.project_id).currency
        clean = validate_change(draft, currency)
        # Stored at four places: log the old amount as the currency writes it.
        change.cost_impact = in_currency(change.cost_impact, currency)
        return tx.update(change, _fields(clean), expected_version=expected_version)


def _decide(tx: Tx, change_id: int, new: ChangeStatus, expected_version: int) -> Any:
    """Load the change and refuse a decision on one already decided or changed meanwhile."""
    change = tx.get(ChangeRequest, change_id)
    if change.status != ChangeStatus.PROPOSED.value and change.decided_by:
        when = f" on {change.decided_on.isoformat()}" if change.decided_on else ""
        raise ValidationError(
            "status",
            f"{_label(change)} was already {change.status} by {change.decided_by}{when}; "
            "only a proposed change can be decided",
        )
    check_transition(change.status, new.value, _label(change))
    tx.check_version(change, expected_version, label=_label(change))
    return change


def approve_change(
    ctx: Context, change_id: int, *, expected_version: int, category: str | None
) -> ApprovalPreview:
    """Approve the change and apply its impact, all in one transaction; return what moved.

    The cost impact becomes a budget line "Change #id: title" in `category` (None: the
    project's contingency category); the schedule impact moves the project's end date by that
    many working days and changes the plan of the task it falls on
    (`queries.change_requests.affected_task`), so the work after it moves through its links.
    The project and task are moved from what this transaction read (writers are serialised,
    and their UPDATEs still check the version read), not from a copy the user saw.
    """
    with ctx.transaction() as tx:
        change = _decide(tx, change_id, ChangeStatus.APPROVED, expected_version)
        plan = plan_approval(tx.session, change, category, strict=True)
        tx.update(
            change,
            {
                "status": ChangeStatus.APPROVED.value,
                "decided_by": ctx.user,
                "decided_on": ctx.today(),
            },
            expected_version=expected_version,
        )
        if plan.cost_impact != 0:
            assert plan.category is not None
            tx.create(
                BudgetLine(
                    project_id=change.project_id,
                    category=plan.category,
                    description=f"Change #{change.id}: {change.title}",
                    amount=plan.cost_impact,
                ),
                summary=(
                    f"added budget line {signed_money(plan.cost_impact, plan.currency)} "
                    f"({plan.category}) for {_label(change)}"
                ),
            )
        if plan.end_date is not None:
            project = tx.get(Project, change.project_id)
            tx.update(project, {"end_date": plan.end_date.after}, expected_version=None)
        if plan.task is not None:
            task = tx.get(Task, plan.task.task_id)
            moves: dict[str, date] = {
                "planned_start": plan.task.start.after,
                "planned_finish": plan.task.finish.after,
            }
            tx.update(task, moves, expected_version=None)
        tx.log(
            "changerequest",
            change.id,
            "approve",
            project_id=change.project_id,
            summary=f"approved {_label(change)}: {plan.describe()}",
        )
        return plan


def _close(ctx: Context, change_id: int, new: ChangeStatus, expected_version: int) -> None:
    with ctx.transaction() as tx:
        change = _decide(tx, change_id, new, expected_version)
        tx.update(
            change,
            {"status": new.value, "decided_by": ctx.user, "decided_on": ctx.today()},
            expected_version=expected_version,
        )
        tx.log(
            "changerequest",
            change.id,
            _verb(new),
            project_id=change.project_id,
            summary=f"{new.value} {_label(change)}",
        )


def _verb(status: ChangeStatus) -> str:
    return {ChangeStatus.REJECTED: "reject", ChangeStatus.WITHDRAWN: "withdraw"}[status]


def reject_change(ctx: Context, change_id: int, *, expected_version: int) -> None:
    """Record that the change was turned down; the budget and schedule stay as they are."""
    _close(ctx, change_id, ChangeStatus.REJECTED, expected_version)


def withdraw_change(ctx: Context, change_id: int, *, expected_version: int) -> None:
    """Record that the requester took the change back; nothing else moves."""
    _close(ctx, change_id, ChangeStatus.WITHDRAWN, expected_version)
