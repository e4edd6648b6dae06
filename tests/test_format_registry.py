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


def test_a_portfolio_import_on_sqlite_loads_no_postgresql_code(tmp_path: Path) -> None:
    """The models give their partial indexes' predicate for SQLite only
    (`storage.models.partial_index`): PostgreSQL's dialect is 40 ms of CPU that an import
    into a file, like any other command on one, does not pay."""
    source, target, document = (str(tmp_path / name) for name in ("a.db", "b.db", "p.json"))
    itpm = [sys.executable, "-m", "itpm_tui", "--db", source]
    subprocess.run([*itpm, "demo"], check=True, capture_output=True)
    subprocess.run(
        [*itpm, "export", "--format", "json", "-o", document], check=True, capture_output=True
    )
    run = f"from itpm_tui.cli import main\ntry: main({['--db', target, 'import', document]!r})"
    loaded = _loaded_after(f"{run}\nexcept SystemExit as exit: assert not exit.code")
    assert {"sqlalchemy.dialects.sqlite", "itpm_tui.formats.portfolio_json"} <= loaded
    assert not {m for m in loaded if m.startswith("sqlalchemy.dialects.postgresql")}


# --- the pure readers and writers, without a database ------------------------------------

DATA = Path(__file__).parent / "data"


def test_mspdi_reader_gives_plain_data() -> None:
    from itpm_tui.domain.calendar import WorkCalendar
    from itpm_tui.formats.mspdi.reader import read_plan

    path = DATA / "mspdi" / "office_move.xml"
    plan = read_plan(path.read_bytes(), path.name, WorkCalendar())
    assert len(plan.tasks) == 11 and len(plan.links) == 7
    assert any("constraints not imported" in line for line in plan.notes.lines())


def test_mspdi_reader_refuses_entities_before_parsing() -> None:
    import pytest

    from itpm_tui.domain.calendar import WorkCalendar
    from itpm_tui.formats.mspdi.reader import read_plan
    from itpm_tui.formats.mspdi.schema import MspdiError

    path = DATA / "mspdi" / "doctype_entity.xml"
    with pytest.raises(MspdiError, match="DOCTYPE or ENTITY"):
        read_plan(path.read_bytes(), path.name, WorkCalendar())


def test_mspdi_writer_ends_on_a_parent_loop() -> None:
    import xml.etree.ElementTree as ET
    from datetime import date

    from itpm_tui.domain.plan import PlanTask, ProjectPlan
    from itpm_tui.formats.mspdi.schema import NS
    from itpm_tui.formats.mspdi.writer import write_plan

    day = date(2026, 3, 16)
    plan = ProjectPlan(
        name="Loop",
        currency="EUR",
        start_date=day,
        end_date=None,
        baseline_start=None,
        baseline_end=None,
        tasks=[
            PlanTask(1, None, "Top", planned_start=day, planned_finish=day),
            PlanTask(2, 3, "A", planned_start=day, planned_finish=day),
            PlanTask(3, 2, "B", planned_start=day, planned_finish=day),
        ],
        links=[],
        people=[],
        holidays=[],
    )
    root = ET.fromstring(write_plan(plan, date(2026, 3, 2)))
    numbers = [t.findtext(f"{{{NS}}}OutlineNumber") for t in root.iter(f"{{{NS}}}Task")]
    assert numbers == ["0", "1", "2", "3"]


def test_ledger_csv_reader_gives_drafts_without_a_database(tmp_path: Path) -> None:
    from itpm_tui.formats.ledger_csv import scan_ledger_csv

    path = tmp_path / "bank.csv"
    path.write_text("Date;Amount;Vendor\n01.03.2026;-1.234,50;Acme\n02.03.2026;1,2,3;Bolt\n")
    layout = scan_ledger_csv(path, default_category="hardware")
    assert layout.source == "bank.csv" and layout.rows == 2
    first, second = layout.drafts()
    assert (first.line, first.draft.amount, first.draft.credit, first.draft.category) == (
        2,
        "1234.50",
        True,
        "",
    )
    assert first.problems == ()
    assert second.line == 3 and [p.field for p in second.problems] == ["amount"]


def test_an_mspdi_plan_with_no_date_starts_on_the_day_given() -> None:
    """A project with no start and no dated task still needs a start: the caller's today."""
    import xml.etree.ElementTree as ET
    from datetime import date

    from itpm_tui.domain.plan import PlanTask, ProjectPlan
    from itpm_tui.formats.mspdi.schema import NS
    from itpm_tui.formats.mspdi.writer import write_plan

    plan = ProjectPlan(
        name="Undated",
        currency="EUR",
        start_date=None,
        end_date=None,
        baseline_start=None,
        baseline_end=None,
        tasks=[PlanTask(1, None, "Someday")],
        links=[],
        people=[],
        holidays=[],
    )
    root = ET.fromstring(write_plan(plan, date(2026, 7, 1)))
    assert root.findtext(f"{{{NS}}}StartDate") == "2026-07-01T08:00:00"
