"""Per-project stored totals (`projecttotals`): the sums a Projects row needs, kept with the rows.

A project's budget, its actual and committed spend and the aggregates of its leaf tasks
(behind percent complete) are summed once by migration 0008 and then kept exact by SQLite
triggers in the statement of every write to those rows — a service's, the import's bulk SQL,
another program's sharing the file — so no writer can forget one. Reading them for 1,000
projects is one scan of 1,000 rows instead of grouping 100,000 tasks and 500,000 ledger
entries at every start and poll.

Only SQLite has the triggers: elsewhere `computed` answers from the rows themselves, with the
same SQL that fills and repairs the table (`TOTALS_SELECT`, dialect-neutral). `itpm doctor`
lists the projects whose stored totals disagree with their rows (`disagreeing`); `repair`
rewrites them all. Standard library only, over any DB-API-like `Run`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

#: Runs one SQL statement with named parameters and returns its rows as tuples.
Run = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]


@dataclass(frozen=True, slots=True)
class Totals:
    """One project's sums as stored: money in ten-thousandths, hours in hundredths (the
    scaled integers of `storage.types.FixedPoint`), so every sum is exact."""

    budget: int = 0  # its budget lines
    actual: int = 0  # ledger entries of kind actual
    committed: int = 0  # ledger entries of kind committed
    leaf_count: int = 0  # tasks without children
    leaf_percent: int = 0  # their percent complete, summed
    leaf_hours: int = 0  # their estimates, summed
    leaf_earned: int = 0  # estimate × percent complete, summed


COLUMNS = tuple(f.name for f in fields(Totals))
_LEAF = "t.project_id = p.id AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)"
_SPEND = "SELECT coalesce(sum(e.amount), 0) FROM ledgerentry e WHERE e.project_id = p.id"

#: Every project's totals from its rows (`:actual`, `:committed`: the ledger kinds).
TOTALS_SELECT = (
    "SELECT p.id,"
    " (SELECT coalesce(sum(b.amount), 0) FROM budgetline b WHERE b.project_id = p.id),"
    f" ({_SPEND} AND e.kind = :actual),"
    f" ({_SPEND} AND e.kind = :committed),"
    f" (SELECT count(t.percent_complete) FROM task t WHERE {_LEAF}),"
    f" (SELECT coalesce(sum(t.percent_complete), 0) FROM task t WHERE {_LEAF}),"
    f" (SELECT coalesce(sum(t.estimate_hours), 0) FROM task t WHERE {_LEAF}),"
    " (SELECT coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t"
    f" WHERE {_LEAF})"
    " FROM project p"
)
KINDS = {"actual": "actual", "committed": "committed"}  # `domain.enums.EntryKind` values


def stored(run: Run, project_id: int | None = None) -> dict[int, Totals]:
    """The stored totals by project id (only `project_id`'s when given)."""
    one = "" if project_id is None else " WHERE project_id = :pid"
    return _by_project(
        run(f"SELECT project_id, {', '.join(COLUMNS)} FROM projecttotals{one}", {"pid": project_id})
    )


def computed(run: Run, project_id: int | None = None) -> dict[int, Totals]:
    """The totals summed from the rows now, by project id (only `project_id`'s when given)."""
    one = "" if project_id is None else " WHERE p.id = :pid"
    return _by_project(run(TOTALS_SELECT + one, {**KINDS, "pid": project_id}))


def disagreeing(run: Run) -> list[int]:
    """Projects whose stored totals are missing or differ from their rows, in id order."""
    kept = stored(run)
    return sorted(pid for pid, totals in computed(run).items() if kept.get(pid) != totals)


def repair(run: Run) -> list[int]:
    """Rewrite every project's stored totals from its rows; the ids that were wrong."""
    wrong = disagreeing(run)
    if wrong:
        run("DELETE FROM projecttotals", {})
        names = ", ".join(("project_id", *COLUMNS))
        run(f"INSERT INTO projecttotals ({names}) {TOTALS_SELECT}", dict(KINDS))
    return wrong


def refill(run: Run, after_id: int) -> None:
    """Rewrite the stored totals of the projects whose id is above `after_id` from their
    rows: those a bulk load added with the row triggers suspended (`storage.bulk_load`)."""
    run("DELETE FROM projecttotals WHERE project_id > :after", {"after": after_id})
    names = ", ".join(("project_id", *COLUMNS))
    run(
        f"INSERT INTO projecttotals ({names}) {TOTALS_SELECT} WHERE p.id > :after",
        {**KINDS, "after": after_id},
    )


def projects(count: int) -> str:
    """ "1 project", "2 projects": how the doctor and the repair say how many were wrong."""
    return f"{count} project" + ("" if count == 1 else "s")


def _by_project(rows: Sequence[Sequence[Any]]) -> dict[int, Totals]:
    return {int(row[0]): Totals(*(int(v or 0) for v in row[1:])) for row in rows}
