"""MS Project XML → plain data: reads and checks a whole plan without touching the database.

Nothing here knows about tables: the importer maps the `MsPlan` onto the services. The file is
refused before ElementTree sees it if it declares a DOCTYPE or ENTITY (XML bombs, external
file reads). What itpm has no place for is collected in `Notes`, one line per topic.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from xml.parsers import expat

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import FINISH_NO_LATER_THAN, MUST_START_ON
from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.holidays import DayOff
from itpm_tui.domain.limits import MAX_DURATION_DAYS, column_rule, control_rule, date_rule
from itpm_tui.domain.schedule import Link, describe_cycle, find_cycle
from itpm_tui.domain.summary_links import INTO_SUMMARY, SummaryTree
from itpm_tui.domain.tasks import TaskDraft, validate_task
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import STANDARD_HOURS, WorkingHours
from itpm_tui.formats.mspdi.schema import (
    FINISH_NO_LATER_THAN_CODE,
    HOURS_PER_DAY,
    LINK_TYPES,
    MAX_LAG_DAYS,
    MUST_START_ON_CODE,
    NS,
    START_NO_EARLIER_THAN,
    TENTHS_PER_ELAPSED_DAY,
    UNASSIGNED_RESOURCE,
    MspdiError,
)

# LagFormat / DurationFormat numbers whose amounts run on the clock, not the calendar
# (em, eh, ed, ew, emo and their "estimated" variants), and the percent formats.
_ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 36, 38, 40, 42, 44})
_PERCENT_FORMATS = frozenset({19, 20, 51, 52})
_CONSTRAINTS = {
    0: "As Soon As Possible",
    1: "As Late As Possible",
    2: "Must Start On",
    3: "Must Finish On",
    4: "Start No Earlier Than",
    5: "Start No Later Than",
    6: "Finish No Earlier Than",
    7: "Finish No Later Than",
}
_DURATION_RE = re.compile(
    r"(?P<sign>-)?P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<MO>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<D>\d+(?:\.\d+)?)D)?(?:T(?:(?P<H>\d+(?:\.\d+)?)H)?(?:(?P<MI>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<S>\d+(?:\.\d+)?)S)?)?"
)
# Hours per unit of an ISO 8601 duration, read as working time (8 h days, 5-day weeks).
_DURATION_HOURS = {
    "Y": Decimal(HOURS_PER_DAY * 5 * 52),
    "MO": Decimal(HOURS_PER_DAY * 20),
    "W": Decimal(HOURS_PER_DAY * 5),
    "D": Decimal(HOURS_PER_DAY),
    "H": Decimal(1),
    "MI": Decimal(1) / 60,
    "S": Decimal(1) / 3600,
}
_EXAMPLES = 5
_CENT = Decimal("0.01")


# --- reading the XML ----------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or `MspdiError` with the reason it cannot be read."""
    from itpm_tui.formats.input_file import read_input

    return read_input(path, MspdiError)


def _refuse_declarations(data: bytes, label: str) -> None:
    """Refuse DTDs before ElementTree sees the file: entities are how XML bombs and
    external-file reads get in, and a real MSPDI file never has one.

    The byte check catches the usual UTF-8 file with a clear message; the expat pass catches
    the same in any encoding (UTF-16 hides the bytes) and reports malformed XML.
    """
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise MspdiError(
            f"{label}: refused: the file declares a DOCTYPE or ENTITY, which MS Project XML "
            "never does (entities can expand to huge documents or read other files)"
        )
    if not head:
        raise MspdiError(f"{label}: the file is empty, not MS Project XML")

    def refuse(*_args: object) -> None:
        raise MspdiError(
            f"{label}: refused: the file declares a DOCTYPE or ENTITY, which MS Project XML "
            "never does"
        )

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise MspdiError(
            f"{label}: not XML (line {exc.lineno}, column {exc.offset + 1}: "
            f"{expat.ErrorString(exc.code)}); save the plan from MS Project as 'XML Format'"
        ) from None


class _Xml:
    """Child lookups that work with and without the MSPDI namespace."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def all(self, el: ET.Element | None, name: str) -> list[ET.Element]:
        return [] if el is None else el.findall(self.prefix + name)

    def one(self, el: ET.Element | None, name: str) -> ET.Element | None:
        return None if el is None else el.find(self.prefix + name)

    def text(self, el: ET.Element | None, name: str) -> str | None:
        child = self.one(el, name)
        if child is None or child.text is None:
            return None
        value = child.text.strip()
        return value or None


class Notes:
    """Warnings grouped by topic, so 300 constrained tasks make one line, not 300."""

    def __init__(self) -> None:
        self._topics: dict[str, dict[str, None]] = {}

    def add(self, topic: str, item: str = "") -> None:
        items = self._topics.setdefault(topic, {})
        if item:
            items[item] = None

    def lines(self) -> list[str]:
        out = []
        for topic, items in self._topics.items():
            if not items:
                out.append(topic)
                continue
            shown = ", ".join(list(items)[:_EXAMPLES])
            more = f" and {len(items) - _EXAMPLES} more" if len(items) > _EXAMPLES else ""
            out.append(f"{topic}: {shown}{more}")
        return out


@dataclass
class MsLink:
    predecessor: int
    successor: int
    kind: str
    lag: int  # working days, toward zero when `lag_minutes` says more
    lag_minutes: int | None = None  # a lag of part of a day, in working minutes (FS+2h)


@dataclass
class MsTask:
    uid: int
    name: str
    level: int
    wbs: str
    position: int
    parent: int | None = None
    summary_flag: bool = False
    milestone: bool = False
    manual: bool = False  # MS Project's manually scheduled task: links do not move it
    elapsed: bool = False  # its duration in elapsed time ("10ed"): calendar days for itpm
    constraint_kind: str = ""  # "", MSO or FNLT (`domain.constraints`)
    constraint_date: date | None = None
    deadline: date | None = None
    start: date | None = None
    finish: date | None = None
    duration_days: Decimal | None = None
    #: Working minutes of a task that lasts part of a day (`4h`, `1.5d`); None: whole days.
    work_minutes: int | None = None
    #: The clock time its work starts on its start day when not the day's first hour.
    start_time: time | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    work: Decimal = Decimal(0)
    remaining: Decimal | None = None
    percent: int = 0
    notes: str = ""
    #: A "Start No Earlier Than" before `start`: the planned start if links push the task
    #: (`_Parser.start_rules`).
    earliest: date | None = None
    rule_time: time | None = None  # the clock time of its "Start No Earlier Than"
    # (predecessor UID, Type, LinkLag, LagFormat) as read; checked once all tasks are known
    links: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The task as messages name it; by its UID alone when its name is not fit to show."""
        if control_rule(self.name) is not None:
            return f"task UID {self.uid}"
        return f"task UID {self.uid} '{self.name}'"


