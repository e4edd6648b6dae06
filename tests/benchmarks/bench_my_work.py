"""`itpm my` as whole processes, side by side with taskwarrior listing one person's tasks.

    python tests/benchmarks/bench_my_work.py [--sizes M L] [--runs 7] [--rebuild]

For each size: the portfolio (`portfolios.py`, cached), then `itpm my --as tech` and
`itpm my --as tech --json` run as processes (output to /dev/null), median of the wall times
and the largest RSS of the command (`processes.py`); all commands run in turn, round by round,
after one unmeasured warm-up each. Taskwarrior 2.6 (`task`, if installed) gets
the same tasks imported once into a throw-away TASKDATA (the assignee as a UDA, done tasks
completed) and is timed listing that person's pending tasks (`list` and `export`).
Prints a table with the floors of issue 12: itpm ≤ 0.5× taskwarrior's time and ≤ ⅓ its
memory. Speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios
from figures import Figure
from processes import Measured, measure_process

TIME_FLOOR = 0.5  # itpm's time over taskwarrior's
MEMORY_FLOOR = 1 / 3
#: The size the targets are set for (issue 15: "one person's open tasks at 100,000 tasks");
#: at a smaller size the figures are shown beside taskwarrior's without a verdict.
TARGET_SIZE = "L"


@dataclass(frozen=True)
class Run:
    what: str
    seconds: float  # median wall time
    rss_mb: float  # largest max RSS of the runs
    cpu: float = 0.0  # median CPU seconds (user + system) of the process


def measure(commands: list[tuple[str, list[str], dict[str, str]]], runs: int) -> list[Run]:
    """Every command once per round, in turn, so a busy machine weighs on all alike."""
    for _, argv, env in commands:
        measure_process(argv, env)  # warm the page cache, as a user's second look would find it
    results: list[list[Measured]] = [[] for _ in commands]
    for _ in range(runs):
        for mine, (_, argv, env) in zip(results, commands, strict=True):
            mine.append(measure_process(argv, env))
    return [
        Run(
            what,
            statistics.median(m.seconds for m in mine),
            max(m.rss_mb for m in mine),
            statistics.median(m.cpu for m in mine),
        )
        for (what, _, _), mine in zip(commands, results, strict=True)
    ]


def itpm_env() -> dict[str, str]:
    env = portfolios._env()
    env.pop("ITPM_DB", None)
    env["ITPM_CONFIG"] = str(portfolios.cache_dir() / "no-config.toml")  # defaults only
    return env


def task_env(taskdata: Path) -> tuple[dict[str, str], list[str]]:
    """Environment and rc overrides so taskwarrior never prompts, colours or collects."""
    env = dict(os.environ)
    env["TASKRC"] = str(taskdata / "taskrc")
    env["TASKDATA"] = str(taskdata)
    rc = [
        "rc.confirmation=no",
        "rc.verbose=nothing",
        "rc.gc=off",
        "rc.color=off",
        "rc.hooks=off",
        "rc.recurrence=off",
        "rc.detection=off",
        "rc.defaultwidth=80",
    ]
    return env, rc


def taskwarrior_data(db: Path, size: str) -> Path:
    """A TASKDATA holding the portfolio's tasks (built once per size, then reused)."""
    taskdata = portfolios.cache_dir() / f"taskdata-{size}"
    built_from = f"{db.stat().st_ino}\n"  # a rebuilt portfolio is a new file
    done = taskdata / "done"
    if done.exists() and done.read_text() == built_from:
        return taskdata
    shutil.rmtree(taskdata, ignore_errors=True)
    taskdata.mkdir()
    (taskdata / "taskrc").write_text(
        f"data.location={taskdata}\nuda.assignee.type=string\nuda.assignee.label=Assignee\n"
    )
    document = taskdata / "import.json"
    document.write_text(json.dumps(_tasks_as_taskwarrior(db)))
    env, rc = task_env(taskdata)
    subprocess.run(["task", *rc, "import", str(document)], env=env, check=True, capture_output=True)
    # move the completed tasks out of pending.data once, as taskwarrior's own gc would
    subprocess.run(["task", *rc, "rc.gc=on", "list"], env=env, capture_output=True)
    document.unlink()
    done.write_text(built_from)
    return taskdata


