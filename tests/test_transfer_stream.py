"""The streamed portfolio transfer: the JSON reader reads what `json.loads` reads (and names
the same line and column when it cannot), the export is one row per line, an import takes
sections and rows in any order, and a progress line shows on a terminal only."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.limits import control_rule
from itpm_tui.domain.text import is_control
from itpm_tui.formats import json_stream
from itpm_tui.formats.json_stream import JSONStreamError, ObjectReader
from itpm_tui.formats.portfolio_json import TransferError, export_json, import_json, write_json
from tests.test_transfer import build_portfolio, counts, fresh, without_stamp

ROOT = Path(__file__).resolve().parents[1]


def streamed(text: str) -> Any:
    """What the reader gives for `text`, lists read whole; or ("error", msg, line, col)."""
    reader = ObjectReader(io.BytesIO(text.encode("utf-8")), json.JSONDecoder())
    try:
        if not reader.is_object():
            return reader.whole()
        return {k: list(v) if hasattr(v, "__next__") else v for k, v in reader.items()}
    except JSONStreamError as exc:
        return ("error", exc.msg, exc.lineno, exc.colno)


def loaded(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.lineno, exc.colno)


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "CHUNK", 5)  # values cross the window's edge


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2, {"x": "a long enough string"}], "b": 3}',
        "{}",
        " [1, 2] ",
        '{"a": [ ]}',
        '{"a": [1,]}',
        '{\n  "a": [\n    {"x": 1},\n    {"x": 2,}\n  ]\n}',
        '{"a": 1} x',
        '{"a" 1}',
        '{\n "abc": [1, 2\n',
        '{"a": "unterminated',
        '{"format": "itpm-portfolio",\n "version": 1,\n "people": [}\n',
    ],
)
def test_the_reader_reads_what_json_loads_reads(text: str, tiny_chunks: None) -> None:
    assert streamed(text) == loaded(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=6), st.lists(json_values, max_size=5) | json_values))
def test_any_object_reads_as_json_loads_reads_it(document: dict[str, Any]) -> None:
    for indent in (None, 2):
        text = json.dumps(document, indent=indent, ensure_ascii=False)
        assert streamed(text) == json.loads(text)


def test_a_byte_that_is_not_utf8_is_named_by_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"format": "itpm-portfolio", "x": "caf\xe9"}')
    with pytest.raises(TransferError, match=r"not UTF-8 text \(bad byte at offset 38\)"):
        import_json(fresh(tmp_path, "b.db"), path)


@pytest.mark.parametrize("multiline", [False, True])
def test_the_control_rule_is_the_display_rule(multiline: bool) -> None:
    """One search finds what `is_control` names, but tab (and line break where allowed)."""
    for code in range(0x250):
        allowed = code == 0x09 or (multiline and code == 0x0A)
        broken = control_rule(f"ab{chr(code)}c", multiline=multiline) is not None
        assert broken == (is_control(chr(code)) and not allowed), hex(code)


# --- export --------------------------------------------------------------------------------


def test_the_export_is_one_row_per_line_and_the_same_document(tmp_path: Path) -> None:
    ctx = fresh(tmp_path, "a.db")
    build_portfolio(ctx.db)
    stream = io.StringIO()
    write_json(ctx.db, stream)
    text = stream.getvalue()
    assert without_stamp(json.loads(text)) == without_stamp(export_json(ctx.db))
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "format": "itpm-portfolio",', '  "version": 1,']
    rows = [line for line in lines if line.startswith("    {")]
    assert len(rows) == sum(counts(ctx.db).values())
    assert all(json.loads(line.rstrip(",")) for line in rows)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in text), "C1 controls escaped"


def test_an_export_to_a_path_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    ctx = fresh(tmp_path, "a.db")
    build_portfolio(ctx.db)
    target = tmp_path / "out.json"
    write_json(ctx.db, target)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    assert json.loads(target.read_text(encoding="utf-8"))["projects"][0]["code"] == "FW-26"


# --- import in any order --------------------------------------------------------------------


def reordered(document: dict[str, Any]) -> dict[str, Any]:
    """Sections last to first and rows of each last to first: children before parents."""
    keys = [k for k in document if isinstance(document[k], list)]
    out: dict[str, Any] = {k: list(reversed(document[k])) for k in reversed(keys)}
    out.update({k: v for k, v in document.items() if k not in keys})
    return out


def test_sections_and_rows_in_any_order_import_alike(tmp_path: Path) -> None:
    ctx = fresh(tmp_path, "a.db")
    build_portfolio(ctx.db)
    document = export_json(ctx.db)
    path = tmp_path / "backwards.json"
    path.write_text(json.dumps(reordered(document), ensure_ascii=False), encoding="utf-8")
    other = fresh(tmp_path, "b.db")
    report = import_json(other, path)
    assert report.total == sum(counts(ctx.db).values())
    again = export_json(other.db)
    for key, rows in document.items():
        if isinstance(rows, list) and key != "activity":
            assert again[key] == rows, key


def test_a_bad_row_late_in_the_file_leaves_nothing_written(tmp_path: Path) -> None:
    ctx = fresh(tmp_path, "a.db")
    build_portfolio(ctx.db)
    document = export_json(ctx.db)
    document["communications"][-1]["summary"] = "x\x1b[2J"
    document["ledger_entries"][0]["amount"] = Decimal("1.5")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, default=float), encoding="utf-8")
    other = fresh(tmp_path, "b.db")
    before = counts(other.db)
    with pytest.raises(TransferError) as caught:
        import_json(other, path)
    assert {(p.table, p.field) for p in caught.value.problems} == {
        ("ledger_entries", "amount"),
        ("communications", "summary"),
    }
    assert counts(other.db) == before


# --- progress -----------------------------------------------------------------------------


def _exported(tmp_path: Path) -> Path:
    ctx = fresh(tmp_path, "a.db")
    build_portfolio(ctx.db)
    path = tmp_path / "portfolio.json"
    write_json(ctx.db, path)
    return path


def _itpm_import(db: Path, path: Path, stderr: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), ITPM_CONFIG=str(db.with_suffix(".toml")))
    env.pop("ITPM_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), "import", str(path)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def test_the_progress_line_shows_on_a_terminal_and_is_erased(tmp_path: Path) -> None:
    path = _exported(tmp_path)
    master, slave = pty.openpty()
    child = _itpm_import(tmp_path / "t.db", path, slave)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            piece = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not piece:
            break
        shown += piece
    out, _ = child.communicate(timeout=60)
    os.close(master)
    assert child.returncode == 0, shown
    assert b"\rimporting: " in shown and b"% of the file read" in shown
    assert b"\x1b" not in shown, "plain text: no escape sequence"
    last = shown.rsplit(b"\r", 2)
    assert last[-1] == b"" and last[-2].strip() == b"", "the line is blanked at the end"
    assert out.startswith(b"imported ")


def test_no_progress_when_stderr_is_piped(tmp_path: Path) -> None:
    path = _exported(tmp_path)
    child = _itpm_import(tmp_path / "p.db", path, subprocess.PIPE)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert err == b""
    assert out.startswith(b"imported ")
