"""The footer of every screen: roomy on a wide terminal; on a narrow one compact and without
the palette hint (help lists `ctrl+p`), so the screen's keys, help and quit fit at 80.

Textual's footer builds its keys again whenever the screen's bindings are refreshed — on
every focus change and every return to the screen — though the keys shown are mostly the
same. This one builds them once the bindings have settled and only when what it shows would
change — and on a screen's first visit only once its first data is shown — so coming back to
a screen does not pay for a new footer, nor a first visit for two."""

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
#: How long the first keys wait for the data of the widget they belong to (seconds).
LOADING_WAIT = 0.5


class ItpmFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: What the keys were last built from (None: not built yet).
        self._built_from: tuple[Any, ...] | None = None
        #: A build is asked for and waits for the screen's next refresh.
        self._rebuild_pending = False
        #: The first build waits for the screen's first data (`_waiting`), for a moment at
        #: most (`_waited`).
        self._waiting = False
        self._waited = False

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
        """Build the keys again (Textual's way) once the bindings have settled, and only if
        the keys shown then are not those built: a focus passing through a widget on its way
        (a first visit moves it more than once) costs no footer."""
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    def _wait_over(self) -> None:
        self._waited = True
        self.bindings_changed(self.screen)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        if self._built_from is None and getattr(self.screen, "keys_waiting", False):
            # A screen still loading its first data (`LiveScreen.keys_waiting`) has keys
            # that change with it (a loading widget's are left out; focus moves to the
            # table): they are built once the data is shown, not once before and again
            # after — or after a moment, if the data does not come.
            if not self._waiting:
                self._waiting = True
                self.set_timer(LOADING_WAIT, self._wait_over)
            if not self._waited:
                return
        shown = self._shown(self.screen)
        if shown != self._built_from:
            self._built_from = shown
            await self.recompose()

    def _shown(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """Everything `Footer.compose` reads: each shown key with its label, state and tip."""
        palette = self.app.COMMAND_PALETTE_BINDING
        keys = tuple(
            (key, binding.key, binding.action, binding.description, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )
        return (keys, self.show_command_palette, self.compact)
