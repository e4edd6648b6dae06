"""Red / amber / green, with the reason, from documented rules (see docs/health.md).

The rules, in the order their reasons are listed:

| signal                       | amber from     | red from        |
|------------------------------|----------------|-----------------|
| schedule slip (working days) | 3 days late    | 10 days late    |
| late work (scheduled dates)  | ≥ 1 late task or overdue milestone | — |
| forecast spend over budget   | over by > 0%   | over by ≥ 10%   |
| open risks                   | ≥ 1 high risk  | ≥ 1 critical    |
| pending change requests      | ≥ 1 pending    | —               |
| status                       | on hold        | —               |

A project takes the worst colour any signal gives; closed and cancelled projects are not
rated. Forecast spend is actual plus committed cost. Late work is a task past its scheduled
finish and not done, or a milestone past its scheduled date and not reached (as of today);
how late it is already counts in the slip, so on its own it only makes a project amber.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_UP, Decimal

from itpm_tui.domain.enums import Health, ProjectStatus


@dataclass(frozen=True)
class HealthRules:
    amber_slip_days: int = 3
    red_slip_days: int = 10
    red_overspend_percent: Decimal = Decimal(10)


@dataclass(frozen=True)
class HealthSignals:
    status: str = ProjectStatus.ACTIVE.value
    slip_days: int | None = None  # working days late against the baseline; negative = early
    budget: Decimal = Decimal(0)
    forecast_spend: Decimal = Decimal(0)
    open_high_risks: int = 0  # high and critical together
    open_critical_risks: int = 0
    pending_changes: int = 0
    late_tasks: int = 0  # leaf tasks (milestones excluded) past their scheduled finish, not done
    late_milestones: int = 0  # milestones past their scheduled date, not reached


@dataclass(frozen=True)
class HealthResult:
    health: Health | None  # None: not rated (closed or cancelled)
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


_RANK = {Health.GREEN: 0, Health.AMBER: 1, Health.RED: 2}


def overspend_percent(budget: Decimal, forecast: Decimal) -> Decimal | None:
    """How far forecast spend exceeds the budget, in percent to 0.1, rounded away from zero so
    any overspend shows (None with no budget)."""
    if budget <= 0:
        return None
    return ((forecast - budget) * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_UP)


def assess(signals: HealthSignals, rules: HealthRules = HealthRules()) -> HealthResult:
    if signals.status in (ProjectStatus.CLOSED.value, ProjectStatus.CANCELLED.value):
        return HealthResult(None, [signals.status])
    found: list[tuple[Health, str]] = []
    slip = signals.slip_days
    if slip is not None and slip >= rules.red_slip_days:
        found.append((Health.RED, f"{slip} days late"))
    elif slip is not None and slip >= rules.amber_slip_days:
        found.append((Health.AMBER, f"{slip} days late"))
    if signals.late_milestones:
        n = signals.late_milestones
        found.append((Health.AMBER, f"{n} milestone{'s' if n > 1 else ''} overdue"))
    if signals.late_tasks:
        n = signals.late_tasks
        found.append((Health.AMBER, f"{n} task{'s' if n > 1 else ''} late"))
    over = overspend_percent(signals.budget, signals.forecast_spend)
    if over is None and signals.forecast_spend > 0:
        found.append((Health.AMBER, "spending with no budget"))
    elif over is not None and over >= rules.red_overspend_percent:
        found.append((Health.RED, f"{over}% over budget"))
    elif over is not None and over > 0:
        found.append((Health.AMBER, f"{over}% over budget"))
    if signals.open_critical_risks:
        n = signals.open_critical_risks
        found.append((Health.RED, f"{n} critical risk{'s' if n > 1 else ''}"))
    elif signals.open_high_risks:
        n = signals.open_high_risks
        found.append((Health.AMBER, f"{n} high risk{'s' if n > 1 else ''}"))
    if signals.pending_changes:
        n = signals.pending_changes
        found.append((Health.AMBER, f"{n} change{'s' if n > 1 else ''} pending"))
    if signals.status == ProjectStatus.ON_HOLD.value:
        found.append((Health.AMBER, "on hold"))
    if not found:
        return HealthResult(Health.GREEN, ["on track"])
    worst = max((h for h, _ in found), key=_RANK.__getitem__)
    ordered = sorted(found, key=lambda hr: -_RANK[hr[0]])
    return HealthResult(worst, [reason for _, reason in ordered])
