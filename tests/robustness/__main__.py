"""`python -m tests.robustness [--full] [--seed N] [--only cli,json,...]`: run the checks and
print the figures issue 14 keeps at zero, then each distinct failure with the smallest input
that shows it. Exit status 1 when any of those figures is not zero."""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import tempfile
import time
from pathlib import Path

from tests.robustness import harness

CHECKS = {
    "cli": "tests.robustness.cli_args",
    "json": "tests.robustness.json_import",
    "csv": "tests.robustness.csv_import",
    "mspdi": "tests.robustness.mspdi_import",
    "config": "tests.robustness.config_file",
    "kill": "tests.robustness.kill",
    "escapes": "tests.robustness.escapes",  # written on another branch: tolerated if absent
}
#: The figures that must be zero (a check may report any of them).
FAILING = ("tracebacks", "partial_writes", "raw_escapes", "hangs", "other", "corrupt")
COLUMNS = (
    ("check", "check"),
    ("inputs", "inputs"),
    ("tracebacks", "tracebacks"),
    ("partial_writes", "partial writes"),
    ("raw_escapes", "raw escapes in output"),
    ("hangs", "hangs >20 s"),
    ("other", "other failures"),
)


def run_check(
    name: str, full: bool, seed: int, count: int | None, keep: Path | None
) -> dict[str, int] | None:
    try:
        module = importlib.import_module(CHECKS[name])
    except ModuleNotFoundError as exc:
        if exc.name != CHECKS[name]:
            raise
        return None
    accepts = inspect.signature(module.run).parameters
    options = {k: v for k, v in (("count", count), ("keep", keep)) if k in accepts and v}
    figures: dict[str, int] = module.run(full, seed, **options)
    if "leaks" in figures:  # the escape check counts what it visited and what leaked
        visited = ("screens", "dialogs", "views", "kiosk_pages", "commands")
        figures.setdefault("inputs", sum(figures.get(k, 0) for k in visited))
        figures.setdefault("raw_escapes", figures["leaks"])
    return figures


def table(rows: list[tuple[str, dict[str, int]]]) -> str:
    cells = [[title for _, title in COLUMNS]]
    for name, figures in rows:
        cells.append([name, *(str(figures.get(key, 0)) for key, _ in COLUMNS[1:])])
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [
        " | ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.robustness", description=__doc__)
    parser.add_argument(
        "--full",
        action="store_true",
        help="the full run: 2,000 inputs a fuzzer, 20 kills a command",
    )
    parser.add_argument("--seed", type=int, default=14, help="the seed (default 14)")
    parser.add_argument("--only", default="", help=f"some of: {','.join(CHECKS)}")
    parser.add_argument("--count", type=int, help="inputs per check (overrides the mode)")
    parser.add_argument(
        "--keep",
        type=Path,
        help="where the input files of failures are saved, to rerun them "
        "(default: itpm-robustness-SEED in the temporary folder)",
    )
    args = parser.parse_args(argv)
    keep = args.keep or Path(tempfile.gettempdir()) / f"itpm-robustness-{args.seed}"
    chosen = [c.strip() for c in args.only.split(",") if c.strip()] or list(CHECKS)
    unknown = [c for c in chosen if c not in CHECKS]
    if unknown:
        parser.error(f"unknown check {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    harness.limit_memory()
    rows: list[tuple[str, dict[str, int]]] = []
    notes: list[str] = []
    for name in chosen:
        started = time.monotonic()
        print(f"running {name}…", file=sys.stderr, flush=True)
        figures = run_check(name, args.full, args.seed, args.count, keep)
        if figures is None:
            notes.append(f"{name}: not on this branch (tests/robustness/escapes.py), skipped")
            continue
        rows.append((name, figures))
        extra = {k: v for k, v in figures.items() if k not in dict(COLUMNS)}
        note = f"{name}: {time.monotonic() - started:.0f} s"
        if extra:
            note += "; " + ", ".join(f"{k} {v}" for k, v in extra.items())
        notes.append(note)
    mode = "full" if args.full else "short"
    print(f"itpm robustness, {mode} run, seed {args.seed} (failing inputs kept in {keep})\n")
    print(table(rows))
    print()
    for note in notes:
        print(note)
    findings = [f for t in harness.TALLIES for f in t.findings.values()]
    if findings:
        print(f"\n{len(findings)} distinct failures (the smallest input of each):")
        for f in sorted(findings, key=lambda f: (f.check, f.kind, -f.count)):
            print(f"- [{f.check}] {f.kind} ×{f.count}: {f.signature}\n    {f.repro}")
    failed = any(figures.get(key, 0) for _, figures in rows for key in FAILING)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
