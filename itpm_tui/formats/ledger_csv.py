"""Ledger entries from a bank or accounting CSV export.

A file is read twice and never held whole: `scan_ledger_csv` streams it once to decide what
its dates, decimal marks and signs mean — per file, from every row, never per value — and
refuses a file whose meaning is ambiguous or contradicts the options; `LedgerLayout.drafts`
streams it again as one draft per row. `import_ledger_csv` hands those to
`services.ledger.import_entries`, which checks them against the project and stores a clean
file in one transaction with one activity entry, skipping entries already booked. Every bad
row is reported at once as (line, column, reason). The rules are in docs/ledger-csv.md.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.ledger import EntryDraft, RowDraft
from itpm_tui.domain.validation import MAX_REPORTED, Problem, problem_lines
from itpm_tui.errors import ItpmError
from itpm_tui.formats.input_file import MAX_IMPORT_BYTES, open_input

if TYPE_CHECKING:
    from itpm_tui.services.context import Context

#: Our field → the header names (normalised: lower case, single spaces, no `*` and no
#: trailing `(EUR)`) that mean it.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "posting date", "transaction date"),
    "amount": ("amount", "value", "net amount"),
    "debit": ("debit", "debit amount", "paid out", "money out", "withdrawal"),
    "credit": ("credit", "credit amount", "paid in", "money in", "deposit"),
    "vendor": ("vendor", "supplier", "payee", "merchant", "counterparty"),
    "description": ("description", "memo", "details", "narrative", "text"),
    "category": ("category", "cost category"),
    "kind": ("kind", "status"),
    "invoice": ("invoice", "invoice ref", "invoice number", "reference"),
}
_BY_HEADER = {name: key for key, names in COLUMN_SYNONYMS.items() for name in names}
_MONEY_COLUMNS = ("amount", "debit", "credit")
_HEADER_CURRENCY = re.compile(r"(.*?)\s*[(\[]\s*([A-Za-z]{3})?[^)\]]*[)\]]\s*")

Amounts = Literal["costs-positive", "bank"]
DateOrder = Literal["DD/MM/YYYY", "MM/DD/YYYY"]
#: Told how far the import got: (section, rows, bytes read, file size).
Progress = Callable[[str, int, int, int], None]
#: The sections `Progress` is told: deciding what the file means, then checking and storing.
FIRST_PASS, SECOND_PASS = "dates and amounts", "entries"


class LedgerCsvError(ItpmError):
    """The CSV file cannot be imported; nothing was written.

    `problems` lists the first bad rows (`MAX_REPORTED`); it is empty when the file as a whole
    is unusable (missing, empty, no header, a required column missing, ambiguous dates).
    """

    def __init__(self, message: str, problems: list[CsvProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One broken rule on one line of the file; `field` is the column as the file names it."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.reason}"


@dataclass(frozen=True)
class CsvOptions:
    """What the user says about a file that the file itself cannot say.

    `amounts`: "costs-positive" (a cost is positive, a credit negative; the default) or
    "bank" (a statement: money out is negative, a refund positive). `date_order` and
    `decimal_mark` ("." or ",") are needed only when the file leaves them open.
    """

    amounts: Amounts | None = None
    date_order: DateOrder | None = None
    decimal_mark: str | None = None
    encoding: str | None = None
    skip_rows: int = 0
    allow_duplicates: bool = False


@dataclass
class CsvReport:
    """What an import added: `rows` entries, and their sum per kind (credits subtract);
    `skipped` rows were already in the ledger."""

    source: str
    rows: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)
    currency: str = ""
    skipped: int = 0

    @property
    def summary(self) -> str:
        noun = "entry" if self.rows == 1 else "entries"
        text = f"imported {self.rows:,} ledger {noun} from {self.source}"
        if self.skipped:
            were = "was" if self.skipped == 1 else "were"
            text += (
                f"; {self.skipped:,} {were} already in the ledger (same date, amount, vendor, "
                "description and invoice) and skipped: --allow-duplicates imports them"
            )
        return text


# --- the file's text -----------------------------------------------------------------------

_BAD_BYTE = re.compile("[\udc80-\udcff]")


def _encoding(options: CsvOptions, start: bytes, label: str) -> str:
    """The codec to read the file with: the one asked for, else UTF-16 when the file starts
    with its byte-order mark, else UTF-8 (with or without a byte-order mark)."""
    if options.encoding is None:
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        return "utf-8-sig"
    try:
        name = codecs.lookup(options.encoding).name
    except LookupError:
        raise LedgerCsvError(
            f"cannot import {label}: --encoding '{options.encoding}' is not an encoding "
            "Python knows; e.g. utf-8, cp1252, latin-1, utf-16"
        ) from None
    return "utf-8-sig" if name == "utf-8" else name


def _bad_text(value: str, encoding: str) -> str | None:
    """Why `value` is not text in `encoding` (its undecodable bytes became U+DC80–U+DCFF)."""
    found = _BAD_BYTE.search(value)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    hint = (
        "; if Excel on Windows saved it, pass --encoding cp1252"
        if encoding.startswith("utf-8")
        else ""
    )
    name = "UTF-8" if encoding.startswith("utf-8") else encoding
    return f"byte 0x{byte:02X} is not {name} text{hint}"


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class _Records:
    """The file open as CSV records: the header, then (first line, cells) of each row."""

    header_line: int
    header: list[str]
    delimiter: str
    rows: Iterator[tuple[int, list[str]]]
    handle: IO[bytes]
    encoding: str


@contextmanager
def _records(path: Path, label: str, options: CsvOptions) -> Iterator[_Records]:
    handle = open_input(path, LedgerCsvError)
    try:
        encoding = _encoding(options, handle.read(4), label)
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding=encoding, errors="surrogateescape", newline="")
        consumed = 0
        for _ in range(options.skip_rows):
            consumed += bool(text.readline())
        first = ""
        for line in text:
            consumed += 1
            if line.strip():
                first = line
                break
        if not first:
            skipped = f" after the {options.skip_rows:,} skipped lines" if options.skip_rows else ""
            raise LedgerCsvError(f"cannot import {label}: the file is empty{skipped}")
        if "\x00" in first:
            raise LedgerCsvError(
                f"cannot import {label}: line {consumed} holds NUL characters: the file is "
                "not UTF-8 text; if it is UTF-16, pass --encoding utf-16"
            )
        delimiter = _delimiter(first)
        reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
        base = consumed - 1  # physical lines before the header record

        def rows() -> Iterator[tuple[int, list[str]]]:
            last = reader.line_num
            try:
                for cells in reader:
                    start, last = last + 1, reader.line_num
                    if any(c.strip() for c in cells):
                        yield base + start, cells
            except csv.Error as exc:
                raise LedgerCsvError(
                    f"cannot import {label}: line {base + reader.line_num}: {exc}"
                ) from None

        header = next(reader)
        yield _Records(base + 1, header, delimiter, rows(), handle, encoding)
    except UnicodeDecodeError as exc:  # a UTF-16 file cut in the middle of a character
        raise LedgerCsvError(f"cannot import {label}: not {encoding} text: {exc.reason}") from None
    finally:
        handle.close()


# --- the columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    index: dict[str, int]  # our field → cell index
    names: dict[str, str]  # our field → the header as the file writes it
    currency: str  # from an `Amount (EUR)` header, upper case; "" if none says


def _header_key(text: str) -> tuple[str, str]:
    """The header's normalised name and the currency a trailing `(EUR)` names, if any."""
    name = text.strip().lstrip("*").strip()  # Xero marks required columns `*Date`
    currency = ""
    bracketed = _HEADER_CURRENCY.fullmatch(name)
    if bracketed:
        name, currency = bracketed.group(1), (bracketed.group(2) or "").upper()
    key = " ".join(name.replace("_", " ").replace("-", " ").split()).casefold()
    return key, currency


