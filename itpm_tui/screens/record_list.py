"""The modal list of one project's records with keys to add, edit and remove one: downtime
windows, non-working days, budget lines, deliverables. What they share lives here — the
columns drawn at the list's width, the selection kept across a reload, the form that saves a
record, the question before a removal, the write keys offered by role — and each dialog says
only what its records are: how a row reads, what reads them, which form and service write.

Every write runs in a worker; the dialog dismisses with True when anything was written, so
the screen below fetches its figures again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.roles import Action
from itpm_tui.errors import ItpmError
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.rights import RoleKeys, first_hint, key_line

if TYPE_CHECKING:
    from itpm_tui.screens.form import FormScreen
    from itpm_tui.services.context import Context


class Record(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Record)
D = TypeVar("D")


def record_keys(
    prefix: str, noun: str, short: str, *, edits: bool = True, verb: str = "remove"
) -> list[BindingType]:
    """The keys of a record list: `a` add, `e` edit (when `edits`), `d`/delete removes (or
    deletes: `verb`) after asking, esc closes. Ids are `prefix.add` and so on, for keymaps."""
    keys: list[BindingType] = [
        Binding("a", "add", "Add", id=f"{prefix}.add", tooltip=f"Add a {noun}")
    ]
    if edits:
        keys.append(
            Binding("e", "edit", "Edit", id=f"{prefix}.edit", tooltip=f"Edit the selected {short}")
        )
    keys.append(
        Binding(
            "d,delete",
            "remove",
            verb.capitalize(),
            id=f"{prefix}.{verb}",
            tooltip=f"{verb.capitalize()} the selected {short} (asks first)",
        )
    )
    keys.append(Binding("escape", "close", "Close", id=f"{prefix}.close"))
    return keys


class RecordListDialog(RoleKeys, ModalScreen[bool], Generic[R, D]):
    """Records `R` of one project, read as `D` (`fetch`, in a worker; or handed over when
    the screen below has them already). Subclasses set `NOUN`, `EMPTY`, `BINDINGS`
    (`record_keys`) and implement the hooks below `heading`."""

    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "remove": Action.MANAGE,
    }
    #: One record in words ("downtime window"): in messages.
    NOUN: ClassVar[str] = ""
    #: What an empty list says, before the hint to add the first.
    EMPTY: ClassVar[str] = ""
    #: The hint after `EMPTY`, for a role that may add.
    FIRST: ClassVar[str] = "a adds the first."
    #: How a saved form is told ("saved", or "added" where a form only adds).
    SAVED: ClassVar[str] = "saved"

    def __init__(self, ctx: Context, project_id: int, data: D | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.data = data
        self.changed = False

    # -- what a subclass says ----------------------------------------------------------------

    def heading(self) -> Text:
        raise NotImplementedError

    def rows(self, data: D) -> Sequence[R]:
        """The records of `data`, in the order listed."""
        raise NotImplementedError

    def fetch(self) -> D | None:
        """Read the records again (in a worker thread); None when the project is gone."""
        raise NotImplementedError

    def head(self, width: int) -> Text:
        """The column heads for a list `width` cells wide."""
        raise NotImplementedError

    def line(self, record: R, width: int) -> Text:
        raise NotImplementedError

    def note(self, width: int) -> Text:
        """The line below a list `width` cells wide that is not empty."""
        raise NotImplementedError

    def form(self, record: R | None) -> FormScreen[Any]:
        """The form that adds a record (None) or edits `record`."""
        raise NotImplementedError

    def question(self, record: R) -> str:
        """What removing `record` asks first."""
        raise NotImplementedError

    def remove_record(self, record: R) -> None:
        """Remove `record` through its service (in a worker thread)."""
        raise NotImplementedError

    def gone(self) -> None:
        """The project no longer exists (`fetch` said None); by default the list stays."""

    # -- the list ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="list-dialog"):
            yield Static(self.heading(), id="list-title")
            yield Static("", id="list-head")
            yield OptionList(id="list-rows")
            yield Static("", id="list-note")
            yield Static(Text(key_line(self, self._keys()), style="dim"), id="list-keys")

    @classmethod
    def _bound(cls) -> dict[str, Binding]:
        return {b.action: b for b in cls.BINDINGS if isinstance(b, Binding)}

    def _keys(self) -> str:
        keys = ["a add", "e / enter edit"] if "edit" in self._bound() else ["a add"]
        return " · ".join([*keys, f"d {self.verb}", "esc close"])

    @property
    def verb(self) -> str:
        """ "remove" or "delete", as the key says."""
        return self._bound()["remove"].description.lower()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()
        if self.data is None:
            self.reload()
        else:
            self.call_after_refresh(self._fill)  # again at the width the layout gave the list

    def on_resize(self) -> None:
        self._fill()

    @property
    def records(self) -> Sequence[R]:
        return [] if self.data is None else self.rows(self.data)

    def _fill(self, select: int | None = None) -> None:
        if self.data is None:
            return
        options = self.query_one(OptionList)
        before = options.highlighted
        width = max(40, options.scrollable_content_region.width or 70)
        self.query_one("#list-head", Static).update(self.head(width))
        options.clear_options()
        records = self.records
        for record in records:
            options.add_option(Option(self.line(record, width), id=str(record.id)))
        note = (
            self.note(width)
            if records
            else Text(first_hint(self, self.EMPTY, self.FIRST), style="dim")
        )
        self.query_one("#list-note", Static).update(note)
        ids = [r.id for r in records]
        if select in ids:
            options.highlighted = ids.index(select)
        elif ids:
            options.highlighted = min(before or 0, len(ids) - 1)

    @property
    def selected(self) -> R | None:
        index = self.query_one(OptionList).highlighted
        records = self.records
        return records[index] if index is not None and 0 <= index < len(records) else None

    @work(thread=True, exclusive=True, group="record-list-load")
    def reload(self, select: int | None = None) -> None:
        try:
            data = self.fetch()
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._loaded, data, select)

    def _loaded(self, data: D | None, select: int | None) -> None:
        if data is None:
            self.gone()
            return
        self.data = data
        self.query_one("#list-title", Static).update(self.heading())
        self._fill(select)

    # -- edits -------------------------------------------------------------------------------

    def _open(self, record: R | None) -> None:
        def saved(result: object) -> None:
            if result is None or result is False:
                return
            self.changed = True
            self.notify(f"{self.NOUN.capitalize()} {self.SAVED}.")
            # A form answers with the id it saved, or True: then the record it edited.
            if isinstance(result, int) and not isinstance(result, bool):
                self.reload(result)
            else:
                self.reload(None if record is None else record.id)

        self.app.push_screen(self.form(record), saved)

    def action_add(self) -> None:
        if self.data is not None:
            self._open(None)

    def action_edit(self) -> None:
        record = self.selected
        if record is None:
            self.notify(f"There is no {self.NOUN} to edit.", severity="warning")
            return
        self._open(record)

    @on(OptionList.OptionSelected, "#list-rows")
    def _chosen(self) -> None:
        """Enter edits, as `e` does, in a list that edits and for a role that may."""
        if "edit" in self._bound() and self.check_action("edit", ()):
            self.action_edit()

    def action_remove(self) -> None:
        record = self.selected
        if record is None:
            self.notify(f"There is no {self.NOUN} to {self.verb}.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(record)

        self.app.push_screen(
            ConfirmScreen(self.question(record), yes=self.verb.capitalize()), answered
        )

    @work(thread=True, group="record-list-write")
    def _remove(self, record: R) -> None:
        try:
            self.remove_record(record)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            self.changed = True
            self.app.call_from_thread(
                self.notify, f"{self.NOUN.capitalize()} {self.verb}d.", markup=False
            )
        self.app.call_from_thread(self.reload)

    def action_close(self) -> None:
        self.dismiss(self.changed)
