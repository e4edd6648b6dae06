"""Budget: one project's categories (planned, committed, actual, variance), its earned value,
and the ledger of every expense below them, read one window at a time.

Which project: the one selected on the Projects screen when the user comes here (like the
Timeline), or the one picked with `p` while on this screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Footer, Header, Input, Select, Static

from itpm_tui.domain.earned_value import EarnedValue
from itpm_tui.domain.enums import EntryKind
from itpm_tui.domain.money import format_compact, format_money
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.errors import ItpmError
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.live import OneProjectScreen
from itpm_tui.screens.timeline import ProjectPicker
from itpm_tui.services.budget import (
    BudgetBurndown,
    BudgetFigures,
    BudgetSummary,
    CurrencyTotals,
    LedgerRow,
    SpendCurve,
    budget_burndown,
    budget_summary,
    ledger_count,
    ledger_index_of,
    ledger_page,
    portfolio_budget,
    spend_curve,
)
from itpm_tui.services.timeline import ProjectChoice, project_choices
from itpm_tui.widgets.formatting import format_date, literal, tone
from itpm_tui.widgets.ledger_table import PAGE, LedgerTable
from itpm_tui.widgets.plot_panel import PlotPanel

if TYPE_CHECKING:
    from itpm_tui.services.context import Context

OVER = "✖ over"
#: Cells of the earned value panel beside the categories on a wide screen (budget.tcss).
EV_WIDTH = 64
SORT_LABELS = {
    "-date": "newest first",
    "date": "oldest first",
    "-amount": "largest first",
    "amount": "smallest first",
    "vendor": "by vendor",
    "category": "by category",
}


@dataclass(frozen=True)
class BudgetData:
    choices: list[ProjectChoice]
    summary: BudgetSummary | None = None
    count: int = 0
    sort: str = "-date"
    page: tuple[int, list[LedgerRow]] | None = None
    categories: list[str] = field(default_factory=list)
    #: Row to select once shown (the entry just saved), if it is in this project's ledger.
    select: int | None = None
    curve: SpendCurve | None = None
    burndown: BudgetBurndown | None = None
    #: The portfolio's totals, one per currency (never added across currencies).
    portfolio: dict[str, CurrencyTotals] = field(default_factory=dict)


class BudgetPicker(ProjectPicker):
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#picker Static", Static).update(Text("Show the budget of…", style="bold"))


class BudgetScreen(OneProjectScreen[BudgetData]):
    TITLE = "Budget"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    HELP = f"""\
### Budget — planned, committed, actual, earned

**Categories**: the budget lines summed per category, against what is committed (ordered,
not yet invoiced) and actually spent. *Remaining* = budget − committed − actual.
*Forecast at completion* = actual + committed + what remains of the budget (an overrun is
not assumed to grow); *variance* = budget − forecast, so it is 0 within budget and negative
by the overrun. `{OVER}` marks a category whose committed and actual spend passed its budget.

**Earned value** at today: BAC is the total budget, PV the budget of the work the baseline
planned by today, EV the budget of the work done (percent complete of the baselined tasks,
weighted by estimate hours), AC the actual spend. SV = EV − PV and CV = EV − AC (negative is
bad); SPI and CPI below 1 mean behind and over; EAC = BAC / CPI, ETC = EAC − AC,
VAC = BAC − EAC; TCPI is the efficiency the rest of the work needs to end on budget.