def _map_header(header: list[str], label: str, line: int, skip_rows: int) -> _Columns:
    index: dict[str, int] = {}
    currencies: dict[str, str] = {}
    for position, name in enumerate(header):
        key_text, currency = _header_key(name)
        key = _BY_HEADER.get(key_text)
        if key is None:
            continue
        if key in index:
            # A column named as the field wins over a synonym (Chase writes `Details`,
            # meaning debit or credit, beside `Description`); two synonyms are refused.
            own = COLUMN_SYNONYMS[key][0]
            earlier = _header_key(header[index[key]])[0]
            if (earlier == own) == (key_text == own):
                raise LedgerCsvError(
                    f"cannot import {label}: columns '{header[index[key]].strip()}' and "
                    f"'{name.strip()}' both give the {key}; keep one"
                )
            if earlier == own:
                continue
        index[key] = position
        if currency and key in _MONEY_COLUMNS:
            currencies[name.strip()] = currency
    if not index:
        hint = "" if skip_rows else "; if the file starts with a title, pass --skip-rows N"
        raise LedgerCsvError(
            f"cannot import {label}: line {line} must be a header naming the columns "
            "(date, amount or debit/credit, vendor or description, category, kind, invoice); "
            f"found {', '.join(repr(h.strip()) for h in header[:6])}{hint}"
        )
    if len(set(currencies.values())) > 1:
        raise LedgerCsvError(
            f"cannot import {label}: the amount columns name different currencies: "
            + ", ".join(currencies)
        )
    names = {key: header[position].strip() for key, position in index.items()}
    return _Columns(index, names, next(iter(currencies.values()), ""))


