"""The burn-down chart: remaining work per day against the baseline's ideal line, with today.

It only draws what `domain/burndown.py` decided. The lines read without colour: the actual
series is drawn with dots and labelled "remaining", the ideal line with `x` and labelled
"ideal", and today is a vertical line named in the title. Colours follow the app theme, and
with ``NO_COLOR`` set the plot uses plotext's colourless theme.

textual-plotext (and plotext behind it) is imported the first time a chart is drawn, so
screens that never show one never pay for it.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Static

from itpm_tui.domain.burndown import Burndown

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

EMPTY_MESSAGE = "No progress history yet: the burn-down appears once daily snapshots exist."
REMAINING_MARKER = "dot"
IDEAL_MARKER = "x"
TODAY_MARK = "│"


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


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


class BurndownChart(Widget):
    """A project's burn-down; call `show` with a `Burndown` (an empty one shows a message)."""

    DEFAULT_CSS = """
    BurndownChart {
        height: 12;
        layout: vertical;
    }
    BurndownChart #burndown-message {
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
    }
    BurndownChart #burndown-message.hidden {
        display: none;
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.burndown: Burndown | None = None
        self.plot: PlotextPlot | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(EMPTY_MESSAGE), id="burndown-message")

    def show(self, burndown: Burndown | None) -> None:
        """Draw this burn-down (None or empty: the "no progress history yet" message)."""
        self.burndown = burndown
        message = self.query_one("#burndown-message", Static)
        if burndown is None or burndown.is_empty or not (burndown.actual or burndown.ideal):
            message.remove_class("hidden")
            if self.plot is not None:
                self.plot.display = False
            return
        message.add_class("hidden")
        plot = self._ensure_plot()
        plot.display = True
        self._draw(plot, burndown)

    def _ensure_plot(self) -> PlotextPlot:
        if self.plot is None:
            from textual_plotext import PlotextPlot

            self.plot = PlotextPlot(id="burndown-plot")
            if _no_color():
                self.plot.theme = "clear"
            self.mount(self.plot)
        return self.plot

    def on_resize(self) -> None:
        if self.plot is not None and self.burndown is not None and self.plot.display:
            self._draw(self.plot, self.burndown)

    def _color(self, variable: str) -> Any:
        if _no_color():
            return None
        value = self.app.theme_variables.get(variable)
        if not value:
            return None
        try:
            return Color.parse(value).rgb
        except Exception:
            return None

    def _draw(self, plot: PlotextPlot, burndown: Burndown) -> None:
        plt = plot.plt
        plt.clear_data()
        days = list(burndown.days)
        index = {day: i for i, day in enumerate(days)}
        if burndown.ideal:
            ideal_x = [index[d] for d in days if d in burndown.ideal]
            ideal_y = [float(burndown.ideal[days[i]]) for i in ideal_x]
            plt.plot(
                ideal_x, ideal_y, marker=IDEAL_MARKER, color=self._color("success"), label="ideal"
            )
        if burndown.actual:
            actual_x = [index[d] for d in burndown.actual if d in index]
            actual_y = [float(burndown.actual[days[i]]) for i in actual_x]
            plt.plot(
                actual_x,
                actual_y,
                marker=REMAINING_MARKER,
                color=self._color("primary"),
                label="remaining",
            )
        parts = [f"Burn-down ({burndown.unit.value})"]
        if burndown.today is not None and burndown.today in index:
            plt.vline(index[burndown.today], color=self._color("warning"))
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
        plot.refresh()
