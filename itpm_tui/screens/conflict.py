"""The dialog a form shows when a colleague saved its record first.

It lists what they changed (field, their value, when, who — from the activity log) and marks
the fields the user changed too, then asks: keep theirs (the form shows the stored record,
the user's changes dropped) or re-apply mine (the user's changed fields saved on top of their
version). `esc` goes back to the form with everything typed still in it. Every state is a
word, so it reads the same without colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from itpm_tui.queries.conflicts import ColleagueChange
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import literal

KEEP_THEIRS = "theirs"
REAPPLY_MINE = "mine"

#: Shown in the "Yours" column for a field both changed: re-applying puts the user's back.
ALSO_YOURS = "yours too"


class ConflictDialog(ModalScreen[str | None]):
    """Dismisses with `KEEP_THEIRS`, `REAPPLY_MINE`, or None (back to the form)."""

    BINDINGS: ClassVar = [
        Binding("t", "choose('theirs')", "Keep theirs", id="conflict.theirs"),
        Binding("m", "choose('mine')", "Re-apply mine", id="conflict.mine"),
        Binding("escape", "choose('')", "Back to form", id="conflict.back"),
    ]

    def __init__(self, what: str, changes: Sequence[ColleagueChange], both: set[str]) -> None:
        super().__init__()
        #: The record, as the conflict's message names it.
        self.what = what
        self.changes = list(changes)
        #: Stored columns the user changed too.
        self.both = both

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict"):
            yield Static(Text("Saved by someone else while you edited", style="bold"))
            yield Static(
                literal(f"{self.what}. What you typed is still in the form.", wrap=True),
                id="conflict-what",
            )
            with VerticalScroll(id="conflict-changes"):
                yield Static(self._table(), id="conflict-table")
            yield Static(self._advice(), id="conflict-advice")
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep theirs (t)", id="theirs", compact=True)
                yield Button("Re-apply mine (m)", variant="primary", id="mine", compact=True)
                yield Button("Back (esc)", id="back", compact=True)
        yield ItpmFooter()

    def _table(self) -> Table | Text:
        if not self.changes:
            return Text(
                "The activity log holds no change of this record after you opened it: "
                "their save came just before the form opened.",
                style="italic",
            )
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column("Field", no_wrap=True, max_width=18)
        table.add_column("Their value", no_wrap=True, ratio=1)
        table.add_column("When", no_wrap=True, width=16)
        table.add_column("Who", no_wrap=True, max_width=18)
        table.add_column("Yours", no_wrap=True, width=9)
        for change in self.changes:
            table.add_row(
                literal(change.label),
                literal(change.value if change.value else "(empty)"),
                Text(change.at.astimezone().strftime("%Y-%m-%d %H:%M")),
                literal(change.who),
                Text(ALSO_YOURS if change.field in self.both else ""),
            )
        return table

    def _advice(self) -> Text:
        text = Text()
        text.append("Keep theirs", style="bold")
        text.append(": the form shows their values; your changes are dropped.\n")
        text.append("Re-apply mine", style="bold")
        text.append(": your changed fields are saved on top of theirs")
        text.append("; where both changed a field, yours wins." if self.both else ".")
        return text

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose("" if event.button.id == "back" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