def _check_columns(columns: _Columns, label: str, default_category: str | None) -> None:
    have = columns.index
    missing = []
    if "date" not in have:
        missing.append("date (or booking date, posting date, transaction date)")
    if "amount" not in have and "debit" not in have and "credit" not in have:
        missing.append("amount (or value, net amount) or debit/credit")
    if "vendor" not in have and "description" not in have:
        missing.append("vendor or description")
    if "category" not in have and default_category is None:
        missing.append("category (or pass a default category)")
    if missing:
        raise LedgerCsvError(
            f"cannot import {label}: missing required column{'s' if len(missing) > 1 else ''}: "
            + "; ".join(missing)
        )
    if "amount" in have and ("debit" in have or "credit" in have):
        raise LedgerCsvError(
            f"cannot import {label}: has both an amount column and debit/credit columns; "
            "keep one way of giving amounts"
        )


# --- dates ---------------------------------------------------------------------------------

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})" + _TIME)
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})" + _TIME)
_MONTH_NAME_DAY = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DATE_FORMS = "YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY or 2 Mar 2026"


def _date_order(text: str) -> Literal["day", "month", "either", "same"] | None:
    """What a numeric date says about the file's order of day and month (None: nothing,
    it is ISO, names its month or is no date at all). Dotted dates are always day first."""
    found = _NUMERIC.fullmatch(text)
    if found is None:
        return None
    first, second = int(found.group(1)), int(found.group(3))
    if found.group(2) == "." or (first > 12 >= second):
        return "day"
    if second > 12 >= first:
        return "month"
    if first <= 12 and second <= 12:
        return "same" if first == second else "either"
    return None


def _parse_date(text: str, day_first: bool) -> date:
    """The date `text` gives, reading numeric dates day first or month first; `ValueError`
    with the reason."""
    value = text.strip()
    if not value:
        raise ValueError("is required")
    year: str | int
    if found := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in found.groups())
    elif found := _NUMERIC.fullmatch(value):
        first, separator, second, year = found.groups()
        first_first = day_first or separator == "."
        day, month = (int(first), int(second)) if first_first else (int(second), int(first))
    elif found := _DAY_MONTH_NAME.fullmatch(value):
        day, month, year = int(found.group(1)), _MONTHS.get(found.group(2).casefold(), 0), found[3]
    elif found := _MONTH_NAME_DAY.fullmatch(value):
        day, month, year = int(found.group(2)), _MONTHS.get(found.group(1).casefold(), 0), found[3]
    else:
        raise ValueError(f"'{text}' is not a date; expected {_DATE_FORMS}")
    order = "DD/MM/YYYY" if day_first else "MM/DD/YYYY"
    try:
        return date(int(year), month, day)
    except ValueError:
        read_as = f" read as {order}, as this file's dates are" if _NUMERIC.fullmatch(value) else ""
        raise ValueError(f"'{text}' is not a date{read_as}") from None


# --- amounts -------------------------------------------------------------------------------

_NEGATIVE_WRAP = re.compile(r"\((.*)\)")
_PLAIN = re.compile(r"[0-9]+")
_POINT_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_COMMA_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_MIXED = {
    ".": re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*\.[0-9]+"),  # 1,234.50
    ",": re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]+"),  # 1.234,50
}
_SINGLE = re.compile(r"[0-9]*([.,])[0-9]+")
_GROUP_SHAPED = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")  # 1.500: thousands or three decimals?
_MARK_NAME = {".": "point", ",": "comma"}


