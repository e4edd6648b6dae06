"""Building many small objects at once without the cycle collector walking them all.

Scheduling a 10,000-task project makes some hundred thousand tuples, lists and rows, none in
a reference cycle; every 700 of them Python's cycle collector runs, and now and then it walks
every object of the process (a dashboard holds a few hundred thousand). That walking was a
third of a large schedule's time. `paused_gc` holds the collector off for such a burst; it
runs again as usual afterwards, so nothing it would have freed is kept for long.

ROWS: a value made once per task (a plan's row, a link, a Gantt row) is declared
``@dataclass(slots=True, unsafe_hash=True)`` rather than ``frozen=True``: compared and hashed
by value the same, but a frozen class's ``__init__`` sets each field through
``object.__setattr__``, five times the cost (45 ms for 10,000 rows of 15 fields against 8).
Such rows are read-only all the same: nothing assigns to them after they are made.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # bursts running now, in any thread
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside; nested and concurrent uses are counted, and the
    collector comes back (if it was on) when the last one ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def freeze_loaded() -> None:
    """Put every object alive now out of the cycle collector's reach for good.

    Called once the database layer is loaded (the dashboard, `ItpmApp.set_acting`; a command,
    `cli.common.open_context`): modules, models and SQLAlchemy's caches, some 120,000 objects,
    live as long as the process. Left in reach, every full collection walks them all again —
    and the interpreter runs several at exit: about 0.13 s of CPU in an `itpm import` of
    10,000 tasks, 0.3–0.4 s landing in a dashboard screen's first visit at 100,000 tasks.

    A frozen object is freed when its count drops to zero, but one in a reference cycle is
    never collected, not even at exit: what must be closed (a database connection) is closed
    explicitly (`cli.common.close_with_command`; the dashboard unfreezes as it unmounts)."""
    gc.freeze()
