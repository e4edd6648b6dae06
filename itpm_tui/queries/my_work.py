"""One person's work across every project: what "My work" and `itpm my` show.

Only leaf tasks (a summary is a roll-up, nobody works on it) of projects not archived.
The dates are the scheduled ones as stored (`storage.schedule_store`, kept fresh by
triggers): only this person's tasks are read; a project whose stored schedule is stale is
scheduled now (`queries.schedule.load_schedules`, the one truth for dates). The queries are
plain SQL text, so `itpm my` can run them on a bare SQLite connection without loading
SQLAlchemy (`read_stored_my_work`) and the screen through a session. Why a task waits is
read in bulk: the predecessors not done yet (named), its blocked reason, and the downtime
windows tied to it (where they lie now, `queries.downtime.effective_windows`).
A fixed number of queries whatever the number of tasks: never one per task.

Order: late first (`domain.schedule.is_late`), then due this week (by Sunday), then the
rest by scheduled start; tasks done in the last 7 days come last, marked done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itpm_tui.domain.calendar import week_end
from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.schedule import is_late

if TYPE_CHECKING:
    import sqlite3

    from itpm_tui.storage.database import Database

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
    #: Clock times off the day's first and last hour (`queries.schedule.edge_clocks`).
    start_time: time | None = None
    finish_time: time | None = None

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
    from sqlalchemy import text

    from itpm_tui.queries.schedule import load_schedules

    with db.read() as session:
        trusted = session.connection().dialect.name == "sqlite"

        def run(sql: str, params: dict[str, Any]) -> list[Any]:
            return list(session.execute(text(sql), params).all())

        def schedule(project_ids: list[int]) -> dict[int, Any]:
            schedules = load_schedules(session, project_ids)
            return {t.id: t for s in schedules.values() for t in s.tasks}

        work = read_my_work(run, person_id, today, schedule, trusted=trusted)
    assert work is not None  # a schedule was given: never None
    return work


def read_stored_my_work(
    connection: sqlite3.Connection, person_id: int, today: date
) -> MyWork | None:
    """`load_my_work` on a plain SQLite connection (no SQLAlchemy: `itpm my` starts fast),
    from the stored schedules only: None when one of them is stale (the caller then goes
    through `load_my_work`, which schedules it). Raises LookupError as `load_my_work`."""

    def run(sql: str, params: dict[str, Any]) -> list[Any]:
        return connection.execute(sql, params).fetchall()

    return read_my_work(run, person_id, today, None, trusted=True)


def read_first_my_work(path: Path, handle: str, today: date) -> tuple[int, MyWork] | None:
    """My work straight from a current SQLite file with the standard library — what `itpm
    my` prints and the dashboard's first rows, so neither waits for SQLAlchemy and the models
    to load — with the change token of the same snapshot (the newest activity id). None
    whenever the full path must answer: another revision, a stale schedule, a
    handle naming nobody, a file SQLite refuses (the full path says what is wrong)."""
    import sqlite3

    from itpm_tui.errors import ItpmError
    from itpm_tui.storage.location import head_revision, inspect_sqlite_file

    try:
        if inspect_sqlite_file(path) != head_revision():
            return None
    except ItpmError:
        return None
    wanted = handle.strip().lower()
    try:
        connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for every read below; never committed
        found = connection.execute(
            "SELECT id FROM person WHERE lower(handle) = ? AND active", (wanted,)
        ).fetchone()
        if found is None:
            return None
        token = connection.execute("SELECT max(id) FROM activity").fetchone()[0] or 0
        work = read_stored_my_work(connection, int(found[0]), today)
        return None if work is None else (int(token), work)
    except (sqlite3.Error, LookupError):
        return None
    finally:
        connection.close()


Run = Callable[[str, dict[str, Any]], list[Any]]

_ROWS = """
SELECT t.id, t.project_id, p.code, t.status, t.remaining_hours, t.actual_finish,
       t.blocked_reason, t.version, t.name, s.wbs, s.start, s.finish, s.percent,
       CASE WHEN ss.inputs_revision = ss.scheduled_revision THEN 1 ELSE 0 END,
       s.start_time, s.finish_time
FROM task t
JOIN project p ON p.id = t.project_id
LEFT JOIN taskschedule s ON s.task_id = t.id
LEFT JOIN schedulestate ss ON ss.project_id = t.project_id
WHERE t.assignee_id = :person AND NOT p.archived
  AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)
  AND (t.status != :done OR t.actual_finish >= :since)
