"""The budget's own lines: the form that adds or edits one, and the dialog that lists a
project's lines to pick one to edit or remove — so a plan can be typed in from nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.money import format_money
from itpm_tui.domain.roles import Action
from itpm_tui.domain.validation import Problem
from itpm_tui.errors import ItpmError
from itpm_tui.queries.ledger import BudgetLineRow
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.rights import RoleKeys, first_hint, key_line
from itpm_tui.widgets.formatting import literal
from itpm_tui.widgets.text_select import TextSelect

if TYPE_CHECKING:
    from itpm_tui.services.context import Context

#: The category choice that opens the field for a name of the PM's own.
NEW_CATEGORY = "\x00new"


class BudgetLineForm(FormScreen[int | None]):
    """Add or edit one budget line; dismisses with its id once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    FIELD_IDS: ClassVar = {
        "category": "category",
        "new category": "new-category",
        "description": "description",
        "amount": "amount",
    }

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        currency: str,
        categories: list[str],
        *,
        row: BudgetLineRow | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.currency = currency
        known = {c.casefold() for c in categories}
        self.categories = (
            [*categories, row.category]
            if row is not None and row.category.casefold() not in known
            else categories
        )
        self.row = row

    def compose(self) -> ComposeResult:
        r = self.row
        title = "Edit budget line" if r else "New budget line"
        amount = "" if r is None else format_money(r.amount, self.currency, symbol=False)
        # The list spells a category as first met; a line spelt otherwise picks that entry.
        current: Any = Select.NULL
        if r is not None:
            key = r.category.casefold()
            current = next((c for c in self.categories if c.casefold() == key), Select.NULL)
        with Vertical(id="form"):
            yield Static(Text(f"{title} · {self.currency}"), id="form-title")
            yield from self.general_error()
            with Vertical(id="fields"):
                yield from self.field(
                    "category",
                    "Category",
                    TextSelect(
                        [(c, c) for c in self.categories]
                        + [("other: name a new category…", NEW_CATEGORY)],
                        value=current,
                        id="category",
                        prompt="(choose)",
                    ),
                )
                yield from self.field(
                    "new-category",
                    "New name",
                    Input(id="new-category", placeholder="e.g. travel (at most 40 characters)"),
                )
                yield from self.field(
                    "description",
                    "Description",
                    Input(r.description if r else "", id="description"),
                )
                yield from self.field(
                    "amount",
                    "Amount",
                    Input(
                        amount.replace(",", ""),
                        id="amount",
                        placeholder=f"e.g. 12,000.00 ({self.currency}, 0 or more)",
                    ),
                )
            yield from self.buttons()

    def on_mount(self) -> None:
        self._show_new_name()

    @on(Select.Changed, "#category")
    def _category_changed(self) -> None:
        self._show_new_name()
        if self._naming:
            self.query_one("#new-category", Input).focus()

    @property
    def _naming(self) -> bool:
        return bool(self.selected("category") == NEW_CATEGORY)

    def _show_new_name(self) -> None:
        """The name field is there only while "other" is chosen, so it never competes with
        the list."""
        block = self.query_one("#new-category", Input).parent
        assert block is not None and block.parent is not None
        block.parent.display = self._naming

    def show_problems(self, problems: list[Problem], general: str = "") -> None:
        """A category message belongs beside the name being typed, when one is."""
        if self._naming:
            problems = [
                Problem("new category", p.rule) if p.field == "category" else p for p in problems
            ]
        super().show_problems(problems, general)

    def action_save(self) -> None:
        from itpm_tui.domain.ledger import BudgetLineDraft

        chosen = self.selected("category")
        category = self.text("new-category") if chosen == NEW_CATEGORY else str(chosen or "")
        draft = BudgetLineDraft(category, self.text("description"), self.text("amount"))
        self.write(lambda: self._store(draft))

    def reload_record(self) -> None:
        """The line as stored now (it has no version: the fields it was read with are
        what a save compares)."""
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.ledger import budget_lines

        lines = [] if self.row is None else budget_lines(self.ctx.db, self.project_id)
        row = next((r for r in lines if self.row and r.id == self.row.id), None)
        if row is None:
            raise NotFoundError("the budget line no longer exists (removed by someone else)")
        self.row = row
        if row.category.casefold() not in {c.casefold() for c in self.categories}:
            self.categories = [*self.categories, row.category]

    def _store(self, draft: Any) -> int:
        from itpm_tui.services.budget_lines import add_budget_line, update_budget_line

        if self.row is None:
            return add_budget_line(self.ctx, self.project_id, draft)
        update_budget_line(self.ctx, self.row.id, draft, self.row.version)
        return self.row.id


@dataclass(frozen=True)
class LinesData:
    lines: list[BudgetLineRow]
    categories: list[str]


