"""Several processes writing one database at once never lose or overwrite an edit.

Real processes (`tests.concurrency`), each with its own connection, released together by a
barrier, against a real database file — by URL, so the same tests run on a server database
once its backend is here (add it to `any_url`'s params).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from itpm_tui.storage.database import open_database, sqlite_url
from tests import concurrency
from tests.concurrency import Shared


@pytest.fixture(params=["sqlite"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at the newest schema, by URL: a SQLite file (writers serialised by
    BEGIN IMMEDIATE)."""
    url = sqlite_url(tmp_path / "team.db")
    open_database(url).dispose()
    yield url


@pytest.fixture
def shared(any_url: str) -> Shared:
    return concurrency.shared_records(any_url)


def test_concurrent_edits_from_the_version_lose_nothing(any_url: str, shared: Shared) -> None:
    """4 writers × 15 edits of the same three records (a counter, the archive flag, an
    acceptance), each from the version read, retried on a conflict: every save shows."""
    writers, writes = 4, 15
    tally = concurrency.run_processes(
        (concurrency.mixed_writes, (any_url, shared, writes, f"user{n}", n)) for n in range(writers)
    )
    assert tally.errors == []
    assert sum(tally.saved[k] for k in concurrency.KINDS) == writers * writes
    assert concurrency.lost_updates(any_url, shared, tally) == 0
    assert tally.conflicts > 0  # they did race: a save from an older copy was refused


def test_links_either_way_at_once_never_close_a_cycle(any_url: str, shared: Shared) -> None:
    """3 writers make Second wait for First while 3 make First wait for Second: the check
    reads the links and then writes one, and one direction wins — never both."""
    a, b = shared.first_task, shared.second_task
    tally = concurrency.run_processes(
        [(concurrency.add_link, (any_url, b, a))] * 3
        + [(concurrency.add_link, (any_url, a, b))] * 3
    )
    assert tally.errors == []
    found = concurrency.links(any_url, shared)
    assert found in ({(a, b)}, {(b, a)})
    assert tally.saved.get("link", 0) >= 1
    assert tally.refused >= 3  # the whole other side was told it would close a cycle
