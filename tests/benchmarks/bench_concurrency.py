"""A team writing the same records at once, with a dashboard open: nothing lost, no error.

    python tests/benchmarks/bench_concurrency.py [--backend both|sqlite|postgresql]
        [--sqlite-procs 4] [--postgres-procs 20] [--writes 500] [--poll 0.1] [--url URL]

Writer processes (`tests.concurrency.mixed_writes`, each its own connection, released
together) make `--writes` edits each of the same three records — a budget line's amount
(+1), the project's archive flag and a deliverable's acceptance (toggled) — each from the
version it read and, when a colleague saved first (`ConflictError`), again from a fresh
read, as a user reloading would. By default 4 writers on a new SQLite file and 20 on a new
PostgreSQL database of a throwaway server this script starts and removes
(`tests.postgres`: the installed server binaries, a Unix socket in a temporary folder).

Meanwhile the dashboard is open in this process: the real `ItpmApp`, headless, on its
Projects screen, polling every `--poll` seconds with its own code (`LiveScreen._poll`:
the change token, then a fetch when it moved). Its calls of the change token are timed,
and whatever it tells the user as a warning or an error is kept.

Printed per backend: edits saved, lost updates (saved edits the records do not show,
checked against what each writer says it committed; must be 0), errors a user would have
been shown (a writer's refusal other than a conflict, or the dashboard's warnings and
errors; must be 0), conflicts met and retried, the writers' elapsed time (first to last
commit) and writes per second, and the time from each commit to the dashboard's first poll
that saw it (median and max). `--url` runs on an existing empty database at the newest
schema instead. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import resource_tracker
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # figures, as the other scripts import it
sys.path.insert(0, str(HERE.parents[1]))  # tests.concurrency, from the repository root

from figures import Figure  # noqa: E402

from itpm_tui.storage.database import open_database, sqlite_url, upgrade_database  # noqa: E402
from tests import concurrency, postgres  # noqa: E402

if TYPE_CHECKING:
    from itpm_tui.domain.change_set import ChangeSet

#: Writers per backend by default: a team on a shared file, a larger one on a server.
PROCS = {"SQLite": 4, "PostgreSQL": 20}
QUICK_PROCS, QUICK_WRITES = 2, 10


@dataclass(frozen=True)
class Run:
    backend: str
    procs: int
    writes: int
    poll: float
    seconds: float
    saved: int
    lost: int
    errors: list[str]  # every message a user would have been shown
    conflicts: int
    polls: int
    latencies_ms: list[float]  # commit → first poll that saw it, one per commit

    @property
    def size(self) -> str:
        return f"{self.backend} {self.procs}×{self.writes}"


class Dashboard(threading.Thread):
    """The dashboard a colleague keeps open: the real app, headless, on Projects, polling
    every `interval` seconds until stopped. Each poll's reading of the change token (the
    first, then the changes since the last) is kept as (monotonic time, token); each
    warning or error the app shows is kept as its text."""

    def __init__(self, url: str, interval: float) -> None:
        super().__init__(daemon=True)
        from itpm_tui.app import ItpmApp
        from itpm_tui.config import Settings
        from itpm_tui.services.context import Context

        self.polls: list[tuple[float, int]] = []
        self.shown: list[str] = []
        self.ready = threading.Event()
        self.stop = threading.Event()
        ctx = Context(open_database(url), "dashboard", clock=lambda: concurrency.TODAY)
        self.db = ctx.db
        token_of, changes_of = ctx.db.change_token, ctx.db.changes_since

        def change_token() -> int:  # the poll's own calls, timed
            token = token_of()
            self.polls.append((time.monotonic(), token))
            return token

        def changes_since(token: int) -> ChangeSet:
            changes = changes_of(token)
            self.polls.append((time.monotonic(), changes.token))
            return changes

        ctx.db.change_token = change_token  # type: ignore[method-assign]
        ctx.db.changes_since = changes_since  # type: ignore[method-assign]
        settings = Settings(user="dashboard", refresh_seconds=interval)  # type: ignore[call-arg]
        self.app = ItpmApp(ctx, settings)

    def run(self) -> None:
        try:
            asyncio.run(self._drive())
        except Exception as exc:  # the app failed: what its user would have met
            self.shown.append(f"dashboard failed: {exc!r}")
        finally:
            self.ready.set()
            self.db.dispose()

    async def _drive(self) -> None:
        app = self.app
        async with app.run_test(size=(120, 40)) as pilot:
            notify = app.notify

            def kept(message: Any, *args: Any, severity: str = "information", **kw: Any) -> None:
                if severity != "information":
                    self.shown.append(f"dashboard {severity}: {message}")
                notify(message, *args, severity=severity, **kw)  # type: ignore[arg-type]

            app.notify = kept  # type: ignore[method-assign]
            while not self.polls and not self.stop.is_set():
                await pilot.pause(0.05)  # its first poll: the screen is up
            self.ready.set()
            while not self.stop.is_set():
                await pilot.pause(0.05)
        if app.fatal_error:
            self.shown.append(f"dashboard: {app.fatal_error}")

    def seen_after(self, committed: float, token: int) -> float | None:
        """Seconds from `committed` to the first poll after it showing `token` or later."""
        times = [t for t, _ in self.polls]
        for index in range(bisect.bisect_left(times, committed), len(self.polls)):
            at, seen = self.polls[index]
            if seen >= token:
                return at - committed
        return None


def run(url: str, backend: str, procs: int, writes: int, poll: float) -> Run:
    shared = concurrency.shared_records(url)
    # Started before the app takes this process's stderr: the writers' processes need it.
    resource_tracker.ensure_running()
    dashboard = Dashboard(url, poll)
    dashboard.start()
    dashboard.ready.wait(120)
    tally = concurrency.run_processes(
        ((concurrency.mixed_writes, (url, shared, writes, f"writer{n}", n)) for n in range(procs)),
        timeout=7200,
    )
    commits = sorted(at for at, _ in tally.commits)
    seconds = commits[-1] - commits[0] if len(commits) > 1 else 0.0  # the writers' own time
    time.sleep(poll * 3 + 0.5)  # the last commit's poll
    dashboard.stop.set()
    dashboard.join(60)
    latencies = [dashboard.seen_after(at, token) for at, token in tally.commits]
    return Run(
        backend,
        procs,
        writes,
        poll,
        seconds,
        sum(tally.saved.values()),
        concurrency.lost_updates(url, shared, tally),
        tally.errors + dashboard.shown,
        tally.conflicts,
        len(dashboard.polls),
        [s * 1000 for s in latencies if s is not None],
    )


@contextmanager
def new_sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder) / "team.db")
        open_database(url).dispose()
        yield url


@contextmanager
def new_postgres() -> Iterator[str]:
    """A new database at the newest schema on a throwaway server, removed afterwards."""
    # Under /tmp whatever TMPDIR says: a socket path is short, and as root the server runs
    # as `postgres`, which cannot enter a private temporary folder such as pytest's.
    folder = Path(tempfile.mkdtemp(prefix="itpm-bench-pg-", dir="/tmp"))
    try:
        cluster = postgres.start_cluster(folder)
        try:
            url = cluster.create("team")
            upgrade_database(url)
            yield url
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def postgres_missing() -> str:
    """Why the PostgreSQL run cannot be made here, or ''."""
    if not postgres.wanted():
        return f"{postgres.SWITCH}=0"
    if postgres.server_bin() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg not installed (pip install itpm[postgres])"
    return ""


def measure(backend: str, procs: int, writes: int, poll: float) -> Run:
    fresh = new_postgres if backend == "PostgreSQL" else new_sqlite
    with fresh() as url:
        return run(url, backend, procs, writes, poll)


def figures(result: Run) -> list[Figure]:
    size = result.size
    lat = result.latencies_ms or [0.0]
    poll_ms = result.poll * 1000
    return [
        Figure("edits saved", size, result.saved, "writes"),
        Figure("lost updates", size, result.lost, "writes", target=0),
        Figure("errors shown to a user", size, len(result.errors), "writes", target=0),
        Figure("conflicts met and retried", size, result.conflicts, "writes"),
        Figure("writers' elapsed time", size, result.seconds, "s", note="first to last commit"),
        Figure(
            "writes saved per second",
            size,
            result.saved / result.seconds if result.seconds else 0.0,
            "writes/s",
            note="first to last commit",
        ),
        Figure(
            "commit → dashboard saw it, median",
            size,
            statistics.median(lat),
            note=f"real app polling every {poll_ms:.0f} ms, {result.polls} polls",
        ),
        Figure(
            "commit → dashboard saw it, max",
            size,
            max(lat),
            note=f"real app polling every {poll_ms:.0f} ms",
        ),
    ]


def plan(backends: Sequence[str], quick: bool, procs: dict[str, int]) -> list[tuple[str, int]]:
    """(backend, writers) to run, in order; a backend this machine cannot run is said."""
    runs = []
    for backend in backends:
        if backend == "PostgreSQL" and (why := postgres_missing()):
            print(f"# concurrency on PostgreSQL: skipped, {why}", flush=True)
            continue
        runs.append((backend, QUICK_PROCS if quick else procs[backend]))
    return runs


def results(sizes: Sequence[str], *, quick: bool = False) -> list[Figure]:
    """For `python -m tests.benchmarks`: 4 × 500 on SQLite and 20 × 500 on PostgreSQL
    (2 × 10 each when quick)."""
    del sizes  # the number of writers and writes is the size here
    writes = QUICK_WRITES if quick else 500
    shown: list[Figure] = []
    for backend, procs in plan(("SQLite", "PostgreSQL"), quick, PROCS):
        print(f"# concurrency: {procs} processes × {writes} writes on {backend}", flush=True)
        shown += figures(measure(backend, procs, writes, 0.1))
    return shown


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--sqlite-procs", type=int, default=PROCS["SQLite"])
    parser.add_argument("--postgres-procs", type=int, default=PROCS["PostgreSQL"])
    parser.add_argument("--writes", type=int, default=500, help="edits per writer")
    parser.add_argument("--poll", type=float, default=0.1, help="dashboard poll, seconds")
    parser.add_argument("--url", help="an existing empty database at the newest schema")
    args = parser.parse_args(argv)
    from figures import machine, table

    load_before = os.getloadavg()
    runs: list[Run] = []
    if args.url:
        backend = "SQLite" if args.url.startswith("sqlite") else "PostgreSQL"
        procs = args.sqlite_procs if backend == "SQLite" else args.postgres_procs
        runs.append(run(args.url, backend, procs, args.writes, args.poll))
    else:
        chosen = {"both": ("SQLite", "PostgreSQL"), "sqlite": ("SQLite",)}.get(
            args.backend, ("PostgreSQL",)
        )
        counts = {"SQLite": args.sqlite_procs, "PostgreSQL": args.postgres_procs}
        for backend, procs in plan(chosen, False, counts):
            print(f"# {procs} processes × {args.writes} writes on {backend}", flush=True)
            runs.append(measure(backend, procs, args.writes, args.poll))
    shown = [figure for result in runs for figure in figures(result)]
    print(table(shown))
    for line in machine().lines(load_before, os.getloadavg()):
        print(line)
    for result in runs:
        for error in result.errors[:10]:
            print(f"error shown ({result.size}): {error}")
    return shown


if __name__ == "__main__":
    main()
