"""A project's deliverables, listed and edited from Projects (`d`) while the project is being
identified and planned — not only at close-out. The forms and the service are close-out's own
(`DeliverableForm`, `services.closing`); acceptance and sign-off stay on close-out (`c`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.roles import Action
from itpm_tui.errors import ItpmError
from itpm_tui.screens.closing_forms import DeliverableForm
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.rights import RoleKeys, first_hint, key_line
from itpm_tui.widgets.formatting import format_date, literal

if TYPE_CHECKING:
    from itpm_tui.queries.closing import ClosingState, DeliverableItem
    from itpm_tui.services.context import Context

DUE_WIDTH = 10
STATE_WIDTH = 12


class DeliverablesDialog(RoleKeys, ModalScreen[bool]):
    """One project's deliverables: add, edit or delete one. Dismisses with True when anything
    was written, so Projects fetches its rows again."""

    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "delete": Action.MANAGE,
    }

    BINDINGS: ClassVar = [
        Binding("a", "add", "Add", id="deliverables.add", tooltip="Add a deliverable"),
        Binding(
            "e", "edit", "Edit", id="deliverables.edit", tooltip="Edit the selected deliverable"
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            id="deliverables.delete",
            tooltip="Delete the selected deliverable (asks first)",
        ),
        Binding("escape", "close", "Close", id="deliverables.close"),
    ]

    def __init__(self, ctx: Context, project_id: int, *, date_format: str = "%Y-%m-%d") -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.date_format = date_format
        self.state: ClosingState | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="deliverables-dialog"):
            yield Static(Text("Deliverables", style="bold"), id="deliverables-title")
            yield Static("", id="deliverables-head")
            yield OptionList(id="deliverables-list")
            yield Static("", id="deliverables-note")
            yield Static(
                Text(key_line(self, "a add · e / enter edit · d delete · esc close"), style="dim"),
                id="deliverables-keys",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    def on_resize(self) -> None:
        self._fill()

    # -- the list --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="deliverables-load")
    def reload(self, select: int | None = None) -> None:
        from itpm_tui.queries.closing import closing_state

        try:
            state = closing_state(self.ctx.db, self.project_id)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._loaded, state, select)

    def _loaded(self, state: ClosingState | None, select: int | None) -> None:
        if state is None:
            self.notify("That project no longer exists.", severity="warning")
            self.dismiss(self.changed)
            return
        self.state = state
        title = Text("Deliverables of ", style="bold")
        title.append_text(literal(f"{state.code} — {state.name}", wrap=True))
        self.query_one("#deliverables-title", Static).update(title)
        self._fill(select)

    def _name_width(self) -> int:
        width = self.query_one(OptionList).scrollable_content_region.width or 70
        return max(12, width - DUE_WIDTH - STATE_WIDTH - 2)

    def _fill(self, select: int | None = None) -> None:
        state = self.state
        if state is None:
            return
        options = self.query_one(OptionList)
        before = options.highlighted
        name_w = self._name_width()
        head = Text(
            "Deliverable".ljust(name_w) + " " + "Due".ljust(DUE_WIDTH) + " " + "Acceptance",
            style="bold underline",
        )
        self.query_one("#deliverables-head", Static).update(head)
        options.clear_options()
        for item in state.deliverables:
            line = Text(no_wrap=True)
            name = literal(item.name)
            name.truncate(name_w, overflow="ellipsis", pad=True)
            line.append_text(name)
            line.append(" " + format_date(item.due_date, self.date_format).ljust(DUE_WIDTH) + " ")
            line.append("✔ accepted" if item.accepted else "✖ not yet")
            options.add_option(Option(line, id=str(item.id)))
        note = Text(style="dim")
        if not state.deliverables:
            note.append(
                first_hint(
                    self, "No deliverables yet", "a adds the first: what the client receives."
                )
            )
        elif state.closed:
            note.append("The project is closed: its deliverables are its record (r on close-out).")
        else:
            note.append("Acceptance and sign-off: close-out (c on Projects).")
        self.query_one("#deliverables-note", Static).update(note)
        ids = [d.id for d in state.deliverables]
        if select in ids:
            options.highlighted = ids.index(select)
        elif ids:
            options.highlighted = min(before or 0, len(ids) - 1)

    @property
    def selected(self) -> DeliverableItem | None:
        index = self.query_one(OptionList).highlighted
        items = self.state.deliverables if self.state else []
        return items[index] if index is not None and 0 <= index < len(items) else None

    # -- edits -----------------------------------------------------------------------------

    def _form(self, item: DeliverableItem | None) -> None:
        def saved(done: bool | None) -> None:
            if done:
                self.changed = True
                self.notify("Deliverable saved.")
                self.reload(item.id if item else None)

        form = DeliverableForm(self.ctx, self.project_id, item, date_format=self.date_format)
        self.app.push_screen(form, saved)

    def action_add(self) -> None:
        if self.state is not None:
            self._form(None)

    def action_edit(self) -> None:
        item = self.selected
        if item is None:
            self.notify("There is no deliverable to edit.", severity="warning")
            return
        self._form(item)

    @on(OptionList.OptionSelected, "#deliverables-list")
    def _chosen(self) -> None:
        if self.check_action("edit", ()):  # enter edits, as `e` does, for a role that may
            self.action_edit()

    def action_delete(self) -> None:
        item = self.selected
        if item is None:
            self.notify("There is no deliverable to delete.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(item.id, item.version)

        self.app.push_screen(
            ConfirmScreen(f"Delete the deliverable '{item.name}'?", yes="Delete"), answered
        )

    @work(thread=True, group="deliverables-write")
    def _delete(self, item_id: int, version: int) -> None:
        from itpm_tui.services.closing import delete_deliverable

        try:
            delete_deliverable(self.ctx, item_id, expected_version=version)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            self.changed = True
            self.app.call_from_thread(self.notify, "Deliverable deleted.")
        self.app.call_from_thread(self.reload)

    def action_close(self) -> None:
        self.dismiss(self.changed)
