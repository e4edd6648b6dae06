"""A project's daily progress from its leaf tasks, and a task's progress kept coherent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from itpm_tui.domain.burndown import Snapshot
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.progress import (
    LeafWork,
    Progress,
    project_progress,
    remaining_for,
    settle_task,
)
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.budget import recorded_percent, spend_curve
from itpm_tui.queries.burndown import carried_forward, project_burndown
from itpm_tui.queries.tasks import load_task_edit
from itpm_tui.services.context import Context
from itpm_tui.services.plans import NewPlan, NewTask, add_plan
from itpm_tui.services.tasks import update_task
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import BudgetLine, ProgressSnapshot, Project, Task

pytestmark = pytest.mark.both_backends

D = Decimal
TODAY = date(2026, 3, 18)


def test_progress_is_weighted_by_the_estimates() -> None:
    leaves = [LeafWork(D(8), 100), LeafWork(D(16), 50), LeafWork(D("24.5"), 0)]
    # done 8 + 8 = 16 of 48.5; 16 × 100 ÷ 48.5 = 32.98… → 32 (truncated, never rounded up)
    assert project_progress(leaves) == Progress(D("32.50"), 2, 32)


def test_remaining_hours_are_to_the_cent() -> None:
    assert project_progress([LeafWork(D(1), 33)]).remaining_hours == D("0.67")


def test_without_estimates_only_the_task_count_moves() -> None:
    assert project_progress([LeafWork(D(0), 100), LeafWork(D(0), 40)]) == Progress(D(0), 1, 0)
    assert project_progress([]) == Progress(D(0), 0, 0)


def test_percent_reaches_100_only_when_every_hour_is_done() -> None:
    assert project_progress([LeafWork(D(1000), 100), LeafWork(D(1), 99)]).percent_complete == 99
    assert project_progress([LeafWork(D(1000), 100), LeafWork(D(1), 100)]).percent_complete == 100


leaf = st.builds(
    LeafWork,
    st.decimals(min_value=0, max_value=10_000, places=2),
    st.integers(min_value=0, max_value=100),
)


@given(st.lists(leaf, max_size=30), st.data())
def test_more_done_never_leaves_more_work(leaves: list[LeafWork], data: st.DataObject) -> None:
    """Progress on any one task never raises the remaining work nor lowers the percent, and
    the figures stay in range: what a burn-down that only goes down needs."""
    before = project_progress(leaves)
    total = sum((x.estimate_hours for x in leaves), D(0))
    assert D(0) <= before.remaining_hours <= total
    assert 0 <= before.remaining_tasks <= len(leaves)
    assert 0 <= before.percent_complete <= 100
    assert (before.remaining_tasks == 0) == all(x.percent_complete == 100 for x in leaves)
    if not leaves:
        return
    i = data.draw(st.integers(0, len(leaves) - 1))
    more = data.draw(st.integers(leaves[i].percent_complete, 100))
    after = project_progress(
        [*leaves[:i], replace(leaves[i], percent_complete=more), *leaves[i + 1 :]]
    )
    assert after.remaining_hours <= before.remaining_hours
    assert after.remaining_tasks <= before.remaining_tasks
    assert after.percent_complete >= before.percent_complete


def draft(**fields: object) -> TaskDraft:
    base = TaskDraft(name="Rack and cable", estimate_hours=D(16), remaining_hours=D(16))
    return replace(base, **fields)  # type: ignore[arg-type]


def test_100_percent_is_done_with_nothing_left_and_a_finish() -> None:
    before = draft()
    after = settle_task(before, draft(percent_complete=100), TODAY)
    assert (after.status, after.percent_complete, after.remaining_hours) == ("done", 100, 0)
    assert after.actual_start == after.actual_finish == TODAY


def test_done_leaves_no_hours_and_keeps_given_dates() -> None:
    before = draft(status="in progress", percent_complete=90, actual_start=date(2026, 3, 2))
    given_finish = date(2026, 3, 17)
    after = settle_task(
        before,
        replace(before, status="done", percent_complete=100, actual_finish=given_finish),
        TODAY,
    )
    assert after.remaining_hours == 0
    assert (after.actual_start, after.actual_finish) == (date(2026, 3, 2), given_finish)


def test_starting_records_the_actual_start_once() -> None:
    todo = draft()
    started = settle_task(todo, draft(status="in progress"), TODAY)
    assert started.actual_start == TODAY and started.actual_finish is None
    by_percent = settle_task(todo, draft(percent_complete=10), TODAY)
    assert by_percent.actual_start == TODAY and by_percent.status == "in progress"
    later = settle_task(started, replace(started, percent_complete=50), TODAY + timedelta(1))
    assert later.actual_start == TODAY  # already started: the start stays


def test_a_blocked_task_at_zero_has_not_started() -> None:
    assert settle_task(draft(), draft(status="blocked"), TODAY).actual_start is None


def test_an_edit_that_does_not_move_progress_leaves_the_dates_alone() -> None:
    """A task imported as under way without dates is not given today's date by a rename."""
    imported = draft(status="in progress", percent_complete=40, remaining_hours=D(5))
    after = settle_task(imported, replace(imported, name="Rack, cable, label"), TODAY)
    assert after == replace(imported, name="Rack, cable, label")


