"""What every edit dialog shares: labelled one-line fields and rule messages beside them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from itpm_tui.domain.text import printable, printable_lines
from itpm_tui.domain.validation import Problem, ValidationError
from itpm_tui.errors import ItpmError
from itpm_tui.screens.rights import RoleKeys
from itpm_tui.widgets.formatting import literal

T = TypeVar("T")

DISCARD_QUESTION = "Discard the changes made in this form?\nCancel (n or esc) goes back to it."


class FormScreen(RoleKeys, ModalScreen[T]):
    """Subclasses compose with `field()`, map the domain's field names in `FIELD_IDS`,
    and implement `action_save`, which reads the fields and hands the service call to
    `write`; `show_problems` places each message beside its field.

    Every form opens with its first field focused (or `FIRST_FIELD`), so the first keys
    typed land in it, and `esc` on a form whose fields changed since it opened asks
    before throwing the changes away."""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Characters typed before the form had mounted (see `take_typed`).
        self._early: list[str] = []

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
        with Horizontal(id="form-buttons"):
            yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
            yield Button("Cancel (esc)", id="cancel", compact=True)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in a one-line field saves, as ctrl+s does."""
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
        except ItpmError as exc:  # anything else is a bug, not the user's problem: seen as one
            self.app.call_from_thread(self.show_problems, [], str(exc))
        else:
            self.app.call_from_thread(self.dismiss, result)

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


def _value_of(widget: Widget) -> object:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select | Checkbox):
        return widget.value
    return None
