"""A project's deliverables, listed and edited from Projects (`d`) while the project is being
identified and planned — not only at close-out. The forms and the service are close-out's own
(`DeliverableForm`, `services.closing`); acceptance and sign-off stay on close-out (`c`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text

from itpm_tui.screens.closing_forms import DeliverableForm
from itpm_tui.screens.record_list import RecordListDialog, record_keys
from itpm_tui.widgets.formatting import format_date, literal

if TYPE_CHECKING:
    from itpm_tui.queries.closing import ClosingState, DeliverableItem
    from itpm_tui.services.context import Context

DUE_WIDTH = 10
STATE_WIDTH = 12


class DeliverablesDialog(RecordListDialog["DeliverableItem", "ClosingState"]):
    """One project's deliverables: add, edit or delete one (`RecordListDialog`); Projects
    fetches its rows again after a change."""

    NOUN = "deliverable"
    EMPTY = "No deliverables yet"
    FIRST = "a adds the first: what the client receives."
    BINDINGS: ClassVar = record_keys("deliverables", NOUN, NOUN, verb="delete")

    def __init__(self, ctx: Context, project_id: int, *, date_format: str = "%Y-%m-%d") -> None:
        super().__init__(ctx, project_id)
        self.date_format = date_format

    def heading(self) -> Text:
        title = Text("Deliverables", style="bold")
        if self.data is not None:
            title.append(" of ")
            title.append_text(literal(f"{self.data.code} — {self.data.name}", wrap=True))
        return title

    def rows(self, data: ClosingState) -> list[DeliverableItem]:
        return data.deliverables

    def fetch(self) -> ClosingState | None:
        from itpm_tui.queries.closing import closing_state

        return closing_state(self.ctx.db, self.project_id)

    def gone(self) -> None:
        self.notify("That project no longer exists.", severity="warning")
        self.dismiss(self.changed)

    @staticmethod
    def _name_width(width: int) -> int:
        return max(12, width - DUE_WIDTH - STATE_WIDTH - 2)

    def head(self, width: int) -> Text:
        return Text(
            "Deliverable".ljust(self._name_width(width))
            + " "
            + "Due".ljust(DUE_WIDTH)
            + " "
            + "Acceptance",
            style="bold underline",
        )

    def line(self, record: DeliverableItem, width: int) -> Text:
        line = Text(no_wrap=True)
        name = literal(record.name)
        name.truncate(self._name_width(width), overflow="ellipsis", pad=True)
        line.append_text(name)
        line.append(" " + format_date(record.due_date, self.date_format).ljust(DUE_WIDTH) + " ")
        line.append("✔ accepted" if record.accepted else "✖ not yet")
        return line

    def note(self, width: int) -> Text:
        if self.data is not None and self.data.closed:
            return Text(
                "The project is closed: its deliverables are its record (r on close-out).",
                style="dim",
            )
        return Text("Acceptance and sign-off: close-out (c on Projects).", style="dim")

    def form(self, record: DeliverableItem | None) -> DeliverableForm:
        return DeliverableForm(self.ctx, self.project_id, record, date_format=self.date_format)

    def question(self, record: DeliverableItem) -> str:
        return f"Delete the deliverable '{record.name}'?"

    def remove_record(self, record: DeliverableItem) -> None:
        from itpm_tui.services.closing import delete_deliverable

        delete_deliverable(self.ctx, record.id, expected_version=record.version)