def test_a_new_percent_re_derives_the_remaining_hours_unless_they_were_given() -> None:
    before = draft(status="in progress", percent_complete=20, remaining_hours=D("12.8"))
    assert settle_task(before, replace(before, percent_complete=75), TODAY).remaining_hours == 4
    given = replace(before, percent_complete=75, remaining_hours=D(6))
    assert settle_task(before, given, TODAY).remaining_hours == 6
    assert remaining_for(D(10), 33) == D("6.70")


def test_reopening_forgets_the_finish() -> None:
    done = draft(
        status="done",
        percent_complete=100,
        remaining_hours=D(0),
        actual_start=date(2026, 3, 2),
        actual_finish=date(2026, 3, 6),
    )
    reopened = settle_task(done, replace(done, status="in progress", percent_complete=80), TODAY)
    assert reopened.actual_finish is None and reopened.actual_start == date(2026, 3, 2)
    assert reopened.remaining_hours == D("3.20")


def test_a_done_task_below_100_is_left_to_validation() -> None:
    from itpm_tui.domain.tasks import validate_task

    settled = settle_task(draft(), draft(status="done", percent_complete=60), TODAY)
    with pytest.raises(ValidationError, match="done task is 100%"):
        validate_task(settled)


states = st.builds(
    draft,
    status=st.sampled_from(["todo", "in progress", "blocked", "done"]),
    percent_complete=st.integers(0, 100),
    remaining_hours=st.decimals(min_value=0, max_value=100, places=2),
)


@given(states, states)
def test_a_settled_task_is_coherent(before: TaskDraft, after: TaskDraft) -> None:
    """Whatever the edit, 100% and done go together with nothing left, and a task that is
    under way has a start and a done one a finish not before it."""
    if after.status == "done" and after.percent_complete != 100:
        return  # refused by validate_task
    settled = settle_task(before, after, TODAY)
    assert (settled.percent_complete == 100) == (settled.status == "done")
    assert not (settled.status == "todo" and settled.percent_complete > 0)  # work done: started
    if settled.status == "done":
        assert settled.remaining_hours == 0
        if before.status != "done":
            assert settled.actual_finish is not None
    if settled.actual_start and settled.actual_finish:
        assert settled.actual_start <= settled.actual_finish
    moved_in = before.status in ("todo", "blocked") and before.percent_complete == 0
    if moved_in and (settled.status in ("in progress", "done") or settled.percent_complete > 0):
        assert settled.actual_start is not None


# -- the writes that record it -------------------------------------------------------------


