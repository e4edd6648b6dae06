"""Every editable record's version is checked by the write itself, not only in Python.

A save names the version the user was shown; the row's UPDATE or DELETE is
`... WHERE id = ? AND version = ?`, so a save committed by someone else after the service
read the row (another process, another backend's transaction) still refuses this one with
the `ConflictError` a form shows — naming the record by table and id — never a traceback.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic import command
from conftest import TODAY, version_of
from sqlalchemy import update
from sqlmodel import select

from itpm_tui.domain.closing import DeliverableDraft
from itpm_tui.domain.ledger import BudgetLineDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.stakeholders import ContactDraft, LogDraft
from itpm_tui.errors import ConflictError
from itpm_tui.services.budget_lines import add_budget_line, update_budget_line
from itpm_tui.services.closing import accept_deliverable, add_deliverable, delete_deliverable
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project, set_archived
from itpm_tui.services.stakeholders import add_contact, add_log_entry, update_log_entry
from itpm_tui.storage.database import alembic_config, migrate
from itpm_tui.storage.models import (
    ALL_TABLES,
    BudgetLine,
    CommunicationEntry,
    Deliverable,
    Project,
)

#: What no user edits as a record of its own: links (their successor's version covers
#: them), a stakeholder's project roles (the stakeholder's), non-working days (added and
#: removed, never edited), the burn-down's daily figures and the activity log (written by
#: itpm itself).
NOT_EDITED = {"dependency", "projectstakeholder", "holiday", "progresssnapshot", "activity"}


def test_every_editable_table_counts_versions_in_its_writes() -> None:
    for model in ALL_TABLES:
        name = str(model.__tablename__)
        versioned = model.__mapper__.version_id_col is not None  # type: ignore[attr-defined]
        assert versioned == (name not in NOT_EDITED), name


def _project(ctx: Context) -> int:
    return create_project(
        ctx, ProjectDraft(code="FW", name="Firewall", start_date=date(2026, 3, 2))
    )


def test_a_save_committed_after_the_read_is_refused_by_the_update(ctx: Context) -> None:
    """A colleague's save lands between the service's read and its write (as it can on a
    server database): the UPDATE matches no row, and the user gets a ConflictError."""
    pid = _project(ctx)
    with pytest.raises(ConflictError) as caught, ctx.transaction() as tx:
        project = tx.get(Project, pid)
        table = Project.__table__  # type: ignore[attr-defined]
        tx.session.execute(update(table).where(table.c.id == pid).values(version=2, name="Theirs"))
        tx.update(project, {"name": "Mine"}, expected_version=1)
    assert (caught.value.entity, caught.value.row_id) == ("project", pid)
    with ctx.db.read() as session:
        stored = session.get(Project, pid)
        assert stored is not None and (stored.name, stored.version) == ("Firewall", 1)


def test_a_stale_save_that_changes_nothing_is_refused_too(ctx: Context) -> None:
    """Archiving what a colleague archived meanwhile, from the older copy: the user's
    "make it so" is checked like any save, so a toggle or a counter is never lost."""
    pid = _project(ctx)
    colleague = Context(ctx.db, "bob", ctx.clock)
    set_archived(colleague, pid, True, expected_version=1)
    with pytest.raises(ConflictError) as caught:
        set_archived(ctx, pid, True, expected_version=1)
    assert (caught.value.entity, caught.value.row_id) == ("project", pid)
    set_archived(ctx, pid, True, expected_version=2)  # from what is stored: a no-op, allowed
    assert version_of(ctx.db, Project, pid) == 2


def test_deliverables_lines_and_log_entries_refuse_a_stale_copy(ctx: Context) -> None:
    pid = _project(ctx)
    colleague = Context(ctx.db, "bob", ctx.clock)
    item = add_deliverable(ctx, pid, DeliverableDraft("As-built", due_date=TODAY))
    accept_deliverable(colleague, item, "Bob", TODAY, expected_version=1)
    with pytest.raises(ConflictError) as caught:
        accept_deliverable(ctx, item, "Ann", TODAY, "mine", expected_version=1)
    assert (caught.value.entity, caught.value.row_id) == ("deliverable", item)
    with pytest.raises(ConflictError):
        delete_deliverable(ctx, item, expected_version=1)
    with ctx.db.read() as session:
        stored = session.get(Deliverable, item)
        assert stored is not None and (stored.accepted_by, stored.version) == ("Bob", 2)

    line = add_budget_line(ctx, pid, BudgetLineDraft("labour", "", "100"))
    update_budget_line(colleague, line, BudgetLineDraft("labour", "", "150"), 1)
    with pytest.raises(ConflictError) as caught:
        update_budget_line(ctx, line, BudgetLineDraft("labour", "", "101"), 1)
    assert (caught.value.entity, caught.value.row_id) == ("budgetline", line)

    sid = add_contact(ctx, ContactDraft(name="Olive"))
    entry = add_log_entry(ctx, sid, LogDraft(TODAY, "phone", "me", "first"))
    update_log_entry(colleague, entry, LogDraft(TODAY, "chat", "bob", "theirs"), 1)
    with pytest.raises(ConflictError) as caught:
        update_log_entry(ctx, entry, LogDraft(TODAY, "phone", "me", "mine"), 1)
    assert (caught.value.entity, caught.value.row_id) == ("communicationentry", entry)
    assert version_of(ctx.db, CommunicationEntry, entry) == 2


def test_upgrading_a_0007_file_gives_its_rows_version_1(demo_ctx: Context) -> None:
    """The demo portfolio taken back to revision 0007 (no versions on deliverables, budget
    lines or log entries) and upgraded again: every row kept, at version 1, and editable."""
    db = demo_ctx.db
    assert db.path is not None
    tables = ("deliverable", "budgetline", "communicationentry")
    command.downgrade(alembic_config(db), "0007")
    db.dispose()
    with sqlite3.connect(db.path) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        for table in tables:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            assert "version" not in columns
    assert min(counts.values()) > 0
    migrate(db)
    with db.read() as session:
        for model in (Deliverable, BudgetLine, CommunicationEntry):
            versions = session.exec(select(model.version)).all()  # type: ignore[attr-defined]
            assert len(versions) == counts[str(model.__tablename__)]
            assert set(versions) == {1}
        line = session.exec(select(BudgetLine)).first()
        assert line is not None and line.id is not None
    draft = BudgetLineDraft(line.category, line.description, str(line.amount + 1))
    update_budget_line(demo_ctx, line.id, draft, 1)
    assert version_of(db, BudgetLine, line.id) == 2
