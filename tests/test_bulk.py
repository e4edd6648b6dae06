"""`paused_gc`: the collector is off inside, and back on after the last burst ends."""

from __future__ import annotations

import gc
import threading

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
