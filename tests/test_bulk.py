"""`paused_gc`: the collector is off inside, and back on after the last burst ends."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

from itpm_tui.domain.bulk import paused_gc


def test_the_collector_is_paused_inside_and_back_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer burst is still running
    assert gc.isenabled()


def test_an_error_inside_still_brings_it_back() -> None:
    try:
        with paused_gc():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_bursts_in_threads() -> None:
    entered, release = threading.Barrier(3), threading.Event()

    def burst() -> None:
        with paused_gc():
            entered.wait()
            release.wait()

    threads = [threading.Thread(target=burst) for _ in range(2)]
    for t in threads:
        t.start()
    entered.wait()
    assert not gc.isenabled()
    release.set()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_a_command_loads_the_storage_stack_without_collecting(tmp_path: Path) -> None:
    """`cli.common.open_context` loads SQLAlchemy, SQLModel and the models (tens of thousands
    of objects, none garbage) with the collector paused, and turns it back on: checked in a
    fresh process, where those modules are not loaded yet. Unpaused, the collector runs
    about 150 times meanwhile; paused, it runs once or twice, when it comes back.

    What was loaded is put out of the collector's reach (`freeze_loaded`) before it comes
    back: no run walks it then (frozen after, the first run walked it all, 40–50 ms), nor a
    full collection later in the command, nor the interpreter's at exit."""
    script = (
        "import gc, sys\n"
        "from itpm_tui.cli.common import open_context\n"
        "runs = []\n"  # the young objects each run walks
        "gc.callbacks.append(lambda p, _: p == 'start' and runs.append(gc.get_count()[0]))\n"
        "open_context(sys.argv[1]).db.dispose()\n"
        "assert 'itpm_tui.storage.models' in sys.modules\n"
        "print(len(runs), max(runs, default=0), gc.isenabled(), gc.get_freeze_count(),\n"
        "      len(gc.get_objects()))\n"
    )
    env = {**os.environ, "ITPM_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "new.db")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    runs, walked, enabled, frozen, in_reach = done.stdout.split()
    assert int(runs) <= 3 and int(walked) < 5_000 and enabled == "True"
    assert int(frozen) > 50_000 and int(in_reach) < 1_000
