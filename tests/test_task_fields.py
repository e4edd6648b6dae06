"""Every field of a task: hours typed as a PM types them, the blocked reason, a new parent
that moves the task in the outline, and the progress snapshot an add or a delete writes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from conftest import TODAY, version_of
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select
from test_timeline import sample_project

from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.progress import settle_task
from itpm_tui.domain.tasks import TaskDraft, hours_input, parse_hours, read_task
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.tasks import load_task_edit
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.services.context import Context, system_today
from itpm_tui.services.outline_edits import add_task, delete_task
from itpm_tui.services.tasks import update_task
from itpm_tui.storage.models import ProgressSnapshot, Task

pytestmark = pytest.mark.both_backends

# -- hours ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [("8", "8"), ("8h", "8"), ("1.5d", "12"), ("2 days", "16"), (" 0.25 ", "0.25"), ("3,5", "3.5")],
)
def test_hours_are_read_in_hours_or_days(text: str, hours: str) -> None:
    assert parse_hours(text, "estimate") == D(hours)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("-4", "must not be negative"),
        ("abc", "is not a number of hours"),
        ("8x", "is not a number of hours"),
        ("100000", "at most 99999"),
        ("nan", "is not a number of hours"),
    ],
)
def test_bad_hours_name_the_field_and_rule(text: str, rule: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_hours(text, "remaining")
    assert err.value.field == "remaining" and rule in err.value.rule


@given(st.decimals(min_value=0, max_value=99_999, places=2))
def test_hours_shown_for_editing_read_back_the_same(hours: D) -> None:
    assert parse_hours(hours_input(hours), "estimate") == hours


# -- the reader the form and `itpm task` share ------------------------------------------------


def test_a_blocked_task_needs_its_reason_and_others_have_none() -> None:
    base = TaskDraft(name="Order firewall", status="in progress", percent_complete=20)
    with pytest.raises(ValidationError, match="blocked reason: is required"):
        read_task(base, status="blocked")
    blocked = read_task(base, status="blocked", blocked_reason="  quote late ")
    assert (blocked.status, blocked.blocked_reason) == ("blocked", "quote late")
    # Leaving blocked forgets the reason; typing a new one for an open task is refused.
    assert read_task(blocked, status="in progress").blocked_reason == ""
    with pytest.raises(ValidationError, match="only a blocked task has one"):
        read_task(base, blocked_reason="waiting")


@given(
    st.sampled_from(["todo", "in progress", "blocked", "done"]),
    st.sampled_from(["todo", "in progress", "blocked", "done", None]),
    st.text(max_size=20),
    st.one_of(st.none(), st.text(max_size=20)),
)
def test_a_reason_exactly_when_blocked(
    was: str, status: str | None, stored: str, typed: str | None
) -> None:
    base = TaskDraft(
        name="x",
        status=was,
        percent_complete=100 if was == "done" else 0,
        blocked_reason=stored if was == "blocked" else "",
    )
    try:
        draft = read_task(base, status=status, blocked_reason=typed)
    except ValidationError as exc:
        assert {p.field for p in exc.problems} <= {"blocked reason", "percent complete"}
        return
    if draft.status == "blocked":
        assert draft.blocked_reason and draft.blocked_reason == draft.blocked_reason.strip()
    else:
        assert draft.blocked_reason == ""


def test_every_problem_is_told_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        read_task(TaskDraft(name="x"), name=" ", percent="x", estimate="-1", remaining="z")
    assert {p.field for p in err.value.problems} == {
        "name",
        "percent complete",
        "estimate",
        "remaining",
    }


def test_done_alone_means_all_of_it() -> None:
    draft = read_task(TaskDraft(name="x", percent_complete=40), status="done")
    assert (draft.status, draft.percent_complete) == ("done", 100)
    with pytest.raises(ValidationError, match="a done task is 100% complete"):
        read_task(TaskDraft(name="x"), status="done", percent="40")


def test_a_new_estimate_gives_the_remaining_hours_unless_they_were_typed() -> None:
    before = TaskDraft(name="x", estimate_hours=D(8), remaining_hours=D(8), percent_complete=50)
    after = settle_task(before, replace(before, estimate_hours=D(20)), TODAY)
    assert after.remaining_hours == D(10)
    typed = settle_task(before, replace(before, estimate_hours=D(20), remaining_hours=D(3)), TODAY)
    assert typed.remaining_hours == D(3)


def test_itpm_today_moves_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITPM_TODAY", "2026-05-04")
    assert system_today() == date(2026, 5, 4)
    monkeypatch.setenv("ITPM_TODAY", "May 4")
    with pytest.raises(Exception, match="ITPM_TODAY: 'May 4' is not a date"):
        system_today()
    monkeypatch.delenv("ITPM_TODAY")
    assert system_today() == date.today()


# -- services ---------------------------------------------------------------------------------


def snapshot(ctx: Context, project_id: int) -> ProgressSnapshot | None:
    with ctx.db.read() as session:
        return session.exec(
            select(ProgressSnapshot).where(
                col(ProgressSnapshot.project_id) == project_id,
                col(ProgressSnapshot.day) == TODAY,
            )
        ).first()


def test_adding_and_deleting_a_task_records_the_days_progress(ctx: Context) -> None:
    ids = sample_project(ctx)
    pid = ids["project"]
    assert snapshot(ctx, pid) is None
    new = add_task(ctx, pid, TaskDraft(name="Document", estimate_hours=D(10)), parent=ids["2"])
    first = snapshot(ctx, pid)
    assert first is not None
    with ctx.db.read() as session:
        task = session.get(Task, new)
        assert task is not None and task.remaining_hours == D(10)  # settled from its estimate
    delete_task(ctx, new, version_of(ctx.db, Task, new))
    second = snapshot(ctx, pid)
    assert second is not None
    assert second.remaining_hours == first.remaining_hours - D(10)
    assert second.remaining_tasks == first.remaining_tasks - 1


def test_a_new_parent_moves_the_task_last_under_it_and_wbs_follows(ctx: Context) -> None:
    ids = sample_project(ctx)
    edit = load_task_edit(ctx.db, ids["3"])
    assert edit is not None
    draft = replace(edit.draft, parent_id=ids["1"])
    update_task(ctx, ids["3"], draft, edit.predecessors, edit.version)
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    codes = {t.id: t.wbs for t in timeline.tasks}
    assert codes[ids["3"]] == "1.4"
    assert [t.id for t in timeline.tasks].index(ids["3"]) == 4  # right after 1.3
    # Back to the top level: last there.
    edit = load_task_edit(ctx.db, ids["3"])
    assert edit is not None
    update_task(ctx, ids["3"], replace(edit.draft, parent_id=None), edit.predecessors, edit.version)
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    assert timeline.tasks[-1].id == ids["3"] and timeline.tasks[-1].level == 0


def test_a_task_cannot_go_under_itself_nor_wait_for_its_parent(ctx: Context) -> None:
    ids = sample_project(ctx)
    edit = load_task_edit(ctx.db, ids["2"])
    assert edit is not None
    with pytest.raises(ValidationError, match="parent: a task cannot go under itself"):
        update_task(ctx, ids["2"], replace(edit.draft, parent_id=ids["2.1"]), [], edit.version)
    leaf = load_task_edit(ctx.db, ids["2.2"])
    assert leaf is not None
    refs = [PredecessorRef(ids["2.1"])]
    with pytest.raises(ValidationError, match="is one of its predecessors"):
        update_task(ctx, ids["2.2"], replace(leaf.draft, parent_id=ids["2.1"]), refs, leaf.version)
    with ctx.db.read() as session:
        assert session.get(Task, ids["2.2"]).parent_id == ids["2"]  # type: ignore[union-attr]
