"""Rules for people: the team members tasks are assigned to (stakeholders are in
`itpm_tui.domain.stakeholders`), and how their assigned work loads their weeks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from itpm_tui.domain.calendar import WorkCalendar, week_start
from itpm_tui.domain.enums import PersonRole
from itpm_tui.domain.money import check_currency, parse_amount
from itpm_tui.domain.validation import Checker, Problem, ValidationError

HANDLE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
HANDLE_MAX = 40
ROLE_MAX = 80
MAX_WEEKLY_HOURS = Decimal(168)
ROLES: tuple[str, ...] = tuple(r.value for r in PersonRole)


@dataclass
class PersonDraft:
    name: str
    handle: str
    role: str = ""
    email: str = ""
    phone: str = ""
    skills: str = ""
    weekly_capacity_hours: Decimal = Decimal(40)
    cost_rate: Decimal = Decimal(0)
    cost_currency: str = "EUR"


def validate_person(draft: PersonDraft) -> PersonDraft:
    """The one check of a person, for the form, the CLI and imports: every problem at once,
    each naming its field; returns the draft with handle and e-mail normalised. The currency
    is checked where it is read (`read_person`, the services, the importer's column rules)."""
    check = Checker()
    check.required("name", draft.name)
    handle = draft.handle.strip().lower()
    if not handle:
        check.fail("handle", "must not be empty")
    elif not set(handle) <= HANDLE_CHARS or len(handle) > HANDLE_MAX:
        check.fail(
            "handle",
            f"may hold only lowercase letters, digits, '.', '_' and '-' (at most {HANDLE_MAX})",
        )
    role = draft.role.strip()
    if len(role) > ROLE_MAX:
        check.fail("role", f"must be at most {ROLE_MAX} characters")
    check.columns(
        "person",
        {
            "name": draft.name,
            "role": role,
            "email": draft.email.strip(),
            "phone": draft.phone.strip(),
            "skills": draft.skills.strip(),
        },
    )
    check.email("email", draft.email.strip())
    check.phone("phone", draft.phone.strip())
    capacity = draft.weekly_capacity_hours
    if not capacity.is_finite() or not Decimal(0) < capacity <= MAX_WEEKLY_HOURS:
        check.fail("weekly capacity", f"must be more than 0 and at most 168 hours, got {capacity}")
    elif capacity != capacity.quantize(Decimal("0.01")):
        check.fail("weekly capacity", f"takes at most 2 decimal places, got {capacity}")
    check.not_negative("cost rate", draft.cost_rate)
    check.raise_if_any()
    draft.name = draft.name.strip()
    draft.handle = handle
    draft.role = role
    draft.email = draft.email.strip()
    draft.phone = draft.phone.strip()
    draft.skills = draft.skills.strip()
    return draft


def read_person(
    *,
    name: str,
    handle: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    skills: str = "",
    capacity: str = "40",
    rate: str = "0",
    currency: str = "EUR",
) -> PersonDraft:
    """A person as typed (form or command line): the numbers are read and the role matched
    to `ROLES` here, then `validate_person` checks the rest; every problem is raised
    together."""
    problems: list[Problem] = []
    hours = Decimal(40)
    try:
        hours = Decimal(capacity.strip())
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(Problem("weekly capacity", f"'{capacity}' is not a number of hours"))
    amount = Decimal(0)
    try:
        amount = parse_amount(rate, check_currency(currency, "currency"), "cost rate")
    except ValidationError as exc:
        problems.extend(exc.problems)
    draft = PersonDraft(
        name, handle, role_choice(role), email, phone, skills, hours, amount, currency
    )
    try:
        validate_person(draft)
    except ValidationError as exc:
        seen = {p.field for p in problems}
        problems.extend(p for p in exc.problems if p.field not in seen)
    if problems:
        raise ValidationError.of(problems)
    return draft


def role_choice(text: str) -> str:
    """A role typed loosely (`PM`, `engineer`, `Technician`) as one of `ROLES`; other text is
    kept as written, since a job title says more than a category."""
    folded = text.strip().casefold()
    aliases = {
        "pm": PersonRole.PROJECT_MANAGER,
        "project manager": PersonRole.PROJECT_MANAGER,
        "manager": PersonRole.PROJECT_MANAGER,
        "engineer": PersonRole.ENGINEER,
        "technician": PersonRole.ENGINEER,
        "tech": PersonRole.ENGINEER,
        "technician/engineer": PersonRole.ENGINEER,
        "other": PersonRole.OTHER,
    }
    found = aliases.get(folded)
    return found.value if found is not None else text.strip()


# -- load -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadTask:
    """An open task as the load needs it: when it is planned and how much work is left."""

    start: date | None
    finish: date | None
    estimate_hours: Decimal
    remaining_hours: Decimal = Decimal(0)
    percent_complete: int = 0

    @property
    def hours_left(self) -> Decimal:
        """The remaining hours when known, else the estimate less the part done."""
        if self.remaining_hours > 0:
            return self.remaining_hours
        left = self.estimate_hours * Decimal(100 - min(max(self.percent_complete, 0), 100)) / 100
        return max(left, Decimal(0))


def spread_hours(task: LoadTask, calendar: WorkCalendar, today: date) -> dict[date, Decimal]:
    """Hours per Monday-started week: the task's hours left spread evenly over its working
    days from today (or its start, if later) to its finish.

    Work already late (finish before today) lands on the first working day from today, since
    it still has to be done; a window with no working day puts the hours on the next one. A
    task without dates is not spread (the caller counts it as unscheduled).
    """
    hours = task.hours_left
    if task.start is None or task.finish is None or hours <= 0:
        return {}
    first = max(task.start, today)
    last = max(task.finish, first)
    days = calendar.count_working_days(first, last)
    if days <= 0:
        only = calendar.on_or_after(first)
        return {week_start(only): hours}
    per_day = hours / days
    out: dict[date, Decimal] = {}
    monday = week_start(first)
    while monday <= last:
        sunday = monday + timedelta(days=6)
        n = calendar.count_working_days(max(first, monday), min(last, sunday))
        if n > 0:
            out[monday] = per_day * n
        monday += timedelta(days=7)
    return out


def weekly_load(
    tasks: Iterable[tuple[LoadTask, WorkCalendar]], weeks: Sequence[date], today: date
) -> list[Decimal]:
    """Planned hours in each week of `weeks` (Mondays), summed over `tasks`."""
    wanted = {monday: i for i, monday in enumerate(weeks)}
    totals = [Decimal(0)] * len(weeks)
    for task, calendar in tasks:
        for monday, hours in spread_hours(task, calendar, today).items():
            at = wanted.get(monday)
            if at is not None:
                totals[at] += hours
    return totals


def coming_weeks(today: date, count: int) -> list[date]:
    """The Mondays of this week and the `count - 1` weeks after it."""
    first = week_start(today)
    return [first + timedelta(weeks=i) for i in range(max(count, 0))]


def hours_text(hours: Decimal) -> str:
    """Whole hours, or one decimal when the fraction matters (37.5): `40`, `37.5`."""
    whole = hours.quantize(Decimal(1))
    if abs(hours - whole) < Decimal("0.05"):
        return f"{whole:f}"
    return f"{hours.quantize(Decimal('0.1')):f}"


def load_text(load: Decimal, capacity: Decimal) -> tuple[str, bool]:
    """`▲ 52/40` when over capacity (the flag True), else `32/40`: readable without colour."""
    over = load.quantize(Decimal(1)) > capacity
    text = f"{hours_text(load.quantize(Decimal(1)))}/{hours_text(capacity)}"
    return (f"▲ {text}", True) if over else (text, False)
