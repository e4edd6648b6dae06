"""Launch → first row visible, as a user sees it, beside a bare Textual app (the floor).

    python tests/benchmarks/bench_startup.py [--sizes S M L] [--runs 7] [--no-color]
                                             [--poll-ms 10] [--rebuild]

Each command runs in a fresh tmux session of a fixed size on a private tmux server; the
clock starts when the session is asked for and stops when `tmux capture-pane -p` first shows
the expected text, polled every few milliseconds. The floor (`floor_app.py`: Textual +
SQLModel, a 20-row DataTable of the same file) and itpm run in turn, with the same TERM and
the same environment (`env -i` and a fixed list), after one unmeasured warm-up pair.
Measured: My work at 80×24 (`itpm --db F --screen my`, the config user being the
technician; done when the first task's project and WBS show) and Projects at 200×60
(`itpm --db F`; done when any project code shows). Prints the medians, the ratio and the
target of issues 12 and 15 (≤ 1.5× the floor) with "meets" or "misses".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios
from figures import Figure, cells, table

TARGET = 1.5  # itpm's first row within this many times the floor's
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TIMEOUT = 120.0


@dataclass(frozen=True)
class Case:
    """One screen to measure: its terminal size, its command and what shows it has data."""

    label: str
    width: int
    height: int
    argv: list[str]
    shown: Callable[[str], bool]


class Terminals:
    """A private tmux server; each run gets a fresh session of the case's size."""

    def __init__(self, poll: float) -> None:
        self.socket = f"itpm-bench-{os.getpid()}"
        self.env: dict[str, str] = {}
        self.poll = poll
        self.count = 0
        # a session that outlives the runs, so no run pays for starting the server
        self.tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 86400")
        self.path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def first_row(self, argv: list[str], case: Case) -> float:
        """Seconds from asking for the session to the expected text on its screen."""
        self.count += 1
        name = f"run{self.count}"
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items()))
        # the pane's TERM (tmux's default-terminal) is passed on unchanged to both programs
        line = f'exec env -i TERM="$TERM" {assignments} {shlex.join(argv)}'
        began = time.perf_counter()
        self.tmux(
            "new-session", "-d", "-s", name, "-x", str(case.width), "-y", str(case.height), line
        )
        pid = int(self.tmux("display-message", "-p", "-t", name, "#{pane_pid}"))
        try:
            while True:
                elapsed = time.perf_counter() - began
                screen = self.tmux("capture-pane", "-p", "-t", name)
                if case.shown(screen):
                    return elapsed
                if elapsed > TIMEOUT:
                    raise SystemExit(f"{case.label}: nothing after {TIMEOUT:.0f} s:\n{screen}")
                time.sleep(self.poll)
        finally:
            self.tmux("kill-session", "-t", name)
            _wait_gone(pid)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        self.path.unlink(missing_ok=True)  # tmux leaves its socket file behind


def _wait_gone(pid: int) -> None:
    """The next run starts only when this one's process has left the CPU."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def environment(config: Path, no_color: bool) -> dict[str, str]:
    """What both programs get, and nothing else (HOME and PATH as here)."""
    env = {
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": portfolios._env()["PYTHONPATH"],
        "ITPM_CONFIG": str(config),
    }
    if no_color:
        env["NO_COLOR"] = "1"
    return env


def any_of(words: set[str]) -> Callable[[str], bool]:
    """The screen shows any of these words (project codes: the table has rows)."""
    return lambda screen: not words.isdisjoint(re.findall(r"[\w.-]+", screen))


def project_codes(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {code for (code,) in con.execute("SELECT code FROM project")}


def first_task(db: Path, handle: str, env: dict[str, str]) -> str:
    """ "CODE WBS" of the first line of My work, as `itpm my --json` orders it."""
    out = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), "my", "--as", handle, "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    ).stdout
    tasks = json.loads(out)["tasks"]
    if not tasks:
        raise SystemExit(f"{handle} has no open task in {db}: nothing to wait for")
    return f"{tasks[0]['project']} {tasks[0]['wbs']}"


def cases(db: Path, size: str, env: dict[str, str]) -> list[tuple[Case, Case]]:
    """(floor, itpm) pairs: My work at 80×24, Projects at 200×60."""
    python = sys.executable
    codes = any_of(project_codes(db))
    floor = [python, str(HERE / "floor_app.py"), str(db)]
    itpm = [python, "-m", "itpm_tui", "--db", str(db)]
    mine = first_task(db, portfolios.technician(size), env)
    return [
        (
            Case("floor 80×24", 80, 24, floor, codes),
            Case("My work 80×24", 80, 24, [*itpm, "--screen", "my"], lambda s: mine in s),
        ),
        (
            Case("floor 200×60", 200, 60, floor, codes),
            Case("Projects 200×60", 200, 60, itpm, codes),
        ),
    ]


def measure(size: str, runs: int, args: argparse.Namespace, terminals: Terminals) -> list[Figure]:
    """Both cases of `size`, each floor and itpm in turn after a warm-up pair: medians."""
    began = time.perf_counter()
    db = portfolios.build(size, rebuild=args.rebuild)
    print(f"# {size}: {db} ready in {time.perf_counter() - began:.1f} s", flush=True)
    config = portfolios.cache_dir() / f"config-{size}.toml"
    config.write_text(f'user = "{portfolios.technician(size)}"\n')
    env = environment(config, args.no_color)
    terminals.env = env
    found = []
    for floor, itpm in cases(db, size, env):
        if not args.quick:
            terminals.first_row(floor.argv, floor)  # warm-up: page cache, bytecode
            terminals.first_row(itpm.argv, itpm)
        floor_s, itpm_s = [], []
        for _ in range(runs):
            floor_s.append(terminals.first_row(floor.argv, floor))
            itpm_s.append(terminals.first_row(itpm.argv, itpm))
        figure = Figure(
            f"launch → first row, {itpm.label}",
            size,
            statistics.median(itpm_s),
            unit="s",
            floor=statistics.median(floor_s),
            target=TARGET,
            per_floor=True,
            note=f"median of {runs}",
        )
        found.append(figure)
        print(f"# {'  '.join(cells(figure))}", flush=True)
    return found


def results(
    sizes: Sequence[str],
    *,
    quick: bool = False,
    runs: int = 7,
    no_color: bool = False,
    poll_ms: float = 10,
    rebuild: bool = False,
) -> list[Figure]:
    """Launch → first row of itpm and the floor at each size (`quick`: one pair, no warm-up)."""
    args = argparse.Namespace(no_color=no_color, rebuild=rebuild, quick=quick)
    runs = 1 if quick else runs
    found: list[Figure] = []
    terminals = Terminals(poll_ms / 1000)
    try:
        for size in sizes:
            found += measure(size, runs, args, terminals)
    finally:
        terminals.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument("--runs", type=int, default=7, help="measured pairs per screen (5–7)")
    parser.add_argument("--no-color", action="store_true", help="NO_COLOR=1 for both programs")
    parser.add_argument("--poll-ms", type=float, default=10, help="capture-pane interval")
    parser.add_argument("--rebuild", action="store_true", help="build the portfolios again")
    args = parser.parse_args()
    found = results(
        args.sizes,
        runs=args.runs,
        no_color=args.no_color,
        poll_ms=args.poll_ms,
        rebuild=args.rebuild,
    )
    print(f"\nlaunch → first row visible, median of {args.runs} runs in turn with the floor")
    print(table(found))


if __name__ == "__main__":
    main()
