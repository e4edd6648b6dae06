"""The demo portfolio: what it holds, that it is dated around "today", and that it tells the
health story it promises (green, amber and red, each for one reason) on any day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from itpm_tui.demo import builder as demo
from itpm_tui.demo import data, shapes
from itpm_tui.demo.builder import DemoSummary, build_demo
from itpm_tui.demo.data import PROJECTS
from itpm_tui.demo.data.people import PEOPLE
from itpm_tui.demo.data.stakeholders import COMMUNICATIONS, STAKEHOLDERS
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import BudgetCategory, EntryKind, Health, TaskStatus
from itpm_tui.errors import ItpmError
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database, open_database, sqlite_url
from itpm_tui.storage.models import (
    ALL_TABLES,
    Activity,
    BudgetLine,
    ChangeRequest,
    CommunicationEntry,
    Dependency,
    DowntimeWindow,
    Holiday,
    LedgerEntry,
    Person,
    ProgressSnapshot,
    Project,
    Risk,
    Stakeholder,
    Task,
)

FIXED = date(2026, 3, 18)  # a Wednesday, the day the screenshots use
# Others: a Sunday; around Easter; Christmas week (Friday holidays move cut-overs); a Monday
# of the next year.
DAYS = [FIXED, date(2026, 3, 22), date(2026, 4, 3), date(2026, 12, 23), date(2027, 1, 4)]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(tmp_path / "t.db"))
    yield database
    database.dispose()


def context(db: Database, today: date = FIXED) -> Context:
    return Context(db, "tester", clock=lambda: today)


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def all_rows(db: Database, model: type) -> list:
    with db.read() as session:
        return list(session.scalars(select(model)))


def table_counts(db: Database) -> dict[str, int]:
    return {m.__tablename__: count(db, m) for m in ALL_TABLES}


def leaves(items: tuple[shapes.Task | shapes.Summary, ...]) -> Iterator[shapes.Task]:
    for item in items:
        if isinstance(item, shapes.Summary):
            yield from leaves(item.children)
        else:
            yield item


def money(text: str) -> bool:
    return Decimal(text).as_tuple().exponent == -2


def test_the_data_refers_only_to_what_it_declares() -> None:
    """The data links by handle, key and code; a typo there must fail here, not in a build."""
    handles = {m.handle: m for m in PEOPLE}
    contacts = {c.key for c in STAKEHOLDERS}
    codes = {p.code for p in PROJECTS}
    assert len(handles) == len(PEOPLE)
    assert len(contacts) == len(STAKEHOLDERS)
    assert len(codes) == len(PROJECTS)
    assert all(money(m.cost_rate) for m in PEOPLE)
    categories = {c.value for c in BudgetCategory}
    kinds = {k.value for k in EntryKind}
    for project in PROJECTS:
        tasks = {t.key: t for t in leaves(project.plan)}
        assert len(tasks) == len(list(leaves(project.plan))), project.code
        staff = {project.manager} | {t.who for t in tasks.values() if t.who}
        staff |= {r.owner for r in project.risks}
        assert staff <= set(handles), project.code
        assert all(handles[h].currency == project.currency for h in staff), project.code
        for task in tasks.values():
            assert {key for key, _, _ in demo._links(task.after)} <= set(tasks), task.key
            assert task.days or not task.who, f"{task.key}: a milestone has no assignee"
        assert set(project.delays) | set(project.blocked) <= set(tasks), project.code
        assert {d.due for d in project.deliverables} <= set(tasks), project.code
        assert {key for key, _ in project.stakeholders} <= contacts, project.code
        for line in project.budget:
            assert line.category in categories and money(line.amount), line
        for spend in project.ledger:
            assert spend.category in categories and spend.kind in kinds, spend
            assert money(spend.amount), spend
        assert all(money(c.cost) for c in project.changes), project.code
    members = {(key, p.code) for p in PROJECTS for key, _ in p.stakeholders}
    for entry in COMMUNICATIONS:
        assert (entry.stakeholder, entry.project) in members, entry
        assert entry.by in handles, entry


def test_the_data_modules_hold_no_database_code() -> None:
    files = [Path(shapes.__file__ or ""), *Path(data.__file__ or "").parent.glob("*.py")]
    assert len(files) > len(PROJECTS)
    for file in files:
        source = file.read_text(encoding="utf-8")
        for word in ("sqlalchemy", "sqlmodel", "itpm_tui.storage", "itpm_tui.services"):
            assert word not in source, (file.name, word)


def test_summary_matches_what_was_written(db: Database) -> None:
    summary = build_demo(context(db))
    assert summary == DemoSummary(
        projects=count(db, Project),
        people=count(db, Person),
        tasks=count(db, Task),
        ledger_entries=count(db, LedgerEntry),
        risks=count(db, Risk),
        stakeholders=count(db, Stakeholder),
    )
    assert str(summary).startswith(f"{summary.projects} projects, {summary.people} people")
    activity = all_rows(db, Activity)
    loaded = [a for a in activity if a.entity == "portfolio"]
    assert [(a.action, a.user) for a in loaded] == [("demo", "tester")]
    assert loaded[0].summary == f"loaded the demo portfolio: {summary}"
    # Before it, the week the demo's own dates tell, for "What changed" (history.past_week).
    from itpm_tui.queries.changes import local_day

    week = [a for a in activity if a.entity != "portfolio"]
    assert len(week) > 40
    assert all(FIXED - timedelta(days=7) <= local_day(a.at) < FIXED for a in week)


def test_what_changed_on_the_demo_reads_a_week(db: Database) -> None:
    from itpm_tui.domain.changes import Kind
    from itpm_tui.queries.changes import load_changes

    build_demo(context(db))
    feed = load_changes(db, FIXED)
    assert feed.since == feed.last_standup == FIXED - timedelta(days=7)
    assert len(feed.projects) >= 6
    kinds = {line.kind for group in feed.projects for line in group.lines}
    assert {Kind.FINISHED, Kind.STARTED, Kind.BLOCKED, Kind.SLIPPED, Kind.MONEY} <= kinds
    assert {Kind.RISK, Kind.CHANGE, Kind.CONTACT, Kind.PROGRESS} <= kinds
    voip = next(g for g in feed.projects if g.code == "VOIP-25")
    assert any("blocked: Losing carrier" in line.text for line in voip.lines)


def test_six_kinds_of_it_project_and_a_dozen_people(db: Database) -> None:
    build_demo(context(db))
    projects = all_rows(db, Project)
    assert len(projects) >= 6
    names = " ".join(p.name.lower() for p in projects)
    for kind in ("firewall", "voip", "microsoft 365", "relocation", "switch", "laptop"):
        assert kind in names, kind
    assert {p.phase for p in projects} >= {"identification", "planning", "execution", "closing"}
    assert Counter(p.currency for p in projects)["EUR"] >= 5
    assert {p.currency for p in projects} - {"EUR"}, "one project in another currency"
    people = all_rows(db, Person)
    assert 10 <= len(people) <= 14
    assert all(p.handle and "@" in p.email and p.phone and p.skills for p in people)
    assert all(p.manager_id in {person.id for person in people} for p in projects)
    for p in projects:
        assert p.objective and p.scope and p.kpis and p.client and p.sponsor


def test_refuses_a_database_with_projects_and_leaves_it_unchanged(db: Database) -> None:
    with context(db).transaction() as tx:
        tx.create(Project(code="OLD-1", name="Existing work", client="ACME"))
    before = table_counts(db)
    with pytest.raises(ItpmError) as caught:
        build_demo(context(db))
    assert str(caught.value) == (
        "the database already holds 1 project; use --force to replace it with the demo"
    )
    assert table_counts(db) == before
    assert [p.code for p in all_rows(db, Project)] == ["OLD-1"]


def test_refuses_a_database_with_only_people(db: Database) -> None:
    with context(db).transaction() as tx:
        tx.create(Person(name="Ann Other", handle="ann"))
        tx.create(Person(name="Bo Other", handle="bo"))
    with pytest.raises(ItpmError, match=r"already holds 2 people; use --force"):
        build_demo(context(db))
    assert count(db, Person) == 2


def test_refuses_a_database_with_other_data(db: Database) -> None:
    with context(db).transaction() as tx:
        tx.create(Stakeholder(name="Someone Old"))
    with pytest.raises(ItpmError, match=r"already holds 1 row of other data; use --force"):
        build_demo(context(db))
    assert count(db, Project) == 0


def test_force_replaces_everything(db: Database) -> None:
    first = build_demo(context(db))
    written = table_counts(db)
    with pytest.raises(ItpmError, match=r"already holds \d+ projects; use --force"):
        build_demo(context(db))
    with context(db).transaction() as tx:
        tx.create(Project(code="OLD-1", name="Existing work"))
        tx.create(Stakeholder(name="Someone Old"))
    newest_before = max(a.id for a in all_rows(db, Activity))
    again = build_demo(context(db), force=True)
    assert again == first
    assert table_counts(db) == written
    assert "OLD-1" not in {p.code for p in all_rows(db, Project)}
    activity = all_rows(db, Activity)
    assert [a.action for a in activity if a.entity == "portfolio"] == ["demo"]
    # The old history went; the newest activity id keeps growing, so a dashboard polling it
    # notices the swap.
    assert min(a.id for a in activity) > newest_before


def test_a_failure_while_forcing_leaves_the_old_data(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with context(db).transaction() as tx:
        tx.create(Project(code="OLD-1", name="Existing work"))
    before = table_counts(db)

    def broken(self: object) -> DemoSummary:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo._Builder, "summary", broken)
    with pytest.raises(RuntimeError):
        build_demo(context(db), force=True)
    assert table_counts(db) == before
    assert [p.code for p in all_rows(db, Project)] == ["OLD-1"]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_work_lands_on_working_days_and_follows_today(db: Database, today: date) -> None:
    build_demo(context(db, today))
    holidays = {h.day for h in all_rows(db, Holiday) if h.project_id is None}
    assert holidays and all(h.weekday() < 5 for h in holidays)
    tasks = all_rows(db, Task)
    for t in tasks:
        for day in (t.planned_start, t.planned_finish, t.baseline_start, t.baseline_finish):
            assert day is None or (day.weekday() < 5 and day not in holidays), t.name
    milestones = [t for t in tasks if t.is_milestone]
    assert len(milestones) >= 12
    assert all(m.planned_start == m.planned_finish for m in milestones)
    assert all(m.estimate_hours == 0 for m in milestones)
    # Status follows where the dates fall against today.
    for t in tasks:
        if t.status == TaskStatus.DONE.value:
            assert t.planned_finish < today and t.percent_complete == 100, t.name
            assert t.actual_finish == t.planned_finish and t.remaining_hours == 0
        elif t.status == TaskStatus.TODO.value:
            assert t.planned_start >= today and t.percent_complete == 0, t.name
        else:
            assert t.planned_start <= today <= t.planned_finish, t.name
            assert t.actual_start is not None and t.actual_finish is None
    blocked = [t for t in tasks if t.status == TaskStatus.BLOCKED.value]
    assert len(blocked) == 1 and "carrier" in blocked[0].blocked_reason
    # Entries in the ledger and the communication log are in the past.
    assert max(e.entry_date for e in all_rows(db, LedgerEntry)) <= today
    assert max(c.logged_on for c in all_rows(db, CommunicationEntry)) <= today


def test_work_breakdown_structure(db: Database) -> None:
    build_demo(context(db))
    tasks = all_rows(db, Task)
    by_id = {t.id: t for t in tasks}
    parents = {t.parent_id for t in tasks if t.parent_id}
    for project in all_rows(db, Project):
        own = sorted((t for t in tasks if t.project_id == project.id), key=lambda t: t.sort_order)
        leaves = [t for t in own if t.id not in parents]
        assert 8 <= len(leaves) <= 20, project.code
        assert any(t.id in parents for t in own), "summary tasks"
        assert own[0].wbs == "1" and own[1].wbs == "1.1"
        for t in own:
            if t.parent_id:
                parent = by_id[t.parent_id]
                assert t.wbs.rsplit(".", 1)[0] == parent.wbs
                assert parent.planned_start <= t.planned_start <= t.planned_finish
                assert t.planned_finish <= parent.planned_finish
        assert all(t.assignee_id for t in leaves if not t.is_milestone), project.code
    downtime = [t for t in tasks if t.needs_downtime]
    assert len(downtime) == count(db, DowntimeWindow) >= 5
    for window in all_rows(db, DowntimeWindow):
        assert window.starts_at.hour >= 18 and window.ends_at > window.starts_at
        weekend = window.starts_at.date() + timedelta(days=1)
        assert weekend.weekday() >= 5 or window.starts_at.date() + timedelta(days=1) in {
            h.day for h in all_rows(db, Holiday)
        }, "a cut-over runs into a weekend or a holiday"
    assert any("[" in t.name and "&" in t.name for t in tasks), "markup-like text"


def test_dependencies_hold_in_the_plan(db: Database) -> None:
    build_demo(context(db))
    tasks = {t.id: t for t in all_rows(db, Task)}
    links = all_rows(db, Dependency)
    kinds = Counter(link.kind for link in links)
    assert kinds["FS"] > kinds["SS"] + kinds["FF"] and kinds["SS"] and kinds["FF"]
    assert any(link.lag_days for link in links)
    holidays = all_rows(db, Holiday)
    for link in links:
        pred, succ = tasks[link.predecessor_id], tasks[link.successor_id]
        assert pred.project_id == succ.project_id
        calendar = WorkCalendar(h.day for h in holidays if h.project_id in (None, pred.project_id))
        if link.kind == "FS" and not pred.is_milestone:
            earliest = calendar.add_working_days(pred.planned_finish, 1 + link.lag_days)
            assert succ.planned_start >= earliest or succ.is_milestone, (pred.name, succ.name)
        if link.kind == "SS":
            start = calendar.add_working_days(pred.planned_start, link.lag_days)
            assert succ.planned_start >= start, (pred.name, succ.name)


def test_money_is_exact(db: Database) -> None:
    build_demo(context(db))
    cent = Decimal("0.01")
    amounts = [
        *(b.amount for b in all_rows(db, BudgetLine)),
        *(e.amount for e in all_rows(db, LedgerEntry)),
        *(c.cost_impact for c in all_rows(db, ChangeRequest)),
        *(p.cost_rate for p in all_rows(db, Person)),
    ]
    assert amounts and all(isinstance(a, Decimal) for a in amounts)
    assert all(a == a.quantize(cent) for a in amounts)
    entries = all_rows(db, LedgerEntry)
    assert {e.kind for e in entries} == {"actual", "committed"}
    assert {e.category for e in entries} >= {"hardware", "software", "labour", "vendor services"}
    assert all(e.invoice_ref and e.vendor for e in entries)
    assert any(e.invoice_ref.startswith(f"INV-{e.entry_date.year}-") for e in entries)
    for project in all_rows(db, Project):
        lines = {b.category for b in all_rows(db, BudgetLine) if b.project_id == project.id}
        assert {"labour", "contingency"} <= lines, project.code


def test_registers_and_stakeholders(db: Database) -> None:
    build_demo(context(db))
    risks = all_rows(db, Risk)
    assert all(1 <= r.probability <= 5 and 1 <= r.impact <= 5 for r in risks)
    assert all(r.owner_id and r.mitigation and r.contingency and r.trigger for r in risks)
    assert any(r.probability * r.impact >= 16 and r.status == "open" for r in risks)
    changes = all_rows(db, ChangeRequest)
    assert {c.status for c in changes} >= {"proposed", "approved", "rejected"}
    assert all(c.decided_by and c.decided_on for c in changes if c.status != "proposed")
    stakeholders = all_rows(db, Stakeholder)
    kinds = {s.kind for s in stakeholders}
    assert kinds >= {"sponsor", "client decision maker", "vendor", "helpdesk", "end user"}
    organisations = " ".join(s.organisation for s in stakeholders)
    assert "Elektro" in organisations and "FibreNet" in organisations
    # Some weekly contacts are overdue for an update.
    last: dict[int, date] = {}
    for entry in all_rows(db, CommunicationEntry):
        last[entry.stakeholder_id] = max(entry.logged_on, last.get(entry.stakeholder_id, date.min))
    overdue = [
        s.name
        for s in stakeholders
        if s.cadence == "weekly" and s.id in last and (FIXED - last[s.id]).days > 7
    ]
    assert len(overdue) >= 2


def test_progress_history_matches_the_tasks(db: Database) -> None:
    build_demo(context(db))
    snapshots = all_rows(db, ProgressSnapshot)
    tasks = all_rows(db, Task)
    parents = {t.parent_id for t in tasks if t.parent_id}
    for project in all_rows(db, Project):
        series = sorted((s for s in snapshots if s.project_id == project.id), key=lambda s: s.day)
        if project.status != "active":
            assert not series
            continue
        assert series[-1].day == FIXED
        assert all(s.day.weekday() < 5 for s in series)
        if project.start_date <= FIXED - timedelta(days=28):
            assert len(series) >= 20, project.code
        remaining = [s.remaining_hours for s in series]
        assert remaining == sorted(remaining, reverse=True), project.code
        leaves = [t for t in tasks if t.project_id == project.id and t.id not in parents]
        assert series[-1].remaining_hours == sum(t.remaining_hours for t in leaves)
        assert series[-1].remaining_tasks == sum(1 for t in leaves if t.status != "done")


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_portfolio_shows_red_amber_and_green_with_reasons(db: Database, today: date) -> None:
    build_demo(context(db, today))
    rows = {r.code: r for r in portfolio(db, today)}
    health = Counter(r.health for r in rows.values())
    assert health[Health.RED] >= 1 and health[Health.AMBER] >= 2 and health[Health.GREEN] >= 2
    assert rows["VOIP-25"].health == Health.RED
    assert rows["VOIP-25"].health_reason.endswith("days late")
    assert rows["MOVE-26"].health == Health.RED
    assert rows["MOVE-26"].health_reason == "1 critical risk"
    assert rows["M365-26"].health == Health.AMBER
    assert rows["M365-26"].health_reason.endswith("% over budget")
    assert rows["NET-26"].health == Health.AMBER
    assert rows["NET-26"].health_reason == "1 change pending"
    assert rows["FW-26"].health == rows["LAP-26"].health == Health.GREEN
    assert rows["SRV-25"].health is None  # closed: not rated
    assert all(r.manager for r in rows.values())
    assert rows["FW-26"].next_milestone_date and rows["FW-26"].next_milestone_date >= today


def test_one_project_row_equals_its_row_in_the_portfolio(db: Database) -> None:
    """A report asks for one project's row; it must be the row the Projects screen shows."""
    build_demo(context(db))
    everything = portfolio(db, FIXED, include_archived=True)
    for row in everything:
        assert portfolio(db, FIXED, include_archived=True, project_id=row.id) == [row]


def test_export_and_import_round_trip(db: Database, tmp_path: Path) -> None:
    """The demo passes every rule an import checks, so it is valid data, not just rows."""
    from itpm_tui.formats.portfolio_json import import_json, write_json

    build_demo(context(db))
    write_json(db, tmp_path / "demo.json")
    other = open_database(sqlite_url(tmp_path / "other.db"))
    try:
        report = import_json(context(other), tmp_path / "demo.json")
        assert report.counts["projects"] == count(db, Project)
        assert report.counts["tasks"] == count(db, Task)
    finally:
        other.dispose()
