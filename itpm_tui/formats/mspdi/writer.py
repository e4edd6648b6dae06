"""Plain plan data → MS Project XML (MSPDI), readable by MS Project 2003 and later.

MS Project recalculates a plan when it opens it, so the file says why each task is where it
is, not only where: task dates run from the first to the last working hour of the project's
working hours (08:00–17:00 on the standard day), a part-day task (`4h`) from and to the clock
times of itpm's schedule in working minutes, and every dated leaf gets "Start No Earlier
Than" its stored planned start and start time (itpm's own rule: links may push a task later,
never earlier), unless it has a constraint of its own (`_constraint`). The calendar carries
the project's working hours, `MinutesPerDay` their length. Tasks are fixed-duration with
assignment units of estimate ÷ duration, so MS Project keeps each duration instead of working
it out from the hours; a manual task is written `Manual 1`, so links do not move it in MS
Project either; progress is written as actual and remaining duration; an elapsed task
(`10ed`) runs in elapsed days of 24 hours from the first working hour, as MS Project runs
one. A task without a duration of its own is the "1 day?" (estimated) task MS Project makes,
which is what itpm schedules it as.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import FINISH_NO_LATER_THAN, MUST_START_ON
from itpm_tui.domain.outline import OutlineItem, OutlineRow, outline
from itpm_tui.domain.plan import PlannedTask, PlanTask, ProjectPlan, plan_project
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.work_hours import STANDARD_HOURS, WorkingHours
from itpm_tui.formats.mspdi.schema import (
    DAYS,
    ELAPSED_DAYS,
    ELAPSED_HOURS,
    ESTIMATED_DAYS,
    FINISH_NO_LATER_THAN_CODE,
    FIXED_DURATION,
    HOURS,
    LINK_CODES,
    MUST_START_ON_CODE,
    NS,
    SAVE_VERSION,
    START_NO_EARLIER_THAN,
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


def _at(day: date, clock: time) -> str:
    return datetime.combine(day, clock).isoformat(timespec="seconds")


def _pt(hours: Decimal | int) -> str:
    """Hours as the PT#H#M0S durations MS Project writes."""
    minutes = int((Decimal(hours) * 60).to_integral_value(ROUND_HALF_UP))
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}PT{h}H{m}M0S"


def _done_hours(hours: Decimal, percent: int) -> Decimal:
    """The part of a duration (in hours) that `percent` says is done: MS Project's percent
    complete is of the duration, as itpm's is of the task."""
    return hours * max(0, min(percent, 100)) / 100


def _units(estimate: Decimal, hours: Decimal) -> str:
    """Assignment units (1 = full time) that put the estimate into the duration (`hours` of
    working time), so Work = Units × Duration holds and MS Project keeps both; a milestone's
    are full time."""
    if hours <= 0:
        return "1"
    units = (estimate / hours).quantize(Decimal("0.000001"), ROUND_HALF_UP)
    return f"{units.normalize():f}"


class _Day:
    """The project's working day as the file writes it: its first and last hour, and its
    length in hours (a duration of `n` days is `n` of them)."""

    def __init__(self, hours: WorkingHours) -> None:
        self.hours = hours
        self.first = hours.start_clock(0)
        self.last = hours.finish_clock(hours.minutes_per_day)
        self.length = Decimal(hours.minutes_per_day) / 60


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
    day: _Day,
    elapsed: bool = False,
) -> Decimal | None:
    """Start at the day's first working hour and finish at its last; a milestone is the
    instant of its day's first hour. An elapsed task's days are 24 hours each: from the first
    hour of its start to the same hour the day after its finish date, where MS Project ends
    it (a reader takes it back by its duration).

    Returns the hours written as the duration (working hours, or 24 a calendar day when
    elapsed), or None when a date is missing (the caller decides what such a task lasts)."""
    if elapsed and not milestone and start is not None and finish is not None:
        hours = Decimal(((finish - start).days + 1) * 24)
        _add(parent, "Start", _at(start, day.first))
        _add(parent, "Finish", _at(finish + timedelta(days=1), day.first))
        _add(parent, "Duration", _pt(hours))
        _add(parent, "DurationFormat", ELAPSED_DAYS)
        return hours
    if start is not None:
        _add(parent, "Start", _at(start, day.first))
    if finish is not None:
        _add(parent, "Finish", _at(finish, day.first if milestone else day.last))
    if start is None or finish is None:
        return None
    hours = Decimal(0) if milestone else cal.count_working_days(start, finish) * day.length
    _add(parent, "Duration", _pt(hours))
    _add(parent, "DurationFormat", DAYS)
    return hours


