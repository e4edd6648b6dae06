"""The stored schedules (`ScheduleState`, `TaskSchedule`): which are fresh, and storing one.

Freshness is kept by the database itself — triggers created by migration 0006 bump a
project's inputs revision on every change to what its schedule is made from — so this module
only compares revisions and writes rows; computing a schedule is `queries.schedule`'s.
Only SQLite has those triggers, so on any other database nothing stored is trusted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, text

from itpm_tui.storage.database import WRITABLE
from itpm_tui.storage.models import ScheduleState, TaskSchedule

__all__ = ["WRITABLE", "State", "stale_project_ids", "states", "store", "trusted"]


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


def store(
    connection: Any,
    project_id: int,
    inputs_revision: int,
    tasks: Iterable[dict[str, Any]],
    critical_path: Iterable[int],
    error: str,
    finishes: tuple[date | None, date | None, date | None],
) -> None:
    """Replace the project's stored schedule by `tasks` (TaskSchedule columns but project_id
        and position, in outline order), computed from the inputs at `inputs_revision`, with its
        leaves' latest finishes: of those done, of the others, baselined
    (`queries.schedule.Finishes`)."""
    ts = TaskSchedule.__table__  # type: ignore[attr-defined]
    connection.execute(delete(ts).where(ts.c.project_id == project_id))
    rows = [{**t, "project_id": project_id, "position": n} for n, t in enumerate(tasks)]
    if rows:
        connection.execute(insert(ts).prefix_with("OR REPLACE"), rows)
    s = ScheduleState.__table__  # type: ignore[attr-defined]
    values = {
        "scheduled_revision": inputs_revision,
        "critical_path": " ".join(str(i) for i in critical_path),
        "schedule_error": error,
        "done_finish": finishes[0],
        "open_finish": finishes[1],
        "baseline_finish": finishes[2],
    }
    updated = connection.execute(s.update().where(s.c.project_id == project_id).values(values))
    if not updated.rowcount:
        connection.execute(
            insert(s).prefix_with("OR REPLACE"),
            {"project_id": project_id, "inputs_revision": inputs_revision, **values},
        )
