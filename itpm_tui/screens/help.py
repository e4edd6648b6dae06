"""Help for the screen the user is on: what it shows, and every key it answers to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from itpm_tui.screens.registry import SCREENS

if TYPE_CHECKING:
    from itpm_tui.app import ItpmApp

GLOBAL_HELP = """\
**Anywhere:** {screens} ·
`ctrl+p` command palette (jump to a screen or a project, change theme) · {help} this
help · {quit} quit.

Health is **red / amber / green** with its reason written out, so it reads without colour:
red from 10 working days late, 10% over budget or an open critical risk; amber from 3 days
late, any overspend, an open high risk, a pending change request, or a project on hold.

Changes made by others (another dashboard, a technician over SSH, an import) appear by
themselves within `refresh_seconds` (see `itpm config show`), on a PostgreSQL team database
at once. While the database cannot be reached, a `reconnecting…` line says since when and
why; the screen keeps what it showed and catches up when the database is back.
"""


def global_help(keymap: Mapping[str, str]) -> str:
    """The keys that work everywhere, as the user's `[keymap]` has them."""

    def keys(binding_id: str, default: str) -> str:
        mapped = keymap.get(binding_id)
        return " or ".join(f"`{k.strip()}`" for k in mapped.split(",")) if mapped else default

    screens = " · ".join(
        f"{keys(entry.binding_id, f'`{entry.key}`')} {entry.title}" for entry in SCREENS
    )
    return GLOBAL_HELP.format(
        screens=screens, help=keys("help", "`?` or `F1`"), quit=keys("quit", "`q`")
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, for_screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        screen_help = getattr(self.for_screen, "HELP", "") or ""
        keys = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        keys.add_column("Key", style="bold", no_wrap=True)
        keys.add_column("Does")
        seen: set[tuple[str, str]] = set()
        for key, binding in self._key_rows():
            if binding.description and (key, binding.description) not in seen:
                seen.add((key, binding.description))
                keys.add_row(Text(key), Text(binding.tooltip or binding.description))
        with VerticalScroll(id="help"):
            yield Static(
                Text(f"Help — {self.for_screen.title or 'itpm'}", style="bold"), id="help-title"
            )
            keymap = cast("ItpmApp", self.app).settings.keymap
            anywhere = getattr(self.for_screen, "SHOWS_GLOBAL_HELP", True)
            yield Markdown(screen_help + ("\n\n" + global_help(keymap) if anywhere else ""))
            yield Static(Text("Keys", style="bold underline"))
            yield Static(keys)
            yield Static(Text("esc closes this help", style="dim"))

    def _key_rows(self) -> list[tuple[str, Binding]]:
        return [
            (self.app.get_key_display(active.binding), active.binding)
            for active in self.for_screen.active_bindings.values()
        ]