def _timed_dates(parent: ET.Element, task: PlannedTask, day: _Day, elapsed: bool) -> Decimal:
    """A task of a plan scheduled in minutes, from and to its clock times; a milestone is
    the instant its work before it ends; an `elapsed` one lasts hours of clock time (`4eh`,
    MS Project's "eh"). Returns the hours written as the duration."""
    assert task.start and task.finish and task.start_time and task.finish_time
    minutes = task.work_minutes or 0
    start = task.finish_time if minutes == 0 else task.start_time
    _add(parent, "Start", _at(task.start, start))
    _add(parent, "Finish", _at(task.finish, task.finish_time))
    _add(parent, "Duration", _pt(Decimal(minutes) / 60))
    whole = minutes % day.hours.minutes_per_day == 0
    _add(parent, "DurationFormat", ELAPSED_HOURS if elapsed else DAYS if whole else HOURS)
    return Decimal(minutes) / 60


def schedule_in_minutes(
    project: ProjectPlan, cal: WorkCalendar, hours: WorkingHours
) -> dict[int, PlannedTask]:
    """Each task's schedule in working minutes, with its clock times, when some leaf lasts
    part of a day or starts at a time, or a link lags part of a day; {} for a plan of whole
    days (written as before).

    Scheduled from the stored plan (each leaf's own start and start time, its working
    minutes or the working days it was given), as the Timeline schedules it."""
    if not any(
        t.work_minutes is not None or t.start_time is not None for t in project.tasks
    ) and not any(link.lag_minutes is not None for link in project.links):
        return {}
    stored = [_stored(t, cal) for t in project.tasks]
    planned = plan_project(stored, project.links, project.start_date, cal, hours)
    return {t.id: t for t in planned.tasks if t.start_time is not None}


def _stored(task: PlanTask, cal: WorkCalendar) -> PlanTask:
    """The task from its own start (its start rule) to the finish that keeps its length: a
    plan file's tasks carry their scheduled dates, the stored ones beside them (a whole day
    pushed into the afternoon spans two dates but is still one day's work)."""
    start, finish, own = task.planned_start, task.planned_finish, task.earliest_start
    if own is None or start is None or finish is None or task.is_manual:
        return task
    if task.earliest_finish is not None and not task.is_milestone:
        return replace(task, planned_start=own, planned_finish=task.earliest_finish)
    if own == start:
        return task
    if task.is_milestone:
        last = own
    elif task.is_elapsed:
        last = own + (finish - start)
    else:
        last = cal.finish_date(own, max(cal.count_working_days(start, finish), 1))
    return replace(task, planned_start=own, planned_finish=last)


def _baseline(
    parent: ET.Element,
    start: date | None,
    finish: date | None,
    milestone: bool,
    cal: WorkCalendar,
    day: _Day,
) -> None:
    if start is None and finish is None:
        return
    start = start or finish
    finish = finish or start
    assert start is not None and finish is not None
    base = _add(parent, "Baseline")
    _add(base, "Number", 0)
    _dates(base, start, finish, milestone and start == finish, cal, day)


