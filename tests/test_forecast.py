"""One forecast at completion: the category table, its total row, earned value's EAC and
every report give the same figure, and committed money is never forecast away."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from itpm_tui.domain.forecast import (
    AT_BUDGET,
    ForecastBasis,
    category_forecast,
    project_forecast,
)
from itpm_tui.domain.ledger import BudgetLineDraft, EntryDraft
from itpm_tui.domain.money import format_money
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.queries.budget import BudgetFigures, budget_summary, total_of
from itpm_tui.reports import render_report
from itpm_tui.services.budget_lines import add_budget_line
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import set_baseline, update_task
from itpm_tui.storage.models import Task

D = Decimal
EUR = "EUR"

# --- the domain rule -------------------------------------------------------------------------

money = st.decimals(
    min_value=D("-5000"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False
)
spend = st.decimals(min_value=D(0), max_value=D("100000"), places=2)
bases = st.one_of(
    st.just(AT_BUDGET),
    st.just(ForecastBasis(work_left=False)),
    st.decimals(min_value=D("0.01"), max_value=D(20), places=6).map(
        lambda rate: ForecastBasis(cost_rate=rate, unit=D("0.01"))
    ),
)


@given(budget=money, committed=money, actual=money, basis=bases)
def test_committed_money_is_never_forecast_away(
    budget: Decimal, committed: Decimal, actual: Decimal, basis: ForecastBasis
) -> None:
    assert category_forecast(budget, committed, actual, basis) >= actual + committed


@given(
    rows=st.lists(st.tuples(money, money, money), max_size=8),
    basis=bases,
)
def test_the_total_row_is_the_sum_of_its_categories(
    rows: list[tuple[Decimal, Decimal, Decimal]], basis: ForecastBasis
) -> None:
    figures = [BudgetFigures.of(f"c{i}", b, c, a, basis) for i, (b, c, a) in enumerate(rows)]
    total = total_of(figures)
    for name in ("budget", "committed", "actual", "remaining", "forecast", "variance"):
        assert getattr(total, name) == sum((getattr(f, name) for f in figures), D(0)), name
    assert total.forecast == project_forecast(figures, basis)


@given(rows=st.lists(st.tuples(spend, spend, spend), max_size=8))
def test_spending_as_planned_forecasts_the_budget(
    rows: list[tuple[Decimal, Decimal, Decimal]],
) -> None:
    """A cost rate of 1 (work costing what was planned) and no category past its budget:
    the forecast is the budget, category by category."""
    basis = ForecastBasis(cost_rate=D(1))
    for budget, committed, actual in rows:
        expected = max(budget, actual + committed)
        assert category_forecast(budget, committed, actual, basis) == expected


@given(budget=money, committed=money, actual=money)
def test_finished_work_forecasts_only_what_is_spent_and_ordered(
    budget: Decimal, committed: Decimal, actual: Decimal
) -> None:
    done = ForecastBasis(work_left=False)
    assert category_forecast(budget, committed, actual, done) == actual + committed


def test_the_rate_scales_only_the_budget_still_to_spend() -> None:
    """Budget 10,000, 2,000 spent, 3,000 ordered, work costing 1.25 times its budget so far:
    the 5,000 still to spend is forecast at 6,250."""
    basis = ForecastBasis(cost_rate=D("1.25"), unit=D("0.01"))
    assert category_forecast(D(10000), D(3000), D(2000), basis) == D("11250.00")
    # a category past its budget: what it spent and ordered, nothing more
    assert category_forecast(D(1000), D(600), D(700), basis) == D(1300)


def test_without_a_rate_the_budget_holds_unless_spending_passed_it() -> None:
    assert category_forecast(D(1000), D(400), D(0), AT_BUDGET) == D(1000)
    assert category_forecast(D(1000), D(400), D(300), AT_BUDGET) == D(1000)
    assert category_forecast(D(1000), D(0), D(1720), AT_BUDGET) == D(1720)
    assert category_forecast(D(1000), D(600), D(700), AT_BUDGET) == D(1300)


# --- the issue's project, built through the services ------------------------------------------


def _draft(task: Task) -> TaskDraft:
    return TaskDraft(**{f.name: getattr(task, f.name) for f in fields(TaskDraft)})


def firewall(ctx: Context) -> int:
    """33,200 budgeted in four categories, 16,500 ordered, 3,850 invoiced, and 42% of the
    baselined work done (the first of two tasks, 40 of 73 hours, at 77%)."""
    pid = create_project(ctx, ProjectDraft(code="FW-1", name="Branch office firewall"))
    for category, amount in (
        ("hardware", "18000"),
        ("software", "4200"),
        ("labour", "8000"),
        ("vendor services", "3000"),
    ):
        add_budget_line(ctx, pid, BudgetLineDraft(category, "", amount))
    for category, amount, kind in (
        ("hardware", "14000", "committed"),
        ("hardware", "2000", "actual"),
        ("software", "2500", "committed"),
        ("labour", "1850", "actual"),
    ):
        add_entry(ctx, pid, EntryDraft(date(2026, 3, 4), "Reseller", category, "", amount, kind))
    first = add_task(
        ctx,
        pid,
        TaskDraft(
            "Install firewalls",
            planned_start=date(2026, 3, 2),
            planned_finish=date(2026, 3, 13),
            estimate_hours=D(40),
            remaining_hours=D(40),
        ),
    )
    add_task(
        ctx,
        pid,
        TaskDraft(
            "Cut over",
            planned_start=date(2026, 3, 16),
            planned_finish=date(2026, 3, 27),
            estimate_hours=D(33),
            remaining_hours=D(33),
        ),
    )
    set_baseline(ctx, pid)
    with ctx.db.read() as session:
        task = session.exec(select(Task).where(Task.id == first)).one()
        draft, version = _draft(task), task.version
    draft.percent_complete, draft.status = 77, "in progress"
    update_task(ctx, first, draft, [], version)
    return pid


def test_the_issue_reproduced_one_forecast_everywhere(ctx: Context) -> None:
    pid = firewall(ctx)
    summary = budget_summary(ctx.db, pid, TODAY)
    total = summary.total
    assert (total.budget, total.committed, total.actual) == (D(33200), D(16500), D(3850))
    ev = summary.ev
    assert ev is not None and ev.cpi is not None

    # The issue: BAC ÷ CPI alone told the client "EUR 9,125, 24,075 under budget" while
    # 20,350 was already spent or ordered.
    assert (ev.bac * ev.ac / ev.ev).quantize(D("0.01")) == D("9125.00")

    # Now: each category is what it spent and ordered plus its budget still to spend at the
    # cost rate so far (AC ÷ EV = 0.27485), the total row is their sum, and earned value's
    # EAC is that total: 23,881.81 (the category table's figure in the issue was 23,672,
    # and its total row did not add up).
    rate = ev.ac / ev.ev
    by = {c.category: c for c in summary.categories}
    for name, still in (
        ("hardware", D(2000)),
        ("software", D(1700)),
        ("labour", D(6150)),
        ("vendor services", D(3000)),
    ):
        fig = by[name]
        assert fig.remaining == still
        assert fig.forecast == fig.actual + fig.committed + (still * rate).quantize(D("0.01"))
    assert [by[n].forecast for n in ("hardware", "labour", "software", "vendor services")] == [
        D("16549.70"),
        D("3540.32"),
        D("2967.24"),
        D("824.55"),
    ]
    assert total.forecast == D("23881.81") == sum((c.forecast for c in summary.categories), D(0))
    assert total.forecast >= total.actual + total.committed
    assert ev.eac == total.forecast
    assert ev.etc == total.forecast - ev.ac and ev.vac == total.budget - total.forecast
    assert total.variance == ev.vac == D("9318.19")

    # Every report says the same figure.
    shown = format_money(total.forecast, EUR)
    under = format_money(total.variance, EUR)
    for audience in ("executive", "technical"):
        for fmt in ("txt", "md", "html"):
            out = render_report(ctx.db, pid, today=TODAY, audience=audience, fmt=fmt)
            text = " ".join(out.split())
            assert f"will cost {shown}, {under} under budget" in text, (audience, fmt)
            assert "9,125" not in text, (audience, fmt)
    technical = render_report(ctx.db, pid, today=TODAY, audience="technical", fmt="md")
    assert (
        "| **Total** | **33,200.00** | **16,500.00** | **3,850.00** | **23,881.81** | "
        "**9,318.19** | **28.1%** |" in technical
    )
    assert "| EAC | 23,881.81 |" in technical


def test_a_category_over_budget_moves_the_total_variance(ctx: Context) -> None:
    """The issue's other example: one category 72% over, no rate yet (nothing baselined),
    and the total variance used to read 0.00."""
    pid = create_project(ctx, ProjectDraft(code="OV-1", name="Over"))
    add_budget_line(ctx, pid, BudgetLineDraft("hardware", "", "1000"))
    add_budget_line(ctx, pid, BudgetLineDraft("labour", "", "5000"))
    add_entry(ctx, pid, EntryDraft(date(2026, 3, 4), "Reseller", "hardware", "", "1720"))
    summary = budget_summary(ctx.db, pid, TODAY)
    by = {c.category: c for c in summary.categories}
    assert by["hardware"].variance_percent == D("-72.0")
    assert by["labour"].variance == 0
    assert summary.total.forecast == D(6720)
    assert summary.total.variance == D(-720) == by["hardware"].variance + by["labour"].variance


def test_a_past_status_date_forecasts_with_the_ledger_of_that_day(ctx: Context) -> None:
    pid = firewall(ctx)
    add_entry(ctx, pid, EntryDraft(date(2026, 3, 17), "Reseller", "labour", "", "5000"))
    today = budget_summary(ctx.db, pid, TODAY)
    before = budget_summary(ctx.db, pid, TODAY, status_date=date(2026, 3, 16))
    assert today.ev is not None and before.ev is not None
    assert today.ev.eac == today.total.forecast
    # On the 16th the 5,000 was not booked and no progress was recorded yet (the first
    # task's 77% was saved today): no rate, so each category is its budget or its spending.
    assert (before.ev.ac, before.ev.ev) == (D(3850), D(0))
    assert before.ev.eac == D(33200)
    assert "The project is expected to finish on budget (EUR 33,200.00)." in before.ev_lines
    assert before.total == today.total  # the category table stays the ledger as it stands


def test_an_overrun_from_orders_is_not_called_covered(ctx: Context) -> None:
    """Hardware 72% over and labour mostly ordered: the work left fits the money left (TCPI
    0.70), but the forecast is over budget, and the sentences say both without contradiction."""
    pid = create_project(ctx, ProjectDraft(code="OV-2", name="Over by orders"))
    add_budget_line(ctx, pid, BudgetLineDraft("hardware", "", "1000"))
    add_budget_line(ctx, pid, BudgetLineDraft("labour", "", "5000"))
    add_entry(ctx, pid, EntryDraft(date(2026, 3, 4), "Reseller", "hardware", "", "1720"))
    add_entry(
        ctx, pid, EntryDraft(date(2026, 3, 4), "Integrator", "labour", "", "4000", "committed")
    )
    task = add_task(
        ctx,
        pid,
        TaskDraft("Install", planned_start=date(2026, 3, 9), planned_finish=date(2026, 3, 20)),
    )
    set_baseline(ctx, pid)
    with ctx.db.read() as session:
        row = session.exec(select(Task).where(Task.id == task)).one()
        draft, version = _draft(row), row.version
    draft.percent_complete, draft.status = 50, "in progress"
    update_task(ctx, task, draft, [], version)

    summary = budget_summary(ctx.db, pid, TODAY)
    ev = summary.ev
    assert ev is not None and ev.tcpi == D("0.7009")
    # labour: 4,000 ordered + the 1,000 still to spend × 1,720 ÷ 3,000
    assert summary.total.forecast == D("1720") + D("4000") + D("573.33") == ev.eac
    assert summary.ev_lines[-2:] == [
        "At this rate the project will cost EUR 6,293.33, EUR 293.33 over budget.",
        "The remaining work fits the remaining budget at the planned rate; the forecast "
        "overrun is in money already spent or ordered.",
    ]