class BudgetLinesDialog(RoleKeys, ModalScreen[bool]):
    """A project's budget lines: add, edit or remove one. Dismisses with True when anything
    was written, so the Budget screen fetches its figures again."""

    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "remove": Action.MANAGE,
    }

    BINDINGS: ClassVar = [
        Binding("a", "add", "Add", id="budget_lines.add", tooltip="Add a budget line"),
        Binding("e", "edit", "Edit", id="budget_lines.edit", tooltip="Edit the selected line"),
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="budget_lines.remove",
            tooltip="Remove the selected line (asks first)",
        ),
        Binding("escape", "close", "Close", id="budget_lines.close"),
    ]

    def __init__(
        self, ctx: Context, project_id: int, code: str, currency: str, data: LinesData
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.code = code
        self.currency = currency
        self.data = data
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="lines-dialog"):
            yield Static(Text(f"Budget lines · {self.code} · {self.currency}", style="bold"))
            yield Static("", id="lines-head")
            yield OptionList(id="lines")
            yield Static("", id="lines-total")
            yield Static(
                Text(key_line(self, "a add · e / enter edit · d remove · esc close"), style="dim"),
                id="lines-keys",
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()
        self.call_after_refresh(self._fill)  # again at the width the layout gave the list

    def on_resize(self) -> None:
        self._fill()

    # -- the list --------------------------------------------------------------------------

    def _columns(self) -> tuple[int, int, int]:
        width = max(40, self.query_one(OptionList).scrollable_content_region.width or 70)
        lines = self.data.lines
        amount = max([len(self._amount(r)) for r in lines] + [len("Amount")])
        category = min(20, max([literal(r.category).cell_len for r in lines] + [len("Category")]))
        return category, width - category - amount - 3, amount

    def _amount(self, row: BudgetLineRow) -> str:
        return format_money(row.amount, self.currency, symbol=False)

    def _fill(self, select: int | None = None) -> None:
        options = self.query_one(OptionList)
        before = options.highlighted
        cat_w, desc_w, amount_w = self._columns()
        head = Text("Category".ljust(cat_w) + " " + "Description".ljust(desc_w) + " ")
        head.append("Amount".rjust(amount_w))
        head.stylize("bold underline")
        self.query_one("#lines-head", Static).update(head)
        options.clear_options()
        for row in self.data.lines:
            line = Text(no_wrap=True)
            for text, width in ((row.category, cat_w), (row.description, desc_w)):
                cell = literal(text)
                cell.truncate(width, overflow="ellipsis", pad=True)
                line.append_text(cell)
                line.append(" ")
            line.append(self._amount(row).rjust(amount_w))
            options.add_option(Option(line, id=str(row.id)))
        total = sum((r.amount for r in self.data.lines), start=Decimal(0))
        amount = format_money(total, self.currency, symbol=False)
        footer = Text("Total".ljust(cat_w + desc_w + 2) + amount.rjust(amount_w), style="bold")
        if not self.data.lines:
            footer = Text(first_hint(self, "No budget lines yet", "a adds the first."), style="dim")
        self.query_one("#lines-total", Static).update(footer)
        ids = [r.id for r in self.data.lines]
        if select in ids:
            options.highlighted = ids.index(select)
        elif ids:
            options.highlighted = min(before or 0, len(ids) - 1)

    @property
    def selected(self) -> BudgetLineRow | None:
        index = self.query_one(OptionList).highlighted
        lines = self.data.lines
        return lines[index] if index is not None and 0 <= index < len(lines) else None

    @work(thread=True, exclusive=True, group="lines-load")
    def reload(self, select: int | None = None) -> None:
        from itpm_tui.queries.ledger import budget_lines, project_categories

        try:
            data = LinesData(
                budget_lines(self.ctx.db, self.project_id),
                project_categories(self.ctx.db, self.project_id),
            )
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._loaded, data, select)

    def _loaded(self, data: LinesData, select: int | None) -> None:
        self.data = data
        self._fill(select)

    # -- edits -----------------------------------------------------------------------------

    def _form(self, row: BudgetLineRow | None) -> None:
        def saved(line_id: int | None) -> None:
            if line_id is not None:
                self.changed = True
                self.notify("Budget line saved.")
                self.reload(line_id)

        form = BudgetLineForm(
            self.ctx, self.project_id, self.currency, self.data.categories, row=row
        )
        self.app.push_screen(form, saved)

    def action_add(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        row = self.selected
        if row is None:
            self.notify("There is no budget line to edit.", severity="warning")
            return
        self._form(row)

    @on(OptionList.OptionSelected, "#lines")
    def _chosen(self) -> None:
        if self.check_action("edit", ()):  # enter edits, as `e` does, for a role that may
            self.action_edit()

    def action_remove(self) -> None:
        row = self.selected
        if row is None:
            self.notify("There is no budget line to remove.", severity="warning")
            return
        what = f"{row.category}{f' ({row.description})' if row.description else ''}"
        question = (
            f"Remove the budget line {what} of {format_money(row.amount, self.currency)}? "
            "Ledger entries booked to its category stay."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(row)

        self.app.push_screen(ConfirmScreen(question, yes="Remove"), answered)

    @work(thread=True, group="lines-write")
    def _remove(self, row: BudgetLineRow) -> None:
        from itpm_tui.services.budget_lines import delete_budget_line

        try:
            delete_budget_line(self.ctx, row.id, row.version)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            self.changed = True
            self.app.call_from_thread(self.notify, "Budget line removed.")
        self.app.call_from_thread(self.reload)

    def action_close(self) -> None:
        self.dismiss(self.changed)
