"""Import of the whole portfolio from one `itpm-portfolio` JSON document, without loss.

The schema comes from the models (`portfolio_schema`); the export is `portfolio_export`
(re-exported here). An import reads the file once, a row at a time (`json_stream`), and
checks each batch of rows as it comes — shape, types, domain rules, references, unique keys,
clashes with the database — writing the rows that pass inside one transaction. A batch is
checked a column at a time first (`_bulk_columns`, `_Import.bulk`) and row by row only when
some row might break a rule (`_Import.row`), which names each problem. Every problem of the
file is reported at once, and any problem rolls the transaction back, so a bad file never
leaves half a portfolio behind. The format is described in docs/json-format.md.

A project whose status in the file is *closed* is imported as it stands: it is history,
closed where the file came from (its sign-off, override reason and activity log travel with
it), and an import only ever adds projects, never changes the status of one already here.
So the closing gate of `services.closing` is not applied to it, and a backup of projects
closed before sign-off was tracked still restores without loss.
"""

from __future__ import annotations

import difflib
import io
import json
import operator
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, partial
from itertools import repeat
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Boolean, func, insert, select
from sqlmodel import Session

from itpm_tui.domain.bulk import paused_gc
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
from itpm_tui.domain.limits import (
    CONTROLS,
    MULTILINE,
    MULTILINE_CONTROLS,
    TEXT_LIMITS,
    date_rule,
    has_control,
    text_rule,
)
from itpm_tui.domain.mail import ContactKind
from itpm_tui.domain.money import CURRENCY_DIGITS, check_currency, parse_amount
from itpm_tui.domain.people import PersonDraft, validate_person
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.stakeholders import StakeholderDraft, validate_contact
from itpm_tui.domain.tasks import TaskDraft, validate_link, validate_task
from itpm_tui.domain.validation import Checker, Problem, ValidationError, problem_lines
from itpm_tui.formats.input_file import MAX_IMPORT_BYTES, open_input
from itpm_tui.formats.json_stream import Elements, JSONStreamError, ObjectReader
from itpm_tui.formats.portfolio_cycles import cycle_problems
from itpm_tui.formats.portfolio_export import export_json as export_json
from itpm_tui.formats.portfolio_export import write_json as write_json
from itpm_tui.formats.portfolio_schema import (
    _BY_TABLE,
    _NAMES,
    FORMAT,
    INSERT_ORDER,
    SECTIONS,
    VERSION,
    RowProblem,
    TransferError,
    _Column,
    _Section,
)
from itpm_tui.queries.schedule import refresh_stored
from itpm_tui.services.context import Context
from itpm_tui.storage import bulk_load
from itpm_tui.storage.models import Activity
from itpm_tui.storage.types import FixedPoint

#: The largest magnitude a money or hours value may have (as the money forms allow).
MAX_DECIMAL = Decimal(10) ** 13
_MAX_INT = 2**63 - 1
_DECIMAL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK_RE = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")

