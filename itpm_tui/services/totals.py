"""Repairing the stored per-project totals (`storage.project_totals`) from the rows.

SQLite's triggers keep them exact, so this is for a file written with them dropped or by a
program that bypassed them — what `itpm doctor` finds and `itpm doctor --repair` runs. One
transaction with its activity entry (about no project in particular, so every open screen
fetches again).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from itpm_tui.services.context import Context
from itpm_tui.storage import project_totals


def repair_totals(ctx: Context) -> list[int]:
    """Rewrite every project's stored totals from its rows; the ids of those that were
    wrong (none: nothing is written, not even the activity entry)."""
    with ctx.transaction() as tx:

        def run(sql: str, params: dict[str, Any]) -> list[Any]:
            result = tx.session.connection().execute(text(sql), params)
            return list(result.all()) if result.returns_rows else []

        wrong = project_totals.repair(run)
        if wrong:
            tx.log(
                "projecttotals",
                None,
                "repair",
                summary=f"repaired the stored totals of {project_totals.projects(len(wrong))}",
            )
        return wrong
