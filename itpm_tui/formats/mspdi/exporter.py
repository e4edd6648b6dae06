"""Export a project as MS Project XML (MSPDI): the plan is read through the queries and
written by the pure writer."""

from __future__ import annotations

import os
from pathlib import Path

from itpm_tui.errors import ItpmError
from itpm_tui.formats.mspdi.writer import write_plan
from itpm_tui.queries.plans import load_project_plan
from itpm_tui.storage.database import Database


def export_mspdi(db: Database, project_code: str) -> bytes:
    """One project as MS Project XML (UTF-8), readable by MS Project 2003 and later."""
    return write_plan(load_project_plan(db, project_code))


def write_mspdi(db: Database, code: str, path: str | os.PathLike[str]) -> None:
    """Export project `code` to the file `path` (replaced if it exists)."""
    data = export_mspdi(db, code)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ItpmError(f"cannot write {path}: {exc.strerror or exc}") from None
