"""My work's read model and quick updates, against a real SQLite file (TODAY is Wed 2026-03-18)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import TODAY
from sqlmodel import col, select

from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.queries.my_work import LATE, LATER, RECENTLY_DONE, THIS_WEEK, load_my_work
from itpm_tui.services import my_work as quick
from itpm_tui.services.context import Context
from itpm_tui.services.tasks import _draft_of
from itpm_tui.storage.models import Activity, ProgressSnapshot, Task


@dataclass
class Plan:
    me: int
    other: int
    ids: dict[str, int]


def build(ctx: Context) -> Plan:
    """Two projects; Ana has tasks in both, Bob one she waits for; a summary of hers."""
    from itpm_tui.domain.downtime import WindowDraft
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.services.downtime import add_window
    from itpm_tui.services.outline_edits import add_task
    from itpm_tui.services.people import add_person
    from itpm_tui.services.projects import create_project

    ana = add_person(ctx, PersonDraft(name="Ana Tech", handle="ana"))
    bob = add_person(ctx, PersonDraft(name="Bob Net", handle="bob"))
    fw = create_project(ctx, ProjectDraft(code="FW", name="Firewall", start_date=date(2026, 3, 2)))
    wifi = create_project(ctx, ProjectDraft(code="WIFI", name="Wi-Fi", start_date=date(2026, 3, 2)))

    def task(pid: int, name: str, start: date, finish: date, who: int | None, **kw: object) -> int:
        preds = kw.pop("preds", ())
        parent = kw.pop("parent", None)
        draft = TaskDraft(
            name=name,
            planned_start=start,
            planned_finish=finish,
            assignee_id=who,
            estimate_hours=Decimal(16),
            **kw,  # type: ignore[arg-type]
        )
        return add_task(ctx, pid, draft, parent=parent, predecessors=preds)  # type: ignore[arg-type]

    ids: dict[str, int] = {}
    ids["late"] = task(fw, "Rack the box", date(2026, 3, 9), date(2026, 3, 10), ana)
    ids["cabling"] = task(fw, "Cabling", date(2026, 3, 16), date(2026, 3, 30), bob)
    ids["cutover"] = task(
        fw,
        "Cut over",
        date(2026, 3, 19),
        date(2026, 3, 19),
        ana,
        preds=[PredecessorRef(ids["cabling"])],
    )
    ids["week"] = task(wifi, "Survey", date(2026, 3, 16), date(2026, 3, 20), ana)
    ids["later"] = task(wifi, "Install APs", date(2026, 4, 6), date(2026, 4, 8), ana)
    ids["summary"] = task(wifi, "Phase 2", date(2026, 4, 13), date(2026, 4, 14), ana)
    ids["leaf"] = task(
        wifi, "Tune", date(2026, 4, 13), date(2026, 4, 14), ana, parent=ids["summary"]
    )
    ids["done"] = task(
        wifi,
        "Order APs",
        date(2026, 3, 2),
        date(2026, 3, 3),
        ana,
        status="done",
        percent_complete=100,
        actual_finish=date(2026, 3, 16),
    )
    ids["old"] = task(
        wifi,
        "Kick-off",
        date(2026, 3, 2),
        date(2026, 3, 2),
        ana,
        status="done",
        percent_complete=100,
        actual_finish=date(2026, 3, 2),
    )
    add_window(
        ctx,
        fw,
        WindowDraft(
            "Core switch off", "2026-03-19 22:00", "2026-03-19 23:30", task_id=ids["cutover"]
        ),
    )
    return Plan(ana, bob, ids)


def test_one_persons_work_across_projects_in_order(ctx: Context) -> None:
    plan = build(ctx)
    work = load_my_work(ctx.db, plan.me, TODAY)
    names = [t.name for t in work.tasks]
    # leaves only (the summary is not work), old done work gone, Bob's task not here
    # Cut over is due 19 March as stored, but waits for Cabling: scheduled from 31 March
    assert names == ["Rack the box", "Survey", "Cut over", "Install APs", "Tune", "Order APs"]
    groups = [t.group for t in work.tasks]
    assert groups == [LATE, THIS_WEEK, LATER, LATER, LATER, RECENTLY_DONE]
    assert {t.project_code for t in work.tasks} == {"FW", "WIFI"}
    assert [t.name for t in work.open_tasks][-1] == "Tune"


def test_dates_are_the_scheduled_ones_and_why_it_waits_is_named(ctx: Context) -> None:
    plan = build(ctx)
    cut = next(t for t in load_my_work(ctx.db, plan.me, TODAY).tasks if t.name == "Cut over")
    # it waits for Cabling (to 30 March): the schedule pushes it past its stored date
    assert cut.start == date(2026, 3, 31)
    assert cut.waiting_for == ("FW 2 Cabling",)
    assert cut.windows[0].title == "Core switch off"
    # where it was typed (anchored to the task's scheduled start when saved)
    assert cut.windows[0].starts_at == datetime(2026, 3, 19, 22, 0)
    assert "waits for FW 2 Cabling" in cut.why_waiting()
    assert "downtime Core switch off 2026-03-19 22:00–23:30" in cut.why_waiting()
    assert cut.group == LATER  # pushed out of this week by its predecessor


def test_nobody_unknown(ctx: Context) -> None:
    with pytest.raises(LookupError):
        load_my_work(ctx.db, 99, TODAY)


def _task(ctx: Context, task_id: int) -> Task:
    with ctx.db.read() as session:
        found = session.get(Task, task_id)
        assert found is not None
        session.expunge(found)
        return found


def _activity(ctx: Context, task_id: int) -> list[Activity]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(Activity).where(
                col(Activity.entity) == "task", col(Activity.entity_id) == task_id
            )
        ).all()
        for r in rows:
            session.expunge(r)
        return list(rows)


def _snapshot_today(ctx: Context) -> list[ProgressSnapshot]:
    with ctx.db.read() as session:
        return list(
            session.exec(select(ProgressSnapshot).where(col(ProgressSnapshot.day) == TODAY)).all()
        )


def test_start_records_actual_start_activity_and_progress(ctx: Context) -> None:
    plan = build(ctx)
    tid = plan.ids["week"]
    before = len(_activity(ctx, tid))
    changed = quick.start_task(ctx, tid)
    task = _task(ctx, tid)
    assert task.status == "in progress" and task.actual_start == TODAY
    assert "status" in changed
    assert len(_activity(ctx, tid)) > before
    assert _snapshot_today(ctx)


def test_done_is_100_percent_nothing_left_actual_finish(ctx: Context) -> None:
    plan = build(ctx)
    tid = plan.ids["late"]
    quick.finish_task(ctx, tid)
    task = _task(ctx, tid)
    assert (task.status, task.percent_complete, task.remaining_hours) == ("done", 100, 0)
    assert task.actual_finish == TODAY
    snap = _snapshot_today(ctx)
    assert snap and snap[0].remaining_tasks < 3


def test_block_needs_a_reason_and_unblock_forgets_it(ctx: Context) -> None:
    plan = build(ctx)
    tid = plan.ids["week"]
    with pytest.raises(ValidationError, match="blocked reason"):
        quick.block_task(ctx, tid, "  ")
    assert _task(ctx, tid).status == "todo"
    quick.block_task(ctx, tid, "no access badge")
    task = _task(ctx, tid)
    assert (task.status, task.blocked_reason) == ("blocked", "no access badge")
    work = load_my_work(ctx.db, plan.me, TODAY)
    assert "blocked: no access badge" in next(t for t in work.tasks if t.id == tid).why_waiting()
    quick.unblock_task(ctx, tid)
    task = _task(ctx, tid)
    assert (task.status, task.blocked_reason) == ("todo", "")
    with pytest.raises(ValidationError, match="not blocked"):
        quick.unblock_task(ctx, tid)


def test_unblock_of_started_work_is_back_in_progress(ctx: Context) -> None:
    plan = build(ctx)
    tid = plan.ids["week"]
    quick.set_percent(ctx, tid, "25%")
    quick.block_task(ctx, tid, "waiting on vendor")
    quick.unblock_task(ctx, tid)
    assert _task(ctx, tid).status == "in progress"


def test_percent_and_remaining(ctx: Context) -> None:
    plan = build(ctx)
    tid = plan.ids["later"]
    quick.set_percent(ctx, tid, "50")
    task = _task(ctx, tid)
    assert (task.percent_complete, task.remaining_hours, task.status) == (50, 8, "in progress")
    quick.set_remaining(ctx, tid, "1.5d")
    assert _task(ctx, tid).remaining_hours == Decimal(12)
    with pytest.raises(ValidationError, match="percent complete"):
        quick.set_percent(ctx, tid, "150")
    with pytest.raises(ValidationError, match="remaining"):
        quick.set_remaining(ctx, tid, "lots")
    assert _task(ctx, tid).remaining_hours == Decimal(12)


def test_a_note_is_dated_and_signed_in_the_notes(ctx: Context) -> None:
    plan = build(ctx)
    tid = plan.ids["week"]
    quick.log_note(ctx, tid, "called the site")
    quick.finish_task(ctx, tid, note="all APs placed")
    notes = _task(ctx, tid).description.splitlines()
    assert notes == ["2026-03-18 tester: called the site", "2026-03-18 tester: all APs placed"]
    with pytest.raises(ValidationError, match="note"):
        quick.log_note(ctx, tid, " ")


def test_predecessors_are_kept(ctx: Context) -> None:
    plan = build(ctx)
    quick.start_task(ctx, plan.ids["cutover"])
    cut = next(t for t in load_my_work(ctx.db, plan.me, TODAY).tasks if t.id == plan.ids["cutover"])
    assert cut.waiting_for == ("FW 2 Cabling",)


def test_done_work_cannot_be_started_or_blocked(ctx: Context) -> None:
    plan = build(ctx)
    with pytest.raises(ValidationError, match="done"):
        quick.start_task(ctx, plan.ids["done"])
    with pytest.raises(ValidationError, match="done"):
        quick.block_task(ctx, plan.ids["done"], "x")


def test_a_quick_update_goes_on_top_of_a_colleagues_save(ctx: Context) -> None:
    """A save in between (simulated) is kept, and the quick update applied on top of it;
    saved in between every time, it is refused after `ATTEMPTS` tries, not forced."""
    from itpm_tui.services import tasks as task_service

    plan = build(ctx)
    tid = plan.ids["week"]
    original = task_service.update_task
    interruptions = quick.ATTEMPTS

    def colleague_first(c: Context, task_id: int, *a: object, **kw: object) -> list[str]:
        nonlocal interruptions
        if interruptions:
            interruptions -= 1
            colleague = Context(c.db, "bob", c.clock)
            draft = _draft_of(_task(ctx, task_id))
            draft.description += "\nbob: colleague"
            original(colleague, task_id, draft, [], _task(ctx, task_id).version)
        return original(c, task_id, *a, **kw)  # type: ignore[arg-type]

    quick_update = quick.update_task
    try:
        quick.update_task = colleague_first  # type: ignore[assignment]
        with pytest.raises(ConflictError):
            quick.start_task(ctx, tid)
        assert interruptions == 0
        assert _task(ctx, tid).status == "todo"  # refused every time: nothing of mine saved
        interruptions = 1
        quick.start_task(ctx, tid)
    finally:
        quick.update_task = quick_update  # type: ignore[assignment]
    task = _task(ctx, tid)
    assert task.status == "in progress"  # mine, on top of theirs
    assert task.description.count("bob: colleague") == quick.ATTEMPTS + 1  # theirs kept
