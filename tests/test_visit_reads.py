"""The reads of the Stakeholders and Budget screens' visits give what the separate reads give:
one project's contacts are those of the whole list on that project, and the Budget screen's
single read equals the queries it replaced — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from conftest import TODAY
from sqlalchemy import delete
from sqlmodel import col

from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.ledger import EntryDraft
from itpm_tui.queries.budget import (
    actual_to,
    budget_summary,
    budget_view,
    ledger_index_of,
    ledger_page,
    portfolio_budget,
)
from itpm_tui.queries.choices import project_choices
from itpm_tui.queries.ledger import budget_lines, project_categories
from itpm_tui.queries.stakeholders import contacts, contacts_of
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry
from itpm_tui.storage.models import ProjectTotals

pytestmark = pytest.mark.both_backends

PAGE = 4  # a small page, so the demo ledgers run over several


def test_one_projects_contacts_are_the_whole_lists_on_it(demo_ctx: Context) -> None:
    db = demo_ctx.db
    everyone = contacts(db, TODAY)
    assert contacts_of(db, TODAY, None) == (everyone, len(everyone))
    projects = {link.project_id for c in everyone for link in c.projects}
    assert len(projects) > 1
    for pid in projects:
        own, total = contacts_of(db, TODAY, pid)
        assert own == [c for c in everyone if c.on_project(pid)]  # with all their projects
        assert total == len(everyone)
    assert contacts_of(db, TODAY, 10**6) == ([], len(everyone))


def test_the_budget_screens_one_read_equals_the_separate_reads(demo_ctx: Context) -> None:
    db = demo_ctx.db
    choices = project_choices(db)
    assert choices
    for choice in choices:
        pid = choice.id
        for status_date in (None, TODAY - timedelta(days=30)):
            view = budget_view(db, pid, TODAY, status_date=status_date, page_size=PAGE)
            assert view.choices == choices
            assert view.portfolio == portfolio_budget(db)
            assert view.summary == budget_summary(db, pid, TODAY, status_date)
            assert (view.page, view.select) == (0, None)
            assert view.rows == ledger_page(db, pid, 0, PAGE, "-date")
            assert view.categories == project_categories(db, pid)
            assert view.lines == budget_lines(db, pid)


def test_the_budget_read_keeps_the_page_of_its_project_and_finds_an_entry(
    demo_ctx: Context,
) -> None:
    db = demo_ctx.db
    pid = max(project_choices(db), key=lambda c: budget_summary(db, c.id, TODAY).entries).id
    count = budget_summary(db, pid, TODAY).entries
    assert count > 2 * PAGE
    kept = budget_view(db, pid, TODAY, sort="date", page=1, page_of=pid, page_size=PAGE)
    assert (kept.page, kept.rows) == (1, ledger_page(db, pid, PAGE, PAGE, "date"))
    other = budget_view(db, pid, TODAY, sort="date", page=1, page_of=pid + 1, page_size=PAGE)
    assert other.page == 0  # another project's page: the first of this one
    last = ledger_page(db, pid, count - 1, 1, "date")[0]
    found = budget_view(db, pid, TODAY, sort="date", page_size=PAGE, entry=last.id)
    assert found.select == ledger_index_of(db, pid, last.id, "date") == count - 1
    assert found.page == (count - 1) // PAGE
    assert last in found.rows
    gone = budget_view(db, None, TODAY, page_size=PAGE)
    assert gone.summary is not None and gone.summary.project_id == project_choices(db)[0].id


def test_earned_value_counts_the_actual_cost_booked_by_today_only(demo_ctx: Context) -> None:
    db = demo_ctx.db
    pid = next(c.id for c in project_choices(db) if budget_summary(db, c.id, TODAY).ev)
    before = budget_summary(db, pid, TODAY)
    booked = EntryDraft(TODAY + timedelta(days=10), "Later Ltd", "hardware", "next month", "900")
    add_entry(demo_ctx, pid, booked)
    after = budget_summary(db, pid, TODAY)
    assert after.total.actual == before.total.actual + Decimal(900)  # the ledger as it stands
    assert before.ev is not None and after.ev is not None
    assert after.ev.ac == before.ev.ac == actual_to(db, pid, TODAY)  # AC: spent by the day
    committed = EntryDraft(TODAY, "Now Ltd", "hardware", "order", "50", EntryKind.COMMITTED.value)
    add_entry(demo_ctx, pid, committed)
    assert budget_summary(db, pid, TODAY).total.committed == after.total.committed + Decimal(50)


def test_the_portfolio_totals_stored_equal_the_rows_summed(demo_ctx: Context) -> None:
    """On SQLite the Budget screen's portfolio line reads the stored per-project totals; they
    give what summing the ledger and the budget lines gives, after a write too, and a
    project without stored totals sends it back to the rows."""
    db = demo_ctx.db
    for archived in (False, True):
        assert portfolio_budget(db, include_archived=archived) == portfolio_budget(
            db, include_archived=archived, from_rows=True
        )
    pid = project_choices(db)[0].id
    add_entry(demo_ctx, pid, EntryDraft(TODAY, "Vendor", "software", "licence", "123.45"))
    summed = portfolio_budget(db, from_rows=True)
    assert portfolio_budget(db) == summed
    with db.write() as session:  # a project whose totals went missing
        session.execute(delete(ProjectTotals).where(col(ProjectTotals.project_id) == pid))
    assert portfolio_budget(db) == summed
