"""One person's work across every project: what "My work" and `itpm my` show.

Only leaf tasks (a summary is a roll-up, nobody works on it) of projects not archived.
The dates are the scheduled ones as stored (`storage.schedule_store`, kept fresh by
triggers): only this person's tasks are read; a project whose stored schedule is stale is
scheduled now (`queries.schedule.load_schedules`, the one truth for dates). Why a task waits is
read in bulk: the predecessors not done yet (named), its blocked reason, and the downtime
windows tied to it (where they lie now, `queries.downtime.effective_windows`).
A fixed number of queries whatever the number of tasks: never one per task.

Order: late first (`domain.schedule.is_late`), then due this week (by Sunday), then the
rest by scheduled start; tasks done in the last 7 days come last, marked done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.schedule import is_late
from itpm_tui.storage import schedule_store
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    Dependency,
    DowntimeWindow,
    Person,
    Project,
    ScheduleState,
    Task,
    TaskSchedule,
)

DONE = TaskStatus.DONE.value
#: How long a finished task stays on the list, marked done.
RECENT_DAYS = 7

LATE, THIS_WEEK, LATER, RECENTLY_DONE = "late", "this week", "later", "done"

#: A state reads by its symbol and its word, colour or not.
SYMBOLS = {
    TaskStatus.TODO.value: "·",
    TaskStatus.IN_PROGRESS.value: "▶",
    TaskStatus.BLOCKED.value: "■",
    DONE: "✓",
}
#: Marks a late task, before its state.
LATE_MARK = "!"


@dataclass(frozen=True, slots=True)
class Window:
    """A downtime window tied to the task, where it lies now."""

    title: str
    starts_at: datetime
    ends_at: datetime
    approved: bool

    def words(self) -> str:
        same_day = self.starts_at.date() == self.ends_at.date()
        end = self.ends_at.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}–{end}"


@dataclass(frozen=True, slots=True)
class MyTask:
    id: int
    project_id: int
    project_code: str
    wbs: str
    name: str
    status: str
    percent: int
    remaining_hours: Decimal
    start: date | None  # scheduled
    finish: date | None
    actual_finish: date | None
    blocked_reason: str
    waiting_for: tuple[str, ...]  # "CODE 1.2 name" of predecessors not done
    windows: tuple[Window, ...]
    group: str  # LATE, THIS_WEEK, LATER or RECENTLY_DONE
    version: int

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def late(self) -> bool:
        return self.group == LATE

    def state(self) -> str:
        """The state by symbol and word: "▶ in progress"."""
        return f"{SYMBOLS.get(self.status, '?')} {self.status}"

    def why_waiting(self) -> str:
        """One line: blocked reason, predecessors not done, downtime windows."""
        parts = []
        if self.blocked_reason:
            parts.append(f"blocked: {self.blocked_reason}")
        if self.waiting_for:
            parts.append("waits for " + ", ".join(self.waiting_for))
        parts.extend(f"downtime {w.words()}" for w in self.windows)
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class MyWork:
    person_id: int
    person_name: str
    handle: str
    today: date
    tasks: tuple[MyTask, ...]

    @property
    def open_tasks(self) -> tuple[MyTask, ...]:
        return tuple(t for t in self.tasks if not t.done)


def week_end(today: date) -> date:
    """The Sunday of today's week: "due this week" is up to and including it."""
    return today + timedelta(days=6 - today.weekday())


def group_of(finish: date | None, done: bool, today: date) -> str:
    if done:
        return RECENTLY_DONE
    if is_late(finish, done, today):
        return LATE
    if finish is not None and finish <= week_end(today):
        return THIS_WEEK
    return LATER


def _order(task: MyTask) -> tuple[Any, ...]:
    rank = (LATE, THIS_WEEK, LATER, RECENTLY_DONE).index(task.group)
    if task.group == RECENTLY_DONE:
        key: Any = -(task.actual_finish or date.min).toordinal()
    elif task.group == LATER:
        key = (task.start or date.max).toordinal()
    else:
        key = (task.finish or date.max).toordinal()
    return (rank, key, task.project_code, task.wbs, task.id)


