"""Ledger entries from a bank or accounting CSV export.

`read_ledger_csv` reads the file into one draft per row without touching the database;
`import_ledger_csv` hands them to `services.ledger.import_entries`, which checks them against
the project's categories and stores a clean file in one transaction with one activity entry.
Every bad row is reported at once as (line, field, reason). The column mapping and
number/date rules are described in docs/ledger-csv.md.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.ledger import EntryDraft
from itpm_tui.domain.validation import Problem, ValidationError, problem_lines
from itpm_tui.errors import ItpmError
from itpm_tui.formats.input_file import read_input

if TYPE_CHECKING:
    from itpm_tui.services.context import Context

#: Our field → the header names (normalised: lower case, single spaces) that mean it.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "posting date", "transaction date"),
    "amount": ("amount", "value", "net amount"),
    "debit": ("debit",),
    "credit": ("credit",),
    "vendor": ("vendor", "supplier", "payee", "merchant", "counterparty"),
    "description": ("description", "memo", "details", "narrative", "text"),
    "category": ("category", "cost category"),
    "kind": ("kind", "status"),
    "invoice": ("invoice", "invoice ref", "invoice number", "reference"),
}
_BY_HEADER = {name: key for key, names in COLUMN_SYNONYMS.items() for name in names}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
_US_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_EU_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


class LedgerCsvError(ItpmError):
    """The CSV file cannot be imported; nothing was written.

    `problems` lists every bad row; it is empty when the file as a whole is unusable
    (missing, empty, no header, a required column missing).
    """

    def __init__(self, message: str, problems: list[CsvProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One broken rule on one line of the file (line 1 is the header)."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.reason}"


@dataclass
class CsvReport:
    """What an import added: `rows` entries, and their sum per kind (credits subtract)."""

    source: str
    rows: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)
    currency: str = ""

    @property
    def summary(self) -> str:
        noun = "entry" if self.rows == 1 else "entries"
        return f"imported {self.rows} ledger {noun} from {self.source}"


def _header_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse_date(text: str) -> date:
    value = text.strip()
    if not value:
        raise ValidationError("date", "is required")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        "date", f"'{value}' is not a date; use YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY"
    )


def _normalise_amount(text: str, european: bool, field: str) -> str:
    """Turn the file's number into plain ``-1234.50`` text (the sign is kept)."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "")
    sign = ""
    if value and value[0] in "+-":
        sign, value = ("-" if value[0] == "-" else ""), value[1:]
    if european:
        if "," in value:
            value = value.replace(".", "").replace(",", ".", 1)
            if "," in value:
                raise ValidationError(field, f"'{text}' is not an amount (e.g. 1.234,50)")
        elif _EU_GROUPED.fullmatch(value):
            value = value.replace(".", "")
    elif "," in value:
        if not _US_GROUPED.fullmatch(value):
            raise ValidationError(
                field,
                f"'{text}' is not an amount: in a comma or tab separated file the comma "
                "groups thousands (1,234.50) and the point marks decimals",
            )
        value = value.replace(",", "")
    return sign + value