def small_project(ctx: Context) -> dict[str, int]:
    """A baselined project: summary 1 over leaves 1.1 (8 h, done) and 1.2 (16 h, todo), and a
    leaf 2 (24 h, todo). Ids by WBS code, plus "project"."""
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(
            code="VO-1",
            name="VoIP move",
            start_date=TODAY - timedelta(14),
            baseline_start=TODAY - timedelta(14),
            baseline_end=TODAY + timedelta(14),
        )
        s.add(project)
        s.flush()
        ids = {"project": int(project.id)}  # type: ignore[arg-type]
        for wbs, parent, hours, percent, status in [
            ("1", None, 24, 0, "todo"),
            ("1.1", "1", 8, 100, "done"),
            ("1.2", "1", 16, 0, "todo"),
            ("2", None, 24, 0, "todo"),
        ]:
            row = Task(
                project_id=project.id,  # type: ignore[arg-type]
                parent_id=ids[parent] if parent else None,
                name=f"Task {wbs}",
                wbs=wbs,
                sort_order=len(ids),
                planned_start=TODAY - timedelta(7),
                planned_finish=TODAY + timedelta(7),
                baseline_start=TODAY - timedelta(7),
                baseline_finish=TODAY + timedelta(7),
                estimate_hours=D(hours),
                remaining_hours=D(hours) * (100 - percent) / 100,
                percent_complete=percent,
                status=status,
            )
            s.add(row)
            s.flush()
            ids[wbs] = int(row.id)  # type: ignore[arg-type]
    return ids


def snapshots(ctx: Context, project_id: int) -> list[tuple[date, Decimal, int, int]]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(ProgressSnapshot)
            .where(col(ProgressSnapshot.project_id) == project_id)
            .order_by(col(ProgressSnapshot.day))
        ).all()
        return [(r.day, r.remaining_hours, r.remaining_tasks, r.percent_complete) for r in rows]


def edit(ctx: Context, task_id: int, **fields: object) -> list[str]:
    edit = load_task_edit(ctx.db, task_id)
    assert edit is not None
    return update_task(ctx, task_id, replace(edit.draft, **fields), [], edit.version)  # type: ignore[arg-type]


def test_an_edit_records_one_snapshot_per_day_from_the_leaves(ctx: Context) -> None:
    ids = small_project(ctx)
    pid = ids["project"]
    assert snapshots(ctx, pid) == []
    edit(ctx, ids["1.2"], percent_complete=50, status="in progress")
    # Leaves only: 8 done + 8 of 16 done of 48 h → 32 h and 2 tasks left, 33%.
    assert snapshots(ctx, pid) == [(TODAY, D(32), 2, 33)]
    edit(ctx, ids["2"], percent_complete=25)
    assert snapshots(ctx, pid) == [(TODAY, D(26), 2, 45)]  # the day's row, updated


def test_each_day_gets_its_own_snapshot(db: Database) -> None:
    days = [TODAY]
    ctx = Context(db, "tester", clock=lambda: days[0])
    ids = small_project(ctx)
    edit(ctx, ids["1.2"], percent_complete=50)
    days[0] = TODAY + timedelta(1)
    edit(ctx, ids["1.2"], percent_complete=100)
    assert snapshots(ctx, ids["project"]) == [
        (TODAY, D(32), 2, 33),
        (TODAY + timedelta(1), D(24), 1, 50),
    ]
    with db.read() as session:
        task = session.get(Task, ids["1.2"])
        assert task is not None
        assert (task.status, task.remaining_hours) == ("done", 0)
        assert (task.actual_start, task.actual_finish) == (TODAY, TODAY + timedelta(1))


def test_an_edit_that_moves_no_progress_records_none(ctx: Context) -> None:
    ids = small_project(ctx)
    edit(ctx, ids["2"], name="Cut-over")
    assert snapshots(ctx, ids["project"]) == []


