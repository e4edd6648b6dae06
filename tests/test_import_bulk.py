"""An import checks a batch of rows a column at a time, and row by row when any might break a
rule: whichever path reads a file, the outcome is the same — the same rows stored, or the same
problems named. Each case changes one value of a good export and imports it both ways."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itpm_tui.formats import portfolio_json
from itpm_tui.formats.portfolio_json import TransferError, import_json, write_json
from itpm_tui.formats.portfolio_schema import SECTIONS
from itpm_tui.services.context import Context
from itpm_tui.storage.database import open_database, sqlite_url
from tests.test_transfer import build_portfolio

#: Values that break, or nearly break, a rule of a column of each kind.
AWKWARD: dict[str, list[Any]] = {
    "str": [
        "",
        "  ",
        " x ",
        "x" * 3,
        "x" * 41,
        "x" * 201,
        "x" * 4001,
        "a\x00b",
        "a\nb",
        "a\tb",
        "\x1b[31m",
        "\x85",
        "EUR",
        "eur",
        " EUR",
        "XXX",
        "FS",
        "SF",
        "todo",
        "done",
        "blocked",
        "FW-26",
        " fw-26",
        "ANN",
        "not an e-mail",
    ],
    "int": [0, -1, 1, 5, 6, 100, 101, 366, 9999, 2**63, -(2**63), 2**63 - 1],
    "decimal": [
        "0",
        "-0",
        "0.00",
        "-1.00",
        "12.345",
        "1.23456",
        "1.2300",
        "1e3",
        "9999999999999.99",
        "10000000000000",
        "00000000000001",
        "12.50\n3",  # two decimals to a column read as lines
        7,
        1.5,  # a JSON float: refused for money
    ],
    "date": [
        "2026-02-30",
        "1969-12-31",
        "1970-01-01",
        "2200-12-31",
        "2201-01-01",
        "2026-3-1",
        "2026-03-01\n2026-03-02",
    ],
    "bool": [0, 1, "true"],
}
#: Values of the wrong kind for any column.
WRONG = [None, True, 0, 1.0, "", "2026-03-18T09:30:00+00:00", [], {}]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    """A good export (every table, awkward values) and an empty database to copy."""
    work = tmp_path_factory.mktemp("bulk")
    source = open_database(sqlite_url(work / "source.db"))
    build_portfolio(source)
    text = io.StringIO()
    write_json(source, text)
    source.dispose()
    empty = open_database(sqlite_url(work / "empty.db"))
    empty.dispose()
    yield json.loads(text.getvalue()), work / "empty.db"


_BY_KEY = {s.key: s for s in SECTIONS}
#: How an instant is stored (`storage.types.UTCDateTime`).
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def imported(document: dict[str, Any], empty: Path, work: Path, name: str) -> Any:
    """What importing `document` into a copy of `empty` gives: every stored row (the
    import's own activity entry aside), or the message refusing it."""
    path = work / f"{name}.db"
    shutil.copyfile(empty, path)
    ctx = Context(open_database(sqlite_url(path)), "tester")
    started = str(datetime.now(UTC))
    try:
        import_json(ctx, io.BytesIO(json.dumps(document).encode()))
    except TransferError as exc:
        return str(exc)
    finally:
        ctx.db.dispose()

    def stamped(row: tuple[Any, ...]) -> tuple[Any, ...]:
        """A row whose instant was left out (a project's created_at) has the import's."""
        return tuple(
            "imported at" if isinstance(v, str) and _INSTANT.match(v) and v >= started else v
            for v in row
        )

    with sqlite3.connect(path) as con:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {
            t: sorted(map(stamped, con.execute(f"SELECT * FROM {t}").fetchall()), key=repr)
            for t in tables
            if t != "activity"
        }
        rows["activity"] = [
            # an entry without its instant is stamped with the import's: not the same twice
            (row[0], "imported at", *row[2:]) if str(row[1]) >= started else row
            for row in con.execute("SELECT * FROM activity WHERE action != 'import' ORDER BY id")
        ]
    return rows


def both_ways(
    document: dict[str, Any], empty: Path, work: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    bulk = imported(document, empty, work, "bulk")
    with monkeypatch.context() as m:
        m.setattr(portfolio_json, "_bulk_columns", lambda section, batch: None)
        by_row = imported(document, empty, work, "by-row")
    return bulk, by_row


def test_a_good_export_is_read_a_column_at_a_time(
    setup: tuple[dict[str, Any], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, empty = setup
    taken: list[str] = []
    real = portfolio_json._bulk_columns

    def spy(section: Any, batch: list[Any]) -> Any:
        found = real(section, batch)
        if found is not None:
            taken.append(section.key)
        return found

    monkeypatch.setattr(portfolio_json, "_bulk_columns", spy)
    bulk = imported(document, empty, tmp_path, "bulk")
    monkeypatch.undo()
    assert isinstance(bulk, dict)
    # what is only ever checked row by row: instants and wall-clock times, the activity log
    assert set(taken) >= {"people", "tasks", "dependencies", "ledger_entries", "risks"}
    assert bulk == both_ways(document, empty, tmp_path, monkeypatch)[1]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_one_changed_value_is_judged_alike_either_way(
    setup: tuple[dict[str, Any], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    original, empty = setup
    document = json.loads(json.dumps(original, default=str))
    sections = sorted(k for k, v in document.items() if isinstance(v, list) and v)
    key = data.draw(st.sampled_from(sections), label="section")
    rows = document[key]
    row = rows[data.draw(st.integers(0, len(rows) - 1), label="row")]
    column = data.draw(st.sampled_from(sorted(row)), label="column")
    kind = _BY_KEY[key].columns[column].kind if column in _BY_KEY[key].columns else "str"
    change = data.draw(
        st.sampled_from(["awkward"] * 4 + ["wrong", "other row's", "missing", "extra"])
    )
    if change == "awkward":
        row[column] = data.draw(st.sampled_from(AWKWARD.get(kind, WRONG)), label="value")
    elif change == "wrong":
        row[column] = data.draw(st.sampled_from(WRONG), label="value")
    elif change == "other row's":
        row[column] = data.draw(st.sampled_from(rows))[column]
    elif change == "missing":
        del row[column]
    else:
        row[column + "_x"] = row[column]
    bulk, by_row = both_ways(document, empty, tmp_path, monkeypatch)
    assert bulk == by_row


@pytest.mark.parametrize(
    ("key", "column", "value"),
    [
        ("ledger_entries", "amount", "12.50\n3.00"),
        ("ledger_entries", "amount", "12.50\n"),
        ("ledger_entries", "entry_date", "2026-03-01\n2026-03-02"),
        ("tasks", "estimate_hours", "\n8.00"),
    ],
)
def test_a_value_holding_a_line_break_is_refused_alike_either_way(
    setup: tuple[dict[str, Any], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    column: str,
    value: str,
) -> None:
    """A column's texts are matched as lines joined: one holding a line break is not taken
    for two good values."""
    original, empty = setup
    document = json.loads(json.dumps(original, default=str))
    document[key][-1][column] = value
    bulk, by_row = both_ways(document, empty, tmp_path, monkeypatch)
    assert isinstance(bulk, str) and f"{column}: " in bulk
    assert bulk == by_row
