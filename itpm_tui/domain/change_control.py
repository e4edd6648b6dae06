"""Change control: what makes a change request acceptable, and how deciding one moves a plan.

A change request states its impact in the project's terms: money in the project's currency
(negative for a saving) and working days (negative when it brings the finish forward). Only
a proposed change can be decided, once; approving it moves the budget and the schedule by
exactly the stated impact, counted on the project's working-day calendar, and never touches
the baseline, so the variance the change causes stays visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import ChangeStatus
from itpm_tui.domain.money import parse_amount
from itpm_tui.domain.validation import Checker, ValidationError, parse_date

MAX_TITLE = 200
MAX_NAME = 200
MAX_DESCRIPTION = 4000
#: A change that moves the finish by more than a working year is a new project, not a change.
MAX_SCHEDULE_DAYS = 365

#: The states a proposed change may move to; decided changes are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    ChangeStatus.PROPOSED.value: frozenset(
        {ChangeStatus.APPROVED.value, ChangeStatus.REJECTED.value, ChangeStatus.WITHDRAWN.value}
    ),
    ChangeStatus.APPROVED.value: frozenset(),
    ChangeStatus.REJECTED.value: frozenset(),
    ChangeStatus.WITHDRAWN.value: frozenset(),
}

_WHOLE = re.compile(r"[+-]?[0-9]+")


@dataclass
class ChangeDraft:
    """The editable fields of a change request, as typed in a form or given by a caller.

    Dates may be given as `date` or as typed text; amounts and days as numbers or text.
    An empty cost or schedule impact means none (0).
    """

    title: str
    requested_on: date | str | None
    requested_by: str = ""
    description: str = ""
    cost_impact: str | Decimal | int = "0"
    schedule_impact_days: str | int = "0"


@dataclass(frozen=True, slots=True)
class CleanChange:
    """A validated change request, ready to store."""

    title: str
    requested_by: str
    requested_on: date
    description: str
    cost_impact: Decimal
    schedule_impact_days: int


def validate_change(
    draft: ChangeDraft, currency: str, date_format: str = "%Y-%m-%d"
) -> CleanChange:
    """Return the clean change or raise one `ValidationError` listing every broken rule."""
    check = Checker()
    title = (draft.title or "").strip()
    requested_by = (draft.requested_by or "").strip()
    description = (draft.description or "").strip()
    check.required("title", title, MAX_TITLE)
    if len(requested_by) > MAX_NAME:
        check.fail("requested by", f"must be at most {MAX_NAME} characters")
    if len(description) > MAX_DESCRIPTION:
        check.fail("description", f"must be at most {MAX_DESCRIPTION} characters")
    check.columns(
        "changerequest",
        {"requested_by": requested_by, "description": description},
        {"requested_by": "requested by"},
    )

    requested_on = _date(check, draft.requested_on, date_format)
    cost = _cost(check, draft.cost_impact, currency)
    days = _days(check, draft.schedule_impact_days)

    check.raise_if_any()
    assert requested_on is not None and cost is not None and days is not None
    return CleanChange(
        title=title,
        requested_by=requested_by,
        requested_on=requested_on,
        description=description,
        cost_impact=cost,
        schedule_impact_days=days,
    )


def _date(check: Checker, value: date | str | None, date_format: str) -> date | None:
    if isinstance(value, date):
        return value
    if value is not None and not isinstance(value, str):
        check.fail("requested on", f"'{value}' is not a date; use YYYY-MM-DD")
        return None
    try:
        parsed = parse_date(value, "requested on", date_format)
    except ValidationError as exc:
        check.problems += exc.problems
        return None
    if parsed is None:
        check.fail("requested on", "is required")
    return parsed


def _cost(check: Checker, value: str | Decimal | int, currency: str) -> Decimal | None:
    if isinstance(value, bool):  # a bool is an int to Python, never an amount to a user
        check.fail("cost impact", f"'{value}' is not a decimal amount")
        return None
    if isinstance(value, str) and not value.strip():
        value = "0"
    try:
        return parse_amount(value, currency, "cost impact")
    except ValidationError as exc:
        check.problems += exc.problems
        return None


def _days(check: Checker, value: str | int) -> int | None:
    if isinstance(value, bool):
        check.fail("schedule impact", f"'{value}' is not a whole number of working days")
        return None
    if isinstance(value, int):
        days = value
    else:
        text = str(value).strip().replace(" ", "")
        if text.lower().endswith("wd"):
            text = text[:-2]
        if not text:
            days = 0
        elif not _WHOLE.fullmatch(text):
            check.fail(
                "schedule impact",
                f"'{value}' is not a whole number of working days (e.g. 5, -2)",
            )
            return None
        else:
            days = int(text)
    if not -MAX_SCHEDULE_DAYS <= days <= MAX_SCHEDULE_DAYS:
        check.fail(
            "schedule impact",
            f"must be between -{MAX_SCHEDULE_DAYS} and {MAX_SCHEDULE_DAYS} working days, "
            f"got {days}",
        )
        return None
    return days


def check_status(status: str) -> None:
    """Refuse a status outside the `ChangeStatus` vocabulary."""
    check = Checker()
    check.one_of("status", status, ChangeStatus)
    check.raise_if_any()


def check_transition(current: str, new: str, label: str = "the change") -> None:
    """Refuse any move but proposed → approved / rejected / withdrawn, saying why."""
    check = Checker()
    check.one_of("status", current, ChangeStatus)
    check.one_of("status", new, ChangeStatus)
    if not check.problems and new not in TRANSITIONS[current]:
        if current == ChangeStatus.PROPOSED.value:
            check.fail(
                "status", f"{label} is already proposed; decide it: approve, reject or withdraw"
            )
        else:
            check.fail(
                "status",
                f"{label} is already {current}; only a proposed change can be decided",
            )
    check.raise_if_any()


def check_editable(status: str, label: str = "the change") -> None:
    """Only a proposed change may be edited: a decision was taken on what it said."""
    if status != ChangeStatus.PROPOSED.value:
        raise ValidationError(
            "status", f"{label} is {status}; only a proposed change can be edited"
        )


def shift(calendar: WorkCalendar, day: date, working_days: int) -> date:
    """`day` moved by `working_days` on `calendar` (negative: earlier); 0 leaves it as it is.

    The result is the n-th working day after (or before) `day`, which itself never counts:
    a working day shifted forward and back by the same number returns to itself, and +1 from
    a Saturday is the Monday after it (−1, the Friday before).
    """
    if working_days == 0:
        return day
    return calendar.add_working_days(day, working_days)


def signed_days(days: int) -> str:
    """`+5 wd`, `-2 wd`, `0 wd`: working days with their sign."""
    return f"{days:+d} wd" if days else "0 wd"
