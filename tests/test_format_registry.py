"""The format registry the CLI dispatches through, and what the format modules may load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from itpm_tui.formats.registry import FORMATS, export_format, export_names, import_format


def test_export_names_keep_the_cli_order() -> None:
    assert export_names() == ("json", "mspdi", "vcard", "ics")
    assert export_format("json").export_portfolio is not None
    assert all(export_format(n).export_project is not None for n in ("mspdi", "vcard", "ics"))


def test_imports_are_chosen_by_suffix_in_any_case() -> None:
    assert [import_format(Path(f"x{s}")) for s in (".JSON", ".xml", ".Csv")] == [
        FORMATS[0],
        FORMATS[1],
        FORMATS[4],
    ]
    assert import_format(Path("x.txt")) is None
    assert import_format(Path("x")) is None  # vcard and ics are export-only
    assert import_format(Path("x.csv")).needs_project  # type: ignore[union-attr]


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_cli_loads_no_format_module_at_start() -> None:
    loaded = _loaded_after("import itpm_tui.cli")
    formats = {m for m in loaded if m.startswith("itpm_tui.formats.")}
    assert formats == {"itpm_tui.formats.registry"}


def test_pure_readers_and_writers_load_neither_the_database_nor_textual() -> None:
    loaded = _loaded_after(
        "import itpm_tui.formats.mspdi.reader, itpm_tui.formats.mspdi.writer, "
        "itpm_tui.formats.ledger_csv"
    )
    heavy = {m.split(".")[0] for m in loaded} & {"sqlmodel", "sqlalchemy", "textual"}
    assert heavy == set()
    assert not any(m.startswith(("itpm_tui.storage", "itpm_tui.services")) for m in loaded)
