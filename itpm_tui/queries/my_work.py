"""One person's work across every project: what "My work" and `itpm my` show.

Only leaf tasks (a summary is a roll-up, nobody works on it) of projects not archived.
The dates are the scheduled ones (`queries.schedule.load_schedules`, the one truth for
dates), computed for the projects this person has work in only. Why a task waits is
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
from sqlalchemy.orm import aliased
from sqlmodel import col

from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.schedule import is_late
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Dependency, DowntimeWindow, Person, Project, Task

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
    from itpm_tui.queries.schedule import load_schedules

    since = today - timedelta(days=RECENT_DAYS)
    with db.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise LookupError(f"no person #{person_id}")
        child = aliased(Task)
        is_leaf = ~select(col(child.id)).where(col(child.parent_id) == col(Task.id)).exists()
        rows = session.execute(
            select(
                col(Task.id),
                col(Task.project_id),
                col(Project.code),
                col(Task.status),
                col(Task.remaining_hours),
                col(Task.actual_finish),
                col(Task.blocked_reason),
                col(Task.version),
            )
            .join(Project, col(Project.id) == col(Task.project_id))
            .where(
                col(Task.assignee_id) == person_id,
                col(Project.archived) == False,  # noqa: E712
                is_leaf,
                (col(Task.status) != DONE) | (col(Task.actual_finish) >= since),
            )
        ).all()
        ids = [int(r[0]) for r in rows]
        pred = aliased(Task)
        waits: dict[int, list[tuple[int, str]]] = {}
        windows: dict[int, list[Any]] = {}
        if ids:
            # links stay inside a project, so the schedule below has the WBS codes
            for succ_id, pred_id, code in session.execute(
                select(col(Dependency.successor_id), col(pred.id), col(Project.code))
                .join(pred, col(pred.id) == col(Dependency.predecessor_id))
                .join(Project, col(Project.id) == col(pred.project_id))
                .where(col(Dependency.successor_id).in_(ids), col(pred.status) != DONE)
                .order_by(col(pred.sort_order), col(pred.id))
            ):
                waits.setdefault(int(succ_id), []).append((int(pred_id), code))
            for w in session.execute(
                select(DowntimeWindow)
                .where(col(DowntimeWindow.task_id).in_(ids))
                .order_by(col(DowntimeWindow.starts_at), col(DowntimeWindow.id))
            ).scalars():
                windows.setdefault(int(w.task_id or 0), []).append(
                    (w.title, w.starts_at, w.ends_at, w.approved, w.anchor_start)
                )
        schedules = load_schedules(session, sorted({int(r[1]) for r in rows}))
        name, handle = person.name, person.handle

    from itpm_tui.domain.downtime import shifted

    scheduled = {t.id: t for s in schedules.values() for t in s.tasks}

    def named(pred_id: int, code: str) -> str:
        p = scheduled.get(pred_id)
        return f"{code} {p.wbs} {p.name}" if p is not None else f"{code} task #{pred_id}"

    out = []
    for tid, pid, code, status, remaining, actual_finish, reason, version in rows:
        s = scheduled.get(int(tid))
        if s is None:  # removed between the reads: not shown
            continue
        task_windows = []
        for title, starts_at, ends_at, approved, anchor in windows.get(int(tid), []):
            starts_at, ends_at = shifted(starts_at, ends_at, anchor, s.start)
            task_windows.append(Window(title, starts_at, ends_at, bool(approved)))
        out.append(
            MyTask(
                id=int(tid),
                project_id=int(pid),
                project_code=code,
                wbs=s.wbs,
                name=s.name,
                status=status,
                percent=s.percent,
                remaining_hours=Decimal(remaining),
                start=s.start,
                finish=s.finish,
                actual_finish=actual_finish,
                blocked_reason=reason or "",
                waiting_for=tuple(named(*w) for w in waits.get(int(tid), ())),
                windows=tuple(task_windows),
                group=group_of(s.finish, status == DONE, today),
                version=int(version),
            )
        )
    out.sort(key=_order)
    return MyWork(person_id, name, handle, today, tuple(out))
