"""Storage on real SQLite files: creation, refusal of bad files, migrations, concurrency."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, create_engine, select

from itpm_tui.errors import DatabaseError
from itpm_tui.storage.backend import backend_for
from itpm_tui.storage.database import (
    Database,
    head_revision,
    migrate,
    open_database,
    sqlite_url,
)
from itpm_tui.storage.models import LedgerEntry, Project, Task

FIXTURE = Path(__file__).parent / "data" / "itpm-rev0001.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_created_with_wal_and_foreign_keys(db: Database, db_path: Path) -> None:
    assert db_path.exists()
    with db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == head_revision()


def test_schema_from_migrations_matches_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_money_is_stored_as_exact_integers(db: Database) -> None:
    with db.write() as session:
        session.add(Project(code="M-1", name="m"))
        session.flush()
        session.add(
            LedgerEntry(
                project_id=1,
                entry_date=__import__("datetime").date(2026, 1, 1),
                category="hardware",
                amount=Decimal("0.10"),
            )
        )
        session.add(
            LedgerEntry(
                project_id=1,
                entry_date=__import__("datetime").date(2026, 1, 1),
                category="hardware",
                amount=Decimal("0.20"),
            )
        )
    with db.read() as session:
        raw = session.connection().exec_driver_sql("SELECT amount FROM ledgerentry").all()
        total = session.exec(select(LedgerEntry.amount)).all()
    assert [r[0] for r in raw] == [1000, 2000]
    assert sum(total) == Decimal("0.30")


def test_floats_are_refused_for_money(db: Database) -> None:
    with pytest.raises(Exception, match="floats"), db.write() as session:
        session.add(Project(code="F-1", name="f"))
        session.flush()
        session.add(
            LedgerEntry(
                project_id=1,
                entry_date=__import__("datetime").date(2026, 1, 1),
                category="hardware",
                amount=0.1,
            )
        )  # type: ignore[arg-type]


def _refused(path: Path, match: str) -> None:
    before = digest(path)
    with pytest.raises(DatabaseError, match=match):
        open_database(sqlite_url(path))
    assert digest(path) == before, "a refused file must stay byte-for-byte as it was"
    assert not Path(f"{path}-wal").exists()


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 100)
    _refused(path, "not a SQLite database")


def test_a_damaged_header_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    shutil.copy(FIXTURE, path)
    data = bytearray(path.read_bytes())
    data[16:18] = (3000).to_bytes(2, "big")  # a page size no SQLite file has
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


def test_a_wrecked_schema_page_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    shutil.copy(FIXTURE, path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * 3996  # the first page past the header: the schema's root
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


def test_newer_release_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    _refused(path, "newer release of itpm")


def test_other_applications_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    conn.close()
    _refused(path, "not an itpm one")


def test_database_of_the_first_revision_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    db = open_database(sqlite_url(path))
    try:
        with db.read() as session:
            project = session.exec(select(Project)).one()
            task = session.exec(select(Task)).one()
            entry = session.exec(select(LedgerEntry)).one()
            version = (
                session.connection()
                .exec_driver_sql("SELECT version_num FROM alembic_version")
                .scalar()
            )
            indexes = {
                r[1] for r in session.connection().exec_driver_sql("PRAGMA index_list('task')")
            }
    finally:
        db.dispose()
    assert version == head_revision() != "0001"
    assert "ix_task_parent_id" in indexes  # added by revision 0002
    assert project.name == "Project from release 0.1 [schema 0001]"
    assert task.estimate_hours == Decimal("16.00")
    assert entry.amount == Decimal("4501.25")
    assert entry.version == 1  # added by revision 0003


def test_ledger_entries_of_revision_0002_get_version_1(tmp_path: Path) -> None:
    path = tmp_path / "rev0002.db"
    url = sqlite_url(path)
    old = Database(url=url, engine=create_engine(url), backend=backend_for(url))
    try:
        migrate(old, "0002")
        with old.engine.begin() as conn:
            columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info('ledgerentry')")}
            assert "version" not in columns
            conn.exec_driver_sql(
                "INSERT INTO project (id, code, name, client, sponsor, phase, "
                "status, objective, scope, kpis, currency, signed_off_by, closing_override, "
                "lessons, archived, created_at, version) VALUES (1, 'OLD-1', 'Old', '', '', "
                "'initiation', 'active', '', '', '', 'EUR', '', '', '', 0, "
                "'2026-01-05 09:00:00', 1)"
            )
            conn.exec_driver_sql(
                "INSERT INTO ledgerentry (project_id, entry_date, vendor, "
                "category, description, amount, kind, invoice_ref) VALUES "
                "(1, '2026-02-03', 'Dell', 'hardware', 'Laptops', 12345000, 'actual', 'INV-9')"
            )
    finally:
        old.dispose()
    db = open_database(url)
    try:
        with db.read() as session:
            entry = session.exec(select(LedgerEntry)).one()
            version = (
                session.connection()
                .exec_driver_sql("SELECT version_num FROM alembic_version")
                .scalar()
            )
    finally:
        db.dispose()
    assert version == head_revision()
    assert (entry.vendor, entry.amount, entry.invoice_ref) == ("Dell", Decimal("1234.50"), "INV-9")
    assert entry.version == 1


WRITER = """
import sys
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.database import open_database, sqlite_url
from pathlib import Path
ctx = Context(open_database(sqlite_url(Path(sys.argv[1]))), sys.argv[2])
for i in range(40):
    create_project(ctx, ProjectDraft(code=f"{sys.argv[2]}-{i}", name=f"p{i}"))
