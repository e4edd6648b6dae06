"""Microsoft Project XML (MSPDI) plans: import one as a new project, export a project as one.

Clients and vendors plan in MS Project; "Save As → XML" (MSPDI) is the one exchange format
every release from 2003 to 2019 reads and writes, and it needs no third-party parser. An
import reads the whole file and checks it before anything is written, then adds one project
with its tasks, links and assignees in one transaction, so a bad file leaves no trace. What
itpm has no place for (constraints, calendars, costs, ...) is listed in the report rather
than dropped silently. See docs/mspdi.md for the field-by-field mapping.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from xml.parsers import expat

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import Phase, TaskStatus
from itpm_tui.domain.people import PersonDraft, validate_person
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.schedule import Link, find_cycle
from itpm_tui.domain.tasks import TaskDraft, validate_task
from itpm_tui.domain.validation import EMAIL_RE, ValidationError
from itpm_tui.errors import ItpmError, NotFoundError
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Dependency, Holiday, Person, Project, Task

NS = "http://schemas.microsoft.com/project"
SAVE_VERSION = 14
HOURS_PER_DAY = 8
#: MSPDI link lags are tenths of a minute; a working day is 8 h, an elapsed day 24 h.
TENTHS_PER_DAY = HOURS_PER_DAY * 60 * 10
TENTHS_PER_ELAPSED_DAY = 24 * 60 * 10
#: PredecessorLink/Type as MS Project numbers it.
LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
LINK_CODES = {kind: number for number, kind in LINK_TYPES.items()}
#: The resource MS Project puts on an assignment that has none.
UNASSIGNED_RESOURCE = -65535
MAX_LAG_DAYS = 365

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
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXAMPLES = 5
_CENT = Decimal("0.01")


class MspdiError(ItpmError):
    """The file is not a plan itpm can read; it names the element and nothing was written."""


@dataclass
class MspdiReport:
    """What an import read and created, and what it could not map (one line per topic)."""

    source: str
    project_id: int
    project_code: str
    project_name: str
    tasks: int = 0
    summary_tasks: int = 0
    milestones: int = 0
    links: int = 0
    resources: int = 0
    assignments: int = 0
    people_matched: int = 0
    people_created: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        people = ""
        if self.people_matched or self.people_created:
            people = (
                f"; assignees: {self.people_matched} matched to existing people, "
                f"{self.people_created} added to the team"
            )
        return (
            f"imported {_count(self.tasks, 'task')} ({self.summary_tasks} summary, "
            f"{_count(self.milestones, 'milestone')}) and {_count(self.links, 'link')} from "
            f"{self.source} as project {self.project_code} '{self.project_name}'{people}"
        )

    def __str__(self) -> str:
        return self.summary


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --- reading the XML ----------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MspdiError(f"cannot read {path}: {exc.strerror or exc}") from None


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


class _Notes:
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
class _PlanLink:
    predecessor: int
    successor: int
    kind: str
    lag: int


@dataclass
class _PlanTask:
    uid: int
    name: str
    level: int
    wbs: str
    position: int
    parent: int | None = None
    summary_flag: bool = False
    milestone: bool = False
    start: date | None = None
    finish: date | None = None
    duration_days: Decimal | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    work: Decimal = Decimal(0)
    remaining: Decimal | None = None
    percent: int = 0
    notes: str = ""
    # (predecessor UID, Type, LinkLag, LagFormat) as read; checked once all tasks are known
    links: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"task UID {self.uid} '{self.name}'"


@dataclass
class _PlanResource:
    uid: int
    name: str
    email: str
    kind: int


@dataclass
class _Plan:
    name: str
    start: date | None
    tasks: list[_PlanTask]
    links: list[_PlanLink]
    resources: dict[int, _PlanResource]
    assignee: dict[int, int]  # task UID -> resource UID
    baseline_start: date | None
    baseline_finish: date | None
    assignments: int


class _Parser:
    """Turns the element tree into a checked `_Plan`; raises `MspdiError` naming the element."""

    def __init__(self, root: ET.Element, label: str, calendar: WorkCalendar) -> None:
        self.root = root
        self.label = label
        self.calendar = calendar
        self.notes = _Notes()
        prefix = f"{{{NS}}}" if root.tag.startswith(f"{{{NS}}}") else ""
        self.x = _Xml(prefix)
        # The project summary task (UID 0): a fallback name and the project's baseline.
        self.top_name = ""
        self.top_baseline: tuple[date | None, date | None] = (None, None)

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
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            raise self.fail(
                where, f"<{name}> '{text}' is not a date-time (YYYY-MM-DDThh:mm:ss)"
            ) from None

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

    def plan(self) -> _Plan:
        x, root = self.x, self.root
        where = "<Project>"
        if x.text(root, "ScheduleFromStart") and not self.flag(root, "ScheduleFromStart", where):
            self.notes.add("scheduled from the finish date in MS Project; dates kept as saved")
        for calendar in x.all(x.one(root, "Calendars"), "Calendar"):
            self.calendar_notes(calendar)
        if x.all(x.one(root, "ExtendedAttributes"), "ExtendedAttribute"):
            self.notes.add("custom fields (extended attributes) not imported")

        tasks, links = self.tasks()
        resources = self.resources()
        assignee, assignments = self.assignments(tasks, resources)

        name = x.text(root, "Title") or x.text(root, "Name") or ""
        name = re.sub(r"\.(xml|mpp|mpt)$", "", name, flags=re.IGNORECASE).strip()
        name = name or self.top_name or Path(self.label).stem
        baseline = [d for d in self.top_baseline if d is not None]
        for task in tasks:
            baseline += [d for d in (task.baseline_start, task.baseline_finish) if d is not None]
        return _Plan(
            name=name[:200],
            start=self.day(root, "StartDate", where),
            tasks=tasks,
            links=links,
            resources=resources,
            assignee=assignee,
            baseline_start=min(baseline, default=None),
            baseline_finish=max(baseline, default=None),
            assignments=assignments,
        )

    def calendar_notes(self, calendar: ET.Element) -> None:
        """Report a calendar that differs from itpm's week (Monday–Friday, 8 hours a day).

        Every MS Project file carries its Standard calendar and one per resource; only those
        with other working days, other hours or exceptions (holidays) lose something.
        """
        x = self.x
        name = x.text(calendar, "Name") or f"UID {x.text(calendar, 'UID')}"
        where = f"calendar '{name}'"
        differs: list[str] = []
        exceptions = len(x.all(x.one(calendar, "Exceptions"), "Exception"))
        for day in x.all(x.one(calendar, "WeekDays"), "WeekDay"):
            day_type = self.integer(day, "DayType", where)
            if day_type == 0:
                exceptions += 1
                continue
            working = self.flag(day, "DayWorking", where)
            if working != (day_type in range(2, 7)):
                differs.append("working days")
                continue
            minutes = 0
            times = x.all(x.one(day, "WorkingTimes"), "WorkingTime")
            for time in times:
                start, end = x.text(time, "FromTime"), x.text(time, "ToTime")
                if start and end:
                    minutes += (_minutes(end) - _minutes(start)) % (24 * 60) or 24 * 60
            if working and times and minutes != HOURS_PER_DAY * 60:
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

    def tasks(self) -> tuple[list[_PlanTask], list[_PlanLink]]:
        x = self.x
        elements = x.all(x.one(self.root, "Tasks"), "Task")
        tasks: list[_PlanTask] = []
        seen: set[int] = set()
        external: set[int] = set()
        stack: list[_PlanTask] = []
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
        for task in tasks:
            if task.summary_flag and task.uid not in parents:
                self.notes.add(
                    "tasks marked Summary without subtasks imported as tasks", task.label
                )
        self.number_outline(tasks)
        links = self.links(tasks, external)
        return tasks, links

    def task(
        self, el: ET.Element, uid: int, name: str, level: int, outline: str, pos: int, where: str
    ) -> _PlanTask:
        x = self.x
        if not name:
            name = f"Task UID {uid}"
            self.notes.add("tasks without a name given one", f"UID {uid}")
        task = _PlanTask(uid=uid, name=name[:200], level=level, wbs=outline, position=pos)
        task.summary_flag = self.flag(el, "Summary", where)
        task.milestone = self.flag(el, "Milestone", where)
        start = self.moment(el, "Start", where)
        task.start = start.date() if start else None
        task.finish = self.finish_day(el, "Finish", where, start)
        duration = self.hours(el, "Duration", where)
        duration_format = self.integer(el, "DurationFormat", where)
        elapsed = duration_format in _ELAPSED_FORMATS
        if duration is not None:
            task.duration_days = duration / (24 if elapsed else HOURS_PER_DAY)
        if task.finish is None and task.start is not None and task.duration_days is not None:
            days = max(math.ceil(task.duration_days), 0)
            if elapsed:
                task.finish = task.start + timedelta(days=max(days - 1, 0))
            else:
                task.finish = self.calendar.finish_date(task.start, days)
        if task.milestone:
            if task.start and task.finish and task.start != task.finish:
                self.notes.add("milestones with a duration dated on their finish", where)
            day = task.finish or task.start
            task.start = task.finish = day
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

    def unmapped(self, el: ET.Element, task: _PlanTask, where: str) -> None:
        """Report what MS Project knows about a task and itpm cannot keep."""
        x = self.x
        constraint = self.integer(el, "ConstraintType", where) or 0
        if constraint:
            on = self.day(el, "ConstraintDate", where)
            # A "start no earlier than / must start on" its own start is what an export writes
            # to pin a task's date; the date itself is kept, so nothing is lost.
            if not (constraint in (2, 4) and on is not None and on == task.start):
                label = _CONSTRAINTS.get(constraint, f"type {constraint}")
                self.notes.add(
                    "constraints not imported (dates kept as saved)",
                    f"{where} ({label}{f' {on}' if on else ''})",
                )
        if x.text(el, "Deadline"):
            self.notes.add("deadlines not imported", where)
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
    def number_outline(tasks: list[_PlanTask]) -> None:
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

    def links(self, tasks: list[_PlanTask], external: set[int]) -> list[_PlanLink]:
        by_uid = {t.uid: t for t in tasks}
        parents = {t.parent for t in tasks if t.parent is not None}
        links: list[_PlanLink] = []
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
                lag = self.lag(lag_tenths, lag_format, by_uid[pred], where)
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
                if pred in parents or task.uid in parents:
                    self.notes.add("links on summary tasks kept (itpm schedules leaf tasks)", where)
                links.append(_PlanLink(pred, task.uid, kind, lag))
        cycle = find_cycle(by_uid, [Link(lk.predecessor, lk.successor) for lk in links])
        if cycle:
            path = " → ".join(by_uid[uid].label for uid in [*cycle, cycle[0]])
            raise self.fail("<PredecessorLink>", f"the links form a cycle: {path}")
        return links

    def lag(self, tenths: int, lag_format: int, pred: _PlanTask, where: str) -> int:
        """A link lag in whole working days (8 h days); approximations are reported."""
        if lag_format in _PERCENT_FORMATS:
            days = (pred.duration_days or Decimal(0)) * tenths / 100
            self.notes.add(
                "lags in % of the predecessor's duration converted to working days",
                f"{where} ({tenths}%)",
            )
        elif lag_format in _ELAPSED_FORMATS:
            days = Decimal(tenths) / TENTHS_PER_ELAPSED_DAY
            self.notes.add("elapsed lags counted as working days", where)
        else:
            days = Decimal(tenths) / TENTHS_PER_DAY
        whole = int(days.to_integral_value(ROUND_HALF_UP))
        if days != whole and lag_format not in _PERCENT_FORMATS:
            self.notes.add(
                "lags of part of a day rounded to whole working days",
                f"{where} ({_trim(days)} → {whole} days)",
            )
        return whole

    def resources(self) -> dict[int, _PlanResource]:
        x = self.x
        out: dict[int, _PlanResource] = {}
        for position, el in enumerate(x.all(x.one(self.root, "Resources"), "Resource"), 1):
            name = x.text(el, "Name") or ""
            uid = self.integer(el, "UID", f"<Resource> number {position}")
            if uid is None:
                self.notes.add("resources without <UID> skipped", name or f"number {position}")
                continue
            if not name:
                continue  # MS Project's nameless placeholder resource (UID 0)
            where = f"resource UID {uid} '{name}'"
            kind = self.integer(el, "Type", where)
            if any(self.decimal(el, n, where) for n in ("StandardRate", "OvertimeRate", "Cost")):
                self.notes.add("costs not imported", where)
            out[uid] = _PlanResource(
                uid=uid,
                name=name[:200],
                email=x.text(el, "EmailAddress") or "",
                kind=1 if kind is None else kind,
            )
        return out

    def assignments(
        self, tasks: list[_PlanTask], resources: dict[int, _PlanResource]
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


def _parse(data: bytes, label: str, calendar: WorkCalendar) -> tuple[_Plan, _Parser]:
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
    return plan, parser


def _status(percent: int) -> str:
    if percent <= 0:
        return TaskStatus.TODO.value
    if percent >= 100:
        return TaskStatus.DONE.value
    return TaskStatus.IN_PROGRESS.value


def _remaining(task: _PlanTask) -> Decimal:
    if task.remaining is not None:
        return task.remaining
    return task.work * (100 - max(0, min(task.percent, 100))) / 100


def _draft(task: _PlanTask) -> TaskDraft:
    return TaskDraft(
        name=task.name,
        is_milestone=task.milestone,
        planned_start=task.start,
        planned_finish=task.finish,
        actual_start=task.actual_start,
        actual_finish=task.actual_finish,
        estimate_hours=task.work.quantize(_CENT),
        remaining_hours=_remaining(task).quantize(_CENT),
        percent_complete=task.percent,
        status=_status(task.percent),
        description=task.notes,
    )


def _check_tasks(plan: _Plan, label: str) -> None:
    """Every task must pass the same rules as one typed in a form, before anything is written."""
    for task in plan.tasks:
        try:
            validate_task(_draft(task))
        except ValidationError as exc:
            raise MspdiError(f"{label}: {task.label}: {exc}") from None


# --- writing the import -------------------------------------------------------------------


def import_mspdi(
    ctx: Context, path: str | os.PathLike[str], *, code: str | None = None
) -> MspdiReport:
    """Add the plan in `path` as one new project (phase planning), or raise `MspdiError` and
    write nothing.

    `code` names the project; without it one is derived from the plan's name and made unique.
    """
    source = Path(path)
    label = source.name
    data = _read_bytes(source)
    with ctx.db.read() as session:
        calendar = WorkCalendar(_holidays(session, None))
    plan, parser = _parse(data, label, calendar)
    notes = parser.notes
    if code is not None:
        validate_project(ProjectDraft(code=code, name=plan.name))
    starts = [t.start for t in plan.tasks if t.start] or ([plan.start] if plan.start else [])
    finishes = [t.finish for t in plan.tasks if t.finish]
    start = min(starts, default=None)
    end = max(finishes, default=None)
    if start and end and end < start:
        end = start
    with ctx.transaction() as tx:
        session = tx.session
        chosen = _choose_code(session, code, plan.name)
        draft = validate_project(
            ProjectDraft(
                code=chosen,
                name=plan.name,
                phase=Phase.PLANNING.value,
                start_date=start,
                end_date=end,
                currency="EUR",
            )
        )
        project = Project(
            **draft.__dict__,
            baseline_start=plan.baseline_start,
            baseline_end=plan.baseline_finish,
        )
        session.add(project)
        session.flush()
        project_id = _id(project)
        people, matched, created = _people(session, plan, notes)
        ids = _insert_tasks(session, plan, project_id, people)
        session.add_all(
            Dependency(
                predecessor_id=ids[link.predecessor],
                successor_id=ids[link.successor],
                kind=link.kind,
                lag_days=link.lag,
            )
            for link in plan.links
        )
        session.flush()
        tx.log(
            "project",
            project_id,
            "import",
            project_id=project_id,
            summary=f"imported {len(plan.tasks)} tasks, {len(plan.links)} links from {label}",
        )
    parents = {t.parent for t in plan.tasks if t.parent is not None}
    return MspdiReport(
        source=label,
        project_id=project_id,
        project_code=draft.code,
        project_name=draft.name,
        tasks=len(plan.tasks),
        summary_tasks=len(parents),
        milestones=sum(1 for t in plan.tasks if t.milestone),
        links=len(plan.links),
        resources=len(plan.resources),
        assignments=plan.assignments,
        people_matched=matched,
        people_created=created,
        warnings=notes.lines(),
    )


def _insert_tasks(
    session: Session, plan: _Plan, project_id: int, people: dict[int, int]
) -> dict[int, int]:
    """Insert level by level, so each level is one batch and parents have ids already."""
    ids: dict[int, int] = {}
    by_depth: dict[int, list[_PlanTask]] = {}
    depth: dict[int, int] = {}
    for task in plan.tasks:
        depth[task.uid] = 0 if task.parent is None else depth[task.parent] + 1
        by_depth.setdefault(depth[task.uid], []).append(task)
    for level in sorted(by_depth):
        rows: list[tuple[int, Task]] = []
        for task in by_depth[level]:
            draft = _draft(task)
            draft.parent_id = None if task.parent is None else ids[task.parent]
            resource = plan.assignee.get(task.uid)
            draft.assignee_id = None if resource is None else people.get(resource)
            row = Task(
                **draft.__dict__,
                project_id=project_id,
                sort_order=task.position,
                wbs=task.wbs,
                baseline_start=task.baseline_start,
                baseline_finish=task.baseline_finish,
            )
            rows.append((task.uid, row))
        session.add_all(row for _, row in rows)
        session.flush()
        ids.update((uid, _id(row)) for uid, row in rows)
    return ids


def _id(row: Project | Task | Person) -> int:
    """The id of a flushed row (SQLModel types it optional until then)."""
    assert row.id is not None
    return row.id


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _people(session: Session, plan: _Plan, notes: _Notes) -> tuple[dict[int, int], int, int]:
    """Resource UID → person id for the assignees: an existing person with the same e-mail or
    name, else a new one with a unique handle. Returns (mapping, matched, created)."""
    used = [plan.resources[uid] for uid in dict.fromkeys(plan.assignee.values())]
    if not used:
        return {}, 0, 0
    existing = session.exec(select(Person).order_by(col(Person.id))).all()
    by_email: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for person in existing:
        if person.email:
            by_email.setdefault(person.email.casefold(), _id(person))
        by_name.setdefault(_fold(person.name), _id(person))
    handles = {p.handle for p in existing}
    mapping: dict[int, int] = {}
    matched = created = 0
    for resource in used:
        email = resource.email.strip()
        found = by_email.get(email.casefold()) if email else None
        if found is None:
            found = by_name.get(_fold(resource.name))
        if found is not None:
            mapping[resource.uid] = found
            matched += 1
            continue
        if email and not EMAIL_RE.fullmatch(email):
            notes.add("e-mail addresses that are not valid left out", f"'{resource.name}'")
            email = ""
        handle = _unique(_handle(resource.name), handles, 40, ".")
        clean = validate_person(PersonDraft(name=resource.name, handle=handle, email=email))
        person = Person(**clean.__dict__)
        session.add(person)
        session.flush()
        handles.add(person.handle)
        person_id = _id(person)
        mapping[resource.uid] = person_id
        by_name[_fold(person.name)] = person_id
        if email:
            by_email[email.casefold()] = person_id
        created += 1
    return mapping, matched, created


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _handle(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", _ascii(name).lower())
    return ".".join(words)[:40].strip(".") or "person"


def _unique(base: str, taken: set[str], limit: int, sep: str, fold: bool = False) -> str:
    """`base`, or `base-2`, `base-3`, ... cut to `limit` characters, not yet in `taken`."""
    key = str.upper if fold else (lambda s: s)
    taken_keys = {key(t) for t in taken}
    if key(base) not in taken_keys:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: limit - len(suffix)].rstrip(sep + "-") + suffix
        if key(candidate) not in taken_keys:
            return candidate
        n += 1


def _derive_code(name: str) -> str:
    """OFFICE-MOVE-2026 from "Office move 2026": readable, and valid as a project code."""
    words = re.findall(r"[A-Z0-9]+", _ascii(name).upper())
    code = ""
    for word in words:
        candidate = f"{code}-{word}" if code else word
        if len(candidate) > 16:
            break
        code = candidate
    if not code and words:
        code = words[0][:16]
    code = code.lstrip("0123456789-")
    if len(code) < 2:
        code = f"PLAN-{code}".rstrip("-") if code else "PLAN"
    return code


def _choose_code(session: Session, code: str | None, name: str) -> str:
    taken = set(session.exec(select(Project.code)).all())
    if code is not None:
        wanted = code.strip().upper()
        if wanted in {t.upper() for t in taken}:
            raise ValidationError("code", f"'{wanted}' is already used by another project")
        return wanted
    return _unique(_derive_code(name), taken, 20, "-", fold=True)


def _holidays(session: Session, project_id: int | None) -> list[date]:
    query = select(col(Holiday.day)).where(
        or_(col(Holiday.project_id).is_(None), col(Holiday.project_id) == project_id)
    )
    return list(session.exec(query).all())


# --- export -------------------------------------------------------------------------------


def export_mspdi(db: Database, project_code: str) -> bytes:
    """One project as MS Project XML (UTF-8), readable by MS Project 2003 and later.

    Task dates become 08:00–17:00 on the standard calendar; a leaf task with no predecessor
    that starts after the project start gets "Start No Earlier Than" its start, because MS
    Project would otherwise move it to the project start when it recalculates.
    """
    with db.read() as session:
        project = session.exec(
            select(Project).where(func.upper(Project.code) == project_code.strip().upper())
        ).first()
        if project is None:
            raise NotFoundError(f"no project with code '{project_code}'")
        tasks = list(
            session.exec(
                select(Task)
                .where(Task.project_id == project.id)
                .order_by(col(Task.sort_order), col(Task.id))
            ).all()
        )
        task_ids = [t.id for t in tasks]
        links = list(
            session.exec(
                select(Dependency)
                .where(col(Dependency.successor_id).in_(task_ids))
                .order_by(col(Dependency.id))
            ).all()
        )
        assignee_ids = {t.assignee_id for t in tasks if t.assignee_id is not None}
        people = list(session.exec(select(Person).where(col(Person.id).in_(assignee_ids))).all())
        holidays = _holidays(session, project.id)
    return _render(project, tasks, links, people, holidays)


def write_mspdi(db: Database, code: str, path: str | os.PathLike[str]) -> None:
    """Export project `code` to the file `path` (replaced if it exists)."""
    data = export_mspdi(db, code)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ItpmError(f"cannot write {path}: {exc.strerror or exc}") from None


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _add(parent: ET.Element, tag: str, value: object | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if value is not None:
        el.text = _clean(str(value))
    return el


def _at(day: date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00"


def _pt(hours: Decimal | int) -> str:
    """Hours as the PT#H#M0S durations MS Project writes."""
    minutes = int((Decimal(hours) * 60).to_integral_value(ROUND_HALF_UP))
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}PT{h}H{m}M0S"