def _tasks_as_taskwarrior(db: Path) -> list[dict[str, str]]:
    import sqlite3

    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT t.id, t.name, t.status, t.planned_start, t.planned_finish, t.actual_finish,"
            " p.code, coalesce(pe.handle, '') FROM task t JOIN project p ON p.id = t.project_id"
            " LEFT JOIN person pe ON pe.id = t.assignee_id ORDER BY t.id"
        ).fetchall()
    tasks = []
    for tid, name, status, start, finish, done_on, code, handle in rows:
        entry = _stamp(start or "2026-01-01")
        task = {
            "uuid": str(uuid.UUID(int=tid)),
            "description": name,
            "project": code,
            "entry": entry,
            "status": "completed" if status == "done" else "pending",
        }
        if finish:
            task["due"] = _stamp(finish)
        if status == "done":
            task["end"] = _stamp(done_on or finish or start)
        if handle:
            task["assignee"] = handle
        tasks.append(task)
    return tasks


def _stamp(day: str) -> str:
    return day[:10].replace("-", "") + "T090000Z"


def figures(size: str, runs: int, rebuild: bool) -> list[Run]:
    began = time.perf_counter()
    db = portfolios.build(size, rebuild=rebuild)
    print(f"# {size}: {db} ready in {time.perf_counter() - began:.1f} s", flush=True)
    handle = portfolios.technician(size)
    itpm = [sys.executable, "-m", "itpm_tui", "--db", str(db), "my", "--as", handle]
    commands = [
        (f"itpm my --as {handle}", itpm, itpm_env()),
        (f"itpm my --as {handle} --json", [*itpm, "--json"], itpm_env()),
    ]
    if shutil.which("task") is None:
        print("# taskwarrior (`task`) is not installed: itpm's figures alone")
        return measure(commands, runs)
    began = time.perf_counter()
    taskdata = taskwarrior_data(db, size)
    print(f"# {size}: taskwarrior data ready in {time.perf_counter() - began:.1f} s", flush=True)
    env, rc = task_env(taskdata)
    where = [f"assignee:{handle}", "status:pending"]
    commands.append((f"task {' '.join(where)} list", ["task", *rc, *where, "list"], env))
    commands.append((f"task {' '.join(where)} export", ["task", *rc, *where, "export"], env))
    return measure(commands, runs)


def table(size: str, rows: list[Run]) -> list[str]:
    lines = [f"{size:<3} {'what':<44} {'median s':>9} {'max RSS MB':>11}"]
    lines += [f"    {r.what:<44} {r.seconds:>9.3f} {r.rss_mb:>11.1f}" for r in rows]
    task_rows = [r for r in rows if r.what.startswith("task ")]
    if task_rows:
        fastest = min(r.seconds for r in task_rows)
        smallest = min(r.rss_mb for r in task_rows)
        for r in rows:
            if r.what.startswith("itpm"):
                t, m = r.seconds / fastest, r.rss_mb / smallest
                lines.append(
                    f"    {r.what:<44} time {t:.2f}× taskwarrior (floor ≤ {TIME_FLOOR}×: "
                    f"{_verdict(t <= TIME_FLOOR)}), memory {m:.2f}× (floor ≤ ⅓: "
                    f"{_verdict(m <= MEMORY_FLOOR)})"
                )
    return lines


def as_figures(size: str, rows: list[Run], runs: int) -> list[Figure]:
    """itpm's time and memory, each beside taskwarrior's best where it ran (the floor)."""
    task_rows = [r for r in rows if r.what.startswith("task ")]
    fastest = min((r.seconds for r in task_rows), default=None)
    smallest = min((r.rss_mb for r in task_rows), default=None)
    judged = size == TARGET_SIZE
    out = []
    for r in rows:
        if not r.what.startswith("itpm"):
            continue
        out.append(
            Figure(
                f"{r.what}, whole process",
                size,
                r.seconds,
                unit="s",
                cpu=r.cpu,
                floor=fastest,
                floor_name="taskwarrior",
                target=TIME_FLOOR if judged else None,
                per_floor=True,
                note=f"median of {runs}",
            )
        )
        out.append(
            Figure(
                f"{r.what}, max RSS",
                size,
                r.rss_mb,
                unit="MB",
                floor=smallest,
                floor_name="taskwarrior",
                target=MEMORY_FLOOR if judged else None,
                per_floor=True,
            )
        )
    return out


def results(
    sizes: Sequence[str], *, quick: bool = False, runs: int = 7, rebuild: bool = False
) -> list[Figure]:
    """`itpm my` beside taskwarrior at each size (`quick`: one measured round)."""
    runs = 1 if quick else runs
    out: list[Figure] = []
    for size in sizes:
        out += as_figures(size, figures(size, runs, rebuild), runs)
    return out


def _verdict(ok: bool) -> str:
    return "meets" if ok else "misses"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="build the portfolios again")
    args = parser.parse_args()
    out = []
    for size in args.sizes:
        out += table(size, figures(size, args.runs, args.rebuild))
    print(f"\nitpm my vs taskwarrior — median of {args.runs} runs, output to /dev/null")
    print("\n".join(out))


if __name__ == "__main__":
    main()
