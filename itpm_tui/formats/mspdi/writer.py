"""Plain plan data → MS Project XML (MSPDI), readable by MS Project 2003 and later.

MS Project recalculates a plan when it opens it, so the file says why each task is where it
is, not only where: task dates become 08:00–17:00 on the standard calendar, and every dated
leaf gets "Start No Earlier Than" its stored planned start (itpm's own rule: links may push a
task later, never earlier), unless it has a constraint of its own (`_constraint`). Tasks are
fixed-duration with assignment units of estimate ÷ duration, so MS Project keeps each
duration instead of working it out from the hours; a manual task is written `Manual 1`, so
links do not move it in MS Project either; progress is written as actual and remaining
duration; an elapsed task (`10ed`) runs in elapsed days of 24 hours from 08:00, as MS Project
runs one. A task without a duration of its own is the "1 day?" (estimated) task MS Project
makes, which is what itpm schedules it as.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import FINISH_NO_LATER_THAN, MUST_START_ON
from itpm_tui.domain.outline import OutlineItem, OutlineRow, outline
from itpm_tui.domain.plan import PlanTask, ProjectPlan
from itpm_tui.domain.schedule import Link
from itpm_tui.formats.mspdi.schema import (
    DAYS,
    ELAPSED_DAYS,
    ESTIMATED_DAYS,
    FINISH_NO_LATER_THAN_CODE,
    FIXED_DURATION,
    HOURS_PER_DAY,
    LINK_CODES,
    MUST_START_ON_CODE,
    NS,
    SAVE_VERSION,
    START_NO_EARLIER_THAN,
    TENTHS_PER_DAY,
)

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_C1 = re.compile("[\x7f-\x9f]")


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


def _done_hours(hours: int, percent: int) -> Decimal:
    """The part of a duration (in hours) that `percent` says is done: MS Project's percent
    complete is of the duration, as itpm's is of the task."""
    return Decimal(hours) * max(0, min(percent, 100)) / 100


def _units(estimate: Decimal, days: int) -> str:
    """Assignment units (1 = full time) that put the estimate into the duration, so Work =
    Units × Duration holds and MS Project keeps both; a milestone's are full time."""
    if days <= 0:
        return "1"
    units = (estimate / (days * HOURS_PER_DAY)).quantize(Decimal("0.000001"), ROUND_HALF_UP)
    return f"{units.normalize():f}"


def _spans(
    rows: list[OutlineRow], by_id: dict[int, PlanTask]
) -> dict[int, tuple[date | None, date | None]]:
    """Each task's dates, a summary without its own taking the span of its children."""
    spans: dict[int, tuple[date | None, date | None]] = {}
    for row in reversed(rows):
        task = by_id[row.id]
        start, finish = task.planned_start, task.planned_finish
        if row.children and (start is None or finish is None):
            starts = [s for k in row.children if (s := spans[k][0]) is not None]
            finishes = [f for k in row.children if (f := spans[k][1]) is not None]
            start = start or min(starts, default=None)
            finish = finish or max(finishes, default=None)
        if task.is_milestone:
            start = finish = finish or start
        spans[row.id] = (start, finish)
    return spans


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()[:8]


def _dates(
    parent: ET.Element,
    start: date | None,
    finish: date | None,
    milestone: bool,
    cal: WorkCalendar,
    elapsed: bool = False,
) -> int | None:
    """Start at 08:00 and finish at 17:00; a milestone is the instant 08:00 of its day.
    An elapsed task's days are 24 hours each: from 08:00 of its start to 08:00 the day after
    its finish date, where MS Project ends it (a reader takes it back by its duration).

    Returns the days written as the duration (working days, or calendar days when
    elapsed), or None when a date is missing (the caller decides what such a task lasts)."""
    if elapsed and not milestone and start is not None and finish is not None:
        days = (finish - start).days + 1
        _add(parent, "Start", _at(start, 8))
        _add(parent, "Finish", _at(finish + timedelta(days=1), 8))
        _add(parent, "Duration", _pt(days * 24))
        _add(parent, "DurationFormat", ELAPSED_DAYS)
        return days
    if start is not None:
        _add(parent, "Start", _at(start, 8))
    if finish is not None:
        _add(parent, "Finish", _at(finish, 8 if milestone else 17))
    if start is None or finish is None:
        return None
    days = 0 if milestone else cal.count_working_days(start, finish)
    _add(parent, "Duration", _pt(days * HOURS_PER_DAY))
    _add(parent, "DurationFormat", DAYS)
    return days


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


