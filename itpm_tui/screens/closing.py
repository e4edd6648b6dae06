"""Close-out: one project's deliverables checklist, the client's sign-off, lessons learned,
and the close itself — refused, with every blocker named, until the evidence is complete
(or the project manager gives the reason for closing anyway)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Static

from itpm_tui.domain.roles import Action
from itpm_tui.queries.closing import ClosingState, DeliverableItem
from itpm_tui.screens.closing_forms import (
    AcceptForm,
    DeliverableForm,
    LessonsForm,
    OverrideForm,
    SignOffForm,
)
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import LiveScreen
from itpm_tui.screens.rights import may
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import format_date, literal, tone

#: Cells of the deliverable panel beside the checklist on a wide screen (forms.tcss).
INFO_WIDTH = 56
WIDE = 120
ACCEPTED = "✔"
NOT_ACCEPTED = "✖"


def acceptance_text(item: DeliverableItem, fmt: str) -> Text:
    """Accepted (on which day, by whom) or not, in words; colour only repeats it. The date
    comes first so a narrow column cuts the name, not the day."""
    if item.accepted:
        out = Text(f"accepted on {format_date(item.accepted_on, fmt)} by ", style=tone("green"))
        out.append_text(literal(item.accepted_by, wrap=True))
        return out
    return Text("not accepted", style=tone("bold red"))


def sign_off_text(state: ClosingState, fmt: str, *, hints: bool = True) -> Text:
    """The sign-off, or what is missing of it; with `hints` (the role may record one) the
    key that does."""
    out = Text("Client sign-off  ", style="bold")
    if state.signed_off:
        out.append(f"{ACCEPTED} signed off by ", style=tone("bold green"))
        out.append_text(literal(state.signed_off_by, wrap=True))
        out.append(f" on {format_date(state.signed_off_on, fmt)}")
    else:
        missing = "not recorded"
        if state.signed_off_by.strip():
            missing = "has no date"
        elif state.signed_off_on is not None:
            missing = "has no name"
        out.append(f"{NOT_ACCEPTED} {missing}", style=tone("bold red"))
        if hints and not state.closed:
            out.append(" — s records who signed and when", style="dim")
    return out


WARNING = "▲"


def open_work_warning(state: ClosingState) -> str:
    """The tasks and risks a close would leave open (a warning, never a blocker)."""
    if state.closed or not state.warning:
        return ""
    return f"{WARNING} {state.warning}: closing leaves them as they are"


def gate_text(state: ClosingState, *, hints: bool = True) -> Text:
    """Whether "Close project" is open, and if not, every blocker by name; then what a
    close would leave open. With `hints` (the role may close and reopen) the keys that do."""
    out = _gate(state, hints)
    if warning := open_work_warning(state):
        out.append("\n")
        out.append(warning, style=tone("bold yellow"))
    return out


def _gate(state: ClosingState, hints: bool) -> Text:
    if state.closed:
        out = Text("■ CLOSED", style="bold")
        if state.closing_override:
            out.append(" with override — reason: ", style=tone("bold yellow"))
            out.append_text(literal(state.closing_override, multiline=True))
        if hints:
            out.append("  (r reopens)", style="dim")
        return out
    if state.can_close:
        out = Text(f"{ACCEPTED} READY TO CLOSE", style=tone("bold green"))
        out.append(": every deliverable accepted, sign-off recorded")
        if hints:
            out.append(" — c closes the project")
        return out
    out = Text(f"{NOT_ACCEPTED} NOT READY TO CLOSE", style=tone("bold red"))
    out.append(": ")
    out.append_text(literal("; ".join(state.reasons), wrap=True))
    if hints:
        out.append(" — c offers to close with an override reason", style="dim")
    return out


def deliverable_info(item: DeliverableItem | None, fmt: str, *, hints: bool = True) -> Group | Text:
    if item is None:
        return Text("No deliverable selected" + (" — a adds one." if hints else "."), style="dim")
    head = literal(item.name, wrap=True)
    head.stylize("bold")
    head.append(f"  due {format_date(item.due_date, fmt)}", style="dim")
    lines: list[Text] = [head]
    for label, value in (
        ("Criteria ", item.acceptance_criteria),
        ("About ", item.description),
    ):
        if value:
            line = Text(label, style="dim")
            line.append_text(literal(value, multiline=True))
            lines.append(line)
    mark = Text(f"{ACCEPTED} " if item.accepted else f"{NOT_ACCEPTED} ")
    mark.append_text(acceptance_text(item, fmt))
    lines.append(mark)
    if item.acceptance_note:
        note = Text("Note ", style="dim")
        note.append_text(literal(item.acceptance_note, multiline=True))
        lines.append(note)
    return Group(*lines)


class CloseOutScreen(LiveScreen[ClosingState | None]):
    TITLE = "Close-out"
    WATCHES: ClassVar[frozenset[str] | None] = frozenset()  # only its project's changes
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    HELP = f"""\
### Close-out — deliverables, sign-off, lessons, close

