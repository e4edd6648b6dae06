"""The first visit of each screen, in CPU time, split where it goes: the fetch (worker thread)
and the UI thread from the key to the data drawn (of which `show`).

    python tests/benchmarks/bench_visits.py [--sizes M L] [--screens team budget …]
                                            [--rounds 3] [--profile DIR]

Each screen is visited once, from Projects, in a dashboard of its own (a fresh process: the
screen's modules are imported on that visit, as a user's first visit imports them), run
headless at 200×60 by Textual's test driver on the cached portfolio (`portfolios.py`).
Measured with `time.thread_time` in each thread, so other processes on the machine do not
count (a loaded machine still slows them some: compare with the floor of the same run). The
floor is measured the same way: the floor app's second screen (`floor_app.py`: a header, a
line and 20 rows read on mount), styled as itpm's screens are made. `--profile DIR` writes
cProfile files of the fetch and of the UI thread per screen, and counts the UI thread's
Python calls: a measure of the work that the machine's load does not move.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portfolios

#: The key and the screen class of each measured screen.
SCREENS = {
    "timeline": ("2", "itpm_tui.screens.timeline", "TimelineScreen"),
    "budget": ("3", "itpm_tui.screens.budget", "BudgetScreen"),
    "risks": ("4", "itpm_tui.screens.risks", "RisksScreen"),
    "stakeholders": ("5", "itpm_tui.screens.stakeholders", "StakeholdersScreen"),
    "team": ("7", "itpm_tui.screens.team", "TeamScreen"),
}
FLOOR = "floor"

#: The columns printed: (label, key of what `visit` found).
COLUMNS = (
    ("fetch", "fetch"),
    ("show", "show"),
    ("import", "import"),
    ("UI→drawn", "drawn"),
    ("all→drawn", "drawn process"),
    ("wall", "drawn wall"),
    ("UI idle", "ui"),
    ("all idle", "process"),
    ("UI calls", "ui calls"),
)
LEGEND = """\
fetch: the screen's fetch (worker thread); show: its show (UI thread); import: its module
(lazily, on the key); UI→drawn: the UI thread from the key to the first frame drawn after
show; all→drawn: every thread, the same span; wall: that span's wall clock (the machine's
load in it); UI idle, all idle: up to nothing left to do; UI calls: Python calls on the UI
thread to idle (--profile only; the profiler's own cost is in the other figures then)."""


async def _idle(pilot: Any) -> None:
    """Until no worker runs and nothing is left to draw."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(2000):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        if not app.workers._workers and not app.screen._dirty_widgets:
            await pilot.pause()
            return


async def visit(db: Path, user: str, name: str, profile: Path | None) -> dict[str, float]:
    """CPU seconds of the first visit of screen `name`: fetch, show, the UI thread's whole."""
    import importlib

    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database, sqlite_url

    key, module, cls = SCREENS.get(name, ("", "", ""))
    found: dict[str, float] = {"fetch": 0.0, "show": 0.0}
    shown: list[Any] = []  # the screen, once its data was handed to `show`
    fetch_prof = cProfile.Profile() if profile else None

    undo: list[Any] = []  # what to put back once measured

    def patch() -> None:
        screen_cls = getattr(importlib.import_module(module), cls)
        fetch, show = screen_cls.fetch, screen_cls.show
        undo.append(lambda: setattr(screen_cls, "fetch", fetch))
        undo.append(lambda: setattr(screen_cls, "show", show))

        def timed_fetch(self: Any) -> Any:
            began = time.thread_time()
            if fetch_prof:
                fetch_prof.enable()
            try:
                return fetch(self)
            finally:
                if fetch_prof:
                    fetch_prof.disable()
                found["fetch"] += time.thread_time() - began

        def timed_show(self: Any, data: Any) -> Any:
            began = time.thread_time()
            try:
                return show(self, data)
            finally:
                found["show"] += time.thread_time() - began
                shown.append(self)

        screen_cls.fetch, screen_cls.show = timed_fetch, timed_show

    app = ItpmApp(
        Context(open_database(sqlite_url(db)), user),
        Settings(user=user, refresh_seconds=3600),
    )
    if name == FLOOR:
        app.add_mode(FLOOR, _floor_screen(db, shown))
        app.url = f"sqlite:///{db}"  # type: ignore[attr-defined]  # what Second reads
    import itpm_tui.screens.registry as registry

    undo.append(lambda: setattr(registry, "importlib", importlib))
    try:
        return await _measure(app, name, key, profile, found, shown, fetch_prof, patch, module)
    finally:
        for step in undo:
            step()


async def _measure(
    app: Any,
    name: str,
    key: str,
    profile: Path | None,
    found: dict[str, float],
    shown: list[Any],
    fetch_prof: cProfile.Profile | None,
    patch: Any,
    module: str,
) -> dict[str, float]:
    import importlib

    import itpm_tui.screens.registry as registry

    async with app.run_test(size=(200, 60)) as pilot:
        await _idle(pilot)
        await asyncio.sleep(0.5)
        await _idle(pilot)
        # The screen's module is imported by the key (lazily); the wrapper goes on the class
        # when it is imported, through the registry's import.
        real_import = importlib.import_module
        patched: list[str] = []

        def importing(target: str, package: str | None = None) -> Any:
            began = time.thread_time()
            mod = real_import(target, package)
            found["import"] = found.get("import", 0.0) + time.thread_time() - began
            if target == module and not patched:
                patched.append(target)
                patch()
            return mod

        registry.importlib = type(  # type: ignore[assignment]
            "Importing", (), {"import_module": staticmethod(importing)}
        )
        display = app._display

        def displaying(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if shown and renderable is not None and "drawn" not in found and screen is shown[0]:
                found["drawn"] = time.thread_time() - began_ui
                found["drawn process"] = time.process_time() - began_cpu
                found["drawn wall"] = time.perf_counter() - began_wall

        app._display = displaying
        ui_prof = cProfile.Profile() if profile else None
        before = set(sys.modules)
        began_ui, began_cpu = time.thread_time(), time.process_time()
        began_wall = time.perf_counter()
        if ui_prof:
            ui_prof.enable()
        if name == FLOOR:
            await app.run_action("switch_mode('floor')")
        else:
            await pilot.press(key)
        await _idle(pilot)
        if ui_prof:
            ui_prof.disable()
        new = sorted(set(sys.modules) - before)
        found["ui"] = time.thread_time() - began_ui
        found["process"] = time.process_time() - began_cpu
        if profile:
            assert ui_prof and fetch_prof
            found["ui calls"] = float(pstats.Stats(ui_prof).total_calls)  # type: ignore[attr-defined]
            ui_prof.dump_stats(profile / f"{name}-ui.prof")
            fetch_prof.dump_stats(profile / f"{name}-fetch.prof")
    if os.environ.get("BENCH_VISITS_MODULES"):
        print(" ".join(m.removeprefix("itpm_tui.") for m in new), file=sys.stderr)
    return found


def _floor_screen(db: Path, shown: list[Any]) -> Any:
    """The floor app's second screen (`floor_app.py`): 20 rows read on mount."""
    from floor_app import Second

    class Floor(Second):
        def __init__(self) -> None:
            from textual._context import active_app

            super().__init__()  # styled as the app stands, as `ScreenEntry.make` does
            self._css_update_count = active_app.get()._css_update_count

        def on_mount(self) -> None:  # after Second's, which reads the rows
            shown.append(self)

    return Floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"])
    parser.add_argument("--screens", nargs="+", default=list(SCREENS), choices=[FLOOR, *SCREENS])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "SCREEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, name = args.one
        db = portfolios.build(size)
        out = asyncio.run(visit(db, portfolios.technician(size), name, args.profile))
        print(json.dumps(out))
        return
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    # As a user's install runs: modules compiled once, read from their cached bytecode.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    package = importlib.util.find_spec("itpm_tui")
    assert package and package.submodule_search_locations
    where = package.submodule_search_locations[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True, env=env)
    print(f"load average {os.getloadavg()[0]:.1f}; CPU ms (thread time), median of {args.rounds}")
    print(LEGEND)
    print(f"{'':<3}{'screen':<14}" + "".join(f"{label:>10}" for label, _ in COLUMNS))
    for size in args.sizes:
        for name in [FLOOR, *args.screens]:
            runs = []
            for _ in range(args.rounds):
                cmd = [sys.executable, __file__, "--one", size, name]
                if args.profile:
                    (args.profile / size).mkdir(exist_ok=True)
                    cmd += ["--profile", str(args.profile / size)]
                done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                if os.environ.get("BENCH_VISITS_MODULES"):
                    print(done.stderr.strip())
            mid = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}
            cells = "".join(
                f"{mid.get(key, 0.0) * (1 if key == 'ui calls' else 1000):10.0f}"
                for _, key in COLUMNS
            )
            print(f"{size:<3}{name:<14}{cells}", flush=True)


if __name__ == "__main__":
    main()