def _split_sign(text: str) -> tuple[bool, str]:
    """(negative, the digits and separators): `-1`, `+1`, `1-` (SAP) and `(1)` (accounting);
    spaces, non-breaking spaces and `'` (Swiss grouping) are dropped."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "")
    negative = False
    wrapped = _NEGATIVE_WRAP.fullmatch(value)
    if wrapped:
        negative, value = True, wrapped.group(1)
    if value[:1] in ("-", "+"):
        negative, value = negative or value[0] == "-", value[1:]
    elif value[-1:] == "-":
        negative, value = True, value[:-1]
    return negative, value


def _mark_evidence(body: str) -> str | None:
    """The decimal mark this one value proves (None: it proves none)."""
    for mark, pattern in _MIXED.items():
        if pattern.fullmatch(body) and ("," in body and "." in body):
            return mark
    if _POINT_GROUPED.fullmatch(body) and body.count(".") > 1:
        return ","
    if _COMMA_GROUPED.fullmatch(body) and body.count(",") > 1:
        return "."
    single = _SINGLE.fullmatch(body)
    if single and not _GROUP_SHAPED.fullmatch(body):
        return single.group(1)
    return None


def _is_zero(body: str) -> bool:
    return bool(body) and not any(c in "123456789" for c in body) and any(c.isdigit() for c in body)


# --- the first pass: what the file means ---------------------------------------------------


@dataclass
class _Evidence:
    """The first line that shows each reading, collected over the whole file."""

    seen: dict[str, tuple[int, str]] = field(default_factory=dict)

    def note(self, what: str, line: int, text: str) -> None:
        self.seen.setdefault(what, (line, text))

    def where(self, what: str) -> str:
        line, text = self.seen[what]
        return f"'{text}' on line {line:,}"


def _lines(lines: list[int], total: int) -> str:
    shown = ", ".join(f"{n:,}" for n in lines)
    return shown + (f" and {total - len(lines):,} more" if total > len(lines) else "")


@dataclass
class LedgerLayout:
    """What a file means, decided from all its rows: its columns, the order of day and month,
    its decimal mark and which sign is a credit. `drafts()` reads its rows."""

    path: Path
    source: str
    options: CsvOptions
    columns: _Columns
    day_first: bool
    decimal_mark: str
    decimal_evidence: str  # e.g. "'1234.50' on line 2", or why the mark was chosen
    encoding: str
    rows: int
    size: int
    progress: Progress | None = None

    @property
    def currency(self) -> str:
        return self.columns.currency

    def drafts(self) -> Iterator[RowDraft]:
        """Each row as a draft with the problems found reading its cells, file order."""

        with _records(self.path, self.source, self.options) as records:
            for count, (line, cells) in enumerate(records.rows, start=1):
                if self.progress is not None and count % 1000 == 0:
                    self.progress(SECOND_PASS, count, records.handle.tell(), self.size)
                draft, problems = self._draft(cells)
                yield RowDraft(line, draft, tuple(problems))

    def label(self, problem: Problem) -> str:
        """The column a problem with one of our fields concerns, as the file names it."""
        names = self.columns.names
        key = problem.field
        if key == "amount" and "amount" not in names:
            return " / ".join(names[k] for k in ("debit", "credit") if k in names)
        if key == "description" and "description" not in names:
            return names.get("vendor", key)
        return names.get(key, key)

    def _cell(self, cells: list[str], key: str) -> str:
        index = self.columns.index.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def _draft(self, cells: list[str]) -> tuple[EntryDraft, list[Problem]]:
        problems: list[Problem] = []
        for key in self.columns.index:
            bad = _bad_text(self._cell(cells, key), self.encoding)
            if bad:
                problems.append(Problem(key, bad))
        entry_date: date | None = None
        try:
            entry_date = _parse_date(self._cell(cells, "date"), self.day_first)
        except ValueError as exc:
            problems.append(Problem("date", str(exc)))
        amount, credit = "1", False  # a placeholder that lets the other fields be checked
        try:
            amount, credit = self._amount(cells)
        except ValueError as exc:
            problems.append(Problem("amount", str(exc)))
        draft = EntryDraft(
            entry_date=entry_date,
            vendor=self._cell(cells, "vendor"),
            category=self._cell(cells, "category"),
            description=self._cell(cells, "description"),
            amount=amount,
            kind=self._cell(cells, "kind") or EntryKind.ACTUAL.value,
            invoice_ref=self._cell(cells, "invoice"),
            credit=credit,
        )
        return draft, problems

    def _amount(self, cells: list[str]) -> tuple[str, bool]:
        """(the amount as plain positive `1234.50`, whether it is a credit)."""
        if "amount" in self.columns.index:
            text = self._cell(cells, "amount")
            negative, plain = self._number(text)
            bank = self.options.amounts == "bank"
            return plain, negative != bank
        debit = self._cell(cells, "debit")
        credit = self._cell(cells, "credit")
        found = []
        for text, is_credit in ((debit, False), (credit, True)):
            if not text:
                continue
            negative, plain = self._number(text)
            if Decimal(plain) == 0:
                continue  # `0,00` in the column that is not used
            if negative:
                raise ValueError(
                    f"'{text}' is negative; debit and credit amounts are positive: "
                    "the column gives the sign"
                )
            found.append((plain, is_credit))
        if len(found) > 1:
            raise ValueError(
                f"fill the debit or the credit column, not both; saw '{debit}', '{credit}'"
            )
        if not found:
            raise ValueError("is required: fill the debit or the credit column")
        return found[0]

    def _number(self, text: str) -> tuple[bool, str]:
        """(negative, the value as plain `1234.50`) under the file's decimal mark."""
        if not text:
            raise ValueError("is required")
        negative, body = _split_sign(text)
        mark = self.decimal_mark
        group = "," if mark == "." else "."
        name = _MARK_NAME[mark]
        if _PLAIN.fullmatch(body):
            return negative, body
        if (_POINT_GROUPED if group == "." else _COMMA_GROUPED).fullmatch(body):
            return negative, body.replace(group, "")
        if _MIXED[mark].fullmatch(body) or (_SINGLE.fullmatch(body) and mark in body):
            if _GROUP_SHAPED.fullmatch(body) and self.options.decimal_mark is None:
                raise ValueError(
                    f"'{text}' is ambiguous: the {name} marks decimals in this file "
                    f"({self.decimal_evidence}) but here it may group thousands; write "
                    f"{body.replace(mark, '')} if it is thousands, or pass --decimal-mark "
                    f"{name} to read three decimals"
                )
            return negative, body.replace(group, "").replace(mark, ".")
        example = "1,234.50" if mark == "." else "1.234,50"
        raise ValueError(
            f"'{text}' is not an amount; expected e.g. {example} (the {name} marks decimals "
            f"in this file: {self.decimal_evidence})"
        )