A project is **closed** (status *closed*, phase *closing*) only when every deliverable is
accepted — who accepted it and on which day — and the client's formal sign-off is recorded
(who signed, when). Neither date may be in the future or before the project's start.

The checklist marks each deliverable `{ACCEPTED}` *accepted by … on …* or `{NOT_ACCEPTED}`
*not accepted*; the line above the lessons says whether the project is ready to close and,
if not, names every blocker. `c` closes a ready project (after a question). For a project
that is not ready, `c` lists the blockers and asks for the reason to **close with
override** — at least a few words; the reason is kept with the project and in the activity
log. Tasks not done and risks still open do not stop a close: the screen and the question
before closing say how many (`{WARNING}`), and the activity log keeps the count.

A closed project's deliverables and sign-off are the record it was closed on: `r` reopens
the project (status back to active, logged) to change them. Lessons learned stay editable
after the close. Emptying both sign-off fields withdraws the sign-off.
"""
    WRITES: ClassVar[dict[str, Action]] = {
        name: Action.MANAGE
        for name in (
            "add",
            "edit",
            "delete",
            "accept",
            "unaccept",
            "sign_off",
            "lessons",
            "close_project",
            "reopen",
        )
    }
    BINDINGS: ClassVar = [
        Binding("a", "add", "Add", id="closeout.add", tooltip="Add a deliverable"),
        Binding("e", "edit", "Edit", id="closeout.edit", tooltip="Edit the selected deliverable"),
        Binding(
            "d",
            "delete",
            "Delete",
            id="closeout.delete",
            show=False,
            tooltip="Delete the selected deliverable (asks first)",
        ),
        Binding(
            "y",
            "accept",
            "Accept",
            id="closeout.accept",
            tooltip="Record who accepted the selected deliverable and when",
        ),
        Binding(
            "u",
            "unaccept",
            "Unaccept",
            id="closeout.unaccept",
            tooltip="Withdraw the acceptance of the selected deliverable (asks first)",
        ),
        Binding(
            "s",
            "sign_off",
            "Sign-off",
            id="closeout.sign_off",
            tooltip="Record the client's sign-off: who signed and when",
        ),
        Binding(
            "l", "lessons", "Lessons", id="closeout.lessons", tooltip="Write the lessons learned"
        ),
        Binding(
            "c",
            "close_project",
            "Close",
            id="closeout.close",
            tooltip="Close the project; if it is not ready, lists why and asks for an override",
        ),
        Binding(
            "r",
            "reopen",
            "Reopen",
            id="closeout.reopen",
            tooltip="Reopen the closed project (status back to active)",
        ),
        Binding("escape", "back", "Back", id="closeout.back", tooltip="Back to Projects"),
    ]

    def watched_projects(self) -> Collection[int] | None:
        return (self.project_id,)

    def __init__(self, project_id: int) -> None:
        super().__init__()
        self.project_id = project_id
        self.state: ClosingState | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="closeout-title")
        with Horizontal(id="checklist"):
            table: DataTable[Any] = DataTable(id="deliverables", cursor_type="row")
            yield table
            yield Static("", id="deliverable-info")
        yield Static("", id="signoff")
        yield Static("", id="gate")
        yield Static("", id="lessons-text")
        yield ItpmFooter()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#deliverables", DataTable)

    @property
    def date_format(self) -> str:
        return self.itpm.settings.date_format

    def on_mount(self) -> None:
        self.table.loading = True
        self.table.focus()
        super().on_mount()

    # -- data ------------------------------------------------------------------------------

    def fetch(self) -> ClosingState | None:
        from itpm_tui.queries.closing import closing_state

        return closing_state(self.itpm.ctx.db, self.project_id)

    def show(self, data: ClosingState | None) -> None:
        self.state = data
        self.table.loading = False
        title = self.query_one("#closeout-title", Static)
        if data is None:
            title.update(Text("That project no longer exists — esc goes back.", style="bold"))
            self.table.clear(columns=True)
            self.refresh_bindings()
            return
        head = literal(data.code, wrap=True)
        head.append("  ")
        head.append_text(literal(data.name, wrap=True))
        head.stylize("bold")
        total = len(data.deliverables)
        head.append(
            f"  {data.status} · {data.phase} · {data.accepted_count}/{total} accepted",
            style="dim",
        )
        title.update(head)
        self._fill_table()
        signoff = sign_off_text(data, self.date_format, hints=may(self, "sign_off"))
        self.query_one("#signoff", Static).update(signoff)
        self.query_one("#gate", Static).update(gate_text(data, hints=may(self, "close_project")))
        lessons = Text("Lessons learned ", style="bold")
        lessons.append("(l edits)  " if may(self, "lessons") else " ", style="dim")
        if data.lessons.strip():
            lessons.append_text(literal(data.lessons, multiline=True))
        else:
            lessons.append("none written yet", style="dim")
        self.query_one("#lessons-text", Static).update(lessons)
        self._show_info()
        self.refresh_bindings()

    def _table_width(self) -> int:
        width = self.size.width or self.app.size.width
        return width - INFO_WIDTH if width >= WIDE else width

    def _fill_table(self) -> None:
        state, table = self.state, self.table
        if state is None:
            return
        keep = self.selected_item()
        width = self._table_width() - 2  # the vertical scrollbar
        acceptance = min(46, max(24, (width - 20) // 2))
        name = max(12, width - 8 - 1 - 10 - acceptance)
        table.clear(columns=True)
        table.add_column("", key="mark", width=1)
        table.add_column("Deliverable", key="name", width=name)
        table.add_column("Due", key="due", width=10)
        table.add_column("Acceptance", key="acceptance", width=acceptance)
        for item in state.deliverables:
            mark = (
                Text(ACCEPTED, style=tone("bold green"))
                if item.accepted
                else Text(NOT_ACCEPTED, style=tone("bold red"))
            )
            name_text = literal(item.name, wrap=True)
            name_text.no_wrap, name_text.overflow = True, "ellipsis"
            acc = acceptance_text(item, self.date_format)
            acc.no_wrap, acc.overflow = True, "ellipsis"
            table.add_row(
                mark,
                name_text,
                Text(format_date(item.due_date, self.date_format)),
                acc,
                key=str(item.id),
            )
        if not state.deliverables:
            hint = " — a adds one" if may(self, "add") else ""
            table.add_row(
                "", Text(f"no deliverables recorded{hint}", style="dim"), "", "", key="none"
            )
        if keep is not None:
            ids = [d.id for d in state.deliverables]
            if keep.id in ids:
                table.move_cursor(row=ids.index(keep.id))

    def on_resize(self, event: events.Resize) -> None:
        if self.state is not None:
            self._fill_table()

    def selected_item(self) -> DeliverableItem | None:
        state, table = self.state, self.table
        if state is None or not state.deliverables or table.row_count == 0:
            return None
        row = table.cursor_row
        return state.deliverables[row] if 0 <= row < len(state.deliverables) else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_info()
        self.refresh_bindings()

    def _show_info(self) -> None:
        self.query_one("#deliverable-info", Static).update(
            deliverable_info(self.selected_item(), self.date_format, hints=may(self, "add"))
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that can do something now, and that the acting role may use, are
        offered."""
        if not super().check_action(action, parameters):
            return False
        state = self.state
        if action in ("back",) or action not in {
            b.action.partition("(")[0] for b in self.BINDINGS if isinstance(b, Binding)
        }:
            return True
        if state is None:
            return False
        if state.closed:
            return action in ("reopen", "lessons")
        if action == "reopen":
            return False
        item = self.selected_item()
        if action in ("edit", "delete"):
            return item is not None
        # One of the two at a time: a wrong acceptance is withdrawn, then recorded again.
        if action == "accept":
            return item is not None and not item.accepted
        if action == "unaccept":
            return item is not None and item.accepted
        return True

    # -- actions ---------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def _open(self, form: Any, message: str) -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self.notify(message, markup=False)
                self.reload()

        self.app.push_screen(form, done)

    def action_add(self) -> None:
        if self.state is not None:
            self._open(
                DeliverableForm(self.itpm.ctx, self.state.project_id, date_format=self.date_format),
                "Deliverable added.",
            )

    def action_edit(self) -> None:
        item = self.selected_item()
        if self.state is not None and item is not None:
            self._open(
                DeliverableForm(
                    self.itpm.ctx, self.state.project_id, item, date_format=self.date_format
                ),
                "Deliverable saved.",
            )

    def action_accept(self) -> None:
        item = self.selected_item()
        if item is None or item.accepted:
            return
        form = AcceptForm(
            self.itpm.ctx,
            item,
            user=self.itpm.settings.user,
            today=self.itpm.ctx.today(),
            date_format=self.date_format,
        )
        self._open(form, f"Accepted: {item.name}")

    def action_sign_off(self) -> None:
        if self.state is not None:
            form = SignOffForm(
                self.itpm.ctx, self.state, today=self.itpm.ctx.today(), date_format=self.date_format
            )
            self._open(form, "Sign-off saved.")

    def action_lessons(self) -> None:
        if self.state is not None:
            self._open(LessonsForm(self.itpm.ctx, self.state), "Lessons saved.")

    def _confirm(self, question: str, yes: str, then: Callable[[], object]) -> None:
        def answered(answer: bool | None) -> None:
            if answer:
                then()

        self.app.push_screen(ConfirmScreen(question, yes=yes), answered)

    def action_delete(self) -> None:
        from itpm_tui.services.closing import delete_deliverable

        item = self.selected_item()
        if item is None:
            return
        ctx = self.itpm.ctx
        self._confirm(
            f"Delete the deliverable '{item.name}'?",
            "Delete",
            lambda: self.write_then_reload(
                lambda: delete_deliverable(ctx, item.id, expected_version=item.version),
                "Deliverable deleted.",
            ),
        )

    def action_unaccept(self) -> None:
        from itpm_tui.services.closing import unaccept_deliverable

        item = self.selected_item()
        if item is None or not item.accepted:
            return
        ctx = self.itpm.ctx
        when = format_date(item.accepted_on, self.date_format)
        self._confirm(
            f"Withdraw the acceptance of '{item.name}' (accepted by {item.accepted_by} on {when})?",
            "Withdraw",
            lambda: self.write_then_reload(
                lambda: unaccept_deliverable(ctx, item.id, expected_version=item.version),
                "Acceptance withdrawn.",
            ),
        )

    def action_close_project(self) -> None:
        from itpm_tui.services.closing import close_project

        state = self.state
        if state is None or state.closed:
            return
        if not state.can_close:
            self._open(OverrideForm(self.itpm.ctx, state), f"{state.code} closed with override.")
            return
        ctx = self.itpm.ctx
        signed = format_date(state.signed_off_on, self.date_format)
        self._confirm(
            f"Close {state.code} — {state.name}?\nEvery deliverable is accepted and "
            f"{state.signed_off_by} signed off on {signed}. The project becomes closed "
            "(phase closing); r reopens it."
            + (f"\n{warning}." if (warning := open_work_warning(state)) else ""),
            "Close project",
            lambda: self.write_then_reload(
                lambda: close_project(ctx, state.project_id, expected_version=state.version),
                f"{state.code} closed.",
            ),
        )

    def action_reopen(self) -> None:
        from itpm_tui.services.closing import reopen_project

        state = self.state
        if state is None or not state.closed:
            return
        ctx = self.itpm.ctx
        self._confirm(
            f"Reopen {state.code} — {state.name}?\nIts status goes back to active; the reopen "
            "is logged, and closing again needs the evidence or a new reason.",
            "Reopen",
            lambda: self.write_then_reload(
                lambda: reopen_project(ctx, state.project_id, expected_version=state.version),
                f"{state.code} reopened.",
            ),
        )