def test_a_refused_edit_records_nothing(ctx: Context) -> None:
    """The snapshot is written in the edit's transaction: a refused edit leaves no trace."""
    ids = small_project(ctx)
    loaded = load_task_edit(ctx.db, ids["1.2"])
    assert loaded is not None
    draft_ = replace(loaded.draft, percent_complete=50)
    with pytest.raises(ValidationError):  # a link to a summary task
        update_task(ctx, ids["1.2"], draft_, [PredecessorRef(ids["1"])], loaded.version)
    assert snapshots(ctx, ids["project"]) == []
    with ctx.db.read() as session:
        assert session.get(Task, ids["1.2"]).percent_complete == 0  # type: ignore[union-attr]


def test_100_percent_todo_is_saved_as_done(ctx: Context) -> None:
    ids = small_project(ctx)
    changed = edit(ctx, ids["2"], percent_complete=100)
    assert {"status", "percent_complete", "remaining_hours", "actual_start"} <= set(changed)
    with ctx.db.read() as session:
        task = session.get(Task, ids["2"])
        assert task is not None
        assert (task.status, task.remaining_hours, task.actual_finish) == ("done", 0, TODAY)


def test_an_imported_plan_starts_its_burn_down(ctx: Context) -> None:
    plan = NewPlan(
        name="Mail move",
        source="mail.xml",
        tasks=[
            NewTask(1, TaskDraft(name="Plan", estimate_hours=D(10), percent_complete=40)),
            NewTask(2, TaskDraft(name="Move", estimate_hours=D(30))),
        ],
        links=[],
    )
    added = add_plan(ctx, plan)
    assert snapshots(ctx, added.project_id) == [(TODAY, D(36), 2, 10)]


def test_readers_carry_the_last_snapshot_over_untouched_days(db: Database) -> None:
    """Nobody touched the project for a week: EV at a date in that week and the S-curve's
    EV line read the last recorded progress, and the burn-down's latest reading is it."""
    days = [TODAY - timedelta(7)]
    ctx = Context(db, "tester", clock=lambda: days[0])
    ids = small_project(ctx)
    pid = ids["project"]
    edit(ctx, ids["1.2"], percent_complete=50)  # 33% a week ago
    days[0] = TODAY
    assert recorded_percent(db, pid, TODAY - timedelta(3)) == 33
    assert recorded_percent(db, pid, TODAY - timedelta(8)) is None
    edit(ctx, ids["2"], name="Cut-over")  # saved today, but no progress moved
    chart = project_burndown(db, pid, TODAY)
    week = [TODAY - timedelta(n) for n in range(7, -1, -1)]
    assert chart.actual == {day: D(32) for day in week}  # flat up to today, not a slope
    assert chart.latest == (TODAY, D(32))
    with ctx.transaction() as tx:
        tx.session.add(BudgetLine(project_id=pid, category="labour", amount=D(4800)))
    curve = spend_curve(db, pid, TODAY)
    ev = {d: ev for d, ev in zip(curve.days, curve.ev, strict=True)}
    # BAC 4,800 × 33% on the day of the edit and every untouched day after it.
    assert {ev[day] for day in week[:-1]} == {D(1584)}


def test_carry_forward_fills_gaps_and_stops_at_today() -> None:
    monday, wednesday = date(2026, 3, 16), date(2026, 3, 18)
    given = [Snapshot(monday, D(10), 2), Snapshot(wednesday, D(4), 1)]
    filled = carried_forward(given, date(2026, 3, 20))
    assert [(s.day.day, s.remaining_hours, s.remaining_tasks) for s in filled] == [
        (16, D(10), 2),
        (17, D(10), 2),
        (18, D(4), 1),
        (19, D(4), 1),
        (20, D(4), 1),
    ]
    assert carried_forward(given, monday) == filled[:3]  # the last one is never extended back
    assert carried_forward(given, None) == filled[:3]
    assert carried_forward([], wednesday) == []
