"""Writes to a project's ledger: add, edit and delete entries, and import many at once.

Every write is one transaction through `Tx`, so the activity log records it, and an edit
made on a stale copy of an entry is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, insert
from sqlalchemy import select as sql_select
from sqlmodel import col, func, select

from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.ledger import CleanEntry, EntryDraft, RowDraft, validate_entry
from itpm_tui.domain.money import format_money, minor_digits
from itpm_tui.domain.validation import MAX_REPORTED, Problem, ValidationError
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

#: Rows sent to the database per statement: a file of any length holds this many in memory.
BATCH = 1000


class RowProblems(ItpmError):
    """Rows that break the ledger's rules, as (line, problem) — the first `MAX_REPORTED`, and
    how many `more` were found — ; nothing was written."""

    def __init__(self, source: str, problems: list[tuple[int, Problem]], more: int = 0) -> None:
        super().__init__(f"cannot import {source}: {len(problems) + more} problems")
        self.problems = problems
        self.more = more


@dataclass(frozen=True)
class ImportedEntries:
    rows: int
    totals: dict[str, Decimal]  # per kind; credits subtract
    currency: str
    skipped: int = 0  # already in the ledger


def import_entries(
    ctx: Context,
    project_code: str,
    rows: Iterable[RowDraft],
    *,
    source: str,
    default_category: str | None = None,
    currency: str | None = None,
    allow_duplicates: bool = False,
) -> ImportedEntries:
    """Store every row in the ledger of `project_code` in one transaction with one activity
    entry, or raise and write nothing: `ItpmError` for an unknown project, default category
    or a `currency` other than the project's, `RowProblems` listing every bad row at once.

    `rows` are read once, as they come, and sent to the database a batch at a time, so a
    file of any length takes the same memory; a bad row stops the writing but not the
    checking, and the transaction is rolled back. Rows already in the ledger are then
    removed again in SQL (`_drop_booked`), unless `allow_duplicates`.
    """
    code = project_code.strip().upper()
    with ctx.transaction() as tx:
        project = tx.session.exec(select(Project).where(func.upper(Project.code) == code)).first()
        if project is None:
            raise ItpmError(f"cannot import {source}: there is no project with code '{code}'")
        assert project.id is not None
        if currency is not None and currency != project.currency:
            raise ItpmError(
                f"cannot import {source}: its amounts are in {currency} but project {code} "
                f"keeps its ledger in {project.currency}"
            )
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

        before = tx.session.exec(select(func.max(LedgerEntry.id))).one() or 0
        problems: list[tuple[int, Problem]] = []
        more = 0
        batch: list[dict[str, Any]] = []
        for row in rows:
            draft = replace(row.draft, category=row.draft.category or (default_category or ""))
            found = list(row.problems)
            bad = {p.field for p in found}
            try:
                clean = validate_entry(draft, project.currency, categories)
            except ValidationError as exc:
                found += [p for p in exc.problems if p.field not in bad]
            if found:
                room = max(MAX_REPORTED - len(problems), 0)
                problems += [(row.line, p) for p in found[:room]]
                more += len(found[room:])
                batch.clear()
                continue
            if problems:
                continue  # nothing will be written: only look for more problems
            batch.append({"project_id": project.id, "version": 1, **entry_fields(clean)})
            if len(batch) >= BATCH:
                tx.session.execute(insert(LedgerEntry), batch)
                batch.clear()
        if problems:
            raise RowProblems(source, problems, more)
        if batch:
            tx.session.execute(insert(LedgerEntry), batch)
        booked = tx.session.exec(
            select(LedgerEntry.id).where(
                LedgerEntry.project_id == project.id, col(LedgerEntry.id) <= before
            )
        ).first()
        skipped = 0 if allow_duplicates or booked is None else _drop_booked(tx, project.id, before)
        totals = {k.value: Decimal(0) for k in EntryKind}
        added = 0
        for kind, count, total in tx.session.execute(
            select(LedgerEntry.kind, func.count(), func.sum(LedgerEntry.amount))
            .where(col(LedgerEntry.id) > before)
            .group_by(LedgerEntry.kind)
        ):
            totals[kind] = total
            added += count
        if added:
            noun = "entry" if added == 1 else "entries"
            tx.log(
                "ledgerentry",
                None,
                "import",
                project_id=project.id,
                summary=f"imported {added:,} ledger {noun} from {source}"
                + (f" ({skipped:,} already in the ledger skipped)" if skipped else ""),
            )
    return ImportedEntries(added, totals, project.currency, skipped)


def _drop_booked(tx: Tx, project_id: int, before: int) -> int:
    """Remove the rows just added (ids above `before`: writers take turns) that were booked
    already — as many of each (date, amount, vendor, description, invoice) as the ledger held
    before, so two equal coffees on one statement stay two — and return how many. One
    statement; each row looks up its project, day and amount in an index (migration 0012),
    so a ledger of 500,000 entries is never read whole."""
    entry: Table = LedgerEntry.__table__  # type: ignore[attr-defined]
    same = (
        entry.c.entry_date,
        entry.c.amount,
        entry.c.vendor,
        entry.c.description,
        entry.c.invoice_ref,
    )
    new = (
        sql_select(
            entry.c.id,
            *same,
            func.row_number().over(partition_by=same, order_by=entry.c.id).label("nth"),
        )
        .where(entry.c.id > before)
        .subquery("new")
    )
    old = entry.alias("old")
    booked = (
        sql_select(func.count())
        .select_from(old)
        .where(
            old.c.project_id == project_id,
            old.c.entry_date == new.c.entry_date,
            old.c.id <= before,
            old.c.amount == new.c.amount,
            old.c.vendor == new.c.vendor,
            old.c.description == new.c.description,
            old.c.invoice_ref == new.c.invoice_ref,
        )
        .scalar_subquery()
    )
    dropped = tx.session.execute(
        delete(entry).where(entry.c.id.in_(sql_select(new.c.id).where(new.c.nth <= booked)))
    )
    return int(dropped.rowcount or 0)  # type: ignore[attr-defined]
