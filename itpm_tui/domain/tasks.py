"""Rules for tasks and milestones of the work breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itpm_tui.domain.enums import DependencyType, TaskStatus
from itpm_tui.domain.validation import Checker


@dataclass
class TaskDraft:
    name: str
    parent_id: int | None = None
    is_milestone: bool = False
    planned_start: date | None = None
    planned_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    estimate_hours: Decimal = Decimal(0)
    remaining_hours: Decimal = Decimal(0)
    percent_complete: int = 0
    status: str = TaskStatus.TODO.value
    assignee_id: int | None = None
    needs_downtime: bool = False
    description: str = ""
    blocked_reason: str = ""


def validate_task(draft: TaskDraft) -> TaskDraft:
    check = Checker()
    check.required("name", draft.name)
    check.one_of("status", draft.status, [s.value for s in TaskStatus])
    check.date_order("start", draft.planned_start, "finish", draft.planned_finish)
    check.date_order("actual start", draft.actual_start, "actual finish", draft.actual_finish)
    check.between("percent complete", draft.percent_complete, 0, 100)
    check.not_negative("estimate", draft.estimate_hours)
    check.not_negative("remaining", draft.remaining_hours)
    if (
        draft.is_milestone
        and draft.planned_start
        and draft.planned_finish
        and draft.planned_start != draft.planned_finish
    ):
        check.fail("finish", "a milestone starts and finishes on the same day")
    if draft.status == TaskStatus.DONE.value and draft.percent_complete != 100:
        check.fail("percent complete", "a done task is 100% complete")
    check.raise_if_any()
    draft.name = draft.name.strip()
    return draft


def validate_link(kind: str, lag_days: int) -> None:
    check = Checker()
    check.one_of("link type", kind, [k.value for k in DependencyType])
    check.between("lag", lag_days, -365, 365)
    check.raise_if_any()
