"""`python -m tests.benchmarks [--sizes S M L] [--quick] [--only startup,keys,...] [--markdown]`:
run every benchmark and print one table of figures — itpm beside its floor (the bare Textual
app, taskwarrior, a stdlib-only import) with the ratio, the target and whether it is met —
under the machine it was measured on (CPU, cores, RAM, Python, load average at start and end).

Each script (`bench_*.py`) gives `results(sizes, quick=...)`, a list of `figures.Figure`;
its progress lines (`# …`) are shown as it runs, its own table is not. A script added
without `results` is run as a process and its printout shown under the table. Exit status 1
when a benchmark failed to run (a missed target is a figure, not a failure).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import io
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the scripts import each other as top-level modules

import portfolios  # noqa: E402
from figures import Figure, machine, table  # noqa: E402

#: name on the command line -> the script's module (in run order).
BENCHMARKS = {
    "startup": "bench_startup",
    "keys": "bench_keys",
    "my": "bench_my_work",
    "schedule": "bench_schedule",
    "portfolio": "bench_portfolio",
    "transfer": "bench_transfer",  # added on another branch: skipped with a line if absent
    "poll": "bench_poll",  # likewise
    "concurrency": "bench_concurrency",
    "live": "bench_live_refresh",
}
#: Benchmarks that drive a terminal through tmux.
NEEDS_TMUX = frozenset({"startup", "keys"})


@dataclass
class Outcome:
    """What the run found: figures, lines said instead of figures, and whether all ran."""

    figures: list[Figure] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # skipped, failed, printed by a script
    failed: bool = False


class _Progress(io.TextIOBase):
    """Stdout while a script runs: its `# …` progress lines pass, its own table does not."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.pending = ""
        self.kept: list[str] = []

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            if line.startswith("#"):
                self.out.write(line + "\n")
                self.out.flush()
            else:
                self.kept.append(line)
        return len(text)


def _call_results(module: Any, sizes: Sequence[str], quick: bool) -> list[Figure]:
    accepts = inspect.signature(module.results).parameters
    options = {"quick": quick} if "quick" in accepts else {}
    return list(module.results(list(sizes), **options))


def _schedule(module: Any, sizes: Sequence[str], quick: bool) -> list[Figure]:
    """bench_schedule measures one big project of its own (and `d` at L): its `main`."""
    if hasattr(module, "results"):
        return _call_results(module, sizes, quick)
    which = "tiny" if quick or set(sizes) <= {"S", "tiny"} else "10k"
    argv = ["--size", which, "--runs", "1" if quick else "5"]
    if "L" in sizes:
        argv.append("--with-l")
    out = []
    for f in module.main(argv):
        if isinstance(f, Figure):
            out.append(f)
            continue
        size = "L" if f.what.endswith("of L") else f"project-{which}"
        runs = argv[3]
        out.append(
            Figure(
                f.what, size, f.wall_ms, cpu=f.cpu_ms, target=f.target_ms, note=f"best of {runs}"
            )
        )
    return out


def _as_process(name: str, script: Path, sizes: Sequence[str], quick: bool) -> list[str]:
    """A script without `results`: run it with the sizes it is given, keep its printout."""
    source = script.read_text(encoding="utf-8")
    argv = [sys.executable, str(script)]
    if "--sizes" in source:
        argv += ["--sizes", *sizes]
    if quick and "--runs" in source:
        argv += ["--runs", "1"]
    done = subprocess.run(argv, capture_output=True, text=True, env=portfolios._env())
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:])} exited {done.returncode}: {done.stderr[-2000:]}")
    return [f"{name} (printed by {script.name}, no figures of its own yet):", done.stdout.rstrip()]


def run_one(name: str, sizes: Sequence[str], quick: bool, outcome: Outcome) -> None:
    module_name = BENCHMARKS[name]
    script = HERE / f"{module_name}.py"
    if not script.exists():
        outcome.said.append(f"{name}: skipped, {script.name} is not in this checkout")
        return
    if name in NEEDS_TMUX and shutil.which("tmux") is None:
        outcome.said.append(f"{name}: skipped, it drives a terminal through tmux (not installed)")
        return
    print(f"# {name}: {script.name} {' '.join(sizes)}{' (quick)' if quick else ''}", flush=True)
    began = time.perf_counter()
    progress = _Progress(sys.stdout)
    try:
        module = importlib.import_module(module_name)
        with contextlib.redirect_stdout(progress):
            if name == "schedule":
                outcome.figures += _schedule(module, sizes, quick)
            elif hasattr(module, "results"):
                outcome.figures += _call_results(module, sizes, quick)
            else:
                outcome.said += _as_process(name, script, sizes, quick)
    except (Exception, SystemExit) as exc:  # a script says what went wrong by SystemExit
        outcome.failed = True
        detail = str(exc) if isinstance(exc, SystemExit) else traceback.format_exc()
        outcome.said.append(f"{name}: FAILED — {detail.strip()}")
    print(f"# {name}: done in {time.perf_counter() - began:.1f} s", flush=True)


def run(names: Sequence[str], sizes: Sequence[str], quick: bool) -> Outcome:
    outcome = Outcome()
    for name in names:
        run_one(name, sizes, quick, outcome)
    return outcome


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark {', '.join(unknown)}; choose from {','.join(BENCHMARKS)}"
        )
    return names


def report(outcome: Outcome, heading: str, lines: list[str], markdown: bool) -> str:
    parts = [heading, *lines, "", table(outcome.figures, markdown=markdown)]
    if outcome.said:
        parts += ["", *outcome.said]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument(
        "--quick", action="store_true", help="one run of each measure (keeps the scripts working)"
    )
    parser.add_argument(
        "--only",
        type=_names,
        default=list(BENCHMARKS),
        help=f"comma-separated, from {','.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument("--markdown", action="store_true", help="the table in Markdown")
    args = parser.parse_args(argv)
    host = machine()
    load_before = os.getloadavg()
    began = time.perf_counter()
    outcome = run(args.only, args.sizes, args.quick)
    load_after = os.getloadavg()
    kind = "quick run" if args.quick else "benchmarks"
    heading = (
        f"\nitpm {kind}, sizes {' '.join(args.sizes)}, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{time.perf_counter() - began:.0f} s"
    )
    print(report(outcome, heading, host.lines(load_before, load_after), args.markdown))
    return 1 if outcome.failed else 0


if __name__ == "__main__":
    sys.exit(main())
