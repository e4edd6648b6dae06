"""Rules for tasks and milestones of the work breakdown."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import check_constraint
from itpm_tui.domain.enums import DependencyType, TaskStatus
from itpm_tui.domain.limits import MAX_DURATION_DAYS
from itpm_tui.domain.validation import Checker, Problem, ValidationError
from itpm_tui.domain.work_hours import (
    CALENDAR_DAY,
    STANDARD_HOURS,
    WorkingHours,
    format_clock_time,
    format_work,
)

#: Hours in a working day, for estimates typed in days ("1.5d" is 12 hours).
HOURS_PER_DAY = Decimal(8)
#: The most hours one task may hold (a year and a half of one person's days): more is a typo.
MAX_HOURS = Decimal(99_999)
_HOURS_RE = re.compile(r"(?P<n>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>h|hrs?|hours?|d|days?)?", re.I)
_BLOCKED = TaskStatus.BLOCKED.value
_DONE = TaskStatus.DONE.value
#: One part of a duration: `3`, `1.5d`, `4h`, `30m` working time (`1h30m` is two parts), or
#: with `e` clock time: `10ed`, `4eh`, `30em` (MS Project's elapsed durations).
_PART_RE = re.compile(
    r"\s*(?P<n>\d+(?:\.\d+)?|\.\d+)\s*(?P<e>e\s*)?"
    r"(?P<unit>d(?:ays?)?|h(?:rs?|ours?)?|m(?:in(?:ute)?s?)?)?",
    re.I,
)
_UNIT_MINUTES = {"d": 0, "h": 60, "m": 1}  # 0: a day of the calendar's working hours


@dataclass
class TaskDraft:
    name: str
    parent_id: int | None = None
    is_milestone: bool = False
    is_manual: bool = False  # held at its planned dates: links do not push it
    is_elapsed: bool = False  # lasts calendar days ("10ed"), weekends and holidays included
    constraint_kind: str = ""  # "", MSO or FNLT: `domain.constraints`
    constraint_date: date | None = None
    deadline: date | None = None
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
    #: Working minutes when the task is not a whole number of working days (`4h`, `1.5d`);
    #: None: it lasts the working days of its planned dates.
    work_minutes: int | None = None
    #: The clock time its work starts on its planned start day; None: the day's first hour.
    start_time: time | None = None


def validate_task(draft: TaskDraft) -> TaskDraft:
    check = Checker()
    check.required("name", draft.name)
    check.one_of("status", draft.status, TaskStatus)
    check.date_order("start", draft.planned_start, "finish", draft.planned_finish)
    check.date_order("actual start", draft.actual_start, "actual finish", draft.actual_finish)
    check.between("percent complete", draft.percent_complete, 0, 100)
    check.not_negative("estimate", draft.estimate_hours)
    check.not_negative("remaining", draft.remaining_hours)
    check.columns(
        "task",
        {
            "name": draft.name,
            "description": draft.description,
            "blocked_reason": draft.blocked_reason,
        },
        {"description": "notes", "blocked_reason": "blocked reason"},
    )
    check.dates(
        ("start", draft.planned_start),
        ("finish", draft.planned_finish),
        ("actual start", draft.actual_start),
        ("actual finish", draft.actual_finish),
        ("constraint date", draft.constraint_date),
        ("deadline", draft.deadline),
    )
    check_constraint(check, draft.constraint_kind, draft.constraint_date)
    if (
        draft.is_milestone
        and draft.planned_start
        and draft.planned_finish
        and draft.planned_start != draft.planned_finish
    ):
        check.fail("finish", "a milestone starts and finishes on the same day")
    if draft.status == _DONE and draft.percent_complete != 100:
        check.fail("percent complete", "a done task is 100% complete")
    # a part-day task's minutes (4h, 4eh): at least one, at most the longest task's days
    check.between("duration", draft.work_minutes, 1, MAX_DURATION_DAYS * CALENDAR_DAY)
    check.raise_if_any()
    draft.name = draft.name.strip()
    return draft


@dataclass(frozen=True, slots=True)
class Duration:
    """How long a task lasts: working days, calendar days when `elapsed` (MS Project's "ed":
    a carrier's porting wait runs through weekends and holidays), or working `minutes` when
    it is not a whole number of working days (a 4-hour cut-over; `days` is then the working
    days it spans at most, rounded up)."""

    days: int
    elapsed: bool = False
    minutes: int | None = None

    def __str__(self) -> str:
        """As a form shows it and reads it back: `3`, `10ed`, `4h`, `1.5d` (a standard day
        of 8 hours; `text` for another calendar)."""
        return self.text(STANDARD_HOURS.minutes_per_day)

    def text(self, minutes_per_day: int) -> str:
        """As a form shows it for a calendar whose days have `minutes_per_day`."""
        if self.minutes is not None:
            if self.elapsed:
                return format_clock_time(self.minutes)
            return format_work(self.minutes, minutes_per_day)
        return f"{self.days}ed" if self.elapsed else str(self.days)

    @property
    def clock_time(self) -> bool:
        """Elapsed hours or minutes (`4eh`): a span of clock time, not whole calendar days."""
        return self.elapsed and self.minutes is not None

    def work(self, minutes_per_day: int) -> int:
        """Working minutes on a calendar whose days have `minutes_per_day` (not elapsed)."""
        return self.days * minutes_per_day if self.minutes is None else self.minutes

    def days_spanned(self, minutes_per_day: int, start_offset: int = 0) -> int:
        """The working days its dates span when its work starts `start_offset` working
        minutes into its first day: a 4h task one, but two from 15:00 of an 8-hour day
        (15:00–17:00, then 08:00–10:00); whole and elapsed days as they are."""
        if self.minutes is None:
            return self.days
        return max(1, -(-(start_offset + self.minutes) // minutes_per_day))


def parse_duration(text: str, minutes_per_day: int = STANDARD_HOURS.minutes_per_day) -> Duration:
    """A duration as a PM types it: `3` or `3d` working days, `4h`, `30m`, `1h30m` or `1.5d`
    working time (a day is `minutes_per_day`, the calendar's working hours), `10ed` calendar
    days or `4eh`/`30em` clock time (a cut-over from 19:00 to 23:00). Working time that makes
    whole days is whole days: `8h` is `1`; so is clock time: `48eh` is `2ed`."""
    value = text.strip()
    read = _minutes(value.replace(",", "."), minutes_per_day)
    if read is None:
        raise ValidationError(
            "duration",
            f"'{value}' is not a duration: working days (3d), hours or minutes (4h, 30m, "
            "1.5d), calendar days (10ed) or clock hours (4eh)",
        )
    minutes, elapsed = read
    day = CALENDAR_DAY if elapsed else minutes_per_day
    days, rest = divmod(minutes, day)
    if rest == 0:
        return Duration(days, elapsed)
    return Duration(days + 1, elapsed, minutes)


def _minutes(value: str, minutes_per_day: int) -> tuple[int, bool] | None:
    """Whole minutes of `value` (`1h30m`, `1.5d`, `4eh`) and whether they are clock time;
    None when it is not a duration, mixes working and clock time, or is not a whole number
    of minutes."""
    if not value:
        return None
    total = Fraction(0)
    at = 0
    units: set[str] = set()
    kinds: set[bool] = set()
    while at < len(value):
        found = _PART_RE.match(value, at)
        if found is None or found.end() == at:
            return None
        unit = (found["unit"] or "d")[0].lower()
        elapsed = found["e"] is not None
        if unit in units or (found["unit"] is None and (at or elapsed)):
            return None  # `1h2h`, `1h 30` or `3e`: not one reading
        units.add(unit)
        kinds.add(elapsed)
        day = CALENDAR_DAY if elapsed else minutes_per_day
        total += Fraction(found["n"]) * (_UNIT_MINUTES[unit] or day)
        at = found.end()
    if total.denominator != 1 or len(kinds) > 1:
        return None
    return int(total), kinds.pop()


def task_duration(draft: TaskDraft, calendar: WorkCalendar) -> Duration | None:
    """How long the task lasts by its planned dates (or its working minutes); None without
    both dates."""
    start, finish = draft.planned_start, draft.planned_finish
    if start is None or finish is None:
        return None
    if draft.is_milestone:
        return Duration(0)
    if draft.is_elapsed:  # calendar days, or clock time (4eh) in minutes
        return Duration((finish - start).days + 1, elapsed=True, minutes=draft.work_minutes)
    days = calendar.count_working_days(start, finish)
    if draft.work_minutes is not None:
        return Duration(days, minutes=draft.work_minutes)
    return Duration(days)


def validate_link(kind: str, lag_days: int) -> None:
    check = Checker()
    check.one_of("link type", kind, DependencyType)
    check.between("lag", lag_days, -365, 365)
    check.raise_if_any()


def reconcile_dates(
    start: date | None,
    finish: date | None,
    duration: Duration | int | None,
    milestone: bool,
    calendar: WorkCalendar,
    *,
    finish_moved: bool,
    duration_moved: bool,
    problems: list[Problem],
    elapsed: bool = False,
    hours: WorkingHours = STANDARD_HOURS,
    start_time: time | None = None,
) -> tuple[date | None, date | None]:
    """Dates from start, finish and duration as a form gives them: a moved start keeps the
    duration; a moved finish changes it; both moved must agree. An `elapsed` duration counts
    calendar days, so it may end on a weekend; a part-day one (`4h`, `1.5d`) spans the
    working days its minutes take within `hours` from `start_time` (the planned finish is the
    day the work ends). Problems are appended to `problems` so a form can show them with its
    other ones."""
    if isinstance(duration, Duration) and duration.clock_time:
        # clock time from its start's clock time: 4eh from 22:00 ends the next day
        at = start_time or hours.start_clock(0)
        assert duration.minutes is not None  # clock time is minutes
        duration = max(1, -(-(at.hour * 60 + at.minute + duration.minutes) // CALENDAR_DAY))
    elif isinstance(duration, Duration):
        offset = 0 if start_time is None else hours.offset_at(start_time)
        duration = duration.days_spanned(hours.minutes_per_day, offset)
    unit = "calendar days" if elapsed else "working days"
    if milestone:
        # The duration left over from before the box was ticked is not the user's word.
        if duration_moved and duration not in (None, 0):
            problems.append(Problem("duration", "a milestone lasts 0 working days"))
        day = start or finish
        return day, day
    if duration is None:
        return start, finish
    if duration < 1:
        problems.append(
            Problem(
                "duration",
                f"must be at least 1 {unit.removesuffix('s')} (tick Milestone for 0)",
            )
        )
        return start, finish
    if duration > MAX_DURATION_DAYS:
        problems.append(
            Problem("duration", f"must be at most {MAX_DURATION_DAYS} {unit}, got {duration}")
        )
        return start, finish
    if start is None:
        problems.append(Problem("start", f"is needed to place {duration} {unit}"))
        return start, finish
    computed = (
        start + timedelta(days=duration - 1) if elapsed else calendar.finish_date(start, duration)
    )
    if finish is None or not finish_moved:
        return start, computed
    if duration_moved and finish != computed:
        problems.append(
            Problem(
                "duration",
                f"{duration} {unit} from {start.isoformat()} end on "
                f"{computed.isoformat()}, not on the finish {finish.isoformat()}; "
                "change one of them",
            )
        )
    return start, finish


def part_day_minutes(
    duration: Duration | None, milestone: bool, *, finish_moved: bool, duration_moved: bool
) -> int | None:
    """The minutes to store for a task whose duration field reads `duration`: its working
    minutes when it lasts part of a day, or its clock time (`4eh`), unless a moved finish
    gave it new dates without a new duration (it then lasts the working days of its dates);
    None for whole days."""
    if duration is None or milestone or (finish_moved and not duration_moved):
        return None
    return duration.minutes  # None for whole working or calendar days


START_TIME = "start time"
_CLOCK_RE = re.compile(r"(\d{1,2}):(\d{2})")


def read_start_time(text: str, hours: WorkingHours, *, clock_time: bool = False) -> time | None:
    """The clock time a task's work starts on its first day, as typed (`13:00`): within
    one of the project's working `hours` spans, or any time for a task lasting `clock_time`
    (`4eh`: a cut-over at 19:00); "", `none` or `-` for the day's first hour."""
    value = text.strip()
    if value.lower() in ("", "none", "-"):
        return None
    found = _CLOCK_RE.fullmatch(value)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ValidationError(START_TIME, f"'{value}' is not a clock time (HH:MM, 00:00–23:59)")
    minute = int(found[1]) * 60 + int(found[2])
    if not clock_time and not any(start <= minute < end for start, end in hours.spans):
        raise ValidationError(
            START_TIME, f"{value} is outside the project's working hours ({hours})"
        )
    return time(minute // 60, minute % 60)


def parse_hours(text: str, field: str, hours_per_day: Decimal = HOURS_PER_DAY) -> Decimal:
    """Hours as a PM types them: `8`, `8h` or `1.5d` (days of `hours_per_day`); to the cent."""
    value = text.strip()
    found = _HOURS_RE.fullmatch(value.replace(",", "."))
    if value.startswith("-"):
        raise ValidationError(field, f"must not be negative, got {value}")
    if found is None:
        raise ValidationError(field, f"'{value}' is not a number of hours (e.g. 8, 8h or 1.5d)")
    try:
        hours = Decimal(found["n"])
    except InvalidOperation:  # the pattern only lets digits through; a guard, not a rule
        raise ValidationError(field, f"'{value}' is not a number of hours") from None
    if (found["unit"] or "h").lower().startswith("d"):
        hours *= hours_per_day
    if hours > MAX_HOURS:
        raise ValidationError(field, f"must be at most {MAX_HOURS} hours, got {hours.normalize()}")
    return hours.quantize(Decimal("0.01"))


def hours_input(hours: Decimal) -> str:
    """Hours as a form shows them for editing: `12`, `7.5`."""
    return f"{Decimal(hours).normalize():f}"


def read_task(
    base: TaskDraft,
    *,
    name: str | None = None,
    percent: str | None = None,
    status: str | None = None,
    estimate: str | None = None,
    remaining: str | None = None,
    blocked_reason: str | None = None,
) -> TaskDraft:
    """`base` with the fields typed (form or command line; None keeps the base's value),
    checked together: hours read by `parse_hours`, a blocked task needs its reason, and a
    task that is not blocked has none (changing the status away from blocked forgets it;
    typing a reason for a task that is not blocked is refused); "done" given without a percent
    means 100%. Raises every problem at once.
    """
    problems: list[Problem] = []
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = name
    if status is not None:
        changes["status"] = " ".join(status.lower().replace("-", " ").replace("_", " ").split())
    if percent is None and status is not None and changes["status"] == TaskStatus.DONE.value:
        changes["percent_complete"] = 100  # "done" alone means all of it
    if percent is not None:
        try:
            changes["percent_complete"] = int(percent.strip().rstrip("%") or "0")
        except ValueError:
            problems.append(Problem("percent complete", "must be a whole number from 0 to 100"))
    for field, key, text in (
        ("estimate", "estimate_hours", estimate),
        ("remaining", "remaining_hours", remaining),
    ):
        if text is not None:
            try:
                changes[key] = parse_hours(text, field) if text.strip() else Decimal(0)
            except ValidationError as exc:
                problems.extend(exc.problems)
    draft = replace(base, **changes)  # type: ignore[arg-type]
    reason = draft.blocked_reason.strip() if blocked_reason is None else blocked_reason.strip()
    if draft.status == _BLOCKED:
        if not reason:
            problems.append(Problem("blocked reason", "is required when the status is blocked"))
        elif len(reason) > 500:
            problems.append(Problem("blocked reason", "must be at most 500 characters"))
    elif blocked_reason is not None and reason and reason != base.blocked_reason.strip():
        problems.append(
            Problem("blocked reason", f"only a blocked task has one (the status is {draft.status})")
        )
    else:
        reason = ""
    draft = replace(draft, blocked_reason=reason)
    try:
        draft = validate_task(draft)
    except ValidationError as exc:
        seen = {p.field for p in problems}
        problems.extend(p for p in exc.problems if p.field not in seen)
    if problems:
        raise ValidationError.of(problems)
    return draft