def load_my_work(db: Database, person_id: int, today: date) -> MyWork:
    """The person's open leaf tasks and those done in the last week, ordered (see above).

    Raises LookupError when the person does not exist."""
    since = today - timedelta(days=RECENT_DAYS)
    t = Task.__table__  # type: ignore[attr-defined]
    p = Project.__table__  # type: ignore[attr-defined]
    ts = TaskSchedule.__table__  # type: ignore[attr-defined]
    ss = ScheduleState.__table__  # type: ignore[attr-defined]
    with db.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise LookupError(f"no person #{person_id}")
        connection = session.connection()
        child = t.alias("child")
        is_leaf = ~select(child.c.id).where(child.c.parent_id == t.c.id).exists()
        rows = connection.execute(
            select(
                t.c.id,
                t.c.project_id,
                p.c.code,
                t.c.status,
                t.c.remaining_hours,
                t.c.actual_finish,
                t.c.blocked_reason,
                t.c.version,
                t.c.name,
                ts.c.wbs,
                ts.c.start,
                ts.c.finish,
                ts.c.percent,
                (ss.c.inputs_revision == ss.c.scheduled_revision).label("fresh"),
            )
            .join(p, p.c.id == t.c.project_id)
            .outerjoin(ts, ts.c.task_id == t.c.id)
            .outerjoin(ss, ss.c.project_id == t.c.project_id)
            .where(
                t.c.assignee_id == person_id,
                p.c.archived == False,  # noqa: E712
                is_leaf,
                (t.c.status != DONE) | (t.c.actual_finish >= since),
            )
        ).all()
        ids = [int(r[0]) for r in rows]
        d = Dependency.__table__  # type: ignore[attr-defined]
        pred = t.alias("pred")
        pred_ts = ts.alias("pred_schedule")
        waits: dict[int, list[tuple[int, str, str, str | None]]] = {}
        windows: dict[int, list[Any]] = {}
        if ids:
            for succ_id, pred_id, code, pred_name, pred_wbs in connection.execute(
                select(d.c.successor_id, pred.c.id, p.c.code, pred.c.name, pred_ts.c.wbs)
                .join(pred, pred.c.id == d.c.predecessor_id)
                .join(p, p.c.id == pred.c.project_id)
                .outerjoin(pred_ts, pred_ts.c.task_id == pred.c.id)
                .where(d.c.successor_id.in_(ids), pred.c.status != DONE)
                .order_by(pred.c.sort_order, pred.c.id)
            ):
                waits.setdefault(int(succ_id), []).append((int(pred_id), code, pred_name, pred_wbs))
            for w in session.execute(
                select(DowntimeWindow)
                .where(col(DowntimeWindow.task_id).in_(ids))
                .order_by(col(DowntimeWindow.starts_at), col(DowntimeWindow.id))
            ).scalars():
                windows.setdefault(int(w.task_id or 0), []).append(
                    (w.title, w.starts_at, w.ends_at, w.approved, w.anchor_start)
                )
        # A project whose stored schedule is stale (or untrusted) is scheduled now.
        trusted = schedule_store.trusted(connection)
        stale = sorted({int(r[1]) for r in rows if not (trusted and r[13])})
        scheduled: dict[int, Any] = {}
        if stale:
            from itpm_tui.queries.schedule import load_schedules

            schedules = load_schedules(session, stale)
            scheduled = {x.id: x for s in schedules.values() for x in s.tasks}
        name, handle = person.name, person.handle

    from itpm_tui.domain.downtime import shifted

    stale_projects = set(stale)

    def named(pred_id: int, code: str, pred_name: str, wbs: str | None) -> str:
        x = scheduled.get(pred_id)
        if x is not None:
            wbs = x.wbs
        return f"{code} {wbs} {pred_name}" if wbs is not None else f"{code} task #{pred_id}"

    out = []
    for row in rows:
        tid, pid, code, status, remaining, actual_finish, reason, version = row[:8]
        task_name, wbs, start, finish, percent = row[8:13]
        if int(pid) in stale_projects:
            x = scheduled.get(int(tid))
            if x is None:  # removed between the reads: not shown
                continue
            wbs, start, finish, percent = x.wbs, x.start, x.finish, x.percent
        task_windows = []
        for title, starts_at, ends_at, approved, anchor in windows.get(int(tid), []):
            starts_at, ends_at = shifted(starts_at, ends_at, anchor, start)
            task_windows.append(Window(title, starts_at, ends_at, bool(approved)))
        out.append(
            MyTask(
                id=int(tid),
                project_id=int(pid),
                project_code=code,
                wbs=wbs,
                name=task_name,
                status=status,
                percent=int(percent),
                remaining_hours=Decimal(remaining),
                start=start,
                finish=finish,
                actual_finish=actual_finish,
                blocked_reason=reason or "",
                waiting_for=tuple(named(*w) for w in waits.get(int(tid), ())),
                windows=tuple(task_windows),
                group=group_of(finish, status == DONE, today),
                version=int(version),
            )
        )
    out.sort(key=_order)
    return MyWork(person_id, name, handle, today, tuple(out))