@dataclass
class MsResource:
    uid: int
    name: str
    email: str
    kind: int


@dataclass
class MsPlan:
    name: str
    start: date | None
    tasks: list[MsTask]
    links: list[MsLink]
    resources: dict[int, MsResource]
    assignee: dict[int, int]  # task UID -> resource UID
    baseline_start: date | None
    baseline_finish: date | None
    assignments: int
    notes: Notes  # what could not be mapped; the importer may add to it
    holidays: list[DayOff] = field(default_factory=list)  # the project calendar's days off
    #: The project calendar's working hours as stored (`project.work_hours`); "" standard.
    work_hours: str = ""


class _Parser:
    """Turns the element tree into a checked `MsPlan`; raises `MspdiError` naming the element."""

    def __init__(self, root: ET.Element, label: str, calendar: WorkCalendar) -> None:
        self.root = root
        self.label = label
        self.calendar = calendar
        self.notes = Notes()
        prefix = f"{{{NS}}}" if root.tag.startswith(f"{{{NS}}}") else ""
        self.x = _Xml(prefix)
        # The project summary task (UID 0): a fallback name and the project's baseline.
        self.top_name = ""
        self.top_baseline: tuple[date | None, date | None] = (None, None)
        #: The project calendar's non-working days (Monday–Friday ones), by day, named.
        self.holidays: dict[date, str] = {}
        #: The project calendar's working hours: where part-day work starts and ends.
        self.work_hours = STANDARD_HOURS

    def fail(self, where: str, problem: str) -> MspdiError:
        return MspdiError(f"{self.label}: {where}: {problem}")

    # -- scalar readers --

    def integer(self, el: ET.Element | None, name: str, where: str) -> int | None:
        text = self.x.text(el, name)
        if text is None:
            return None
        try:
            value = Decimal(text)
            if value == value.to_integral_value():
                return int(value)
        except (InvalidOperation, ValueError, OverflowError):
            pass
        raise self.fail(where, f"<{name}> '{text}' is not a whole number")

    def decimal(self, el: ET.Element | None, name: str, where: str) -> Decimal | None:
        text = self.x.text(el, name)
        if text is None:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.fail(where, f"<{name}> '{text}' is not a number") from None
        if not value.is_finite():
            raise self.fail(where, f"<{name}> '{text}' is not a number")
        return value

    def flag(self, el: ET.Element | None, name: str, where: str) -> bool:
        text = self.x.text(el, name)
        if text is None:
            return False
        lowered = text.lower()
        if lowered in ("1", "true"):
            return True
        if lowered in ("0", "false"):
            return False
        raise self.fail(where, f"<{name}> '{text}' is not 0 or 1")

    def moment(self, el: ET.Element | None, name: str, where: str) -> datetime | None:
        text = self.x.text(el, name)
        if text is None:
            return None
        try:
            # Local wall-clock time as MS Project means it; an offset some tools add is dropped.
            moment = datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            raise self.fail(
                where, f"<{name}> '{text}' is not a date-time (YYYY-MM-DDThh:mm:ss)"
            ) from None
        if rule := date_rule(moment):
            raise self.fail(where, f"<{name}> {rule}")
        return moment

    def day(self, el: ET.Element | None, name: str, where: str) -> date | None:
        moment = self.moment(el, name, where)
        return None if moment is None else moment.date()

    def finish_day(
        self, el: ET.Element | None, name: str, where: str, start: datetime | None
    ) -> date | None:
        """A finish at midnight is the end of the day before (some tools write it so)."""
        moment = self.moment(el, name, where)
        if moment is None:
            return None
        if moment.time() == datetime.min.time() and start is not None and moment > start:
            return (moment - timedelta(days=1)).date()
        return moment.date()

    def hours(self, el: ET.Element | None, name: str, where: str) -> Decimal | None:
        """An ISO 8601 duration (PT16H0M0S, P2D) as hours of work; a day is 8 hours."""
        text = self.x.text(el, name)
        if text is None:
            return None
        match = _DURATION_RE.fullmatch(text)
        if match is None or text.lstrip("-") in ("P", "PT") or text.endswith("T"):
            raise self.fail(where, f"<{name}> '{text}' is not a duration like PT16H0M0S")
        total = sum(
            (Decimal(amount) * _DURATION_HOURS[unit])
            for unit, amount in match.groupdict().items()
            if unit != "sign" and amount is not None
        )
        total = Decimal(total)
        return -total if match.group("sign") else total

    # -- the document --

    def plan(self) -> MsPlan:
        x, root = self.x, self.root
        where = "<Project>"
        if x.text(root, "ScheduleFromStart") and not self.flag(root, "ScheduleFromStart", where):
            self.notes.add("scheduled from the finish date in MS Project; dates kept as saved")
        calendars = x.all(x.one(root, "Calendars"), "Calendar")
        own = self.project_calendar(calendars)
        for calendar in calendars:
            self.calendar_notes(calendar, own=calendar is own)
        if x.all(x.one(root, "ExtendedAttributes"), "ExtendedAttribute"):
            self.notes.add("custom fields (extended attributes) not imported")

        tasks, links = self.tasks()
        self.start_rules(tasks, links)
        resources = self.resources()
        assignee, assignments = self.assignments(tasks, resources)

        name = x.text(root, "Title") or x.text(root, "Name") or ""
        name = re.sub(r"\.(xml|mpp|mpt)$", "", name, flags=re.IGNORECASE).strip()
        name = name or self.top_name or Path(self.label).stem
        if rule := column_rule("project", "name", name[:200]):
            raise self.fail(where, f"<Title> {rule}")
        baseline = [d for d in self.top_baseline if d is not None]
        for task in tasks:
            baseline += [d for d in (task.baseline_start, task.baseline_finish) if d is not None]
        return MsPlan(
            name=name[:200],
            start=self.day(root, "StartDate", where),
            tasks=tasks,
            links=links,
            resources=resources,
            assignee=assignee,
            baseline_start=min(baseline, default=None),
            baseline_finish=max(baseline, default=None),
            assignments=assignments,
            notes=self.notes,
            holidays=[DayOff(day, name) for day, name in sorted(self.holidays.items())],
            work_hours="" if self.work_hours == STANDARD_HOURS else str(self.work_hours),
        )

    def project_calendar(self, calendars: list[ET.Element]) -> ET.Element | None:
        """The project calendar (`<CalendarUID>`, else the base calendar named Standard):
        its non-working days become the project's holidays, so float is not too large, and
        the dates a task is given from its duration skip them. What cannot be kept is noted.
        """
        x = self.x
        uid = self.integer(self.root, "CalendarUID", "<Project>")
        found = [c for c in calendars if uid is not None and x.text(c, "UID") == str(uid)]
        found = found or [c for c in calendars if x.text(c, "Name") == "Standard"]
        if not found:
            return None
        calendar = found[0]
        where = f"calendar '{x.text(calendar, 'Name') or x.text(calendar, 'UID')}'"
        self.working_hours(calendar, where)
        periods: list[tuple[ET.Element, str]] = []
        for exception in x.all(x.one(calendar, "Exceptions"), "Exception"):
            name = (x.text(exception, "Name") or "")[:120]
            kind = self.integer(exception, "Type", where)
            every = self.integer(exception, "Period", where)
            if kind not in (None, 1) or every not in (None, 1):
                self.notes.add(
                    "recurring calendar exceptions not imported", f"{where} '{name}'".strip()
                )
                continue
            periods.append((exception, name))
        # the MSPDI 2003 form, which MS Project writes too: the named exceptions come first
        for weekday in x.all(x.one(calendar, "WeekDays"), "WeekDay"):
            if self.integer(weekday, "DayType", where) == 0:
                periods.append((weekday, ""))
        for element, name in periods:
            label = f"{where} '{name}'" if name else where
            if self.flag(element, "DayWorking", where):
                self.notes.add(
                    "working days added by the calendar not imported (itpm works Monday–Friday)",
                    label,
                )
                continue
            period = x.one(element, "TimePeriod")
            start = self.moment(period, "FromDate", where)
            first = None if start is None else start.date()
            last = self.finish_day(period, "ToDate", where, start) or first
            if first is None or last is None or last < first or (last - first).days > 366:
                self.notes.add("calendar exceptions without a usable period skipped", label)
                continue
            for offset in range((last - first).days + 1):
                day = first + timedelta(days=offset)
                if self.calendar.is_working(day):
                    self.holidays.setdefault(day, name)
        if self.holidays:
            self.calendar = WorkCalendar(
                {*self.calendar.holidays, *self.holidays}, self.calendar.weekend
            )
        return calendar

    def working_hours(self, calendar: ET.Element, where: str) -> None:
        """The project calendar's hours of its working weekdays become the project's; when
        the weekdays differ, the most common day's hours are kept and the others reported.
        A `MinutesPerDay` other than those hours' is reported: durations are read as the
        working minutes they say, on the calendar's hours."""
        x = self.x
        names = {2: "Monday", 3: "Tuesday", 4: "Wednesday", 5: "Thursday", 6: "Friday"}
        days: dict[str, WorkingHours] = {}
        for weekday in x.all(x.one(calendar, "WeekDays"), "WeekDay"):
            day_type = self.integer(weekday, "DayType", where)
            if day_type not in names or not self.flag(weekday, "DayWorking", where):
                continue
            spans = []
            for span in x.all(x.one(weekday, "WorkingTimes"), "WorkingTime"):
                start, end = x.text(span, "FromTime"), x.text(span, "ToTime")
                if start and end:
                    first, last = _minutes(start), _minutes(end)
                    if last <= first:  # to midnight (00:00): itpm's working day ends by 23:59
                        last = 24 * 60 - 1
                        self.notes.add(
                            "working hours to midnight end at 23:59 in itpm",
                            f"{where} {names[day_type]}",
                        )
                    spans.append((first, last))
            if not spans:
                continue  # MS Project's default hours for the day
            try:
                days[names[day_type]] = WorkingHours(tuple(sorted(spans)))
            except ValidationError:
                self.notes.add(
                    "working hours that overlap not imported", f"{where} {names[day_type]}"
                )
        if days:
            counts = Counter(days.values())
            kept = counts.most_common(1)[0][0]
            others = [f"{day} {hours}" for day, hours in days.items() if hours != kept]
            if others:
                self.notes.add(
                    "working hours that differ by weekday: every day takes the most common "
                    f"day's hours ({kept})",
                    f"{where}: {', '.join(others)}",
                )
            self.work_hours = kept
        per_day = self.integer(self.root, "MinutesPerDay", "<Project>")
        if per_day and per_day != self.work_hours.minutes_per_day:
            self.notes.add(
                f"<MinutesPerDay> {per_day} differs from the calendar's working hours "
                f"({self.work_hours}, {self.work_hours.minutes_per_day} minutes): durations "
                "kept as working minutes on those hours"
            )

    def calendar_notes(self, calendar: ET.Element, *, own: bool = False) -> None:
        """Report a calendar that differs from itpm's week (Monday–Friday, 8 hours a day).

        Every MS Project file carries its Standard calendar and one per resource; only those
        with other working days, other hours or exceptions (holidays) lose something. The
        project calendar's (`own`) exceptions are its holidays (`project_calendar`).
        """
        x = self.x
        name = x.text(calendar, "Name") or f"UID {x.text(calendar, 'UID')}"
        where = f"calendar '{name}'"
        differs: list[str] = []
        exceptions = 0 if own else len(x.all(x.one(calendar, "Exceptions"), "Exception"))
        for day in x.all(x.one(calendar, "WeekDays"), "WeekDay"):
            day_type = self.integer(day, "DayType", where)
            if day_type == 0:
                exceptions += 0 if own else 1
                continue
            working = self.flag(day, "DayWorking", where)
            if working != (day_type in range(2, 7)):
                differs.append("working days")
                continue
            minutes = 0
            times = x.all(x.one(day, "WorkingTimes"), "WorkingTime")
            for span in times:
                start, end = x.text(span, "FromTime"), x.text(span, "ToTime")
                if start and end:
                    minutes += (_minutes(end) - _minutes(start)) % (24 * 60) or 24 * 60
            if working and times and minutes != HOURS_PER_DAY * 60 and not own:
                differs.append("working hours")
        if x.all(x.one(calendar, "WorkWeeks"), "WorkWeek"):
            differs.append("work weeks")
        if exceptions:
            differs.append(f"{exceptions} exception{'s' if exceptions != 1 else ''}")
        if differs:
            self.notes.add(
                "calendars not imported (itpm counts Monday–Friday, 8 hours a day, minus its "
                "holidays; task dates are kept as saved)",
                f"'{name}' ({', '.join(dict.fromkeys(differs))})",
            )

    def tasks(self) -> tuple[list[MsTask], list[MsLink]]:
        x = self.x
        elements = x.all(x.one(self.root, "Tasks"), "Task")
        tasks: list[MsTask] = []
        seen: set[int] = set()
        external: set[int] = set()
        stack: list[MsTask] = []
        for position, el in enumerate(elements, 1):
            name = x.text(el, "Name") or ""
            described = f"<Task> number {position}" + (f" ('{name}')" if name else "")
            uid = self.integer(el, "UID", described)
            if uid is None:
                raise self.fail(described, "has no <UID>; every task needs its unique id")
            where = f"task UID {uid}" + (f" '{name}'" if name else "")
            if uid in seen:
                raise self.fail(where, f"<UID> {uid} is used by two tasks")
            seen.add(uid)
            if self.flag(el, "IsNull", where):
                self.notes.add("blank rows skipped", f"UID {uid}")
                continue
            outline = x.text(el, "OutlineNumber") or ""
            level = self.integer(el, "OutlineLevel", where)
            if level is None:
                level = outline.count(".") + 1 if outline else 1
            if uid == 0 or level <= 0:
                self.top_baseline = self.baseline(el, where)
                self.top_name = name
                continue
            if self.flag(el, "ExternalTask", where):
                external.add(uid)
                self.notes.add("external tasks (from other projects) skipped", where)
                continue
            task = self.task(el, uid, name, level, outline, position, where)
            while stack and stack[-1].level >= level:
                stack.pop()
            if stack:
                task.parent = stack[-1].uid
                if stack[-1].level < level - 1:
                    self.notes.add(
                        "outline levels that skip a level attached to the nearest summary",
                        where,
                    )
            stack.append(task)
            tasks.append(task)
        if not tasks:
            raise self.fail("<Tasks>", "the file has no tasks (besides the project summary)")
        parents = {t.parent for t in tasks}
        hours = self.work_hours
        for task in tasks:
            if task.uid in parents:  # a summary spans its tasks, to the minute
                task.work_minutes = task.start_time = None
            clock = task.start_time if task.elapsed else None
            held = task.manual or task.constraint_kind == MUST_START_ON
            if (
                clock is not None
                and not held
                and hours.start_clock(hours.offset_at(clock)) != clock
            ):
                self.notes.add(
                    "clock-time tasks starting outside working hours start at the next working "
                    "hour in itpm unless manual or Must Start On",
                    f"{task.label} ({clock:%H:%M})",
                )
            if task.summary_flag and task.uid not in parents:
                self.notes.add(
                    "tasks marked Summary without subtasks imported as tasks", task.label
                )
            if task.manual and task.uid in parents:
                task.manual = False
                self.notes.add(
                    "manually scheduled summary tasks span their tasks (own dates not kept)",
                    task.label,
                )
            if task.constraint_kind == MUST_START_ON and task.uid in parents:
                task.constraint_kind, task.constraint_date = "", None
                self.notes.add(
                    "constraints not imported (dates kept as saved)",
                    f"{task.label} (Must Start On on a summary task, which spans its tasks)",
                )
        self.number_outline(tasks)
        links = self.links(tasks, external)
        return tasks, links

    def task(
        self, el: ET.Element, uid: int, name: str, level: int, outline: str, pos: int, where: str
    ) -> MsTask:
        x = self.x
        if not name:
            name = f"Task UID {uid}"
            self.notes.add("tasks without a name given one", f"UID {uid}")
        task = MsTask(uid=uid, name=name[:200], level=level, wbs=outline, position=pos)
        task.summary_flag = self.flag(el, "Summary", where)
        task.milestone = self.flag(el, "Milestone", where)
        task.manual = self.flag(el, "Manual", where)
        start = self.moment(el, "Start", where)
        task.start = start.date() if start else None
        task.finish = self.finish_day(el, "Finish", where, start)
        duration = self.hours(el, "Duration", where)
        duration_format = self.integer(el, "DurationFormat", where)
        elapsed = duration_format in _ELAPSED_FORMATS
        per_day = self.work_hours.minutes_per_day
        if duration is not None:
            task.duration_days = duration / 24 if elapsed else duration * 60 / per_day
            if abs(task.duration_days) > MAX_DURATION_DAYS:
                raise self.fail(
                    where, f"<Duration> must be at most {MAX_DURATION_DAYS} working days"
                )
        # An estimated duration without a finish is a task given no duration ("1 day?"), as
        # itpm writes one without a finish: it stays without.
        estimated = self.flag(el, "Estimated", where) and task.finish is None
        task.elapsed = elapsed and not task.summary_flag and task.duration_days != 0
        if duration is not None and not task.summary_flag and duration > 0:
            minutes = int((duration * 60).to_integral_value(ROUND_HALF_UP))
            if not elapsed:
                self.part_day(task, start, minutes)
            elif start is not None and minutes % (24 * 60):
                self.clock_time(task, start, minutes)
        if (
            elapsed
            and task.start is not None
            and task.duration_days is not None
            and task.work_minutes is None
        ):
            # MS Project ends n elapsed days at the hour they began, the day after itpm's
            # last day: the duration says which calendar day is the last
            task.finish = None
        if (
            task.finish is None
            and task.start is not None
            and task.duration_days is not None
            and not estimated
        ):
            days = max(math.ceil(task.duration_days), 0)
            if task.work_minutes is not None:  # from its start time: 4h at 15:00 spans 2 days
                offset = self.work_hours.offset_at(task.start_time or time(0))
                days = -(-(offset + task.work_minutes) // per_day)
            if elapsed:
                task.finish = task.start + timedelta(days=max(days - 1, 0))
            else:
                task.finish = self.calendar.finish_date(task.start, days)
        # ProjectLibre writes `Milestone 0` with `Duration PT0H`: MS Project schedules such a
        # task as a milestone, an instant that pushes its successors by nothing.
        task.milestone = task.milestone or (task.duration_days == 0 and not task.summary_flag)
        if task.milestone:
            if task.start and task.finish and task.start != task.finish:
                self.notes.add("milestones with a duration dated on their finish", where)
            day = task.finish or task.start
            task.start = task.finish = day
            task.work_minutes = task.start_time = None
        task.actual_start = self.day(el, "ActualStart", where)
        task.actual_finish = self.finish_day(
            el, "ActualFinish", where, self.moment(el, "ActualStart", where)
        )
        task.work = self.hours(el, "Work", where) or Decimal(0)
        task.remaining = self.hours(el, "RemainingWork", where)
        task.percent = self.integer(el, "PercentComplete", where) or 0
        task.notes = (x.text(el, "Notes") or "").replace("\r\n", "\n")
        task.baseline_start, task.baseline_finish = self.baseline(el, where)
        self.unmapped(el, task, where)
        for link in x.all(el, "PredecessorLink"):
            pred = self.integer(link, "PredecessorUID", f"{where}: <PredecessorLink>")
            kind = self.integer(link, "Type", f"{where}: <PredecessorLink>")
            lag = self.integer(link, "LinkLag", f"{where}: <PredecessorLink>") or 0
            fmt = self.integer(link, "LagFormat", f"{where}: <PredecessorLink>")
            if pred is None:
                self.notes.add("links without <PredecessorUID> skipped", where)
                continue
            if self.flag(link, "CrossProject", where):
                self.notes.add("links to other projects skipped", f"UID {pred} → {task.label}")
                continue
            task.links.append((pred, 1 if kind is None else kind, lag, 7 if fmt is None else fmt))
        return task

    def part_day(self, task: MsTask, start: datetime | None, minutes: int) -> None:
        """A duration that is not whole days of the calendar's hours is kept in working
        minutes (`4h`), and a start after the day's first hour as its clock time (a manual
        task at 13:00, a task after a morning's work): MS Project's own times, kept as the
        dates are, as the task's start rule. A whole day started mid-day is kept in minutes
        too: it spans two days its dates alone would count as two days' work."""
        hours = self.work_hours
        if start is not None:
            offset = hours.offset_at(start.time())
            if 0 < offset < hours.minutes_per_day:
                task.start_time = hours.start_clock(offset)
        if minutes % hours.minutes_per_day or task.start_time is not None:
            task.work_minutes = minutes

    def clock_time(self, task: MsTask, start: datetime, minutes: int) -> None:
        """An elapsed duration of hours (`4eh`, a cut-over from 19:00 to 23:00) is kept in
        minutes of clock time from its start's clock time, and ends on the day its clock
        time does (at midnight: the day before)."""
        task.work_minutes = minutes
        clock = start.time().replace(second=0, microsecond=0)
        task.start_time = None if clock == self.work_hours.start_clock(0) else clock
        end = start.replace(second=0, microsecond=0) + timedelta(minutes=minutes)
        task.finish = (end - timedelta(days=1) if end.time() == time(0) else end).date()

    def baseline(self, el: ET.Element, where: str) -> tuple[date | None, date | None]:
        """Baseline 0 is "the" baseline; itpm keeps its dates (it has no baseline work)."""
        start = finish = None
        for base in self.x.all(el, "Baseline"):
            number = self.integer(base, "Number", f"{where}: <Baseline>") or 0
            if number != 0:
                self.notes.add(
                    "baselines other than Baseline (0) not imported", f"Baseline{number}"
                )
                continue
            start_at = self.moment(base, "Start", f"{where}: <Baseline>")
            start = start_at.date() if start_at else None
            finish = self.finish_day(base, "Finish", f"{where}: <Baseline>", start_at)
            work = self.hours(base, "Work", f"{where}: <Baseline>")
            if work:
                self.notes.add("baseline work not imported (itpm keeps baseline dates)", where)
            cost = self.decimal(base, "Cost", f"{where}: <Baseline>")
            if cost:
                self.notes.add("costs not imported", f"{where} (baseline cost)")
        if start and finish and finish < start:
            raise self.fail(where, f"baseline finish {finish} is before baseline start {start}")
        return start, finish

    def unmapped(self, el: ET.Element, task: MsTask, where: str) -> None:
        """Report what MS Project knows about a task and itpm cannot keep."""
        x = self.x
        constraint = self.integer(el, "ConstraintType", where) or 0
        if constraint:
            at = self.moment(el, "ConstraintDate", where)
            on = None if at is None else at.date()
            task.rule_time = None if at is None else at.time()
            if not self.constraint(task, constraint, on):
                label = _CONSTRAINTS.get(constraint, f"type {constraint}")
                self.notes.add(
                    "constraints not imported (dates kept as saved)",
                    f"{where} ({label}{f' {on}' if on else ''})",
                )
        task.deadline = self.day(el, "Deadline", where)
        calendar = self.integer(el, "CalendarUID", where)
        if calendar is not None and calendar != -1:
            self.notes.add("task calendars not imported", where)
        if any(self.decimal(el, name, where) for name in ("Cost", "FixedCost")):
            self.notes.add("costs not imported", where)
        if x.all(el, "ExtendedAttribute"):
            self.notes.add("custom fields (extended attributes) not imported", where)
        if x.text(el, "Active") is not None and not self.flag(el, "Active", where):
            self.notes.add("inactive tasks imported as ordinary tasks", where)

    @staticmethod
    def constraint(task: MsTask, constraint: int, on: date | None) -> bool:
        """Whether the constraint is kept: "start no earlier than" the task's start is itpm's
        own start rule (one before its start is left to `start_rules`); "must start on" its
        start holds it there; "finish no later than" is kept to be checked."""
        if on is None:
            return False
        if constraint == FINISH_NO_LATER_THAN_CODE:
            task.constraint_kind, task.constraint_date = FINISH_NO_LATER_THAN, on
            return True
        if task.start is None or constraint not in (MUST_START_ON_CODE, START_NO_EARLIER_THAN):
            return False
        if constraint == START_NO_EARLIER_THAN and on <= task.start:
            task.earliest = on  # the start rule: `start_rules` settles its date and time
            return True
        if constraint == MUST_START_ON_CODE and on == task.start:
            task.constraint_kind, task.constraint_date = MUST_START_ON, on
        return on == task.start

    def start_rules(self, tasks: list[MsTask], links: list[MsLink]) -> None:
        """A "start no earlier than" before the start of a leaf that links push (as in itpm's
        exports) becomes its planned start, the finish moved with it, so the links push it to
        the same start again; any other is reported and the dates kept as saved."""
        parents = {t.parent for t in tasks if t.parent is not None}
        pushed = {
            lk.successor
            for lk in links
            if lk.predecessor not in parents and lk.successor not in parents
        }
        for task in tasks:
            on, start = task.earliest, task.start
            if on is None or start is None:
                continue
            if task.manual and task.uid not in parents:
                task.earliest = None  # MS Project applies no constraint to a manual task
                continue
            if on == start and (task.uid in parents or task.uid not in pushed):
                continue  # on its start: itpm's own start rule, as saved
            if task.uid in parents or task.uid not in pushed:
                self.notes.add(
                    "constraints not imported (dates kept as saved)",
                    f"{task.label} (Start No Earlier Than {on})",
                )
                continue
            self.move_to_rule(task, on)

    def move_to_rule(self, task: MsTask, on: date) -> None:
        """A task links push moved back to its start rule: the date and the time of day of
        the "Start No Earlier Than" (itpm writes a pushed task's own start there), its length
        kept; a whole number of days started at the day's first hour is whole days again."""
        start, hours = task.start, self.work_hours
        assert start is not None
        offset = 0 if task.rule_time is None else hours.offset_at(task.rule_time)
        offset = offset if offset < hours.minutes_per_day else 0
        minutes = task.work_minutes
        if task.finish is not None and task.elapsed:
            task.finish = on + (task.finish - start)  # calendar days, as they were
        elif task.finish is not None and minutes is not None:
            days = -(-(offset + minutes) // hours.minutes_per_day)
            task.finish = self.calendar.finish_date(on, max(days, 1))
        elif task.finish is not None:
            days = self.calendar.count_working_days(start, task.finish)
            task.finish = on if task.milestone else self.calendar.finish_date(on, max(days, 1))
        task.start = on
        if not task.elapsed:
            task.start_time = hours.start_clock(offset) if offset else None
        if task.start_time is None and minutes is not None and not task.elapsed:
            task.work_minutes = None if minutes % hours.minutes_per_day == 0 else minutes

    @staticmethod
    def number_outline(tasks: list[MsTask]) -> None:
        """Fill missing outline numbers (WBS) from the hierarchy, as MS Project would."""
        counters: dict[int | None, int] = {}
        numbers: dict[int, str] = {}
        for task in tasks:
            counters[task.parent] = counters.get(task.parent, 0) + 1
            prefix = numbers.get(task.parent) if task.parent is not None else None
            numbers[task.uid] = (
                f"{prefix}.{counters[task.parent]}" if prefix else str(counters[task.parent])
            )
            if not task.wbs:
                task.wbs = numbers[task.uid]

    def links(self, tasks: list[MsTask], external: set[int]) -> list[MsLink]:
        by_uid = {t.uid: t for t in tasks}
        parents = {t.parent for t in tasks if t.parent is not None}
        links: list[MsLink] = []
        pairs: set[tuple[int, int]] = set()
        for task in tasks:
            for pred, type_number, lag_tenths, lag_format in task.links:
                where = f"UID {pred} → {task.label}"
                if pred in external:
                    self.notes.add("links to external tasks skipped", where)
                    continue
                if pred not in by_uid:
                    self.notes.add("links to missing task UIDs skipped", where)
                    continue
                kind = LINK_TYPES.get(type_number)
                if kind is None:
                    self.notes.add("links of unknown type skipped", f"{where} (Type {type_number})")
                    continue
                lag, lag_minutes = self.lag(lag_tenths, lag_format, by_uid[pred], where)
                if abs(lag) > MAX_LAG_DAYS:
                    self.notes.add(
                        f"links with a lag beyond ±{MAX_LAG_DAYS} working days skipped",
                        f"{where} ({lag} days)",
                    )
                    continue
                if (pred, task.uid) in pairs:
                    self.notes.add("second links between the same two tasks skipped", where)
                    continue
                pairs.add((pred, task.uid))
                if task.uid in parents and kind not in INTO_SUMMARY:
                    self.notes.add(
                        "FF and SF links into summary tasks skipped (MS Project refuses them)",
                        f"{where} ({kind})",
                    )
                    continue
                links.append(MsLink(pred, task.uid, kind, lag, lag_minutes))
        tree = SummaryTree.of_parents({t.uid: t.parent for t in tasks})
        cycle = find_cycle(by_uid, tree.graph(Link(lk.predecessor, lk.successor) for lk in links))
        if cycle:
            labels = tree.node_names({uid: t.label for uid, t in by_uid.items()})
            raise self.fail(
                "<PredecessorLink>", f"the links form a cycle: {describe_cycle(cycle, labels)}"
            )
        return links

    def lag(self, tenths: int, lag_format: int, pred: MsTask, where: str) -> tuple[int, int | None]:
        """A link lag as itpm keeps it: whole working days (of the calendar's hours), and the
        working minutes of one lasting part of a day (`FS+2h`; its days then toward zero).
        Elapsed lags become working days, rounded; what is approximated is reported."""
        per_day = self.work_hours.minutes_per_day
        if lag_format in _ELAPSED_FORMATS:
            days = Decimal(tenths) / TENTHS_PER_ELAPSED_DAY
            self.notes.add("elapsed lags counted as working days", where)
            whole = int(days.to_integral_value(ROUND_HALF_UP))
            if days != whole:
                self.notes.add(
                    "elapsed lags of part of a day rounded to whole working days",
                    f"{where} ({_trim(days)} → {whole} days)",
                )
            return whole, None
        if lag_format in _PERCENT_FORMATS:
            minutes = (pred.duration_days or Decimal(0)) * per_day * tenths / 100
            self.notes.add(
                "lags in % of the predecessor's duration converted to working time",
                f"{where} ({tenths}%)",
            )
        else:
            minutes = Decimal(tenths) / 10  # tenths of a working minute
        exact = int(minutes.to_integral_value(ROUND_HALF_UP))
        if exact % per_day == 0:
            return exact // per_day, None
        return int(Fraction(exact, per_day)), exact

    def resources(self) -> dict[int, MsResource]:
        x = self.x
        out: dict[int, MsResource] = {}
        for position, el in enumerate(x.all(x.one(self.root, "Resources"), "Resource"), 1):
            name = x.text(el, "Name") or ""
            uid = self.integer(el, "UID", f"<Resource> number {position}")
            if uid is None:
                self.notes.add("resources without <UID> skipped", name or f"number {position}")
                continue
            if not name:
                continue  # MS Project's nameless placeholder resource (UID 0)
            where = f"resource UID {uid}"
            email = x.text(el, "EmailAddress") or ""
            for tag, column, value in (("Name", "name", name), ("EmailAddress", "email", email)):
                if rule := column_rule("person", column, value[:200] if tag == "Name" else value):
                    raise self.fail(where, f"<{tag}> {rule}")
            where = f"resource UID {uid} '{name}'"
            kind = self.integer(el, "Type", where)
            if any(self.decimal(el, n, where) for n in ("StandardRate", "OvertimeRate", "Cost")):
                self.notes.add("costs not imported", where)
            out[uid] = MsResource(
                uid=uid,
                name=name[:200],
                email=email,
                kind=1 if kind is None else kind,
            )
        return out

    def assignments(
        self, tasks: list[MsTask], resources: dict[int, MsResource]
    ) -> tuple[dict[int, int], int]:
        x = self.x
        by_uid = {t.uid: t for t in tasks}
        assignee: dict[int, int] = {}
        count = 0
        for position, el in enumerate(x.all(x.one(self.root, "Assignments"), "Assignment"), 1):
            where = f"<Assignment> number {position}"
            task_uid = self.integer(el, "TaskUID", where)
            resource_uid = self.integer(el, "ResourceUID", where)
            if resource_uid is None or resource_uid == UNASSIGNED_RESOURCE or task_uid == 0:
                continue
            count += 1
            task = by_uid.get(task_uid) if task_uid is not None else None
            resource = resources.get(resource_uid)
            if task is None:
                self.notes.add("assignments to missing tasks skipped", f"task UID {task_uid}")
                continue
            if resource is None:
                self.notes.add(
                    "assignments of missing resources skipped",
                    f"resource UID {resource_uid} on {task.label}",
                )
                continue
            if resource.kind != 1:
                self.notes.add(
                    "material and cost resources not imported as assignees",
                    f"'{resource.name}' on {task.label}",
                )
                continue
            if task.uid in assignee:
                self.notes.add(
                    "tasks with several resources keep the first as assignee",
                    f"{task.label} ('{resource.name}' not kept)",
                )
                continue
            assignee[task.uid] = resource_uid
        used = set(assignee.values())
        unused = [r.name for r in resources.values() if r.uid not in used and r.kind == 1]
        if unused:
            self.notes.add(
                "resources without a task not added to the team",
                ", ".join(f"'{n}'" for n in unused),
            )
        return assignee, count


def _minutes(clock: str) -> int:
    """Minutes since midnight of "08:00:00"; anything unreadable counts as midnight."""
    try:
        hours, minutes = clock.split(":")[:2]
        return int(hours) * 60 + int(minutes)
    except ValueError:
        return 0


def _trim(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def read_plan(data: bytes, label: str, calendar: WorkCalendar) -> MsPlan:
    """The checked plan in `data` (a file named `label`), or `MspdiError` naming the element.

    `calendar` (itpm's holidays) places a task given only a start and a duration."""
    _refuse_declarations(data, label)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # pragma: no cover - expat already accepted it
        raise MspdiError(f"{label}: not XML ({exc})") from None
    if root.tag not in (f"{{{NS}}}Project", "Project"):
        raise MspdiError(
            f"{label}: the root element is <{root.tag}>, not <Project> of MS Project XML ({NS})"
        )
    parser = _Parser(root, label, calendar)
    plan = parser.plan()
    _check_tasks(plan, label)
    return plan


def _status(percent: int) -> str:
    if percent <= 0:
        return TaskStatus.TODO.value
    if percent >= 100:
        return TaskStatus.DONE.value
    return TaskStatus.IN_PROGRESS.value


def _remaining(task: MsTask) -> Decimal:
    if task.remaining is not None:
        return task.remaining
    return task.work * (100 - max(0, min(task.percent, 100))) / 100


def task_draft(task: MsTask) -> TaskDraft:
    """The task as itpm would store it, checked by the same rules as a form."""
    return TaskDraft(
        name=task.name,
        is_milestone=task.milestone,
        is_manual=task.manual,
        is_elapsed=task.elapsed and not task.milestone,
        constraint_kind=task.constraint_kind,
        constraint_date=task.constraint_date,
        deadline=task.deadline,
        planned_start=task.start,
        planned_finish=task.finish,
        work_minutes=task.work_minutes,
        start_time=task.start_time,
        actual_start=task.actual_start,
        actual_finish=task.actual_finish,
        estimate_hours=task.work.quantize(_CENT),
        remaining_hours=_remaining(task).quantize(_CENT),
        percent_complete=task.percent,
        status=_status(task.percent),
        description=task.notes,
    )


def _check_tasks(plan: MsPlan, label: str) -> None:
    """Every task must pass the same rules as one typed in a form, before anything is written."""
    for task in plan.tasks:
        try:
            validate_task(task_draft(task))
        except ValidationError as exc:
            raise MspdiError(f"{label}: {task.label}: {exc}") from None
