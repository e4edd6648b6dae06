"""How soon a second dashboard shows a colleague's commit, on a SQLite file and on PostgreSQL.

    python tests/benchmarks/bench_live_refresh.py [--writes 20] [--refresh 2] [--only sqlite]

The dashboard is the real app (`ItpmApp`, headless through Textual's Pilot, Projects at
200×60) on a new database; the colleague is another process that adds `--writes` projects
through the services, one at a time, and prints the moment each commit returned
(`time.monotonic`, one clock for every process on Linux). Each write waits until the previous
project is on the screen, then a random pause of up to one poll interval, so the commits land
anywhere in the poll's cycle. The screen notes when each project code was first painted (its
`show` has run and the frame after it drawn). Printed: the median and the most, from commit to
painted, over the writes after a first one that warms the dashboard up (not counted), and
the dashboard process's CPU time over the same span (median): on a busy machine the wall
time is mostly waiting for a core.

SQLite: the dashboard polls the change token every `--refresh` seconds (2, the default
`refresh_seconds`), so the wait is up to one interval. PostgreSQL: every write sends a NOTIFY
that the app's listener hears (the polls go on at the same interval behind it); the server is
a throwaway cluster of `tests/postgres.py` (without the server binaries: a line, no figure).
Target: ≤ 500 ms on PostgreSQL, the most of any write. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # figures, portfolios, bench_poll: as the other scripts do
sys.path.insert(0, str(HERE.parents[1]))  # tests.postgres, from the repository root

import portfolios  # noqa: E402
from bench_poll import _settle  # noqa: E402
from figures import Figure  # noqa: E402

#: What the issue asks of a server database: a colleague's commit shown within half a second.
TARGET_MS = 500.0
VIEWER = "viewer"
COLLEAGUE = "colleague"

#: The colleague: one process adding the project named on each line of stdin, answering each
#: with the moment its commit returned.
COLLEAGUE_CODE = """
import sys, time
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.database import open_database
ctx = Context(open_database(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
for line in sys.stdin:
    create_project(ctx, ProjectDraft(line.strip(), "A colleague's project"))
    print(time.monotonic(), flush=True)
"""


@dataclass(frozen=True)
class Run:
    backend: str  # "SQLite" or "PostgreSQL"
    how: str  # how the dashboard learns of a commit
    measured: list[tuple[float, float]]  # (wall ms, CPU ms) from each commit to painted

    @property
    def latencies_ms(self) -> list[float]:
        return [wall for wall, _ in self.measured]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def most(self) -> float:
        return max(self.latencies_ms)

    @property
    def cpu_median(self) -> float:
        """The dashboard process's CPU time over the same span (every thread: the listener,
        the poll, the UI drawing), which a busy machine does not inflate as it does wall."""
        return statistics.median(cpu for _, cpu in self.measured)

    def line(self) -> str:
        return (
            f"{self.backend:<11} {self.how:<34} {len(self.measured):>6} "
            f"{self.median:>10.0f} {self.most:>8.0f} {self.cpu_median:>11.0f}"
        )


HEADER = (
    f"{'backend':<11} {'how':<34} {'writes':>6} {'median ms':>10} {'max ms':>8} {'median CPU':>11}"
)


class Colleague:
    """Another process committing projects to the same database through the services."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", COLLEAGUE_CODE, url, COLLEAGUE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=portfolios._env(),
        )
        if self._answer() != "ready":
            raise SystemExit("the colleague's process did not start")

    def add(self, code: str) -> float:
        """Add project `code`; the moment its commit returned."""
        assert self.process.stdin is not None
        self.process.stdin.write(code + "\n")
        self.process.stdin.flush()
        return float(self._answer())

    def _answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


