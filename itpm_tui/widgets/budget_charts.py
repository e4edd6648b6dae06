"""The Budget screen's charts: the S-curve (PV, EV, AC) and the budget burn-down.

Both draw on `PlotPanel`, so plotext loads when a chart is first shown, and both read without
colour: every line has its own marker and a label, and today is named in the title.
"""

from __future__ import annotations

from typing import Any

from itpm_tui.domain.money import format_compact, format_money
from itpm_tui.queries.budget import BudgetBurndown, SpendCurve
from itpm_tui.widgets.plot_panel import PlotPanel


class SpendChart(PlotPanel):
    """PV, EV and AC against time with BAC and today; plotext is imported when first shown."""

    DEFAULT_CSS = """
    SpendChart {
        display: none;
        height: 1fr;
        min-height: 8;
    }
    """
    EMPTY = "No baseline yet: nothing to draw."

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, empty_id="curve-empty")
        self.curve: SpendCurve | None = None
        self.currency = "EUR"

    def show(self, curve: SpendCurve, currency: str) -> None:
        self.curve, self.currency = curve, currency
        self.show_plot(not curve.is_empty)

    def draw(self, plt: Any) -> None:
        curve = self.curve
        assert curve is not None
        xs = list(range(len(curve.days)))
        plt.plot(
            xs, [float(v) for v in curve.pv], marker="x", color=self.color("primary"), label="PV"
        )
        for name, series, marker, color in (
            ("EV", curve.ev, "+", "success"),
            ("AC", curve.ac, "dot", "error"),
        ):
            known = [(i, float(v)) for i, v in enumerate(series) if v is not None]
            if known:
                plt.plot(
                    [i for i, _ in known],
                    [v for _, v in known],
                    marker=marker,
                    color=self.color(color),
                    label=name,
                )
        plt.hline(float(curve.bac), color=self.color("foreground-muted"))
        today = next((i for i, d in enumerate(curve.days) if d >= curve.today), None)
        title = f"S-curve · {self.currency} · BAC {format_money(curve.bac, self.currency)}"
        if today is not None:
            plt.vline(today, color=self.color("warning"))
            title += f" · │ today {curve.today:%d %b}"
        plt.title(title)
        plt.xlabel("")
        plt.ylabel("")
        self.date_ticks(plt, curve.days)
        plt.ylim(0, float(max([curve.bac, *curve.pv, *(v for v in curve.ac if v)])) * 1.05 or 1)


# -- the budget burn-down ------------------------------------------------------------------------

NO_SPENDING = "No spending yet: the budget burn-down appears once actual costs are booked."
REMAINING_MARKER = "dot"
PLAN_MARKER = "x"


class BudgetBurndownChart(PlotPanel):
    """Remaining budget against the plan over time, with today; plotext is imported when first
    shown. The lines read without colour: dots labelled "remaining budget", `x` labelled
    "plan", and today a vertical line named in the title."""

    DEFAULT_CSS = """
    BudgetBurndownChart {
        display: none;
        height: 1fr;
        min-height: 8;
    }
    """
    EMPTY = NO_SPENDING

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, empty_id="budget-burndown-empty")
        self.burndown: BudgetBurndown | None = None
        self.currency = "EUR"

    def show(self, burndown: BudgetBurndown, currency: str) -> None:
        self.burndown, self.currency = burndown, currency
        self.show_plot(not burndown.is_empty)

    def draw(self, plt: Any) -> None:
        burndown = self.burndown
        assert burndown is not None
        if burndown.plan:
            plt.plot(
                list(range(len(burndown.plan))),
                [float(v) for v in burndown.plan],
                marker=PLAN_MARKER,
                color=self.color("success"),
                label="plan",
            )
        known = [(i, float(v)) for i, v in enumerate(burndown.remaining) if v is not None]
        if known:
            plt.plot(
                [i for i, _ in known],
                [v for _, v in known],
                marker=REMAINING_MARKER,
                color=self.color("primary"),
                label="remaining budget",
            )
        title = (
            f"Budget burn-down · {self.currency} · BAC {format_money(burndown.bac, self.currency)}"
        )
        today = burndown.today_index
        if today is not None:
            plt.vline(today, color=self.color("warning"))
            title += f" · │ today {burndown.today:%d %b}"
        left = next((v for v in reversed(burndown.remaining) if v is not None), None)
        if left is not None:
            title += f" · {format_compact(left)} left"
        if not burndown.plan:
            title += " · no baseline"
        plt.title(title)
        plt.xlabel("")
        plt.ylabel("")
        self.date_ticks(plt, burndown.days)
        values = [burndown.bac, *burndown.plan, *(v for v in burndown.remaining if v is not None)]
        low = min(0.0, float(min(values)) * 1.05)
        plt.ylim(low, float(max(values)) * 1.05 or 1)
