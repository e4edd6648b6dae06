"""The influence/interest grid: four quadrants named in words, with the names of the
stakeholders in each (or how many, when the names do not fit). Arrow keys move between
quadrants, enter or a click picks one as the contact list's filter, and again clears it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from itpm_tui.domain.stakeholders import Quadrant
from itpm_tui.widgets.formatting import literal

#: Quadrant at (row, column): influence grows upwards, interest to the right.
LAYOUT: tuple[tuple[Quadrant, Quadrant], tuple[Quadrant, Quadrant]] = (
    (Quadrant.KEEP_SATISFIED, Quadrant.MANAGE_CLOSELY),
    (Quadrant.MONITOR, Quadrant.KEEP_INFORMED),
)


def _place(q: Quadrant) -> tuple[int, int]:
    for r, row in enumerate(LAYOUT):
        if q in row:
            return r, row.index(q)
    raise ValueError(q)


def quadrant_lines(title: str, names: list[str], width: int, lines: int) -> list[Text]:
    """The `lines` rows of one quadrant, `width` cells wide: title, then names or a count."""
    count = len(names)
    heading = f"{title} ({count})" if len(title) + len(str(count)) + 3 <= width else title
    rows = [Text(heading)]
    body = lines - 1
    if body > 0:
        if not names:
            rows.append(Text("—", style="dim"))
        elif count <= body:
            rows += [literal(n) for n in names]
        elif body >= 2:
            rows += [literal(n) for n in names[: body - 1]]
            rows.append(Text(f"+{count - body + 1} more", style="dim"))
        else:
            noun = "contact" if count == 1 else "contacts"
            rows.append(Text(f"{count} {noun}", style="dim"))
    for row in rows:
        row.truncate(width, overflow="ellipsis", pad=True)
    while len(rows) < lines:
        rows.append(Text(" " * width))
    return rows[:lines]


def _label(text: str, width: int, *, end: bool = False) -> str:
    """`text` set into a border line `width` cells long (left, or right with `end`)."""
    if len(text) + 3 > width:
        return "─" * width
    return (f" {text} ─".rjust(width, "─")) if end else f"─ {text} ".ljust(width, "─")


class InfluenceGrid(Widget, can_focus=True):
    """Shows `names` per quadrant; posts `Picked` when the user picks or clears one."""

    BINDINGS: ClassVar = [
        Binding("up", "move(-1, 0)", "Up", show=False, id="grid.up"),
        Binding("down", "move(1, 0)", "Down", show=False, id="grid.down"),
        Binding("left", "move(0, -1)", "Left", show=False, id="grid.left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="grid.right"),
        Binding(
            "enter,space",
            "pick",
            "Filter",
            id="grid.pick",
            tooltip="Show only the contacts of this quadrant (again: show all)",
        ),
    ]

    cursor: reactive[Quadrant] = reactive(Quadrant.MANAGE_CLOSELY)
    picked: reactive[Quadrant | None] = reactive(None)

    class Picked(Message):
        def __init__(self, quadrant: Quadrant | None) -> None:
            super().__init__()
            self.quadrant = quadrant

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._names: dict[Quadrant, list[str]] = {q: [] for q in Quadrant}

    def show(self, names: Mapping[Quadrant, Iterable[str]]) -> None:
        self._names = {q: list(names.get(q, ())) for q in Quadrant}
        self.refresh()

    def count(self, quadrant: Quadrant) -> int:
        return len(self._names[quadrant])

    def _geometry(self) -> tuple[int, int, int]:
        """Left and right inner widths and the lines of each quadrant."""
        width, height = self.size
        inner = max(width - 3, 2)
        left = inner // 2
        return left, inner - left, max((height - 3) // 2, 1)

    def render(self) -> Text:
        left, right, per = self._geometry()
        out = Text(no_wrap=True, overflow="crop")
        border = "dim"
        # The axes are named in the frame: influence grows upwards, interest to the right.
        out.append("┌" + _label("↑ influence", left) + "┬" + "─" * right + "┐\n", style=border)
        for r, row in enumerate(LAYOUT):
            cells = [
                quadrant_lines(
                    ("▶" if q is self.picked else "") + str(q).capitalize(),
                    self._names[q],
                    w,
                    per,
                )
                for q, w in zip(row, (left, right), strict=True)
            ]
            for q, lines in zip(row, cells, strict=True):
                title = lines[0]
                if q is self.picked:
                    title.stylize("bold")
                if q is self.cursor and self.has_focus:
                    title.stylize("reverse")
            for i in range(per):
                out.append("│", style=border)
                out.append_text(cells[0][i])
                out.append("│", style=border)
                out.append_text(cells[1][i])
                out.append("│\n", style=border)
            if r == 0:
                out.append("├" + "─" * left + "┼" + "─" * right + "┤\n", style=border)
        out.append(
            "└" + "─" * left + "┴" + _label("interest →", right, end=True) + "┘", style=border
        )
        return out

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_picked(self) -> None:
        self.refresh()

    def action_move(self, rows: int, columns: int) -> None:
        r, c = _place(self.cursor)
        self.cursor = LAYOUT[max(0, min(1, r + rows))][max(0, min(1, c + columns))]

    def action_pick(self) -> None:
        self.pick(self.cursor)

    def pick(self, quadrant: Quadrant | None) -> None:
        """Pick `quadrant` as the filter, or clear it when it is already the one picked."""
        self.picked = None if quadrant is None or quadrant is self.picked else quadrant
        if quadrant is not None:
            self.cursor = quadrant
        self.post_message(self.Picked(self.picked))

    def on_click(self, event: events.Click) -> None:
        left, _right, per = self._geometry()
        y = event.y
        row = 0 if 1 <= y <= per else 1 if per + 2 <= y <= 2 * per + 1 else None
        column = 0 if 1 <= event.x <= left else 1 if event.x >= left + 2 else None
        if row is not None and column is not None:
            self.focus()
            self.pick(LAYOUT[row][column])