def _outline(tasks: list[Task]) -> list[tuple[Task, int, str, list[Task]]]:
    """Tasks in outline order with level, outline number and children."""
    known = {t.id for t in tasks}
    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        parent = task.parent_id if task.parent_id in known else None
        children.setdefault(parent, []).append(task)
    out: list[tuple[Task, int, str, list[Task]]] = []

    def walk(parent: int | None, level: int, prefix: str) -> None:
        for n, task in enumerate(children.get(parent, []), 1):
            number = f"{prefix}.{n}" if prefix else str(n)
            kids = children.get(task.id, [])
            out.append((task, level, number, kids))
            walk(task.id, level + 1, number)

    walk(None, 1, "")
    return out


def _spans(
    rows: list[tuple[Task, int, str, list[Task]]],
) -> dict[int, tuple[date | None, date | None]]:
    """Each task's dates, a summary without its own taking the span of its children."""
    spans: dict[int, tuple[date | None, date | None]] = {}
    for task, _level, _number, kids in reversed(rows):
        start, finish = task.planned_start, task.planned_finish
        if kids and (start is None or finish is None):
            starts = [s for k in kids if (s := spans[_id(k)][0]) is not None]
            finishes = [f for k in kids if (f := spans[_id(k)][1]) is not None]
            start = start or min(starts, default=None)
            finish = finish or max(finishes, default=None)
        if task.is_milestone:
            start = finish = finish or start
        spans[_id(task)] = (start, finish)
    return spans


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()[:8]


