"""Hearing a colleague's commit at once on a database server: LISTEN on a connection of its own.

Every write transaction on PostgreSQL sends `NOTIFY itpm_change` (`PostgresBackend.announce`),
which the server delivers only when it commits. A `ChangeListener` holds one connection
outside the pool (autocommit, `LISTEN itpm_change`) in a daemon thread and calls `wake` for
each burst of notifications, so a dashboard fetches within a moment of the commit instead of
at its next poll. It also calls `wake` when its connection drops (the dashboard's poll then
finds out and says so) and when it is back (whatever was committed meanwhile is fetched);
between the two it reconnects by itself, waiting longer after each failure. The dashboards
keep polling all along, so a listener that is down only makes them slower, never stale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import Engine

#: The channel every write notifies and every dashboard listens on.
CHANNEL = "itpm_change"


class ChangeListener:
    """One listening connection in a daemon thread, calling `wake` from that thread."""

    #: Seconds before the first reconnection attempt; doubled after each failure up to the
    #: most, so a server that is down is not asked many times a second.
    RETRY_MIN = 0.25
    RETRY_MAX = 5.0
    #: The longest one wait for notifications lasts: how soon `stop` is honoured.
    WAIT = 0.5

    def __init__(
        self, connect: Callable[[], psycopg.Connection[Any]], wake: Callable[[], None]
    ) -> None:
        """`connect` opens a new autocommit connection to the database (not from the pool:
        a listening connection is never handed to anyone else)."""
        self._connect = connect
        self._wake = wake
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="itpm-listen", daemon=True)

    @property
    def listening(self) -> bool:
        """Whether the connection is up and LISTENing now."""
        return self._listening.is_set()

    def wait_listening(self, timeout: float) -> bool:
        """Wait until the connection is up and LISTENing (tests, benchmarks); False if not
        within `timeout` seconds."""
        return self._listening.wait(timeout)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to end (within `WAIT` seconds) and wait for it at most `timeout`
        seconds (0: not at all; it is a daemon, so it never keeps the program from ending)."""
        self._stop.set()
        if (
            timeout > 0
            and self._thread.is_alive()
            and self._thread is not threading.current_thread()
        ):
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg

        delay = self.RETRY_MIN
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    delay = self.RETRY_MIN
                    self._wake()  # what was committed while nobody listened is fetched now
                    self._hear(conn)
            except (psycopg.Error, OSError):
                pass  # the server is down or restarting: try again after `delay`
            if self._listening.is_set():
                self._listening.clear()
                if not self._stop.is_set():
                    self._wake()  # the dashboard looks now, and says the database is away
            if self._stop.wait(delay):
                return
            delay = min(2 * delay, self.RETRY_MAX)

    def _hear(self, conn: psycopg.Connection[Any]) -> None:
        """Wake once per burst: the notifications already arrived are read before waking,
        so twenty quick commits cost a few fetches, not twenty."""
        while not self._stop.is_set():
            if not sum(1 for _ in conn.notifies(timeout=self.WAIT, stop_after=1)):
                continue  # nothing for WAIT seconds: look whether to stop, then wait again
            sum(1 for _ in conn.notifies(timeout=0))  # the rest of the burst, already here
            self._wake()


def connector(engine: Engine) -> Callable[[], psycopg.Connection[Any]]:
    """How to open a listening connection to the database the engine reaches: the same
    parameters SQLAlchemy's psycopg dialect connects with, in autocommit, with TCP keepalives
    so a silently dropped network is noticed within half a minute (a Unix socket ignores
    them), and a bounded wait for a server that does not answer."""
    import psycopg

    args, params = engine.dialect.create_connect_args(engine.url)
    params.pop("context", None)  # SQLAlchemy's type adapters: not needed to LISTEN
    for name, value in KEEPALIVES.items():
        params.setdefault(name, value)

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(*args, autocommit=True, **params)

    return connect


#: libpq parameters for the listening connection, unless the URL sets them.
KEEPALIVES = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
