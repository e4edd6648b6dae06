"""The whole portfolio as one JSON document: export it, and import it back without loss.

Table-driven on purpose: every table of `models.ALL_TABLES` is one section and every column
one key, read from the SQLAlchemy metadata, so a column added to the models travels in the
file without a new serialiser. An import checks the whole file first — shape, types, domain
rules, references, unique keys, clashes with the database — and reports every problem at
once; only a clean file is written, in one transaction, so a bad file never leaves half a
portfolio behind. The format is described in docs/json-format.md.

A project whose status in the file is *closed* is imported as it stands: it is history,
closed where the file came from (its sign-off, override reason and activity log travel with
it), and an import only ever adds projects, never changes the status of one already here.
So the closing gate of `services.closing` is not applied to it, and a backup of projects
closed before sign-off was tracked still restores without loss.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Column, Table, func, insert, select
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

from itpm_tui.domain.change_control import MAX_SCHEDULE_DAYS
from itpm_tui.domain.enums import (
    ChangeStatus,
    Channel,
    EntryKind,
    RiskCategory,
    RiskResponse,
    RiskStatus,
)
from itpm_tui.domain.ledger import MAX_CATEGORY
from itpm_tui.domain.limits import date_rule
from itpm_tui.domain.money import CURRENCY_DIGITS, check_currency, parse_amount
from itpm_tui.domain.people import PersonDraft, validate_person
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.stakeholders import StakeholderDraft, validate_contact
from itpm_tui.domain.tasks import TaskDraft, validate_link, validate_task
from itpm_tui.domain.text import json_controls_escaped
from itpm_tui.domain.validation import Checker, Problem, ValidationError, problem_lines
from itpm_tui.errors import ItpmError
from itpm_tui.formats.input_file import read_input
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import ALL_TABLES, Activity
from itpm_tui.storage.types import FixedPoint

FORMAT = "itpm-portfolio"
VERSION = 1
#: The largest magnitude a money or hours value may have (as the money forms allow).
MAX_DECIMAL = Decimal(10) ** 13
_MAX_INT = 2**63 - 1
_DECIMAL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

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

# Closed vocabularies not already checked by a domain validator below.
_VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("ledgerentry", "kind"): EntryKind,
    ("risk", "category"): RiskCategory,
    ("risk", "response"): RiskResponse,
    ("risk", "status"): RiskStatus,
    ("changerequest", "status"): ChangeStatus,
    ("communicationentry", "channel"): Channel,
}
_CURRENCY_COLUMNS: dict[str, tuple[str, ...]] = {"person": ("cost_currency",)}

# The domain validators name fields as a form labels them; the file names columns.
_FIELD_ALIASES = {
    "start date": "start_date",
    "end date": "end_date",
    "weekly capacity": "weekly_capacity_hours",
    "cost rate": "cost_rate",
    "start": "planned_start",
    "finish": "planned_finish",
    "actual start": "actual_start",
    "actual finish": "actual_finish",
    "percent complete": "percent_complete",
    "estimate": "estimate_hours",
    "remaining": "remaining_hours",
    "type": "kind",
    "link type": "kind",
    "lag": "lag_days",
    "blocked reason": "blocked_reason",
}
#: Labels that mean another column in one table only.
_TABLE_ALIASES = {"task": {"notes": "description"}}


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


@dataclass
class ImportReport:
    """What an import added: rows per section key (e.g. ``counts["tasks"]``)."""

    source: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def summary(self) -> str:
        parts = []
        for key, singular, plural in _NAMES.values():
            n = self.counts.get(key, 0)
            if n:
                parts.append(f"{n} {singular if n == 1 else plural}")
        return f"imported {', '.join(parts) or 'nothing'} from {self.source}"


# --- the schema, read from the models ------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # int, str, bool, date, instant (UTC), wallclock (naive local), decimal
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

    @property
    def name(self) -> str:
        return self.table.name

    @property
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
    ):
        if python is candidate:
            return name, 0
    raise TypeError(f"column {column} has no JSON form")  # pragma: no cover


def _describe(model: Any) -> _Section:
    table: Table = model.__table__
    primary_key = tuple(c.name for c in table.primary_key.columns)
    columns = {}
    for col in table.columns:
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


# --- export --------------------------------------------------------------------------------


def export_json(db: Database) -> dict[str, Any]:
    """The whole database as a JSON-ready dict, rows ordered by primary key.

    Read in one session, hence one snapshot: a colleague saving meanwhile cannot leave the
    file with a task whose project is missing.
    """
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with db.read() as session:
        for section in SECTIONS:
            cols = list(section.columns.values())
            order = [section.table.c[name] for name in section.primary_key]
            result = session.execute(select(*section.table.columns).order_by(*order))
            document[section.key] = [
                {c.name: _dump(c, value) for c, value in zip(cols, row, strict=True)}
                for row in result
            ]
    return document


def write_json(db: Database, target: str | os.PathLike[str] | IO[str]) -> None:
    """Export to a path (replaced atomically, so a failed export never leaves half a file)
    or to an open text stream."""
    text = json_controls_escaped(json.dumps(export_json(db), ensure_ascii=False, indent=2)) + "\n"
    if not isinstance(target, str | os.PathLike):
        target.write(text)
        return
    from itpm_tui.private_files import write_private

    try:  # 0600, or the mode of the file it replaces; never a FIFO, a device or a directory
        write_private(Path(target), text.encode("utf-8"), replace=True)
    except ItpmError as exc:
        raise TransferError(str(exc)) from None


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
    return value


def _decimal_text(value: Decimal, scale: int) -> str:
    """Exact, with at least two decimals and no trailing zeros beyond: "1234.50", "7.25"."""
    text = f"{value.quantize(Decimal(1).scaleb(-scale)):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(min(2, scale), "0")
    return f"{whole}.{fraction}" if fraction else whole


# --- import: reading and checking ---------------------------------------------------------


class _Object(dict[str, Any]):
    """A JSON object that remembers keys given twice (json keeps only the last)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


