"""What every edit dialog shares: labelled one-line fields and rule messages beside them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from itpm_tui.domain.text import printable, printable_lines
from itpm_tui.domain.validation import Problem, ValidationError
from itpm_tui.errors import ConflictError, ItpmError
from itpm_tui.screens.rights import RoleKeys, read_only_reason
from itpm_tui.widgets.formatting import literal

if TYPE_CHECKING:
    from itpm_tui.queries.conflicts import ColleagueChange
    from itpm_tui.services.context import Context

T = TypeVar("T")

DISCARD_QUESTION = "Discard the changes made in this form?\nCancel (n or esc) goes back to it."


class FormScreen(RoleKeys, ModalScreen[T]):
    """Subclasses compose with `field()`, map the domain's field names in `FIELD_IDS`,
    and implement `action_save`, which reads the fields and hands the service call to
    `write`; `show_problems` places each message beside its field.

    Every form opens with its first field focused (or `FIRST_FIELD`), so the first keys
    typed land in it, and `esc` on a form whose fields changed since it opened asks
    before throwing the changes away.

    A form that can read its record again (`RELOADS`, `reload_record`) meets a colleague's
    save (`ConflictError`) with the conflict dialog: what they changed, then keep theirs or
    re-apply the user's changed fields on top of their version (`screens.conflict`).

    A form whose save the acting role may not do (`WRITES["save"]`, see `RoleKeys`) opens
    read-only: no Save button, ctrl+s and enter do nothing, and one line says why."""

    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    #: Field name used in the domain's messages → widget id in this form.
    FIELD_IDS: ClassVar[dict[str, str]] = {}
    #: Selector of the field focused when the form opens; empty: the first field.
    FIRST_FIELD: ClassVar[str] = ""
    #: Values of the fields when the form opened (see `changed`); set on mount.
    _opened_with: dict[str, object]
    #: Whether `reload_record` reads the record again (after a conflict); the form then has
    #: a `ctx`.
    RELOADS: ClassVar[bool] = False
    #: Stored column → widget id, for a column named otherwise than its field or widget
    #: (the conflict dialog marks the fields the user changed too).
    COLUMN_IDS: ClassVar[dict[str, str]] = {}
    #: The Save button's words and look.
    SAVE_LABEL: ClassVar[str] = "Save (ctrl+s)"
    SAVE_VARIANT: ClassVar[Literal["primary", "warning"]] = "primary"
    ctx: Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Characters typed before the form had mounted (see `take_typed`).
        self._early: list[str] = []
        #: The newest activity entry when the record shown was read: a colleague's save
        #: after it is logged above it (None until read).
        self._seen: int | None = None

    def on_mount(self) -> None:
        """Runs after a subclass's own `on_mount` (Textual calls each class's handler), so
        the fields hold their first values. Focus is set now, not later: a key typed as the
        form appears must not land on the scrolling container."""
        self._opened_with = self.field_values()
        first = self.first_field()
        if first is not None:
            self.set_focus(first)
        for character in self._early:
            self.take_typed(character)
        self._early.clear()
        if self.RELOADS:
            self._note_newest()

    @work(thread=True, group="conflict-note")
    def _note_newest(self) -> None:
        """Note the newest activity entry as the form opens (one index look-up): the
        record was read just before, so a colleague's save after it is logged above it."""
        from itpm_tui.queries.conflicts import change_mark

        seen = change_mark(self.ctx.db)
        if self._seen is None:  # a reload after a conflict noted its own meanwhile
            self._seen = seen

    def on_key(self, event: events.Key) -> None:
        """A character typed while the form was still being built came to the screen, as
        nothing had focus yet (typed into a text field, a character never reaches here)."""
        if event.is_printable and event.character and self.take_typed(event.character):
            event.stop()
            event.prevent_default()

    def take_typed(self, character: str) -> bool:
        """Put a character typed before the form was ready into its field — the one focused,
        or the first field once the form has opened — instead of losing it. The app hands
        over too the keys typed right after the key that opened the form, which Textual had
        already queued for the screen below. False when no text field has focus."""
        if not hasattr(self, "_opened_with"):
            self._early.append(character)
            return True
        focused = self.focused
        if isinstance(focused, Input):
            focused.insert_text_at_cursor(character)
        elif isinstance(focused, TextArea):
            focused.insert(character)
        else:
            return False
        return True

    def first_field(self) -> Widget | None:
        if self.FIRST_FIELD:
            return self.query_one(self.FIRST_FIELD)
        return next((w for w in self.query(".field-row > *") if _is_field(w) and w.focusable), None)

    def field_values(self) -> dict[str, object]:
        """What every field with an id holds now."""
        values: dict[str, object] = {}
        for widget in self.query("*"):
            if widget.id is not None and _is_field(widget):
                values[widget.id] = _value_of(widget)
        return values

    def remember_field(self, widget_id: str) -> None:
        """Take a field's current value as its opening value (for fields whose choices
        arrive after the form opened)."""
        widget = self.query_one(f"#{widget_id}")
        self._opened_with[widget_id] = _value_of(widget)

    def changed(self) -> bool:
        """Whether any field differs from what it held when the form opened."""
        opened = getattr(self, "_opened_with", None)
        return opened is not None and self.field_values() != opened

    def field(self, key: str, label: str, widget: Any) -> ComposeResult:
        """Label and input on one line (so forms fit 80×24), the field's message below.

        A value loaded from the database enters the field with its control characters as
        visible ``\\xNN`` marks (`shown_as_text`), so the terminal never receives them."""
        widget.compact = True
        shown_as_text(widget)
        with Vertical(classes="field"):
            with Horizontal(classes="field-row"):
                yield Label(label, classes="field-label")
                yield widget
            yield Static("", id=f"err-{key}", classes="error field-error")

    def general_error(self) -> ComposeResult:
        yield Static("", id="form-error", classes="error")

    def buttons(self) -> ComposeResult:
        """Save and Cancel; for a role that may not save, the reason instead of Save."""
        read_only = read_only_reason(self)
        if read_only:
            yield Static(read_only, id="form-read-only")
        with Horizontal(id="form-buttons"):
            if not read_only:
                yield Button(self.SAVE_LABEL, variant=self.SAVE_VARIANT, id="save", compact=True)
            yield Button("Cancel (esc)", id="cancel", compact=True)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in a one-line field saves, as ctrl+s does (where the role may save)."""
        if self.check_action("save", ()):
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="save")
    def write(self, save: Callable[[], T]) -> None:
        """Run `save` off the UI thread and dismiss with what it returns; its rule messages
        land beside the fields, and a conflict, a vanished record or a database that
        refused the write (locked, read-only) above them — the form and what was typed
        stay, so the user can try again."""
        try:
            result = save()
        except ValidationError as exc:
            self.app.call_from_thread(self.show_problems, exc.problems)
        except ConflictError as exc:
            changes = self._colleague_changes(exc)
            if changes is None:
                self.app.call_from_thread(self.show_problems, [], str(exc))
            else:
                self.app.call_from_thread(self._conflicted, exc, changes)
        except ItpmError as exc:  # anything else is a bug, not the user's problem: seen as one
            self.app.call_from_thread(self.show_problems, [], str(exc))
        else:
            self.app.call_from_thread(self.dismiss, result)

    def reload_record(self) -> None:
        """Runs in a worker thread: read the record again and keep it as what the form
        shows (its values and version), so `recompose` draws the stored record. Raises
        `NotFoundError` when it is gone. Forms with `RELOADS` implement it."""
        raise NotImplementedError

    def _colleague_changes(self, exc: ConflictError) -> list[ColleagueChange] | None:
        """What the colleague changed in the record `exc` names since the form read it,
        from the activity log; None when this form cannot offer the choice."""
        from itpm_tui.queries.conflicts import changes_since

        if not self.RELOADS or exc.entity is None or exc.row_id is None or self._seen is None:
            return None
        return changes_since(self.ctx.db, exc.entity, exc.row_id, self._seen)

    def mine(self) -> dict[str, object]:
        """The fields the user changed since the form opened (or last reloaded): id → value."""
        opened = getattr(self, "_opened_with", {})
        return {k: v for k, v in self.field_values().items() if opened.get(k, v) != v}

    def widget_of(self, column: str) -> str | None:
        """The id of the field that edits a stored `column`, if this form has one."""
        ids = set(self.field_values())
        for candidate in (
            self.COLUMN_IDS.get(column),
            self.FIELD_IDS.get(column),
            self.FIELD_IDS.get(column.replace("_", " ")),
            column,
            column.replace("_", "-"),
        ):
            if candidate is not None and candidate in ids:
                return candidate
        return None

    def _conflicted(self, exc: ConflictError, changes: list[ColleagueChange]) -> None:
        """Keep the form and what was typed; show what the colleague changed and ask."""
        from itpm_tui.screens.conflict import KEEP_THEIRS, REAPPLY_MINE, ConflictDialog

        mine = self.mine()
        both = {c.field for c in changes if c.field and self.widget_of(c.field) in mine}
        what = str(exc).split(";", 1)[0]
        self.show_problems([], f"{what}: ctrl+s shows what they changed and asks again.")

        def chosen(choice: str | None) -> None:
            if choice == KEEP_THEIRS:
                self._reload({})
            elif choice == REAPPLY_MINE:
                self._reload(mine)

        self.app.push_screen(ConflictDialog(what, changes, both), chosen)

    @work(thread=True, exclusive=True, group="save")
    def _reload(self, mine: dict[str, object]) -> None:
        """Read the stored record again, then draw it — with `mine` on top, saved at once."""
        from itpm_tui.queries.conflicts import change_mark

        seen = change_mark(self.ctx.db)  # before the record: a save between is listed
        try:
            self.reload_record()
        except ItpmError as exc:
            self.app.call_from_thread(self.show_problems, [], str(exc))
            return
        self.app.call_from_thread(self._reloaded, seen, mine)

    def _reloaded(self, seen: int, mine: dict[str, object]) -> None:
        self._seen = seen
        self.run_worker(self._redraw(mine), group="conflict-redraw")

    async def _redraw(self, mine: dict[str, object]) -> None:
        """Compose the form again from the record read, then put `mine` back on top."""
        await self.recompose()
        self._opened_with = self.field_values()
        for widget_id, value in mine.items():
            _set_value(self.query_one(f"#{widget_id}"), value)
        first = self.first_field()
        if first is not None:
            self.set_focus(first)
        self.show_problems([])
        if mine:
            self.action_save()
        else:
            self.notify("Their version is shown; your changes were dropped.")

    @staticmethod
    def check_together(problems: list[Problem], check: Callable[[], object]) -> None:
        """Run the domain's `check` as well and raise every problem at once, so a date the
        form could not read and a bad amount are told together (the form's message wins
        for a field both fault)."""
        try:
            check()
        except ValidationError as exc:
            found = {p.field for p in problems}
            problems = problems + [p for p in exc.problems if p.field not in found]
        if problems:
            raise ValidationError.of(problems)

    def action_cancel(self) -> None:
        """Close at once when nothing changed; otherwise ask before discarding."""
        if not self.changed():
            self.dismiss(None)
            return
        from itpm_tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(DISCARD_QUESTION, yes="Discard"), answered)

    def text(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def selected(self, widget_id: str) -> Any:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value

    def show_problems(self, problems: list[Problem], general: str = "") -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.remove_class("shown")
        unplaced = [general] if general else []
        for problem in problems:
            widget_id = self.FIELD_IDS.get(problem.field)
            if widget_id is None:
                unplaced.append(str(problem))
                continue
            error = self.query_one(f"#err-{widget_id}", Static)
            error.update(literal(f"✖ {problem.rule}", wrap=True))
            error.add_class("shown")
        top = self.query_one("#form-error", Static)
        top.update(literal("\n".join(unplaced), multiline=True))
        top.set_class(bool(unplaced), "shown")
        if problems and (first := self.FIELD_IDS.get(problems[0].field)):
            widget = self.query_one(f"#{first}")
            if not widget.disabled:
                widget.focus()


def shown_as_text(widget: Widget) -> None:
    """Put an Input's or TextArea's value back with every control character (but tab, and
    newline in a TextArea) as a visible ``\\xNN`` mark: an escape sequence stored by an
    import or by hand is shown, and a save writes the marks, never the raw control."""
    if isinstance(widget, Input) and printable(widget.value) != widget.value:
        widget.value = printable(widget.value)
    elif isinstance(widget, TextArea) and printable_lines(widget.text) != widget.text:
        widget.text = printable_lines(widget.text)


def _is_field(widget: Widget) -> bool:
    return isinstance(widget, Input | TextArea | Select | Checkbox)


def _set_value(widget: Widget, value: object) -> None:
    """Put back a value `_value_of` read (a choice no longer offered is left as it is)."""
    if isinstance(widget, TextArea):
        widget.text = str(value)
    elif isinstance(widget, Input):
        widget.value = str(value)
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, Select):
        with suppress(InvalidSelectValueError):
            widget.value = value


def _value_of(widget: Widget) -> object:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select | Checkbox):
        return widget.value
    return None
