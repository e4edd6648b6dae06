"""Fuzz `itpm import portfolio.json`: exports of the demo and of a small portfolio built from
empty, bent by `mutate` (types, lengths, controls, duplicates, deep nesting, huge numbers),
plus byte-level damage of the text."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from tests.robustness import harness, mutate
from tests.robustness.imports import FileInput, databases, fuzz_imports

FULL, SHORT = 2_000, 40


def _export(db: Path) -> dict[str, object]:
    out = db.with_suffix(".json")
    result = harness.run_inprocess(["--db", str(db), "export", "-o", str(out)])
    if result.code != 0:
        raise RuntimeError(f"export of {db.name} failed: {result.stderr!r}")
    document: dict[str, object] = json.loads(out.read_text("utf-8"))
    return document


def inputs(
    rng: random.Random, seeds: list[dict[str, object]], count: int, full: bool
) -> Iterator[FileInput]:
    for _ in range(count):
        seed = rng.choice(seeds)
        target = rng.choice(["empty", "empty", "small"])
        if rng.random() < 0.02:  # nesting deeper than any recursive parser can follow
            depth = rng.choice([5_000, 100_000])
            text = json.dumps(seed, indent=1).replace(
                '"name": ', '"name": ' + "[" * depth + "1" + "]" * depth + ', "x": ', 1
            )
            data, label = text.encode("utf-8"), f"a name nested {depth} deep"
        elif rng.random() < 0.8:
            document = mutate.mutate_document(rng, seed, full)
            text = json.dumps(document, ensure_ascii=rng.random() < 0.3, indent=1)
            data = text.encode("utf-8", "surrogateescape")
            label = "document mutated"
        else:
            data = mutate.mutate_bytes(rng, json.dumps(seed, indent=1).encode("utf-8"))
            label = "bytes damaged"
        yield FileInput("portfolio.json", data, target=target, label=label)


def run(
    full: bool, seed: int, *, count: int | None = None, keep: Path | None = None
) -> dict[str, int]:
    tally = harness.new_tally("json")
    rng = random.Random(f"json-{seed}")
    with harness.workspace("json") as space:
        bases = databases(space, ["empty", "small", "demo"] if full else ["empty", "small"])
        seeds = [_export(bases["small"])] + ([_export(bases["demo"])] if full else [])
        n = count if count is not None else (FULL if full else SHORT)
        fuzz_imports(
            tally,
            space,
            bases,
            inputs(rng, seeds, n, full),
            subprocess_every=100 if full else 0,
            keep=keep,
        )
    return tally.figures