def scan_ledger_csv(
    path: str | os.PathLike[str],
    options: CsvOptions | None = None,
    default_category: str | None = None,
    progress: Progress | None = None,
) -> LedgerLayout:
    """Read the whole file once, holding only what decides its meaning, and return its
    layout; `LedgerCsvError` if the file is unusable or leaves its meaning open."""
    options = options or CsvOptions()
    source = Path(path)
    label = source.name or str(path)
    size = source.stat().st_size if source.is_file() else 0
    evidence = _Evidence()
    credits: list[int] = []
    cost_count = credit_count = rows = 0
    with _records(source, label, options) as records:
        columns = _map_header(records.header, label, records.header_line, options.skip_rows)
        _check_columns(columns, label, default_category)
        date_at = columns.index["date"]
        money = [(k, columns.index[k]) for k in _MONEY_COLUMNS if k in columns.index]
        for line, cells in records.rows:
            rows += 1
            if rows % 1000 == 0:
                position = records.handle.tell()
                if position > MAX_IMPORT_BYTES:  # it grew since it was opened
                    raise LedgerCsvError(
                        f"cannot import {label}: it holds more than the "
                        f"{MAX_IMPORT_BYTES:,} bytes an import may"
                    )
                if progress is not None:
                    progress(FIRST_PASS, rows, position, size)
            if date_at < len(cells):
                text = cells[date_at].strip()
                order = _date_order(text)
                if order is not None:
                    evidence.note(order, line, text)
            for key, at in money:
                if at >= len(cells) or not cells[at].strip():
                    continue
                text = cells[at].strip()
                negative, body = _split_sign(text)
                mark = _mark_evidence(body)
                if mark is not None:
                    evidence.note(mark, line, text)
                elif _GROUP_SHAPED.fullmatch(body):
                    evidence.note("group-shaped", line, text)
                if key == "amount" and not _is_zero(body) and body:
                    if negative != (options.amounts == "bank"):
                        credit_count += 1
                        if len(credits) < 10:
                            credits.append(line)
                    else:
                        cost_count += 1
        if not rows:
            raise LedgerCsvError(
                f"cannot import {label}: the header is on line {records.header_line} "
                "but no entries follow"
            )
    day_first = _decide_dates(evidence, options, label, columns.names["date"])
    mark, why = _decide_mark(evidence, options, label, records.delimiter)
    if credit_count > cost_count:
        _refuse_signs(label, options, columns.names["amount"], credits, credit_count, rows)
    return LedgerLayout(
        source,
        label,
        options,
        columns,
        day_first,
        mark,
        why,
        records.encoding,
        rows,
        size,
        progress,
    )


