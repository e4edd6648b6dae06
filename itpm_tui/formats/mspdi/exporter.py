"""Export a project as MS Project XML (MSPDI): the plan is read through the queries and
written by the pure writer."""

from __future__ import annotations

from datetime import date

from itpm_tui.formats.mspdi.writer import write_plan
from itpm_tui.queries.plans import load_project_plan, load_work_hours
from itpm_tui.storage.database import Database


def export_mspdi(db: Database, project_code: str, today: date) -> bytes:
    """One project as MS Project XML (UTF-8), readable by MS Project 2003 and later, on the
    project's working hours; a plan with no date at all starts `today`."""
    plan = load_project_plan(db, project_code)
    return write_plan(plan, today, load_work_hours(db, project_code))
