"""The read models behind the portfolio's screens, in this process, on a benchmark portfolio.

    python tests/benchmarks/bench_portfolio.py [DB] [--sizes M L] [--runs 5]

For each size (`portfolios.py`, built through `itpm import` and cached), or for the portfolio
file DB when one is named: how long it takes to compute the Projects screen's rows (all
aggregates in SQL), the risk register and heat map, the stakeholder list with next updates
due, an executive status report of the first project, one poll for changes, and to start
the CLI (`itpm --version`, `itpm config show`). Each figure is the best of `--runs` wall
times, with the CPU time of that run. Not part of the test run: speed is measured here, not
asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios
from figures import Figure, table


def best(
    what: str, size: str, run: Callable[[], object], runs: int, in_process: bool = True
) -> Figure:
    """The best wall time of `runs` (after one warm-up), with that run's CPU time when the
    work is this process's (a child's is not)."""
    run()
    wall = cpu = float("inf")
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        run()
        w, c = time.perf_counter() - w, time.process_time() - c
        if w < wall:
            wall, cpu = w, c
    return Figure(
        what, size, wall * 1000, cpu=cpu * 1000 if in_process else None, note=f"best of {runs}"
    )


def _process(argv: list[str]) -> Callable[[], object]:
    env = portfolios._env()
    env["ITPM_CONFIG"] = str(portfolios.cache_dir() / "no-config.toml")  # defaults only
    return lambda: subprocess.run(argv, check=True, capture_output=True, env=env)


def file_figures(path: Path, size: str, runs: int) -> list[Figure]:
    """Every figure of the portfolio in `path`; `size` names it in the table."""
    from sqlalchemy import func, select

    from itpm_tui.domain.risk import ALL, RiskFilter
    from itpm_tui.queries.portfolio import portfolio
    from itpm_tui.queries.risks import heat_counts, register_rows
    from itpm_tui.queries.stakeholders import contacts
    from itpm_tui.reports import render_report
    from itpm_tui.storage.database import open_database, sqlite_url
    from itpm_tui.storage.models import Project, Risk, Stakeholder

    today = date.today()  # the generated portfolios are laid around this week
    db = open_database(sqlite_url(path))
    try:
        with db.read() as session:
            projects = session.execute(select(func.count(Project.id))).scalar_one()
            first = session.execute(select(func.min(Project.id))).scalar_one()
            risks = session.execute(select(func.count(Risk.id))).scalar_one()
            people = session.execute(select(func.count(Stakeholder.id))).scalar_one()
        found = [
            best(f"Projects rows, {projects:,} projects", size, lambda: portfolio(db, today), runs),
            best("change token (one poll)", size, db.change_token, runs),
            best(
                f"risk register, all {risks:,} risks",
                size,
                lambda: register_rows(db, today, RiskFilter(status=ALL)),
                runs,
            ),
            best(
                "heat map counts, all projects", size, lambda: heat_counts(db, RiskFilter()), runs
            ),
            best(
                f"{people:,} contacts with next update due",
                size,
                lambda: contacts(db, today),
                runs,
            ),
            best(
                "executive status report (txt), one project",
                size,
                lambda: render_report(db, first, today=today, audience="executive", fmt="txt"),
                runs,
            ),
        ]
    finally:
        db.dispose()
    itpm = [sys.executable, "-m", "itpm_tui"]
    for what, argv in (
        ("itpm --version (process start)", [*itpm, "--version"]),
        ("itpm config show (process start)", [*itpm, "config", "show"]),
    ):
        found.append(best(what, size, _process(argv), runs, in_process=False))
    return found


def results(
    sizes: Sequence[str], *, quick: bool = False, runs: int = 5, rebuild: bool = False
) -> list[Figure]:
    """Every figure at each size (`quick`: one run after the warm-up)."""
    runs = 1 if quick else runs
    out: list[Figure] = []
    for size in sizes:
        began = time.perf_counter()
        path = portfolios.build(size, rebuild=rebuild)
        print(f"# {size}: {path} ready in {time.perf_counter() - began:.1f} s", flush=True)
        out += file_figures(path, size, runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="?", type=Path, help="a portfolio file to measure instead")
    parser.add_argument("--sizes", nargs="+", default=["M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the portfolios again")
    args = parser.parse_args()
    if args.db is not None:
        if not args.db.is_file():
            raise SystemExit(f"{args.db}: no such portfolio file")
        found = file_figures(args.db, args.db.name, args.runs)
    else:
        found = results(args.sizes, runs=args.runs, rebuild=args.rebuild)
    print(f"\nread models of the portfolio, best of {args.runs} runs")
    print(table(found))


if __name__ == "__main__":
    main()
