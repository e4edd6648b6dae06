"""Writes to the calendars' non-working days: add days (those already there are skipped) and
remove one, each one transaction with its activity entry.

A day belongs to one project's calendar, or with no project to every project's.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from itpm_tui.domain.holidays import DayOff
from itpm_tui.errors import NotFoundError
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import Holiday, Project


def _scope(tx: Tx, project_id: int | None) -> str:
    if project_id is None:
        return "every project's calendar"
    project: Project = tx.get(Project, project_id)
    return f"{project.code}'s calendar"


def add_holidays(ctx: Context, days: Iterable[DayOff], project_id: int | None = None) -> int:
    """Store the days not already in this calendar (the first name given for a day wins);
    return how many were added. One activity entry says which."""
    wanted: dict[object, DayOff] = {}
    for day in days:
        wanted.setdefault(day.day, day)
    with ctx.transaction() as tx:
        where = _scope(tx, project_id)
        same_scope = (
            col(Holiday.project_id).is_(None)
            if project_id is None
            else col(Holiday.project_id) == project_id
        )
        there = set(tx.session.exec(select(col(Holiday.day)).where(same_scope)).all())
        new = [d for key, d in sorted(wanted.items(), key=lambda kv: kv[1].day) if key not in there]
        for day in new:
            tx.session.add(Holiday(project_id=project_id, day=day.day, name=day.name))
        if new:
            tx.session.flush()
            if len(new) == 1:
                what = f"{new[0].day.isoformat()}{f' ({new[0].name})' if new[0].name else ''}"
                summary = f"added non-working day {what} to {where}"
            else:
                summary = (
                    f"added {len(new)} non-working days "
                    f"({new[0].day.isoformat()} to {new[-1].day.isoformat()}) to {where}"
                )
            tx.log("holiday", None, "create", project_id=project_id, summary=summary)
        return len(new)


def remove_holiday(ctx: Context, holiday_id: int) -> Holiday:
    """Remove one non-working day; return it as it was."""
    with ctx.transaction() as tx:
        row: Holiday = tx.get(Holiday, holiday_id)
        where = _scope(tx, row.project_id)
        what = f"{row.day.isoformat()}{f' ({row.name})' if row.name else ''}"
        tx.log(
            "holiday",
            row.id,
            "delete",
            project_id=row.project_id,
            summary=f"removed non-working day {what} from {where}",
        )
        gone = Holiday(id=row.id, project_id=row.project_id, day=row.day, name=row.name)
        tx.session.delete(row)
        tx.session.flush()
        return gone


def remove_holiday_on(ctx: Context, day: object, project_id: int | None = None) -> Holiday:
    """Remove the non-working day on `day` from this calendar; NotFoundError if none."""
    with ctx.db.read() as session:
        same_scope = (
            col(Holiday.project_id).is_(None)
            if project_id is None
            else col(Holiday.project_id) == project_id
        )
        found = session.exec(
            select(col(Holiday.id)).where(same_scope, col(Holiday.day) == day)
        ).first()
    if found is None:
        scope = "every project's calendar" if project_id is None else "this project's calendar"
        raise NotFoundError(f"date: {day} is not a non-working day of {scope}")
    return remove_holiday(ctx, int(found))