def write_plan(project: ProjectPlan, today: date) -> bytes:
    """The plan as an MSPDI document (UTF-8); task UIDs are itpm's task ids. A plan with
    no date at all (no project start, no task dates) starts `today`."""
    holiday_list = sorted(set(project.holidays))
    cal = WorkCalendar(holiday_list)
    by_id = {t.id: t for t in project.tasks}
    rows = outline([OutlineItem(t.id, t.parent_id) for t in project.tasks])
    spans = _spans(rows, by_id)
    starts = [s for s, _ in spans.values() if s] + (
        [project.start_date] if project.start_date else []
    )
    finishes = [f for _, f in spans.values() if f] + (
        [project.end_date] if project.end_date else []
    )
    start = project.start_date or min(starts, default=None) or today
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

    incoming: dict[int, list[Link]] = {}
    for link in project.links:
        incoming.setdefault(link.successor, []).append(link)
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

    durations: dict[int, int] = {}  # working days of each leaf, for its assignment
    for row_id, row in enumerate(rows, 1):
        task, number, kids = by_id[row.id], row.number, row.children
        task_start, task_finish = spans[task.id]
        el = _add(tasks_el, "Task")
        _add(el, "UID", task.id)
        _add(el, "ID", row_id)
        _add(el, "Name", task.name)
        if task.is_manual and not kids:
            _add(el, "Manual", 1)  # MS Project 2010+: kept where it is, links do not move it
        _add(el, "Type", FIXED_DURATION)
        _add(el, "WBS", task.wbs or number)
        _add(el, "OutlineNumber", number)
        _add(el, "OutlineLevel", row.level + 1)
        elapsed = task.is_elapsed and not kids
        days = _dates(el, task_start, task_finish, task.is_milestone, cal, elapsed)
        estimated = days is None and not kids
        if estimated:
            # no duration of its own: itpm schedules it as one day, MS Project's "1 day?"
            days = 0 if task.is_milestone else 1
            _add(el, "Duration", _pt(days * HOURS_PER_DAY))
            _add(el, "DurationFormat", ESTIMATED_DAYS)
        _add(el, "Work", _pt(task.estimate_hours))
        _add(el, "EffortDriven", 0)
        if estimated:
            _add(el, "Estimated", 1)
        _add(el, "Milestone", int(task.is_milestone))
        _add(el, "Summary", int(bool(kids)))
        _add(el, "PercentComplete", task.percent_complete)
        if task.actual_start:
            _add(el, "ActualStart", _at(task.actual_start, 8))
        if task.actual_finish:
            _add(el, "ActualFinish", _at(task.actual_finish, 17))
        if days is not None and not kids:
            durations[task.id] = days
            hours = days * (24 if elapsed else HOURS_PER_DAY)
            done = _done_hours(hours, task.percent_complete)
            _add(el, "ActualDuration", _pt(done))
            _add(el, "RemainingDuration", _pt(hours - done))
        _add(el, "RemainingWork", _pt(task.remaining_hours))
        _constraint(el, task, bool(kids))
        if task.description:
            _add(el, "Notes", task.description)
        for link in incoming.get(task.id, []):
            pl = _add(el, "PredecessorLink")
            _add(pl, "PredecessorUID", link.predecessor)
            _add(pl, "Type", LINK_CODES.get(link.kind, 1))
            _add(pl, "CrossProject", 0)
            _add(pl, "LinkLag", link.lag * TENTHS_PER_DAY)
            _add(pl, "LagFormat", DAYS)
        _baseline(el, task.baseline_start, task.baseline_finish, task.is_milestone, cal)

    resource_uid: dict[int, int] = {}
    resources_el = _add(root, "Resources")
    people = sorted(project.people, key=lambda p: (p.name.casefold(), p.id))
    for uid, person in enumerate(people, 1):
        resource_uid[person.id] = uid
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
    for row in rows:
        task = by_id[row.id]
        if task.assignee_id is None or task.assignee_id not in resource_uid:
            continue
        n += 1
        task_start, task_finish = spans[task.id]
        asg = _add(assignments_el, "Assignment")
        _add(asg, "UID", n)
        _add(asg, "TaskUID", task.id)
        _add(asg, "ResourceUID", resource_uid[task.assignee_id])
        _add(asg, "PercentWorkComplete", task.percent_complete)
        _add(asg, "ActualWork", _pt(max(task.estimate_hours - task.remaining_hours, Decimal(0))))
        if task_finish:
            _add(asg, "Finish", _at(task_finish, 8 if task.is_milestone else 17))
        _add(asg, "RemainingWork", _pt(task.remaining_hours))
        if task_start:
            _add(asg, "Start", _at(task_start, 8))
        _add(asg, "Units", _units(task.estimate_hours, durations.get(task.id, 0)))
        _add(asg, "Work", _pt(task.estimate_hours))

    ET.indent(root, space="  ")
    # DEL and the C1 controls (allowed in XML 1.0) as character references: the same data
    # for a reader, but never a raw C1 CSI on the terminal the plan is printed to.
    body = _C1.sub(lambda m: f"&#x{ord(m.group()):x};", ET.tostring(root, encoding="unicode"))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n").encode()


def _constraint(el: ET.Element, task: PlanTask, summary: bool) -> None:
    """The task's constraint and deadline, each written as what it is.

    MS Project keeps one constraint a task. A leaf's is itpm's start rule, "Start No Earlier
    Than" its planned start, unless it has a constraint of its own, which takes the place:
    "Must Start On" its date, or "Finish No Later Than" its date (on a summary too). A task
    with a "Finish No Later Than" so has no start rule in the file: MS Project starts it as
    soon as its links and the project's start allow, which are itpm's dates unless its planned
    start holds it later; and, honouring constraint dates, MS Project moves a task earlier
    than its links to meet a broken one, where itpm keeps the links and flags the finish
    (docs/mspdi.md). The deadline is MS Project's own `Deadline`. Imported back, the file
    gives the same constraint, date and deadline, the task's start as its planned start."""
    kind, on = task.constraint_kind, task.constraint_date
    if kind == FINISH_NO_LATER_THAN and on is not None:
        _add(el, "ConstraintType", FINISH_NO_LATER_THAN_CODE)
        _add(el, "ConstraintDate", _at(on, 17))
    elif kind == MUST_START_ON and on is not None and not summary:
        _add(el, "ConstraintType", MUST_START_ON_CODE)
        _add(el, "ConstraintDate", _at(on, 8))
    elif not summary and task.earliest_start is not None:
        _add(el, "ConstraintType", START_NO_EARLIER_THAN)
        _add(el, "ConstraintDate", _at(task.earliest_start, 8))
    else:
        _add(el, "ConstraintType", 0)
    if task.deadline is not None:
        _add(el, "Deadline", _at(task.deadline, 17))


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
