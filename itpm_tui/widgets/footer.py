"""The footer of every screen: roomy on a wide terminal; on a narrow one compact and without
the palette hint (help lists `ctrl+p`), so the screen's keys, help and quit fit at 80."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

#: Below this width the footer is compact and leaves out the command palette hint.
COMPACT_BELOW = 120


class ItpmFooter(Footer):
    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < COMPACT_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
