"""`itpm report` and `itpm export --format vcard|ics`: files, refusals and one-line errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli as run

from itpm_tui.services.context import Context

AS_OF = ("--as-of", "2026-03-18")


def one_line_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def db_arg(demo_ctx: Context, db_path: Path) -> tuple[str, str]:
    return ("--db", str(db_path))


def test_report_prints_to_standard_output(
    capsys: pytest.CaptureFixture[str], db_arg: tuple[str, str]
) -> None:
    code, out, err = run(capsys, *db_arg, "report", "fw-26", *AS_OF)
    assert code == 0, err
    assert out.startswith("FW-26 — Firewall upgrade to FortiGate HA\n")
    assert "as of 2026-03-18" in out and err == ""
    code, out, _ = run(
        capsys, *db_arg, "report", "FW-26", "--format", "md", "--audience", "technical", *AS_OF
    )
    assert code == 0 and out.startswith("# FW-26") and "| CPI |" in out


def test_report_to_a_file_refuses_to_overwrite_without_force(
    capsys: pytest.CaptureFixture[str], db_arg: tuple[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "fw.html"
    code, out, err = run(
        capsys, *db_arg, "report", "FW-26", "--format", "html", "-o", str(target), *AS_OF
    )
    assert code == 0, err
    assert out == "" and "written to" in err
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>")

    target.write_text("keep me")
    code, out, err = run(
        capsys, *db_arg, "report", "FW-26", "--format", "md", "-o", str(target), *AS_OF
    )
    assert code == 2
    one_line_error(err, "already exists", "--force")
    assert target.read_text() == "keep me"

    code, _, err = run(
        capsys,
        *db_arg,
        "report",
        "FW-26",
        "--closing",
        "--format",
        "md",
        "-o",
        str(target),
        "--force",
        *AS_OF,
    )
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("# FW-26")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("report", "NOPE"), "no project with code 'NOPE'"),
        (("report", "FW-26", "--format", "pdf"), "--format"),
        (("report", "FW-26", "--audience", "board"), "--audience"),
        (("report", "FW-26", "--as-of", "18/03/2026x"), "--as-of"),
        (("report", "FW-26", "--as-of", ""), "--as-of"),
        (("export", "NOPE", "--format", "vcard"), "NOPE"),
        (("export", "--format", "ics"), "code"),
        (("export", "FW-26", "--format", "ics", "-o", "/nonexistent/dir/x.ics"), "cannot write"),
    ],
)
def test_mistakes_are_one_line_errors_and_write_nothing(
    capsys: pytest.CaptureFixture[str],
    db_arg: tuple[str, str],
    tmp_path: Path,
    args: tuple[str, ...],
    needle: str,
) -> None:
    code, out, err = run(capsys, *db_arg, *args)
    assert code == 2
    one_line_error(err, needle)
    assert out == ""


def test_bad_format_is_refused_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], db_arg: tuple[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "r.pdf"
    code, _, err = run(capsys, *db_arg, "report", "FW-26", "--format", "pdf", "-o", str(target))
    assert code == 2
    one_line_error(err, "'pdf' is not one of")
    assert not target.exists()


def test_export_vcard_and_ics_files(
    capsys: pytest.CaptureFixture[str], db_arg: tuple[str, str], tmp_path: Path
) -> None:
    cards, calendar = tmp_path / "fw.vcf", tmp_path / "fw.ics"
    code, _, err = run(capsys, *db_arg, "export", "fw-26", "--format", "vcard", "-o", str(cards))
    assert code == 0, err
    data = cards.read_bytes()
    assert data.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n") and data.count(b"END:VCARD") == 4
    code, _, err = run(capsys, *db_arg, "export", "FW-26", "--format", "ics", "-o", str(calendar))
    assert code == 0, err
    data = calendar.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_export_ics_to_standard_output_keeps_crlf(db_arg: tuple[str, str]) -> None:
    """A real process: the calendar written to a pipe is byte for byte what a file gets."""
    result = subprocess.run(
        [sys.executable, "-m", "itpm_tui", *db_arg, "export", "FW-26", "--format", "ics"],
        capture_output=True,
        timeout=120,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert b"\n" not in result.stdout.replace(b"\r\n", b"")
    assert re.search(rb"\r\nUID:downtime-1-[0-9a-f-]{36}@itpm\r\n", result.stdout)
