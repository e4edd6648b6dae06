"""Links on summary tasks: rewritten onto leaves exactly, cycles through summaries refused.

MS Project's own dates for such links are checked in `test_mspdi_recalc.py` (MPXJ); here
the rewriting is held to plain explicit leaf links and to the cycle check on leaves.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.plan import PlannedProject, PlanTask, plan_project
from itpm_tui.domain.schedule import Link, find_cycle
from itpm_tui.domain.summary_links import SummaryTree
from itpm_tui.domain.validation import ValidationError

MON = date(2026, 3, 16)
CAL = WorkCalendar()
Case = tuple[list[PlanTask], list[Link]]


def leaves_under(tasks: list[PlanTask], tid: int) -> list[int]:
    """The plain way: the tasks without children whose ancestors include `tid` (or itself)."""
    parent = {t.id: t.parent_id for t in tasks}
    parents = set(parent.values())

    def below(leaf: int) -> bool:
        node: int | None = leaf
        while node is not None:
            if node == tid:
                return True
            node = parent[node]
        return False

    return [t.id for t in tasks if t.id not in parents and below(t.id)]


@st.composite
def outlines(draw: st.DrawFn, kinds_into: tuple[str, ...], kinds_from: tuple[str, ...]) -> Case:
    """Random outlines with links: into a summary by `kinds_into`, from one by `kinds_from`."""
    n = draw(st.integers(2, 12))
    ids = [10 + i for i in range(n)]
    tasks = []
    for i, tid in enumerate(ids):
        parent = draw(st.none() | st.sampled_from(ids[:i])) if i else None
        start = MON + timedelta(days=draw(st.integers(0, 20)))
        tasks.append(
            PlanTask(
                tid,
                parent,
                f"t{tid}",
                is_milestone=draw(st.booleans()) and draw(st.booleans()),
                planned_start=start,
                planned_finish=start + timedelta(days=draw(st.integers(0, 6))),
            )
        )
    summaries = {t.parent_id for t in tasks}
    raw = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ids),
                st.sampled_from(ids),
                st.sampled_from(("FS", "SS", "FF", "SF")),
                st.integers(-2, 3),
            ),
            max_size=2 * n,
        )
    )
    links = []
    for pred, succ, kind, lag in raw:
        if succ in summaries and kind not in kinds_into:
            continue
        if pred in summaries and kind not in kinds_from:
            continue
        if pred != succ and (pred, succ, kind) not in {
            (k.predecessor, k.successor, k.kind) for k in links
        }:
            links.append(Link(pred, succ, kind, lag))
    return tasks, links


def dates(plan: PlannedProject) -> dict[int, tuple[date | None, date | None]]:
    return {t.id: (t.start, t.finish) for t in plan.tasks}


def explicit(tasks: list[PlanTask], links: list[Link]) -> list[Link]:
    """Each summary link as links between every leaf of its ends."""
    return [
        Link(p, s, lk.kind, lk.lag)
        for lk in links
        for p in leaves_under(tasks, lk.predecessor)
        for s in leaves_under(tasks, lk.successor)
    ]


@settings(max_examples=300, deadline=None)
@given(outlines(("FS", "SS"), ("FS", "FF")))
def test_a_summary_link_dates_the_plan_as_the_links_of_all_its_leaves(case: Case) -> None:
    """Into a summary (FS, SS) and from its finish (FS, FF): the same link for every leaf."""
    tasks, links = case
    got = plan_project(tasks, links, MON, CAL)
    expected = plan_project(tasks, explicit(tasks, links), MON, CAL)
    assert dates(got) == dates(expected)
    assert bool(got.schedule_error) == bool(expected.schedule_error)
    # the same floats; the critical path is one of the driving chains, maybe another one
    assert [(t.critical, t.total_float) for t in got.tasks] == [
        (t.critical, t.total_float) for t in expected.tasks
    ]
    assert set(got.critical_path) <= {t.id for t in got.tasks if t.critical}


@settings(max_examples=300, deadline=None)
@given(outlines(("FS", "SS"), ("FS", "FF", "SS", "SF")))
def test_a_link_from_a_summarys_start_counts_from_its_earliest_leaf(case: Case) -> None:
    """From a summary's start (SS, SF): as the link from the leaf that starts first."""
    tasks, links = case
    got = plan_project(tasks, links, MON, CAL)
    if got.schedule_error:
        return
    start = {t.id: t.start for t in got.tasks}
    summaries = {t.parent_id for t in tasks}
    pinned = []
    for lk in links:
        if lk.predecessor in summaries and lk.kind in ("SS", "SF"):
            under = leaves_under(tasks, lk.predecessor)
            first = min(under, key=lambda leaf: (start[leaf], under.index(leaf)))
            pinned.append(Link(first, lk.successor, lk.kind, lk.lag))
        else:
            pinned.append(lk)
    assert dates(plan_project(tasks, explicit(tasks, pinned), MON, CAL)) == dates(got)


