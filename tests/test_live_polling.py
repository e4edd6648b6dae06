"""A poll fetches again only when a colleague's write touches what the screen shows (issue 15):
the activity rows since the last change token are read back (bounded), and each screen judges
them with one rule (`LiveScreen.touches`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import TODAY, make_app, settle
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select
from test_first_fetch import Counted

from itpm_tui.domain.change_set import Change, ChangeSet
from itpm_tui.domain.ledger import EntryDraft
from itpm_tui.domain.people import PersonDraft
from itpm_tui.domain.risk import RiskDraft
from itpm_tui.domain.roles import Role
from itpm_tui.screens.budget import BudgetScreen
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.screens.team import TeamScreen
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry
from itpm_tui.services.people import add_person
from itpm_tui.services.risks import add_risk
from itpm_tui.storage.backend import activity_since
from itpm_tui.storage.database import open_database, sqlite_url
from itpm_tui.storage.models import Project

pytestmark = pytest.mark.both_backends


@pytest.fixture
def colleague(demo_ctx: Context) -> Iterator[Context]:
    """Someone else writing to the same database through a connection of their own."""
    database = open_database(demo_ctx.db.url)
    yield Context(database, "tester", clock=lambda: TODAY)
    database.dispose()


def _entry(what: str) -> EntryDraft:
    return EntryDraft(date(2026, 3, 2), "Dell", "hardware", what, Decimal("12.50"))


def _risk(title: str) -> RiskDraft:
    return RiskDraft(title, 2, 3)


def _project_ids(ctx: Context) -> list[int]:
    with ctx.db.read() as session:
        return [int(p.id) for p in session.exec(select(Project)).all() if p.id is not None]


# --- what the poll reads ---------------------------------------------------------------------


def test_the_rows_since_a_token_name_their_project_and_kind(
    demo_ctx: Context, colleague: Context
) -> None:
    first, second = _project_ids(demo_ctx)[:2]
    token = demo_ctx.db.change_token()
    assert demo_ctx.db.changes_since(token) == ChangeSet(token)  # nothing moved: one query
    add_entry(colleague, first, _entry("Laptops"))
    add_risk(colleague, second, _risk("Vendor late"))
    changes = demo_ctx.db.changes_since(token)
    assert changes.token == demo_ctx.db.change_token() > token
    assert not changes.everything
    assert changes.changes == (Change(first, "ledgerentry"), Change(second, "risk"))
    assert changes.touches({first}) and changes.touches({second})
    assert not changes.touches({max(_project_ids(demo_ctx)) + 1})


def test_more_rows_than_are_worth_judging_are_everything(
    demo_ctx: Context, colleague: Context
) -> None:
    pid = _project_ids(demo_ctx)[0]
    token = demo_ctx.db.change_token()
    for n in range(4):
        add_entry(colleague, pid, _entry(f"Item {n}"))
    with demo_ctx.db.read() as session:
        assert len(activity_since(session, token, most=4).changes) == 4
        bounded = activity_since(session, token, most=3)
    assert bounded.everything and bounded.changes == ()
    assert bounded.token == demo_ctx.db.change_token()
    assert bounded.touches(())  # even a screen that watches nothing fetches again


def test_a_token_that_went_backwards_is_everything(demo_ctx: Context) -> None:
    """A file restored from a backup, a history deleted: what changed is not known."""
    token = demo_ctx.db.change_token()
    with demo_ctx.db.write() as session:  # the counter as an older copy of the file had it
        session.execute(text("UPDATE changecounter SET value = value - 5"))
    changes = demo_ctx.db.changes_since(token)
    assert changes.everything and changes.token < token


def test_an_import_touches_every_screen(demo_ctx: Context, tmp_path: Path) -> None:
    """A portfolio import logs one row about no project (after the rows of the file's own
    history): every screen fetches again."""
    import json

    from itpm_tui.formats.portfolio_json import export_json, import_json

    source = tmp_path / "portfolio.json"
    source.write_text(json.dumps(export_json(demo_ctx.db), default=str))
    url = sqlite_url(tmp_path / "other.db")
    watcher, importer = open_database(url), open_database(url)
    try:
        add_person(Context(importer, "tester"), PersonDraft("Tess Ter", "tess"))
        token = watcher.change_token()
        import_json(Context(importer, "tester", clock=lambda: TODAY), source)
        changes = watcher.changes_since(token)
    finally:
        watcher.dispose()
        importer.dispose()
    assert changes.touches((), ())
    assert changes.everything or changes.changes[-1] == Change(None, "portfolio")


# --- the rule --------------------------------------------------------------------------------

kinds = st.sampled_from(["task", "risk", "ledgerentry", "project", "stakeholder"])
changes = st.lists(st.builds(Change, st.integers(1, 9), kinds), max_size=20)


@given(changes, st.sets(st.integers(1, 9)), st.sets(kinds))
def test_a_change_set_touches_exactly_the_watched_projects_and_kinds(
    found: list[Change], projects: set[int], entities: set[str]
) -> None:
    change_set = ChangeSet(100, tuple(found))
    expected = any(c.project_id in projects or c.entity in entities for c in found)
    assert change_set.touches(projects, entities) is expected
    assert change_set.touches(None) is bool(found)  # a screen of every project
    about_none = ChangeSet(100, (*found, Change(None, "person")))
    assert about_none.touches(projects, entities)  # a person, a common holiday: everyone
    assert ChangeSet.unknown(100).touches(projects, entities)


# --- the screens -----------------------------------------------------------------------------


async def test_a_colleague_writing_to_another_project_does_not_refetch_the_shown_one(
    demo_ctx: Context, colleague: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch, BudgetScreen)
    app = make_app(demo_ctx, refresh_seconds=60)  # the polls below are asked by the test
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen) and screen.data is not None
        shown = screen.project_id
        assert shown is not None
        other = next(pid for pid in _project_ids(demo_ctx) if pid != shown)
        fetched, count, token = counted.calls, screen.data.count, screen._token
        assert token is not None

        add_risk(colleague, other, _risk("Another project's risk"))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched, "a write to another project was fetched"
        assert screen._token is not None and screen._token > token  # looked at, passed

        add_entry(colleague, shown, _entry("Our laptops"))
        screen._poll()  # within one poll
        await settle(pilot)
        assert counted.calls == fetched + 1
        assert screen.data.count == count + 1

        add_entry(colleague, other, _entry("Another project's laptops"))
        screen._poll()  # the portfolio's totals beside the ledger move too
        await settle(pilot)
        assert counted.calls == fetched + 2
        assert screen.data.count == count + 1


async def test_the_timeline_fetches_its_own_project_and_the_roadmap_every_project(
    demo_ctx: Context, colleague: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch, TimelineScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        shown = screen.project_id
        other = next(pid for pid in _project_ids(demo_ctx) if pid != shown)
        fetched = counted.calls
        add_entry(colleague, other, _entry("Not on the timeline"))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched
        screen.roadmap = True  # as the roadmap key leaves it; the roadmap shows every project
        add_entry(colleague, other, _entry("Seen on the roadmap"))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched + 1


async def test_the_projects_list_reads_again_only_the_rows_a_colleague_touched(
    demo_ctx: Context, colleague: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write to one project re-reads that project's row (and its milestones in the week's
    glance), not the portfolio: the other rows stay the very objects shown, and what is
    shown equals what a whole fetch reads."""
    counted = Counted(monkeypatch, ProjectsScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(200, 60)) as pilot:  # tall: with the week's glance
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen) and screen.tall
        screen._poll()  # the first rows came from the file: one poll to be on the token
        await settle(pilot)
        fetched = counted.calls
        before = {r.id: r for r in screen.rows}
        target = screen.rows[-1]
        add_entry(colleague, target.id, _entry("Seen on the list"))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched, "the whole portfolio was read again"
        after = {r.id: r for r in screen.rows}
        assert after[target.id].actual == target.actual + Decimal("12.50")
        assert all(after[i] is row for i, row in before.items() if i != target.id)
        whole = screen.fetch()
        assert screen.rows == whole.rows
        assert screen._glance == (whole.milestones, whole.updates)


