"""Working hours of a day, and working time counted in minutes within it.

A project's calendar says which days are worked (`calendar.WorkCalendar`) and, here, which
hours of each of those days: MS Project's standard 08:00–12:00 and 13:00–17:00 unless the PM
says otherwise. Every working day has the same hours, so a moment of working time is a pair
(working day, working minutes already worked that day) and a part-day task is arithmetic on
minutes: a 4-hour task starting at 08:00 ends at 12:00, the next one starts at 13:00.

A working-minute *offset* within a day reads two ways at the edge of a break, as MS Project
reads it: work ending at offset 240 ends at 12:00 (`finish_clock`), work starting at offset
240 starts at 13:00 (`start_clock`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from fractions import Fraction
from itertools import pairwise

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.validation import ValidationError

FIELD = "working hours"
_SPAN_RE = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")
#: Minutes of a calendar day: what clock time (`4eh`, `10ed`) counts in.
CALENDAR_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """The working spans of a working day, as minutes after midnight: ``((480, 720), ...)``.

    Sorted, not overlapping, within one day: none crosses midnight, the last ends by 23:59.
    """

    spans: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        previous = 0
        for start, end in self.spans:
            if not previous <= start < end <= CALENDAR_DAY:
                raise ValidationError(
                    FIELD,
                    f"spans must be in order, within one day (by 23:59) and not overlap: {self}",
                )
            previous = end
        if not self.spans:
            raise ValidationError(FIELD, "a working day needs at least one span of hours")

    def __str__(self) -> str:
        """As typed and stored: ``08:00-12:00,13:00-17:00``."""
        return ",".join(f"{_clock(a)}-{_clock(b)}" for a, b in self.spans)

    @property
    def minutes_per_day(self) -> int:
        return sum(end - start for start, end in self.spans)

    def start_clock(self, offset: int) -> time:
        """Where work that starts ``offset`` working minutes into the day starts: at a break,
        the next span's start (work starting at offset 240 of 08–12, 13–17 starts at 13:00)."""
        left = self._checked(offset)
        for start, end in self.spans:
            if left < end - start:
                return _time(start + left)
            left -= end - start
        return _time(self.spans[-1][1])  # the whole day worked: its end

    def finish_clock(self, offset: int) -> time:
        """Where work that ends ``offset`` working minutes into the day ends: at a break, the
        span's end (work ending at offset 240 of 08–12, 13–17 ends at 12:00)."""
        left = self._checked(offset)
        if left == 0:
            return _time(self.spans[0][0])
        for start, end in self.spans:
            if left <= end - start:
                return _time(start + left)
            left -= end - start
        raise AssertionError("unreachable: offset was checked")  # pragma: no cover

    def offset_at(self, clock: time) -> int:
        """Working minutes of the day before ``clock``: 0 before the first span, the whole
        day after the last; a time in a break counts the spans before it."""
        minute = clock.hour * 60 + clock.minute
        worked = 0
        for start, end in self.spans:
            if minute <= start:
                break
            worked += min(minute, end) - start
        return worked

    def _checked(self, offset: int) -> int:
        if not 0 <= offset <= self.minutes_per_day:
            raise ValueError(f"offset {offset} is outside a {self.minutes_per_day}-minute day")
        return offset


def parse_working_hours(text: str) -> WorkingHours:
    """Hours as a PM types them: ``08:00-12:00, 13:00-17:00``; empty means the standard day."""
    value = text.strip()
    if not value:
        return STANDARD_HOURS
    spans: list[tuple[int, int]] = []
    for part in value.split(","):
        found = _SPAN_RE.fullmatch(part.strip())
        if found is None:
            raise ValidationError(
                FIELD, f"'{part.strip()}' is not a span of hours like 08:00-12:00"
            )
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValidationError(
                FIELD, f"'{part.strip()}' holds a time that is not a clock time (00:00–23:59)"
            )
        spans.append((h1 * 60 + m1, h2 * 60 + m2))
    for start, end in spans:
        if end <= start:
            raise ValidationError(
                FIELD,
                f"{_clock(start)}-{_clock(end)} ends before it starts (no span crosses midnight)",
            )
    spans.sort()
    for (_, end), (start, _) in pairwise(spans):
        if start < end:
            raise ValidationError(FIELD, f"spans overlap at {_clock(start)}")
    return WorkingHours(tuple(spans))


STANDARD_HOURS = WorkingHours(((8 * 60, 12 * 60), (13 * 60, 17 * 60)))


def format_work(minutes: int, minutes_per_day: int) -> str:
    """Working time as the Timeline and the forms show it: whole days ``3d``, a part of a
    day ``4h``/``30m``/``1h30m``, more than a day in tenths or hundredths ``1.5d`` when exact,
    else hours and minutes."""
    return _amount(minutes, minutes_per_day, "")


def format_clock_time(minutes: int) -> str:
    """Clock time (MS Project's elapsed time, days of 24 hours) the same way, with its
    ``e``: ``2ed``, ``4eh``, ``1eh30em``, ``1.5ed``."""
    return _amount(minutes, CALENDAR_DAY, "e")


def _amount(minutes: int, day: int, e: str) -> str:
    if minutes % day == 0:
        return f"{minutes // day}{e}d"
    days = Fraction(minutes, day)
    if minutes > day and (days * 100).denominator == 1:
        return f"{float(days):g}{e}d"
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}{e}h{rest}{e}m"
    return f"{hours}{e}h" if hours else f"{rest}{e}m"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _time(minute: int) -> time:
    return time(minute // 60, minute % 60)


class WorkingTime:
    """A calendar's working days with their working hours: moments of work as boundaries.

    Boundary ``k * minutes_per_day + m`` is ``m`` working minutes into the working day of
    index ``k`` (`WorkCalendar.working_index`), which is how the scheduler counts part-day
    work. A task lasting clock time (MS Project's elapsed hours, a cut-over from 19:00 to
    23:00) starts and ends at moments that may lie outside working hours; its links are kept
    at the working boundaries around them.
    """

    __slots__ = ("calendar", "hours", "unit")

    def __init__(self, calendar: WorkCalendar, hours: WorkingHours) -> None:
        self.calendar, self.hours, self.unit = calendar, hours, hours.minutes_per_day

    def start_moment(self, boundary: int) -> datetime:
        """When work starting at ``boundary`` starts (after a break, not at its start)."""
        day, offset = divmod(boundary, self.unit)
        return datetime.combine(self.calendar.dates[day], self.hours.start_clock(offset))

    def finish_moment(self, boundary: int) -> datetime:
        """When work ending at ``boundary`` ends: at the end of the working day before it when
        ``boundary`` starts a day."""
        day, offset = divmod(boundary - 1, self.unit)
        return datetime.combine(self.calendar.dates[day], self.hours.finish_clock(offset + 1))

    def boundary_at(self, moment: datetime) -> int:
        """The first working boundary at or after ``moment``: work cannot start before it."""
        day = moment.date()
        at = self.calendar.indexes[day] * self.unit
        if self.calendar.working[day]:
            at += self.hours.offset_at(moment.time())
        return at
