"""The whole portfolio written as one `itpm-portfolio` JSON document, streamed.

Sections are read table by table in batches of Core rows (never ORM entities) and written as
they come, one row per line, each by the standard library's C encoder: memory stays flat
whatever the size of the portfolio, and a diff of two exports shows the rows that changed.
The whole export is read in one session, hence one snapshot: a colleague saving meanwhile
cannot leave the file with a task whose project is missing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from itpm_tui.errors import ItpmError
from itpm_tui.formats.portfolio_schema import (
    FORMAT,
    SECTIONS,
    VERSION,
    TransferError,
    _dump,
    _Section,
)
from itpm_tui.storage.database import Database

#: Rows fetched from the database at a time.
BATCH = 2_000
#: DEL and the C1 controls, which `json.dumps(ensure_ascii=False)` leaves raw.
_C1 = re.compile("[\x7f-\x9f]")
_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: the C one, no indent


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _rows(session: Any, section: _Section) -> Iterator[list[dict[str, Any]]]:
    """The section's rows as JSON-ready dicts, ordered by primary key, a batch at a time."""
    names = list(section.columns)
    plain = {"int", "str", "bool"}
    convert: list[Callable[[Any], Any] | None] = [
        None if c.kind in plain else partial(_dump, c) for c in section.columns.values()
    ]
    order = [section.table.c[name] for name in section.primary_key]
    query = select(*(section.table.c[n] for n in names)).order_by(*order)
    query = query.execution_options(yield_per=BATCH)
    for batch in session.execute(query).partitions():
        yield [
            {
                name: value if fn is None or value is None else fn(value)
                for name, fn, value in zip(names, convert, row, strict=True)
            }
            for row in batch
        ]


def export_json(db: Database) -> dict[str, Any]:
    """The whole database as a JSON-ready dict, rows ordered by primary key (for callers
    that want the document itself; the CLI streams it with `write_json`)."""
    document: dict[str, Any] = _header()
    with db.read() as session:
        for section in SECTIONS:
            document[section.key] = [row for batch in _rows(session, section) for row in batch]
    return document


def _header() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def stream_json(db: Database, out: IO[str]) -> None:
    """Write the document to `out` section by section: the header keys, then each section
    as a list with one row per line (what `json.dumps(indent=2)` would give, rows kept on
    one line each). DEL and C1 controls are escaped, as `domain.text.json_controls_escaped`."""
    out.write("{\n")
    out.write(",\n".join(f"  {_encode(k)}: {_encode(v)}" for k, v in _header().items()))
    with db.read() as session:
        for section in SECTIONS:
            out.write(f",\n  {_encode(section.key)}: [")
            first = True
            for batch in _rows(session, section):
                lines = ",\n    ".join(map(_encode, batch))
                out.write(("\n    " if first else ",\n    ") + _C1.sub(_escaped, lines))
                first = False
            out.write("]" if first else "\n  ]")
    out.write("\n}\n")


def write_json(db: Database, target: str | os.PathLike[str] | IO[str]) -> None:
    """Export to a path (a private file, replaced atomically, so a failed export never
    leaves half a file) or to an open text stream."""
    if not isinstance(target, str | os.PathLike):
        stream_json(db, target)
        return
    from itpm_tui.private_files import write_private_with

    try:  # 0600, or the mode of the file it replaces; never a FIFO, a device or a directory
        write_private_with(Path(target), lambda handle: write_text(db, handle), replace=True)
    except ItpmError as exc:
        raise TransferError(str(exc)) from None


def write_text(db: Database, handle: IO[bytes]) -> None:
    """`stream_json` into a binary file as UTF-8."""
    import io

    text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=False)
    try:
        stream_json(db, text)
        text.flush()
    finally:
        text.detach()  # the caller owns `handle`