def write_plan(project: ProjectPlan, today: date, hours: WorkingHours = STANDARD_HOURS) -> bytes:
    """The plan as an MSPDI document (UTF-8); task UIDs are itpm's task ids; `hours` are the
    project's working hours. A plan with no date at all (no project start, no task dates)
    starts `today`."""
    holiday_list = sorted(set(project.holidays))
    cal = WorkCalendar(holiday_list)
    day = _Day(hours)
    by_id = {t.id: t for t in project.tasks}
    rows = outline([OutlineItem(t.id, t.parent_id) for t in project.tasks])
    timed = schedule_in_minutes(project, cal, hours)
    spans = _spans(rows, by_id)
    spans.update((tid, (t.start, t.finish)) for tid, t in timed.items())
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
    _add(root, "StartDate", _at(start, day.first))
    _add(root, "FinishDate", _at(finish, day.last))
    _add(root, "CurrencyCode", project.currency)
    _add(root, "CalendarUID", 1)
    _add(root, "DefaultStartTime", day.first.isoformat())
    _add(root, "DefaultFinishTime", day.last.isoformat())
    _add(root, "MinutesPerDay", hours.minutes_per_day)
    _add(root, "MinutesPerWeek", hours.minutes_per_day * 5)
    _add(root, "DaysPerMonth", 20)
    _calendar(_add(root, "Calendars"), holiday_list, hours)

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
    _dates(top, start, finish, False, cal, day)
    _add(top, "Milestone", 0)
    _add(top, "Summary", 1)
    _baseline(top, project.baseline_start, project.baseline_end, False, cal, day)

    durations: dict[int, Decimal] = {}  # hours of each leaf, for its assignment
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
        planned = timed.get(task.id)
        if planned is not None and (not elapsed or task.work_minutes is not None):
            length: Decimal | None = _timed_dates(el, planned, day, elapsed)
        else:
            length = _dates(el, task_start, task_finish, task.is_milestone, cal, day, elapsed)
        estimated = length is None and not kids
        if estimated:
            # no duration of its own: itpm schedules it as one day, MS Project's "1 day?"
            length = Decimal(0) if task.is_milestone else day.length
            _add(el, "Duration", _pt(length))
            _add(el, "DurationFormat", ESTIMATED_DAYS)
        _add(el, "Work", _pt(task.estimate_hours))
        _add(el, "EffortDriven", 0)
        if estimated:
            _add(el, "Estimated", 1)
        _add(el, "Milestone", int(task.is_milestone))
        _add(el, "Summary", int(bool(kids)))
        _add(el, "PercentComplete", task.percent_complete)
        if task.actual_start:
            _add(el, "ActualStart", _at(task.actual_start, day.first))
        if task.actual_finish:
            _add(el, "ActualFinish", _at(task.actual_finish, day.last))
        if length is not None and not kids:
            # the units put the estimate into working time: an elapsed day counts as one
            # working day, elapsed hours as themselves
            whole_days = elapsed and task.work_minutes is None
            durations[task.id] = length / 24 * day.length if whole_days else length
            done = _done_hours(length, task.percent_complete)
            _add(el, "ActualDuration", _pt(done))
            _add(el, "RemainingDuration", _pt(length - done))
        _add(el, "RemainingWork", _pt(task.remaining_hours))
        _constraint(el, task, bool(kids), day)
        if task.description:
            _add(el, "Notes", task.description)
        for link in incoming.get(task.id, []):
            pl = _add(el, "PredecessorLink")
            _add(pl, "PredecessorUID", link.predecessor)
            _add(pl, "Type", LINK_CODES.get(link.kind, 1))
            _add(pl, "CrossProject", 0)
            lag = link.lag * hours.minutes_per_day if link.lag_minutes is None else link.lag_minutes
            _add(pl, "LinkLag", lag * 10)  # tenths of a working minute
            _add(pl, "LagFormat", DAYS)
        _baseline(el, task.baseline_start, task.baseline_finish, task.is_milestone, cal, day)

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
        planned = timed.get(task.id)
        if planned is not None and planned.finish and planned.finish_time:
            _add(asg, "Finish", _at(planned.finish, planned.finish_time))
        elif task_finish:
            _add(asg, "Finish", _at(task_finish, day.first if task.is_milestone else day.last))
        _add(asg, "RemainingWork", _pt(task.remaining_hours))
        if planned is not None and planned.start and planned.start_time:
            _add(asg, "Start", _at(planned.start, planned.start_time))
        elif task_start:
            _add(asg, "Start", _at(task_start, day.first))
        _add(asg, "Units", _units(task.estimate_hours, durations.get(task.id, Decimal(0))))
        _add(asg, "Work", _pt(task.estimate_hours))

    ET.indent(root, space="  ")
    # DEL and the C1 controls (allowed in XML 1.0) as character references: the same data
    # for a reader, but never a raw C1 CSI on the terminal the plan is printed to.
    body = _C1.sub(lambda m: f"&#x{ord(m.group()):x};", ET.tostring(root, encoding="unicode"))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n").encode()


