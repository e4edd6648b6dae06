"""A team writing the same records at once, with a dashboard watching: nothing lost.

    python tests/benchmarks/bench_concurrency.py [--url URL] [--procs 4] [--writes 500]
                                                 [--poll 0.1]

`--procs` processes (`tests.concurrency.mixed_writes`, each its own connection, released
together) make `--writes` edits each of the same three records — a budget line's amount
(+1), the project's archive flag and a deliverable's acceptance (toggled) — each from the
version it read and, when a colleague saved first (`ConflictError`), again from a fresh read,
as a user reloading would. Meanwhile a dashboard-like poller in this process asks the change
token every `--poll` seconds, as the screens do (`Database.change_token`).

Printed: lost updates (saves the records do not show; must be 0), errors a user would have
been shown (anything but a conflict; must be 0), conflicts met and retried, writes per
second, and the time from each commit to the first poll that saw it (median and max; it is
at most the poll interval plus a poll). Without `--url`, a new SQLite file in a temporary
folder; a server URL (`postgresql+psycopg://…`) works once its backend is installed — the
database must be empty and at the newest schema. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import bisect
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # figures, as the other scripts import it
sys.path.insert(0, str(HERE.parents[1]))  # tests.concurrency, from the repository root

from figures import Figure  # noqa: E402

from itpm_tui.storage.database import open_database, sqlite_url  # noqa: E402
from tests import concurrency  # noqa: E402


@dataclass(frozen=True)
class Run:
    procs: int
    writes: int
    poll: float
    seconds: float
    lost: int
    errors: list[str]
    conflicts: int
    latencies_ms: list[float]  # commit → first poll that saw it, one per commit

    @property
    def saved(self) -> int:
        return self.procs * self.writes - len(self.errors)


class Poller(threading.Thread):
    """The dashboard: polls the change token every `interval` seconds until stopped,
    keeping (monotonic time, token) of every poll."""

    def __init__(self, url: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.db = open_database(url)
        self.interval = interval
        self.polls: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                token = self.db.change_token()
                self.polls.append((time.monotonic(), token))
                self.stop.wait(self.interval)
        finally:
            self.db.dispose()

    def seen_after(self, committed: float, token: int) -> float | None:
        """Seconds from `committed` to the first poll after it showing `token` or later."""
        times = [t for t, _ in self.polls]
        for index in range(bisect.bisect_left(times, committed), len(self.polls)):
            at, seen = self.polls[index]
            if seen >= token:
                return at - committed
        return None


def run(url: str, procs: int, writes: int, poll: float) -> Run:
    shared = concurrency.shared_records(url)
    poller = Poller(url, poll)
    poller.start()
    tally = concurrency.run_processes(
        (concurrency.mixed_writes, (url, shared, writes, f"writer{n}", n)) for n in range(procs)
    )
    commits = sorted(at for at, _ in tally.commits)
    seconds = commits[-1] - commits[0] if len(commits) > 1 else 0.0  # the writers' own time
    time.sleep(poll * 2 + 0.05)  # the last commit's poll
    poller.stop.set()
    poller.join()
    latencies = [poller.seen_after(at, token) for at, token in tally.commits]
    return Run(
        procs,
        writes,
        poll,
        seconds,
        concurrency.lost_updates(url, shared, tally),
        tally.errors,
        tally.conflicts,
        [s * 1000 for s in latencies if s is not None],
    )


def measure(url: str | None, procs: int, writes: int, poll: float) -> Run:
    if url is not None:
        return run(url, procs, writes, poll)
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder) / "team.db")
        open_database(url).dispose()
        return run(url, procs, writes, poll)


def figures(result: Run, backend: str) -> list[Figure]:
    size = f"{backend} {result.procs}×{result.writes}"
    lat = result.latencies_ms or [0.0]
    poll_ms = result.poll * 1000
    return [
        Figure("lost updates", size, result.lost, "writes", target=0),
        Figure("errors shown to a user", size, len(result.errors), "writes", target=0),
        Figure("conflicts met and retried", size, result.conflicts, "writes"),
        Figure(
            "writes saved per second",
            size,
            result.saved / result.seconds if result.seconds else 0.0,
            "writes/s",
            note="first to last commit",
        ),
        Figure(
            "commit → poll saw it, median",
            size,
            statistics.median(lat),
            note=f"poll every {poll_ms:.0f} ms",
        ),
        Figure("commit → poll saw it, max", size, max(lat), note=f"poll every {poll_ms:.0f} ms"),
    ]


def results(sizes: Sequence[str], *, quick: bool = False) -> list[Figure]:
    """For `python -m tests.benchmarks`: 4 × 500 on SQLite (2 × 10 when quick)."""
    del sizes  # the number of writers and writes is the size here
    procs, writes = (2, 10) if quick else (4, 500)
    print(f"# concurrency: {procs} processes × {writes} writes on SQLite", flush=True)
    return figures(measure(None, procs, writes, 0.1), "SQLite")


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--procs", type=int, default=4, help="writer processes")
    parser.add_argument("--writes", type=int, default=500, help="edits per writer")
    parser.add_argument("--poll", type=float, default=0.1, help="poll interval, seconds")
    args = parser.parse_args(argv)
    result = measure(args.url, args.procs, args.writes, args.poll)
    backend = "SQLite" if args.url is None or args.url.startswith("sqlite") else "server"
    shown = figures(result, backend)
    from figures import table

    print(table(shown))
    for error in result.errors[:10]:
        print(f"error shown: {error}")
    return shown


if __name__ == "__main__":
    main()
