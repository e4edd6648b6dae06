"""Each write on PostgreSQL tells the dashboards of itself on commit, and only then.

A real server (`tests.postgres`, the per-process cluster): a plain psycopg connection LISTENs
as a dashboard's listener does, and `Database.write` commits or rolls back. The listener of
`storage.notifications` is then run against the same database. A SQLite file has no
listener: its dashboards poll.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from itpm_tui.storage.backend import current_change
from itpm_tui.storage.database import Database, open_database, sqlite_url
from itpm_tui.storage.notifications import CHANNEL, connector


class Boom(Exception):
    pass


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    db = open_database(postgres_url)
    yield db
    db.dispose()


@pytest.fixture
def listening(database: Database) -> Iterator[psycopg.Connection[object]]:
    with connector(database.engine)() as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        yield conn


def heard(conn: psycopg.Connection[object], wait: float = 0.5) -> list[str]:
    return [n.payload for n in conn.notifies(timeout=wait)]


def test_a_committed_write_is_announced_with_its_number(
    database: Database, listening: psycopg.Connection[object]
) -> None:
    with database.write():
        pass
    with database.read() as session:
        number = current_change(session)
    assert heard(listening) == [str(number)]


def test_a_write_rolled_back_announces_nothing(
    database: Database, listening: psycopg.Connection[object]
) -> None:
    with pytest.raises(Boom), database.write():
        raise Boom
    assert heard(listening, wait=1.0) == []
    with database.write():  # the channel works: the next write that commits is heard
        pass
    assert len(heard(listening)) == 1


def test_the_listener_wakes_on_another_programs_commit(postgres_url: str) -> None:
    """Two databases opened on one server as two programs would: the dashboard's listener
    wakes when it starts listening, then once for a burst of commits from the other."""
    mine, theirs = open_database(postgres_url), open_database(postgres_url)
    woken = threading.Semaphore(0)
    listener = mine.listen(woken.release)
    try:
        assert listener is not None
        assert listener.wait_listening(10)
        assert woken.acquire(timeout=10)  # on connecting: anything missed meanwhile
        assert not woken.acquire(timeout=0.5)  # and nothing else while nobody writes
        began = time.monotonic()
        with theirs.write():
            pass
        assert woken.acquire(timeout=10)
        assert time.monotonic() - began < 5  # at once, not at a poll (there is none here)
    finally:
        if listener is not None:
            listener.stop()
        mine.dispose()
        theirs.dispose()
    assert not listener.listening


def test_a_file_has_no_listener_its_dashboards_poll(tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path / "itpm.db"))
    try:
        assert db.listen(lambda: None) is None
        with db.write():  # and a write there announces nothing, without failing
            pass
    finally:
        db.dispose()
