"""The budget's own lines: the form that adds or edits one, and the dialog that lists a
project's lines to pick one to edit or remove — so a plan can be typed in from nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from itpm_tui.domain.money import format_money
from itpm_tui.domain.roles import Action
from itpm_tui.domain.validation import Problem
from itpm_tui.queries.ledger import BudgetLineRow
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.record_list import RecordListDialog, record_keys
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


class BudgetLinesDialog(RecordListDialog[BudgetLineRow, LinesData]):
    """A project's budget lines and their total: add, edit or remove one
    (`RecordListDialog`); the Budget screen fetches its figures again after a change."""

    NOUN = "budget line"
    EMPTY = "No budget lines yet"
    BINDINGS: ClassVar = record_keys("budget_lines", NOUN, "line")

    def __init__(
        self, ctx: Context, project_id: int, code: str, currency: str, data: LinesData
    ) -> None:
        super().__init__(ctx, project_id, data)
        self.code = code
        self.currency = currency

    def heading(self) -> Text:
        return Text(f"Budget lines · {self.code} · {self.currency}", style="bold")

    def rows(self, data: LinesData) -> list[BudgetLineRow]:
        return data.lines

    def fetch(self) -> LinesData:
        from itpm_tui.queries.ledger import budget_lines, project_categories

        return LinesData(
            budget_lines(self.ctx.db, self.project_id),
            project_categories(self.ctx.db, self.project_id),
        )

    def _columns(self, width: int) -> tuple[int, int, int]:
        lines = self.records
        amount = max([len(self._amount(r)) for r in lines] + [len("Amount")])
        category = min(20, max([literal(r.category).cell_len for r in lines] + [len("Category")]))
        return category, width - category - amount - 3, amount

    def _amount(self, row: BudgetLineRow) -> str:
        return format_money(row.amount, self.currency, symbol=False)

    def head(self, width: int) -> Text:
        cat_w, desc_w, amount_w = self._columns(width)
        head = Text("Category".ljust(cat_w) + " " + "Description".ljust(desc_w) + " ")
        head.append("Amount".rjust(amount_w))
        head.stylize("bold underline")
        return head

    def line(self, record: BudgetLineRow, width: int) -> Text:
        cat_w, desc_w, amount_w = self._columns(width)
        line = Text(no_wrap=True)
        for text, cell_w in ((record.category, cat_w), (record.description, desc_w)):
            cell = literal(text)
            cell.truncate(cell_w, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" ")
        line.append(self._amount(record).rjust(amount_w))
        return line

    def note(self, width: int) -> Text:
        """The total, under the amounts."""
        cat_w, desc_w, amount_w = self._columns(width)
        total = sum((r.amount for r in self.records), start=Decimal(0))
        amount = format_money(total, self.currency, symbol=False)
        return Text("Total".ljust(cat_w + desc_w + 2) + amount.rjust(amount_w), style="bold")

    def form(self, record: BudgetLineRow | None) -> BudgetLineForm:
        categories = [] if self.data is None else self.data.categories
        return BudgetLineForm(self.ctx, self.project_id, self.currency, categories, row=record)

    def question(self, record: BudgetLineRow) -> str:
        what = f"{record.category}{f' ({record.description})' if record.description else ''}"
        return (
            f"Remove the budget line {what} of {format_money(record.amount, self.currency)}? "
            "Ledger entries booked to its category stay."
        )

    def remove_record(self, record: BudgetLineRow) -> None:
        from itpm_tui.services.budget_lines import delete_budget_line

        delete_budget_line(self.ctx, record.id, record.version)