def _decide_dates(evidence: _Evidence, options: CsvOptions, label: str, column: str) -> bool:
    """Whether the file's numeric dates are day first: as `--date-format` says, else as its
    rows show; refused when rows disagree or none settles it."""
    if options.date_order is not None:
        return options.date_order == "DD/MM/YYYY"
    seen = evidence.seen
    if "day" in seen and "month" in seen:
        raise LedgerCsvError(
            f"cannot import {label}: column '{column}' has dates day first "
            f"({evidence.where('day')}) and month first ({evidence.where('month')}); "
            "a file must use one order"
        )
    if "day" in seen or "month" in seen:
        return "day" in seen
    if "either" in seen:
        raise LedgerCsvError(
            f"cannot import {label}: column '{column}': no date says whether the day or "
            f"the month comes first ({evidence.where('either')} could be either); "
            "pass --date-format DD/MM/YYYY or MM/DD/YYYY"
        )
    return True


def _decide_mark(
    evidence: _Evidence, options: CsvOptions, label: str, delimiter: str
) -> tuple[str, str]:
    """The file's decimal mark and why: `--decimal-mark`, else what its amounts show, else
    what its delimiter implies (a semicolon file comes from a locale with a decimal comma)."""
    if options.decimal_mark is not None:
        return options.decimal_mark, "--decimal-mark"
    seen = evidence.seen
    if "." in seen and "," in seen:
        raise LedgerCsvError(
            f"cannot import {label}: some amounts use the point as decimal mark "
            f"({evidence.where('.')}) and others the comma ({evidence.where(',')}); "
            "a file must use one"
        )
    for mark in (".", ","):
        if mark in seen:
            return mark, evidence.where(mark)
    if delimiter == ";":
        return ",", "it is separated by semicolons"
    return ".", "it is separated by commas" if delimiter == "," else "it is separated by tabs"


def _refuse_signs(
    label: str, options: CsvOptions, column: str, credits: list[int], count: int, rows: int
) -> None:
    chosen = options.amounts or "costs-positive"
    sign, other, what = (
        ("positive", "costs-positive", "costs are positive")
        if chosen == "bank"
        else ("negative", "bank", "money paid out is negative, as on a bank statement")
    )
    default = " (the default)" if options.amounts is None else ""
    raise LedgerCsvError(
        f"cannot import {label}: with --amounts {chosen}{default} a {sign} amount is a credit, "
        f"and in column '{column}' {count:,} of {rows:,} rows would be credits "
        f"(lines {_lines(credits, count)}); "
        f"if in this file {what}, pass --amounts {other}"
    )


# --- the import ----------------------------------------------------------------------------


def import_ledger_csv(
    ctx: Context,
    path: str | os.PathLike[str],
    project_code: str,
    default_category: str | None = None,
    options: CsvOptions | None = None,
    progress: Progress | None = None,
) -> CsvReport:
    """Add every row of the CSV at `path` to the ledger of project `project_code`, or raise
    `LedgerCsvError` listing every bad row and write nothing."""
    # Here, not at the top: reading a file must not load the database layer.
    from itpm_tui.services.ledger import RowProblems, import_entries

    layout = scan_ledger_csv(path, options, default_category, progress)
    try:
        done = import_entries(
            ctx,
            project_code,
            layout.drafts(),
            source=layout.source,
            default_category=default_category,
            currency=layout.currency or None,
            allow_duplicates=layout.options.allow_duplicates,
        )
    except RowProblems as exc:
        problems = [CsvProblem(line, layout.label(p), p.rule) for line, p in exc.problems]
        total = len(problems) + exc.more
        count = f"{total:,} problem{'s' if total != 1 else ''}"
        raise LedgerCsvError(
            f"cannot import {layout.source}: {count}, nothing was written:\n"
            + "\n".join(problem_lines(problems, more=exc.more)),
            problems[:MAX_REPORTED],
        ) from None
    return CsvReport(
        source=layout.source,
        rows=done.rows,
        totals=done.totals,
        currency=done.currency,
        skipped=done.skipped,
    )
