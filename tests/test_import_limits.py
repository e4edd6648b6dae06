"""Every import (JSON portfolio, ledger CSV, MS Project XML) refuses what the forms refuse —
a control character, an over-long text, an amount finer than the currency's minor unit, a
date outside 1970–2200 — naming the row and the field and writing nothing; and a file with
many bad rows lists the first 100 problems and counts the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.formats.ledger_csv import LedgerCsvError, import_ledger_csv
from itpm_tui.formats.mspdi.importer import import_mspdi
from itpm_tui.formats.mspdi.schema import NS, MspdiError
from itpm_tui.formats.portfolio_json import TransferError, import_json
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import ALL_TABLES

ESC = "\x1b]52;c;aGk=\x07"  # sets the clipboard of the terminal it is printed to


def stored_rows(ctx: Context) -> int:
    with ctx.db.read() as session:
        return sum(
            session.exec(select(func.count()).select_from(model)).one() for model in ALL_TABLES
        )


# --- JSON ----------------------------------------------------------------------------------


def portfolio(**spoil: Any) -> dict[str, Any]:
    """A small valid export; `spoil` replaces (section, row-0 column) values."""
    document: dict[str, Any] = {
        "format": "itpm-portfolio",
        "version": 1,
        "projects": [{"id": 1, "code": "FW-26", "name": "Firewall", "currency": "EUR"}],
        "tasks": [{"id": 1, "project_id": 1, "name": "Cut over", "planned_start": "2026-04-01"}],
        "ledger_entries": [
            {
                "id": 1,
                "project_id": 1,
                "entry_date": "2026-03-02",
                "category": "hardware",
                "vendor": "Dell",
                "amount": "1234.50",
            }
        ],
    }
    for key, value in spoil.items():
        section, column = key.split("__")
        document[section][0][column] = value
    return document


def write_json(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_clean_portfolio_imports(ctx: Context, tmp_path: Path) -> None:
    assert import_json(ctx, write_json(tmp_path, portfolio())).total == 3


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (
            {"projects__name": f"Firewall{ESC}"},
            "projects row 1, field name: control character U+001B (escape) is not allowed",
        ),
        (
            {"tasks__description": "line one\nline two\x9b2J"},
            "tasks row 1, field description: control character U+009B is not allowed",
        ),
        (
            {"ledger_entries__vendor": "Dell\r\nInc"},
            "ledger_entries row 1, field vendor: control character U+000D "
            "(carriage return) is not allowed",
        ),
        (
            {"projects__scope": "x" * 1_000_000},
            "projects row 1, field scope: must be at most 4000 characters",
        ),
        (
            {"tasks__blocked_reason": "x" * 501},
            "tasks row 1, field blocked_reason: must be at most 500 characters",
        ),
        (
            {"ledger_entries__amount": "0.001"},
            "ledger_entries row 1, field amount: EUR amounts have at most 2 decimal places, "
            "got '0.001'",
        ),
        ({"ledger_entries__amount": "0.00"}, "ledger_entries row 1, field amount: must not be 0"),
        (
            {"tasks__planned_start": "9999-12-31"},
            "tasks row 1, field planned_start: must be between 1970 and 2200, got 9999-12-31",
        ),
        (
            {"ledger_entries__entry_date": "1900-01-01"},
            "ledger_entries row 1, field entry_date: must be between 1970 and 2200, got 1900-01-01",
        ),
    ],
)
def test_json_refuses_what_the_forms_refuse(
    ctx: Context, tmp_path: Path, spoil: dict[str, Any], problem: str
) -> None:
    with pytest.raises(TransferError) as caught:
        import_json(ctx, write_json(tmp_path, portfolio(**spoil)))
    assert [str(p) for p in caught.value.problems] == [problem]
    assert "\x1b" not in str(caught.value) and "\x9b" not in str(caught.value)
    assert stored_rows(ctx) == 0


def test_json_amounts_follow_the_projects_currency(ctx: Context, tmp_path: Path) -> None:
    document = portfolio(projects__currency="JPY", ledger_entries__amount="1234.5")
    with pytest.raises(TransferError) as caught:
        import_json(ctx, write_json(tmp_path, document))
    assert [p.reason for p in caught.value.problems] == [
        "JPY amounts have at most 0 decimal places, got '1234.5'"
    ]
    document = portfolio(projects__currency="KWD", ledger_entries__amount="1234.125")
    assert import_json(ctx, write_json(tmp_path, document)).total == 3


def test_json_with_many_bad_rows_lists_100_problems(ctx: Context, tmp_path: Path) -> None:
    document = portfolio()
    row = document["ledger_entries"][0]
    document["ledger_entries"] = [{**row, "id": n, "amount": "0.001"} for n in range(1, 20_001)]
    with pytest.raises(TransferError) as caught:
        import_json(ctx, write_json(tmp_path, document))
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("20,000 problems, nothing was written:")
    assert len(lines) == 102
    assert lines[-1] == "… and 19,900 more problems"
    assert len(caught.value.problems) == 20_000
    assert stored_rows(ctx) == 0


# --- ledger CSV ----------------------------------------------------------------------------


@pytest.fixture
def project(ctx: Context) -> str:
    create_project(ctx, ProjectDraft(code="FW-26", name="Firewall"))
    return "FW-26"


def write_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "bank.csv"
    text = "date,vendor,description,category,amount,invoice\n" + "\n".join(rows) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            f"2026-03-02,Dell{ESC},Laptops,hardware,10.00,",
            "line 2, vendor: control character U+001B",
        ),
        (
            f"2026-03-02,Dell,{'x' * 201},hardware,10.00,",
            "line 2, description: must be at most 200 characters",
        ),
        (
            "2026-03-02,Dell,Laptops,hardware,0.001,",
            "line 2, amount: EUR amounts have at most 2 decimal places",
        ),
        (
            "9999-12-31,Dell,Laptops,hardware,10.00,",
            "line 2, date: must be between 1970 and 2200, got 9999-12-31",
        ),
        (
            "2026-03-02,Dell,Laptops,hardware,10.00,INV\x0c1",
            "line 2, invoice: control character U+000C is not allowed",
        ),
    ],
)
def test_csv_refuses_what_the_forms_refuse(
    ctx: Context, project: str, tmp_path: Path, row: str, problem: str
) -> None:
    before = stored_rows(ctx)
    with pytest.raises(LedgerCsvError) as caught:
        import_ledger_csv(ctx, write_csv(tmp_path, row), project)
    assert next(str(p) for p in caught.value.problems).startswith(problem)
    assert "\x1b" not in str(caught.value)
    assert stored_rows(ctx) == before


def test_csv_with_thousands_of_bad_rows_prints_101_problem_lines(
    tmp_path: Path, ctx: Context, project: str
) -> None:
    """Run as a user would: the whole error goes to stderr, exit 2, nothing written. (The cap
    is one function, `problem_lines`, tested at 300,000 in test_limits; 3,000 rows keep this
    end-to-end run short.)"""
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("date,vendor,category,amount\n")
        out.writelines("2026-03-02,Dell,hardware,0.001\n" for _ in range(3_000))
    before = stored_rows(ctx)
    result = _run_import(tmp_path / "itpm.db", path, project)
    assert result.returncode == 2, result.stderr[-500:]
    lines = result.stderr.strip().splitlines()
    assert "3,000 problems, nothing was written" in lines[0]
    assert len(lines) == 102, lines[:3]
    assert lines[-1] == "… and 2,900 more problems"
    assert len(result.stderr) < 20_000
    assert stored_rows(ctx) == before


def _run_import(db: Path, path: Path, project: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "itpm_tui",
            "--db",
            str(db),
            "import",
            str(path),
            "--project",
            project,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
        stdin=subprocess.DEVNULL,
    )


# --- MS Project XML ------------------------------------------------------------------------


def plan(task: str = "<Name>Cut over</Name>", title: str = "Edge") -> str:
    return (
        f'<Project xmlns="{NS}"><Title>{title}</Title><Tasks><Task><UID>1</UID>{task}'
        "<Start>2026-04-06T08:00:00</Start><Finish>2026-04-07T17:00:00</Finish>"
        "</Task></Tasks></Project>"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (plan(), ""),
        (plan(title="Edge\u009b2J"), "<Project>: <Title> control character U+009B"),
        (
            plan("<Name>Cut\u0085over</Name>"),
            "task UID 1: name: control character U+0085 is not allowed",
        ),
        (
            plan(f"<Name>Cut over</Name><Notes>{'x' * 4001}</Notes>"),
            "task UID 1 'Cut over': notes: must be at most 4000 characters",
        ),
        (
            plan().replace("2026-04-07T17:00:00", "9999-12-31T17:00:00"),
            "<Finish> must be between 1970 and 2200, got 9999-12-31",
        ),
        (
            plan("<Name>Long</Name><Duration>PT99999999H0M0S</Duration>").replace(
                "<Finish>2026-04-07T17:00:00</Finish>", ""
            ),
            "<Duration> must be at most 3650 working days",
        ),
    ],
)
def test_mspdi_refuses_what_the_forms_refuse(
    ctx: Context, tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "plan.xml"
    path.write_text(body, encoding="utf-8")
    if not message:
        assert import_mspdi(ctx, path).tasks == 1
        return
    with pytest.raises(MspdiError) as caught:
        import_mspdi(ctx, path)
    assert message in str(caught.value)
    assert "\x9b" not in str(caught.value) and "\x85" not in str(caught.value)
    assert stored_rows(ctx) == 0


def test_mspdi_resource_with_a_control_character_is_refused(ctx: Context, tmp_path: Path) -> None:
    body = plan().replace(
        "</Tasks>",
        "</Tasks><Resources><Resource><UID>1</UID><Name>Ann\u009b2J</Name></Resource>"
        "</Resources><Assignments><Assignment><TaskUID>1</TaskUID><ResourceUID>1"
        "</ResourceUID></Assignment></Assignments>",
    )
    path = tmp_path / "plan.xml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(MspdiError, match=r"resource UID 1: <Name> control character U\+009B"):
        import_mspdi(ctx, path)
    assert stored_rows(ctx) == 0


# --- closures from an iCalendar file -------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("DTSTART;VALUE=DATE:20261224\nSUMMARY:Closed\x1b[2J\n", "line 4: SUMMARY: control"),
        (
            "DTSTART;VALUE=DATE:99991224\nSUMMARY:Closed\n",
            "line 2: the event's days must be between 1970 and 2200",
        ),
    ],
)
def test_ics_closures_refuse_what_the_forms_refuse(event: str, message: str) -> None:
    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.formats.ics_closures import read_closures

    text = f"BEGIN:VCALENDAR\nBEGIN:VEVENT\n{event}END:VEVENT\nEND:VCALENDAR\n"
    with pytest.raises(ValidationError) as caught:
        read_closures(text)
    assert str(caught.value).startswith(message)
