"""What every chart shares: plotext loaded on first use, a message when there is nothing to
draw, theme colours (none under NO_COLOR, where markers and labels tell lines apart), and
date ticks that thin out as the chart narrows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Static


class PlotPanel(Widget):
    """Subclasses call `show_plot(has_data)` with their data stored, and implement `draw`."""

    DEFAULT_CSS = """
    PlotPanel > .plot-empty {
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
    }
    """
    EMPTY = "Nothing to draw yet."

    def __init__(self, *, id: str | None = None, empty_id: str | None = None) -> None:
        super().__init__(id=id)
        self.plot: Any = None
        self._empty_id = empty_id
        self._has_data = False

    def compose(self) -> ComposeResult:
        yield Static(Text(self.EMPTY), id=self._empty_id, classes="plot-empty")

    def show_plot(self, has_data: bool) -> None:
        self._has_data = has_data
        self.query_one(".plot-empty", Static).display = not has_data
        if not has_data:
            if self.plot is not None:
                self.plot.display = False
            return
        if self.plot is None:
            from itpm_tui.widgets.cached_plot import CachedPlot

            self.plot = CachedPlot()
            if os.environ.get("NO_COLOR"):
                self.plot.theme = "clear"
            self.mount(self.plot)
        self.plot.display = True
        self.redraw()

    def redraw(self) -> None:
        if self.plot is None or not self._has_data:
            return
        plt = self.plot.plt
        plt.clear_data()
        self.draw(plt)
        self.plot.redrawn()

    def on_resize(self) -> None:
        self.redraw()

    def draw(self, plt: Any) -> None:
        raise NotImplementedError

    def color(self, variable: str) -> Any:
        """A theme colour as plotext takes it, or None (plotext's default) under NO_COLOR."""
        if os.environ.get("NO_COLOR"):
            return None
        value = self.app.theme_variables.get(variable)
        try:
            return Color.parse(value).rgb if value else None
        except Exception:
            return None

    def date_ticks(self, plt: Any, days: Sequence[date]) -> None:
        """Label about one date per 12 columns of width."""
        slots = max(2, (self.size.width or 80) // 12)
        step = max(1, -(-len(days) // slots))
        ticks = list(range(0, len(days), step))
        plt.xticks(ticks, [days[i].strftime("%d %b") for i in ticks])
