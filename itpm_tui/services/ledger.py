"""Writes to a project's ledger: add, edit and delete entries, and import many at once.

Every write is one transaction through `Tx`, so the activity log records it, and an edit
made on a stale copy of an entry is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlmodel import func, select

from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.ledger import CleanEntry, EntryDraft, validate_entry
from itpm_tui.domain.money import format_money, minor_digits
from itpm_tui.domain.validation import Problem, ValidationError
from itpm_tui.errors import ItpmError
from itpm_tui.queries.ledger import categories_in
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import LedgerEntry, Project

# --- single entries ------------------------------------------------------------------------


def _clean(tx: Tx, project_id: int, draft: EntryDraft, keep: str | None = None) -> CleanEntry:
    """Check the draft against the project's categories (plus `keep`, the category an edited
    entry already has, so an entry outlives its budget line without losing its category)."""
    project = tx.get(Project, project_id)
    categories = categories_in(tx.session, project_id)
    if keep and keep not in categories:
        categories = [*categories, keep]
    return validate_entry(draft, project.currency, categories)


def _describe(entry: LedgerEntry | CleanEntry, currency: str) -> str:
    who = entry.vendor or entry.description
    return (
        f"{entry.entry_date.isoformat()} {who} {format_money(entry.amount, currency)} "
        f"({entry.kind}, {entry.category})"
    )


def add_entry(ctx: Context, project_id: int, draft: EntryDraft) -> int:
    """Validate and store the entry; return its id."""
    with ctx.transaction() as tx:
        clean = _clean(tx, project_id, draft)
        currency = tx.get(Project, project_id).currency
        row = tx.create(
            LedgerEntry(project_id=project_id, **entry_fields(clean)),
            summary=f"added ledger entry {_describe(clean, currency)}",
        )
        return int(row.id)


def update_entry(ctx: Context, entry_id: int, draft: EntryDraft, expected_version: int) -> None:
    """Save the edit, logging the old and new value of every field that changed.

    A colleague's edit saved since `expected_version` (the version the user was shown) is
    kept and this one refused with `ConflictError`.
    """
    with ctx.transaction() as tx:
        row = tx.get(LedgerEntry, entry_id)
        currency = tx.get(Project, row.project_id).currency
        tx.check_version(row, expected_version, label=f"ledger entry {_describe(row, currency)}")
        clean = _clean(tx, row.project_id, draft, keep=row.category)
        # Stored at 4 places: show the old amount in the log as the currency writes it.
        row.amount = row.amount.quantize(Decimal(1).scaleb(-minor_digits(currency)))
        tx.update(row, entry_fields(clean), expected_version=expected_version)


def delete_entry(ctx: Context, entry_id: int, expected_version: int) -> None:
    """Remove the entry; the activity log keeps what it was.

    An entry a colleague edited since `expected_version` was shown is kept and
    `ConflictError` raised, so nobody deletes what they have not seen.
    """
    with ctx.transaction() as tx:
        row = tx.get(LedgerEntry, entry_id)
        currency = tx.get(Project, row.project_id).currency
        tx.check_version(row, expected_version, label=f"ledger entry {_describe(row, currency)}")
        tx.log(
            "ledgerentry",
            row.id,
            "delete",
            project_id=row.project_id,
            summary=f"deleted ledger entry {_describe(row, currency)}"
            + (f", invoice {row.invoice_ref}" if row.invoice_ref else ""),
        )
        tx.session.delete(row)
        tx.flush(row)


def entry_fields(clean: CleanEntry) -> dict[str, Any]:
    return {
        "entry_date": clean.entry_date,
        "vendor": clean.vendor,
        "category": clean.category,
        "description": clean.description,
        "amount": clean.amount,
        "kind": clean.kind,
        "invoice_ref": clean.invoice_ref,
    }


# --- many entries from a file --------------------------------------------------------------


@dataclass(frozen=True)
class RowDraft:
    """One row of a file as a draft; an empty category means the import's default category."""

    line: int
    draft: EntryDraft
    problems: tuple[Problem, ...] = ()  # found reading the row's cells


class RowProblems(ItpmError):
    """Rows that break the ledger's rules, as (line, problem); nothing was written."""

    def __init__(self, source: str, problems: list[tuple[int, Problem]]) -> None:
        super().__init__(f"cannot import {source}: {len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class ImportedEntries:
    rows: int
    totals: dict[str, Decimal]  # per kind; credits subtract
    currency: str


def import_entries(
    ctx: Context,
    project_code: str,
    rows: list[RowDraft],
    *,
    source: str,
    default_category: str | None = None,
) -> ImportedEntries:
    """Store every row in the ledger of `project_code` in one transaction with one activity
    entry, or raise and write nothing: `ItpmError` for an unknown project or default category,
    `RowProblems` listing every bad row at once."""
    code = project_code.strip().upper()
    with ctx.transaction() as tx:
        project = tx.session.exec(select(Project).where(func.upper(Project.code) == code)).first()
        if project is None:
            raise ItpmError(f"cannot import {source}: there is no project with code '{code}'")
        assert project.id is not None
        categories = categories_in(tx.session, project.id)
        if default_category is not None:
            wanted = default_category.strip().casefold()
            match = next((c for c in categories if c.casefold() == wanted), None)
            if match is None:
                raise ItpmError(
                    f"cannot import {source}: default category '{default_category}' is not one "
                    f"of the project's categories ({', '.join(categories)})"
                )
            default_category = match

        problems: list[tuple[int, Problem]] = []
        entries: list[CleanEntry] = []
        for row in rows:
            draft = replace(row.draft, category=row.draft.category or (default_category or ""))
            found = list(row.problems)
            bad = {p.field for p in found}
            try:
                entries.append(validate_entry(draft, project.currency, categories))
            except ValidationError as exc:
                found += [p for p in exc.problems if p.field not in bad]
            problems += [(row.line, p) for p in found]
        if problems:
            raise RowProblems(source, problems)

        totals = {k.value: Decimal(0) for k in EntryKind}
        for clean in entries:
            tx.session.add(LedgerEntry(project_id=project.id, **entry_fields(clean)))
            totals[clean.kind] += clean.amount
        tx.session.flush()
        noun = "entry" if len(entries) == 1 else "entries"
        tx.log(
            "ledgerentry",
            None,
            "import",
            project_id=project.id,
            summary=f"imported {len(entries)} ledger {noun} from {source}",
        )
    return ImportedEntries(len(entries), totals, project.currency)
