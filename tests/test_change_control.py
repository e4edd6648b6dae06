"""Change control rules: validation of a change request, the decisions allowed, and the
working-day shift an approval applies to the schedule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.change_control import (
    MAX_SCHEDULE_DAYS,
    ChangeDraft,
    CleanChange,
    check_editable,
    check_status,
    check_transition,
    shift,
    signed_days,
    validate_change,
)
from itpm_tui.domain.enums import ChangeStatus
from itpm_tui.domain.validation import ValidationError

pytestmark = pytest.mark.both_backends

GOOD_FRIDAY = date(2026, 4, 3)
EASTER_MONDAY = date(2026, 4, 6)
EASTER = WorkCalendar([GOOD_FRIDAY, EASTER_MONDAY])


def draft(**changes: object) -> ChangeDraft:
    values: dict[str, object] = {
        "title": "Add ward Wi-Fi",
        "requested_on": date(2026, 3, 16),
        "requested_by": "Dr. Hannah Weiss",
        "description": "Replace 64 access points in the same windows.",
        "cost_impact": "4,000.00",
        "schedule_impact_days": "5",
    }
    values.update(changes)
    return ChangeDraft(**values)  # type: ignore[arg-type]


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {p.field: p.rule for p in exc.value.problems}


# --- validation ------------------------------------------------------------------------------


def test_valid_change_is_cleaned() -> None:
    clean = validate_change(draft(title="  Add ward Wi-Fi ", requested_by=" Hannah "), "EUR")
    assert clean == CleanChange(
        title="Add ward Wi-Fi",
        requested_by="Hannah",
        requested_on=date(2026, 3, 16),
        description="Replace 64 access points in the same windows.",
        cost_impact=Decimal("4000.00"),
        schedule_impact_days=5,
    )


def test_negative_impacts_are_a_saving_and_an_earlier_finish() -> None:
    clean = validate_change(draft(cost_impact="-1,250.50", schedule_impact_days="-3"), "EUR")
    assert clean.cost_impact == Decimal("-1250.50")
    assert clean.schedule_impact_days == -3


def test_typed_date_text_and_signed_days_are_read() -> None:
    clean = validate_change(
        draft(requested_on="16.03.2026", schedule_impact_days="+5 wd"), "EUR", "%d.%m.%Y"
    )
    assert clean.requested_on == date(2026, 3, 16)
    assert clean.schedule_impact_days == 5


def test_empty_impacts_mean_none() -> None:
    clean = validate_change(draft(cost_impact=" ", schedule_impact_days=""), "EUR")
    assert (clean.cost_impact, clean.schedule_impact_days) == (Decimal("0.00"), 0)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_change(
            draft(
                title=" ",
                requested_on="yesterday",
                cost_impact="12.345",
                schedule_impact_days="2.5",
            ),
            "EUR",
        )
    found = problems(exc)
    assert set(found) == {"title", "requested on", "cost impact", "schedule impact"}
    assert found["title"] == "must not be empty"
    assert "'yesterday' is not a date" in found["requested on"]
    assert "at most 2 decimal places" in found["cost impact"]
    assert "whole number of working days" in found["schedule impact"]


def test_requested_on_is_required() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_change(draft(requested_on=None), "EUR")
    assert problems(exc) == {"requested on": "is required"}


def test_cost_follows_the_currency_minor_units() -> None:
    assert validate_change(draft(cost_impact="1500"), "JPY").cost_impact == Decimal(1500)
    with pytest.raises(ValidationError) as exc:
        validate_change(draft(cost_impact="1500.5"), "JPY")
    assert "JPY amounts have at most 0 decimal places" in problems(exc)["cost impact"]
    assert validate_change(draft(cost_impact="1.125"), "KWD").cost_impact == Decimal("1.125")


@pytest.mark.parametrize("text", ["abc", "1e3", "NaN", "inf"])
def test_cost_must_be_a_decimal_amount(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_change(draft(cost_impact=text), "EUR")
    assert "is not a decimal amount" in problems(exc)["cost impact"]


@pytest.mark.parametrize("days", [MAX_SCHEDULE_DAYS + 1, -MAX_SCHEDULE_DAYS - 1, "400"])
def test_schedule_impact_is_bounded(days: object) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_change(draft(schedule_impact_days=days), "EUR")
    assert "between -365 and 365" in problems(exc)["schedule impact"]


def test_schedule_bounds_are_allowed() -> None:
    assert validate_change(draft(schedule_impact_days=365), "EUR").schedule_impact_days == 365
    assert validate_change(draft(schedule_impact_days="-365"), "EUR").schedule_impact_days == -365


def test_long_texts_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_change(draft(title="x" * 201, description="y" * 4001), "EUR")
    assert set(problems(exc)) == {"title", "description"}


# --- decisions -------------------------------------------------------------------------------


@pytest.mark.parametrize("new", ["approved", "rejected", "withdrawn"])
def test_a_proposed_change_can_be_decided(new: str) -> None:
    check_transition("proposed", new)


@pytest.mark.parametrize("current", ["approved", "rejected", "withdrawn"])
@pytest.mark.parametrize("new", [s.value for s in ChangeStatus])
def test_a_decided_change_is_final(current: str, new: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_transition(current, new, "change #4")
    assert problems(exc) == {
        "status": f"change #4 is already {current}; only a proposed change can be decided"
    }


def test_proposing_again_is_not_a_decision() -> None:
    with pytest.raises(ValidationError, match="already proposed"):
        check_transition("proposed", "proposed")


def test_status_must_be_known() -> None:
    check_status("withdrawn")
    with pytest.raises(ValidationError) as exc:
        check_status("maybe")
    assert problems(exc)["status"].startswith("must be one of proposed, approved, rejected")
    with pytest.raises(ValidationError):
        check_transition("proposed", "maybe")


def test_only_a_proposed_change_can_be_edited() -> None:
    check_editable("proposed")
    with pytest.raises(ValidationError, match="change #2 is approved; only a proposed"):
        check_editable("approved", "change #2")


# --- working-day shift -----------------------------------------------------------------------


def test_shift_skips_weekends_and_holidays() -> None:
    thursday = date(2026, 4, 2)
    assert shift(EASTER, thursday, 1) == date(2026, 4, 7)  # Good Friday to Easter Monday off
    assert shift(EASTER, date(2026, 4, 7), -1) == thursday
    assert shift(EASTER, date(2026, 5, 4), 5) == date(2026, 5, 11)
    assert shift(EASTER, date(2026, 3, 30), 10) == date(2026, 4, 15)


def test_shift_from_a_day_off_counts_from_the_next_working_day() -> None:
    saturday = date(2026, 3, 21)
    assert shift(EASTER, saturday, 1) == date(2026, 3, 23)
    assert shift(EASTER, saturday, -1) == date(2026, 3, 20)
    assert shift(EASTER, saturday, 0) == saturday


def test_signed_days() -> None:
    assert [signed_days(n) for n in (5, -2, 0)] == ["+5 wd", "-2 wd", "0 wd"]


BASE = date(2026, 1, 1)
calendars = st.builds(
    WorkCalendar,
    st.lists(st.integers(0, 400).map(lambda i: BASE + timedelta(days=i)), max_size=30),
)
days = st.integers(0, 400).map(lambda i: BASE + timedelta(days=i))


@settings(max_examples=200, deadline=None)
@given(calendars, days, st.integers(-MAX_SCHEDULE_DAYS, MAX_SCHEDULE_DAYS))
def test_shift_then_shift_back_returns_a_working_day(cal: WorkCalendar, d: date, n: int) -> None:
    if not cal.is_working(d):
        d = cal.on_or_after(d)
    moved = shift(cal, d, n)
    assert shift(cal, moved, -n) == d
    assert cal.working_days_between(d, moved) == n
    assert n == 0 or cal.is_working(moved)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["EUR", "GBP", "USD"]),
)
def test_amounts_keep_their_minor_units(amount: Decimal, currency: str) -> None:
    typed = f"{amount:,.2f}"
    clean = validate_change(draft(cost_impact=typed), currency)
    assert clean.cost_impact == amount
    assert clean.cost_impact.as_tuple().exponent == -2
    assert validate_change(draft(cost_impact=amount), currency).cost_impact == amount
