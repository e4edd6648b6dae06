"""Rules for tasks and milestones of the work breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import DependencyType, TaskStatus
from itpm_tui.domain.validation import Checker, Problem


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


def reconcile_dates(
    start: date | None,
    finish: date | None,
    duration: int | None,
    milestone: bool,
    calendar: WorkCalendar,
    *,
    finish_moved: bool,
    duration_moved: bool,
    problems: list[Problem],
) -> tuple[date | None, date | None]:
    """Dates from start, finish and duration as a form gives them: a moved start keeps the
    duration; a moved finish changes it; both moved must agree. Problems are appended to
    `problems` so a form can show them with its other ones."""
    if milestone:
        if duration not in (None, 0):
            problems.append(Problem("duration", "a milestone lasts 0 working days"))
        day = start or finish
        return day, day
    if duration is None:
        return start, finish
    if duration < 1:
        problems.append(
            Problem("duration", "must be at least 1 working day (tick Milestone for 0)")
        )
        return start, finish
    if start is None:
        problems.append(Problem("start", f"is needed to place {duration} working days"))
        return start, finish
    computed = calendar.finish_date(start, duration)
    if finish is None or not finish_moved:
        return start, computed
    if duration_moved and finish != computed:
        problems.append(
            Problem(
                "duration",
                f"{duration} working days from {start.isoformat()} end on "
                f"{computed.isoformat()}, not on the finish {finish.isoformat()}; "
                "change one of them",
            )
        )
    return start, finish
