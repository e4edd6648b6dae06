"""The 5×5 risk heat map: probability up, impact across, the count of risks in every cell.

Each cell says its count and its band in text (a letter, or the word on a large map), so the
map reads without colour; the colour only repeats the band. Arrow keys move a cursor, enter
or a click chooses the cell (again on the chosen cell lets it go), and the screen filters
the register to it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from itpm_tui.domain.risk import LEVEL_MAX, LEVEL_MIN, LEVELS, RiskBand, RiskThresholds, band
from itpm_tui.widgets.formatting import tone

#: Band → (letter, word, cell style); the letter and word carry the band, the colour repeats it.
#: A ramp of fixed colours (not the theme's ANSI ones, which draw yellow and orange alike).
BAND_LOOK: dict[RiskBand, tuple[str, str, str]] = {
    RiskBand.LOW: ("L", "low", "black on green3"),
    RiskBand.MEDIUM: ("M", "medium", "black on gold1"),
    RiskBand.HIGH: ("H", "high", "black on dark_orange"),
    RiskBand.CRITICAL: ("C", "critical", "bold bright_white on red3"),
}
PROBABILITY_WORDS = {5: "almost certain", 4: "likely", 3: "possible", 2: "unlikely", 1: "rare"}
IMPACT_WORDS = {1: "negligible", 2: "minor", 3: "moderate", 4: "major", 5: "severe"}

# Geometry: a title line, then the rows of probability 5 down to 1, then the impact axis.
SMALL_LABEL, SMALL_CELL = 3, 6  # "P5 " then "[12 H]"
LARGE_LABEL, LARGE_CELL = 17, 12  # "5 almost certain " then two lines per cell
SMALL_WIDTH = SMALL_LABEL + 5 * SMALL_CELL
SMALL_HEIGHT = 1 + 5 + 1
LARGE_WIDTH = LARGE_LABEL + 5 * LARGE_CELL
LARGE_HEIGHT = 1 + 10 + 1

Cell = tuple[int, int]


class HeatMap(Widget, can_focus=True):
    """Shows counts given to `show`; posts `CellChosen` when the user picks or drops a cell."""

    BINDINGS: ClassVar = [
        Binding("up", "move(1, 0)", "Up", show=False, id="heatmap.up"),
        Binding("down", "move(-1, 0)", "Down", show=False, id="heatmap.down"),
        Binding("left", "move(0, -1)", "Left", show=False, id="heatmap.left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="heatmap.right"),
        Binding(
            "enter",
            "choose",
            "Filter cell",
            id="heatmap.choose",
            tooltip="Show only the risks in this cell (enter again shows all)",
        ),
    ]

    class CellChosen(Message):
        """The user chose `cell` (probability, impact) to filter by, or None to stop."""

        def __init__(self, cell: Cell | None) -> None:
            super().__init__()
            self.cell = cell

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.counts: dict[Cell, int] = {}
        self.thresholds = RiskThresholds()
        self.residual = False
        self.chosen: Cell | None = None
        self.cursor: Cell = (3, 3)
        self.large = False

    def show(
        self,
        counts: dict[Cell, int],
        thresholds: RiskThresholds,
        *,
        residual: bool,
        chosen: Cell | None,
    ) -> None:
        self.counts = counts
        self.thresholds = thresholds
        self.residual = residual
        self.chosen = chosen
        if chosen is not None:
            self.cursor = chosen
        self.refresh()

    def set_large(self, large: bool) -> None:
        if large != self.large:
            self.large = large
            self.refresh()

    # -- keys and mouse ----------------------------------------------------------------------

    def action_move(self, dp: int, di: int) -> None:
        p, i = self.cursor
        self.cursor = (
            min(LEVEL_MAX, max(LEVEL_MIN, p + dp)),
            min(LEVEL_MAX, max(LEVEL_MIN, i + di)),
        )
        self.refresh()

    def action_choose(self) -> None:
        self._choose(self.cursor)

    def _choose(self, cell: Cell) -> None:
        self.cursor = cell
        self.post_message(self.CellChosen(None if cell == self.chosen else cell))
        self.refresh()

    def cell_at(self, x: int, y: int) -> Cell | None:
        """The cell drawn at content offset (x, y), or None for the labels and margins."""
        label, width, height = (
            (LARGE_LABEL, LARGE_CELL, 2) if self.large else (SMALL_LABEL, SMALL_CELL, 1)
        )
        row, column = (y - 1) // height, (x - label) // width
        if y < 1 or x < label or not (0 <= row < 5 and 0 <= column < 5):
            return None
        return (LEVEL_MAX - row, LEVEL_MIN + column)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        cell = self.cell_at(offset.x, offset.y)
        if cell is not None:
            self.focus()
            self._choose(cell)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- drawing -----------------------------------------------------------------------------

    def render(self) -> Text:
        total = sum(self.counts.values())
        out = Text(no_wrap=True, overflow="crop")
        out.append("Residual" if self.residual else "Inherent", style="bold")
        noun = "risk" if total == 1 else "risks"
        out.append(f" · {total} {noun}")
        if self.large:
            out.append(" · probability ↑ impact →", style="dim")
        out.append("\n")
        for p in sorted(LEVELS, reverse=True):
            if self.large:
                out.append(f"{p} {PROBABILITY_WORDS[p]:<{LARGE_LABEL - 2}}", style="bold")
                for i in LEVELS:
                    out.append_text(self._cell((p, i), top=True))
                out.append("\n" + " " * LARGE_LABEL)
                for i in LEVELS:
                    out.append_text(self._cell((p, i), top=False))
            else:
                out.append(f"P{p} ", style="bold")
                for i in LEVELS:
                    out.append_text(self._cell((p, i), top=True))
            out.append("\n")
        if self.large:
            out.append(" " * LARGE_LABEL)
            for i in LEVELS:
                out.append(f"{i} {IMPACT_WORDS[i]}".center(LARGE_CELL), style="bold")
        else:
            out.append(" " * SMALL_LABEL)
            for i in LEVELS:
                out.append(f"I{i}".center(SMALL_CELL), style="bold")
        return out

    def _cell(self, cell: Cell, *, top: bool) -> Text:
        """One line of a cell: markers around the count (top) or the band word (large only)."""
        p, i = cell
        letter, word, style = BAND_LOOK[band(p * i, self.thresholds)]
        count = self.counts.get(cell, 0)
        cursor = self.has_focus and cell == self.cursor
        chosen = cell == self.chosen
        left, right = ("[", "]") if cursor else ("▸", "◂") if chosen else (" ", " ")
        cell_style = tone(style)
        if chosen:
            cell_style = f"{cell_style} reverse".strip()
        inner = LARGE_CELL - 2 if self.large else SMALL_CELL - 2
        if self.large:
            body = (str(count) if count else "·") if top else word
            text = body.center(inner)
            if not top:
                left, right = " ", " "
        else:
            number = f"{count:>2}" if count < 100 else "99"
            if count == 0:
                number = " ·"
            text = f"{number}{'+' if count >= 100 else ' '}{letter}"
        out = Text(left + text + right, style=cell_style)
        if count == 0 and top:
            out.stylize("dim", 1, 1 + inner)
        return out
