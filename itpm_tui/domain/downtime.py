"""What makes a downtime window acceptable, and where a window tied to a task lies today.

A window is typed as local wall-clock times (`YYYY-MM-DD HH:MM`) at the site where the work
happens. The same reader serves the Timeline's form and `itpm downtime add`, so both refuse
the same things with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from itpm_tui.domain.validation import Checker, ValidationError

MAX_TITLE = 120
MAX_SYSTEMS = 300
#: How a moment is typed; the ISO "T" between date and time is accepted too.
MOMENT_FORMAT = "YYYY-MM-DD HH:MM"


@dataclass(frozen=True, slots=True)
class WindowDraft:
    """The editable fields of a window, as typed."""

    title: str
    starts_at: str
    ends_at: str
    systems: str = ""
    approved: bool = False
    task_id: int | None = None


@dataclass(frozen=True, slots=True)
class CleanWindow:
    title: str
    starts_at: datetime
    ends_at: datetime
    systems: str
    approved: bool
    task_id: int | None


def parse_moment(text: str | None, field: str) -> datetime:
    """A typed local date and time to the minute; `ValidationError` naming `field` if not."""
    value = (text or "").strip()
    if not value:
        raise ValidationError(field, f"is required ({MOMENT_FORMAT})")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValidationError(field, f"'{value}' is not a date and time; use {MOMENT_FORMAT}")


def format_moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def read_window(draft: WindowDraft) -> CleanWindow:
    """Return the clean window or raise `ValidationError` listing every broken rule: a title
    (at most 120 characters), a start and an end as `YYYY-MM-DD HH:MM` with the end after the
    start, systems as free text (at most 300 characters)."""
    check = Checker()
    title = (draft.title or "").strip()
    systems = " ".join((draft.systems or "").split())
    check.required("title", title, MAX_TITLE)
    if len(systems) > MAX_SYSTEMS:
        check.fail("systems", f"must be at most {MAX_SYSTEMS} characters")
    check.columns("downtimewindow", {"title": title, "systems": systems})
    moments: dict[str, datetime] = {}
    for field, text in (("start", draft.starts_at), ("end", draft.ends_at)):
        try:
            moments[field] = parse_moment(text, field)
        except ValidationError as exc:
            check.problems += exc.problems
    start, end = moments.get("start"), moments.get("end")
    check.dates(("start", start), ("end", end))
    if start is not None and end is not None and end <= start:
        check.fail("end", f"must be after the start ({format_moment(start)})")
    check.raise_if_any()
    assert start is not None and end is not None
    return CleanWindow(title, start, end, systems, bool(draft.approved), draft.task_id)


def shifted(
    starts_at: datetime, ends_at: datetime, anchor: date | None, task_start: date | None
) -> tuple[datetime, datetime]:
    """The window as it lies now: moved by as many days as its task's scheduled start has
    moved since the window was saved (`anchor`), time of day kept. Without both dates (no
    task, a task without dates) it stays where it was stored."""
    if anchor is None or task_start is None:
        return starts_at, ends_at
    delta = task_start - anchor
    return starts_at + delta, ends_at + delta
