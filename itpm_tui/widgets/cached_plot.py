"""A plotext plot drawn again only when its data, size or theme changed.

Textual asks a widget to render whenever the screen around it is laid out again — a filter
that hides rows of the Projects table changes its scroll bar, and the burn-down beside it is
asked too. Building a plotext figure costs 30–50 ms; the text it gives is kept instead.
"""

from __future__ import annotations

from typing import Any

from textual.app import RenderResult
from textual_plotext import PlotextPlot


class CachedPlot(PlotextPlot):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._drawn: tuple[object, ...] | None = None
        self._text: RenderResult = ""
        self._version = 0

    def redrawn(self) -> None:
        """The owner drew new data into `plt`: the next render builds the figure again."""
        self._version += 1
        self.refresh()

    def render(self) -> RenderResult:
        key = (self._version, self.size, self.app.theme, self.theme)
        if key != self._drawn:
            self._text = super().render()
            self._drawn = key
        return self._text
