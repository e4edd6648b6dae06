"""Stakeholder rules: where a contact sits on the influence/interest grid, when their next
update is due, and what makes a contact or a communication log entry acceptable.

**The grid.** Influence and interest are rated 1–5. A rating of 4 or 5 is *high*; 1–3 is
*low* (3 is the neutral middle of the scale, not yet high). The quadrants, after Mendelow:

- high influence, high interest → **manage closely**
- high influence, low interest → **keep satisfied**
- low influence, high interest → **keep informed**
- low influence, low interest → **monitor**

**Next update due** = the last contact plus the stakeholder's cadence:

- daily → the next working day (Monday to Friday), so Friday's update is next due on Monday;
- weekly → 7 days, fortnightly → 14 days;
- monthly → the same day of the next month, clamped to the month's last day
  (31 January → 28 or 29 February);
- at milestones → the planned finish of the first milestone not yet done, of any of the
  stakeholder's live projects, that falls after the last contact; none when there is none.

A stakeholder never contacted is due now (today). The next due date is always after the last
contact. An update is *overdue* when its due date has passed and *due* on the day itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import Cadence, Channel, StakeholderType
from itpm_tui.domain.validation import Checker, ValidationError

#: A rating of this or more (on the 1–5 scale) is high influence or high interest.
HIGH = 4
MAX_TEXT = 200
MAX_SUMMARY = 1000

_WEEKDAYS = WorkCalendar()


class Quadrant(StrEnum):
    MANAGE_CLOSELY = "manage closely"
    KEEP_SATISFIED = "keep satisfied"
    KEEP_INFORMED = "keep informed"
    MONITOR = "monitor"


#: What each quadrant asks of the project manager, for help texts and the grid.
QUADRANT_MEANING = {
    Quadrant.MANAGE_CLOSELY: "high influence, high interest",
    Quadrant.KEEP_SATISFIED: "high influence, low interest",
    Quadrant.KEEP_INFORMED: "low influence, high interest",
    Quadrant.MONITOR: "low influence, low interest",
}

#: Which status report each type of stakeholder reads: the client's decision makers, the
#: sponsor and end users the executive one (money, dates, decisions); engineers, vendors and
#: the helpdesk the technical one (tasks, windows, risks).
REPORT_AUDIENCE: Mapping[str, str] = {
    StakeholderType.CLIENT_DECISION_MAKER.value: "executive",
    StakeholderType.SPONSOR.value: "executive",
    StakeholderType.END_USER.value: "executive",
    StakeholderType.VENDOR.value: "technical",
    StakeholderType.HELPDESK.value: "technical",
    StakeholderType.INTERNAL.value: "technical",
}


def report_audience(kind: str) -> str:
    """The report a stakeholder of this type reads ("executive" for a type not listed)."""
    return REPORT_AUDIENCE.get(kind, "executive")


def is_high(rating: int) -> bool:
    return rating >= HIGH


def quadrant(influence: int, interest: int) -> Quadrant:
    """The grid quadrant of a stakeholder rated `influence` and `interest` (1–5 each)."""
    if is_high(influence):
        return Quadrant.MANAGE_CLOSELY if is_high(interest) else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if is_high(interest) else Quadrant.MONITOR


# -- next update due ----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _days_in_month(year, month + 1)))


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def next_due(
    cadence: str,
    last_contact: date | None,
    *,
    today: date,
    milestones: Iterable[date] = (),
) -> date | None:
    """When the next update is due; None when nothing is due ("at milestones" with no
    milestone ahead). `milestones` are the planned finishes of the not-done milestones of
    the stakeholder's live projects (any order)."""
    if last_contact is None:
        return today
    try:
        every = Cadence(cadence)
    except ValueError:  # a value from outside the vocabulary: treat it as the default
        every = Cadence.WEEKLY
    match every:
        case Cadence.DAILY:
            return _WEEKDAYS.next_working_day(last_contact)
        case Cadence.WEEKLY:
            return last_contact + timedelta(days=7)
        case Cadence.FORTNIGHTLY:
            return last_contact + timedelta(days=14)
        case Cadence.MONTHLY:
            return add_months(last_contact, 1)
        case Cadence.MILESTONES:
            return min((d for d in milestones if d > last_contact), default=None)


