"""`itpm import` and `itpm export --format json` as whole processes, beside a stdlib floor.

    python tests/benchmarks/bench_transfer.py [--sizes S M L] [--runs 3]

For each size: the cached portfolio (`portfolios.py`) is exported once to a JSON file; then,
round by round and in turn, `itpm import FILE` into an empty itpm database, the floor
(`floor_import.py`: `json.load` and `sqlite3` `executemany` into the same empty schema, no
checks) and `itpm export --format json -o FILE`. Each process's wall time and peak RSS (its
own: `processes.py`) are taken; the table shows the medians, the largest RSS and the
targets of issue 15: import ≤ 2× the floor and ≤ 1 GB, export ≤ 300 MB. itpm runs as an
installed copy does: its modules compiled once beforehand and read from their bytecode
(`PYTHONDONTWRITEBYTECODE` is not passed on), as the floor's standard library is.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios
from figures import Figure as TableFigure
from processes import Measured, measure_process

HERE = Path(__file__).resolve().parent
IMPORT_RATIO = 2.0  # itpm import over the floor
IMPORT_MB = 1024.0
EXPORT_MB = 300.0


@dataclass(frozen=True)
class Figure:
    what: str
    floor_s: float | None  # median wall seconds
    itpm_s: float
    floor_cpu: float | None  # median CPU seconds: steadier than wall time on a busy machine
    itpm_cpu: float
    peak_mb: float
    target: str
    meets: bool


def itpm_env() -> dict[str, str]:
    env = portfolios._env()
    env.pop("ITPM_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an install runs: from cached bytecode
    env["ITPM_CONFIG"] = str(portfolios.cache_dir() / "no-config.toml")  # defaults only
    return env


def compile_itpm(env: dict[str, str]) -> None:
    """Compile itpm's modules once, as installing it does, so no run pays for parsing them
    (the floor's standard library is compiled already)."""
    package = importlib.util.find_spec("itpm_tui")
    assert package is not None and package.submodule_search_locations
    where = package.submodule_search_locations[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True, env=env)


def itpm(*args: str) -> list[str]:
    return [sys.executable, "-m", "itpm_tui", *args]


def empty_database(path: Path) -> Path:
    """An itpm database with the schema and nothing in it, for both importers to fill."""
    make = "from itpm_tui.storage.database import open_database, sqlite_url; import sys; "
    make += "from pathlib import Path; open_database(sqlite_url(Path(sys.argv[1]))).dispose()"
    subprocess.run([sys.executable, "-c", make, str(path)], env=itpm_env(), check=True)
    return path


def figures(size: str, runs: int, work: Path) -> list[Figure]:
    db = portfolios.build(size)
    env = itpm_env()
    compile_itpm(env)
    document = work / f"portfolio-{size}.json"
    measure_process(
        itpm("--db", str(db), "export", "--format", "json", "-o", str(document), "--force"), env
    )
    print(f"# {size}: {db} exported, {document.stat().st_size / 1e6:.1f} MB", flush=True)
    template = empty_database(work / "empty.db")
    target = work / "target.db"

    def fresh() -> str:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, target)
        return str(target)

    floor_py = [sys.executable, str(HERE / "floor_import.py")]
    out = work / "again.json"
    floor: list[Measured] = []
    imports: list[Measured] = []
    exports: list[Measured] = []
    for _ in range(runs):
        floor.append(measure_process([*floor_py, str(document), fresh()], env))
        imports.append(measure_process(itpm("--db", fresh(), "import", str(document)), env))
        exports.append(
            measure_process(
                itpm("--db", str(db), "export", "--format", "json", "-o", str(out), "--force"), env
            )
        )
    floor_s, floor_cpu = (statistics.median(f[i] for f in floor) for i in (0, 1))
    import_s, import_cpu = (statistics.median(f[i] for f in imports) for i in (0, 1))
    import_mb = max(f[2] for f in imports)
    export_s, export_cpu = (statistics.median(f[i] for f in exports) for i in (0, 1))
    export_mb = max(f[2] for f in exports)
    ratio = import_s / floor_s
    return [
        Figure(
            f"itpm import ({size})",
            floor_s,
            import_s,
            floor_cpu,
            import_cpu,
            import_mb,
            f"≤ {IMPORT_RATIO:g}× floor, ≤ {IMPORT_MB:g} MB",
            ratio <= IMPORT_RATIO and import_mb <= IMPORT_MB,
        ),
        Figure(
            f"itpm export --format json ({size})",
            None,
            export_s,
            None,
            export_cpu,
            export_mb,
            f"≤ {EXPORT_MB:g} MB",
            export_mb <= EXPORT_MB,
        ),
    ]


def table(rows: list[Figure]) -> list[str]:
    lines = [
        f"{'what':<32} {'floor s':>8} {'itpm s':>8} {'ratio':>6}  {'CPU s floor/itpm':>17}"
        f" {'peak MB':>8}  target"
    ]
    for r in rows:
        floor = f"{r.floor_s:8.2f}" if r.floor_s is not None else f"{'':>8}"
        ratio = f"{r.itpm_s / r.floor_s:5.2f}×" if r.floor_s else f"{'':>6}"
        cpu = f"{r.floor_cpu:.2f} / {r.itpm_cpu:.2f}" if r.floor_cpu else f"{r.itpm_cpu:.2f}"
        verdict = "meets" if r.meets else "misses"
        lines.append(
            f"{r.what:<32} {floor} {r.itpm_s:8.2f} {ratio}  {cpu:>17} {r.peak_mb:8.1f}"
            f"  {r.target}: {verdict}"
        )
    return lines


def results(sizes: Sequence[str], *, quick: bool = False) -> list[TableFigure]:
    """For `python -m tests.benchmarks`: the import's time against the floor's (its peak
    memory in the note) and the export's peak memory."""
    out: list[TableFigure] = []
    with tempfile.TemporaryDirectory(prefix="itpm-transfer-") as work:
        for size in sizes:
            imported, exported = figures(size, 1 if quick else 3, Path(work))
            out.append(
                TableFigure(
                    "itpm import, wall",
                    size,
                    imported.itpm_s,
                    unit="s",
                    floor=imported.floor_s,
                    floor_name="stdlib import",
                    target=IMPORT_RATIO,
                    per_floor=True,
                    cpu=imported.itpm_cpu,
                    note=f"peak {imported.peak_mb:.0f} MB (≤ {IMPORT_MB:g})",
                )
            )
            out.append(
                TableFigure(
                    "itpm export --format json, peak memory",
                    size,
                    exported.peak_mb,
                    unit="MB",
                    target=EXPORT_MB,
                    note=f"{exported.itpm_s:.1f} s",
                )
            )
    return out


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"# load average {os.getloadavg()[0]:.1f}", flush=True)
    found: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="itpm-transfer-") as work:
        for size in args.sizes:
            found += figures(size, args.runs, Path(work))
    print("\n".join(table(found)))
    return found


if __name__ == "__main__":
    main()
