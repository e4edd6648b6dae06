"""The `itpm-portfolio` JSON format's schema, read from the models: one section per table,
one key per column, shared by the export (`portfolio_export`) and the import
(`portfolio_json`).

Table-driven on purpose: every table of `models.ALL_TABLES` is one section and every column
one key, read from the SQLAlchemy metadata, so a column added to the models travels in the
file without a new serialiser. The format is described in docs/json-format.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from itpm_tui.errors import ItpmError
from itpm_tui.storage.models import ALL_TABLES
from itpm_tui.storage.types import FixedPoint

FORMAT = "itpm-portfolio"
VERSION = 1

# table name -> (section key in the file, singular, plural) for messages and the summary.
_NAMES: dict[str, tuple[str, str, str]] = {
    "person": ("people", "person", "people"),
    "project": ("projects", "project", "projects"),
    "task": ("tasks", "task", "tasks"),
    "dependency": ("dependencies", "dependency", "dependencies"),
    "downtimewindow": ("downtime_windows", "downtime window", "downtime windows"),
    "holiday": ("holidays", "holiday", "holidays"),
    "deliverable": ("deliverables", "deliverable", "deliverables"),
    "budgetline": ("budget_lines", "budget line", "budget lines"),
    "ledgerentry": ("ledger_entries", "ledger entry", "ledger entries"),
    "risk": ("risks", "risk", "risks"),
    "changerequest": ("change_requests", "change request", "change requests"),
    "stakeholder": ("stakeholders", "stakeholder", "stakeholders"),
    "projectstakeholder": (
        "project_stakeholders",
        "project stakeholder link",
        "project stakeholder links",
    ),
    "communicationentry": ("communications", "communication", "communications"),
    "progresssnapshot": ("progress_snapshots", "progress snapshot", "progress snapshots"),
    "activity": ("activity", "activity entry", "activity entries"),
}


class TransferError(ItpmError):
    """The file cannot be imported (or the export written); nothing was changed.

    `problems` lists every bad row found, so the whole file can be fixed in one go; it is
    empty when the file as a whole is unusable (missing, not JSON, not an itpm export).
    """

    def __init__(self, message: str, problems: list[RowProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One broken rule: `row` counts from 1 within the section, 0 means the section itself."""

    table: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.table if self.row == 0 else f"{self.table} row {self.row}"
        return (
            f"{where}, field {self.field}: {self.reason}"
            if self.field
            else f"{where}: {self.reason}"
        )


# --- the schema, read from the models ------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # int, str, bool, date, instant (UTC), wallclock (naive local), clock, decimal
    scale: int
    nullable: bool
    required: bool
    default: Any
    factory: Callable[[], Any] | None
    target: str | None  # the table a foreign key points at


@dataclass(frozen=True)
class _Section:
    model: type[SQLModel]
    table: Table
    key: str
    singular: str
    columns: dict[str, _Column]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...]

    # Read for every row of an import: worked out once (the section never changes).
    @cached_property
    def name(self) -> str:
        return self.table.name

    @cached_property
    def has_id(self) -> bool:
        return self.primary_key == ("id",)

    def references(self) -> list[_Column]:
        return [c for c in self.columns.values() if c.target]


def _kind(column: Column[Any]) -> tuple[str, int]:
    kind = column.type
    if isinstance(kind, FixedPoint):
        return "decimal", kind.scale
    if isinstance(kind, UTCDateTime) or getattr(kind, "timezone", False):
        return "instant", 0
    base = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    python = base.python_type
    for candidate, name in (
        (bool, "bool"),
        (int, "int"),
        (str, "str"),
        (datetime, "wallclock"),
        (date, "date"),
        (time, "clock"),  # a time of day: "13:00"
    ):
        if python is candidate:
            return name, 0
    raise TypeError(f"column {column} has no JSON form")  # pragma: no cover


def _describe(model: Any) -> _Section:
    table: Table = model.__table__
    primary_key = tuple(c.name for c in table.primary_key.columns)
    columns = {}
    for col in table.columns:
        if col.info.get("portfolio") is False:  # the database's bookkeeping (models.LOCAL)
            continue
        kind, scale = _kind(col)
        info = model.model_fields[col.name]
        target = None
        for fk in col.foreign_keys:
            assert fk.column.name == "id", "references are by id"
            target = fk.column.table.name
        columns[col.name] = _Column(
            name=col.name,
            kind=kind,
            scale=scale,
            nullable=bool(col.nullable),
            required=info.is_required() or col.name in primary_key,
            default=None if info.is_required() else info.get_default(call_default_factory=False),
            factory=info.default_factory,
            target=target,
        )
    unique: list[tuple[str, ...]] = [primary_key]
    for constraint in table.constraints:
        names = tuple(c.name for c in getattr(constraint, "columns", ()))
        if type(constraint).__name__ == "UniqueConstraint" and names:
            unique.append(names)
    unique += [tuple(c.name for c in i.columns) for i in table.indexes if i.unique]
    unique += [(c.name,) for c in table.columns if c.unique]
    key, singular, _ = _NAMES[table.name]
    return _Section(model, table, key, singular, columns, primary_key, tuple(dict.fromkeys(unique)))


SECTIONS: list[_Section] = [_describe(m) for m in ALL_TABLES]
_BY_TABLE = {s.name: s for s in SECTIONS}


def _insert_order() -> list[_Section]:
    """Referenced tables first; otherwise the order of ALL_TABLES, so activity comes last."""
    placed: list[_Section] = []
    waiting = list(SECTIONS)
    while waiting:
        for section in waiting:
            needs = {c.target for c in section.references()} - {section.name}
            if needs <= {s.name for s in placed}:
                placed.append(section)
                waiting.remove(section)
                break
        else:  # pragma: no cover - the models have no reference cycle between tables
            raise RuntimeError("reference cycle between tables")
    return placed


INSERT_ORDER = _insert_order()


# --- values as the file writes them ----------------------------------------------------


def _dump(column: _Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "decimal":
        return _decimal_text(value, column.scale)
    if column.kind == "instant":
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if column.kind in ("date", "wallclock"):
        return value.isoformat()
    if column.kind == "clock":
        return value.strftime("%H:%M")
    return value


def _decimal_text(value: Decimal, scale: int) -> str:
    """Exact, with at least two decimals and no trailing zeros beyond: "1234.50", "7.25"."""
    text = f"{value.quantize(Decimal(1).scaleb(-scale)):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(min(2, scale), "0")
    return f"{whole}.{fraction}" if fraction else whole