def _constraint(el: ET.Element, task: PlanTask, summary: bool, day: _Day) -> None:
    """The task's constraint and deadline, each written as what it is.

    MS Project keeps one constraint a task. A leaf's is itpm's start rule, "Start No Earlier
    Than" its planned start, unless it has a constraint of its own, which takes the place:
    "Must Start On" its date, or "Finish No Later Than" its date (on a summary too). A task
    with a "Finish No Later Than" so has no start rule in the file: MS Project starts it as
    soon as its links and the project's start allow, which are itpm's dates unless its planned
    start holds it later; and, honouring constraint dates, MS Project moves a task earlier
    than its links to meet a broken one, where itpm keeps the links and flags the finish
    (docs/mspdi.md). The deadline is MS Project's own `Deadline`. Imported back, the file
    gives the same constraint, date and deadline, the task's start as its planned start.
    Start rules hold at the task's start time (the day's first hour without one), finishes
    at the day's last hour."""
    kind, on = task.constraint_kind, task.constraint_date
    clock = task.start_time or day.first
    if kind == FINISH_NO_LATER_THAN and on is not None:
        _add(el, "ConstraintType", FINISH_NO_LATER_THAN_CODE)
        _add(el, "ConstraintDate", _at(on, day.last))
    elif kind == MUST_START_ON and on is not None and not summary:
        _add(el, "ConstraintType", MUST_START_ON_CODE)
        _add(el, "ConstraintDate", _at(on, clock))
    elif not summary and task.earliest_start is not None:
        _add(el, "ConstraintType", START_NO_EARLIER_THAN)
        _add(el, "ConstraintDate", _at(task.earliest_start, clock))
    else:
        _add(el, "ConstraintType", 0)
    if task.deadline is not None:
        _add(el, "Deadline", _at(task.deadline, day.last))


def _calendar(parent: ET.Element, holidays: list[date], hours: WorkingHours) -> None:
    """The project calendar: Monday–Friday in the project's working hours (08:00–12:00 and
    13:00–17:00 by default), itpm's holidays off."""
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
            for start, end in hours.spans:
                wt = _add(times, "WorkingTime")
                _add(wt, "FromTime", _clock(start))
                _add(wt, "ToTime", _clock(end))
    for day in holidays:
        wd = _add(days, "WeekDay")
        _add(wd, "DayType", 0)
        _add(wd, "DayWorking", 0)
        period = _add(wd, "TimePeriod")
        _add(period, "FromDate", f"{day.isoformat()}T00:00:00")
        _add(period, "ToDate", f"{day.isoformat()}T23:59:00")


def _clock(minute: int) -> str:
    """Minutes after midnight as MSPDI's `hh:mm:ss`; the end of the day is `00:00:00`."""
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}:00"
