"""One project's milestones and downtime windows as an iCalendar file (RFC 5545).

Milestones are all-day events on their scheduled date — the Timeline's, after links, lags and
holidays — (the actual one once done). Downtime
windows are timed events in *floating* local time: itpm stores a window as the wall-clock
time at the site where the work happens, which may be in another time zone than the machine
exporting it, so the file says "22:00 local" rather than guessing a zone. Each item has a UID
that stays the same on every export (``milestone-<id>-<database>@itpm``,
``downtime-<id>-<database>@itpm``, `record_uid`), so a calendar that imports the file again
updates the events instead of duplicating them, and one that holds the calendars of two
databases never merges their events.

The content-line rules (escaping, folding at 75 octets, CRLF) are shared with vCard 4.0,
which took them from this RFC.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from itpm_tui import __version__
from itpm_tui.domain.enums import TaskStatus
from itpm_tui.errors import NotFoundError
from itpm_tui.queries.database_identity import database_uid
from itpm_tui.queries.timeline import load_project_calendar, load_timeline
from itpm_tui.reports.clean import clean
from itpm_tui.storage.database import Database

CRLF = "\r\n"
LINE_OCTETS = 75  # RFC 5545 §3.1 / RFC 6350 §3.2: excluding the line break
PRODID = f"-//itpm//itpm {__version__}//EN"


def record_uid(database: uuid.UUID, kind: str, record_id: int) -> str:
    """The UID of a record's event: the same on every export of this database (so importing
    the file again updates the event), never another database's (whose ids start at 1 too):
    the record's kind and id, and the database's UUID made when it was created."""
    return f"{kind}-{record_id}-{database}@itpm"


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``, other
    control characters dropped."""
    text = clean(value)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded so no physical line exceeds 75 octets of UTF-8 (a character
    is never split); continuation lines start with one space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def content_lines(lines: Iterable[str]) -> str:
    """Lines folded and each ended with CRLF: the body of a .ics or .vcf file."""
    return "".join(fold(line) + CRLF for line in lines)


def stamp(moment: datetime) -> str:
    """A DTSTAMP value: UTC, with Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _local(value: datetime) -> str:
    """Floating local time (no zone, no Z): the site's wall clock."""
    return value.replace(tzinfo=None).strftime("%Y%m%dT%H%M%S")


def calendar_head(name: str) -> list[str]:
    """The VCALENDAR's opening lines, the calendar named `name`."""
    return [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]


def all_day(first: date, last: date) -> list[str]:
    """DTSTART/DTEND of an all-day event from `first` to `last` included (DTEND is the day
    after, RFC 5545 §3.6.1)."""
    return [
        f"DTSTART;VALUE=DATE:{_day(first)}",
        f"DTEND;VALUE=DATE:{_day(max(first, last) + timedelta(days=1))}",
    ]


def timed(starts_at: datetime, ends_at: datetime) -> list[str]:
    """DTSTART/DTEND in floating local time (see the module's description)."""
    return [f"DTSTART:{_local(starts_at)}", f"DTEND:{_local(ends_at)}"]


def event(
    uid: str, dtstamp: str, when: list[str], summary: str, details: list[str], *extra: str
) -> list[str]:
    """One VEVENT: a stable `uid`, its time lines, summary and description (escaped here,
    the details one a line) and any further property lines."""
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{dtstamp}",
        *when,
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        *extra,
        "END:VEVENT",
    ]


def downtime_event(
    database: uuid.UUID,
    window_id: int,
    dtstamp: str,
    window: Any,
    summary: str,
    details: list[str],
) -> list[str]:
    """A downtime window (anything with starts_at, ends_at, approved) as a timed event; its
    UID is the window's, so every calendar that holds it names the same event."""
    return event(
        record_uid(database, "downtime", window_id),
        dtstamp,
        timed(window.starts_at, window.ends_at),
        summary,
        details,
        "CATEGORIES:Downtime",
        f"STATUS:{'CONFIRMED' if window.approved else 'TENTATIVE'}",
        "TRANSP:OPAQUE",
    )


def export_ics(db: Database, project_id: int, *, now: datetime | None = None) -> str:
    """The calendar as text with CRLF line ends; `now` (UTC) is the DTSTAMP of every event."""
    timeline = load_timeline(db, project_id)
    if timeline is None:
        raise NotFoundError(f"project {project_id} does not exist")
    dtstamp = stamp(now or datetime.now(UTC))
    database = database_uid(db)
    code, name = timeline.code, timeline.name
    calendar = load_project_calendar(db, project_id)
    finished, windows = calendar.milestone_finished, timeline.downtime  # moved with tasks

    lines = calendar_head(f"{code} {name}")
    for task in timeline.tasks:
        if not task.is_milestone:
            continue
        done = task.status == TaskStatus.DONE.value
        day = (finished.get(task.id) if done else None) or task.finish
        if day is None:
            continue
        details = [f"Milestone of {code} {name}.", "Done." if done else "Not done yet."]
        if task.baseline_finish and task.baseline_finish != day:
            details.append(f"Baseline date: {task.baseline_finish.isoformat()}.")
        lines += event(
            record_uid(database, "milestone", task.id),
            dtstamp,
            all_day(day, day),
            f"{code}: {task.name}",
            details,
            "CATEGORIES:Milestone",
            "TRANSP:TRANSPARENT",
        )
    for window in windows:
        details = [
            f"Downtime window of {code} {name}.",
            f"Systems down: {window.systems or 'not listed'}.",
            "Approved." if window.approved else "Not approved yet.",
            "Times are local time at the site.",
        ]
        if window.task_name:
            details.insert(2, f"For the task: {window.task_name} (moves when it moves).")
        lines += downtime_event(
            database, window.id, dtstamp, window, f"{code} downtime: {window.title}", details
        )
    lines.append("END:VCALENDAR")
    return content_lines(lines)
