"""A scrolling view of numbered lines under a fixed header, drawn with Textual's Line API.

Views with thousands of lines (a Gantt chart, a ledger) render only what is on screen.
`LineView` holds what they share: a cursor line, keys and a click to move it, paging by the
height on screen, and a bounded cache of rendered lines. A subclass says how many lines
there are and how the header and one line look.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.strip import Strip

from itpm_tui.widgets.steady_scroll import SteadyScrollbars


def cursor_bindings(prefix: str, noun: str) -> list[BindingType]:
    """up, down, pageup, pagedown, home and end, with ids `prefix.up` ... for keymaps."""
    return [
        Binding("up,k", "cursor(-1)", "Up", show=False, id=f"{prefix}.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id=f"{prefix}.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("home", "first", f"First {noun}", show=False, id=f"{prefix}.first"),
        Binding("end", "last", f"Last {noun}", show=False, id=f"{prefix}.last"),
    ]


class LineView(SteadyScrollbars, can_focus=True):
    """Lines `0 .. line_count - 1` under `HEADER_LINES` fixed lines; one is the cursor."""

    HEADER_LINES: ClassVar[int] = 1
    #: Rendered lines kept: a few screens' worth, so scrolling back is free but memory flat.
    CACHE_LINES: ClassVar[int] = 1024

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.cursor = 0
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(self.CACHE_LINES)

    # -- what a subclass tells ---------------------------------------------------------------

    @property
    def line_count(self) -> int:
        raise NotImplementedError

    def render_header(self, y: int, width: int) -> Strip:
        raise NotImplementedError

    def render_row(self, index: int, width: int) -> Strip:
        raise NotImplementedError

    def render_after_end(self, index: int, width: int) -> Strip:
        """A screen line below the last line."""
        return Strip.blank(width, self.rich_style)

    def announce_cursor(self) -> None:
        """Tell the screen which line is selected now (a subclass posts its message)."""
        raise NotImplementedError

    def activate_line(self, index: int) -> None:
        """A double click on line `index`; a view that opens its lines says how."""

    # -- cursor ----------------------------------------------------------------------------

    @property
    def visible_rows(self) -> int:
        return max(1, self.scrollable_size.height - self.HEADER_LINES)

    def move_cursor(self, index: int) -> None:
        if not self.line_count:
            return
        index = max(0, min(index, self.line_count - 1))
        if index != self.cursor:
            old = self.cursor
            self.cursor = index
            self.refresh_row(old)
            self.refresh_row(index)
        self.follow_cursor()
        self.announce_cursor()

    def refresh_row(self, index: int) -> None:
        """Redraw line `index` if it is on screen."""
        y = self.HEADER_LINES + index - round(self.scroll_y)
        if self.HEADER_LINES <= y < self.scrollable_size.height:
            self.refresh_line(y + round(self.scroll_y))

    def follow_cursor(self) -> None:
        """Scroll just enough to keep the cursor line on screen."""
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self.visible_rows:
            self.scroll_to(y=self.cursor - self.visible_rows + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta * self.visible_rows)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.line_count - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y < self.HEADER_LINES:
            return
        index = round(self.scroll_y) + event.y - self.HEADER_LINES
        if 0 <= index < self.line_count:
            self.move_cursor(index)
            if event.chain >= 2:
                self.activate_line(index)

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_size.width
        if y < self.HEADER_LINES:
            return self.render_header(y, width)
        index = y - self.HEADER_LINES + round(self.scroll_y)
        if index >= self.line_count:
            return self.render_after_end(index, width)
        return self.render_row(index, width)

    def cached_line(self, key: tuple[object, ...], render: Callable[[], Strip]) -> Strip:
        """The line `render` draws, drawn once per `key` (plus the width, the horizontal
        scroll and the focus, which every line depends on) until `clear_lines`."""
        full_key = (*key, round(self.scroll_x), self.scrollable_size.width, self.has_focus)
        strip = self._cache.get(full_key)
        if strip is None:
            strip = render()
            self._cache[full_key] = strip
        return strip

    def clear_lines(self) -> None:
        """Forget rendered lines (the data or the geometry changed) and redraw."""
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
