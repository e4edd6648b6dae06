"""Shared fixtures: a real SQLite file per test, a fixed user and a fixed "today"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database, open_database, sqlite_url

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config or database."""
    monkeypatch.setenv("ITPM_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ITPM_DB", raising=False)
    monkeypatch.setenv("USER", "tester")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "itpm.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(db_path))
    yield database
    database.dispose()


@pytest.fixture
def ctx(db: Database) -> Context:
    return Context(db, "tester", clock=lambda: TODAY)
