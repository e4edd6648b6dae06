"""Ledger CSV files as banks and accounting systems write them: sign conventions, per-file
date orders and decimal marks, entries already booked, Xero and `Amount (EUR)` headers,
cp1252 and UTF-16, title rows, progress — each on a small file shaped like the real export."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.errors import ItpmError
from itpm_tui.formats.ledger_csv import (
    CsvOptions,
    LedgerCsvError,
    _split_sign,
    import_ledger_csv,
    scan_ledger_csv,
)
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity, LedgerEntry

pytestmark = pytest.mark.both_backends

DATA = Path(__file__).parent / "data" / "ledger"


def make_project(ctx: Context, code: str = "ALPHA", currency: str = "EUR") -> None:
    create_project(ctx, ProjectDraft(code=code, name=f"Project {code}", currency=currency))


def stored(ctx: Context) -> list[tuple[date, str, str, Decimal, str]]:
    with ctx.db.read() as session:
        rows = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.id))).all()
        return [(r.entry_date, r.vendor, r.description, r.amount, r.invoice_ref) for r in rows]


def imports_logged(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        found = session.exec(
            select(Activity.summary).where(
                Activity.entity == "ledgerentry", Activity.action == "import"
            )
        )
        return list(found.all())


def write(tmp_path: Path, text: str, name: str = "costs.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- sign conventions ----------------------------------------------------------------------


def test_a_bank_statement_is_refused_as_costs_positive_naming_the_rows(ctx: Context) -> None:
    make_project(ctx)
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, DATA / "chase-checking.csv", "ALPHA", "hardware")
    message = str(exc.value)
    assert "--amounts costs-positive (the default)" in message
    assert "in column 'Amount' 3 of 4 rows would be credits (lines 2, 3, 5)" in message
    assert "pass --amounts bank" in message
    assert stored(ctx) == []


def test_a_bank_statement_with_amounts_bank(ctx: Context) -> None:
    """Chase: money out negative, a refund positive, month-first dates, `Details` (DEBIT or
    CREDIT) beside `Description`."""
    make_project(ctx)
    options = CsvOptions(amounts="bank")
    report = import_ledger_csv(ctx, DATA / "chase-checking.csv", "ALPHA", "hardware", options)
    assert report.rows == 4
    assert [(d, desc, amount) for d, _, desc, amount, _ in stored(ctx)] == [
        (date(2026, 3, 2), "AMAZON WEB SERVICES AWS.AMAZON.CO", Decimal("1234.50")),
        (date(2026, 3, 16), "DELL MARKETING LP 800-456-3355 TX", Decimal("480.00")),
        (date(2026, 3, 20), "DELL MARKETING LP REFUND", Decimal("-99.90")),
        (date(2026, 4, 1), "CISCO SYSTEMS", Decimal("2500.00")),
    ]
    assert report.totals["actual"] == Decimal("4114.60")


def test_a_costs_file_is_refused_as_a_bank_statement(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    path = write(tmp_path, "date,vendor,category,amount\n2026-03-02,Dell,hardware,10.00\n")
    with pytest.raises(
        LedgerCsvError,
        match=r"--amounts bank a positive amount is a credit.*"
        r"1 of 1 rows .*\(lines 2\); .*pass --amounts costs-positive",
    ):
        import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(amounts="bank"))


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2))
def test_sign_forms_agree(value: Decimal) -> None:
    """`-1`, `(1)` (accounting) and `1-` (SAP) are the same negative number."""
    text = f"{value:,.2f}"
    assert _split_sign(f"-{text}") == _split_sign(f"({text})") == _split_sign(f"{text}-")
    assert _split_sign(f"-{text}") == (True, text)
    assert _split_sign(f"+{text}") == _split_sign(text) == (False, text)


def test_accounting_and_sap_negatives_are_credits(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    path = write(
        tmp_path,
        'date,vendor,category,amount\n2026-03-02,Dell,hardware,"1,234.50"\n'
        '2026-03-03,Dell,hardware,"(99.90)"\n2026-03-04,HP,hardware,12.00-\n'
        "2026-03-05,HP,hardware,+40.00\n",
    )
    import_ledger_csv(ctx, path, "ALPHA")
    assert [row[3] for row in stored(ctx)] == [
        Decimal("1234.50"),
        Decimal("-99.90"),
        Decimal("-12.00"),
        Decimal("40.00"),
    ]


# --- dates ---------------------------------------------------------------------------------


def test_month_first_is_decided_from_the_whole_file(ctx: Context) -> None:
    """`03/02/2026` is 2 March in a file where `03/16/2026` shows the month comes first."""
    make_project(ctx)
    import_ledger_csv(ctx, DATA / "chase-checking.csv", "ALPHA", "hardware", CsvOptions("bank"))
    assert stored(ctx)[0][0] == date(2026, 3, 2)


def test_day_first_is_decided_from_the_whole_file(ctx: Context) -> None:
    make_project(ctx)
    options = CsvOptions(amounts="bank")
    import_ledger_csv(ctx, DATA / "xero-statement.csv", "ALPHA", "software", options)
    assert [row[0] for row in stored(ctx)] == [
        date(2026, 3, 2),
        date(2026, 3, 15),
        date(2026, 3, 20),
    ]


def test_ambiguous_dates_are_refused_until_the_order_is_given(ctx: Context) -> None:
    make_project(ctx)
    path = DATA / "us-ambiguous-dates.csv"
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, path, "ALPHA")
    assert str(exc.value) == (
        "cannot import us-ambiguous-dates.csv: column 'Date': no date says whether the day "
        "or the month comes first ('03/02/2026' on line 2 could be either); "
        "pass --date-format DD/MM/YYYY or MM/DD/YYYY"
    )
    assert stored(ctx) == []
    import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(date_order="MM/DD/YYYY"))
    assert [row[0] for row in stored(ctx)] == [
        date(2026, 3, 2),
        date(2026, 4, 1),
        date(2026, 5, 6),
    ]


def test_a_file_mixing_day_first_and_month_first_is_refused(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    path = write(
        tmp_path,
        "date,vendor,category,amount\n25/03/2026,A,labour,1.00\n2026-03-01,B,labour,2.00\n"
        "03/26/2026,C,labour,3.00\n",
    )
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, path, "ALPHA")
    assert (
        "column 'date' has dates day first ('25/03/2026' on line 2) and month first "
        "('03/26/2026' on line 4); a file must use one order"
    ) in str(exc.value)


def test_a_date_against_the_given_order_names_line_column_and_order(
    ctx: Context, tmp_path: Path
) -> None:
    make_project(ctx)
    path = write(
        tmp_path,
        "Booking Date,Payee,Category,Amount\n03/02/2026,A,labour,1.00\n"
        '25/03/2026,B,labour,2.00\n2 Mar 2026,C,labour,3.00\n"March 4, 2026",D,labour,4.00\n'
        "yesterday,E,labour,5.00\n",
    )
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(date_order="MM/DD/YYYY"))
    assert [str(p) for p in exc.value.problems] == [
        "line 3, Booking Date: '25/03/2026' is not a date read as MM/DD/YYYY, "
        "as this file's dates are",
        "line 6, Booking Date: 'yesterday' is not a date; expected YYYY-MM-DD, DD/MM/YYYY, "
        "MM/DD/YYYY, DD.MM.YYYY or 2 Mar 2026",
    ]


# --- decimal marks -------------------------------------------------------------------------


def test_a_file_with_a_decimal_point_refuses_1_500(ctx: Context) -> None:
    make_project(ctx)
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, DATA / "mixed-decimals.csv", "ALPHA")
    (problem,) = exc.value.problems
    assert str(problem) == (
        "line 3, Amount: '1.500' is ambiguous: the point marks decimals in this file "
        "('1234.50' on line 2) but here it may group thousands; write 1500 if it is "
        "thousands, or pass --decimal-mark point to read three decimals"
    )
    assert stored(ctx) == []


def test_point_and_comma_as_decimal_marks_in_one_file_are_refused(
    ctx: Context, tmp_path: Path
) -> None:
    make_project(ctx)
    path = write(
        tmp_path,
        'date,vendor,category,amount\n2026-03-02,A,labour,1234.50\n2026-03-03,B,labour,"12,50"\n',
    )
    with pytest.raises(
        LedgerCsvError,
        match=r"point as decimal mark \('1234.50' on line 2\) "
        r"and others the comma \('12,50' on line 3\)",
    ):
        import_ledger_csv(ctx, path, "ALPHA")


def test_a_comma_file_with_decimal_commas_is_read_as_such(ctx: Context, tmp_path: Path) -> None:
    """Decided per file, not by the delimiter: a comma-separated file whose quoted amounts
    use the decimal comma."""
    make_project(ctx)
    path = write(
        tmp_path,
        'date,vendor,category,amount\n2026-03-02,A,labour,"12,50"\n'
        '2026-03-03,B,labour,"1.234,50"\n2026-03-04,C,labour,"1.000"\n',
    )
    import_ledger_csv(ctx, path, "ALPHA")
    assert [row[3] for row in stored(ctx)] == [
        Decimal("12.50"),
        Decimal("1234.50"),
        Decimal("1000.00"),
    ]


def test_zero_in_the_unused_debit_or_credit_column(ctx: Context) -> None:
    make_project(ctx)
    report = import_ledger_csv(ctx, DATA / "debit-credit-zeros.csv", "ALPHA", "vendor services")
    assert [row[3] for row in stored(ctx)] == [
        Decimal("1234.50"),
        Decimal("-200.00"),
        Decimal("12000.00"),
    ]
    assert report.totals["actual"] == Decimal("13034.50")


# --- headers, encodings, title rows -------------------------------------------------------


def test_xero_headers_and_amounts_in_eur(ctx: Context) -> None:
    make_project(ctx)
    report = import_ledger_csv(
        ctx, DATA / "xero-statement.csv", "ALPHA", "software", CsvOptions(amounts="bank")
    )
    assert report.rows == 3
    assert stored(ctx)[2] == (
        date(2026, 3, 20),
        "Dell",
        "Returned docking station",
        Decimal("-99.90"),
        "CN-17",
    )


def test_a_cp1252_statement_with_title_rows(ctx: Context) -> None:
    """Excel in a German locale: two title lines, semicolons, cp1252 (ü, €), `Amount (EUR)`."""
    make_project(ctx)
    path = DATA / "excel-de-statement.csv"
    with pytest.raises(LedgerCsvError, match=r"line 1 must be a header .* pass --skip-rows N"):
        import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(amounts="bank"))
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(amounts="bank", skip_rows=2))
    assert [str(p) for p in exc.value.problems[:2]] == [
        "line 4, Payee: byte 0xFC is not UTF-8 text; if Excel on Windows saved it, "
        "pass --encoding cp1252",
        "line 4, Memo: byte 0xFC is not UTF-8 text; if Excel on Windows saved it, "
        "pass --encoding cp1252",
    ]
    assert stored(ctx) == []
    options = CsvOptions(amounts="bank", skip_rows=2, encoding="cp1252")
    import_ledger_csv(ctx, path, "ALPHA", options=options)
    assert stored(ctx) == [
        (date(2026, 3, 2), "Müller GmbH", "Verkabelung Büro 3", Decimal("1234.50"), ""),
        (date(2026, 3, 16), "Fabrikam AG", "Wartung € Support", Decimal("12000.00"), ""),
        (date(2026, 3, 20), "Müller GmbH", "Gutschrift", Decimal("-99.90"), ""),
    ]


def test_amounts_in_another_currency_are_refused(ctx: Context) -> None:
    make_project(ctx, "USD1", currency="USD")
    options = CsvOptions(amounts="bank", skip_rows=2, encoding="cp1252")
    with pytest.raises(
        ItpmError,
        match="amounts are in EUR but project USD1 keeps its ledger in USD",
    ):
        import_ledger_csv(ctx, DATA / "excel-de-statement.csv", "USD1", options=options)
    assert stored(ctx) == []


def test_a_utf16_file_from_excel_unicode_text(ctx: Context, tmp_path: Path) -> None:
    """Excel's "Unicode Text": UTF-16 with a byte-order mark, tab separated — read without
    being told; `--encoding utf-16` says the same."""
    make_project(ctx)
    text = "Date\tVendor\tCategory\tAmount\r\n2026-03-02\tSøren & Co\thardware\t1,234.50\r\n"
    path = write(tmp_path, text, encoding="utf-16")
    import_ledger_csv(ctx, path, "ALPHA")
    import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(encoding="UTF-16"))
    assert stored(ctx) == [(date(2026, 3, 2), "Søren & Co", "", Decimal("1234.50"), "")]
    bare = write(tmp_path, text, "bare.csv", encoding="utf-16-le")
    with pytest.raises(LedgerCsvError, match=r"NUL characters.*pass --encoding utf-16"):
        import_ledger_csv(ctx, bare, "ALPHA")
    with pytest.raises(LedgerCsvError, match="--encoding 'klingon' is not an encoding"):
        import_ledger_csv(ctx, path, "ALPHA", options=CsvOptions(encoding="klingon"))


def test_a_header_named_as_the_field_wins_over_a_synonym(tmp_path: Path) -> None:
    path = write(tmp_path, "Details,Memo,Date,Amount\nDEBIT,x,2026-03-02,1.00\n")
    with pytest.raises(LedgerCsvError, match="'Details' and 'Memo' both give the description"):
        scan_ledger_csv(path, default_category="labour")
    fine = write(
        tmp_path, "Details,Description,Date,Memo,Amount\nDEBIT,x,2026-03-02,y,1\n", "b.csv"
    )
    layout = scan_ledger_csv(fine, default_category="labour")
    (row,) = list(layout.drafts())
    assert row.draft.description == "x"


# --- entries already booked ----------------------------------------------------------------


def test_importing_a_file_twice_skips_what_is_booked(ctx: Context) -> None:
    make_project(ctx)
    first = import_ledger_csv(ctx, DATA / "bank-comma.csv", "ALPHA")
    assert (first.rows, first.skipped) == (3, 0)
    again = import_ledger_csv(ctx, DATA / "bank-comma.csv", "ALPHA")
    assert (again.rows, again.skipped) == (0, 3)
    assert "3 were already in the ledger" in again.summary
    assert "--allow-duplicates" in again.summary
    assert len(stored(ctx)) == 3
    assert imports_logged(ctx) == ["imported 3 ledger entries from bank-comma.csv"]
    forced = import_ledger_csv(
        ctx, DATA / "bank-comma.csv", "ALPHA", options=CsvOptions(allow_duplicates=True)
    )
    assert (forced.rows, forced.skipped) == (3, 0)
    assert len(stored(ctx)) == 6


def test_equal_rows_are_counted_not_collapsed(ctx: Context, tmp_path: Path) -> None:
    """Two equal coffees booked; a later statement holding three of them adds one, and the
    rows of another project or another day are not matched."""
    make_project(ctx)
    make_project(ctx, "BETA")
    head = "date,vendor,category,amount\n"
    coffee = "2026-03-02,Café,labour,3.50\n"
    import_ledger_csv(ctx, write(tmp_path, head + coffee * 2), "ALPHA")
    import_ledger_csv(ctx, write(tmp_path, head + coffee * 5), "BETA")
    report = import_ledger_csv(
        ctx,
        write(tmp_path, head + coffee * 3 + "2026-03-03,Café,labour,3.50\n"),
        "ALPHA",
    )
    assert (report.rows, report.skipped) == (2, 2)
    assert len(stored(ctx)) == 2 + 5 + 2


# --- refusals name line, column and rule; nothing is written -------------------------------


def test_bad_cells_name_the_column_as_the_file_does(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    path = write(
        tmp_path,
        "*Date,*Amount,Payee,Cost Category\n2026-03-02,abc,A,labour\n2026-03-03,5.00,B,furniture\n",
    )
    with pytest.raises(LedgerCsvError) as exc:
        import_ledger_csv(ctx, path, "ALPHA")
    assert [str(p).split(":")[0] for p in exc.value.problems] == [
        "line 2, *Amount",
        "line 3, Cost Category",
    ]
    assert "expected e.g. 1,234.50" in exc.value.problems[0].reason
    assert stored(ctx) == [] and imports_logged(ctx) == []


def test_a_bad_row_after_many_good_ones_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    """Rows are written a batch at a time as they are checked: one bad row at the end rolls
    every batch back."""
    make_project(ctx)
    good = "".join(f"2026-03-02,V{n},labour,{n + 1}.00\n" for n in range(2_500))
    path = write(tmp_path, "date,vendor,category,amount\n" + good + "2026-03-02,X,labour,0.00\n")
    with pytest.raises(LedgerCsvError, match="line 2502, amount: must be greater than 0"):
        import_ledger_csv(ctx, path, "ALPHA")
    assert stored(ctx) == []


def test_progress_is_told_through_both_passes(ctx: Context, tmp_path: Path) -> None:
    make_project(ctx)
    rows = "".join(f"2026-03-02,V{n},labour,{n + 1}.00\n" for n in range(3_000))
    path = write(tmp_path, "date,vendor,category,amount\n" + rows)
    calls: list[tuple[str, int, int, int]] = []
    import_ledger_csv(ctx, path, "ALPHA", progress=lambda *call: calls.append(call))
    assert [(section, n) for section, n, _, _ in calls] == [
        ("dates and amounts", 1000),
        ("dates and amounts", 2000),
        ("dates and amounts", 3000),
        ("entries", 1000),
        ("entries", 2000),
        ("entries", 3000),
    ]
    size = path.stat().st_size
    assert all(total == size and 0 < read <= size for _, _, read, total in calls)


# --- the command line ----------------------------------------------------------------------


def itpm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        stdin=subprocess.DEVNULL,
    )


def test_command_line_options(tmp_path: Path) -> None:
    db = str(tmp_path / "itpm.db")
    assert itpm("--db", db, "project", "add", "ALPHA", "Alpha").returncode == 0
    ambiguous = itpm(
        "--db", db, "import", str(DATA / "us-ambiguous-dates.csv"), "--project", "alpha"
    )
    assert ambiguous.returncode == 2
    assert ambiguous.stderr.count("\n") == 1 and "--date-format" in ambiguous.stderr
    done = itpm(
        "--db", db, "import", str(DATA / "excel-de-statement.csv"), "--project", "ALPHA",
        "--amounts", "bank", "--skip-rows", "2", "--encoding", "cp1252",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "imported 3 ledger entries from excel-de-statement.csv\n"
    again = itpm(
        "--db", db, "import", str(DATA / "us-ambiguous-dates.csv"), "--project", "ALPHA",
        "--date-format", "mm/dd/yyyy", "--decimal-mark", "point",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    twice = itpm(
        "--db", db, "import", str(DATA / "us-ambiguous-dates.csv"), "--project", "ALPHA",
        "--date-format", "MM/DD/YYYY",
    )  # fmt: skip
    assert "imported 0 ledger entries" in twice.stdout and "3 were already" in twice.stdout
    wrong = itpm("--db", db, "import", str(tmp_path / "p.json"), "--amounts", "bank")
    assert wrong.returncode == 2 and ".csv options apply to .csv files only" in wrong.stderr
