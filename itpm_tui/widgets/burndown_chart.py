"""The burn-down chart: remaining work per day against the baseline's ideal line, with today.

It only draws what `domain/burndown.py` decided. The lines read without colour: the actual
series is drawn with dots and labelled "remaining", the ideal line with `x` and labelled
"ideal", and today is a vertical line named in the title. Colours follow the app theme, and
with ``NO_COLOR`` set the plot uses plotext's colourless theme.

textual-plotext (and plotext behind it) is imported the first time a chart is drawn, so
screens that never show one never pay for it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itpm_tui.domain.burndown import Burndown
from itpm_tui.widgets.plot_panel import PlotPanel

EMPTY_MESSAGE = "No progress history yet: the burn-down appears once daily snapshots exist."
REMAINING_MARKER = "dot"
IDEAL_MARKER = "x"
TODAY_MARK = "│"


def _tick_label(day: date) -> str:
    return day.strftime("%d %b")


def tick_positions(count: int, width: int) -> list[int]:
    """Day indices to label on an axis of `count` days drawn `width` cells wide."""
    if count <= 0:
        return []
    slots = max(2, width // 12)
    if count <= slots:
        return list(range(count))
    step = -(-(count - 1) // (slots - 1))
    ticks = list(range(0, count, step))
    if ticks[-1] != count - 1:
        if count - 1 - ticks[-1] < step / 2 and len(ticks) > 1:
            ticks[-1] = count - 1
        else:
            ticks.append(count - 1)
    return ticks


class BurndownChart(PlotPanel):
    """A project's burn-down; call `show` with a `Burndown` (an empty one shows a message)."""

    DEFAULT_CSS = """
    BurndownChart {
        height: 12;
        layout: vertical;
    }
    """
    EMPTY = EMPTY_MESSAGE

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, empty_id="burndown-message")
        self.burndown: Burndown | None = None

    def show(self, burndown: Burndown | None) -> None:
        """Draw this burn-down (None or empty: the "no progress history yet" message)."""
        self.burndown = burndown
        self.show_plot(
            burndown is not None
            and not burndown.is_empty
            and bool(burndown.actual or burndown.ideal)
        )

    def draw(self, plt: Any) -> None:
        burndown = self.burndown
        assert burndown is not None
        days = list(burndown.days)
        index = {day: i for i, day in enumerate(days)}
        if burndown.ideal:
            ideal_x = [index[d] for d in days if d in burndown.ideal]
            ideal_y = [float(burndown.ideal[days[i]]) for i in ideal_x]
            plt.plot(
                ideal_x, ideal_y, marker=IDEAL_MARKER, color=self.color("success"), label="ideal"
            )
        if burndown.actual:
            actual_x = [index[d] for d in burndown.actual if d in index]
            actual_y = [float(burndown.actual[days[i]]) for i in actual_x]
            plt.plot(
                actual_x,
                actual_y,
                marker=REMAINING_MARKER,
                color=self.color("primary"),
                label="remaining",
            )
        parts = [f"Burn-down ({burndown.unit.value})"]
        if burndown.today is not None and burndown.today in index:
            plt.vline(index[burndown.today], color=self.color("warning"))
            parts.append(f"{TODAY_MARK} today {_tick_label(burndown.today)}")
        latest = burndown.latest
        if latest is not None:
            parts.append(f"{latest[1].normalize():f} left")
        if not burndown.ideal:
            parts.append("no baseline")
        width = self.size.width or 80
        title = parts[0]
        for part in parts[1:]:
            if len(title) + 3 + len(part) <= width - 8:
                title += f" · {part}"
        plt.title(title)
        plt.ylabel(burndown.unit.value)
        plt.xlabel("")
        ticks = tick_positions(len(days), max(20, width - 10))
        plt.xticks(ticks, [_tick_label(days[i]) for i in ticks])
        plt.xlim(0, len(days) - 0.5)  # room for the today line to clear the frame
        top = max(
            [
                *(float(v) for v in burndown.actual.values()),
                *(float(v) for v in burndown.ideal.values()),
                1.0,
            ]
        )
        plt.ylim(0, top * 1.05)