class DueState(StrEnum):
    OVERDUE = "overdue"
    DUE = "due today"
    UPCOMING = "upcoming"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Due:
    """Where a next-due date stands today; `days` is how far past (overdue) or ahead."""

    state: DueState
    days: int = 0

    @property
    def needs_update(self) -> bool:
        return self.state in (DueState.OVERDUE, DueState.DUE)

    def words(self) -> str:
        """`3 days overdue`, `due today`, `in 1 day`, or `—` with nothing due."""
        plural = "" if self.days == 1 else "s"
        if self.state is DueState.OVERDUE:
            return f"{self.days} day{plural} overdue"
        if self.state is DueState.DUE:
            return "due today"
        if self.state is DueState.UPCOMING:
            return f"in {self.days} day{plural}"
        return "—"


def due_state(due: date | None, today: date) -> Due:
    if due is None:
        return Due(DueState.NONE)
    days = (today - due).days
    if days > 0:
        return Due(DueState.OVERDUE, days)
    if days == 0:
        return Due(DueState.DUE)
    return Due(DueState.UPCOMING, -days)


# -- contacts ---------------------------------------------------------------------------------


@dataclass
class StakeholderDraft:
    """A stakeholder's own fields as a form or an import gives them (ratings may be text)."""

    name: str
    organisation: str = ""
    title: str = ""
    kind: str = StakeholderType.END_USER.value
    email: str = ""
    phone: str = ""
    channel: str = Channel.EMAIL.value
    cadence: str = Cadence.WEEKLY.value
    influence: str | int = 3
    interest: str | int = 3
    notes: str = ""
    #: Opted in to the weekly digest of all their live projects.
    digest: bool = False


@dataclass
class ContactDraft(StakeholderDraft):
    """A contact as the form gives it: the stakeholder and their projects as text."""

    projects: str = ""


@dataclass(frozen=True)
class CleanContact:
    name: str
    organisation: str
    title: str
    kind: str
    email: str
    phone: str
    channel: str
    cadence: str
    influence: int
    interest: int
    notes: str
    digest: bool = False
    #: Project code (as stored) → the stakeholder's role on it.
    projects: dict[str, str] = field(default_factory=dict)


_SPLIT_ITEMS = re.compile(r"[;\n]")


def format_projects(links: Iterable[tuple[str, str]]) -> str:
    """The text `parse_projects` reads back: `CODE: role; CODE`."""
    return "; ".join(f"{code}: {role}" if role else code for code, role in links)


def parse_projects(text: str, known_codes: Iterable[str]) -> dict[str, str]:
    """Read `FW-26: Sponsor; VOIP-25, LAP-26` into {code: role}.

    Items are separated by `;` or new lines; `CODE: role` gives a role, and an item without
    a role may list several codes separated by commas. Codes match existing projects in any
    letter case. Raises `ValidationError` on the field "projects" naming unknown codes.
    """
    by_fold = {code.casefold(): code for code in known_codes}
    found: dict[str, str] = {}
    unknown: list[str] = []
    for item in _SPLIT_ITEMS.split(text):
        item = item.strip()
        if not item:
            continue
        if ":" in item:
            code_text, role = item.split(":", 1)
            pairs = [(code_text.strip(), role.strip())]
        else:
            pairs = [(c.strip(), "") for c in item.split(",") if c.strip()]
        for code_text, role in pairs:
            code = by_fold.get(code_text.casefold())
            if code is None:
                unknown.append(code_text or "(empty code)")
            elif len(role) > MAX_TEXT:
                raise ValidationError("projects", f"role on {code} is longer than {MAX_TEXT}")
            else:
                found[code] = role or found.get(code, "")
    if unknown:
        listed = ", ".join(f"'{c}'" for c in dict.fromkeys(unknown))
        # The hint only where it helps: codes typed with spaces between them ("FW-26 LAP-26").
        hint = "; separate codes with commas" if any(" " in c for c in unknown) else ""
        raise ValidationError("projects", f"no project with code {listed}{hint}")
    return found


