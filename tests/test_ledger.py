"""Ledger entries: the validation rules, service writes with their activity, CSV import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import col, select

from itpm_tui.domain.ledger import CleanEntry, EntryDraft, validate_entry
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, ItpmError, NotFoundError
from itpm_tui.formats.ledger_csv import LedgerCsvError, import_ledger_csv
from itpm_tui.queries.ledger import project_categories
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry, delete_entry, update_entry
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity, BudgetLine, LedgerEntry

pytestmark = pytest.mark.both_backends

DATA = Path(__file__).parent / "data" / "ledger"
ALL = ["hardware", "software", "labour", "vendor services", "contingency"]


def draft(**changes: object) -> EntryDraft:
    values: dict[str, object] = {
        "entry_date": date(2026, 3, 2),
        "vendor": "Dell",
        "category": "hardware",
        "description": "Laptops",
        "amount": "1,234.50",
    }
    values.update(changes)
    return EntryDraft(**values)  # type: ignore[arg-type]


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {p.field: p.rule for p in exc.value.problems}


# --- validation ----------------------------------------------------------------------------


def test_valid_entry_is_cleaned() -> None:
    clean = validate_entry(
        draft(vendor="  Dell ", category="Hardware", kind="Committed", invoice_ref=" INV-1 "),
        "EUR",
        ALL,
    )
    assert clean == CleanEntry(
        date(2026, 3, 2), "Dell", "hardware", "Laptops", Decimal("1234.50"), "committed", "INV-1"
    )


def test_credit_is_stored_negative() -> None:
    clean = validate_entry(draft(amount="99.90", credit=True), "EUR", ALL)
    assert clean.amount == Decimal("-99.90")
    assert validate_entry(draft(amount=Decimal(5)), "EUR", ALL).amount == Decimal("5.00")


def test_every_broken_rule_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_entry(
            draft(
                entry_date=None,
                vendor="",
                description=" ",
                category="furniture",
                amount="abc",
                kind="paid",
                invoice_ref="x" * 201,
            ),
            "EUR",
            ALL,
        )
    found = problems(exc)
    assert set(found) == {"date", "description", "category", "amount", "kind", "invoice"}
    assert "required" in found["date"]
    assert "vendor or a description" in found["description"]
    assert "furniture" in found["category"]
    assert "not a decimal" in found["amount"]
    assert "actual" in found["kind"] or "committed" in found["kind"]
    assert "200" in found["invoice"]


@pytest.mark.parametrize(
    ("amount", "currency", "rule"),
    [
        ("-10.00", "EUR", "credit box, not a minus sign"),
        ("0", "EUR", "greater than 0"),
        ("", "EUR", "required"),
        ("10.123", "EUR", "at most 2 decimal places"),
        ("10.5", "JPY", "at most 0 decimal places"),
        ("1e3", "EUR", "not a decimal"),
    ],
)
def test_amount_rules(amount: str, currency: str, rule: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_entry(draft(amount=amount), currency, ALL)
    assert rule in problems(exc)["amount"]


def test_lengths_and_vendor_or_description() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_entry(draft(vendor="v" * 201, description="d" * 201), "EUR", ALL)
    assert set(problems(exc)) == {"vendor", "description"}
    assert validate_entry(draft(vendor=""), "EUR", ALL).description == "Laptops"
    assert validate_entry(draft(description=""), "EUR", ALL).vendor == "Dell"


def test_category_must_be_the_projects_and_defaults_to_all() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_entry(draft(category="software"), "EUR", ["hardware", "labour"])
    assert "hardware, labour" in problems(exc)["category"]
    assert validate_entry(draft(category="labour"), "EUR", []).category == "labour"
    with pytest.raises(ValidationError) as exc:
        validate_entry(draft(category=""), "EUR", [])
    assert "required" in problems(exc)["category"]


# --- services ------------------------------------------------------------------------------


def make_project(ctx: Context, code: str = "ALPHA", currency: str = "EUR") -> int:
    return create_project(ctx, ProjectDraft(code=code, name=f"Project {code}", currency=currency))


def activity(ctx: Context, action: str) -> list[Activity]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(Activity)
                .where(Activity.entity == "ledgerentry", Activity.action == action)
                .order_by(col(Activity.id))
            ).all()
        )


def entries(ctx: Context) -> list[LedgerEntry]:
    with ctx.db.read() as session:
        return list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.id))).all())


def test_project_categories_are_the_standard_ones_plus_the_projects(ctx: Context) -> None:
    """Budget-line categories lead; the standard ones are always offered, so a project with
    one line is not held to that one category; a category only the ledger has stays too."""
    pid = make_project(ctx)
    assert project_categories(ctx.db, pid) == ALL
    with ctx.transaction() as tx:
        tx.create(BudgetLine(project_id=pid, category="labour", amount=Decimal(100)))
        tx.create(BudgetLine(project_id=pid, category="travel", amount=Decimal(50)))
        tx.create(BudgetLine(project_id=pid, category="Labour", amount=Decimal(10)))
        tx.create(LedgerEntry(project_id=pid, entry_date=date(2026, 3, 2), category="Licences"))
    assert project_categories(ctx.db, pid) == [
        "labour",
        "travel",
        "hardware",
        "software",
        "vendor services",
        "contingency",
        "Licences",
    ]
    add_entry(ctx, pid, draft(category="software"))  # a standard category without a line
    with pytest.raises(ValidationError) as exc:
        add_entry(ctx, pid, draft(category="furniture"))
    assert "travel" in problems(exc)["category"]


def test_an_entry_keeps_its_category_after_its_budget_line_is_gone(ctx: Context) -> None:
    pid = make_project(ctx)
    with ctx.transaction() as tx:
        line = tx.create(BudgetLine(project_id=pid, category="travel", amount=Decimal(100)))
        tx.create(BudgetLine(project_id=pid, category="labour", amount=Decimal(100)))
    entry_id = add_entry(ctx, pid, draft(category="travel"))
    with ctx.transaction() as tx:
        tx.delete(tx.get(BudgetLine, line.id))
    update_entry(ctx, entry_id, draft(category="travel", vendor="HP"), 1)  # still allowed
    assert (entries(ctx)[0].category, entries(ctx)[0].vendor) == ("travel", "HP")
    assert "travel" in project_categories(ctx.db, pid)  # the ledger still books to it
    delete_entry(ctx, entry_id, 2)
    with pytest.raises(ValidationError):  # gone from lines and ledger: no longer offered
        add_entry(ctx, pid, draft(category="travel"))


def test_add_update_delete_are_logged(ctx: Context) -> None:
    pid = make_project(ctx)
    entry_id = add_entry(ctx, pid, draft(amount="10.00", credit=True, invoice_ref="CN-1"))
    (row,) = entries(ctx)
    assert (row.id, row.project_id, row.amount, row.kind) == (
        entry_id,
        pid,
        Decimal("-10.00"),
        "actual",
    )
    (created,) = activity(ctx, "create")
    assert created.user == "tester" and created.project_id == pid
    assert "Dell" in created.summary and "EUR -10.00" in created.summary

    update_entry(
        ctx, entry_id, draft(amount="12.00", credit=True, vendor="HP", kind="committed"), 1
    )
    changes = {a.field: (a.old_value, a.new_value) for a in activity(ctx, "update")}
    assert changes == {
        "vendor": ("Dell", "HP"),
        "amount": ("-10.00", "-12.00"),
        "kind": ("actual", "committed"),
        "invoice_ref": ("CN-1", ""),
    }
    (row,) = entries(ctx)
    assert (row.vendor, row.amount, row.kind) == ("HP", Decimal("-12.00"), "committed")

    delete_entry(ctx, entry_id, 2)
    assert entries(ctx) == []
    (deleted,) = activity(ctx, "delete")
    assert deleted.entity_id == entry_id and deleted.project_id == pid
    assert "HP" in deleted.summary and "EUR -12.00" in deleted.summary

    with pytest.raises(NotFoundError):
        delete_entry(ctx, entry_id, 2)


def test_invalid_update_changes_nothing(ctx: Context) -> None:
    pid = make_project(ctx)
    entry_id = add_entry(ctx, pid, draft())
    with pytest.raises(ValidationError):
        update_entry(ctx, entry_id, draft(amount="-5"), 1)
    assert entries(ctx)[0].amount == Decimal("1234.50")
    assert activity(ctx, "update") == []


def test_each_saved_edit_bumps_the_version(ctx: Context) -> None:
    pid = make_project(ctx)
    entry_id = add_entry(ctx, pid, draft())
    assert entries(ctx)[0].version == 1
    update_entry(ctx, entry_id, draft(vendor="HP"), expected_version=1)
    assert entries(ctx)[0].version == 2
    update_entry(ctx, entry_id, draft(vendor="HP"), expected_version=2)  # nothing changed
    assert entries(ctx)[0].version == 2
    delete_entry(ctx, entry_id, expected_version=2)
    assert entries(ctx) == []


def test_stale_edit_keeps_the_colleagues_values(ctx: Context) -> None:
    pid = make_project(ctx)
    entry_id = add_entry(ctx, pid, draft())
    update_entry(ctx, entry_id, draft(vendor="HP", amount="99.00"), expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else") as exc:
        update_entry(ctx, entry_id, draft(vendor="Lenovo", amount="5.00"), expected_version=1)
    assert "ledger entry 2026-03-02 HP" in str(exc.value)
    (row,) = entries(ctx)
    assert (row.vendor, row.amount, row.version) == ("HP", Decimal("99.00"), 2)
    assert {a.new_value for a in activity(ctx, "update")} == {"HP", "99.00"}


def test_stale_delete_keeps_the_colleagues_entry(ctx: Context) -> None:
    pid = make_project(ctx)
    entry_id = add_entry(ctx, pid, draft())
    update_entry(ctx, entry_id, draft(vendor="HP"), expected_version=1)
    with pytest.raises(ConflictError, match="reload to see their edit"):
        delete_entry(ctx, entry_id, expected_version=1)
    (row,) = entries(ctx)
    assert (row.vendor, row.version) == ("HP", 2)
    assert activity(ctx, "delete") == []


# --- CSV import ----------------------------------------------------------------------------


def test_import_comma_file(ctx: Context) -> None:
    pid = make_project(ctx)
    report = import_ledger_csv(ctx, DATA / "bank-comma.csv", "alpha")
    assert report.rows == 3 and report.source == "bank-comma.csv"
    assert report.totals == {"committed": Decimal("480.00"), "actual": Decimal("1134.60")}
    rows = entries(ctx)
    assert [(r.entry_date, r.vendor, r.amount, r.kind, r.invoice_ref) for r in rows] == [
        (date(2026, 3, 2), "Dell", Decimal("1234.50"), "actual", "INV-1001"),
        (date(2026, 3, 3), "Microsoft", Decimal("480.00"), "committed", ""),
        (date(2026, 3, 5), "Dell", Decimal("-99.90"), "actual", "CN-17"),
    ]
    assert all(r.project_id == pid for r in rows)
    (log,) = activity(ctx, "import")
    assert log.summary == "imported 3 ledger entries from bank-comma.csv"
    assert log.project_id == pid
    assert activity(ctx, "create") == []


def test_import_semicolon_european_file_with_debit_credit(ctx: Context) -> None:
    make_project(ctx)
    report = import_ledger_csv(
        ctx, DATA / "erp-semicolon.csv", "ALPHA", default_category="Vendor Services"
    )
    assert report.rows == 3
    rows = entries(ctx)
    assert [(r.entry_date, r.vendor, r.description, r.amount, r.kind) for r in rows] == [
        (date(2026, 3, 1), "Contoso GmbH", "Rollout week 1", Decimal("1234.50"), "actual"),
        (date(2026, 3, 15), "Contoso GmbH", "Gutschrift", Decimal("-200.00"), "actual"),
        (date(2026, 3, 20), "Fabrikam AG", "Support contract", Decimal("12000.00"), "committed"),
    ]
    assert {r.category for r in rows} == {"vendor services"}
    assert report.totals["actual"] == Decimal("1034.50")


def test_tab_file_and_bad_default_category(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    path = tmp_path / "tabs.tsv"
    path.write_text("Posting Date\tPayee\tValue\n31/12/2026\tACME\t1,000.00\n", encoding="utf-8")
    with pytest.raises(ItpmError, match="default category 'furniture'"):
        import_ledger_csv(ctx, path, "ALPHA", default_category="furniture")
    report = import_ledger_csv(ctx, path, "ALPHA", default_category="labour")
    assert report.totals["actual"] == Decimal("1000.00")
    assert entries(ctx)[0].entry_date == date(2026, 12, 31)


def test_bad_rows_are_all_reported_and_nothing_written(ctx: Context) -> None:
    make_project(ctx)
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, DATA / "bad-rows.csv", "ALPHA")
    found = [(p.line, p.field) for p in exc.value.problems]
    assert found == [(3, "date"), (4, "category"), (5, "amount")]
    message = str(exc.value)
    assert "3 problems, nothing was written" in message
    assert "line 3, date: '2026-02-30' is not a date" in message
    assert "line 4, category:" in message and "furniture" in message
    assert "line 5, amount: '12.345' is ambiguous" in message
    assert entries(ctx) == []
    assert activity(ctx, "import") == []


def test_missing_columns_and_unusable_files(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    with pytest.raises(LedgerCsvError, match=r"missing required columns: date .*; amount") as exc:
        import_ledger_csv(ctx, DATA / "missing-columns.csv", "ALPHA")
    assert exc.value.problems == []

    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(LedgerCsvError, match="the file is empty"):
        import_ledger_csv(ctx, empty, "ALPHA")

    headless = tmp_path / "headless.csv"
    headless.write_text("2026-03-01,Dell,100.00\n", encoding="utf-8")
    with pytest.raises(LedgerCsvError, match="line 1 must be a header"):
        import_ledger_csv(ctx, headless, "ALPHA")

    only_header = tmp_path / "header.csv"
    only_header.write_text("date,vendor,amount,category\n", encoding="utf-8")
    with pytest.raises(LedgerCsvError, match="no entries follow"):
        import_ledger_csv(ctx, only_header, "ALPHA")

    with pytest.raises(LedgerCsvError, match="does not exist"):
        import_ledger_csv(ctx, tmp_path / "nope.csv", "ALPHA")
    assert entries(ctx) == []


def test_unknown_project(ctx: Context) -> None:
    make_project(ctx)
    with pytest.raises(ItpmError, match="no project with code 'NOPE'"):
        import_ledger_csv(ctx, DATA / "bank-comma.csv", "nope")
    assert entries(ctx) == []


def test_amount_formats_are_checked_per_file(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    comma = tmp_path / "comma.csv"
    comma.write_text(
        'date,vendor,amount,category\n2026-03-01,A,"12,50",labour\n2026-03-02,B,"1,000",labour\n',
        encoding="utf-8",
    )
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, comma, "ALPHA")
    assert [(p.line, p.field) for p in exc.value.problems] == [(3, "amount")]
    assert "the comma marks decimals in this file ('12,50' on line 2)" in str(exc.value)

    semi = tmp_path / "semi.csv"
    semi.write_text(
        "date;vendor;debit;credit;category\n"
        "2026-03-01;A;10,00;5,00;labour\n"
        "2026-03-02;B;-3,00;;labour\n"
        "2026-03-03;C;;;labour\n",
        encoding="utf-8",
    )
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, semi, "ALPHA")
    reasons = {p.line: p.reason for p in exc.value.problems}
    assert "not both" in reasons[2]
    assert "amounts are positive" in reasons[3]
    assert "required" in reasons[4]
    assert entries(ctx) == []