async def test_a_contact_or_a_write_about_no_project_reads_the_whole_portfolio(
    demo_ctx: Context, colleague: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stakeholder's contact counts in each of their projects' updates due, a person in
    every row: those are fetched whole."""
    from itpm_tui.domain.stakeholders import ContactDraft
    from itpm_tui.services.stakeholders import add_contact

    counted = Counted(monkeypatch, ProjectsScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        screen._poll()
        await settle(pilot)
        fetched = counted.calls
        code = screen.rows[0].code
        add_contact(colleague, ContactDraft(name="Olive Client", projects=code))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched + 1
        add_person(colleague, PersonDraft("Tess Ter", "tester", role=Role.VIEWER.value))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched + 2


async def test_a_person_changed_by_a_colleague_changes_who_the_header_says(
    demo_ctx: Context, colleague: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person is about no project: every screen fetches again, and learns who is acting
    with which role (the keys offered follow it)."""
    counted = Counted(monkeypatch, TeamScreen)
    app = make_app(demo_ctx, refresh_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        before = app.acting
        fetched = counted.calls
        add_risk(colleague, _project_ids(demo_ctx)[0], _risk("Not the team's business"))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched  # a risk changes no one's load
        add_person(colleague, PersonDraft("Tess Ter", "tester", role=Role.VIEWER.value))
        screen._poll()
        await settle(pilot)
        assert counted.calls == fetched + 1
        assert before is not None and not before.handle
        assert app.acting is not None and app.acting.handle == "tester"
        assert app.acting.name == "Tess Ter"