def _read_text(path: Path, label: str) -> str:
    data = read_input(path, LedgerCsvError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LedgerCsvError(
            f"cannot import {label}: not UTF-8 text (bad byte at offset {exc.start}); "
            "save it as 'CSV UTF-8'"
        ) from None
    if not text.strip():
        raise LedgerCsvError(f"cannot import {label}: the file is empty")
    return text


def _map_header(header: list[str], label: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _BY_HEADER.get(_header_key(name))
        if key is None:
            continue
        if key in columns:
            raise LedgerCsvError(
                f"cannot import {label}: columns '{header[columns[key]].strip()}' and "
                f"'{name.strip()}' both give the {key}; keep one"
            )
        columns[key] = index
    if not columns:
        raise LedgerCsvError(
            f"cannot import {label}: the first line must be a header naming the columns "
            "(date, amount or debit/credit, vendor or description, category, kind, invoice); "
            f"found {', '.join(repr(h.strip()) for h in header[:6])}"
        )
    return columns


def _check_columns(columns: dict[str, int], label: str, default_category: str | None) -> None:
    missing = []
    if "date" not in columns:
        missing.append("date (or booking date, posting date, transaction date)")
    if "amount" not in columns and "debit" not in columns and "credit" not in columns:
        missing.append("amount (or value, net amount) or debit/credit")
    if "vendor" not in columns and "description" not in columns:
        missing.append("vendor or description")
    if "category" not in columns and default_category is None:
        missing.append("category (or pass a default category)")
    if missing:
        raise LedgerCsvError(
            f"cannot import {label}: missing required column{'s' if len(missing) > 1 else ''}: "
            + "; ".join(missing)
        )
    if "amount" in columns and ("debit" in columns or "credit" in columns):
        raise LedgerCsvError(
            f"cannot import {label}: has both an amount column and debit/credit columns; "
            "keep one way of giving amounts"
        )


def _row_draft(
    cells: list[str], columns: dict[str, int], european: bool
) -> tuple[EntryDraft, list[Problem]]:
    """The draft a row describes (no category: the default one), and the problems found
    reading its cells."""
    problems: list[Problem] = []

    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    entry_date: date | None = None
    try:
        entry_date = _parse_date(cell("date"))
    except ValidationError as exc:
        problems += exc.problems

    amount_text, credit = "", False
    try:
        if "amount" in columns:
            amount_text = _normalise_amount(cell("amount"), european, "amount")
            if amount_text.startswith("-"):
                amount_text, credit = amount_text[1:], True
        else:
            debit = _normalise_amount(cell("debit"), european, "amount") if cell("debit") else ""
            credit_text = (
                _normalise_amount(cell("credit"), european, "amount") if cell("credit") else ""
            )
            if debit and credit_text:
                raise ValidationError("amount", "fill the debit or the credit column, not both")
            amount_text, credit = (debit, False) if debit else (credit_text, bool(credit_text))
            if amount_text.startswith("-"):
                raise ValidationError(
                    "amount", "debit and credit amounts must be positive; the column gives the sign"
                )
    except ValidationError as exc:
        problems += exc.problems
        amount_text = "1"  # keep validating the other fields

    draft = EntryDraft(
        entry_date=entry_date,
        vendor=cell("vendor"),
        category=cell("category"),
        description=cell("description"),
        amount=amount_text,
        kind=cell("kind") or EntryKind.ACTUAL.value,
        invoice_ref=cell("invoice"),
        credit=credit,
    )
    return draft, problems


@dataclass(frozen=True)
class LedgerCsv:
    """A CSV file read into drafts: `rows` are (line, draft, problems reading its cells)."""

    source: str
    rows: list[tuple[int, EntryDraft, list[Problem]]]


def read_ledger_csv(path: str | os.PathLike[str], default_category: str | None = None) -> LedgerCsv:
    """Read the CSV at `path`; `LedgerCsvError` if the file as a whole is unusable. Rows are
    only read here: their rules (categories, currency) are checked when they are stored."""
    source = Path(path)
    label = source.name or str(path)
    text = _read_text(source, label)
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = _delimiter(first_line)
    european = delimiter == ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    header: list[str] | None = None
    header_line = 0
    records: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header, header_line = cells, start
            else:
                records.append((start, cells))
    except csv.Error as exc:
        raise LedgerCsvError(f"cannot import {label}: line {reader.line_num}: {exc}") from None
    assert header is not None  # the text is not blank
    columns = _map_header(header, label)
    _check_columns(columns, label, default_category)
    if not records:
        raise LedgerCsvError(
            f"cannot import {label}: the header is on line {header_line} but no entries follow"
        )
    return LedgerCsv(
        label, [(line, *_row_draft(cells, columns, european)) for line, cells in records]
    )


def import_ledger_csv(
    ctx: Context,
    path: str | os.PathLike[str],
    project_code: str,
    default_category: str | None = None,
) -> CsvReport:
    """Add every row of the CSV at `path` to the ledger of project `project_code`, or raise
    `LedgerCsvError` listing every bad row and write nothing."""
    # Here, not at the top: reading a file must not load the database layer.
    from itpm_tui.services.ledger import RowDraft, RowProblems, import_entries

    read = read_ledger_csv(path, default_category)
    rows = [RowDraft(line, draft, tuple(found)) for line, draft, found in read.rows]
    try:
        done = import_entries(
            ctx, project_code, rows, source=read.source, default_category=default_category
        )
    except RowProblems as exc:
        problems = [CsvProblem(line, p.field, p.rule) for line, p in exc.problems]
        count = f"{len(problems):,} problem{'s' if len(problems) != 1 else ''}"
        raise LedgerCsvError(
            f"cannot import {read.source}: {count}, nothing was written:\n"
            + "\n".join(problem_lines(problems)),
            problems,
        ) from None
    return CsvReport(source=read.source, rows=done.rows, totals=done.totals, currency=done.currency)