class _Bad(Exception):
    """One value is unusable; the message is the reason shown to the user."""


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    bad: set[str]


def _read(source: str | os.PathLike[str] | IO[Any]) -> tuple[str, Any]:
    if isinstance(source, str | os.PathLike):
        label = str(source)
        path = Path(source)
        data: str | bytes = read_input(path, TransferError)
    else:
        label = str(getattr(source, "name", "<stream>"))
        data = source.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TransferError(
                f"cannot import {label}: not UTF-8 text (bad byte at offset {exc.start})"
            ) from None
    if not data.strip():
        raise TransferError(f"cannot import {label}: the file is empty")
    try:
        document = json.loads(
            data, object_pairs_hook=_object, parse_float=Decimal, parse_constant=Decimal
        )
    except json.JSONDecodeError as exc:
        raise TransferError(
            f"cannot import {label}: not valid JSON — {exc.msg} "
            f"at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise TransferError(f"cannot import {label}: JSON nested too deeply") from None
    return label, document


def _check_header(label: str, document: Any) -> None:
    if not isinstance(document, dict):
        raise TransferError(
            f"cannot import {label}: not an itpm portfolio export "
            f"(the file holds {_shown(document)}, not an object)"
        )
    marker = document.get("format")
    if marker != FORMAT:
        found = "no format marker" if marker is None else f"format {_shown(marker)}"
        raise TransferError(
            f"cannot import {label}: not an itpm portfolio export "
            f'({found}; expected "format": "{FORMAT}")'
        )
    version = document.get("version")
    if type(version) is not int:
        raise TransferError(
            f"cannot import {label}: version must be a whole number, got {_shown(version)}"
        )
    if version != VERSION:
        newer = " (written by a newer itpm; upgrade to import it)" if version > VERSION else ""
        raise TransferError(
            f"cannot import {label}: format version {version} is not supported; "
            f"this release reads version {VERSION}{newer}"
        )


def _shown(value: Any) -> str:
    """How a JSON value is named in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return f"the number {value}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"'{text}'"
    return "a list" if isinstance(value, list) else "an object"


def _load(column: _Column, raw: Any) -> Any:
    """The Python value of one JSON value for `column`, or `_Bad` saying why not."""
    kind = column.kind
    if kind == "str":
        if not isinstance(raw, str):
            raise _Bad(f"must be text, got {_shown(raw)}")
        return raw
    if kind == "bool":
        if not isinstance(raw, bool):
            raise _Bad(f"must be true or false, got {_shown(raw)}")
        return raw
    if kind == "int":
        if type(raw) is not int:
            raise _Bad(f"must be a whole number, got {_shown(raw)}")
        if abs(raw) > _MAX_INT:
            raise _Bad(f"is too large, got {raw}")
        return raw
    if kind == "decimal":
        return _load_decimal(column, raw)
    if not isinstance(raw, str):
        raise _Bad(f"must be an ISO date{'' if kind == 'date' else ' and time'}, got {_shown(raw)}")
    if kind == "date":
        try:
            if not _DATE_RE.fullmatch(raw):
                raise ValueError
            day = date.fromisoformat(raw)
        except ValueError:
            raise _Bad(f"'{raw}' is not a date (YYYY-MM-DD)") from None
        if rule := date_rule(day):
            raise _Bad(rule)
        return day
    try:
        if len(raw) <= 10:
            raise ValueError
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise _Bad(f"'{raw}' is not an ISO date and time (e.g. 2026-03-18T09:30:00)") from None
    if rule := date_rule(moment):
        raise _Bad(rule)
    if kind == "instant":
        if moment.tzinfo is None:
            raise _Bad(f"'{raw}' has no UTC offset; write e.g. 2026-03-18T09:30:00+00:00")
        return moment.astimezone(UTC)
    if moment.tzinfo is not None:
        raise _Bad(f"'{raw}' is local wall-clock time; write it without a UTC offset")
    return moment


def _load_decimal(column: _Column, raw: Any) -> Decimal:
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _Bad(f'must be a decimal in a string, e.g. "1234.50", got {raw}')
        example = f"{raw:f}" if len(f"{raw:f}") <= 20 else "1234.50"
        raise _Bad(
            f'got the JSON number {raw}; write exact decimals as strings, e.g. "{example}" '
            "(a JSON number with a fraction is a binary float)"
        )
    if type(raw) is int or (isinstance(raw, str) and _DECIMAL_RE.fullmatch(raw)):
        value = Decimal(raw)
    elif isinstance(raw, str):
        raise _Bad(f"'{raw}' is not an exact decimal (digits, '-' and '.', e.g. \"1234.50\")")
    else:
        raise _Bad(f'must be a decimal in a string, e.g. "1234.50", got {_shown(raw)}')
    if abs(value) >= MAX_DECIMAL:
        raise _Bad(f"must be less than 10,000,000,000,000, got '{raw}'")
    if value != value.quantize(Decimal(1).scaleb(-column.scale)):
        raise _Bad(f"has more than {column.scale} decimal places, got '{raw}'")
    return value


def _placeholder(column: _Column) -> Any:
    """A harmless stand-in for a missing or unusable value, so the other rules still run."""
    if column.factory is not None:
        return column.factory()
    if column.default is not None or column.nullable:
        return column.default
    return {"str": "", "int": 0, "bool": False, "decimal": Decimal(0)}.get(column.kind)


def _decode(section: _Section, number: int, raw: Any, problems: list[RowProblem]) -> _Row | None:
    """Types and presence of every column of one row; each failure becomes a problem."""

    def fail(name: str, reason: str) -> None:
        problems.append(RowProblem(section.key, number, name, reason))

    if not isinstance(raw, dict):
        fail("", f"must be an object of column values, got {_shown(raw)}")
        return None
    row = _Row(number, {}, set())
    for name in getattr(raw, "duplicates", []):
        fail(name, "appears more than once in the row")
        row.bad.add(name)
    for name in raw:
        if name not in section.columns:
            close = difflib.get_close_matches(name, list(section.columns), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            fail(name, f"is not a column of {section.key}{hint}")
    for column in section.columns.values():
        name = column.name
        if name in row.bad:
            row.values[name] = _placeholder(column)
            continue
        if name not in raw:
            if column.required:
                fail(name, "is required")
                row.bad.add(name)
            row.values[name] = _placeholder(column)
            continue
        value = raw[name]
        try:
            if value is None and not column.nullable:
                raise _Bad("must not be null")
            row.values[name] = None if value is None else _load(column, value)
        except _Bad as exc:
            fail(name, str(exc))
            row.bad.add(name)
            row.values[name] = _placeholder(column)
    if section.has_id and "id" not in row.bad and row.values["id"] < 1:
        fail("id", f"must be 1 or more, got {row.values['id']}")
        row.bad.add("id")
    return row


def _draft_check(
    draft_type: type[Any], validate: Callable[[Any], Any]
) -> Callable[[dict[str, Any]], None]:
    """Run a domain validator on a row, writing its normalised fields back into the row."""

    def check(values: dict[str, Any]) -> None:
        names = [f.name for f in fields(draft_type)]
        clean = validate(draft_type(**{n: values[n] for n in names}))
        values.update({n: getattr(clean, n) for n in names})

    return check


def _check_link(values: dict[str, Any]) -> None:
    validate_link(values["kind"], values["lag_days"])


_VALIDATORS: dict[str, Callable[[dict[str, Any]], None]] = {
    "person": _draft_check(PersonDraft, validate_person),
    "project": _draft_check(ProjectDraft, validate_project),
    "task": _draft_check(TaskDraft, validate_task),
    "stakeholder": _draft_check(StakeholderDraft, validate_contact),
    "dependency": _check_link,
}


def _rules(table: str, v: dict[str, Any], check: Checker) -> None:
    """Rules the domain validators do not cover, for tables that have no validator."""
    if table == "project":
        check.date_order("baseline_start", v["baseline_start"], "baseline_end", v["baseline_end"])
    elif table == "task":
        check.date_order(
            "baseline_start", v["baseline_start"], "baseline_finish", v["baseline_finish"]
        )
    elif table == "dependency":
        if v["predecessor_id"] is not None and v["predecessor_id"] == v["successor_id"]:
            check.fail("successor_id", "a task cannot depend on itself")
    elif table == "downtimewindow":
        check.required("title", v["title"])
        start, end = v["starts_at"], v["ends_at"]
        if start and end and end <= start:
            check.fail("ends_at", f"must be after starts_at ({start.isoformat()})")
    elif table == "deliverable":
        check.required("name", v["name"])
    elif table == "risk":
        check.required("title", v["title"])
        for name in ("probability", "impact", "residual_probability", "residual_impact"):
            check.between(name, v[name], 1, 5)
    elif table == "changerequest":
        check.required("title", v["title"])
        check.between(
            "schedule_impact_days", v["schedule_impact_days"], -MAX_SCHEDULE_DAYS, MAX_SCHEDULE_DAYS
        )
    elif table in ("budgetline", "ledgerentry"):
        # The five standard categories or any the PM named, as the Budget screen allows.
        check.required("category", v["category"], MAX_CATEGORY)
    elif table == "progresssnapshot":
        check.between("percent_complete", v["percent_complete"], 0, 100)
        check.not_negative("remaining_hours", v["remaining_hours"])
        check.not_negative("remaining_tasks", v["remaining_tasks"])


def _check_domain(section: _Section, row: _Row, problems: list[RowProblem]) -> None:
    """Vocabularies, currencies and the domain rules; fields already bad are not re-reported."""
    table, values = section.name, row.values
    check = Checker()
    # The text rules first, on the values as the file gives them: one rule for every text
    # column (`domain.limits`), whatever the validators below check of it.
    check.columns(table, {n: values[n] for n, c in section.columns.items() if c.kind == "str"})
    texts = len(check.problems)
    for (owner, name), vocabulary in _VOCABULARIES.items():
        if owner == table:
            check.one_of(name, values[name], [v.value for v in vocabulary])
    for name in _CURRENCY_COLUMNS.get(table, ()):
        try:
            values[name] = check_currency(values[name], name)
        except ValidationError as exc:
            check.problems += exc.problems
    _rules(table, values, check)
    found: list[Problem] = list(check.problems)
    if validator := _VALIDATORS.get(table):
        try:
            validator(values)
        except ValidationError as exc:
            found += exc.problems
    seen: set[tuple[str, str]] = set()
    text_fields = {p.field for p in found[:texts]}
    for index, problem in enumerate(found):
        name = _TABLE_ALIASES.get(table, {}).get(problem.field) or _FIELD_ALIASES.get(
            problem.field, problem.field
        )
        if name in row.bad or (name, problem.rule) in seen:
            continue
        if index >= texts and name in text_fields:
            continue  # its text rule is reported; a validator's length message would repeat it
        seen.add((name, problem.rule))
        problems.append(RowProblem(section.key, row.number, name, problem.rule))


def _norm(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def _check_unique(section: _Section, rows: list[_Row], problems: list[RowProblem]) -> None:
    for names in section.unique_keys:
        seen: dict[tuple[Any, ...], int] = {}
        for row in rows:
            if row.bad & set(names):
                continue
            key = tuple(_norm(row.values[n]) for n in names)
            if any(k is None for k in key):
                continue  # NULLs never clash
            if key not in seen:
                seen[key] = row.number
                continue
            shown = ", ".join(str(row.values[n]) for n in names)
            what = (
                f"{names[0]} '{shown}'" if len(names) == 1 else f"({', '.join(names)}) = ({shown})"
            )
            if names == ("id",):
                what = f"id {shown}"
            problems.append(
                RowProblem(
                    section.key,
                    row.number,
                    names[-1],
                    f"duplicate {what}, already in row {seen[key]}",
                )
            )


def _check_references(
    rows: dict[str, list[_Row]], ids: dict[str, set[int]], problems: list[RowProblem]
) -> None:
    for section in SECTIONS:
        for column in section.references():
            assert column.target is not None
            target = _BY_TABLE[column.target]
            for row in rows[section.name]:
                value = row.values[column.name]
                if value is None or column.name in row.bad or value in ids[column.target]:
                    continue
                problems.append(
                    RowProblem(
                        section.key,
                        row.number,
                        column.name,
                        f"refers to {target.key} id {value}, which is not in the file",
                    )
                )


def _check_trees(
    rows: dict[str, list[_Row]], ids: dict[str, set[int]], problems: list[RowProblem]
) -> None:
    """A row pointing at its own table (a task's parent): same project, and no loops."""
    for section in SECTIONS:
        for column in section.references():
            if column.target != section.name:
                continue
            by_id = {r.values["id"]: r for r in rows[section.name] if "id" not in r.bad}
            for row in rows[section.name]:
                parent = by_id.get(row.values[column.name])
                if parent is None or column.name in row.bad:
                    continue
                project = row.values.get("project_id")
                theirs = parent.values.get("project_id")
                known = ids.get("project", set())
                if project in known and theirs in known and theirs != project:
                    problems.append(
                        RowProblem(
                            section.key,
                            row.number,
                            column.name,
                            f"{section.singular} {parent.values['id']} belongs to another "
                            f"project (project id {theirs})",
                        )
                    )
                seen = {row.values["id"]}
                while parent is not None:
                    if parent.values["id"] in seen:
                        if parent is row:
                            problems.append(
                                RowProblem(
                                    section.key,
                                    row.number,
                                    column.name,
                                    f"makes {section.singular} {row.values['id']} "
                                    "its own ancestor (a loop)",
                                )
                            )
                        break
                    seen.add(parent.values["id"])
                    parent = by_id.get(parent.values[column.name])


def _check_file(document: dict[str, Any]) -> tuple[dict[str, list[_Row]], list[RowProblem]]:
    problems: list[RowProblem] = []
    known = {"format", "version", "exported_at"} | {s.key for s in SECTIONS}
    for key in document:
        if key not in known:
            close = difflib.get_close_matches(key, [s.key for s in SECTIONS], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(RowProblem(key, 0, "", f"is not a section of the format{hint}"))
    for key in getattr(document, "duplicates", []):
        problems.append(RowProblem(key, 0, "", "appears more than once in the file"))
    rows: dict[str, list[_Row]] = {}
    for section in SECTIONS:
        raw_rows = document.get(section.key, [])
        rows[section.name] = []
        if not isinstance(raw_rows, list):
            problems.append(
                RowProblem(section.key, 0, "", f"must be a list of rows, got {_shown(raw_rows)}")
            )
            continue
        for number, raw in enumerate(raw_rows, start=1):
            row = _decode(section, number, raw, problems)
            if row is not None:
                _check_domain(section, row, problems)
                rows[section.name].append(row)
        _check_unique(section, rows[section.name], problems)
    ids = {
        s.name: {r.values["id"] for r in rows[s.name] if "id" not in r.bad}
        for s in SECTIONS
        if s.has_id
    }
    _check_references(rows, ids, problems)
    _check_trees(rows, ids, problems)
    _check_amounts(rows, problems)
    return rows, problems


#: Amounts in the currency of the row's project: table → (column, may it be 0).
_PROJECT_AMOUNTS = {
    "ledgerentry": ("amount", False),
    "budgetline": ("amount", True),
    "changerequest": ("cost_impact", True),
}


def _check_amounts(rows: dict[str, list[_Row]], problems: list[RowProblem]) -> None:
    """Amounts within their currency's minor units (`domain.money.parse_amount`, as the
    forms and the ledger CSV read them), and a ledger entry's not 0, as its form requires.
    A person's cost rate is a price per hour, kept to the 4 decimals it is stored with."""
    currency = {
        r.values["id"]: r.values["currency"]
        for r in rows["project"]
        if not {"id", "currency"} & r.bad
    }

    def check(key: str, row: _Row, name: str, code: object, zero: bool) -> None:
        value = row.values[name]
        if name in row.bad or not isinstance(code, str) or not isinstance(value, Decimal):
            return
        try:
            parse_amount(value, code, name)
        except ValidationError as exc:
            problems.append(RowProblem(key, row.number, name, exc.rule))
            return
        if not zero and value == 0:
            problems.append(RowProblem(key, row.number, name, "must not be 0"))

    for table, (name, zero) in _PROJECT_AMOUNTS.items():
        key = _BY_TABLE[table].key
        for row in rows[table]:
            code = currency.get(row.values["project_id"])
            if code in CURRENCY_DIGITS:
                check(key, row, name, code, zero)


def _check_database(
    session: Session, rows: dict[str, list[_Row]], problems: list[RowProblem]
) -> None:
    """Project codes and person handles must not exist yet: ids are remapped, names are not."""
    for section in SECTIONS:
        for names in section.unique_keys:
            if len(names) != 1 or names == section.primary_key:
                continue
            (name,) = names
            taken = {_norm(v) for v in session.execute(select(section.table.c[name])).scalars()}
            for row in rows[section.name]:
                value = row.values[name]
                if name not in row.bad and _norm(value) in taken:
                    problems.append(
                        RowProblem(
                            section.key,
                            row.number,
                            name,
                            f"{section.singular} {name} '{value}' already exists in the "
                            "database; rename it in the file or import into another database",
                        )
                    )


def _sorted_problems(problems: list[RowProblem]) -> list[RowProblem]:
    order = {s.key: i for i, s in enumerate(SECTIONS)}
    columns = {s.key: list(s.columns) for s in SECTIONS}

    def key(p: RowProblem) -> tuple[int, int, int]:
        cols = columns.get(p.table, [])
        return (
            order.get(p.table, -1),
            p.row,
            cols.index(p.field) if p.field in cols else -1,
        )

    return sorted(problems, key=key)


# --- import: writing -----------------------------------------------------------------------


def _parents_first(section: _Section, rows: list[_Row]) -> list[_Row]:
    """Id order, except a row whose parent has a higher id waits for it (FKs are immediate)."""
    tree = [c.name for c in section.references() if c.target == section.name]
    if not tree:
        return sorted(rows, key=lambda r: [r.values[n] for n in section.primary_key])
    by_id = {r.values["id"]: r for r in rows}
    placed: set[int] = set()
    ordered: list[_Row] = []

    def place(row: _Row) -> None:
        if row.values["id"] in placed:
            return
        placed.add(row.values["id"])
        for name in tree:
            parent = by_id.get(row.values[name])
            if parent is not None:
                place(parent)
        ordered.append(row)

    for row in sorted(rows, key=lambda r: r.values["id"]):
        place(row)
    return ordered


def _remapped(section: _Section, values: dict[str, Any], offsets: dict[str, int]) -> dict[str, Any]:
    out = dict(values)
    if section.has_id:
        out["id"] += offsets[section.name]
    for column in section.references():
        assert column.target is not None
        if out[column.name] is not None:
            out[column.name] += offsets[column.target]
    if section.model is Activity and out["entity_id"] is not None:
        out["entity_id"] += offsets.get(out["entity"], 0)
    return out


def import_json(ctx: Context, source: str | os.PathLike[str] | IO[Any]) -> ImportReport:
    """Add the portfolio in `source` to the database, or raise `TransferError` listing every
    problem and write nothing.

    Ids are shifted past the highest id already in each table, so an import into a database
    that has data never collides, and one into an empty database keeps the file's ids.
    """
    label, document = _read(source)
    _check_header(label, document)
    rows, problems = _check_file(document)
    with ctx.transaction() as tx:
        _check_database(tx.session, rows, problems)
        if problems:
            listed = _sorted_problems(problems)
            count = f"{len(listed):,} problem{'s' if len(listed) != 1 else ''}"
            raise TransferError(
                f"cannot import {label}: {count}, nothing was written:\n"
                + "\n".join(problem_lines(listed)),
                listed,
            )
        offsets = {
            s.name: int(tx.session.execute(select(func.max(s.table.c.id))).scalar() or 0)
            for s in SECTIONS
            if s.has_id
        }
        report = ImportReport(source=label)
        for section in INSERT_ORDER:
            batch = [
                _remapped(section, r.values, offsets)
                for r in _parents_first(section, rows[section.name])
            ]
            if batch:
                tx.session.execute(insert(section.table), batch)
            report.counts[section.key] = len(batch)
        report.counts = {s.key: report.counts[s.key] for s in SECTIONS}
        tx.log("portfolio", None, "import", summary=report.summary)
    return report
