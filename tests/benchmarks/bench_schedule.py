"""The schedule of a 10,000-task project, the burn-down `d` loads, and that project's status
report, each beside its target (issue 15).

    python tests/benchmarks/bench_schedule.py [--runs 5] [--rebuild] [--with-l]

The project is one of 10,000 tasks (5 phases of leaves, about half linked finish-to-start,
done, started and blocked work, ledger, risks, stakeholders) made by `portfolios.py`'s own
generator and cached beside its portfolios; measurements run on a copy whose stored
schedules are fresh, as they are after any write in the app. `--with-l` also loads the
burn-down of a project of the L portfolio. Each figure is the best of `--runs` wall times
in this process, with the CPU time of that run and the load average, because two cores
shared with other work make the wall clock noisy. Speed is measured here, never asserted
in the test suite (`tests/test_benchmarks.py` runs `main(["--size", "tiny", "--runs", "1"])`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios

#: The one big project, through the portfolio generator (so the data is valid).
PROJECT_10K = portfolios.Size("project-10k", 1, 10_000, 5_000, 100, 50, 100)
#: A small one for the smoke run in the test suite.
PROJECT_TINY = portfolios.Size("project-tiny", 1, 200, 100, 10, 5, 10)
SIZES = {"10k": PROJECT_10K, "tiny": PROJECT_TINY}


@dataclass(frozen=True)
class Figure:
    what: str
    wall_ms: float  # best of the runs
    cpu_ms: float  # the process CPU time of that best run
    target_ms: float | None


def project_file(size: portfolios.Size, rebuild: bool = False) -> Path:
    """The cached SQLite file holding the one project of `size` (built when missing)."""
    target = portfolios.cache_dir() / f"{size.name}.db"
    if target.exists() and not rebuild:
        return target
    partial = target.with_name(target.name + ".building")
    partial.unlink(missing_ok=True)
    portfolios._build_generated(size, partial, anchor=portfolios._monday())
    partial.replace(target)
    return target


def fresh_copy(source: Path, into: Path) -> Path:
    """A copy whose stored schedules are fresh, as every write in the app leaves them."""
    from itpm_tui.queries.schedule import refresh_stored
    from itpm_tui.storage.database import open_database, sqlite_url

    copy = into / source.name
    shutil.copyfile(source, copy)
    db = open_database(sqlite_url(copy))
    try:
        with db.write() as session:
            refresh_stored(session)
    finally:
        db.dispose()
    return copy


def best(what: str, run: Callable[[], object], runs: int, target: float | None) -> Figure:
    wall = cpu = float("inf")
    run()  # warm: imports, the driver's statement cache
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        run()
        w, c = time.perf_counter() - w, time.process_time() - c
        if w < wall:
            wall, cpu = w, c
    return Figure(what, wall * 1000, cpu * 1000, target)


def project_figures(path: Path, runs: int) -> list[Figure]:
    from sqlalchemy import select

    from itpm_tui.domain.calendar import WorkCalendar
    from itpm_tui.domain.plan import plan_project
    from itpm_tui.domain.schedule import Link
    from itpm_tui.queries.burndown import project_burndown
    from itpm_tui.queries.schedule import load_schedules
    from itpm_tui.queries.timeline import load_timeline, plan_task, project_choices
    from itpm_tui.reports import render_report
    from itpm_tui.storage.database import open_database, sqlite_url
    from itpm_tui.storage.models import Dependency, Holiday, Project, Task

    today = date.today()  # the generated data is laid around this week
    db = open_database(sqlite_url(path))
    try:
        with db.read() as session:
            pid = session.execute(select(Project.id)).scalar_one()
            start = session.execute(select(Project.start_date)).scalar_one()
            tasks = [
                plan_task(t)
                for t in session.scalars(select(Task).order_by(Task.sort_order, Task.id))
            ]
            links = [
                Link(d.predecessor_id, d.successor_id, d.kind, d.lag_days)
                for d in session.scalars(select(Dependency))
            ]
            holidays = list(session.scalars(select(Holiday.day)))
        n = len(tasks)

        def rescheduled() -> None:
            """The stale path: read the inputs, schedule, nothing stored (a read)."""
            from itpm_tui.queries import schedule as module

            module._CACHE.clear()
            with db.read() as session:
                load_schedules(session, [pid], replan={-1: (None, None)})

        def timeline_fetch() -> None:
            project_choices(db)
            load_timeline(db, pid)
            project_burndown(db, pid, today)

        return [
            best(
                f"schedule of {n:,} tasks (domain.plan)",
                lambda: plan_project(tasks, links, start, WorkCalendar(holidays)),
                runs,
                200,
            ),
            best(f"schedule of {n:,} tasks, read + scheduled", rescheduled, runs, None),
            best(
                f"d: burn-down series of {n:,} tasks",
                lambda: project_burndown(db, pid, today),
                runs,
                100,
            ),
            best(f"the Timeline's whole fetch ({n:,} tasks)", timeline_fetch, runs, None),
            best(
                f"status report of {n:,} tasks (txt)",
                lambda: render_report(db, pid, today=today, audience="executive", fmt="txt"),
                runs,
                1000,
            ),
            best(
                f"status report of {n:,} tasks (technical md)",
                lambda: render_report(db, pid, today=today, audience="technical", fmt="md"),
                runs,
                1000,
            ),
        ]
    finally:
        db.dispose()


def l_figures(runs: int) -> list[Figure]:
    """The burn-down `d` loads for one project of the L portfolio."""
    from itpm_tui.queries.burndown import project_burndown
    from itpm_tui.storage.database import open_database, sqlite_url

    db = open_database(sqlite_url(portfolios.build("L")))
    try:
        return [
            best(
                "d: burn-down series, a project of L",
                lambda: project_burndown(db, 1, date.today()),
                runs,
                100,
            )
        ]
    finally:
        db.dispose()


def table(figures: list[Figure]) -> list[str]:
    out = [f"{'figure':<46} {'wall ms':>9} {'cpu ms':>8} {'target':>8}  verdict"]
    for f in figures:
        target = f"≤ {f.target_ms:.0f}" if f.target_ms is not None else "—"
        verdict = "" if f.target_ms is None else _verdict(f.wall_ms <= f.target_ms)
        out.append(f"{f.what:<46} {f.wall_ms:9.1f} {f.cpu_ms:8.1f} {target:>8}  {verdict}")
    return out


def _verdict(ok: bool) -> str:
    return "meets" if ok else "misses"


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="10k")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the project again")
    parser.add_argument("--with-l", action="store_true", help="also the L portfolio's `d`")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    source = project_file(SIZES[args.size], rebuild=args.rebuild)
    print(f"# {source} ready in {time.perf_counter() - began:.1f} s", flush=True)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        figures = project_figures(fresh_copy(source, Path(tmp)), args.runs)
    if args.with_l:
        figures += l_figures(args.runs)
    after = os.getloadavg()
    print(f"\nschedule, d and status report — best of {args.runs} runs")
    print("\n".join(table(figures)))
    print(f"# {os.cpu_count()} CPUs; load average {load[0]:.2f} before, {after[0]:.2f} after")
    return figures


if __name__ == "__main__":
    main()
