"""stored project totals

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 11:15:00.000000

Each project's budget, actual and committed spend and leaf-task aggregates (`projecttotals`,
see `storage.project_totals`) are summed once here, then kept exact by triggers in the
statement of every write to their rows, whoever writes them (services, the import's bulk
SQL, another program): the Projects rows read 1,000 stored rows instead of grouping 100,000
tasks and 500,000 ledger entries. A partial index holds the milestones not reached, which
Projects and the updates due read (a few among 100,000 tasks).

The leaf aggregates depend on whether a task has children, so a task write subtracts what
the tasks it can affect (itself and its old and new parents) contributed before it — in a
BEFORE trigger — and adds what they contribute after it, in the AFTER trigger: every case
(a first child, the last child removed, a move, a cascade) is the same two steps. The
triggers are SQLite's; on other databases the readers sum the rows (`computed`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    "budget",
    "actual",
    "committed",
    "leaf_count",
    "leaf_percent",
    "leaf_hours",
    "leaf_earned",
)
_LEAF = "t.project_id = p.id AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)"
_SPEND = "SELECT coalesce(sum(e.amount), 0) FROM ledgerentry e WHERE e.project_id = p.id"
#: The totals of projects from their rows (a frozen copy of `project_totals.TOTALS_SELECT`).
SELECT = (
    "SELECT p.id,"
    " (SELECT coalesce(sum(b.amount), 0) FROM budgetline b WHERE b.project_id = p.id),"
    f" ({_SPEND} AND e.kind = 'actual'),"
    f" ({_SPEND} AND e.kind = 'committed'),"
    f" (SELECT count(t.percent_complete) FROM task t WHERE {_LEAF}),"
    f" (SELECT coalesce(sum(t.percent_complete), 0) FROM task t WHERE {_LEAF}),"
    f" (SELECT coalesce(sum(t.estimate_hours), 0) FROM task t WHERE {_LEAF}),"
    " (SELECT coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t"
    f" WHERE {_LEAF})"
    " FROM project p"
)
FILL = f"INSERT INTO projecttotals (project_id, {', '.join(COLUMNS)}) {SELECT}"
ADD_ONE = FILL.replace("INSERT", "INSERT OR IGNORE", 1)  # SQLite's, in a trigger

_LEAF_SUMS = (
    ("leaf_count", "count(t.percent_complete)"),
    ("leaf_percent", "sum(t.percent_complete)"),
    ("leaf_hours", "sum(t.estimate_hours)"),
    ("leaf_earned", "sum(t.estimate_hours * t.percent_complete)"),
)
TASK_INPUTS = ("id", "project_id", "parent_id", "estimate_hours", "percent_complete")


def _leaves(sign: str, ids: str) -> str:
    """Add (`+`) or take away (`-`) what the tasks `ids` contribute as leaves right now: one
    correlated subquery sets the four sums (a row value)."""
    sums = ", ".join(f"{name} {sign} coalesce({total}, 0)" for name, total in _LEAF_SUMS)
    return (
        f"UPDATE projecttotals SET ({', '.join(name for name, _ in _LEAF_SUMS)}) = (SELECT {sums}"
        f" FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN ({ids})"
        " AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id))"
        f" WHERE project_id IN (SELECT project_id FROM task WHERE id IN ({ids}));"
    )


def _spend(sign: str, row: str) -> str:
    return (
        f"UPDATE projecttotals SET"
        f" actual = actual {sign} CASE WHEN {row}.kind = 'actual'"
        f" THEN coalesce({row}.amount, 0) ELSE 0 END,"
        f" committed = committed {sign} CASE WHEN {row}.kind = 'committed'"
        f" THEN coalesce({row}.amount, 0) ELSE 0 END"
        f" WHERE project_id = {row}.project_id;"
    )


def _budget(sign: str, row: str) -> str:
    return (
        f"UPDATE projecttotals SET budget = budget {sign} coalesce({row}.amount, 0)"
        f" WHERE project_id = {row}.project_id;"
    )


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


_TASK_CHANGE = f"UPDATE OF {', '.join(TASK_INPUTS)} ON task WHEN {_changed(TASK_INPUTS)}"
_LEDGER = ("project_id", "kind", "amount")
_LINE = ("project_id", "amount")

TRIGGERS = {
    "totals_project_added": ("AFTER INSERT ON project", f"{ADD_ONE} WHERE p.id = NEW.id;"),
    "totals_task_adding": (  # its parent, a leaf until now
        "BEFORE INSERT ON task WHEN NEW.parent_id IS NOT NULL",
        _leaves("-", "NEW.parent_id"),
    ),
    "totals_task_added": ("AFTER INSERT ON task", _leaves("+", "NEW.id, NEW.parent_id")),
    "totals_task_removing": ("BEFORE DELETE ON task", _leaves("-", "OLD.id, OLD.parent_id")),
    "totals_task_removed": (  # its parent, a leaf again if it was the last child
        "AFTER DELETE ON task WHEN OLD.parent_id IS NOT NULL",
        _leaves("+", "OLD.parent_id"),
    ),
    "totals_task_changing": (
        f"BEFORE {_TASK_CHANGE}",
        _leaves("-", "OLD.id, OLD.parent_id, NEW.parent_id"),
    ),
    "totals_task_changed": (
        f"AFTER {_TASK_CHANGE}",
        _leaves("+", "NEW.id, OLD.parent_id, NEW.parent_id"),
    ),
    "totals_ledger_added": ("AFTER INSERT ON ledgerentry", _spend("+", "NEW")),
    "totals_ledger_removed": ("AFTER DELETE ON ledgerentry", _spend("-", "OLD")),
    "totals_ledger_changed": (
        f"AFTER UPDATE OF {', '.join(_LEDGER)} ON ledgerentry WHEN {_changed(_LEDGER)}",
        _spend("-", "OLD") + " " + _spend("+", "NEW"),
    ),
    "totals_budget_added": ("AFTER INSERT ON budgetline", _budget("+", "NEW")),
    "totals_budget_removed": ("AFTER DELETE ON budgetline", _budget("-", "OLD")),
    "totals_budget_changed": (
        f"AFTER UPDATE OF {', '.join(_LINE)} ON budgetline WHEN {_changed(_LINE)}",
        _budget("-", "OLD") + " " + _budget("+", "NEW"),
    ),
}


def upgrade() -> None:
    op.create_table(
        "projecttotals",
        sa.Column("project_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in COLUMNS),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name="fk_projecttotals_project_id_project",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name="pk_projecttotals"),
    )
    op.execute(FILL)
    milestones = sa.text("is_milestone AND status != 'done'")
    op.create_index(
        "ix_task_open_milestone",
        "task",
        ["project_id"],
        sqlite_where=milestones,
        postgresql_where=milestones,
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, (when, body) in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_task_open_milestone", table_name="task")
    op.drop_table("projecttotals")
