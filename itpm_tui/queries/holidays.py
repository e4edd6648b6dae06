"""Non-working days as the Timeline's dialog and `itpm holidays list` show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import col

from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Holiday


@dataclass(frozen=True, slots=True)
class HolidayRow:
    id: int
    day: date
    name: str
    project_id: int | None  # None: every project's calendar

    @property
    def everywhere(self) -> bool:
        return self.project_id is None


def holiday_rows(db: Database, project_id: int | None = None) -> list[HolidayRow]:
    """The portfolio-wide days, and with `project_id` that project's own too; by day."""
    scope: ColumnElement[bool] = col(Holiday.project_id).is_(None)
    if project_id is not None:
        scope = or_(scope, col(Holiday.project_id) == project_id)
    with db.read() as session:
        rows = session.execute(
            select(col(Holiday.id), col(Holiday.day), col(Holiday.name), col(Holiday.project_id))
            .where(scope)
            .order_by(col(Holiday.day), col(Holiday.project_id), col(Holiday.id))
        ).all()
    return [HolidayRow(int(r[0]), r[1], r[2], r[3]) for r in rows]
