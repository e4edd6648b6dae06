"""The "What changed" feed from real changes made through the services over simulated days
(the context's clock moved day by day), read back with `queries.changes.load_changes`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from itpm_tui.domain.changes import Feed
from itpm_tui.queries.changes import last_standup, load_changes
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database

MONDAY = date(2026, 3, 9)


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@dataclass
class Week:
    ctx: Context
    clock: Clock
    fw: int
    wifi: int
    ids: dict[str, int]


def _lines(feed: Feed, code: str) -> list[str]:
    for group in feed.projects:
        if group.code == code:
            return [line.plain() for line in group.lines]
    return []


@pytest.fixture
def week(db: Database) -> Week:
    return make_week(db)


def make_week(db: Database) -> Week:
    """Two projects planned the week before MONDAY, baselined, nothing done yet."""
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.domain.tasks import TaskDraft
    from itpm_tui.services.outline_edits import add_task
    from itpm_tui.services.people import add_person
    from itpm_tui.services.projects import create_project
    from itpm_tui.services.tasks import set_baseline

    clock = Clock(MONDAY - timedelta(days=7))
    ctx = Context(db, "tester", clock=clock)
    add_person(ctx, PersonDraft(name="Ana Tech", handle="ana", role="project manager"))
    fw = create_project(ctx, ProjectDraft(code="FW", name="Firewall", start_date=MONDAY))
    wifi = create_project(ctx, ProjectDraft(code="WIFI", name="Wi-Fi", start_date=MONDAY))

    def task(pid: int, name: str, start: date, finish: date, **kw: object) -> int:
        draft = TaskDraft(
            name=name, planned_start=start, planned_finish=finish, estimate_hours=Decimal(8), **kw
        )  # type: ignore[arg-type]
        return add_task(ctx, pid, draft)

    ids = {
        "rack": task(fw, "Rack the box", MONDAY, MONDAY + timedelta(days=1)),
        "cable": task(fw, "Cabling", MONDAY, MONDAY + timedelta(days=4)),
        "cut": task(fw, "Cut over", MONDAY + timedelta(days=4), MONDAY + timedelta(days=4)),
        "live": task(
            fw, "Go live", MONDAY + timedelta(days=2), MONDAY + timedelta(days=2), is_milestone=True
        ),
        "survey": task(wifi, "Survey", MONDAY, MONDAY + timedelta(days=2)),
    }
    set_baseline(ctx, fw)
    return Week(ctx, clock, fw, wifi, ids)


def _on(week: Week, day: int, user: str = "tester") -> Context:
    """The context on MONDAY + `day`, acting as `user`."""
    week.clock.day = MONDAY + timedelta(days=day)
    return replace(week.ctx, user=user)


def work_the_week(week: Week) -> None:
    """Monday to Friday: started, finished, blocked, progress, a slip, money, a risk."""
    from itpm_tui.domain.ledger import EntryDraft
    from itpm_tui.domain.risk import RiskDraft
    from itpm_tui.domain.tasks import TaskDraft
    from itpm_tui.services import my_work as quick
    from itpm_tui.services.ledger import add_entry
    from itpm_tui.services.risks import add_risk, close_risk, update_risk
    from itpm_tui.services.tasks import _draft_of, update_task
    from itpm_tui.storage.models import Task

    ids = week.ids
    quick.start_task(_on(week, 0), ids["rack"])
    for percent in ("10", "20", "50", "70"):
        quick.set_percent(_on(week, 0, "ana"), ids["cable"], percent)
    quick.finish_task(_on(week, 1), ids["rack"])
    quick.block_task(_on(week, 1, "ana"), ids["cut"], "no change window")
    ctx = _on(week, 2)
    with ctx.db.read() as session:
        cable = session.get(Task, ids["cable"])
        assert cable is not None
        draft: TaskDraft = _draft_of(cable)
        version = cable.version
    draft = replace(draft, planned_finish=MONDAY + timedelta(days=8))  # Fri → next Tue
    update_task(ctx, ids["cable"], draft, [], expected_version=version)
    for amount, category in (("1200.50", "hardware"), ("99.50", "hardware"), ("300", "labour")):
        add_entry(
            _on(week, 3),
            week.fw,
            EntryDraft(MONDAY + timedelta(days=3), "Vendor", category, "kit", amount),
        )
    risk = add_risk(_on(week, 3), week.fw, RiskDraft("ISP late", 2, 3))
    update_risk(_on(week, 4), risk, RiskDraft("ISP late", 4, 4), 1)
    close_risk(_on(week, 4), risk, 2)
    from itpm_tui.domain.change_control import ChangeDraft
    from itpm_tui.domain.stakeholders import ContactDraft, LogDraft
    from itpm_tui.services.change_requests import add_change, reject_change
    from itpm_tui.services.stakeholders import add_contact, add_log_entry

    change = add_change(_on(week, 2), week.fw, ChangeDraft("Add a second WAN link", MONDAY))
    reject_change(_on(week, 4), change, expected_version=1)
    olive = add_contact(_on(week, 0), ContactDraft(name="Olive Client", projects="FW"))
    add_log_entry(
        _on(week, 3, "ana"),
        olive,
        LogDraft(MONDAY + timedelta(days=3), "phone", "Ana", "agreed the window", week.fw),
    )


def test_a_week_of_work_reads_in_plain_words(week: Week) -> None:
    work_the_week(week)
    feed = load_changes(week.ctx.db, MONDAY + timedelta(days=7), since=MONDAY)
    lines = _lines(feed, "FW")
    text = "\n".join(lines)
    assert "✓ done      finished Rack the box — tester" in lines
    assert "▶ started   started Rack the box — tester" in lines
    assert "■ blocked   Cut over blocked: no change window — ana" in lines
    # Four edits of one task's progress in a week are one line.
    assert "% progress  Cabling progress 0% → 70% — ana" in lines
    assert (
        "▼ slipped   Cabling slipped 2 working days (2026-03-13 → 2026-03-17),"
        " 2 working days behind baseline — tester" in lines
    )
    assert "$ booked    EUR 1,300.00 hardware (2 entries) — tester" in lines
    assert "labour (1 entry)" in text
    assert "! risk      risk raised: ISP late (score 6)" in text
    assert "risk ISP late re-scored 6 → 16" in text
    assert "risk ISP late closed" in text
    assert "Δ change    change request proposed: Add a second WAN link — tester" in lines
    assert "Δ change    change request Add a second WAN link rejected — tester" in lines
    assert "☎ contact   contacted Olive Client by phone — ana" in lines
    # The milestone due Wednesday is not done: missed.
    assert "◇ missed    milestone Go live missed (due 2026-03-11)" in lines
    # Kinds in their order: done first, missed before started.
    kinds = [line.kind for line in feed.projects[0].lines]
    assert kinds == sorted(kinds, key=lambda k: k.order)
    assert feed.people == ("ana", "tester")


def test_since_leaves_out_what_came_before(week: Week) -> None:
    from itpm_tui.services import my_work as quick

    quick.start_task(_on(week, 0), week.ids["rack"])
    quick.finish_task(_on(week, 3), week.ids["rack"])
    feed = load_changes(week.ctx.db, MONDAY + timedelta(days=4), since=MONDAY + timedelta(days=2))
    lines = _lines(feed, "FW")
    assert any("finished Rack the box" in line for line in lines)
    assert not any("started Rack the box" in line for line in lines)


def test_filters_by_project_and_person(week: Week) -> None:
    from itpm_tui.services import my_work as quick

    quick.start_task(_on(week, 0), week.ids["rack"])
    quick.start_task(_on(week, 0, "ana"), week.ids["survey"])
    today = MONDAY + timedelta(days=1)
    only_wifi = load_changes(week.ctx.db, today, since=MONDAY, project_id=week.wifi)
    assert [g.code for g in only_wifi.projects] == ["WIFI"]
    assert only_wifi.project == "WIFI"
    anas = load_changes(week.ctx.db, today, since=MONDAY, person="ANA")
    assert [g.code for g in anas.projects] == ["WIFI"]
    assert _lines(anas, "WIFI") == ["▶ started   started Survey — ana"]
    nobody = load_changes(week.ctx.db, today, since=MONDAY, person="zed")
    assert nobody.projects == ()


def test_the_default_since_is_the_last_standup_before_today(week: Week) -> None:
    from itpm_tui.services import my_work as quick
    from itpm_tui.services.standup import record_standup

    db = week.ctx.db
    today = MONDAY + timedelta(days=7)
    assert load_changes(db, today).since == today - timedelta(days=7)
    assert last_standup(db, today) is None
    assert record_standup(_on(week, 2))
    quick.start_task(_on(week, 1), week.ids["rack"])
    quick.finish_task(_on(week, 3), week.ids["rack"])
    assert record_standup(_on(week, 7))  # this morning's stand-up does not hide the week
    feed = load_changes(db, today)
    assert feed.since == MONDAY + timedelta(days=2) == feed.last_standup
    lines = _lines(feed, "FW")
    assert any("finished Rack the box" in line for line in lines)
    assert not any("started" in line for line in lines)
    assert not any("stand-up" in line for g in feed.projects for line in _lines(feed, g.code))


def test_a_viewer_does_not_record_a_standup(db: Database) -> None:
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.services.people import add_person
    from itpm_tui.services.standup import record_standup

    ctx = Context(db, "tester", clock=lambda: MONDAY)
    add_person(ctx, PersonDraft(name="Pat", handle="pat", role="project manager"))
    add_person(ctx, PersonDraft(name="Vic Viewer", handle="vic", role="viewer"))
    add_person(ctx, PersonDraft(name="Tom", handle="tom", role="technician/engineer"))
    assert not record_standup(replace(ctx, user="vic"))
    assert last_standup(db, MONDAY + timedelta(days=1)) is None
    assert record_standup(replace(ctx, user="tom"))  # a technician may: it logs like a contact
    assert last_standup(db, MONDAY + timedelta(days=1)) == MONDAY


def test_the_kiosk_command_marks_the_standup_before_it_opens(db: Database, db_path) -> None:  # type: ignore[no-untyped-def]
    from itpm_tui.cli.standup import mark_standup
    from itpm_tui.services.context import system_today
    from itpm_tui.storage.database import sqlite_url

    assert mark_standup(sqlite_url(db_path), "tester", None)
    today = system_today()
    assert last_standup(db, today + timedelta(days=1)) == today
