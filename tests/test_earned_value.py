"""Earned value: the classic worked example through real PV spreading, then the edge cases."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from itpm_tui.domain import earned_value as ev_module
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.earned_value import (
    BUDGET_OVERSPENT,
    BUDGET_SPENT,
    NO_WORK_LEFT,
    NOTHING_BASELINED,
    NOTHING_EARNED,
    NOTHING_PLANNED,
    NOTHING_SPENT,
    ZERO_BUDGET,
    BaselineItem,
    EvAcPoint,
    Step,
    allocate,
    date_grid,
    describe,
    earned,
    earned_value,
    ev_ac_series,
    planned_value,
    pv_series,
)
from itpm_tui.domain.validation import ValidationError

D = Decimal
START = date(2026, 3, 2)  # a Monday
DAY5 = START + timedelta(days=4)  # end of the 5th of 10 baseline days
FINISH = START + timedelta(days=9)
BAC = D(10_000)


def one_item(percent: int = 40, budget: Decimal | None = BAC) -> list[BaselineItem]:
    return [BaselineItem(START, FINISH, budget=budget, percent_complete=percent, name="Cutover")]


def test_classic_worked_example() -> None:
    """BAC 10,000; PV 5,000, EV 4,000, AC 4,500 at the status date (PMBOK-style example)."""
    ev = earned_value(BAC, one_item(40), D(4500), DAY5)
    assert ev.pv == D(5000)
    assert ev.ev == D(4000)
    assert ev.ac == D(4500)
    assert ev.sv == D(-1000)
    assert ev.cv == D(-500)
    assert ev.spi == D("0.8000")
    assert ev.cpi == D("0.8889")
    assert ev.eac == D(11250)
    assert ev.etc == D(6750)
    assert ev.vac == D(-1250)
    assert ev.tcpi == D("1.0909")
    assert ev.reasons == {}
    assert ev.unallocated == 0


def test_worked_example_reads_in_plain_language() -> None:
    lines = describe(earned_value(BAC, one_item(40), D(4500), DAY5), "EUR")
    assert lines == [
        "20% behind schedule in value terms.",
        "Spending 12% more than planned for the work done.",
        "At this rate the project will cost EUR 11,250.00, EUR 1,250.00 over budget.",
        "To finish within budget the remaining work must be done 9% more efficiently.",
    ]


def test_every_figure_is_decimal_never_float() -> None:
    ev = earned_value(BAC, one_item(40), D(4500), DAY5)
    for name in ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi"):
        assert isinstance(getattr(ev, name), Decimal), name


def test_module_stays_pure_and_float_free() -> None:
    """No UI or SQL imports, and no float literal or float() call in the arithmetic."""
    tree = ast.parse(Path(ev_module.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"textual", "sqlmodel", "sqlalchemy"}
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) is float]
    assert not [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "float"
    ]


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        earned_value(10000.0, one_item(), D(0), DAY5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        earned_value(BAC, one_item(), 4500.0, DAY5)  # type: ignore[arg-type]


# --- planned value spreading ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "pv"),
    [
        (START - timedelta(days=1), D(0)),
        (START, D(1000)),  # the start day counts as a whole day
        (DAY5, D(5000)),
        (FINISH, D(10000)),
        (FINISH + timedelta(days=30), D(10000)),
    ],
)
def test_pv_spreads_linearly_over_inclusive_calendar_days(status: date, pv: Decimal) -> None:
    assert planned_value(BAC, one_item(), status) == pv


def test_pv_over_working_days_skips_the_weekend() -> None:
    cal = WorkCalendar()
    # Mon 2 Mar to Fri 13 Mar: 10 working days over 12 calendar days.
    item = [BaselineItem(START, date(2026, 3, 13), budget=BAC)]
    saturday, monday = date(2026, 3, 7), date(2026, 3, 9)
    counter = cal.working_days_between
    assert planned_value(BAC, item, saturday, day_counter=counter) == D(5000)
    assert planned_value(BAC, item, monday, day_counter=counter) == D(6000)
    friday = date(2026, 3, 6)
    assert planned_value(BAC, item, friday, day_counter=counter) == D(5000)
    assert planned_value(BAC, item, friday) == D("4166.6667")  # 5 of 12 calendar days


def test_item_on_non_working_days_only_is_due_at_its_finish() -> None:
    cal = WorkCalendar()
    sat, sun = date(2026, 3, 7), date(2026, 3, 8)
    item = [BaselineItem(sat, sun, budget=BAC)]
    counter = cal.working_days_between
    assert planned_value(BAC, item, sat, day_counter=counter) == 0
    assert planned_value(BAC, item, sun, day_counter=counter) == BAC


def test_pv_of_an_uneven_split_is_rounded_to_four_places() -> None:
    items = [BaselineItem(START, START + timedelta(days=2), budget=D(100))]
    assert planned_value(D(100), items, START) == D("33.3333")


# --- allocation -----------------------------------------------------------------------------


def test_bac_spread_by_estimate_hours_when_items_have_no_budget() -> None:
    items = [
        BaselineItem(START, FINISH, estimate_hours=D(30)),
        BaselineItem(START, FINISH, estimate_hours=D(10)),
    ]
    budgets, unallocated = allocate(BAC, items)
    assert budgets == [D(7500), D(2500)]
    assert unallocated == 0


def test_spread_shares_add_up_to_bac_exactly() -> None:
    items = [BaselineItem(START, FINISH, estimate_hours=D(1)) for _ in range(3)]
    budgets, _ = allocate(D(100), items)
    assert sum(budgets) == D(100)
    assert sorted(budgets) == [D("33.3333"), D("33.3333"), D("33.3334")]


def test_spread_equally_when_no_item_has_hours() -> None:
    items = [BaselineItem(START, FINISH), BaselineItem(START, FINISH)]
    assert allocate(D(10), items) == ([D(5), D(5)], D(0))


def test_explicit_budgets_kept_and_the_rest_spread_by_hours() -> None:
    items = [
        BaselineItem(START, FINISH, budget=D(4000)),
        BaselineItem(START, FINISH, estimate_hours=D(1)),
        BaselineItem(START, FINISH, estimate_hours=D(2)),
    ]
    assert allocate(BAC, items) == ([D(4000), D(2000), D(4000)], D(0))


def test_budget_not_given_to_any_item_is_reported() -> None:
    ev = earned_value(BAC, one_item(40, budget=D(8000)), D(0), DAY5)
    assert ev.unallocated == D(2000)
    assert ev.pv == D(4000)
    assert describe(ev)[-1] == "2,000.00 of the budget is not assigned to any baselined work."


def test_item_budgets_above_bac_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        allocate(D(100), [BaselineItem(START, FINISH, budget=D(101))])
    assert caught.value.field == "budget"


def test_bad_items_are_all_reported_at_once() -> None:
    items = [
        BaselineItem(FINISH, START, name="Backwards"),
        BaselineItem(START, FINISH, percent_complete=120),
        BaselineItem(START, FINISH, budget=D(-1)),
    ]
    with pytest.raises(ValidationError) as caught:
        earned_value(BAC, items, D(0), DAY5)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["baseline_finish", "percent_complete", "budget"]
    assert "'Backwards'" in caught.value.problems[0].rule
    assert "item 2" in caught.value.problems[1].rule


def test_negative_actual_cost_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        earned_value(BAC, one_item(), D(-1), DAY5)
    assert caught.value.field == "actual_cost"


def test_earned_is_budget_times_percent_complete() -> None:
    items = [
        BaselineItem(START, FINISH, budget=D(6000), percent_complete=50),
        BaselineItem(START, FINISH, budget=D(4000), percent_complete=D("12.5")),
    ]
    assert earned(BAC, items) == D(3500)


# --- not available --------------------------------------------------------------------------


def test_nothing_spent_leaves_cost_figures_not_available() -> None:
    ev = earned_value(BAC, one_item(0), D(0), DAY5)
    assert (ev.cpi, ev.eac, ev.etc, ev.vac) == (None, None, None, None)
    assert ev.reason("cpi") == NOTHING_SPENT
    assert ev.reason("eac") == NOTHING_SPENT
    assert ev.spi == D(0)
    assert ev.tcpi == D(1)
    assert describe(ev)[1:3] == [
        "Cost performance is not available: nothing has been spent yet.",
        "No forecast at completion: nothing has been spent yet.",
    ]


def test_spent_but_nothing_earned_has_cpi_zero_and_no_forecast() -> None:
    ev = earned_value(BAC, one_item(0), D(500), DAY5)
    assert ev.cpi == D(0)
    assert ev.eac is None
    assert ev.reason("eac") == NOTHING_EARNED
    assert describe(ev)[1] == "500.00 spent with no work recorded as done yet."


def test_nothing_baselined() -> None:
    ev = earned_value(BAC, [], D(1200), DAY5)
    assert (ev.pv, ev.ev, ev.ac, ev.sv, ev.cv) == (0, 0, D(1200), 0, D(-1200))
    for name in ("spi", "cpi", "eac", "etc", "vac", "tcpi"):
        assert getattr(ev, name) is None
        assert ev.reason(name) == NOTHING_BASELINED
    assert describe(ev) == ["Earned value is not available: nothing is baselined."]


def test_zero_budget() -> None:
    ev = earned_value(D(0), one_item(50, budget=None), D(300), DAY5)
    assert (ev.pv, ev.ev) == (0, 0)
    assert all(ev.reason(n) == ZERO_BUDGET for n in ("spi", "cpi", "eac", "etc", "vac", "tcpi"))
    assert describe(ev) == ["Earned value is not available: the budget at completion is zero."]


def test_status_date_before_start_has_no_spi() -> None:
    ev = earned_value(BAC, one_item(0), D(0), START - timedelta(days=3))
    assert ev.pv == 0
    assert ev.spi is None
    assert ev.reason("spi") == NOTHING_PLANNED
    assert describe(ev)[0] == (
        "Schedule performance is not available: no work was planned to be done by the status date."
    )


def test_status_date_after_finish_plans_the_whole_budget() -> None:
    ev = earned_value(BAC, one_item(90), D(9000), FINISH + timedelta(days=10))
    assert ev.pv == BAC
    assert ev.spi == D("0.9000")
    assert ev.cpi == D(1)
    assert ev.eac == BAC
    assert ev.vac == 0
    assert ev.tcpi == D(1)
    assert describe(ev) == [
        "10% behind schedule in value terms.",
        "On budget for the work done.",
        "At this rate the project will finish on budget (10,000.00).",
        "The remaining budget covers the remaining work at the planned rate.",
    ]


def test_finished_early_and_under_budget() -> None:
    ev = earned_value(BAC, one_item(100), D(8000), DAY5)
    assert ev.spi == D(2)
    assert ev.cpi == D("1.2500")
    assert ev.eac == D(8000)
    assert ev.etc == 0
    assert ev.vac == D(2000)
    assert ev.tcpi is None
    assert ev.reason("tcpi") == NO_WORK_LEFT
    assert describe(ev) == [
        "100% ahead of schedule in value terms.",
        "Spending 20% less than planned for the work done.",
        "At this rate the project will cost 8,000.00, 2,000.00 under budget.",
    ]


def test_tcpi_not_available_once_the_budget_is_spent() -> None:
    spent = earned_value(BAC, one_item(80), BAC, FINISH)
    assert spent.tcpi is None
    assert spent.reason("tcpi") == BUDGET_SPENT
    over = earned_value(BAC, one_item(80), D(12000), FINISH)
    assert over.tcpi is None
    assert over.reason("tcpi") == BUDGET_OVERSPENT
    assert describe(over)[-1] == (
        "Finishing within budget is no longer possible: "
        "spending has already passed the budget at completion."
    )


def test_tiny_variance_reads_under_one_percent() -> None:
    ev = earned_value(BAC, one_item(50), D("5001"), DAY5)
    assert describe(ev)[1] == "Spending under 1% more than planned for the work done."


# --- series ---------------------------------------------------------------------------------


def test_date_grid_daily_and_weekly_always_ends_on_end() -> None:
    assert date_grid(START, START + timedelta(days=2)) == [
        START,
        START + timedelta(days=1),
        START + timedelta(days=2),
    ]
    assert date_grid(START, START + timedelta(days=10), Step.WEEK) == [
        START,
        START + timedelta(days=7),
        START + timedelta(days=10),
    ]
    assert date_grid(START, START) == [START]
    assert date_grid(START, START - timedelta(days=1)) == []


def test_pv_series_is_the_cumulative_s_curve() -> None:
    items = [
        BaselineItem(START, START + timedelta(days=1), budget=D(2000)),
        BaselineItem(START + timedelta(days=2), START + timedelta(days=3), budget=D(8000)),
    ]
    series = pv_series(BAC, items)
    assert series == [
        (START, D(1000)),
        (START + timedelta(days=1), D(2000)),
        (START + timedelta(days=2), D(6000)),
        (START + timedelta(days=3), D(10000)),
    ]
    values = [v for _, v in pv_series(BAC, one_item(), step="week")]
    assert values == [D(1000), D(8000), D(10000)]


def test_pv_series_with_nothing_baselined_is_empty() -> None:
    assert pv_series(BAC, []) == []
    assert pv_series(BAC, [], START, START + timedelta(days=1)) == [
        (START, D(0)),
        (START + timedelta(days=1), D(0)),
    ]


def test_ev_ac_series_accumulates_costs_and_stops_at_the_status_date() -> None:
    earned_points = [(START + timedelta(days=1), D(500)), (START + timedelta(days=3), D(1500))]
    costs = [
        (START, D(100)),
        (START, D(200)),
        (START + timedelta(days=2), D("50.25")),
        (START + timedelta(days=6), D(999)),
    ]
    status = START + timedelta(days=3)
    series = ev_ac_series(earned_points, costs, START, START + timedelta(days=4), status)
    assert series == [
        EvAcPoint(START, None, D(300)),
        EvAcPoint(START + timedelta(days=1), D(500), D(300)),
        EvAcPoint(START + timedelta(days=2), D(500), D("350.25")),
        EvAcPoint(START + timedelta(days=3), D(1500), D("350.25")),
        EvAcPoint(START + timedelta(days=4), None, None),
    ]


def test_ev_ac_series_weekly_counts_everything_up_to_each_point() -> None:
    costs = [(START + timedelta(days=n), D(10)) for n in range(14)]
    series = ev_ac_series(
        [], costs, START, START + timedelta(days=13), date(2030, 1, 1), step="week"
    )
    assert [p.ac for p in series] == [D(10), D(80), D(140)]
