from decimal import Decimal

import pytest

from itpm_tui.domain.enums import Health
from itpm_tui.domain.health import HealthSignals, assess, overspend_percent


def test_on_track_is_green() -> None:
    result = assess(HealthSignals(slip_days=0, budget=Decimal(100), forecast_spend=Decimal(50)))
    assert result.health is Health.GREEN
    assert result.reason == "on track"


@pytest.mark.parametrize(
    ("signals", "health", "reason"),
    [
        (HealthSignals(slip_days=2), Health.GREEN, "on track"),
        (HealthSignals(slip_days=3), Health.AMBER, "3 days late"),
        (HealthSignals(slip_days=10), Health.RED, "10 days late"),
        (HealthSignals(slip_days=-5), Health.GREEN, "on track"),
        (
            HealthSignals(budget=Decimal(100), forecast_spend=Decimal("100.01")),
            Health.AMBER,
            "0.1% over budget",
        ),
        (
            HealthSignals(budget=Decimal(100), forecast_spend=Decimal(105)),
            Health.AMBER,
            "5.0% over budget",
        ),
        (
            HealthSignals(budget=Decimal(100), forecast_spend=Decimal(110)),
            Health.RED,
            "10.0% over budget",
        ),
        (HealthSignals(forecast_spend=Decimal(1)), Health.AMBER, "spending with no budget"),
        (HealthSignals(open_high_risks=2), Health.AMBER, "2 high risks"),
        (HealthSignals(open_high_risks=1, open_critical_risks=1), Health.RED, "1 critical risk"),
        (HealthSignals(pending_changes=1), Health.AMBER, "1 change pending"),
        (HealthSignals(status="on hold"), Health.AMBER, "on hold"),
        (HealthSignals(late_tasks=1), Health.AMBER, "1 task late"),
        (HealthSignals(late_tasks=3), Health.AMBER, "3 tasks late"),
        (HealthSignals(late_milestones=1), Health.AMBER, "1 milestone overdue"),
        (
            HealthSignals(late_milestones=2, late_tasks=1),
            Health.AMBER,
            "2 milestones overdue; 1 task late",
        ),
        (HealthSignals(slip_days=12, late_tasks=1), Health.RED, "12 days late; 1 task late"),
    ],
)
def test_each_rule(signals: HealthSignals, health: Health, reason: str) -> None:
    result = assess(signals)
    assert result.health is health
    assert result.reason == reason


def test_worst_signal_wins_and_red_reasons_come_first() -> None:
    result = assess(HealthSignals(slip_days=4, open_critical_risks=1, open_high_risks=1))
    assert result.health is Health.RED
    assert result.reasons == ["1 critical risk", "4 days late"]


def test_closed_projects_are_not_rated() -> None:
    assert assess(HealthSignals(status="closed", slip_days=30)).health is None


def test_overspend_with_no_budget_is_not_a_division() -> None:
    assert overspend_percent(Decimal(0), Decimal(10)) is None
