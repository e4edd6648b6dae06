"""The dialog that adds or edits one ledger entry, checked by the domain's ledger rules."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static

from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.money import format_money
from itpm_tui.domain.roles import Action
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.queries.budget import LedgerRow
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import input_date
from itpm_tui.widgets.text_select import TextSelect
from itpm_tui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from itpm_tui.services.context import Context


class EntryForm(FormScreen[int | None]):
    """Add or edit one ledger entry; dismisses with its id once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    COLUMN_IDS: ClassVar = {"entry_date": "entry-date", "invoice_ref": "invoice"}
    FIELD_IDS: ClassVar = {
        "date": "entry-date",
        "vendor": "vendor",
        "category": "category",
        "description": "description",
        "amount": "amount",
        "credit": "credit",
        "kind": "kind",
        "invoice": "invoice",
    }

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        currency: str,
        categories: list[str],
        *,
        row: LedgerRow | None = None,
        today: date | None = None,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.currency = currency
        # An entry keeps its category even when no budget line uses it any more.
        self.categories = (
            [*categories, row.category]
            if row is not None and row.category not in categories
            else categories
        )
        self.row = row
        self.today = today or ctx.today()
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        r = self.row
        title = "Edit ledger entry" if r else "New ledger entry"
        amount = (
            ""
            if r is None
            else format_money(abs(r.amount), self.currency, symbol=False).replace(",", "")
        )
        category: Any = Select.NULL
        if r is not None and r.category in self.categories:
            category = r.category
        with Vertical(id="form"):
            yield Static(Text(f"{title} · {self.currency}"), id="form-title")
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                yield from self.field(
                    "entry-date",
                    "Date",
                    Input(
                        input_date(r.entry_date if r else self.today, self.date_format),
                        id="entry-date",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self.field("vendor", "Vendor", Input(r.vendor if r else "", id="vendor"))
                yield from self.field(
                    "category",
                    "Category",
                    TextSelect(
                        [(c, c) for c in self.categories],
                        value=category,
                        id="category",
                        prompt="(choose)",
                    ),
                )
                yield from self.field(
                    "description",
                    "Description",
                    Input(r.description if r else "", id="description"),
                )
                yield from self.field(
                    "amount",
                    "Amount",
                    Input(amount, id="amount", placeholder=f"e.g. 1,250.00 ({self.currency})"),
                )
                yield from self.field(
                    "credit",
                    "Credit",
                    TickBox(
                        "a refund: lowers the spend",
                        r is not None and r.amount < 0,
                        id="credit",
                    ),
                )
                yield from self.field(
                    "kind",
                    "Kind",
                    TextSelect(
                        [(k.value, k.value) for k in (EntryKind.ACTUAL, EntryKind.COMMITTED)],
                        value=r.kind if r else EntryKind.ACTUAL.value,
                        id="kind",
                        allow_blank=False,
                    ),
                )
                yield from self.field(
                    "invoice", "Invoice", Input(r.invoice_ref if r else "", id="invoice")
                )
            yield from self.buttons()

    def read_draft(self) -> Any:
        from itpm_tui.domain.ledger import EntryDraft

        problems: list[Problem] = []
        entry_date = None
        try:
            entry_date = parse_date(self.text("entry-date"), "date", self.date_format)
        except ValidationError as exc:
            problems.extend(exc.problems)
        draft = EntryDraft(
            entry_date=entry_date,
            vendor=self.text("vendor"),
            category=str(self.selected("category") or ""),
            description=self.text("description"),
            amount=self.text("amount"),
            kind=str(self.selected("kind") or EntryKind.ACTUAL.value),
            invoice_ref=self.text("invoice"),
            credit=self.query_one("#credit", Checkbox).value,
        )
        return draft, problems

    def reload_record(self) -> None:
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.budget import ledger_row

        row = None if self.row is None else ledger_row(self.ctx.db, self.row.id)
        if row is None:
            raise NotFoundError("the ledger entry no longer exists (removed by someone else)")
        self.row = row
        if row.category not in self.categories:
            self.categories = [*self.categories, row.category]

    def action_save(self) -> None:
        draft, problems = self.read_draft()
        self.write(lambda: self._store(draft, problems))

    def _store(self, draft: Any, problems: list[Problem]) -> int:
        from itpm_tui.domain.ledger import validate_entry
        from itpm_tui.services.ledger import add_entry, update_entry

        self.check_together(problems, lambda: validate_entry(draft, self.currency, self.categories))
        if self.row is None:
            return add_entry(self.ctx, self.project_id, draft)
        update_entry(self.ctx, self.row.id, draft, expected_version=self.row.version)
        return self.row.id