def _dates(
    parent: ET.Element, start: date | None, finish: date | None, milestone: bool, cal: WorkCalendar
) -> None:
    """Start at 08:00 and finish at 17:00; a milestone is the instant 08:00 of its day."""
    if start is not None:
        _add(parent, "Start", _at(start, 8))
    if finish is not None:
        _add(parent, "Finish", _at(finish, 8 if milestone else 17))
    if start is None or finish is None:
        return  # MS Project fills in the rest; a re-import keeps the one date
    days = 0 if milestone else cal.count_working_days(start, finish)
    _add(parent, "Duration", _pt(days * HOURS_PER_DAY))
    _add(parent, "DurationFormat", 7)


def _baseline(
    parent: ET.Element, start: date | None, finish: date | None, milestone: bool, cal: WorkCalendar
) -> None:
    if start is None and finish is None:
        return
    start = start or finish
    finish = finish or start
    assert start is not None and finish is not None
    base = _add(parent, "Baseline")
    _add(base, "Number", 0)
    _dates(base, start, finish, milestone and start == finish, cal)


def _render(
    project: Project,
    tasks: list[Task],
    links: list[Dependency],
    people: list[Person],
    holidays: Iterable[date],
) -> bytes:
    holiday_list = sorted(set(holidays))
    cal = WorkCalendar(holiday_list)
    rows = _outline(tasks)
    spans = _spans(rows)
    starts = [s for s, _ in spans.values() if s] + (
        [project.start_date] if project.start_date else []
    )
    finishes = [f for _, f in spans.values() if f] + (
        [project.end_date] if project.end_date else []
    )
    start = project.start_date or min(starts, default=None) or date.today()
    finish = max(finishes, default=start)
    finish = max(finish, start)

    root = ET.Element("Project", xmlns=NS)
    _add(root, "SaveVersion", SAVE_VERSION)
    _add(root, "Name", project.name)
    _add(root, "Title", project.name)
    _add(root, "ScheduleFromStart", 1)
    _add(root, "StartDate", _at(start, 8))
    _add(root, "FinishDate", _at(finish, 17))
    _add(root, "CurrencyCode", project.currency)
    _add(root, "CalendarUID", 1)
    _add(root, "DefaultStartTime", "08:00:00")
    _add(root, "DefaultFinishTime", "17:00:00")
    _add(root, "MinutesPerDay", HOURS_PER_DAY * 60)
    _add(root, "MinutesPerWeek", HOURS_PER_DAY * 60 * 5)
    _add(root, "DaysPerMonth", 20)
    _calendar(_add(root, "Calendars"), holiday_list)

    incoming: dict[int, list[Dependency]] = {}
    for link in links:
        incoming.setdefault(link.successor_id, []).append(link)
    tasks_el = _add(root, "Tasks")
    top = _add(tasks_el, "Task")
    _add(top, "UID", 0)
    _add(top, "ID", 0)
    _add(top, "Name", project.name)
    _add(top, "OutlineNumber", 0)
    _add(top, "OutlineLevel", 0)
    _dates(top, start, finish, False, cal)
    _add(top, "Milestone", 0)
    _add(top, "Summary", 1)
    _baseline(top, project.baseline_start, project.baseline_end, False, cal)

    for row_id, (task, level, number, kids) in enumerate(rows, 1):
        task_start, task_finish = spans[_id(task)]
        el = _add(tasks_el, "Task")
        _add(el, "UID", task.id)
        _add(el, "ID", row_id)
        _add(el, "Name", task.name)
        _add(el, "WBS", task.wbs or number)
        _add(el, "OutlineNumber", number)
        _add(el, "OutlineLevel", level)
        _dates(el, task_start, task_finish, task.is_milestone, cal)
        _add(el, "Work", _pt(task.estimate_hours))
        _add(el, "Milestone", int(task.is_milestone))
        _add(el, "Summary", int(bool(kids)))
        _add(el, "PercentComplete", task.percent_complete)
        if task.actual_start:
            _add(el, "ActualStart", _at(task.actual_start, 8))
        if task.actual_finish:
            _add(el, "ActualFinish", _at(task.actual_finish, 17))
        _add(el, "RemainingWork", _pt(task.remaining_hours))
        pinned = (
            not kids
            and task_start is not None
            and task_start > start
            and not incoming.get(_id(task))
        )
        _add(el, "ConstraintType", 4 if pinned else 0)
        if pinned and task_start is not None:
            _add(el, "ConstraintDate", _at(task_start, 8))
        if task.description:
            _add(el, "Notes", task.description)
        for link in incoming.get(_id(task), []):
            pl = _add(el, "PredecessorLink")
            _add(pl, "PredecessorUID", link.predecessor_id)
            _add(pl, "Type", LINK_CODES.get(link.kind, 1))
            _add(pl, "CrossProject", 0)
            _add(pl, "LinkLag", link.lag_days * TENTHS_PER_DAY)
            _add(pl, "LagFormat", 7)
        _baseline(el, task.baseline_start, task.baseline_finish, task.is_milestone, cal)

    resource_uid: dict[int, int] = {}
    resources_el = _add(root, "Resources")
    for uid, person in enumerate(sorted(people, key=lambda p: (p.name.casefold(), p.id)), 1):
        resource_uid[_id(person)] = uid
        res = _add(resources_el, "Resource")
        _add(res, "UID", uid)
        _add(res, "ID", uid)
        _add(res, "Name", person.name)
        _add(res, "Type", 1)
        _add(res, "Initials", _initials(person.name) or person.handle[:8])
        if person.email:
            _add(res, "EmailAddress", person.email)

    assignments_el = _add(root, "Assignments")
    n = 0
    for task, _level, _number, _kids in rows:
        if task.assignee_id is None or task.assignee_id not in resource_uid:
            continue
        n += 1
        task_start, task_finish = spans[_id(task)]
        asg = _add(assignments_el, "Assignment")
        _add(asg, "UID", n)
        _add(asg, "TaskUID", task.id)
        _add(asg, "ResourceUID", resource_uid[task.assignee_id])
        _add(asg, "PercentWorkComplete", task.percent_complete)
        if task_finish:
            _add(asg, "Finish", _at(task_finish, 8 if task.is_milestone else 17))
        _add(asg, "RemainingWork", _pt(task.remaining_hours))
        if task_start:
            _add(asg, "Start", _at(task_start, 8))
        _add(asg, "Units", 1)
        _add(asg, "Work", _pt(task.estimate_hours))

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n").encode()


