"""Choosing a project by typing part of its code or name."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.queries.choices import ProjectChoice
from itpm_tui.widgets.formatting import literal


class ProjectPicker(ModalScreen[int | None]):
    """A filterable list of projects; enter shows the highlighted one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel")]

    def __init__(self, choices: list[ProjectChoice], current: int | None) -> None:
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("Show the timeline of…", style="bold"))
            yield Input(placeholder="type to filter: code or name", id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, needle: str) -> None:
        words = needle.casefold().split()
        options = self.query_one(OptionList)
        options.clear_options()
        shown = [
            c
            for c in self.choices
            if all(w in f"{c.code} {c.name} {c.status}".casefold() for w in words)
        ]
        for choice in shown:
            label = Text(f"{choice.code:<10} ", style="bold")
            label.append_text(literal(choice.name))
            if choice.status != "active":
                label.append(f"  ({choice.status})", style="dim")
            options.add_option(Option(label, id=str(choice.id)))
        ids = [c.id for c in shown]
        if ids:
            options.highlighted = ids.index(self.current) if self.current in ids else 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_key(self, event: Any) -> None:
        options = self.query_one(OptionList)
        if event.key in ("down", "up") and self.query_one(Input).has_focus:
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            self.dismiss(int(option.id or 0))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))