@settings(max_examples=300, deadline=None)
@given(outlines(("FS", "SS"), ("FS", "FF", "SS", "SF")))
def test_links_are_refused_exactly_when_their_leaves_form_a_cycle(case: Case) -> None:
    tasks, links = case
    tree = SummaryTree.of_parents({t.id: t.parent_id for t in tasks})
    names = {t.id: t.name for t in tasks}
    leaf_cycle = find_cycle([t.id for t in tasks], explicit(tasks, links))
    try:
        tree.check_links([], links, names)
    except ValidationError as exc:
        assert "dependency cycle" in exc.rule
        assert leaf_cycle is not None
    else:
        assert leaf_cycle is None


def test_nested_summaries_hold_back_and_wait_for_every_task_under_them() -> None:
    tasks = [
        PlanTask(1, None, "Kick-off", planned_start=MON, planned_finish=date(2026, 3, 17)),
        PlanTask(2, None, "Build"),
        PlanTask(3, 2, "Code", planned_start=MON, planned_finish=MON),
        PlanTask(4, 2, "Infra"),
        PlanTask(5, 4, "Rack", planned_start=MON, planned_finish=date(2026, 3, 18)),
        PlanTask(6, None, "Live", is_milestone=True, planned_start=MON, planned_finish=MON),
        PlanTask(7, None, "Watch", planned_start=MON, planned_finish=MON),
    ]
    links = [Link(1, 2), Link(4, 6), Link(2, 7, "SS", 1)]
    plan = {t.id: t for t in plan_project(tasks, links, MON, CAL).tasks}
    assert (plan[3].start, plan[5].start) == (date(2026, 3, 18), date(2026, 3, 18))
    assert (plan[5].finish, plan[6].start) == (date(2026, 3, 20), date(2026, 3, 20))
    assert (plan[2].start, plan[2].finish) == (date(2026, 3, 18), date(2026, 3, 20))
    assert plan[7].start == date(2026, 3, 19)  # a day after Build's first task starts
    assert plan[2].successors == (Link(2, 7, "SS", 1),) and plan[6].predecessors == (Link(4, 6),)


def test_check_link_names_the_cycle_through_the_summary_and_refuses_ff_into_one() -> None:
    tree = SummaryTree.of_parents({1: None, 2: 1, 3: 1, 4: None})
    names = {1: "Phase", 2: "A", 3: "B", 4: "C"}
    with pytest.raises(ValidationError, match="dependency cycle: Phase → A → Phase"):
        tree.check_link([], Link(2, 1), names)  # A before its own phase
    with pytest.raises(ValidationError, match="dependency cycle: B → Phase → B"):
        tree.check_link([], Link(1, 3, "SS"), names)  # B after its own phase's start
    with pytest.raises(ValidationError, match="dependency cycle: Phase → B → C → Phase"):
        tree.check_link([Link(3, 4)], Link(4, 1), names)
    with pytest.raises(ValidationError, match=r"Phase is a summary task: .*FS or SS only"):
        tree.check_link([], Link(4, 1, "FF"), names)
    with pytest.raises(ValidationError, match="Phase cannot depend on itself"):
        tree.check_link([], Link(1, 1), names)
    with pytest.raises(ValidationError, match="C already has Phase as FS predecessor"):
        tree.check_link([Link(1, 4)], Link(1, 4), names)
    tree.check_link([Link(3, 4)], Link(1, 4, "SF", 2), names)  # C after all of Phase: fine
    # from Phase's start: from its leaf starting first; into it: through its start hub
    assert tree.expand([Link(1, 4, "SF", 2), Link(4, 1, "SS", 1), Link(1, 4)], {1: 3}) == (
        [
            Link(3, 4, "SF", 2),
            Link(-2, 2, "SS"),
            Link(-2, 3, "SS"),
            Link(4, -2, "SS", 1),
            Link(2, -3, "FF"),
            Link(3, -3, "FF"),
            Link(-3, 4),
        ],
        {-2: 1, -3: 1},
    )


def test_a_task_waiting_by_ff_or_sf_cannot_become_a_summary_but_one_stored_stays() -> None:
    names = {1: "Phase", 2: "A", 3: "Report", 4: "Draft", 5: "Vendor"}
    links = [Link(2, 3, "FF"), Link(5, 1, "SF")]  # Phase's SF came before this rule
    tree = SummaryTree.of_parents({1: None, 2: 1, 3: None, 4: 3, 5: None})  # Draft under Report
    with pytest.raises(ValidationError, match=r"^parent: Report waits for A by FF, .*FS or SS"):
        tree.check_links(links, [], names, was_summary={1})
    with pytest.raises(ValidationError, match=r"remove the FF link from A first$"):
        tree.check_new_summaries(links, {1}, names)
    tree.check_links(links, [], names)  # only a change of parents asks
    tree.check_links(links, [], names, was_summary={1, 3})  # Report was one already
    kinds = {"FS": True, "SS": True, "FF": False, "SF": False}
    for kind, allowed in kinds.items():
        if allowed:
            tree.check_new_summaries([Link(2, 3, kind)], {1}, names)
        else:
            with pytest.raises(ValidationError, match=f"remove the {kind} link from A first"):
                tree.check_new_summaries([Link(2, 3, kind)], {1}, names)
