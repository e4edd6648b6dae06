"""What a poll costs when it finds a colleague's change, and what opening the database costs.

    python tests/benchmarks/bench_poll.py [--sizes M L] [--rounds 3] [--screens budget team]

For each size a copy of the cached portfolio (`portfolios.py`) is opened by the real
dashboard (`ItpmApp`, headless through Textual's Pilot, 200×60) and each screen asked for is
shown. A colleague — another process, writing through the services — then adds a risk to
ANOTHER project than the one shown, and the screen is polled once: the CPU time of the
process (`time.process_time`, every thread: the poll's worker, and the UI showing what it
fetched) and the wall time from the poll to the screen at rest are measured. "before" is the
poll as it was (any write anywhere fetches everything again: `touches` always True), "after"
the poll as it is (the activity rows since the last token are judged); the two run in turn,
round by round, so a busy machine weighs on both alike. Target: ≤ 100 ms of CPU at L.

Then the start: `open_database` of the file (wall and CPU), beside the whole-file
`PRAGMA quick_check` every start used to run first (`itpm doctor` runs it now).
Speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios
from figures import Figure as TableFigure

TARGET_CPU_MS = 100.0
VIEWER = "pm002"  # who looks at the dashboard
COLLEAGUE = "pm001"  # who writes meanwhile, from another process
#: screen name → its key on the dashboard
SCREENS = {
    "timeline": "2",
    "budget": "3",
    "risks": "4",
    "stakeholders": "5",
    "my work": "6",
    "team": "7",
    "projects": "1",
}

#: The colleague: one process, a risk added to the project named on each line of stdin.
COLLEAGUE_CODE = """
import sys
from itpm_tui.domain.risk import RiskDraft
from itpm_tui.services.context import Context
from itpm_tui.services.risks import add_risk
from itpm_tui.storage.database import open_database, sqlite_url
from pathlib import Path
ctx = Context(open_database(sqlite_url(Path(sys.argv[1]))), sys.argv[2])
print("ready", flush=True)
for n, line in enumerate(sys.stdin):
    add_risk(ctx, int(line), RiskDraft(f"Colleague's risk {n}", 2, 3))
    print("done", flush=True)
"""


@dataclass(frozen=True)
class Figure:
    what: str
    wall_ms: float
    cpu_ms: float
    fetched: int  # fetches the poll made (all rounds)
    target_ms: float | None = None

    def line(self) -> str:
        target, meets = "-", ""
        if self.target_ms is not None:
            target = f"{self.target_ms:.0f}"
            meets = "yes" if self.cpu_ms <= self.target_ms else "NO"
        return (
            f"{self.what:<44} {self.wall_ms:>9.1f} {self.cpu_ms:>9.1f} {self.fetched:>7}"
            f" {target:>7} {meets:>5}"
        )


HEADER = f"{'figure':<44} {'wall ms':>9} {'CPU ms':>9} {'fetches':>7} {'target':>7} {'meets':>5}"


class Colleague:
    """Another process writing to the same file through the services."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", COLLEAGUE_CODE, str(path), COLLEAGUE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=portfolios._env(),
        )
        self._expect("ready")

    def add_risk(self, project_id: int) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{project_id}\n")
        self.process.stdin.flush()
        self._expect("done")

    def _expect(self, word: str) -> None:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if line != word:
            raise SystemExit(f"the colleague's process said {line!r}, not {word!r}")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


async def _settle(pilot: Any) -> None:
    from textual.worker import WorkerCancelled

    from itpm_tui.screens.live import LiveScreen

    app = pilot.app
    for _ in range(2000):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        screen = app.screen
        if not isinstance(screen, LiveScreen) or not screen.is_stale:
            break
    await pilot.pause()


async def measure_polls(path: Path, size: str, screens: list[str], rounds: int) -> list[Figure]:
    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings
    from itpm_tui.queries.timeline import project_choices
    from itpm_tui.screens.live import LiveScreen
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database, sqlite_url

    database = open_database(sqlite_url(path))
    ids = [c.id for c in project_choices(database)]
    app = ItpmApp(
        Context(database, VIEWER),
        Settings(user=VIEWER, refresh_seconds=3600),  # type: ignore[call-arg]
    )
    colleague = Colleague(path)
    figures: list[Figure] = []
    try:
        async with app.run_test(size=(200, 60)) as pilot:
            await _settle(pilot)
            for name in screens:
                await pilot.press(SCREENS[name])
                await _settle(pilot)
                screen = app.screen
                assert isinstance(screen, LiveScreen), name
                shown = getattr(screen, "project_id", None)
                other = next(pid for pid in reversed(ids) if pid != shown)
                fetches = _count_fetches(screen)
                runs: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
                counts = {"before": 0, "after": 0}
                for _ in range(rounds):
                    for mode in ("before", "after"):
                        colleague.add_risk(other)
                        if mode == "before":  # the poll as it was: any write, fetch all
                            screen.touches = lambda changes: True  # type: ignore[method-assign]
                            screen.fetch_touched = lambda changes: None  # type: ignore[method-assign]
                        began, cpu = time.perf_counter(), time.process_time()
                        start = fetches[0]
                        screen._poll()
                        await _settle(pilot)
                        runs[mode].append((time.perf_counter() - began, time.process_time() - cpu))
                        counts[mode] += fetches[0] - start
                        if mode == "before":
                            del screen.touches, screen.fetch_touched
                for mode in ("before", "after"):
                    wall = statistics.median(w for w, _ in runs[mode]) * 1000
                    cpu_ms = statistics.median(c for _, c in runs[mode]) * 1000
                    what = f"{size} {name}: poll finding a change, {mode}"
                    target = TARGET_CPU_MS if size == "L" and mode == "after" else None
                    figures.append(Figure(what, wall, cpu_ms, counts[mode], target))
    finally:
        colleague.close()
        database.dispose()
    return figures


