"""kill -9 during `itpm import` and `itpm demo --force`, at a random moment, then check the
file with `PRAGMA integrity_check` and that it holds either all of the old portfolio or all
of the new one (compared as `itpm export` prints them, clock stamps left out).

These must be real processes: a SIGKILL cannot be simulated in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.robustness import harness
from tests.robustness.harness import Tally, Workspace

FULL, SHORT = 20, 2  # kills of each command
_CLOCK_KEYS = frozenset({"exported_at", "at", "created_at"})


def _normal(document: Any) -> Any:
    if isinstance(document, dict):
        return {k: _normal(v) for k, v in document.items() if k not in _CLOCK_KEYS}
    if isinstance(document, list):
        return [_normal(v) for v in document]
    return document


def portfolio(db: Path) -> Any:
    """What the database holds, as `itpm export` prints it, without clock stamps."""
    result = harness.run_inprocess(["--db", str(db), "export"])
    if result.code != 0:
        return f"export refused: {result.stderr.decode('utf-8', 'replace').strip()}"
    return _normal(json.loads(result.stdout))


def integrity(db: Path) -> str:
    try:
        with contextlib.closing(sqlite3.connect(db)) as con:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.Error as exc:
        return f"cannot open: {exc}"


def _old_base(space: Workspace) -> Path:
    """A small portfolio whose codes and handles the demo's do not use."""
    path = space.root / "bases" / "old.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    for step in (
        ["person", "add", "Zoe Old", "--handle", "zoe"],
        ["project", "add", "OLD-1", "The old project", "--start", "2026-03-02"],
        ["task", "add", "OLD-1", "Old work", "--duration", "2d"],
    ):
        result = harness.run_inprocess(["--db", str(path), *step])
        if result.code != 0:
            raise RuntimeError(f"building the old portfolio: {result.stderr!r}")
    harness.checkpoint(path)
    return path


def _start(argv: list[str], space: Workspace) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", *argv],
        env=space.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=harness.limit_memory,
    )


def startup_seconds(space: Workspace, db: Path) -> float:
    """How long a real `itpm` takes to reach its work (interpreter, imports, opening)."""
    started = time.monotonic()
    proc = _start(["--db", str(db), "whoami"], space)
    proc.communicate(timeout=300)
    return time.monotonic() - started


def kill_runs(
    tally: Tally,
    space: Workspace,
    rng: random.Random,
    label: str,
    argv_of: Any,
    old: Path,
    runs: int,
    startup: float,
) -> None:
    """Run `argv_of(db)` to the end once in-process (the new state), then `runs` times as a
    real process killed at a random moment between its start-up and the end of its work."""
    reference = space.root / f"{label}-reference.db"
    shutil.copyfile(old, reference)
    done = harness.run_inprocess(argv_of(reference))
    if done.code != 0:
        raise RuntimeError(f"itpm {label} failed: {done.stderr!r}")
    work = done.seconds
    old_state, new_state = portfolio(old), portfolio(reference)
    for number in range(1, runs + 1):
        db = space.root / f"{label}-{number}.db"
        shutil.copyfile(old, db)
        delay = rng.uniform(0.5 * startup, 1.5 * (startup + work))
        proc = _start(argv_of(db), space)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        err = proc.stderr.read() if proc.stderr else b""
        if proc.stderr:
            proc.stderr.close()
        repro = (
            f"itpm --db <copy of the old portfolio> {' '.join(argv_of(db)[2:])}  "
            f"# SIGKILL after {delay:.2f} s"
        )
        tally.figures["inputs"] += 1
        if b"Traceback (most recent call last)" in err:
            tally.add("tracebacks", f"{label}: {harness._last_line(err)}", repro)
        checked = integrity(db)
        if checked != "ok":
            tally.add("corrupt", f"{label}: integrity_check says {checked[:80]}", repro)
            continue
        state = portfolio(db)
        if state == new_state:
            tally.figures[f"{label}_new"] = tally.figures.get(f"{label}_new", 0) + 1
        elif state == old_state:
            tally.figures[f"{label}_old"] = tally.figures.get(f"{label}_old", 0) + 1
        else:
            how = "finished" if finished else "killed"
            tally.add(
                "partial_writes", f"{label} {how}: neither the old nor the new portfolio", repro
            )


def run(
    full: bool, seed: int, *, count: int | None = None, keep: Path | None = None
) -> dict[str, int]:
    tally = harness.new_tally("kill")
    tally.figures["corrupt"] = 0
    rng = random.Random(f"kill-{seed}")
    runs = count if count is not None else (FULL if full else SHORT)
    with harness.workspace("kill") as space:
        old = _old_base(space)
        demo = space.root / "bases" / "demo.db"
        harness.build_demo_db(demo)
        new_file = space.root / "demo.json"
        harness.run_inprocess(["--db", str(demo), "export", "-o", str(new_file)])
        startup = startup_seconds(space, old)
        importing = ["import", str(new_file)]
        kill_runs(
            tally,
            space,
            rng,
            "import",
            lambda db: ["--db", str(db), *importing],
            old,
            runs,
            startup,
        )
        kill_runs(
            tally,
            space,
            rng,
            "demo",
            lambda db: ["--db", str(db), "demo", "--force"],
            old,
            runs,
            startup,
        )
    return tally.figures
