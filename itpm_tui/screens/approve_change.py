"""The question asked before a change is approved: it states exactly what will move —
the budget, the end date and every task whose finish moves (old → new).

The moves come from `services.change_requests.approval_preview`, the same code the approval
runs, so the dialog cannot promise one thing and do another. When the change has a cost
impact the approver picks the budget category it is booked to; the text follows the pick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from itpm_tui.domain.roles import Action
from itpm_tui.screens.rights import RoleKeys
from itpm_tui.widgets.formatting import literal
from itpm_tui.widgets.text_select import TextSelect

if TYPE_CHECKING:
    from itpm_tui.queries.change_requests import ApprovalPreview


@dataclass(frozen=True, slots=True)
class ApprovalChoice:
    """The approver said yes; `category` is where the cost goes (None: no cost impact)."""

    category: str | None


class ApproveChangeScreen(RoleKeys, ModalScreen[ApprovalChoice | None]):
    WRITES: ClassVar[dict[str, Action]] = {"approve": Action.MANAGE}
    DEFAULT_CSS = """
    ApproveChangeScreen {
        align: center middle;
        background: $background 60%;
    }
    ApproveChangeScreen #approve-dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    ApproveChangeScreen #approve-title {
        text-style: bold;
    }
    ApproveChangeScreen #approve-moves {
        margin-top: 1;
    }
    ApproveChangeScreen #approve-category-row {
        height: auto;
        margin-top: 1;
    }
    ApproveChangeScreen #approve-category-row Label {
        width: 10;
        color: $text-muted;
    }
    ApproveChangeScreen #approve-category {
        width: 1fr;
    }
    ApproveChangeScreen #approve-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ApproveChangeScreen #approve-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar = [
        Binding("ctrl+s", "approve", "Approve", id="approve_change.yes"),
        Binding("escape", "cancel", "Cancel", id="approve_change.no"),
    ]

    def __init__(self, preview: ApprovalPreview, *, decided_by: str, on: date) -> None:
        super().__init__()
        self.preview = preview
        self.decided_by = decided_by
        self.decided_on = on
        self.category = preview.category

    def compose(self) -> ComposeResult:
        p = self.preview
        with Vertical(id="approve-dialog"):
            title = Text(f"Approve change #{p.change_id} · {p.project_code}: ")
            title.append_text(literal(p.title))
            title.no_wrap = False
            yield Static(title, id="approve-title")
            if p.needs_category:
                with Horizontal(id="approve-category-row"):
                    yield Label("Category", id="approve-category-label")
                    yield TextSelect(
                        [(c, c) for c in p.categories],
                        value=p.category if p.category is not None else Select.NULL,
                        prompt="(choose the budget category)",
                        id="approve-category",
                        compact=True,
                    )
            yield Static(self._moves(), id="approve-moves")
            yield Static(
                Text(
                    f"Recorded as approved by {self.decided_by} on "
                    f"{self.decided_on.isoformat()}. Baselines stay as they are, so the "
                    "variance shows.",
                    style="dim",
                ),
                id="approve-note",
            )
            yield Static("", id="approve-error", classes="error")
            with Horizontal(id="approve-buttons"):
                yield Button("Approve (ctrl+s)", variant="warning", id="approve-yes", compact=True)
                yield Button("Cancel (esc)", id="approve-no", compact=True)

    def on_mount(self) -> None:
        if self.preview.needs_category:
            self.query_one("#approve-category", Select).focus()
        else:
            self.query_one("#approve-yes", Button).focus()

    def _moves(self) -> Text:
        out = Text()
        out.append("This will move:\n", style="bold")
        for line in self.preview.lines(self.category):
            if line.startswith("  "):  # a task the schedule change moves, under its cause
                out.append("  – ")
                out.append_text(literal(line.strip()))
            else:
                out.append("• ", style="bold")
                out.append_text(literal(line))
            out.append("\n")
        out.rstrip()
        return out

    @on(Select.Changed, "#approve-category")
    def _picked(self, event: Select.Changed) -> None:
        value = event.value
        self.category = None if value is Select.NULL else str(value)
        self.query_one("#approve-moves", Static).update(self._moves())

    @on(Button.Pressed, "#approve-yes")
    def _yes(self) -> None:
        self.action_approve()

    @on(Button.Pressed, "#approve-no")
    def _no(self) -> None:
        self.action_cancel()

    def action_approve(self) -> None:
        if self.preview.needs_category and self.category is None:
            error = self.query_one("#approve-error", Static)
            error.update(Text("✖ category: choose the budget category the cost goes to"))
            error.add_class("shown")
            self.query_one("#approve-category", Select).focus()
            return
        self.dismiss(ApprovalChoice(self.category if self.preview.needs_category else None))

    def action_cancel(self) -> None:
        self.dismiss(None)
