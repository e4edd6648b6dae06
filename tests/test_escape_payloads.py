"""Stored text never reaches the terminal as a control sequence (issue 14).

The rule (`domain.text`), the guard every `Text` and `Content` goes through
(`formatting.show_controls_as_marks`), form values, error messages, command output and JSON;
and, the way the leaks were found, the short version of tests/robustness/escapes.py: a
payload in every text column, the real app in a real terminal (tmux), the raw bytes read.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import make_app, settle
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.text import (
    is_control,
    json_controls_escaped,
    printable,
    printable_lines,
    printable_output,
)
from itpm_tui.domain.validation import ValidationError
from itpm_tui.services.context import Context

ROOT = Path(__file__).resolve().parent.parent
OSC52 = "\x1b]52;c;UFdORUQ=\x07"


def escapes_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "robustness_escapes", ROOT / "tests" / "robustness" / "escapes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the rule ----------------------------------------------------------------------------------


def test_controls_become_marks_and_the_rest_is_kept() -> None:
    assert printable(f"FW {OSC52}\x9b2J\x7f é [b]") == (
        "FW \\x1b]52;c;UFdORUQ=\\x07\\x9b2J\\x7f é [b]"
    )
    assert printable("a\tb\nc") == "a\tb\\x0ac"
    assert printable_lines("a\tb\nc\rd") == "a\tb\nc\\x0dd"
    assert printable(None) == ""
    # a right-to-left override would show "FW-26 exe.txt" as "FW-26 txt.exe"
    assert printable("FW-26 \u202eexe.txt\u202c") == "FW-26 \\u202eexe.txt\\u202c"


def test_command_output_keeps_crlf_line_ends_but_not_a_lone_carriage_return() -> None:
    assert printable_output("BEGIN\r\nEND\r\n") == "BEGIN\r\nEND\r\n"
    assert printable_output("name\roverwritten\x1b[2J") == "name\\x0doverwritten\\x1b[2J"


@given(st.text())
def test_nothing_that_drives_a_terminal_is_left(text: str) -> None:
    for shown in (printable(text), printable_lines(text), printable_output(text)):
        assert all(not is_control(ch) or ch in "\t\n" for ch in shown.replace("\r\n", ""))


@given(st.text())
def test_json_keeps_the_data_and_loses_the_raw_c1(text: str) -> None:
    document = json_controls_escaped(json.dumps({"name": text}, ensure_ascii=False))
    assert json.loads(document) == {"name": text}
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in document)


def test_an_error_quoting_a_value_quotes_it_escaped() -> None:
    error = ValidationError("amount", f"'12{OSC52}' is not an amount")
    assert str(error) == "amount: '12\\x1b]52;c;UFdORUQ=\\x07' is not an amount"


# --- the screens -------------------------------------------------------------------------------


def test_every_text_and_content_shows_controls_as_marks_once_the_app_exists(ctx: Context) -> None:
    from rich.text import Text
    from textual.content import Content

    make_app(ctx)
    assert Text(f"a{OSC52}\tb\nc").plain == "a\\x1b]52;c;UFdORUQ=\\x07\tb\nc"
    assert Content(f"x\x9b31m{OSC52}").plain == "x\\x9b31m\\x1b]52;c;UFdORUQ=\\x07"
    assert Content.from_markup("[b]\x07\x9b[/b]").plain == "\\x07\\x9b"
    assert Text("a\u202eb").plain == "a\\u202eb"
    assert Text.from_ansi("\x1b[31mred\x1b[0m").plain == "red"  # charts' colours still read


async def test_a_form_loads_a_stored_control_as_marks_and_saves_the_marks(
    ctx: Context, db_path: Path
) -> None:
    from textual.widgets import Input, TextArea

    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.services.projects import create_project

    create_project(ctx, ProjectDraft("FW-1", "Firewall", objective="Two sites"))
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE project SET name = ?, objective = ?", (f"Fire{OSC52}wall", "a\nb\x1b"))
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        name = app.screen.query_one("#name", Input)
        assert name.value == "Fire\\x1b]52;c;UFdORUQ=\\x07wall"
        assert app.screen.query_one("#objective", TextArea).text == "a\nb\\x1b"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with sqlite3.connect(db_path) as con:
        stored = con.execute("SELECT name, objective FROM project").fetchone()
    assert stored == ("Fire\\x1b]52;c;UFdORUQ=\\x07wall", "a\nb\\x1b")


# --- the command line --------------------------------------------------------------------------


def itpm(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {"PYTHONPATH": str(ROOT), "ITPM_CONFIG": str(tmp_path / "config.toml"), "USER": "t"}
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(tmp_path / "x.db"), *args],
        capture_output=True,
        env={**env, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_command_output_and_errors_print_stored_controls_as_marks(tmp_path: Path) -> None:
    assert itpm(tmp_path, "project", "add", "FW-1", "Firewall").returncode == 0
    with sqlite3.connect(tmp_path / "x.db") as con:
        con.execute("UPDATE project SET name = ?", (f"Fire{OSC52}\x9b31mwall",))
    csv = tmp_path / "ledger.csv"
    csv.write_text(f"date,vendor,category,description,amount\n2026-03-01,V,hw,x,12{OSC52}\n")
    listed = itpm(tmp_path, "task", "list", "FW-1")
    refused = itpm(tmp_path, "import", str(csv), "--project", "FW-1")
    exported = itpm(tmp_path, "export")
    assert refused.returncode == 2
    assert b"12\\x1b]52;c;UFdORUQ=\\x07" in refused.stderr
    for done in (listed, refused, exported):
        raw = done.stdout + done.stderr
        assert b"\x1b" not in raw and b"\xc2\x9b" not in raw and b"\x07" not in raw
    names = [p["name"] for p in json.loads(exported.stdout)["projects"]]
    assert names == [f"Fire{OSC52}\x9b31mwall"]  # the export keeps the data exactly


# --- the way it was found ----------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_no_payload_reaches_a_real_terminal(tmp_path: Path) -> None:
    figures = escapes_module().run(full=False, seed=14, keep=tmp_path)
    by_step = (tmp_path / "poisoned" / "leaks_by_step.json").read_text()
    assert figures["columns"] >= 50
    assert figures["screens"] == 8 and figures["dialogs"] >= 8 and figures["commands"] >= 3
    assert figures["marks_shown"] > 100  # the payloads were on screen, as marks
    # `stuck` and `strays` tell of keys a loaded machine took late (screens.txt shows them);
    # the figure is the leaks, wherever the keys landed.
    assert figures["leaks"] == 0, by_step
