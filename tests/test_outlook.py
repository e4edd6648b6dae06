"""A project's outlook (the Projects row's forecast, baseline and late counts) is the same
whether worked out leaf by leaf, from the finishes stored with its schedule, or read back
from the database on any day."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st
from test_portfolio_rows import make_stale

from itpm_tui.domain.enums import TaskStatus
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.queries.schedule import ProjectSchedule, ScheduledTask
from itpm_tui.services.context import Context

DAY0 = date(2026, 1, 5)
days = st.none() | st.integers(0, 60).map(lambda n: DAY0 + timedelta(days=n))


@st.composite
def leaves(draw: st.DrawFn) -> ScheduledTask:
    finish = draw(days)
    return ScheduledTask(
        id=draw(st.integers(1, 10_000)),
        parent_id=None,
        wbs="1",
        name="t",
        is_summary=draw(st.booleans()),
        is_milestone=draw(st.booleans()),
        status=draw(st.sampled_from([s.value for s in TaskStatus])),
        percent=0,
        planned_start=None,
        planned_finish=None,
        start=None,
        finish=finish,
        baseline_start=None,
        baseline_finish=draw(days),
        actual_finish=draw(days),
        critical=False,
    )


@given(st.lists(leaves(), max_size=12), st.integers(0, 70))
def test_the_outlook_follows_each_leafs_forecast(tasks: list[ScheduledTask], n: int) -> None:
    today = DAY0 + timedelta(days=n)
    plan = ProjectSchedule(1, tuple(tasks), ())
    outlook = plan.outlook(today)
    late = plan.late(today)
    assert outlook.forecast_finish == plan.forecast_finish(today)
    assert outlook.baseline_finish == plan.baseline_finish()
    assert outlook.late_milestones == sum(t.is_milestone for t in late)
    assert outlook.late_tasks == len(late) - outlook.late_milestones
    for t in tasks:
        assert t.open_kind == (0 if t.is_summary or t.done else 1 + t.is_milestone)


def test_stored_and_scheduled_outlooks_agree_on_every_day(demo_ctx: Context) -> None:
    span = [TODAY + timedelta(days=n) for n in range(-120, 200, 9)]
    stored = [portfolio(demo_ctx.db, day) for day in span]
    assert any(r.late_tasks for rows in stored for r in rows)
    assert any(r.late_milestones for rows in stored for r in rows)
    make_stale(demo_ctx, every=1)  # every row now read from a schedule worked out anew
    assert [portfolio(demo_ctx.db, day) for day in span] == stored