def _calendar(parent: ET.Element, holidays: list[date]) -> None:
    """The standard calendar: Monday–Friday 08:00–12:00 and 13:00–17:00, itpm's holidays off."""
    cal = _add(parent, "Calendar")
    _add(cal, "UID", 1)
    _add(cal, "Name", "Standard")
    _add(cal, "IsBaseCalendar", 1)
    _add(cal, "BaseCalendarUID", -1)
    days = _add(cal, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday
        wd = _add(days, "WeekDay")
        _add(wd, "DayType", day_type)
        working = day_type not in (1, 7)
        _add(wd, "DayWorking", int(working))
        if working:
            times = _add(wd, "WorkingTimes")
            for start, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                wt = _add(times, "WorkingTime")
                _add(wt, "FromTime", start)
                _add(wt, "ToTime", end)
    for day in holidays:
        wd = _add(days, "WeekDay")
        _add(wd, "DayType", 0)
        _add(wd, "DayWorking", 0)
        period = _add(wd, "TimePeriod")
        _add(period, "FromDate", f"{day.isoformat()}T00:00:00")
        _add(period, "ToDate", f"{day.isoformat()}T23:59:00")


__all__ = ["MspdiError", "MspdiReport", "export_mspdi", "import_mspdi", "write_mspdi"]
