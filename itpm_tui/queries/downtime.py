"""Downtime windows as everyone reads them: where each lies now.

A window tied to a task is stored with the task's scheduled start when it was saved (its
anchor); `effective_windows` is the one place that moves it by as many days as that start
has moved since. The Timeline (`queries.timeline.load_timeline`), the iCalendar export and
the reports all get their windows from the Timeline's read model, which calls it with the
schedule it has just computed — so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from itpm_tui.domain.downtime import shifted
from itpm_tui.storage.models import DowntimeWindow, Task


@dataclass(frozen=True, slots=True)
class DowntimeView:
    """A window where it lies now (`starts_at`/`ends_at`, moved with its task)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    systems: str
    approved: bool
    id: int = 0
    task_id: int | None = None
    task_name: str = ""
    version: int = 1

    @property
    def first_day(self) -> date:
        return self.starts_at.date()

    @property
    def last_day(self) -> date:
        return self.ends_at.date()


@dataclass(frozen=True, slots=True)
class StoredWindow:
    """A window row as stored, before it follows its task."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    systems: str
    approved: bool
    task_id: int | None
    task_name: str
    anchor_start: date | None
    version: int


def stored_windows(session: Session | Any, project_id: int) -> list[StoredWindow]:
    """The project's windows as stored, with the name of the task each is tied to."""
    rows = session.execute(
        select(
            col(DowntimeWindow.id),
            col(DowntimeWindow.title),
            col(DowntimeWindow.starts_at),
            col(DowntimeWindow.ends_at),
            col(DowntimeWindow.systems),
            col(DowntimeWindow.approved),
            col(DowntimeWindow.task_id),
            col(Task.name),
            col(DowntimeWindow.anchor_start),
            col(DowntimeWindow.version),
        )
        .join(Task, col(Task.id) == col(DowntimeWindow.task_id), isouter=True)
        .where(col(DowntimeWindow.project_id) == project_id)
    ).all()
    return [
        StoredWindow(
            int(r[0] or 0), r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7] or "", r[8], r[9]
        )
        for r in rows
    ]


def effective_windows(
    windows: list[StoredWindow], task_starts: Mapping[int, date | None]
) -> list[DowntimeView]:
    """Each window where it lies now, given each task's scheduled start; by start, then id."""
    out = []
    for w in windows:
        start = task_starts.get(w.task_id) if w.task_id is not None else None
        starts_at, ends_at = shifted(w.starts_at, w.ends_at, w.anchor_start, start)
        out.append(
            DowntimeView(
                title=w.title,
                starts_at=starts_at,
                ends_at=ends_at,
                systems=w.systems,
                approved=w.approved,
                id=w.id,
                task_id=w.task_id,
                task_name=w.task_name,
                version=w.version,
            )
        )
    out.sort(key=lambda v: (v.starts_at, v.id))
    return out