class Painted:
    """When each project code was first on the screen (after `show`, once drawn): the
    moment and the process's CPU time then; `changed` is set at each new one."""

    def __init__(self, screen: Any) -> None:
        self.at: dict[str, tuple[float, float]] = {}
        self.changed = asyncio.Event()
        real = screen.show

        def show(data: Any) -> None:
            real(data)
            screen.call_after_refresh(drawn)

        def drawn() -> None:
            now, cpu = time.monotonic(), time.process_time()
            for row in screen.rows:
                if row.code not in self.at:
                    self.at[row.code] = (now, cpu)
                    self.changed.set()

        screen.show = show

    async def wait_for(self, code: str, seconds: float) -> tuple[float, float]:
        deadline = time.monotonic() + seconds
        while code not in self.at:
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(f"{code} was not shown within {seconds:.0f} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        return self.at[code]


async def _measure(url: str, writes: int, refresh: float) -> list[tuple[float, float]]:
    """(wall ms, CPU ms of the dashboard's process) from each commit to its painting."""
    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database

    database = open_database(url)
    app = ItpmApp(
        Context(database, VIEWER),
        Settings(user=VIEWER, refresh_seconds=refresh),  # type: ignore[call-arg]
    )
    colleague = Colleague(url)
    measured: list[tuple[float, float]] = []
    pause = random.Random(16)  # the same pauses every run
    try:
        async with app.run_test(size=(200, 60)) as pilot:
            await _settle(pilot)
            if app.listener is not None and not app.listener.wait_listening(30):
                raise SystemExit("the dashboard's listener did not connect within 30 s")
            painted = Painted(app.screen)
            for n in range(writes + 1):  # the first warms up: not counted
                await asyncio.sleep(pause.uniform(0, refresh))
                code = f"LR-{n:03d}"
                cpu = time.process_time()
                committed = await asyncio.to_thread(colleague.add, code)
                shown, cpu_then = await painted.wait_for(code, 3 * refresh + 30)
                if n:
                    measured.append(((shown - committed) * 1000, (cpu_then - cpu) * 1000))
    finally:
        colleague.close()
        database.dispose()
    return measured


def measure_sqlite(writes: int, refresh: float) -> Run:
    from itpm_tui.storage.database import open_database, sqlite_url

    with tempfile.TemporaryDirectory(prefix="itpm-bench-live-") as folder:
        url = sqlite_url(Path(folder) / "live.db")
        open_database(url).dispose()
        measured = asyncio.run(_measure(url, writes, refresh))
    return Run("SQLite", f"polling every {refresh:g} s", measured)


def measure_postgres(writes: int, refresh: float) -> Run | str:
    """The run on a throwaway server, or why there is none."""
    from itpm_tui.storage.database import upgrade_database
    from tests.postgres import SWITCH, server_bin, start_cluster, wanted

    if not wanted():
        return f"PostgreSQL: skipped ({SWITCH}=0)"
    if server_bin() is None:
        return "PostgreSQL: skipped, no server binaries (apt-get install postgresql)"
    # In /tmp whatever TMPDIR says: the socket path must stay short, and as root the server
    # runs as `postgres`, which cannot enter a private temporary folder.
    folder = Path(tempfile.mkdtemp(prefix="itpm-bench-pg-", dir="/tmp"))
    try:
        cluster = start_cluster(folder)
        try:
            url = cluster.create("live")
            upgrade_database(url)
            measured = asyncio.run(_measure(url, writes, refresh))
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Run("PostgreSQL", f"NOTIFY (polling every {refresh:g} s)", measured)


def measure(writes: int, refresh: float, backends: Sequence[str]) -> tuple[list[Run], list[str]]:
    runs: list[Run] = []
    said: list[str] = []
    if "sqlite" in backends:
        print(f"# live refresh: SQLite, {writes} writes", flush=True)
        runs.append(measure_sqlite(writes, refresh))
    if "postgresql" in backends:
        print(f"# live refresh: PostgreSQL, {writes} writes", flush=True)
        found = measure_postgres(writes, refresh)
        if isinstance(found, str):
            said.append(found)
        else:
            runs.append(found)
    return runs, said


def results(sizes: Sequence[str], *, quick: bool = False) -> list[Figure]:
    """For `python -m tests.benchmarks`: median and most per backend (no portfolio size: a
    new database each). Quick: 3 writes, polls every 0.5 s."""
    writes, refresh = (3, 0.5) if quick else (20, 2.0)
    runs, said = measure(writes, refresh, ("sqlite", "postgresql"))
    for line in said:
        print(f"# {line}")
    out: list[Figure] = []
    for run in runs:
        target = TARGET_MS if run.backend == "PostgreSQL" else None
        what = f"commit → second dashboard shows it, {run.backend}, {run.how}"
        note = f"{len(run.measured)} writes"
        out.append(Figure(f"{what}, median", "new db", run.median, cpu=run.cpu_median, note=note))
        out.append(Figure(f"{what}, max", "new db", run.most, target=target, note=note))
    return out


def main(argv: list[str] | None = None) -> list[Run]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--refresh", type=float, default=2.0, help="refresh_seconds (polling)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = parser.parse_args(argv)
    backends = [args.only] if args.only else ["sqlite", "postgresql"]
    runs, said = measure(args.writes, args.refresh, backends)
    print(HEADER)
    for run in runs:
        print(run.line())
    for line in said:
        print(line)
    return runs


if __name__ == "__main__":
    main()
