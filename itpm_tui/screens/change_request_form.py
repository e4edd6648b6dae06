"""The dialog that proposes or edits one change request, checked by the change-control rules."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static, TextArea

from itpm_tui.domain.change_control import ChangeDraft
from itpm_tui.domain.money import format_money
from itpm_tui.domain.roles import Action
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import input_date

if TYPE_CHECKING:
    from itpm_tui.queries.change_requests import ChangeRow
    from itpm_tui.services.context import Context


class ChangeRequestForm(FormScreen[int | None]):
    """Propose (or edit, while proposed) a change request; dismisses with its id once saved,
    None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}

    DEFAULT_CSS = """
    ChangeRequestForm {
        align: center middle;
        background: $background 60%;
    }
    ChangeRequestForm #form {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
    }
    ChangeRequestForm #cr-fields {
        height: auto;
        padding: 0 1;
    }
    """

    RELOADS = True
    COLUMN_IDS: ClassVar = {
        "title": "cr-title",
        "requested_by": "cr-by",
        "requested_on": "cr-on",
        "cost_impact": "cr-cost",
        "schedule_impact_days": "cr-days",
        "description": "cr-description",
    }
    FIELD_IDS: ClassVar = {
        "title": "cr-title",
        "requested by": "cr-by",
        "requested on": "cr-on",
        "cost impact": "cr-cost",
        "schedule impact": "cr-days",
        "description": "cr-description",
    }

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        project_code: str,
        currency: str,
        *,
        row: ChangeRow | None = None,
        today: date | None = None,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.project_code = project_code
        self.currency = currency
        self.row = row
        self.today = today or ctx.today()
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        r = self.row
        heading = f"Edit change #{r.id}" if r else "New change request"
        cost = "" if r is None or r.cost_impact == 0 else self._amount(r)
        days = "" if r is None or r.schedule_impact_days == 0 else f"{r.schedule_impact_days:+d}"
        with Vertical(id="form"):
            yield Static(
                Text(f"{heading} · {self.project_code} · {self.currency}"), id="form-title"
            )
            yield from self.general_error()
            with VerticalScroll(id="cr-fields"):
                yield from self.field(
                    "cr-title", "Title", Input(r.title if r else "", id="cr-title")
                )
                yield from self.field(
                    "cr-by",
                    "Requester",
                    Input(r.requested_by if r else "", id="cr-by", placeholder="who asks"),
                )
                yield from self.field(
                    "cr-on",
                    "Requested",
                    Input(
                        input_date(r.requested_on if r else self.today, self.date_format),
                        id="cr-on",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self.field(
                    "cr-cost",
                    "Cost impact",
                    Input(
                        cost,
                        id="cr-cost",
                        placeholder=f"{self.currency}, e.g. 4,000.00; a saving -500",
                    ),
                )
                yield from self.field(
                    "cr-days",
                    "Schedule",
                    Input(days, id="cr-days", placeholder="working days, e.g. 5; earlier -2"),
                )
                yield from self.field(
                    "cr-description",
                    "Description",
                    TextArea(r.description if r else "", id="cr-description"),
                )
            yield from self.buttons()

    def _amount(self, row: ChangeRow) -> str:
        text = format_money(abs(row.cost_impact), self.currency, symbol=False).replace(",", "")
        return f"-{text}" if row.cost_impact < 0 else text

    def read_draft(self) -> ChangeDraft:
        return ChangeDraft(
            title=self.text("cr-title"),
            requested_by=self.text("cr-by"),
            requested_on=self.text("cr-on"),
            description=self.text("cr-description"),
            cost_impact=self.text("cr-cost"),
            schedule_impact_days=self.text("cr-days"),
        )

    def action_save(self) -> None:
        draft = self.read_draft()
        self.write(lambda: self._store(draft))

    def reload_record(self) -> None:
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.change_requests import change_row

        row = None if self.row is None else change_row(self.ctx.db, self.row.id)
        if row is None:
            raise NotFoundError("the change request no longer exists (removed by someone else)")
        self.row = row

    def _store(self, draft: ChangeDraft) -> int:
        from itpm_tui.domain.change_control import validate_change
        from itpm_tui.services.change_requests import add_change, update_change

        # The typed date is read with the configured format here; the service gets a date.
        clean = validate_change(draft, self.currency, self.date_format)
        draft.requested_on = clean.requested_on
        if self.row is None:
            return add_change(self.ctx, self.project_id, draft)
        update_change(self.ctx, self.row.id, draft, expected_version=self.row.version)
        return self.row.id
