"""The stored schedules (`ScheduleState`, `TaskSchedule`): which are fresh, and storing one.

Freshness is kept by the database itself — triggers created by migration 0006 bump a
project's inputs revision on every change to what its schedule is made from — so this module
only compares revisions and writes rows; computing a schedule is `queries.schedule`'s.
Only SQLite has those triggers, so on any other database nothing stored is trusted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Protocol

from sqlalchemy import select, text

from itpm_tui.storage.database import WRITABLE
from itpm_tui.storage.models import ScheduleState

__all__ = [
    "WRITABLE",
    "ScheduledRow",
    "State",
    "Stored",
    "stale_project_ids",
    "states",
    "store",
    "trusted",
]


@dataclass(frozen=True, slots=True)
class State:
    inputs_revision: int
    scheduled_revision: int
    critical_path: tuple[int, ...]
    error: str

    @property
    def fresh(self) -> bool:
        return self.inputs_revision == self.scheduled_revision


def trusted(connection: Any) -> bool:
    """Whether this database keeps the revisions (only SQLite has the triggers)."""
    return bool(connection.dialect.name == "sqlite")


def states(connection: Any, project_ids: Collection[int] | None) -> dict[int, State]:
    """The stored state of the projects (all when None); a project without one is stale."""
    s = ScheduleState.__table__  # type: ignore[attr-defined]
    query = select(
        s.c.project_id,
        s.c.inputs_revision,
        s.c.scheduled_revision,
        s.c.critical_path,
        s.c.schedule_error,
    )
    if project_ids is not None:
        query = query.where(s.c.project_id.in_(list(project_ids)))
    return {
        int(pid): State(int(inputs), int(done), tuple(int(i) for i in path.split()), error)
        for pid, inputs, done, path, error in connection.execute(query)
    }


def stale_project_ids(connection: Any) -> list[int]:
    """Projects whose stored schedule is not that of their inputs as they are now."""
    return [
        int(pid)
        for (pid,) in connection.execute(
            text(
                "SELECT p.id FROM project p LEFT JOIN schedulestate s ON s.project_id = p.id "
                "WHERE s.project_id IS NULL OR s.inputs_revision != s.scheduled_revision"
            )
        )
    ]


@dataclass(frozen=True, slots=True)
class Stored:
    """A project's schedule as stored: computed from its inputs at `inputs_revision`, its
    tasks in outline order, and its leaves' latest finishes — of those done, of the others,
    baselined (`domain.schedule.Finishes`)."""

    project_id: int
    inputs_revision: int
    tasks: Sequence[ScheduledRow]
    critical_path: tuple[int, ...]
    error: str
    finishes: tuple[date | None, date | None, date | None]


class ScheduledRow(Protocol):
    """One task's stored schedule: `TaskSchedule`'s columns but project_id and position, as
    `queries.schedule.ScheduledTask` holds them (stored as they are: no copy per task)."""

    @property
    def id(self) -> int: ...
    @property
    def wbs(self) -> str: ...
    @property
    def start(self) -> date | None: ...
    @property
    def finish(self) -> date | None: ...
    @property
    def baseline_start(self) -> date | None: ...
    @property
    def baseline_finish(self) -> date | None: ...
    @property
    def percent(self) -> int: ...
    @property
    def is_summary(self) -> bool: ...
    @property
    def critical(self) -> bool: ...
    @property
    def open_kind(self) -> int: ...
    @property
    def start_time(self) -> time | None: ...  # off the day's first hour (working minutes)
    @property
    def finish_time(self) -> time | None: ...  # off the day's last hour


#: A project's rows go, and so does the row a task now in it left in its former project:
#: every row stored next is then new, so the insert needs no OR REPLACE (a check per row,
#: a sixth of the insert's time).
_DELETE_TASKS = (
    "DELETE FROM taskschedule WHERE project_id = ?",
    "DELETE FROM taskschedule WHERE task_id IN (SELECT id FROM task WHERE project_id = ?)",
)
#: A missing date or time is bound as '' and stored as NULL (`_OR_NULL`): the driver binds
#: None through its adapter lookup, which costs a fifth of the insert when a row has two.
_OR_NULL = "NULLIF(?, '')"
_INSERT_TASKS = (
    "INSERT INTO taskschedule (project_id, position, task_id, wbs, start, finish, "
    "baseline_start, baseline_finish, percent, is_summary, critical, open_kind, start_time, "
    f"finish_time) VALUES (?, ?, ?, ?, {', '.join([_OR_NULL] * 4)}, ?, ?, ?, ?, {_OR_NULL}, "
    f"{_OR_NULL})"
)
_UPSERT_STATE = (
    "INSERT INTO schedulestate (project_id, inputs_revision, scheduled_revision, critical_path, "
    "schedule_error, done_finish, open_finish, baseline_finish) VALUES (?, ?, ?, ?, ?, "
    f"{', '.join([_OR_NULL] * 3)}) "
    "ON CONFLICT (project_id) DO UPDATE SET scheduled_revision = excluded.scheduled_revision, "
    "critical_path = excluded.critical_path, schedule_error = excluded.schedule_error, "
    "done_finish = excluded.done_finish, open_finish = excluded.open_finish, "
    "baseline_finish = excluded.baseline_finish"
)


class _Iso(dict[date | None, str]):
    """A date as SQLAlchemy stores a Date (ISO text; '' for none, see `_OR_NULL`), each date
    formatted once: the 10,000 rows of a portfolio's schedules repeat a few hundred dates."""

    def __init__(self) -> None:
        super().__init__({None: ""})

    def __missing__(self, key: date | None) -> str:
        text = self[key] = "" if key is None else key.isoformat()
        return text


def store(connection: Any, schedules: Iterable[Stored]) -> None:
    """Replace the stored schedules of these projects, all in four statements.

    Only SQLite stores schedules (`trusted`), so this writes through the driver's own cursor
    in the session's transaction, as `queries.schedule` reads them: storing 200 projects'
    10,000 rows costs no per-row layer."""
    schedules = list(schedules)
    if not schedules:
        return
    day = _Iso()
    cursor = connection.connection.driver_connection.cursor()
    try:
        projects = [(s.project_id,) for s in schedules]
        for delete in _DELETE_TASKS:
            cursor.executemany(delete, projects)
        cursor.executemany(
            _INSERT_TASKS,
            [
                (
                    s.project_id,
                    n,
                    t.id,
                    t.wbs,
                    day[t.start],
                    day[t.finish],
                    day[t.baseline_start],
                    day[t.baseline_finish],
                    t.percent,
                    int(t.is_summary),
                    int(t.critical),
                    t.open_kind,
                    "" if (at := t.start_time) is None else at.isoformat(),  # as a Time is
                    "" if (until := t.finish_time) is None else until.isoformat(),
                )
                for s in schedules
                for n, t in enumerate(s.tasks)
            ],
        )
        cursor.executemany(
            _UPSERT_STATE,
            [
                (
                    s.project_id,
                    s.inputs_revision,
                    s.inputs_revision,
                    " ".join(map(str, s.critical_path)),
                    s.error,
                    *(day[d] for d in s.finishes),
                )
                for s in schedules
            ],
        )
    finally:
        cursor.close()