**Ledger**: every entry, newest first (`s` changes the order). A credit (refund) is a
negative amount. `a` adds, `e` edits, `d` deletes the selected entry (asks first);
`p` picks another project. `c` shows the **S-curve** in place of the ledger: PV (the
baseline's plan, `x`), EV (work done, `+`) and AC (actual cost, dots) accumulated over time,
the budget at completion as a flat line and today as a vertical line. `c` again shows the
**budget burn-down**: the remaining budget (BAC − actual spend, dots) against the plan
(BAC − PV, `x`), today as a vertical line; `c` once more returns to the ledger.

**Portfolio** (the line above the ledger): budget, committed, actual and remaining of all
live projects, one total per currency; amounts in different currencies are never added.
"""
    BINDINGS: ClassVar = [
        Binding("a", "add", "Add", id="budget.add", tooltip="Add a ledger entry"),
        Binding("e", "edit", "Edit", id="budget.edit", tooltip="Edit the selected entry"),
        Binding("d", "delete", "Delete", id="budget.delete", tooltip="Delete the entry"),
        Binding(
            "s", "sort", "Sort", id="budget.sort", tooltip="Change the ledger order", show=False
        ),
        Binding("p", "pick", "Project", id="budget.pick", tooltip="Pick the project to show"),
        Binding(
            "c",
            "chart",
            "Chart",
            id="budget.chart",
            tooltip="Cycle the ledger, the S-curve (PV, EV, AC) and the budget burn-down",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[ProjectChoice] = []
        self.data: BudgetData | None = None
        self.sort = "-date"
        self._select_entry: int | None = None  # the entry just saved, to select once shown
        #: What fills the bottom: "ledger", "curve" (S-curve) or "burndown"; `c` cycles.
        self.view = "ledger"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="budget-top"):
            yield Static("", id="categories")
            yield Static("", id="ev")
        yield Static("", id="rollup")
        yield Static("", id="ledger-title")
        yield LedgerTable(self._page_loader, id="ledger")
        yield SpendChart(id="curve")
        yield BudgetBurndownChart(id="budget-burndown")
        yield Footer()

    @property
    def show_chart(self) -> bool:
        return self.view != "ledger"

    def _page_loader(self, project_id: int, offset: int, limit: int, sort: str) -> list[LedgerRow]:
        return ledger_page(self.itpm.ctx.db, project_id, offset, limit, sort)

    @property
    def ledger(self) -> LedgerTable:
        return self.query_one(LedgerTable)

    def on_mount(self) -> None:
        self.follow_projects_screen()
        self.ledger.loading = True
        self.ledger.focus()
        super().on_mount()

    def on_screen_resume(self) -> None:
        if self.follow_projects_screen():
            self.reload()
        else:
            super().on_screen_resume()

    # -- data ------------------------------------------------------------------------------

    def fetch(self) -> BudgetData:
        from itpm_tui.services.ledger import project_categories

        db = self.itpm.ctx.db
        choices = project_choices(db)
        portfolio = portfolio_budget(db)
        ids = {c.id for c in choices}
        project_id = self.project_id if self.project_id in ids else None
        if project_id is None and choices:
            project_id = choices[0].id
        if project_id is None:
            return BudgetData(choices, portfolio=portfolio)
        sort = self.sort
        summary = budget_summary(db, project_id, self.itpm.ctx.today())
        count = ledger_count(db, project_id)
        same = self.ledger.project_id == project_id and self.ledger.sort == sort
        page = self.ledger.top_page if same else 0
        select = None
        if self._select_entry is not None:
            select = ledger_index_of(db, project_id, self._select_entry, sort)
            if select is not None:
                page = select // PAGE
        rows = ledger_page(db, project_id, page * PAGE, PAGE, sort)
        today = self.itpm.ctx.today()
        return BudgetData(
            choices,
            summary,
            count,
            sort,
            (page, rows),
            project_categories(db, project_id),
            select,
            spend_curve(db, project_id, today) if self.view == "curve" else None,
            budget_burndown(db, project_id, today) if self.view == "burndown" else None,
            portfolio,
        )

    def show(self, data: BudgetData) -> None:
        self.data = data
        self.choices = data.choices
        if not self.itpm.project_index:
            self.itpm.project_index = [(c.id, c.code, c.name) for c in data.choices]
        ledger = self.ledger
        if ledger.loading:
            ledger.loading = False
            ledger.focus()
            self.refresh_bindings()
        self._render_rollup()
        summary = data.summary
        if summary is None:
            self.query_one("#categories", Static).update(
                Text("No projects yet — create one on Projects (1).", style="dim")
            )
            self.query_one("#ev", Static).update("")
            self.query_one("#ledger-title", Static).update("")
            ledger.reset(None, 0, "EUR")
            return
        self.project_id = summary.project_id
        self._render_top()
        ledger.reset(summary.project_id, data.count, summary.currency, data.page, data.sort)
        if data.select is not None:
            self._select_entry = None
            ledger.move_cursor(data.select)
        self._render_ledger_title()
        self._show_view()
        if self.view == "curve" and data.curve is not None:
            self.query_one(SpendChart).show(data.curve, summary.currency)
        if self.view == "burndown" and data.burndown is not None:
            self.query_one(BudgetBurndownChart).show(data.burndown, summary.currency)

    def _show_view(self) -> None:
        self.ledger.display = self.view == "ledger"
        self.query_one(SpendChart).display = self.view == "curve"
        self.query_one(BudgetBurndownChart).display = self.view == "burndown"

    def _render_rollup(self) -> None:
        portfolio = self.data.portfolio if self.data else {}
        wide = self.size.width >= 120
        self.query_one("#rollup", Static).update(portfolio_rollup(portfolio, wide=wide))

    def _render_top(self) -> None:
        summary = self.data.summary if self.data else None
        if summary is None:
            return
        # Known from the screen's width: stacked when narrow, beside the EV panel when wide.
        width = self.size.width - 2 - (EV_WIDTH + 1 if self.size.width >= 120 else 0)
        self.query_one("#categories", Static).update(category_table(summary, width))
        wide = self.size.width >= 120
        self.query_one("#ev", Static).update(ev_panel(summary, wide=wide))

    def _render_ledger_title(self) -> None:
        data = self.data
        if data is None or data.summary is None:
            return
        s = data.summary
        if self.view == "curve":
            title = Text(" Spend against plan over time", style="bold")
            title.append("   c budget burn-down", style="dim")
        elif self.view == "burndown":
            title = Text(" Remaining budget against plan", style="bold")
            title.append(f"   c back to the ledger ({data.count:,} entries)", style="dim")
        else:
            title = Text(
                f" Ledger · {data.count:,} entries · {SORT_LABELS[data.sort]}", style="bold"
            )
            title.append(
                f"   a add · e edit · d delete · s sort · p project ({s.code})", style="dim"
            )
        self.query_one("#ledger-title", Static).update(title)

    def on_resize(self, event: events.Resize) -> None:
        self._render_top()
        self._render_rollup()

    # -- picking and sorting -----------------------------------------------------------------

    def show_project(self, project_id: int) -> None:
        self.project_id = project_id
        self.reload()

    def action_pick(self) -> None:
        def picked(project_id: int | None) -> None:
            if project_id is not None:
                self.show_project(project_id)

        self.app.push_screen(BudgetPicker(self.choices, self.project_id), picked)

    def action_chart(self) -> None:
        order = ("ledger", "curve", "burndown")
        self.view = order[(order.index(self.view) + 1) % len(order)]
        self._show_view()
        self._render_ledger_title()
        if self.show_chart:
            self.reload()
        else:
            self.ledger.focus()

    def action_sort(self) -> None:
        order = list(SORT_LABELS)
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        self.reload()

    # -- edits -------------------------------------------------------------------------------

    def _form(self, row: LedgerRow | None) -> EntryForm | None:
        data = self.data
        if data is None or data.summary is None:
            self.notify("There is no project to add to.", severity="warning")
            return None
        return EntryForm(
            self.itpm.ctx,
            data.summary.project_id,
            data.summary.currency,
            data.categories,
            row=row,
            today=self.itpm.ctx.today(),
            date_format=self.itpm.settings.date_format,
        )

    def action_add(self) -> None:
        form = self._form(None)
        if form is not None:
            self.app.push_screen(form, self._after_form)

    def action_edit(self) -> None:
        row = self.ledger.selected_row
        if row is None:
            self.notify("There is no entry to edit.", severity="warning")
            return
        form = self._form(row)
        if form is not None:
            self.app.push_screen(form, self._after_form)

    def _after_form(self, saved: int | None) -> None:
        if saved is not None:
            self.notify("Ledger entry saved.")
            self._select_entry = saved
            self.reload()

    def action_delete(self) -> None:
        row = self.ledger.selected_row
        data = self.data
        if row is None or data is None or data.summary is None:
            self.notify("There is no entry to delete.", severity="warning")
            return
        who = row.vendor or row.description
        question = (
            f"Delete the ledger entry of {row.entry_date.isoformat()}: {who}, "
            f"{format_money(row.amount, data.summary.currency)} ({row.kind})?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row.id)

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), answered)

    @work(thread=True, group="write")
    def _delete(self, entry_id: int) -> None:
        from itpm_tui.services.ledger import delete_entry

        try:
            delete_entry(self.itpm.ctx, entry_id)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, "Ledger entry deleted.")
        self.app.call_from_thread(self.reload)


# -- how the figures read ----------------------------------------------------------------------


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency, symbol=False)


def _variance_percent(fig: BudgetFigures) -> Text:
    over = fig.over_budget
    pct = fig.variance_percent
    out = Text(no_wrap=True, justify="right")
    if over:
        out.append(OVER + " ", style=tone("bold red"))
    out.append("—" if pct is None else f"{pct:+}%", style=tone("bold red") if over else "")
    return out


def category_table(summary: BudgetSummary, width: int) -> Text:
    """One line per category and the total, exact amounts in the project's currency, laid
    out by hand (right-aligned figures) to fit `width` cells."""
    cur = summary.currency
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{summary.code} ", style="bold")
    out.append_text(literal(summary.name))
    out.append(f" · amounts in {cur}\n", style="dim")
    rows = [*summary.categories, summary.total]
    headers = ("Budget", "Committed", "Actual", "Remaining", "Variance", "Var %")
    cells = [
        [
            _money(f.budget, cur),
            _money(f.committed, cur),
            _money(f.actual, cur),
            _money(f.remaining, cur),
            _money(f.variance, cur),
            _variance_percent(f),
        ]
        for f in rows
    ]
    widths = [
        max(len(h), *(Text(c).cell_len if isinstance(c, str) else c.cell_len for c in col))
        for h, col in zip(headers, zip(*cells, strict=True), strict=True)
    ]
    name_w = max(8, width - sum(w + 1 for w in widths) - 1)
    head = "Category".ljust(name_w) + "".join(
        " " + h.rjust(w) for h, w in zip(headers, widths, strict=True)
    )
    out.append(head + "\n", style="bold underline")
    for i, (fig, row) in enumerate(zip(rows, cells, strict=True)):
        is_total = i == len(rows) - 1
        bad = tone("bold red") if fig.over_budget else ""
        line = Text(style="bold" if is_total else "")
        name = Text("Total") if is_total else literal(fig.category)
        name.truncate(name_w, overflow="ellipsis", pad=True)
        line.append_text(name)
        for j, (cell, w) in enumerate(zip(row, widths, strict=True)):
            line.append(" ")
            piece = (
                cell
                if isinstance(cell, Text)
                else Text(str(cell), style=bad if j in (3, 4) else "")
            )
            line.append(" " * (w - piece.cell_len))
            line.append_text(piece)
        out.append_text(line)
        if not is_total:
            out.append("\n")
    return out


_METRICS = (
    ("PV", "pv", True),
    ("EV", "ev", True),
    ("AC", "ac", True),
    ("SV", "sv", True),
    ("CV", "cv", True),
    ("SPI", "spi", False),
    ("CPI", "cpi", False),
    ("EAC", "eac", True),
    ("ETC", "etc", True),
    ("VAC", "vac", True),
    ("TCPI", "tcpi", False),
)
_BAD_WHEN = {"sv": "neg", "cv": "neg", "vac": "neg", "spi": "low", "cpi": "low", "tcpi": "high"}


def _metric(ev: EarnedValue, key: str, money: bool, currency: str) -> Text:
    value = getattr(ev, key)
    if value is None:
        return Text("n/a", style="dim")
    shown = _money(value, currency) if money else f"{value:.2f}"
    bad = _BAD_WHEN.get(key)
    worse = (
        (bad == "neg" and value < 0)
        or (bad == "low" and value < 1)
        or (bad == "high" and value > 1)
    )
    return Text(shown, style=tone("bold red") if worse else "")


def ev_panel(summary: BudgetSummary, *, wide: bool) -> Text:
    """The eleven figures (3 per line when narrow, 2 columns when wide), why some are n/a,
    and the plain-language lines."""
    ev = summary.ev
    out = Text(no_wrap=False)
    out.append(f"Earned value at {format_date(summary.today)}", style="bold")
    out.append(f" · BAC {_money(summary.total.budget, summary.currency)}", style="dim")
    out.append("\n")
    if ev is not None:
        per_line = 2 if wide else 4
        width = 13 if wide else 9
        for i, (label, key, money) in enumerate(_METRICS):
            cell = Text(f"{label:<4} ", style="bold")
            figure = _metric(ev, key, money, summary.currency)
            figure.pad_left(max(0, width - figure.cell_len))
            cell.append_text(figure)
            out.append_text(cell)
            last = i == len(_METRICS) - 1
            out.append("\n" if (i + 1) % per_line == 0 or last else "   ")
        missing: dict[str, list[str]] = {}
        for label, key, _money_flag in _METRICS:
            reason = ev.reason(key)
            if getattr(ev, key) is None and reason:
                missing.setdefault(reason, []).append(label)
        told = " ".join(summary.ev_lines)
        for reason, labels in missing.items():
            if reason in told:
                continue  # the plain-language line below already says it
            out.append(f"{', '.join(labels)} n/a: {reason}\n", style="dim")
    for line in summary.ev_lines:
        out.append(f"• {line}\n")
    out.rstrip()
    return out


def portfolio_rollup(portfolio: dict[str, CurrencyTotals], *, wide: bool) -> Text:
    """The portfolio's totals, one per currency and never summed across currencies: a line
    per currency with the exact figures when wide, one compact line of budget and actual
    spend otherwise."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if not portfolio:
        return out
    totals = [portfolio[c] for c in sorted(portfolio)]
    if wide:
        for i, t in enumerate(totals):
            out.append(" Portfolio " if i == 0 else " " * 11, style="bold")
            out.append(f"{t.currency} ", style="bold")
            out.append(
                f"budget {_money(t.budget, t.currency)} · "
                f"committed {_money(t.committed, t.currency)} · "
                f"actual {_money(t.actual, t.currency)} · "
            )
            out.append(
                f"remaining {_money(t.remaining, t.currency)}",
                style=tone("bold red") if t.remaining < 0 else "",
            )
            out.append(f"  ({t.projects} project{'' if t.projects == 1 else 's'})", style="dim")
            if i < len(totals) - 1:
                out.append("\n")
        return out
    out.append(" Portfolio: ", style="bold")
    for i, t in enumerate(totals):
        if i:
            out.append(" | ", style="dim")
        out.append(f"{t.currency} ", style="bold")
        budget, spent = format_compact(t.budget), format_compact(t.actual)
        # Words on the first currency only, so two or three still fit in 80 columns.
        out.append(f"{budget} budget · {spent} spent" if i == 0 else f"{budget} · {spent}")
    return out


# -- the entry form ----------------------------------------------------------------------------


class EntryForm(FormScreen[int | None]):
    """Add or edit one ledger entry; dismisses with its id once saved, None when cancelled."""

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
        self.categories = categories
        self.row = row
        self.today = today or date.today()
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        r = self.row
        title = "Edit ledger entry" if r else "New ledger entry"
        amount = "" if r is None else _money(abs(r.amount), self.currency).replace(",", "")
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
                        format_date(r.entry_date if r else self.today, self.date_format),
                        id="entry-date",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self.field("vendor", "Vendor", Input(r.vendor if r else "", id="vendor"))
                yield from self.field(
                    "category",
                    "Category",
                    Select(
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
                    Checkbox(
                        "a refund: lowers the spend",
                        r is not None and r.amount < 0,
                        id="credit",
                    ),
                )
                yield from self.field(
                    "kind",
                    "Kind",
                    Select(
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

    def on_mount(self) -> None:
        self.query_one("#entry-date", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

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

    def action_save(self) -> None:
        draft, problems = self.read_draft()
        self._save(draft, problems)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, draft: Any, problems: list[Problem]) -> None:
        from itpm_tui.domain.ledger import validate_entry
        from itpm_tui.services.ledger import add_entry, update_entry

        try:
            # Check first so a bad date and a bad amount are reported together.
            try:
                validate_entry(draft, self.currency, self.categories)
            except ValidationError as exc:
                found = {p.field for p in problems}
                problems = problems + [p for p in exc.problems if p.field not in found]
            if problems:
                raise ValidationError.of(problems)
            if self.row is None:
                saved = add_entry(self.ctx, self.project_id, draft)
            else:
                update_entry(self.ctx, self.row.id, draft)
                saved = self.row.id
        except ValidationError as exc:
            self.app.call_from_thread(self.show_problems, exc.problems)
        except ItpmError as exc:
            self.app.call_from_thread(self.show_problems, [], str(exc))
        else:
            self.app.call_from_thread(self.dismiss, saved)


# -- the S-curve ---------------------------------------------------------------------------------


class SpendChart(PlotPanel):
    """PV, EV and AC against time with BAC and today; plotext is imported when first shown."""

    DEFAULT_CSS = """
    SpendChart {
        display: none;
        height: 1fr;
        min-height: 8;
    }
    """
    EMPTY = "No baseline yet: nothing to draw."

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, empty_id="curve-empty")
        self.curve: SpendCurve | None = None
        self.currency = "EUR"

    def show(self, curve: SpendCurve, currency: str) -> None:
        self.curve, self.currency = curve, currency
        self.show_plot(not curve.is_empty)

    def draw(self, plt: Any) -> None:
        curve = self.curve
        assert curve is not None
        xs = list(range(len(curve.days)))
        plt.plot(
            xs, [float(v) for v in curve.pv], marker="x", color=self.color("primary"), label="PV"
        )
        for name, series, marker, color in (
            ("EV", curve.ev, "+", "success"),
            ("AC", curve.ac, "dot", "error"),
        ):
            known = [(i, float(v)) for i, v in enumerate(series) if v is not None]
            if known:
                plt.plot(
                    [i for i, _ in known],
                    [v for _, v in known],
                    marker=marker,
                    color=self.color(color),
                    label=name,
                )
        plt.hline(float(curve.bac), color=self.color("foreground-muted"))
        today = next((i for i, d in enumerate(curve.days) if d >= curve.today), None)
        title = f"S-curve · {self.currency} · BAC {format_money(curve.bac, self.currency)}"
        if today is not None:
            plt.vline(today, color=self.color("warning"))
            title += f" · │ today {curve.today:%d %b}"
        plt.title(title)
        plt.xlabel("")
        plt.ylabel("")
        self.date_ticks(plt, curve.days)
        plt.ylim(0, float(max([curve.bac, *curve.pv, *(v for v in curve.ac if v)])) * 1.05 or 1)


# -- the budget burn-down ------------------------------------------------------------------------

NO_SPENDING = "No spending yet: the budget burn-down appears once actual costs are booked."
REMAINING_MARKER = "dot"
PLAN_MARKER = "x"


class BudgetBurndownChart(PlotPanel):
    """Remaining budget against the plan over time, with today; plotext is imported when first
    shown. The lines read without colour: dots labelled "remaining budget", `x` labelled
    "plan", and today a vertical line named in the title."""

    DEFAULT_CSS = """
    BudgetBurndownChart {
        display: none;
        height: 1fr;
        min-height: 8;
    }
    """
    EMPTY = NO_SPENDING

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, empty_id="budget-burndown-empty")
        self.burndown: BudgetBurndown | None = None
        self.currency = "EUR"

    def show(self, burndown: BudgetBurndown, currency: str) -> None:
        self.burndown, self.currency = burndown, currency
        self.show_plot(not burndown.is_empty)

    def draw(self, plt: Any) -> None:
        burndown = self.burndown
        assert burndown is not None
        if burndown.plan:
            plt.plot(
                list(range(len(burndown.plan))),
                [float(v) for v in burndown.plan],
                marker=PLAN_MARKER,
                color=self.color("success"),
                label="plan",
            )
        known = [(i, float(v)) for i, v in enumerate(burndown.remaining) if v is not None]
        if known:
            plt.plot(
                [i for i, _ in known],
                [v for _, v in known],
                marker=REMAINING_MARKER,
                color=self.color("primary"),
                label="remaining budget",
            )
        title = (
            f"Budget burn-down · {self.currency} · BAC {format_money(burndown.bac, self.currency)}"
        )
        today = burndown.today_index
        if today is not None:
            plt.vline(today, color=self.color("warning"))
            title += f" · │ today {burndown.today:%d %b}"
        left = next((v for v in reversed(burndown.remaining) if v is not None), None)
        if left is not None:
            title += f" · {format_compact(left)} left"
        if not burndown.plan:
            title += " · no baseline"
        plt.title(title)
        plt.xlabel("")
        plt.ylabel("")
        self.date_ticks(plt, burndown.days)
        values = [burndown.bac, *burndown.plan, *(v for v in burndown.remaining if v is not None)]
        low = min(0.0, float(min(values)) * 1.05)
        plt.ylim(low, float(max(values)) * 1.05 or 1)
