"""The loop the file fuzzers share: write the input, import it into a copy of a database,
judge the run, and check that a refused import left the database as it was."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.robustness import harness
from tests.robustness.harness import Snapshot, Tally, Workspace

#: A refused import may print the first 100 problems, a count of the rest and a heading.
MAX_ERROR_LINES = 103


@dataclass(frozen=True)
class FileInput:
    """One fuzzed file and how to import it."""

    name: str  # the file name (its suffix picks the format)
    data: bytes
    options: tuple[str, ...] = ()  # e.g. ("--project", "FW-1")
    target: str = "small"  # which prepared database receives it
    label: str = ""  # what was done to it, for the reproduction


def databases(space: Workspace, names: Iterable[str]) -> dict[str, Path]:
    """Prepared databases, made once per run: empty, small (built from empty), demo."""
    made: dict[str, Path] = {}
    for name in names:
        path = space.root / "bases" / f"{name}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == "demo":
            harness.build_demo_db(path)
        elif name == "small":
            harness.build_small_db(path)
        else:
            from itpm_tui.storage.database import open_database, sqlite_url

            open_database(sqlite_url(path)).dispose()
            harness.checkpoint(path)
        made[name] = path
    return made


def fuzz_imports(
    tally: Tally,
    space: Workspace,
    bases: dict[str, Path],
    inputs: Iterable[FileInput],
    *,
    subprocess_every: int = 0,
    keep: Path | None = None,
    forbidden: bytes = b"",
) -> None:
    """Import each input; every `subprocess_every`-th one also as a real process."""
    work = space.root / "work"
    work.mkdir(exist_ok=True)
    snapshots = {name: Snapshot.of(path) for name, path in bases.items()}
    for number, item in enumerate(inputs, start=1):
        file = work / item.name
        file.write_bytes(item.data)
        db = work / f"target-{number}.db"  # a new name: an engine left open by a run is harmless
        shutil.copyfile(bases[item.target], db)
        before = Snapshot(db, snapshots[item.target].files, snapshots[item.target].content)
        argv = ["--db", str(db), "import", str(file), *item.options]
        as_process = bool(subprocess_every) and number % subprocess_every == 0
        try:
            if as_process:
                result = harness.run_subprocess(argv, env=space.env())
            else:
                result = harness.run_inprocess(argv)
        except Exception as exc:  # the harness failed, not itpm: say so, go on
            harness.harness_error(tally, argv, exc)
            continue
        repro = _repro(tally.check, item, number, keep)
        failures_before = _failures(tally)
        tally.judge(result, repro)
        if result.code != 0 and not result.hang and before.changed():
            tally.add("partial_writes", f"exit {result.code} after writing", repro)
        error_lines = result.stderr.count(b"\n")
        if error_lines > MAX_ERROR_LINES:
            tally.add("other", "more than 100 problems printed", repro)
        if forbidden and _holds(forbidden, result, db):
            tally.add("other", "an external entity was read into the output or database", repro)
        if result.code not in (0, 2) and not result.hang and not result.traceback:
            tally.add("other", f"exit status {result.code}", repro)
        if keep is not None and _failures(tally) > failures_before:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / _kept_name(tally.check, item, number)).write_bytes(item.data)
        file.unlink(missing_ok=True)
        _remove(db)
        if number % 20 == 0:
            gc.collect()  # closes the engines the runs left behind


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _holds(forbidden: bytes, result: harness.Result, db: Path) -> bool:
    return (
        forbidden in result.stdout
        or forbidden in result.stderr
        or (db.exists() and forbidden in db.read_bytes())
    )


def _failures(tally: Tally) -> int:
    return sum(v for k, v in tally.figures.items() if k != "inputs")


def _kept_name(check: str, item: FileInput, number: int) -> str:
    return f"{check}-{number:05d}{Path(item.name).suffix}"


def _repro(check: str, item: FileInput, number: int, keep: Path | None) -> str:
    """A one-line reproduction; with `keep` the input file is saved there to be rerun."""
    options = " ".join(item.options)
    where = str(keep / _kept_name(check, item, number)) if keep is not None else item.name
    return f"itpm --db <{item.target} db> import {where} {options}".rstrip() + (
        f"   # {item.label}" if item.label else ""
    )