def _count_fetches(screen: Any) -> list[int]:
    """Count the screen's fetches (one counter, read by the caller)."""
    counter = [0]
    real: Callable[[], Any] = screen.fetch

    def fetch() -> Any:
        counter[0] += 1
        return real()

    screen.fetch = fetch
    return counter


def measure_open(path: Path, size: str, rounds: int) -> list[Figure]:
    """`open_database` now, and the whole-file check every start used to run before it."""
    from itpm_tui.storage.database import open_database, sqlite_url
    from itpm_tui.storage.location import check_whole_file

    opened: list[tuple[float, float]] = []
    checked: list[tuple[float, float]] = []
    open_database(sqlite_url(path)).dispose()  # unmeasured: the modules load, the cache warms
    for _ in range(rounds):
        began, cpu = time.perf_counter(), time.process_time()
        open_database(sqlite_url(path)).dispose()
        opened.append((time.perf_counter() - began, time.process_time() - cpu))
        began, cpu = time.perf_counter(), time.process_time()
        assert check_whole_file(path) == "ok"
        checked.append((time.perf_counter() - began, time.process_time() - cpu))

    def median(runs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs) * 1000

    now = Figure(f"{size} open_database, after", median(opened, 0), median(opened, 1), 0)
    check = (median(checked, 0), median(checked, 1))
    before = Figure(
        f"{size} open_database, before (+ quick_check)",
        now.wall_ms + check[0],
        now.cpu_ms + check[1],
        0,
    )
    return [before, now, Figure(f"{size} PRAGMA quick_check alone", *check, 0)]


DEFAULT_SCREENS = ["timeline", "budget", "team", "projects"]


def measure(sizes: Sequence[str], screens: Sequence[str], rounds: int) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="itpm-bench-poll-") as folder:
        for size in sizes:
            source = portfolios.build(size)
            path = Path(folder) / f"poll-{size}.db"
            shutil.copyfile(source, path)  # the colleague writes: never to the cached file
            figures += measure_open(path, size, rounds)
            figures += asyncio.run(measure_polls(path, size, list(screens), rounds))
    return figures


def results(sizes: Sequence[str], *, quick: bool = False) -> list[TableFigure]:
    """For `python -m tests.benchmarks`: each screen's poll after (CPU, the figure judged)
    beside the poll before (every write fetched everything) as its floor."""
    measured = {f.what: f for f in measure(sizes, DEFAULT_SCREENS, 1 if quick else 3)}
    out: list[TableFigure] = []
    for size in sizes:
        for name in DEFAULT_SCREENS:
            what = f"{size} {name}: poll finding a change"
            before, after = measured[f"{what}, before"], measured[f"{what}, after"]
            out.append(
                TableFigure(
                    f"poll finding another project's change, {name} (CPU)",
                    size,
                    after.cpu_ms,
                    floor=before.cpu_ms,
                    floor_name="fetch all",
                    target=TARGET_CPU_MS if size == "L" else None,
                    note=f"wall {after.wall_ms:.0f} ms, fetches {after.fetched}/{before.fetched}",
                )
            )
        opened = measured[f"{size} open_database, after"]
        old = measured[f"{size} open_database, before (+ quick_check)"]
        out.append(
            TableFigure(
                "open_database (start)",
                size,
                opened.wall_ms,
                floor=old.wall_ms,
                floor_name="with quick_check",
                cpu=opened.cpu_ms,
            )
        )
    return out


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--screens", nargs="+", default=DEFAULT_SCREENS, choices=list(SCREENS))
    args = parser.parse_args(argv)
    figures = measure(args.sizes, args.screens, args.rounds)
    print(HEADER)
    for figure in figures:
        print(figure.line())
    return figures


if __name__ == "__main__":
    main()