def _rating(check: Checker, name: str, value: str | int) -> int:
    text = str(value).strip()
    if not text:
        check.fail(name, "is required: 1 (lowest) to 5 (highest)")
        return 0
    if not text.isdecimal() or not text.isascii():
        check.fail(name, f"must be a whole number from 1 to 5, got '{text}'")
        return 0
    number = int(text)
    check.between(name, number, 1, 5)
    return number


def validate_contact(draft: StakeholderDraft, known_codes: Iterable[str] = ()) -> CleanContact:
    """Return the clean contact or raise `ValidationError` listing every broken rule.

    The one set of stakeholder rules, for the form, the services and an import alike, so
    no way in stores what another refuses. A `ContactDraft`'s project list is checked
    against `known_codes`; an import links projects in a table of its own.

    Field names in the messages: name, organisation, title, type, email, phone, channel,
    cadence, influence, interest, projects, notes, digest.
    """
    check = Checker()
    name = draft.name.strip()
    check.required("name", name)
    texts = {
        "organisation": draft.organisation.strip(),
        "title": draft.title.strip(),
        "email": draft.email.strip(),
        "phone": draft.phone.strip(),
    }
    for key, value in texts.items():
        if len(value) > MAX_TEXT:
            check.fail(key, f"must be at most {MAX_TEXT} characters")
    notes = draft.notes.strip()
    if len(notes) > MAX_SUMMARY:
        check.fail("notes", f"must be at most {MAX_SUMMARY} characters")
    check.columns("stakeholder", {**texts, "notes": notes})
    check.one_of("type", draft.kind, StakeholderType)
    check.email("email", texts["email"])
    check.phone("phone", texts["phone"])
    check.one_of("channel", draft.channel, Channel)
    check.one_of("cadence", draft.cadence, Cadence)
    influence = _rating(check, "influence", draft.influence)
    interest = _rating(check, "interest", draft.interest)
    if not isinstance(draft.digest, bool):
        check.fail("digest", f"must be true or false, got {draft.digest!r}"[:80])
    projects: dict[str, str] = {}
    try:
        if isinstance(draft, ContactDraft):
            projects = parse_projects(draft.projects, known_codes)
    except ValidationError as exc:
        check.problems += exc.problems
    check.raise_if_any()
    return CleanContact(
        name=name,
        organisation=texts["organisation"],
        title=texts["title"],
        kind=draft.kind,
        email=texts["email"],
        phone=texts["phone"],
        channel=draft.channel,
        cadence=draft.cadence,
        influence=influence,
        interest=interest,
        notes=notes,
        digest=draft.digest is True,
        projects=projects,
    )


# -- communication log --------------------------------------------------------------------------


@dataclass
class LogDraft:
    """One contact with a stakeholder: when, how, by whom, about what (and which project)."""

    logged_on: date | None
    channel: str
    by: str
    summary: str
    project_id: int | None = None


def validate_log(
    draft: LogDraft, today: date, project_ids: Mapping[int, str] | None = None
) -> LogDraft:
    """Return the trimmed draft or raise `ValidationError` (fields: date, channel, by,
    summary, project). The date may not be in the future: the log records what happened.
    `project_ids`, when given, are the projects the entry may name (the stakeholder's)."""
    check = Checker()
    if draft.logged_on is None:
        check.fail("date", "is required")
    elif draft.logged_on > today:
        check.fail("date", f"must not be in the future (today is {today.isoformat()})")
    check.one_of("channel", draft.channel, Channel)
    by = draft.by.strip()
    check.required("by", by)
    summary = draft.summary.strip()
    check.required("summary", summary, MAX_SUMMARY)
    check.columns("communicationentry", {"by": by, "summary": summary})
    check.dates(("date", draft.logged_on))
    if (
        draft.project_id is not None
        and project_ids is not None
        and draft.project_id not in project_ids
    ):
        check.fail("project", "must be one of the stakeholder's projects")
    check.raise_if_any()
    return LogDraft(draft.logged_on, draft.channel, by, summary, draft.project_id)