"""


def test_two_processes_writing_at_once_lose_nothing(db: Database, db_path: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), who], stderr=subprocess.PIPE, text=True
        )
        for who in ("AA", "BB")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    with db.read() as session:
        assert len(session.exec(select(Project)).all()) == 80


def _damaged_current_file(path: Path, table: str = "filler") -> None:
    """A database of this release with many rows in `table` (a filler table nothing of
    itpm reads, or `ledgerentry`) whose root page is wrecked: the start reads only the
    header, the schema and a few small tables, so only a read of `table` or `itpm doctor`
    meets the damage."""
    open_database(sqlite_url(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE filler (x BLOB)")
        conn.executemany("INSERT INTO filler VALUES (randomblob(500))", [()] * 200)
        conn.execute(
            "INSERT INTO project (id, code, name, client, sponsor, phase, status, objective,"
            " scope, kpis, currency, signed_off_by, closing_override, lessons, archived,"
            " created_at, version) VALUES (1, 'P-1', 'Damaged', '', '', 'initiation', 'active',"
            " '', '', '', 'EUR', '', '', '', 0, '2026-01-05 09:00:00', 1)"
        )
        conn.executemany(
            "INSERT INTO ledgerentry (project_id, entry_date, vendor, category, description,"
            " amount, kind, invoice_ref, version) VALUES (1, '2026-02-03', 'Dell', 'hardware',"
            " ?, 100, 'actual', '', 1)",
            [("x" * 300,)] * 200,
        )
        roots = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 0", (table,)
        ).fetchall()  # the table's and its indexes'
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    data = bytearray(path.read_bytes())
    for (page,) in roots:
        data[(page - 1) * size : page * size] = b"\xff" * size
    path.write_bytes(bytes(data))


def test_damage_past_the_schema_is_not_read_at_start_and_doctor_finds_it(
    tmp_path: Path,
) -> None:
    """The start reads a few pages whatever the size of the file; `itpm doctor` reads them
    all and says what is wrong and what to do."""
    from itpm_tui.queries.doctor import diagnose
    from itpm_tui.storage.health_checks import Status

    path = tmp_path / "damaged.db"
    _damaged_current_file(path)
    open_database(sqlite_url(path)).dispose()  # opens: the damage is not where it reads
    before = digest(path)
    diagnosis = diagnose(str(path), database_url="", user="tester")
    damaged = [f for f in diagnosis.findings if "damaged" in f.what]
    assert damaged and damaged[0].status is Status.FIX
    assert "quick_check" in damaged[0].what and "backup" in damaged[0].fix
    assert not diagnosis.healthy
    assert digest(path) == before, "a doctor changes nothing"


def test_a_read_that_meets_a_damaged_page_is_one_line_naming_doctor(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    _damaged_current_file(path, "ledgerentry")
    database = open_database(sqlite_url(path))
    try:
        with pytest.raises(DatabaseError, match="damaged") as refused, database.read() as s:
            s.exec(select(LedgerEntry)).all()
        with pytest.raises(DatabaseError, match="damaged"), database.write() as session:
            session.add(Project(code="NEW", name="Must not be written"))
            session.exec(select(LedgerEntry)).all()
    finally:
        database.dispose()
    said = str(refused.value)
    assert "run itpm doctor" in said and "\n" not in said
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM project WHERE code = 'NEW'").fetchone() == (0,)
    conn.close()


def test_an_older_file_is_read_whole_before_it_is_migrated(tmp_path: Path) -> None:
    """A migration rewrites tables: a file with damage anywhere is refused before it, once
    (a file of this release is never read whole at start)."""
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE filler (x BLOB)")
        conn.executemany("INSERT INTO filler VALUES (randomblob(500))", [()] * 200)
        page = int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name='filler'").fetchone()[0]
        )
    conn.close()
    data = bytearray(path.read_bytes())
    data[(page - 1) * 4096 : page * 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


async def test_the_dashboard_on_a_damaged_file_ends_with_one_line(tmp_path: Path) -> None:
    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings
    from itpm_tui.services.context import Context

    path = tmp_path / "damaged.db"
    _damaged_current_file(path, "task")  # the Projects screen reads its milestones
    url = sqlite_url(path)
    app = ItpmApp(
        lambda: Context(open_database(url), "tester"),
        Settings(user="tester"),  # type: ignore[call-arg]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            await pilot.pause(0.05)
            if app.fatal_error:
                break
    assert app.fatal_error is not None and "damaged" in app.fatal_error
    assert "run itpm doctor" in app.fatal_error and "\n" not in app.fatal_error
