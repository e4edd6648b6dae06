"""Ask for the status date earned value is computed for: any day, empty meaning today."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from itpm_tui.domain.validation import ValidationError, parse_date
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import format_date, input_date


class StatusDatePrompt(FormScreen[date | None]):
    """Dismisses with the day typed (today for an empty field), None when cancelled."""

    FIELD_IDS: ClassVar = {"status_date": "status-date"}

    def __init__(self, current: date, today: date, date_format: str = "%Y-%m-%d") -> None:
        super().__init__()
        self.current = current
        self.today = today
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text("Earned value status date"), id="form-title")
            yield Static(Text(f"Empty means today ({format_date(self.today, self.date_format)})."))
            yield from self.general_error()
            yield from self.field(
                "status-date",
                "Status date",
                Input(input_date(self.current, self.date_format), id="status-date"),
            )
            yield from self.buttons()

    def action_save(self) -> None:
        raw = self.text("status-date").strip()
        if not raw:
            self.dismiss(self.today)
            return
        try:
            day = parse_date(raw, "status_date", self.date_format)
        except ValidationError as exc:
            self.show_problems(exc.problems)
        else:
            self.dismiss(day or self.today)