"""
# links stay inside a project: a predecessor's WBS is stored (or scheduled) with it
_WAITS = """
SELECT d.successor_id, pr.id, p.code, pr.name, s.wbs
FROM dependency d
JOIN task me ON me.id = d.successor_id
JOIN task pr ON pr.id = d.predecessor_id
JOIN project p ON p.id = pr.project_id
LEFT JOIN taskschedule s ON s.task_id = pr.id
WHERE me.assignee_id = :person AND pr.status != :done
ORDER BY pr.sort_order, pr.id
"""
_WINDOWS = """
SELECT w.task_id, w.title, w.starts_at, w.ends_at, w.approved, w.anchor_start
FROM downtimewindow w JOIN task me ON me.id = w.task_id
WHERE me.assignee_id = :person
ORDER BY w.starts_at, w.id
"""


def read_my_work(
    run: Run,
    person_id: int,
    today: date,
    schedule: Callable[[list[int]], dict[int, Any]] | None,
    *,
    trusted: bool,
) -> MyWork | None:
    """The one implementation: a handful of indexed queries over this person's tasks and
    their stored dates, whatever the size of the portfolio. A project whose stored schedule
    is stale (or not `trusted`: not SQLite, whose triggers keep them) is scheduled by
    `schedule` (task id → `ScheduledTask`); without one, the answer is None."""
    people = run("SELECT name, handle FROM person WHERE id = :person", {"person": person_id})
    if not people:
        raise LookupError(f"no person #{person_id}")
    name, handle = people[0]
    since = (today - timedelta(days=RECENT_DAYS)).isoformat()
    mine = {"person": person_id, "done": DONE}
    rows = run(_ROWS, {**mine, "since": since})
    stale = sorted({int(r[1]) for r in rows if not (trusted and r[13])})
    scheduled: dict[int, Any] = {}
    if stale:
        if schedule is None:
            return None
        scheduled = schedule(stale)
    waits: dict[int, list[str]] = {}
    windows: dict[int, list[Any]] = {}
    if rows:
        for succ_id, pred_id, code, pred_name, wbs in run(_WAITS, mine):
            x = scheduled.get(pred_id)
            if x is not None:
                wbs = x.wbs
            words = f"{code} {wbs} {pred_name}" if wbs is not None else f"{code} task #{pred_id}"
            waits.setdefault(int(succ_id), []).append(words)
        for task_id, *window in run(_WINDOWS, {"person": person_id}):
            windows.setdefault(int(task_id), []).append(window)

    from itpm_tui.domain.downtime import shifted

    stale_projects = set(stale)
    out = []
    for row in rows:
        tid, pid, code, status, remaining, actual_finish, reason, version = row[:8]
        task_name, wbs, start, finish, percent = row[8:13]
        at, until = row[14:16]
        if pid in stale_projects:
            x = scheduled.get(tid)
            if x is None:  # removed between the reads: not shown
                continue
            wbs, start, finish, percent = x.wbs, x.start, x.finish, x.percent
            at, until = x.start_time, x.finish_time
        else:
            start, finish, at, until = _day(start), _day(finish), _clock(at), _clock(until)
        task_windows = []
        for title, starts_at, ends_at, approved, anchor in windows.get(tid, []):
            starts_at, ends_at = shifted(_moment(starts_at), _moment(ends_at), _day(anchor), start)
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
                remaining_hours=Decimal(int(remaining)).scaleb(-HOURS_SCALE),
                start=start,
                finish=finish,
                actual_finish=_day(actual_finish),
                blocked_reason=reason or "",
                waiting_for=tuple(waits.get(tid, ())),
                windows=tuple(task_windows),
                group=group_of(finish, status == DONE, today),
                version=int(version),
                start_time=at,
                finish_time=until,
            )
        )
    out.sort(key=_order)
    return MyWork(person_id, name, handle, today, tuple(out))


#: Hours are stored as integers of hundredths (`storage.models.hours`: `FixedPoint(2)`).
HOURS_SCALE = 2


def _day(value: Any) -> date | None:
    """A date as the driver gives it (SQLite: ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _clock(value: Any) -> time | None:
    """A time as the driver gives it (SQLite: `13:00:00` text)."""
    if value is None or isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