# Closed vocabularies not already checked by a domain validator below.
_VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("ledgerentry", "kind"): EntryKind,
    ("risk", "category"): RiskCategory,
    ("risk", "response"): RiskResponse,
    ("risk", "status"): RiskStatus,
    ("changerequest", "status"): ChangeStatus,
    ("communicationentry", "channel"): Channel,
    ("communicationentry", "kind"): ContactKind,
}
#: Each table's vocabularies as lists of their values, built once.
_ALLOWED: dict[str, list[tuple[str, list[str]]]] = {
    s.name: [(n, [v.value for v in e]) for (t, n), e in _VOCABULARIES.items() if t == s.name]
    for s in SECTIONS
}
#: Each table's text columns: (column, most characters, what a control character matches,
#: multi-line) from `domain.limits`, so a row's texts cost one length and one search each.
_TEXTS: dict[str, list[tuple[str, int, re.Pattern[str], bool]]] = {
    s.name: [
        (
            n,
            TEXT_LIMITS[s.name][n],
            MULTILINE_CONTROLS if (s.name, n) in MULTILINE else CONTROLS,
            (s.name, n) in MULTILINE,
        )
        for n, c in s.columns.items()
        if c.kind == "str" and n in TEXT_LIMITS.get(s.name, {})
    ]
    for s in SECTIONS
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
_TABLE_ALIASES = {
    "project": {"working hours": "work_hours"},
    "task": {"notes": "description", "duration": "work_minutes"},
}


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


# --- import: reading and checking ---------------------------------------------------------


class _Object(dict[str, Any]):
    """A JSON object that had a key given twice (json keeps only the last)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of `pairs`; one that gave a key twice remembers which (cheap when none)."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    marked = _Object(obj)
    seen: set[str] = set()
    marked.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return marked


_MISSING = object()


class _Bad(Exception):
    """One value is unusable; the message is the reason shown to the user."""


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    bad: set[str]


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
    if kind == "clock":
        if not isinstance(raw, str) or not _CLOCK_RE.fullmatch(raw):
            raise _Bad(f"must be a time of day (HH:MM, e.g. 13:00), got {_shown(raw)}")
        return time.fromisoformat(raw)
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


#: Per section, each column with the JSON type its usual value has (a text column's str, a
#: number column's int), so the usual value is taken without a call; chosen once per section.
_PLANS: dict[str, list[tuple[str, _Column, type[Any] | None]]] = {}


def _plan(section: _Section) -> list[tuple[str, _Column, type[Any] | None]]:
    plan = _PLANS.get(section.name)
    if plan is None:
        usual = {"str": str, "int": int}
        plan = [(c.name, c, usual.get(c.kind)) for c in section.columns.values()]
        _PLANS[section.name] = plan
    return plan


def _decode(section: _Section, number: int, raw: Any, problems: list[RowProblem]) -> _Row | None:
    """Types and presence of every column of one row; each failure becomes a problem."""

    def fail(name: str, reason: str) -> None:
        problems.append(RowProblem(section.key, number, name, reason))

    if not isinstance(raw, dict):
        fail("", f"must be an object of column values, got {_shown(raw)}")
        return None
    values: dict[str, Any] = {}
    bad: set[str] = set()
    row = _Row(number, values, bad)
    if type(raw) is _Object:
        for name in raw.duplicates:
            fail(name, "appears more than once in the row")
            bad.add(name)
    columns = section.columns
    if not raw.keys() <= columns.keys():
        for name in raw:
            if name not in columns:
                close = difflib.get_close_matches(name, list(columns), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                fail(name, f"is not a column of {section.key}{hint}")
    get = raw.get
    for name, column, usual in _plan(section):
        # the usual cases first, without a call: text given as text, a number as a number
        value: Any = get(name, _MISSING)
        if (
            type(value) is usual
            and (usual is str or -_MAX_INT <= value <= _MAX_INT)
            and (not bad or name not in bad)
        ):
            values[name] = value
            continue
        if name in bad:
            values[name] = _placeholder(column)
            continue
        if value is _MISSING:
            if column.required:
                fail(name, "is required")
                bad.add(name)
            values[name] = _placeholder(column)
            continue
        try:
            if value is None and not column.nullable:
                raise _Bad("must not be null")
            values[name] = None if value is None else _load(column, value)
        except _Bad as exc:
            fail(name, str(exc))
            bad.add(name)
            values[name] = _placeholder(column)
    if section.has_id and "id" not in bad and values["id"] < 1:
        fail("id", f"must be 1 or more, got {values['id']}")
        bad.add("id")
    return row


# --- the rules of a row, each checked one row at a time or a whole column at once ---------
#
# An import checks a batch of rows column by column first (`_Import.bulk`): each rule below
# says whether every row of the batch keeps it (`holds`, conservative: False may be said of a
# batch that is fine). When any says False, the batch is checked row by row (`check`, which
# names each problem) — so both ways apply the same rules, declared once.


def _has_null(column: list[Any]) -> bool:
    """Whether a column holds a null: by identity, in C (`None in` asks each value's `==`,
    which for a `Decimal` is a Python-level check costing more than the rest of its row)."""
    return any(map(operator.is_, column, repeat(None)))


def _present(column: list[Any]) -> list[Any]:
    """A column's values but nulls (most columns have none: no copy then)."""
    return [v for v in column if v is not None] if _has_null(column) else column


@dataclass(frozen=True)
class _Required:
    """Text that must not be blank, of at most `most` characters (`Checker.required`)."""

    name: str
    most: int = 200

    def check(self, values: dict[str, Any], check: Checker) -> None:
        check.required(self.name, values[self.name], self.most)

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        texts = columns[self.name]
        return (
            None not in texts
            and all(map(str.strip, texts))
            and max(map(len, texts), default=0) <= self.most
            and not has_control("".join(texts))
        )


@dataclass(frozen=True)
class _Between:
    name: str
    low: int
    high: int

    def check(self, values: dict[str, Any], check: Checker) -> None:
        check.between(self.name, values[self.name], self.low, self.high)

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        numbers = _present(columns[self.name])
        return not numbers or (self.low <= min(numbers) and max(numbers) <= self.high)


@dataclass(frozen=True)
class _NotNegative:
    name: str

    def check(self, values: dict[str, Any], check: Checker) -> None:
        check.not_negative(self.name, values[self.name])

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        return min(_present(columns[self.name]), default=0) >= 0


@dataclass(frozen=True)
class _DateOrder:
    """`end` not before `start` when both are given (`Checker.date_order`)."""

    start: str
    end: str

    def check(self, values: dict[str, Any], check: Checker) -> None:
        check.date_order(self.start, values[self.start], self.end, values[self.end])

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        pairs = zip(columns[self.start], columns[self.end], strict=True)
        return not any(s is not None and e is not None and e < s for s, e in pairs)


@dataclass(frozen=True)
class _After:
    """`end` strictly after `start` when both are given."""

    start: str
    end: str

    def check(self, values: dict[str, Any], check: Checker) -> None:
        start, end = values[self.start], values[self.end]
        if start and end and end <= start:
            check.fail(self.end, f"must be after {self.start} ({start.isoformat()})")

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        pairs = zip(columns[self.start], columns[self.end], strict=True)
        return not any(s is not None and e is not None and e <= s for s, e in pairs)


@dataclass(frozen=True)
class _Differ:
    """Two references that must not be the same row (a task linked to itself)."""

    first: str
    second: str
    reason: str

    def check(self, values: dict[str, Any], check: Checker) -> None:
        if values[self.first] is not None and values[self.first] == values[self.second]:
            check.fail(self.second, self.reason)

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        return not any(map(operator.eq, columns[self.first], columns[self.second]))


_Rule = _Required | _Between | _NotNegative | _DateOrder | _After | _Differ

#: Rules the domain validators do not cover, by table, in the order they are reported.
_RULES: dict[str, tuple[_Rule, ...]] = {
    "project": (_DateOrder("baseline_start", "baseline_end"),),
    "task": (_DateOrder("baseline_start", "baseline_finish"),),
    "dependency": (
        _Differ("predecessor_id", "successor_id", "a task cannot depend on itself"),
        # a lag of part of a day (FS+4h), within the lag's ±365 working days of 24 hours
        _Between("lag_minutes", -365 * 24 * 60, 365 * 24 * 60),
    ),
    "downtimewindow": (_Required("title"), _After("starts_at", "ends_at")),
    "deliverable": (_Required("name"),),
    "risk": (
        _Required("title"),
        *(
            _Between(name, 1, 5)
            for name in ("probability", "impact", "residual_probability", "residual_impact")
        ),
    ),
    "changerequest": (
        _Required("title"),
        _Between("schedule_impact_days", -MAX_SCHEDULE_DAYS, MAX_SCHEDULE_DAYS),
    ),
    # The five standard categories or any the PM named, as the Budget screen allows.
    "budgetline": (_Required("category", MAX_CATEGORY),),
    "ledgerentry": (_Required("category", MAX_CATEGORY),),
    "progresssnapshot": (
        _Between("percent_complete", 0, 100),
        _NotNegative("remaining_hours"),
        _NotNegative("remaining_tasks"),
    ),
}


@dataclass(frozen=True)
class _Drafted:
    """A domain validator run on a row's draft; its normalised fields are written back."""

    draft: type[Any]
    validate: Callable[[Any], Any]

    @cached_property
    def names(self) -> list[str]:
        return [f.name for f in fields(self.draft)]

    def check(self, values: dict[str, Any]) -> None:
        names = self.names
        clean = self.validate(self.draft(**{n: values[n] for n in names}))
        values.update({n: getattr(clean, n) for n in names})

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        """Every row passes (its columns then hold the normalised values)."""
        names = self.names
        try:
            clean = list(map(self.validate, map(self.draft, *(columns[n] for n in names))))
        except ValidationError:
            return False
        for name in names:
            columns[name] = list(map(operator.attrgetter(name), clean))
        return True


@dataclass(frozen=True)
class _Linked:
    """A dependency's type and lag (`domain.tasks.validate_link`)."""

    def check(self, values: dict[str, Any]) -> None:
        validate_link(values["kind"], values["lag_days"])

    def holds(self, columns: dict[str, list[Any]]) -> bool:
        try:  # the rule reads the pair alone: each pair once
            for kind, lag in set(zip(columns["kind"], columns["lag_days"], strict=True)):
                validate_link(kind, lag)
        except ValidationError:
            return False
        return True


_VALIDATORS: dict[str, _Drafted | _Linked] = {
    "person": _Drafted(PersonDraft, validate_person),
    "project": _Drafted(ProjectDraft, validate_project),
    "task": _Drafted(TaskDraft, validate_task),
    "stakeholder": _Drafted(StakeholderDraft, validate_contact),
    "dependency": _Linked(),
}


def _check_domain(section: _Section, row: _Row, problems: list[RowProblem]) -> None:
    """Vocabularies, currencies and the domain rules; fields already bad are not re-reported."""
    table, values = section.name, row.values
    check = Checker()
    # The text rules first, on the values as the file gives them: one rule for every text
    # column (`domain.limits`), whatever the validators below check of it.
    for name, limit, controls, multiline in _TEXTS[table]:
        value = values[name]
        if isinstance(value, str) and (len(value) > limit or controls.search(value)):
            check.fail(name, text_rule(value, limit, multiline=multiline) or "")
    texts = len(check.problems)
    for name, allowed in _ALLOWED[table]:
        value = values[name]
        if value is not None and value not in allowed:
            check.one_of(name, value, allowed)
    for name in _CURRENCY_COLUMNS.get(table, ()):
        try:
            values[name] = check_currency(values[name], name)
        except ValidationError as exc:
            check.problems += exc.problems
    for rule in _RULES.get(table, ()):
        rule.check(values, check)
    found: list[Problem] = list(check.problems)
    if validator := _VALIDATORS.get(table):
        try:
            validator.check(values)
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


#: Amounts in the currency of the row's project: table → (column, may it be 0).
_PROJECT_AMOUNTS = {
    "ledgerentry": ("amount", False),
    "budgetline": ("amount", True),
    "changerequest": ("cost_impact", True),
}


# --- a batch of rows checked a column at a time ---------------------------------------------
#
# A portfolio's rows are nearly always fine, so a batch is first checked column by column,
# mostly inside C (`set(map(type, ...))`, one search of the joined texts, `min`/`max`, a
# pattern mapped over the column): each test below is one the row-by-row path makes, in a
# stricter form where that makes it cheaper. A batch that passes them all is exactly what the
# row-by-row path would accept, with the same values; one that fails any is checked again
# row by row (`_Import.row`), which names every problem — so no rule is skipped, and a
# message never depends on which path found it.

#: Decimals given as text with at most `scale` places and 13 digits before the point: exact,
#: within `MAX_DECIMAL` and of the column's scale, as `_load_decimal` requires.
_EXACT: dict[int, re.Pattern[str]] = {
    scale: re.compile(r"-?[0-9]{1,13}" + (rf"(?:\.[0-9]{{1,{scale}}})?" if scale else ""))
    for scale in range(8)
}
#: The kinds a column may have for its batch to be checked a column at a time.
#: A currency's smallest unit by its minor digits.
_QUANTA = {digits: Decimal(1).scaleb(-digits) for digits in set(CURRENCY_DIGITS.values())}
_BULK_KINDS = frozenset({"str", "int", "bool", "decimal", "date", "clock"})
_PATTERNS = {"date": _DATE_RE, "clock": _CLOCK_RE}


def _lines_of(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Lines each of which `pattern` matches whole (it never matches a line break): a
    column's texts joined by line breaks are checked by one call, not one a value."""
    return re.compile(rf"(?:(?:{pattern.pattern})\n)*(?:{pattern.pattern})")


_LINES = {
    **{("decimal", scale): _lines_of(pattern) for scale, pattern in _EXACT.items()},
    **{(kind, 0): _lines_of(pattern) for kind, pattern in _PATTERNS.items()},
}
_CONVERT: dict[str, Callable[[str], Any]] = {
    "decimal": Decimal,
    "date": date.fromisoformat,
    "clock": time.fromisoformat,
}
_NONE = type(None)
#: The kinds `_typed` takes as the file gives them (it converts the others in place).
_AS_GIVEN = frozenset({"str", "int", "bool"})


def _typed(column: _Column, values: list[Any], given: list[Any]) -> bool:
    """Whether each value of a column is what `_load` accepts unchanged (or null where the
    column allows it); a decimal, date or clock column's `values` are then converted in
    place."""
    kinds = set(map(type, given))
    if _NONE in kinds:
        if not column.nullable:
            return False
        kinds.discard(_NONE)
        given = [v for v in given if v is not None]
    kind = column.kind
    if kind == "str":
        return kinds <= {str}
    if kind == "bool":
        return kinds <= {bool}
    if kind == "int":
        return kinds <= {int} and (not given or -_MAX_INT <= min(given) <= max(given) <= _MAX_INT)
    if not kinds <= {str}:
        return False
    if given:  # each text whole, as `_load` matches it (a text with a line break is not)
        lines = "\n".join(given)
        pattern = _LINES[kind, column.scale if kind == "decimal" else 0]
        if lines.count("\n") != len(given) - 1 or not pattern.fullmatch(lines):
            return False
    convert = _CONVERT[kind]
    try:
        if len(given) == len(values):  # no nulls: the whole column in C
            values[:] = map(convert, values)
        else:
            values[:] = [None if v is None else convert(v) for v in values]
    except ValueError:
        return False
    if kind == "date" and given:
        days = _present(values)
        return date_rule(min(days)) is None and date_rule(max(days)) is None
    return True


def _bulk_columns(section: _Section, batch: list[Any]) -> dict[str, list[Any]] | None:
    """The batch's values column by column, as `_decode` and `_check_domain` would make them
    — or None when any row might break a rule (then the rows are checked one by one)."""
    columns = section.columns
    if any(c.kind not in _BULK_KINDS for c in columns.values()):
        return None
    if set(map(type, batch)) != {dict} or set(map(len, batch)) != {len(columns)}:
        return None  # not objects, a key given twice, or not exactly the columns
    out: dict[str, list[Any]] = {}
    try:
        for name, column in columns.items():
            given = list(map(operator.itemgetter(name), batch))
            # a copy to convert in place; text, numbers and flags are taken as given
            out[name] = values = given if column.kind in _AS_GIVEN else list(given)
            if not _typed(column, values, given):
                return None
    except KeyError:  # a column missing, so another given
        return None
    if section.has_id and min(out["id"]) < 1:
        return None
    table = section.name
    for name, limit, _, multiline in _TEXTS[table]:
        texts = _present(out[name])
        if max(map(len, texts), default=0) > limit or has_control(
            "".join(texts), multiline=multiline
        ):
            return None
    for name, allowed in _ALLOWED[table]:
        if not set(_present(out[name])) <= set(allowed):
            return None
    for name in _CURRENCY_COLUMNS.get(table, ()):
        if not set(out[name]) <= CURRENCY_DIGITS.keys():  # as `check_currency` leaves them
            return None
    if not all(rule.holds(out) for rule in _RULES.get(table, ())):
        return None
    validator = _VALIDATORS.get(table)
    if validator is not None and not validator.holds(out):
        return None
    return out


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


def _parents_first(section: _Section, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Id order, except a row whose parent has a higher id waits for it (FKs are immediate)."""
    tree = [c.name for c in section.references() if c.target == section.name]
    by_id = {r["id"]: r for r in rows}
    placed: set[int] = set()
    ordered: list[dict[str, Any]] = []

    def place(row: dict[str, Any]) -> None:
        if row["id"] in placed:
            return
        placed.add(row["id"])
        for name in tree:
            parent = by_id.get(row[name])
            if parent is not None:
                place(parent)
        ordered.append(row)

    for row in sorted(rows, key=lambda r: r["id"]):
        place(row)
    return ordered


def _each(convert: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    return list(map(convert, values))


#: One parameter of an INSERT: column, conversion of one value for the driver (or None), id
#: shift, and conversion of a whole column of them checked by `_bulk_columns` (or None:
#: `map` the one-value conversion).
_Parameter = tuple[str, Callable[[Any], Any] | None, int, Callable[[list[Any]], list[Any]] | None]


@dataclass(frozen=True)
class _Insert:
    """One section's INSERT as the driver reads it, and for each of its parameters in order:
    the column, its type's own conversion (as Core would apply it) and the id shift."""

    sql: str
    parameters: list[_Parameter]

    @cached_property
    def of_row(self) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """A checked row as the statement's parameters: the plain columns taken in one C
        call and only the shifted or converted ones touched in Python."""
        names = [name for name, _, _, _ in self.parameters]
        take: Callable[[dict[str, Any]], Any] = operator.itemgetter(*names)
        if len(names) == 1:  # itemgetter of one name gives the value, not a tuple of it
            take = lambda values: (values[names[0]],)  # noqa: E731
        work = [
            (i, bind, shift)
            for i, (_, bind, shift, _) in enumerate(self.parameters)
            if bind or shift
        ]

        def parameters(values: dict[str, Any]) -> tuple[Any, ...]:
            out = list(take(values))
            for i, bind, shift in work:
                value = out[i]
                if value is not None:
                    if shift:
                        value += shift
                    if bind is not None:
                        value = bind(value)
                    out[i] = value
            return tuple(out)

        return parameters

    def of_columns(self, columns: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
        """The parameters of a batch checked column by column (`_bulk_columns`): each
        column shifted and converted as a whole, the rows zipped from them in C."""
        out = []
        for name, bind, shift, bind_all in self.parameters:
            values = columns[name]
            if shift:
                values = [v if v is None else v + shift for v in values]
            if bind is not None:
                if _has_null(values):
                    values = [v if v is None else bind(v) for v in values]
                elif bind_all is not None:
                    values = bind_all(values)
                else:
                    values = list(map(bind, values))
            out.append(values)
        return list(zip(*out, strict=True))


def _entity_shifted(
    section: _Section, values: dict[str, Any], offsets: dict[str, int]
) -> dict[str, Any]:
    """An activity entry's entity id moved as its entity's ids are (not a foreign key)."""
    if section.model is Activity and values["entity_id"] is not None:
        values = dict(values)
        values["entity_id"] += offsets.get(values["entity"], 0)
    return values


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


# --- import: one pass over the file --------------------------------------------------------

#: Rows written to the database at a time.
BATCH = 2_000
#: Called with (section key, rows of it read, bytes of the file read, size of the file).
Progress = Callable[[str, int, int, int], None]


@dataclass
class _Tree:
    """A table's rows that point at the same table (a task's parent), checked at the end."""

    column: str
    rows: list[tuple[int, int, Any, Any, bool]] = field(default_factory=list)
    #: id → (parent id, project id) of rows whose id is usable
    by_id: dict[int, tuple[Any, Any]] = field(default_factory=dict)


class _Import:
    """The checks of every row as it is read, and the rows written in batches while none
    has failed (the transaction is rolled back if any does, so nothing is written).

    What a row can only be checked against rows later in the file (a reference to a row not
    read yet, an amount whose project comes later, a task's parents) waits in small lists
    and is checked at the end, so any order of sections and rows is read alike.
    """

    def __init__(self, session: Session, progress: Progress | None, size: int) -> None:
        self.session = session
        self.connection = session.connection()
        self.problems: list[RowProblem] = []
        self.progress = progress
        self.size = size
        self.read_bytes = 0
        self.at = ("", 0)  # the section being read and its rows so far, for `progress`
        self.offsets = {
            s.name: int(session.execute(select(func.max(s.table.c.id))).scalar() or 0)
            for s in SECTIONS
            if s.has_id
        }
        self.ids: dict[str, set[int]] = {s.name: set() for s in SECTIONS if s.has_id}
        self.unique: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], int]] = {}
        self.refs = {s.name: s.references() for s in SECTIONS}
        self.statements: dict[str, _Insert | None] = {}
        self.taken: dict[str, list[tuple[str, set[Any]]]] = {}
        for section in SECTIONS:  # codes and handles: ids are remapped, names are not
            for names in section.unique_keys:
                if len(names) == 1 and names != section.primary_key:
                    stored = section.table.c[names[0]]
                    found = session.execute(select(stored)).scalars()
                    taken = {_norm(v) for v in found}
                    self.taken.setdefault(section.name, []).append((names[0], taken))
        self.pending_refs: list[tuple[_Section, int, _Column, Any]] = []
        self.trees: dict[str, _Tree] = {}
        for section in SECTIONS:
            for column in section.references():
                if column.target == section.name:
                    self.trees[section.name] = _Tree(column.name)
        self.currency: dict[Any, Any] = {}
        self.pending_amounts: list[tuple[_Section, int, str, Any, Any, bool]] = []
        self.counts: dict[str, int] = {}
        self.read: set[str] = set()  # sections read whole
        self.written: set[str] = set()  # sections read whole and written
        self.held: dict[str, list[dict[str, Any]]] = {}  # rows to write at the end

    # --- one section --------------------------------------------------------------------------

    def section(self, section: _Section, raw_rows: Any) -> None:
        if not isinstance(raw_rows, Elements):
            self.problems.append(
                RowProblem(section.key, 0, "", f"must be a list of rows, got {_shown(raw_rows)}")
            )
            return
        targets = {c.target for c in section.references()} - {section.name}
        direct = targets <= self.written  # else the rows wait for what they point at
        tree = self.trees.get(section.name)
        placed: set[int] = set()  # ids written so far (a tree's rows wait for their parent)
        waiting: list[dict[str, Any]] = []
        batch: list[dict[str, Any]] = []
        number = 0
        while chunk := raw_rows.take(BATCH):
            first, number = number + 1, number + len(chunk)
            if self.progress is not None:
                self.at = (section.key, number)
                self.progress(section.key, number, self.read_bytes, self.size)
            if direct and not self.problems:
                checked = self.bulk(section, chunk, first, placed)
                if checked is not None:
                    self.write(section, batch)  # the rows before these go first
                    self.connection.exec_driver_sql(checked[0], checked[1])
                    continue
            for at, raw in enumerate(chunk, start=first):
                values = self.row(section, at, raw)
                if values is None or self.problems:
                    batch.clear()
                    continue
                if not direct:
                    self.held.setdefault(section.name, []).append(values)
                    continue
                if tree is not None:
                    parent = values[tree.column]
                    if parent is not None and parent not in placed:
                        waiting.append(values)
                        continue
                    placed.add(values["id"])
                batch.append(values)
                if len(batch) >= BATCH:
                    self.write(section, batch)

        self.counts[section.key] = self.counts.get(section.key, 0) + number
        self.read.add(section.name)
        self._settle(section.name)
        if self.problems or not direct:
            return
        self.write(section, batch)
        if waiting:
            self.write(section, _parents_first(section, waiting))
        self.written.add(section.name)

    def write(self, section: _Section, batch: list[dict[str, Any]]) -> None:
        if not batch:
            return
        statement = self.statement(section)
        if statement is None:  # a driver without positional parameters: Core does it all
            rows = [_remapped(section, v, self.offsets) for v in batch]
            self.connection.execute(insert(section.table), rows)
        else:
            rows = batch
            if section.model is Activity:
                rows = [_entity_shifted(section, v, self.offsets) for v in batch]
            parameters = statement.of_row
            self.connection.exec_driver_sql(statement.sql, [parameters(v) for v in rows])
        batch.clear()

    def statement(self, section: _Section) -> _Insert | None:
        """The section's INSERT (made once), or None for a driver without positional
        parameters."""
        if section.name not in self.statements:
            self.statements[section.name] = self._statement(section)
        return self.statements[section.name]

    def _statement(self, section: _Section) -> _Insert | None:
        dialect = self.connection.dialect
        compiled = insert(section.table).compile(dialect=dialect, column_keys=list(section.columns))
        if compiled.positiontup is None:
            return None
        shifts = {c.name: self.offsets[c.target] for c in self.refs[section.name] if c.target}
        if section.has_id:
            shifts["id"] = self.offsets[section.name]
        columns: list[_Parameter] = []
        for name in compiled.positiontup:
            kind = section.table.c[name].type
            bind: Callable[[Any], Any] | None = kind.bind_processor(dialect)
            column = section.columns.get(name)
            if bind is None and dialect.name == "sqlite" and column and column.kind == "date":
                bind = date.isoformat  # what sqlite3's own adapter calls, in C
            elif bind is None and column and column.kind == "clock":  # SQLite stores it as text
                bind = kind.dialect_impl(dialect).bind_processor(dialect)
            bind_all: Callable[[list[Any]], list[Any]] | None = None
            if isinstance(kind, FixedPoint):
                bind_all = kind.bind_column
            elif isinstance(kind, Boolean) and bind is not None:  # as Core's, checked bools
                bind_all = partial(_each, bool if dialect.supports_native_boolean else int)
            columns.append((name, bind, shifts.get(name, 0), bind_all))
        return _Insert(str(compiled), columns)

    def finish(self) -> None:
        """The checks that needed the whole file; then the rows that waited, if all is well."""
        self._settle(None)
        for name, tree in self.trees.items():
            self._check_tree(_BY_TABLE[name], tree)
        for section, number, name, value, project, zero in self.pending_amounts:
            code = self.currency.get(project)
            if code in CURRENCY_DIGITS:
                self._amount(section, number, name, value, code, zero)
        if self.problems:
            return
        for section in INSERT_ORDER:
            rows = self.held.pop(section.name, [])
            if section.name in self.trees:
                rows = _parents_first(section, rows)
            for start in range(0, len(rows), BATCH):
                self.write(section, rows[start : start + BATCH])

    # --- a batch of rows at once ---------------------------------------------------------------

    def bulk(
        self, section: _Section, chunk: list[Any], first: int, placed: set[int]
    ) -> tuple[str, list[tuple[Any, ...]]] | None:
        """The INSERT and its parameters for a batch (rows `first`… of the section) whose
        every row passes, checked a column at a time and recorded as `row` records a row;
        None (and nothing recorded) when any row might not: then each is checked by `row`.
        `placed` holds the ids written so far, for a table whose rows point at its own."""
        name = section.name
        statement = self.statement(section)
        if section.model is Activity or statement is None:
            return None
        columns = _bulk_columns(section, chunk)
        if columns is None:
            return None
        keys: list[tuple[tuple[str, ...], list[tuple[Any, ...]]]] = []
        for names in section.unique_keys:
            parts = [columns[n] for n in names]
            if any(map(_has_null, parts)):
                return None
            made = list(zip(*(self._normed(section, n, columns) for n in names), strict=True))
            seen = self.unique.get((name, names), {})
            if len(set(made)) != len(made) or not seen.keys().isdisjoint(made):
                return None
            keys.append((names, made))
        for column_name, taken in self.taken.get(name, ()):
            if not taken.isdisjoint(self._normed(section, column_name, columns)):
                return None
        for column in self.refs[name]:
            assert column.target is not None
            if column.target == name:
                continue  # the tree's, below
            known = self.ids[column.target]
            if column.target not in self.read or not known.issuperset(
                _present(columns[column.name])
            ):
                return None
        tree = self.trees.get(name)
        if tree is not None:
            earlier: set[int] = set()  # a parent is written before its children
            for row_id, parent in zip(columns["id"], columns[tree.column], strict=True):
                if parent is not None and parent not in placed and parent not in earlier:
                    return None
                earlier.add(row_id)
        if amount := _PROJECT_AMOUNTS.get(name):
            column_name, zero = amount
            if not self._amounts_hold(columns["project_id"], columns[column_name], zero):
                return None
        # every row passes: what `row` remembers of each, for the rows still to come
        numbers = range(first, first + len(chunk))
        for names, made in keys:
            self.unique.setdefault((name, names), {}).update(zip(made, numbers, strict=True))
        if section.has_id:
            self.ids[name].update(columns["id"])
        if tree is not None:
            ids, parents = columns["id"], columns[tree.column]
            projects = columns.get("project_id") or [None] * len(ids)
            fine = repeat(False, len(ids))  # no row's parent is bad
            tree.rows.extend(zip(numbers, ids, parents, projects, fine, strict=True))
            tree.by_id.update(zip(ids, zip(parents, projects, strict=True), strict=True))
            placed.update(ids)
        if name == "project":
            self.currency.update(zip(columns["id"], columns["currency"], strict=True))
        return statement.sql, statement.of_columns(columns)

    @staticmethod
    def _normed(section: _Section, name: str, columns: dict[str, list[Any]]) -> list[Any]:
        """A column as unique keys compare it (`_norm`: text trimmed and case-folded)."""
        values = columns[name]
        if section.columns[name].kind != "str":
            return values
        return list(map(str.casefold, map(str.strip, values)))

    def _amounts_hold(self, projects: list[Any], amounts: list[Any], zero: bool) -> bool:
        """Every amount within its project's currency's minor units (what `_amount` checks
        with `parse_amount`: the amount is its own rounding to them), and not 0 unless
        allowed; False too when a project's currency is not known yet."""
        quanta = {}
        for project in set(projects):
            code = self.currency.get(project)
            if code not in CURRENCY_DIGITS:
                return False
            quanta[project] = _QUANTA[CURRENCY_DIGITS[code]]
        rounded = list(map(Decimal.quantize, amounts, map(quanta.__getitem__, projects)))
        return amounts == rounded and (zero or all(amounts))  # (a Decimal is true but 0)

    # --- one row ------------------------------------------------------------------------------

    def row(self, section: _Section, number: int, raw: Any) -> dict[str, Any] | None:
        """The row's checked values, or None (its problems are listed)."""
        before = len(self.problems)
        row = _decode(section, number, raw, self.problems)
        if row is None:
            return None
        _check_domain(section, row, self.problems)
        values, bad = row.values, row.bad
        for names in section.unique_keys:
            self._unique(section, row, names)
        if section.has_id and "id" not in bad:
            self.ids[section.name].add(values["id"])
        for column in self.refs[section.name]:
            value = values[column.name]
            if value is None or column.name in bad:
                continue
            assert column.target is not None
            if value not in self.ids[column.target]:
                if column.target in self.read:  # its ids are all known: missing for good
                    self._missing(section, number, column, value)
                else:
                    self.pending_refs.append((section, number, column, value))
        if (tree := self.trees.get(section.name)) is not None:
            parent, project = values[tree.column], values.get("project_id")
            tree.rows.append((number, values["id"], parent, project, tree.column in bad))
            if "id" not in bad:
                tree.by_id[values["id"]] = (parent, project)
        if section.name == "project" and not {"id", "currency"} & bad:
            self.currency[values["id"]] = values["currency"]
        if amount := _PROJECT_AMOUNTS.get(section.name):
            name, zero = amount
            if name not in bad and isinstance(values[name], Decimal):
                project = values["project_id"]
                if project in self.currency:
                    code = self.currency[project]
                    if code in CURRENCY_DIGITS:
                        self._amount(section, number, name, values[name], code, zero)
                else:
                    self.pending_amounts.append(
                        (section, number, name, values[name], project, zero)
                    )
        for name, taken in self.taken.get(section.name, ()):
            if name not in bad and _norm(values[name]) in taken:
                self.problems.append(
                    RowProblem(
                        section.key,
                        number,
                        name,
                        f"{section.singular} {name} '{values[name]}' already exists in the "
                        "database; rename it in the file or import into another database",
                    )
                )
        return values if len(self.problems) == before else None

    def _missing(self, section: _Section, number: int, column: _Column, value: Any) -> None:
        assert column.target is not None
        target = _BY_TABLE[column.target].key
        reason = f"refers to {target} id {value}, which is not in the file"
        self.problems.append(RowProblem(section.key, number, column.name, reason))

    def _settle(self, table: str | None) -> None:
        """Check the references waiting for `table`'s rows (None: for any) now all are read."""
        waiting = []
        for section, number, column, value in self.pending_refs:
            assert column.target is not None
            if table is not None and column.target != table:
                waiting.append((section, number, column, value))
            elif value not in self.ids[column.target]:
                self._missing(section, number, column, value)
        self.pending_refs = waiting

    def _unique(self, section: _Section, row: _Row, names: tuple[str, ...]) -> None:
        if row.bad and row.bad.intersection(names):
            return
        if len(names) == 1:  # the usual case (an id, a code), without a generator per row
            value = row.values[names[0]]
            if value is None:
                return  # NULLs never clash
            key: tuple[Any, ...] = (_norm(value),)
        else:
            key = tuple(_norm(row.values[n]) for n in names)
            if None in key:
                return  # NULLs never clash
        seen = self.unique.setdefault((section.name, names), {})
        first = seen.setdefault(key, row.number)
        if first == row.number:
            return
        shown = ", ".join(str(row.values[n]) for n in names)
        what = f"{names[0]} '{shown}'" if len(names) == 1 else f"({', '.join(names)}) = ({shown})"
        if names == ("id",):
            what = f"id {shown}"
        reason = f"duplicate {what}, already in row {first}"
        self.problems.append(RowProblem(section.key, row.number, names[-1], reason))

    def _amount(
        self, section: _Section, number: int, name: str, value: Decimal, code: str, zero: bool
    ) -> None:
        """Within the currency's minor units (`domain.money.parse_amount`, as the forms and
        the ledger CSV read them), and a ledger entry's not 0, as its form requires."""
        try:
            parse_amount(value, code, name)
        except ValidationError as exc:
            self.problems.append(RowProblem(section.key, number, name, exc.rule))
            return
        if not zero and value == 0:
            self.problems.append(RowProblem(section.key, number, name, "must not be 0"))

    def _check_tree(self, section: _Section, tree: _Tree) -> None:
        """A row pointing at its own table (a task's parent): same project, and no loops."""
        known = self.ids.get("project", set())
        for number, row_id, parent_id, project, parent_bad in tree.rows:
            parent = tree.by_id.get(parent_id) if parent_id is not None else None
            if parent is None or parent_bad:
                continue
            theirs = parent[1]
            if project in known and theirs in known and theirs != project:
                self.problems.append(
                    RowProblem(
                        section.key,
                        number,
                        tree.column,
                        f"{section.singular} {parent_id} belongs to another project "
                        f"(project id {theirs})",
                    )
                )
            seen = {row_id}
            here: Any = parent_id
            while here is not None and here in tree.by_id:
                if here in seen:
                    if here == row_id:
                        self.problems.append(
                            RowProblem(
                                section.key,
                                number,
                                tree.column,
                                f"makes {section.singular} {row_id} its own ancestor (a loop)",
                            )
                        )
                    break
                seen.add(here)
                here = tree.by_id[here][0]


def import_json(
    ctx: Context, source: str | os.PathLike[str] | IO[Any], progress: Progress | None = None
) -> ImportReport:
    """Add the portfolio in `source` to the database, or raise `TransferError` listing every
    problem and write nothing.

    Ids are shifted past the highest id already in each table, so an import into a database
    that has data never collides, and one into an empty database keeps the file's ids. The
    file is read once, row by row; `progress` (if given) hears how far it got.
    """
    handle, label, size = _open(source)
    with handle, ctx.transaction() as tx:
        work = _Import(tx.session, progress, size)

        def read(n: int) -> None:
            work.read_bytes = n
            if n > MAX_IMPORT_BYTES:
                raise TransferError(
                    f"cannot import {label}: it holds more than the {MAX_IMPORT_BYTES:,} bytes "
                    "an import may"
                )
            if progress is not None:
                progress(*work.at, n, size)

        decoder = json.JSONDecoder(
            object_pairs_hook=_object, parse_float=Decimal, parse_constant=Decimal
        )
        reader = ObjectReader(handle, decoder, read)
        # every row goes to a project of the file: the per-row triggers wait (`bulk_load`)
        with paused_gc(), bulk_load.roomy_cache(work.connection):
            with bulk_load.new_projects(work.connection, work.offsets["project"]):
                header = _read_all(reader, label, work)
                _check_header(label, header)
                work.finish()
                if not work.problems:
                    work.problems = cycle_problems(work.connection, work.offsets)
                if work.problems:
                    listed = _sorted_problems(work.problems)
                    count = f"{len(listed):,} problem{'s' if len(listed) != 1 else ''}"
                    raise TransferError(
                        f"cannot import {label}: {count}, nothing was written:\n"
                        + "\n".join(problem_lines(listed)),
                        listed,
                    )
            refresh_stored(tx.session)  # the new projects' schedules, in the same roomy cache
        report = ImportReport(source=label)
        report.counts = {s.key: work.counts.get(s.key, 0) for s in SECTIONS}
        tx.log("portfolio", None, "import", summary=report.summary)
    return report


def _open(source: str | os.PathLike[str] | IO[Any]) -> tuple[IO[bytes], str, int]:
    """The file to read as bytes, how messages name it, and its size (0 if unknown)."""
    if isinstance(source, str | os.PathLike):
        handle = open_input(Path(source), TransferError)
        return handle, str(source), os.fstat(handle.fileno()).st_size
    label = str(getattr(source, "name", "<stream>"))
    data = source.read()
    data = data.encode("utf-8") if isinstance(data, str) else data
    return io.BytesIO(data), label, len(data)


def _read_all(reader: ObjectReader, label: str, work: _Import) -> Any:
    """Read the file through, checking (and writing) each section's rows; the header keys
    (format, version, exported_at) are returned as a dict, or the value the file holds when
    it is not an object."""
    try:
        if reader.is_object():
            header: dict[str, Any] = {}
            seen: set[str] = set()
            keys = [s.key for s in SECTIONS]
            by_key = {s.key: s for s in SECTIONS}
            for key, value in reader.items():
                if key in seen:
                    work.problems.append(
                        RowProblem(key, 0, "", "appears more than once in the file")
                    )
                seen.add(key)
                if key in by_key:
                    work.section(by_key[key], value)
                elif key in ("format", "version", "exported_at"):
                    header[key] = list(value) if isinstance(value, Elements) else value
                else:
                    close = difflib.get_close_matches(key, keys, n=1)
                    hint = f"; did you mean {close[0]}?" if close else ""
                    work.problems.append(
                        RowProblem(key, 0, "", f"is not a section of the format{hint}")
                    )
            return header
        return reader.whole()
    except JSONStreamError as exc:
        if exc.offset >= 0:
            raise TransferError(
                f"cannot import {label}: not UTF-8 text (bad byte at offset {exc.offset})"
            ) from None
        if reader.empty:
            raise TransferError(f"cannot import {label}: the file is empty") from None
        raise TransferError(
            f"cannot import {label}: not valid JSON — {exc.msg} "
            f"at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise TransferError(f"cannot import {label}: JSON nested too deeply") from None
