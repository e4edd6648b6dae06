"""`itpm person add` and `itpm person list` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from test_cli import assert_one_line_error, itpm


def test_person_add_then_list(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    added = itpm(
        "person", "add", "Ana Berg", "--handle", "A.Berg", "--role", "pm",
        "--capacity", "37.5", "--rate", "85", "--currency", "gbp",
        "--email", "ana@example.com", "--db", db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added Ana Berg (a.berg)" in added.stdout
    listed = itpm("person", "list", "--db", db)
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.strip().splitlines()
    assert header.split()[:3] == ["HANDLE", "NAME", "ROLE"]
    assert row.split() == [
        "a.berg", "Ana", "Berg", "project", "manager", "37.5", "GBP", "85.00", "active", "0",
        "0/37.5",
    ]  # fmt: skip


def test_a_bad_person_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    bad = itpm("person", "add", "Ana", "--handle", "ana berg", "--db", str(db))
    assert_one_line_error(bad, "handle", "lowercase letters, digits")
    assert not db.exists()
    capacity = itpm("person", "add", "Ana", "--handle", "ana", "--capacity", "170", "--db", str(db))
    assert_one_line_error(capacity, "weekly capacity", "at most 168")
    rate = itpm("person", "add", "Ana", "--handle", "ana", "--rate", "-5", "--db", str(db))
    assert_one_line_error(rate, "cost rate", "must not be negative")
    assert not db.exists()


def test_a_taken_handle_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    assert itpm("person", "add", "Ana Berg", "--handle", "ana", "--db", db).returncode == 0
    again = itpm("person", "add", "Ana Other", "--handle", "ana", "--db", db)
    assert_one_line_error(again, "handle", "'ana' is already used by Ana Berg")
    listed = itpm("person", "list", "--db", db).stdout
    assert "Ana Other" not in listed and "Ana Berg" in listed
