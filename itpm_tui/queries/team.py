"""The team as the Team screen and `itpm person list` show it: each person with their open
work and how it loads the coming weeks.

Counts and sums per person are aggregated in SQL; the per-week load needs each open task's
dates, so those rows (leaf tasks of live projects only, so a summary task's hours are not
counted twice; none starting after the last week shown) are read once and spread as
`domain.people.weekly_load` spreads them, over the weeks shown only (`load_in_weeks`).
People are read as plain rows, not as model objects; each task's hours left come worked out
by SQLite as one exact integer, and the tasks are read by one pass over the table (the
assignee index is kept out of it: walking it costs a random read per task). The rows are
then spread in one pass, their dates compared as the ISO text SQLite keeps (a server's dates
are made that text first; `_loads_by_person`), with the cycle collector held off: tens of
thousands of rows, none in a cycle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, and_, case, exists, func, or_, type_coerce
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from itpm_tui.domain.bulk import paused_gc
from itpm_tui.domain.calendar import WorkCalendar, week_start
from itpm_tui.domain.enums import ProjectStatus, TaskStatus
from itpm_tui.domain.people import (
    LoadTask,
    PersonDraft,
    coming_weeks,
)
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Holiday, Person, Project, Task

LIVE = (ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value)


@dataclass(frozen=True, slots=True)
class TeamMember:
    id: int
    name: str
    handle: str
    role: str
    email: str
    phone: str
    skills: str
    capacity: Decimal
    rate: Decimal
    currency: str
    active: bool
    version: int
    open_tasks: int  #: open leaf tasks of live projects assigned to them
    hours_left: Decimal  #: their remaining hours on those tasks
    unscheduled: int  #: open tasks without planned dates, not in the weekly load
    load: tuple[Decimal, ...]  #: planned hours in each of `Team.weeks`

    def draft(self) -> PersonDraft:
        return PersonDraft(
            name=self.name,
            handle=self.handle,
            role=self.role,
            email=self.email,
            phone=self.phone,
            skills=self.skills,
            weekly_capacity_hours=self.capacity,
            cost_rate=self.rate,
            cost_currency=self.currency,
        )

    def over(self) -> list[int]:
        """Indexes of the weeks where the planned hours exceed the capacity."""
        return [i for i, h in enumerate(self.load) if h.quantize(Decimal(1)) > self.capacity]


@dataclass(frozen=True, slots=True)
class Team:
    people: list[TeamMember]
    weeks: list[date]  #: Mondays of the load columns
    retired: int  #: how many retired people exist (shown or not)


#: The assignee, hidden from the planner (`+ 0`): nearly every task has one, and walking the
#: assignee index (to filter or to group) reads each task row by a random read — five times
#: the cost of reading the table through.
_ASSIGNEE = col(Task.assignee_id) + 0


def _raw(column: Any) -> ColumnElement[int]:
    """A fixed-point column as the integer stored, not made a Decimal."""
    return type_coerce(column, Integer)


#: The decimal places hours are stored with (`storage.models.hours`).
_HOURS_SCALE: int = Task.__table__.c.remaining_hours.type.scale  # type: ignore[attr-defined]
#: `LoadTask.hours_left` as an integer of hours times `10 ** _LEFT_SCALE`, worked out by
#: SQLite (the stored integer times 100, or times the percent not done): one exact number
#: per task instead of two Decimals read and a Decimal sum in Python.
_LEFT_SCALE = _HOURS_SCALE + 2
_SCALED_LEFT = case(
    (_raw(col(Task.remaining_hours)) > 0, _raw(col(Task.remaining_hours)) * 100),
    else_=_raw(col(Task.estimate_hours))
    * (
        100
        - case(
            (col(Task.percent_complete) < 0, 0),
            (col(Task.percent_complete) > 100, 100),
            else_=col(Task.percent_complete),
        )
    ),
)


#: An open task as the weekly load spreads it: its planned start and finish, its hours left.
Planned = tuple[date | None, date | None, Decimal]


def _open_leaf_tasks() -> ColumnElement[bool]:
    child = aliased(Task)
    return and_(
        _ASSIGNEE.is_not(None),
        col(Task.status) != TaskStatus.DONE.value,
        col(Task.is_milestone) == False,  # noqa: E712
        col(Project.archived) == False,  # noqa: E712
        col(Project.status).in_(LIVE),
        ~exists().where(col(child.parent_id) == col(Task.id)),
    )


def team(db: Database, today: date, weeks: int = 4, *, retired: bool = False) -> Team:
    """Everyone (active only unless `retired`), by name, with `weeks` weeks of load (none
    read when `weeks` is 0: a list of people to pick from)."""
    with paused_gc():  # tens of thousands of rows and numbers, none in a cycle
        return _team(db, today, weeks, retired)


def _team(db: Database, today: date, weeks: int, retired: bool) -> Team:
    mondays = coming_weeks(today, weeks)
    where = _open_leaf_tasks()
    with db.read() as session:
        core = session.connection()  # rows as tuples, past the ORM's loading machinery
        query = sql_select(*_PERSON_COLUMNS).order_by(func.lower(col(Person.name)), col(Person.id))
        if not retired:
            query = query.where(col(Person.active) == True)  # noqa: E712
        people = core.execute(query).all()
        retired_count = session.execute(
            select(func.count()).select_from(Person).where(col(Person.active) == False)  # noqa: E712
        ).scalar_one()
        totals: dict[int, tuple[int, int, Decimal]] = {}
        sums: Any = core.execute(
            sql_select(
                _ASSIGNEE,
                func.count(),
                func.sum(
                    case(
                        (col(Task.planned_start).is_(None), 1),
                        (col(Task.planned_finish).is_(None), 1),
                        else_=0,
                    )
                ),
                func.sum(col(Task.remaining_hours)),
            )
            .join(Project, col(Project.id) == col(Task.project_id))
            .where(where)
            .group_by(_ASSIGNEE)
        )
        for pid, count, undated, left in sums:
            totals[int(pid)] = (int(count), int(undated or 0), Decimal(left or 0))
        rows: list[Any] = []
        if mondays:
            # a task starting after the last week shown puts no hours in the weeks shown
            rows = list(
                core.execute(
                    sql_select(
                        _ASSIGNEE,
                        col(Task.project_id),
                        type_coerce(col(Task.planned_start), String),  # ISO text: read below
                        type_coerce(col(Task.planned_finish), String),
                        _SCALED_LEFT,
                    )
                    .join(Project, col(Project.id) == col(Task.project_id))
                    .where(where)
                    .where(col(Task.planned_start).is_not(None))
                    .where(col(Task.planned_finish).is_not(None))
                    .where(col(Task.planned_start) <= mondays[-1] + timedelta(days=6))
                    .where(_SCALED_LEFT > 0)  # no hours left: nothing to spread
                ).all()
            )
            if core.dialect.name != "sqlite":  # a server hands dates back, not their text
                rows = [
                    (who, project, start.isoformat(), finish.isoformat(), left)
                    for who, project, start, finish, left in rows
                ]
        project_ids = {int(r[1]) for r in rows}
        holidays: dict[int | None, list[date]] = defaultdict(list)
        if project_ids:
            for pid, day in core.execute(
                sql_select(col(Holiday.project_id), col(Holiday.day)).where(
                    or_(
                        col(Holiday.project_id).is_(None),
                        col(Holiday.project_id).in_(project_ids),
                    )
                )
            ):
                holidays[pid].append(day)
    # One calendar per set of holidays, not per project: most projects keep only the common
    # ones, and a calendar remembers the days it was asked about.
    shared: dict[tuple[date, ...], WorkCalendar] = {}
    calendars: dict[int, WorkCalendar] = {}
    for pid in project_ids:
        own = tuple(sorted(holidays[pid]))
        if own not in shared:
            shared[own] = WorkCalendar([*holidays[None], *own])
        calendars[pid] = shared[own]
    loads = _loads_by_person(rows, calendars, mondays, today)
    members = []
    for p in people:
        pid = int(p.id)
        count, undated, left = totals.get(pid, (0, 0, Decimal(0)))
        members.append(
            TeamMember(
                id=pid,
                name=p.name,
                handle=p.handle,
                role=p.role,
                email=p.email,
                phone=p.phone,
                skills=p.skills,
                capacity=p.weekly_capacity_hours,
                rate=p.cost_rate,
                currency=p.cost_currency,
                active=bool(p.active),
                version=p.version,
                open_tasks=count,
                hours_left=left,
                unscheduled=undated,
                load=loads.get(pid, (Decimal(0),) * len(mondays)),
            )
        )
    return Team(members, mondays, int(retired_count))


_PERSON_COLUMNS = (
    col(Person.id),
    col(Person.name),
    col(Person.handle),
    col(Person.role),
    col(Person.email),
    col(Person.phone),
    col(Person.skills),
    col(Person.weekly_capacity_hours),
    col(Person.cost_rate),
    col(Person.cost_currency),
    col(Person.active),
    col(Person.version),
)


def _loads_by_person(
    rows: Iterable[Any],
    calendars: dict[int, WorkCalendar],
    weeks: Sequence[date],
    today: date,
) -> dict[int, tuple[Decimal, ...]]:
    """`_load` of each person's tasks, from the rows as read (assignee, project, ISO start
    and finish, hours left scaled to an integer) in one pass: SQLite keeps dates as ISO
    text, which orders as the dates do, so a task's first and last day are worked out on
    the text and made dates only for a span not seen before; a task whose span misses the
    weeks shown is passed over, and equal hours are made a Decimal once."""
    totals: dict[int, list[Decimal]] = {}
    spans: dict[tuple[int, str, str], Span] = {}
    hours_of: dict[int, Decimal] = {}
    day = today.isoformat()
    iso = date.fromisoformat
    for assignee, pid, start, finish, left in rows:
        first = start if start > day else day
        last = finish if finish > first else first
        calendar = calendars[pid]
        key = (id(calendar), first, last)
        span = spans.get(key)
        if span is None:
            span = spans[key] = _span(calendar, iso(first), iso(last), weeks)
        if not span[1]:
            continue  # no hours in the weeks shown
        hours = hours_of.get(left)
        if hours is None:
            hours = hours_of[left] = Decimal(left).scaleb(-_LEFT_SCALE)
        mine = totals.get(assignee)
        if mine is None:
            mine = totals[assignee] = [Decimal(0)] * len(weeks)
        _spread(mine, span, hours)
    return {person: tuple(load) for person, load in totals.items()}


def load_in_weeks(
    tasks: Iterable[tuple[LoadTask, WorkCalendar]],
    weeks: Sequence[date],
    today: date,
    spans: dict[tuple[int, date, date], Span] | None = None,
) -> list[Decimal]:
    """`domain.people.weekly_load`, figure for figure, looking only at the weeks asked for
    (see `_load`)."""
    planned = (((t.start, t.finish, t.hours_left), calendar) for t, calendar in tasks)
    return _load(planned, weeks, today, spans)


def _load(
    tasks: Iterable[tuple[Planned, WorkCalendar]],
    weeks: Sequence[date],
    today: date,
    spans: dict[tuple[int, date, date], Span] | None = None,
) -> list[Decimal]:
    """`domain.people.weekly_load`, figure for figure, looking only at the weeks asked for:
    a task of a year is spread over the weeks shown, not over all of its 52. The working
    days of a span of dates are counted once (`spans`, shared by everyone's tasks: many
    tasks share their dates); each task's hours are then divided and multiplied as
    `spread_hours` does and summed in the same order, so the Decimals are the same."""
    totals = [Decimal(0)] * len(weeks)
    if not weeks:
        return totals
    known = {} if spans is None else spans
    for (start, finish, hours), calendar in tasks:
        if start is None or finish is None or hours <= 0:
            continue
        first = max(start, today)
        last = max(finish, first)
        key = (id(calendar), first, last)
        span = known.get(key)
        if span is None:
            span = known[key] = _span(calendar, first, last, weeks)
        _spread(totals, span, hours)
    return totals


def _spread(totals: list[Decimal], span: Span, hours: Decimal) -> None:
    """Add one task's `hours` to `totals` as `spread_hours` divides and multiplies them."""
    days, parts = span
    if days <= 0:
        for at, _n in parts:
            totals[at] += hours
        return
    per_day = hours / days
    for at, n in parts:
        totals[at] += per_day * n


#: Working days from a task's first to its last day, and (week index, working days in it)
#: for each week shown that it covers — or, with no working day, the week its work lands in.
Span = tuple[int, list[tuple[int, int]]]


def _span(calendar: WorkCalendar, first: date, last: date, weeks: Sequence[date]) -> Span:
    wanted = {monday: i for i, monday in enumerate(weeks)}
    days = calendar.count_working_days(first, last)
    if days <= 0:
        at = wanted.get(week_start(calendar.on_or_after(first)))
        return days, [] if at is None else [(at, 0)]
    parts = []
    monday = week_start(first)
    stop = min(last, weeks[-1] + timedelta(days=6))
    while monday <= stop:
        n = calendar.count_working_days(max(first, monday), min(last, monday + _SUNDAY))
        at = wanted.get(monday)
        if n > 0 and at is not None:
            parts.append((at, n))
        monday += _WEEK
    return days, parts


_SUNDAY = timedelta(days=6)
_WEEK = timedelta(days=7)
