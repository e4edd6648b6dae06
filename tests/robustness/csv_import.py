"""Fuzz `itpm import ledger.csv --project FW-1`: the ledger samples of tests/data and rows
built here, with hostile cells (escapes, controls, non-UTF-8, huge or tiny amounts, odd
dates), odd delimiters and quoting, many bad rows, and byte-level damage."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from pathlib import Path

from tests.robustness import harness, mutate
from tests.robustness.imports import FileInput, databases, fuzz_imports

FULL, SHORT = 2_000, 40
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "ledger"
HEADER = ["date", "vendor", "description", "category", "amount", "kind", "invoice"]
GOOD = ["2026-03-10", "Dell", "Laptops", "hardware", "1200.00", "actual", "INV-1"]


def _row(rng: random.Random, full: bool) -> list[str]:
    row = list(GOOD)
    for _ in range(rng.choice([0, 1, 1, 2])):
        at = rng.randrange(len(row))
        kinds = {0: "d", 4: "n"}.get(at, "ecul")
        row[at] = mutate.hostile(rng, full, kinds=kinds + "ecu")
    return row


def _table(rng: random.Random, full: bool) -> bytes:
    header = list(HEADER)
    if rng.random() < 0.2:
        header[rng.randrange(len(header))] = mutate.hostile(rng, full, kinds="ecul")
    rows = [_row(rng, full) for _ in range(rng.choice([1, 2, 5, 20]))]
    if rng.random() < 0.05:  # many bad rows: the errors must stop at 100 and a count
        rows += [["2026-02-30", "x", "y", "hardware", "abc", "actual", ""]] * (
            3_000 if full else 300
        )
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=rng.choice([",", ",", ";", "\t", "|"]),
        quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    )
    writer.writerow(header)
    writer.writerows(rows)
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"])
    return buffer.getvalue().encode(
        encoding, "surrogateescape" if encoding.startswith("utf-8") else "replace"
    )


def inputs(rng: random.Random, count: int, full: bool) -> Iterator[FileInput]:
    samples = [p.read_bytes() for p in sorted(SAMPLES.glob("*.csv"))]
    options = ("--project", "FW-1")
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            data, label = _table(rng, full), "hostile cells"
        else:
            data, label = mutate.mutate_bytes(rng, rng.choice(samples)), "sample bytes damaged"
        extra: tuple[str, ...] = ()
        if rng.random() < 0.1:
            extra = ("--category", mutate.hostile(rng, full, kinds="ecul"))
        project = options if rng.random() > 0.05 else ("--project", mutate.hostile(rng, full))
        yield FileInput("ledger.csv", data, (*project, *extra), label=label)


def run(
    full: bool, seed: int, *, count: int | None = None, keep: Path | None = None
) -> dict[str, int]:
    tally = harness.new_tally("csv")
    rng = random.Random(f"csv-{seed}")
    with harness.workspace("csv") as space:
        bases = databases(space, ["small"])
        n = count if count is not None else (FULL if full else SHORT)
        fuzz_imports(
            tally,
            space,
            bases,
            inputs(rng, n, full),
            subprocess_every=100 if full else 0,
            keep=keep,
        )
    return tally.figures
