"""Pure planning rules: the outline walk, the roll-up of a work breakdown, form date rules."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.outline import OutlineItem, OutlineRow, outline
from itpm_tui.domain.plan import PlanTask, leaf_duration, plan_project
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.tasks import reconcile_dates
from itpm_tui.domain.validation import Problem

MON = date(2026, 3, 16)
FRI = date(2026, 3, 20)
CAL = WorkCalendar()


# --- outline ----------------------------------------------------------------------------


def test_outline_numbers_depth_first_in_the_given_order() -> None:
    rows = outline(
        [
            OutlineItem(10, None),
            OutlineItem(11, 10),
            OutlineItem(12, 10, "X"),
            OutlineItem(13, 12),
            OutlineItem(20, None),
            OutlineItem(30, 99),  # a parent from elsewhere: top level
        ]
    )
    assert rows == [
        OutlineRow(10, 0, "1", "1", (11, 12)),
        OutlineRow(11, 1, "1.1", "1.1"),
        OutlineRow(12, 1, "1.2", "X", (13,)),
        OutlineRow(13, 2, "1.2.1", "X.1"),
        OutlineRow(20, 0, "2", "2"),
        OutlineRow(30, 0, "3", "3"),
    ]


def test_outline_ends_on_a_parent_loop_and_lists_each_task_once() -> None:
    rows = outline(
        [
            OutlineItem(1, None),
            OutlineItem(2, 3),
            OutlineItem(3, 2, "L"),
            OutlineItem(4, 4),  # its own parent
            OutlineItem(5, 2),  # hangs off the loop
        ]
    )
    assert [(r.id, r.level, r.number, r.code, r.children) for r in rows] == [
        (1, 0, "1", "1", ()),
        (2, 0, "2", "#2", ()),
        (3, 0, "3", "L", ()),
        (4, 0, "4", "#4", ()),
        (5, 0, "5", "#5", ()),
    ]


@st.composite
def forests(draw: st.DrawFn) -> list[OutlineItem]:
    """Any parent links at all, loops and unknown parents included."""
    n = draw(st.integers(0, 25))
    ids = list(range(1, n + 1))
    parent = st.one_of(st.none(), st.sampled_from([*ids, 999])) if ids else st.none()
    return [OutlineItem(i, draw(parent)) for i in ids]


@settings(max_examples=300, deadline=None)
@given(forests())
def test_outline_is_a_preorder_of_every_task_once(items: list[OutlineItem]) -> None:
    rows = outline(items)
    assert sorted(r.id for r in rows) == sorted(i.id for i in items)
    position = {r.id: n for n, r in enumerate(rows)}
    by_id = {r.id: r for r in rows}
    for row in rows:
        for child in row.children:
            kid = by_id[child]
            assert position[child] > position[row.id]
            assert kid.level == row.level + 1
            assert kid.number.rsplit(".", 1)[0] == row.number
        # a subtree is contiguous: preorder
        size = _subtree_size(row, by_id)
        block = rows[position[row.id] : position[row.id] + size]
        assert all(r.number == row.number or r.number.startswith(row.number + ".") for r in block)
    assert len({r.number for r in rows}) == len(rows)


def _subtree_size(row: OutlineRow, by_id: dict[int, OutlineRow]) -> int:
    return 1 + sum(_subtree_size(by_id[k], by_id) for k in row.children)


def test_outline_of_a_deep_chain_does_not_recurse() -> None:
    items = [OutlineItem(1, None)] + [OutlineItem(i, i - 1) for i in range(2, 5001)]
    rows = outline(items)
    assert rows[-1].level == 4999


# --- plan roll-up -----------------------------------------------------------------------


def test_plan_schedules_leaves_and_rolls_summaries_up() -> None:
    tasks = [
        PlanTask(1, None, "Build"),
        PlanTask(2, 1, "Design", planned_start=MON, planned_finish=date(2026, 3, 17)),
        PlanTask(3, 1, "Code", percent_complete=50, planned_start=MON, planned_finish=FRI),
        PlanTask(4, None, "Live", is_milestone=True, planned_start=FRI, planned_finish=FRI),
    ]
    links = [Link(2, 3, "FS", 0), Link(1, 4, "FS", 0)]  # Live waits for all of Build
    plan = plan_project(tasks, links, MON, CAL)
    by_id = {t.id: t for t in plan.tasks}
    assert [t.wbs for t in plan.tasks] == ["1", "1.1", "1.2", "2"]
    code = by_id[3]
    assert (code.start, code.finish) == (date(2026, 3, 18), date(2026, 3, 24))
    assert code.predecessors == (Link(2, 3, "FS", 0),)
    summary = by_id[1]
    assert summary.is_summary and (summary.start, summary.finish) == (MON, date(2026, 3, 24))
    assert summary.percent == (5 * 50) // 7
    assert summary.duration == 7
    live = by_id[4]
    assert live.duration == 0 and live.predecessors == (Link(1, 4, "FS", 0),)
    assert (live.start, live.finish) == (date(2026, 3, 24), date(2026, 3, 24))
    assert summary.successors == (Link(1, 4, "FS", 0),)
    assert plan.critical_path == [2, 3, 4]
    assert plan.schedule_error == ""


def test_plan_reports_a_link_cycle_and_keeps_the_planned_dates() -> None:
    tasks = [
        PlanTask(1, None, "A", planned_start=MON, planned_finish=MON),
        PlanTask(2, None, "B", planned_start=FRI, planned_finish=FRI),
    ]
    plan = plan_project(tasks, [Link(1, 2, "FS", 0), Link(2, 1, "FS", 0)], MON, CAL)
    assert "cycle" in plan.schedule_error
    assert [(t.start, t.finish) for t in plan.tasks] == [(MON, MON), (FRI, FRI)]


def test_plan_survives_a_parent_loop() -> None:
    tasks = [PlanTask(1, 2, "A", planned_start=MON), PlanTask(2, 1, "B", planned_start=FRI)]
    plan = plan_project(tasks, [], None, CAL)
    assert [(t.id, t.level, t.is_summary) for t in plan.tasks] == [(1, 0, False), (2, 0, False)]


def test_leaf_duration() -> None:
    assert leaf_duration(True, MON, FRI, CAL) == 0
    assert leaf_duration(False, None, FRI, CAL) == 1
    assert leaf_duration(False, MON, FRI, CAL) == 5


# --- the task form's dates --------------------------------------------------------------


def reconcile(
    start: date | None,
    finish: date | None,
    duration: int | None,
    milestone: bool = False,
    *,
    finish_moved: bool = False,
    duration_moved: bool = False,
) -> tuple[tuple[date | None, date | None], list[Problem]]:
    problems: list[Problem] = []
    dates = reconcile_dates(
        start,
        finish,
        duration,
        milestone,
        CAL,
        finish_moved=finish_moved,
        duration_moved=duration_moved,
        problems=problems,
    )
    return dates, problems


def test_a_moved_start_keeps_the_duration() -> None:
    assert reconcile(MON, MON, 5) == ((MON, FRI), [])


def test_a_moved_finish_changes_the_duration() -> None:
    assert reconcile(MON, date(2026, 3, 18), 5, finish_moved=True) == (
        (MON, date(2026, 3, 18)),
        [],
    )


def test_both_moved_must_agree() -> None:
    (_, problems) = reconcile(MON, date(2026, 3, 18), 5, finish_moved=True, duration_moved=True)
    assert problems == [
        Problem(
            "duration",
            "5 working days from 2026-03-16 end on 2026-03-20, not on the finish 2026-03-18; "
            "change one of them",
        )
    ]


def test_milestones_and_bad_durations() -> None:
    assert reconcile(None, FRI, 0, True) == ((FRI, FRI), [])
    assert reconcile(MON, None, 2, True, duration_moved=True)[1] == [
        Problem("duration", "a milestone lasts 0 working days")
    ]
    # Ticking Milestone on a task that had a duration is not a contradiction: the old
    # duration was not typed with the tick, and the milestone sits on the start.
    assert reconcile(MON, None, 2, True) == ((MON, MON), [])
    assert reconcile(MON, FRI, 0)[1] == [
        Problem("duration", "must be at least 1 working day (tick Milestone for 0)")
    ]
    assert reconcile(None, FRI, 3)[1] == [Problem("start", "is needed to place 3 working days")]
    assert reconcile(MON, FRI, None) == ((MON, FRI), [])
