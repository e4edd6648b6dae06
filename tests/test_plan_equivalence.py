"""Plans rolled up by the fast `plan_project` equal those of the plain one, on random outlines.

`reference_plan` is `plan_project` as it was before it read durations and slips from the
calendar's remembered answers and handed the outline its tasks directly (unchanged, on the
scheduler `test_schedule_equivalence.py` holds to its own reference).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.outline import OutlineItem, outline
from itpm_tui.domain.plan import (
    PlannedProject,
    PlannedTask,
    PlanTask,
    leaf_duration,
    plan_project,
)
from itpm_tui.domain.schedule import Link, ScheduleTask, schedule, schedule_variance_days
from itpm_tui.domain.validation import ValidationError

BASE = date(2026, 1, 5)
KINDS = ("FS", "SS", "FF", "SF")
Case = tuple[list[PlanTask], list[Link], date | None, WorkCalendar]


@st.composite
def plans(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 16))
    ids = [100 + 3 * i for i in range(n)]
    tasks = []
    for i, tid in enumerate(ids):
        parent = draw(st.none() | st.sampled_from(ids[:i])) if i else None
        start = draw(st.none() | st.integers(0, 60).map(lambda d: BASE + timedelta(days=d)))
        length = draw(st.integers(-2, 12))
        finish = None if start is None or length < 0 else start + timedelta(days=length)
        b = draw(st.none() | st.integers(0, 80).map(lambda d: BASE + timedelta(days=d)))
        tasks.append(
            PlanTask(
                id=tid,
                parent_id=parent,
                name=f"t{i}",
                wbs=draw(st.sampled_from(["", "", "X.1"])),
                is_milestone=draw(st.booleans()),
                percent_complete=draw(st.sampled_from([0, 25, 50, 100])),
                planned_start=start,
                planned_finish=finish,
                baseline_start=b,
                baseline_finish=None if b is None else b + timedelta(days=draw(st.integers(0, 9))),
                done=draw(st.booleans()),
            )
        )
    raw = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(KINDS),
                      st.integers(-2, 3)),
            max_size=2 * n,
        )
    )  # fmt: skip
    cyclic = draw(st.booleans())
    parents = {t.parent_id for t in tasks}  # summary links: test_summary_links.py
    links = [
        Link(ids[a], ids[b], kind, lag)
        for a, b, kind, lag in raw
        if a != b and (cyclic or a < b) and not {ids[a], ids[b]} & parents
    ]
    holidays = draw(st.lists(st.integers(0, 90).map(lambda d: BASE + timedelta(days=d))))
    start = draw(st.none() | st.integers(0, 6).map(lambda d: BASE + timedelta(days=d)))
    return tasks, links, start, WorkCalendar(holidays)


@settings(max_examples=300, deadline=None)
@given(plans())
def test_plan_equals_the_reference(case: Case) -> None:
    tasks, links, start, cal = case
    expected = reference_plan(tasks, links, start, WorkCalendar(cal.holidays))
    assert plan_project(tasks, links, start, cal) == expected


# -- the reference: the plan before the fast roll-up, unchanged ------------------------------


def reference_plan(
    tasks: Sequence[PlanTask],
    links: Iterable[Link],
    project_start: date | None,
    calendar: WorkCalendar,
) -> PlannedProject:
    """Schedule the leaves, then roll dates, baselines and progress up the outline.

    Links that touch a summary are ignored; a stored cycle is reported in `schedule_error` and
    the leaves keep their planned dates."""
    by_id = {t.id: t for t in tasks}
    rows = outline([OutlineItem(t.id, t.parent_id, t.wbs) for t in tasks])
    leaves = [by_id[r.id] for r in rows if not r.children]
    leaf_ids = {t.id for t in leaves}
    link_list = [
        link for link in links if link.predecessor in leaf_ids and link.successor in leaf_ids
    ]
    lengths: dict[tuple[bool, date | None, date | None], int] = {}  # many leaves share dates
    durations = {}
    for t in leaves:
        key = (t.is_milestone, t.planned_start, t.planned_finish)
        length = lengths.get(key)
        if length is None:
            length = lengths[key] = leaf_duration(*key, calendar)
        durations[t.id] = length
    slips: dict[tuple[date | None, date | None], int | None] = {}

    def slip(baseline: date | None, finish: date | None) -> int | None:
        key = (baseline, finish)
        if key not in slips:
            slips[key] = schedule_variance_days(baseline, finish, calendar)
        return slips[key]

    dates, critical, floats, path, error = _reference_leaves(
        leaves, durations, link_list, project_start, calendar
    )

    # Summaries span their children: walk the outline bottom-up.
    spans: dict[int, tuple[date | None, date | None, int, int]] = {}  # start, finish, work, done
    base: dict[int, tuple[date | None, date | None]] = {}
    for row in reversed(rows):
        task = by_id[row.id]
        if not row.children:
            start, finish = dates[row.id]
            work = durations[row.id]
            spans[row.id] = (start, finish, work, work * task.percent_complete)
            base[row.id] = (task.baseline_start, task.baseline_finish)
            continue
        kids = row.children
        starts = [d for k in kids if (d := spans[k][0]) is not None]
        finishes = [d for k in kids if (d := spans[k][1]) is not None]
        work = sum(spans[k][2] for k in kids)
        done = sum(spans[k][3] for k in kids)
        spans[row.id] = (min(starts, default=None), max(finishes, default=None), work, done)
        b_starts = [d for k in kids if (d := base[k][0]) is not None]
        b_finishes = [d for k in kids if (d := base[k][1]) is not None]
        base[row.id] = (
            task.baseline_start or min(b_starts, default=None),
            task.baseline_finish or max(b_finishes, default=None),
        )

    preds: dict[int, list[Link]] = {}
    succs: dict[int, list[Link]] = {}
    for link in link_list:
        preds.setdefault(link.successor, []).append(link)
        succs.setdefault(link.predecessor, []).append(link)

    planned = []
    for row in rows:
        task = by_id[row.id]
        start, finish, work, done = spans[row.id]
        summary = bool(row.children)
        if summary:
            percent = done // work if work else task.percent_complete
            duration = calendar.count_working_days(start, finish) if start and finish else 0
        else:
            percent = task.percent_complete
            duration = durations[row.id]
        planned.append(
            PlannedTask(
                id=row.id,
                level=row.level,
                wbs=row.code,
                is_summary=summary,
                percent=percent,
                start=start,
                finish=finish,
                baseline_start=base[row.id][0],
                baseline_finish=base[row.id][1],
                duration=duration,
                critical=critical.get(row.id, False),
                total_float=floats.get(row.id),
                slip_days=slip(base[row.id][1], finish),
                predecessors=tuple(preds.get(row.id, ())),
                successors=tuple(succs.get(row.id, ())),
            )
        )
    return PlannedProject(planned, path, error)


def _reference_leaves(
    leaves: list[PlanTask],
    durations: dict[int, int],
    links: list[Link],
    project_start: date | None,
    calendar: WorkCalendar,
) -> tuple[
    dict[int, tuple[date | None, date | None]], dict[int, bool], dict[int, int], list[int], str
]:
    """Early dates, critical flags, total floats, critical path and error of the leaves; a leaf
    that cannot be scheduled (no dates at all, or a stored cycle) keeps its plan."""
    planned = [t.planned_start for t in leaves if t.planned_start]
    begin = min([*planned, *([project_start] if project_start else [])], default=None)
    error = ""
    dates: dict[int, tuple[date | None, date | None]] = {}
    critical: dict[int, bool] = {}
    floats: dict[int, int] = {}
    path: list[int] = []
    if leaves and begin is not None:
        try:
            result = schedule(
                [
                    ScheduleTask(t.id, durations[t.id], t.planned_start, t.name, t.done)
                    for t in leaves
                ],
                links,
                begin,
                calendar,
            )
        except ValidationError as exc:
            error = exc.rule
        else:
            for tid, ts in result.tasks.items():
                dates[tid] = (ts.early_start, ts.early_finish)
                critical[tid] = ts.critical
                floats[tid] = ts.total_float
            path = result.critical_path
    for t in leaves:
        if t.id not in dates:
            dates[t.id] = (t.planned_start, t.planned_finish or t.planned_start)
    return dates, critical, floats, path, error
