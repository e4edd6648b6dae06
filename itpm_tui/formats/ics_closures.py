"""Read an iCalendar file (RFC 5545) of closures into non-working days.

Only what a closures calendar needs: each VEVENT's DTSTART, DTEND (or DURATION) and SUMMARY.
An all-day event (`DTSTART;VALUE=DATE:20261224`) covers its days up to DTEND, which is the
day after the last one; an event with times covers every day it touches (an end at midnight
does not touch the day it ends on). Without DTEND or DURATION an event is one day; a
cancelled one (STATUS:CANCELLED) closes nothing, and a repeating one (RRULE) is refused
rather than read as its first day only. Folded
lines are unfolded and TEXT escapes undone. A file that breaks the rules is refused as a
whole with one `ValidationError` naming the line and the field, so nothing is written.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from itpm_tui.domain.holidays import MAX_NAME, DayOff
from itpm_tui.domain.limits import control_rule, date_rule
from itpm_tui.domain.validation import ValidationError

#: An event longer than this is a mistake in the file, not a closure.
MAX_EVENT_DAYS = 366
DURATION_RE = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")


def _unfold(text: str) -> list[tuple[int, str]]:
    """Content lines with the number of the line each starts on; folds joined."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw[:1] in (" ", "\t") and lines:
            start, before = lines[-1]
            lines[-1] = (start, before + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=V;...:VALUE → (NAME, params, value); quoted parameter values kept whole."""
    head, value, in_quote = "", "", False
    for i, char in enumerate(line):
        if char == '"':
            in_quote = not in_quote
        elif char == ":" and not in_quote:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        raise ValueError("has no ':' between the property name and its value")
    name, *params = head.split(";")
    found: dict[str, str] = {}
    for param in params:
        key, _, val = param.partition("=")
        found[key.strip().upper()] = val.strip().strip('"')
    return name.strip().upper(), found, value.strip()


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _moment(value: str, params: dict[str, str]) -> date | datetime:
    if params.get("VALUE", "").upper() == "DATE" or re.fullmatch(r"\d{8}", value):
        return datetime.strptime(value, "%Y%m%d").date()
    return datetime.strptime(value.rstrip("Zz"), "%Y%m%dT%H%M%S")


def _duration(value: str) -> timedelta:
    found = DURATION_RE.fullmatch(value.lstrip("+"))
    if not found or not any(found.groups()):
        raise ValueError(f"'{value}' is not a duration such as P1D or PT8H")
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in found.groups())
    return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)


def _days(start: date | datetime, end: date | datetime | None) -> list[date]:
    """The days an event covers (see the module's description)."""
    if isinstance(start, datetime):
        first = start.date()
        if end is None:
            return [first]
        assert isinstance(end, datetime)
        last = end.date() if end.time() != datetime.min.time() else end.date() - timedelta(1)
        last = max(last, first)
    else:
        first = start
        last = first if end is None else _as_date(end) - timedelta(1)
        last = max(last, first)
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def read_closures(text: str) -> list[DayOff]:
    """Every day the file's events close, in file order (a day may repeat: the caller keeps
    the first); `ValidationError` with "line N" as the field for the first broken rule."""
    lines = _unfold(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise ValidationError("line 1", "is not the start of an iCalendar file (BEGIN:VCALENDAR)")
    days: list[DayOff] = []
    event: dict[str, tuple[int, dict[str, str], str]] | None = None
    begin_line = 0
    depth: list[str] = []
    for number, line in lines:
        try:
            name, params, value = _split(line)
        except ValueError as exc:
            raise ValidationError(f"line {number}", str(exc)) from None
        if name == "BEGIN":
            depth.append(value.upper())
            if value.upper() == "VEVENT":
                event, begin_line = {}, number
            continue
        if name == "END":
            if not depth or depth[-1] != value.upper():
                raise ValidationError(f"line {number}", f"END:{value} closes nothing open")
            depth.pop()
            if value.upper() == "VEVENT" and event is not None:
                days += _event_days(event, begin_line)
                event = None
            continue
        if event is not None and depth[-1:] == ["VEVENT"] and name not in event:
            event[name] = (number, params, value)
    if depth:
        raise ValidationError(f"line {lines[-1][0]}", f"BEGIN:{depth[-1]} is never ended")
    return days


def _event_days(event: dict[str, tuple[int, dict[str, str], str]], begin_line: int) -> list[DayOff]:
    if "STATUS" in event and event["STATUS"][2].upper() == "CANCELLED":
        return []  # a closure called off closes nothing
    if "RRULE" in event:
        raise ValidationError(
            f"line {event['RRULE'][0]}",
            "RRULE: repeating events are not read; export each occurrence as its own event",
        )
    if "DTSTART" not in event:
        raise ValidationError(f"line {begin_line}", "the event has no DTSTART")
    number, params, value = event["DTSTART"]
    try:
        start = _moment(value, params)
    except ValueError:
        raise ValidationError(
            f"line {number}", f"DTSTART '{value}' is not a date (YYYYMMDD) or date-time"
        ) from None
    end: date | datetime | None = None
    if "DTEND" in event:
        number, params, value = event["DTEND"]
        try:
            end = _moment(value, params)
        except ValueError:
            raise ValidationError(
                f"line {number}", f"DTEND '{value}' is not a date (YYYYMMDD) or date-time"
            ) from None
        if isinstance(end, datetime) != isinstance(start, datetime):
            raise ValidationError(f"line {number}", "DTEND must be of the same kind as DTSTART")
        if end < start:
            raise ValidationError(f"line {number}", "DTEND must not be before DTSTART")
    elif "DURATION" in event:
        number, _params, value = event["DURATION"]
        try:
            end = start + _duration(value)
        except ValueError as exc:
            raise ValidationError(f"line {number}", f"DURATION {exc}") from None
    covered = _days(start, end)
    if len(covered) > MAX_EVENT_DAYS:
        raise ValidationError(
            f"line {begin_line}", f"the event spans {len(covered)} days (at most {MAX_EVENT_DAYS})"
        )
    for day in (covered[0], covered[-1]):
        if rule := date_rule(day):
            raise ValidationError(f"line {begin_line}", f"the event's days {rule}")
    summary = _unescape(event["SUMMARY"][2]) if "SUMMARY" in event else ""
    name = " ".join(summary.split())[:MAX_NAME]
    if rule := control_rule(name):
        raise ValidationError(f"line {event['SUMMARY'][0]}", f"SUMMARY: {rule}")
    return [DayOff(day, name) for day in covered]
