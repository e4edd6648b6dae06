"""The footer of every screen: roomy on a wide terminal; on a narrow one compact and without
the palette hint (help lists `ctrl+p`), so the screen's keys, help and quit fit at 80.

Textual's footer builds its keys again whenever the screen's bindings are refreshed — on
every focus change and every return to the screen — though the keys shown are mostly the
same. This one builds them again only when what it shows would change, so coming back to a
screen does not pay for a new footer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Below this width the footer is compact and leaves out the command palette hint.
COMPACT_BELOW = 120


class ItpmFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: What the keys were last built from (None: not built yet).
        self._built_from: tuple[Any, ...] | None = None

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < COMPACT_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow

    def compose(self) -> ComposeResult:
        """Textual's keys, each born in the footer's style: a key starts compact and takes the
        footer's style only once mounted, restyling itself (and the screen) once or twice;
        with ~40 keys on a screen that was most of the footer's cost on a first visit."""
        yield from self._born_fitting(super().compose())

    def _born_fitting(self, widgets: Iterable[Widget]) -> Iterator[Widget]:
        compact = self.compact
        for widget in widgets:
            if isinstance(widget, FooterKey):
                # The palette key is not bound to the footer's style: it stays compact.
                born = True if widget.has_class("-command-palette") else compact
                widget.set_reactive(FooterKey.compact, born)
                widget.set_class(born, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Build the keys again (Textual's way) only if the keys shown are not those built."""
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = self._shown(screen)
            if shown == self._built_from and self._bindings_ready:
                return
            self._built_from = shown
        super().bindings_changed(screen)

    def _shown(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """Everything `Footer.compose` reads: each shown key with its label, state and tip."""
        palette = self.app.COMMAND_PALETTE_BINDING
        keys = tuple(
            (key, binding.key, binding.action, binding.description, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )
        return (keys, self.show_command_palette, self.compact)
