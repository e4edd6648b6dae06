"""Budget: one project's categories (planned, committed, actual, variance), its earned value,
and the ledger of every expense below them, read one window at a time.

Which project: the one selected on the Projects screen when the user comes here (like the
Timeline), or the one picked with `p` while on this screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Static

from itpm_tui.domain.money import format_money
from itpm_tui.domain.roles import Action
from itpm_tui.queries.budget import (
    BudgetBurndown,
    BudgetSummary,
    CurrencyTotals,
    LedgerRow,
    SpendCurve,
    budget_burndown,
    budget_view,
    ledger_page,
    spend_curve,
)
from itpm_tui.queries.choices import ProjectChoice
from itpm_tui.queries.ledger import BudgetLineRow
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import OneProjectScreen
from itpm_tui.screens.project_picker import ProjectPicker
from itpm_tui.screens.rights import key_hints
from itpm_tui.widgets.budget_charts import BudgetBurndownChart, SpendChart
from itpm_tui.widgets.budget_panels import OVER, category_table, ev_panel, portfolio_rollup
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import format_date
from itpm_tui.widgets.ledger_table import PAGE, LedgerTable

if TYPE_CHECKING:  # the dialogs are imported when opened, not on the first visit
    from itpm_tui.screens.entry_form import EntryForm

#: Cells of the earned value panel beside the categories on a wide screen (budget.tcss).
EV_WIDTH = 64
WIDE = 150
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
    #: The project's budget lines, for the lines dialog (`b`).
    lines: list[BudgetLineRow] = field(default_factory=list)


class BudgetPicker(ProjectPicker):
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#picker Static", Static).update(Text("Show the budget of…", style="bold"))


class BudgetScreen(OneProjectScreen[BudgetData]):
    TITLE = "Budget"
    #: Beside its project's ledger: the portfolio's totals, from every project's money.
    WATCHES = frozenset({"project", "ledgerentry", "budgetline", "changerequest"})
    #: Wide enough for the category table and the earned value panel side by side.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    #: Too short for the tables and a readable chart at once (budget.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    HELP = f"""\
### Budget — planned, committed, actual, earned

**Categories**: the budget lines summed per category, against what is committed (ordered,
not yet invoiced) and actually spent. *Remaining* = budget − committed − actual.
*Forecast at completion* = actual + committed + the budget not yet spent or ordered at the
cost rate of the work so far (AC ÷ EV; at face value while there is no rate; nothing more for
a category past its budget or once all work is done): an order is never forecast away. The
Total row is the sum of the categories, and its forecast is the EAC below. *Variance* =
budget − forecast: negative is a forecast overrun, positive an underrun. `{OVER}` marks a
category whose committed and actual spend passed its budget.

**Budget lines** (the plan the categories sum): `b` lists them; there `a` adds one, `e` or
`enter` edits the selected one, `d` removes it (asks first), `esc` closes. A line's category
is a standard one (hardware, software, labour, vendor services, contingency), one the project
already uses, or a new one you name ("other", at most 40 characters); its amount is in the
project's currency and 0 or more. Ledger entries and approved changes may be booked to any of
these categories, whether it has a budget line or not.

**Earned value** at the status date (today unless you choose: `[` and `]` move it a week,
`t` types one, an empty date is today): BAC is the total budget, PV the budget of the work the
baseline planned by then, EV the budget of the work done (percent complete of the baselined
tasks weighted by estimate hours; for a past date the project's recorded progress of that
day), AC the actual spend booked by then. SV = EV − PV and CV = EV − AC (negative is bad);
SPI and CPI below 1 mean behind and over; EAC is the forecast above (not BAC / CPI, which
would scale money already spent and ordered), ETC = EAC − AC, VAC = BAC − EAC; TCPI is the
efficiency the rest of the work needs to end on budget. docs/earned-value.md has the formulas.

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
    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "delete": Action.MANAGE,
    }
    BINDINGS: ClassVar = [
        Binding(
            "b",
            "lines",
            "Budget lines",
            id="budget.lines",
            tooltip="List the budget lines: add, edit or remove one",
        ),
        Binding("a", "add", "Add", id="budget.add", tooltip="Add a ledger entry"),
        Binding("e", "edit", "Edit", id="budget.edit", tooltip="Edit the selected entry"),
        Binding("d", "delete", "Delete", id="budget.delete", tooltip="Delete the entry"),
        Binding(
            "s", "sort", "Sort", id="budget.sort", tooltip="Change the ledger order", show=False
        ),
        Binding("p", "pick", "Project", id="budget.pick", tooltip="Pick the project to show"),
        Binding(
            "t",
            "status_date",
            "EV date",
            id="budget.status_date",
            tooltip="Type the status date earned value is computed for (empty: today)",
        ),
        Binding(
            "left_square_bracket",
            "shift_status(-7)",
            "Week back",
            id="budget.status_back",
            tooltip="Move the earned value status date a week back",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "shift_status(7)",
            "Week on",
            id="budget.status_on",
            tooltip="Move the earned value status date a week on",
            show=False,
        ),
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
        #: The day earned value is computed for; None follows today.
        self.status_date: date | None = None

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
        yield ItpmFooter()

    @property
    def show_chart(self) -> bool:
        return self.view != "ledger"

    def _page_loader(self, project_id: int, offset: int, limit: int, sort: str) -> list[LedgerRow]:
        return ledger_page(self.itpm.ctx.db, project_id, offset, limit, sort)

    @property
    def ledger(self) -> LedgerTable:
        return self.query_one(LedgerTable)

    def on_mount(self) -> None:
        self.follow_selected_project()
        self.ledger.loading = True
        self.ledger.date_format = self.itpm.settings.date_format
        self.ledger.focus()
        super().on_mount()

    def on_screen_resume(self) -> None:
        if self.follow_selected_project():
            self.reload()
        else:
            super().on_screen_resume()

    # -- data ------------------------------------------------------------------------------

    def fetch(self) -> BudgetData:
        ctx = self.itpm.ctx
        today = ctx.today()
        sort = self.sort
        ledger = self.ledger
        view = budget_view(
            ctx.db,
            self.project_id,
            today,
            status_date=self.status_date,
            sort=sort,
            page=ledger.top_page if ledger.sort == sort else 0,
            page_of=ledger.project_id,
            page_size=PAGE,
            entry=self._select_entry,
        )
        summary = view.summary
        if summary is None:
            return BudgetData(view.choices, portfolio=view.portfolio)
        project_id = summary.project_id
        return BudgetData(
            view.choices,
            summary,
            summary.entries,  # counted in the same read as the project's row
            sort,
            (view.page, view.rows),
            view.categories,
            view.select,
            spend_curve(ctx.db, project_id, today) if self.view == "curve" else None,
            budget_burndown(ctx.db, project_id, today) if self.view == "burndown" else None,
            view.portfolio,
            view.lines,
        )

    def show(self, data: BudgetData) -> None:
        self.data = data
        self.choices = data.choices
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
        self.set_class(self.show_chart, "-chart")

    def _render_rollup(self) -> None:
        portfolio = self.data.portfolio if self.data else {}
        wide = self.size.width >= 120
        self.query_one("#rollup", Static).update(portfolio_rollup(portfolio, wide=wide))

    def _render_top(self) -> None:
        summary = self.data.summary if self.data else None
        if summary is None:
            return
        # Known from the screen's width: stacked when narrow, beside the EV panel when wide.
        wide = self.size.width >= WIDE
        width = self.size.width - 2 - (EV_WIDTH + 1 if wide else 0)
        self.query_one("#categories", Static).update(category_table(summary, width))
        self.query_one("#ev", Static).update(ev_panel(summary, wide=wide))

    def _render_ledger_title(self) -> None:
        data = self.data
        if data is None or data.summary is None:
            return
        s = data.summary
        if self.view == "curve":
            title = Text(f" {s.code} · spend against plan over time", style="bold")
            title.append("   c budget burn-down", style="dim")
        elif self.view == "burndown":
            title = Text(f" {s.code} · remaining budget against plan", style="bold")
            title.append(f"   c back to the ledger ({data.count:,} entries)", style="dim")
        else:
            title = Text(
                f" Ledger · {data.count:,} entries · {SORT_LABELS[data.sort]}", style="bold"
            )
            keys = key_hints(
                self,
                ("a add", "add"),
                ("e edit", "edit"),
                ("d delete", "delete"),
                ("s sort", "sort"),
                (f"p project ({s.code})", "pick"),
            )
            title.append(f"   {keys}", style="dim")
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

    def action_status_date(self) -> None:
        from itpm_tui.screens.status_date import StatusDatePrompt

        def chosen(day: date | None) -> None:
            if day is not None:
                self._set_status_date(day)

        current = self.status_date or self.itpm.ctx.today()
        self.app.push_screen(
            StatusDatePrompt(current, self.itpm.ctx.today(), self.itpm.settings.date_format), chosen
        )

    def action_shift_status(self, days: int) -> None:
        self._set_status_date((self.status_date or self.itpm.ctx.today()) + timedelta(days=days))

    def _set_status_date(self, day: date) -> None:
        self.status_date = None if day == self.itpm.ctx.today() else day
        self.reload()

    def action_sort(self) -> None:
        order = list(SORT_LABELS)
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        self.reload()

    # -- budget lines ------------------------------------------------------------------------

    def action_lines(self) -> None:
        data = self.data
        if data is None or data.summary is None:
            self.notify("There is no project to budget for.", severity="warning")
            return
        from itpm_tui.screens.budget_lines import BudgetLinesDialog, LinesData

        s = data.summary
        dialog = BudgetLinesDialog(
            self.itpm.ctx, s.project_id, s.code, s.currency, LinesData(data.lines, data.categories)
        )

        def closed(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(dialog, closed)

    # -- edits -------------------------------------------------------------------------------

    def _form(self, row: LedgerRow | None) -> EntryForm | None:
        from itpm_tui.screens.entry_form import EntryForm

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
        fmt = self.itpm.settings.date_format
        question = (
            f"Delete the ledger entry of {format_date(row.entry_date, fmt)}: {who}, "
            f"{format_money(row.amount, data.summary.currency)} ({row.kind})?"
        )

        def answered(yes: bool | None) -> None:
            from itpm_tui.services.ledger import delete_entry

            if yes:
                ctx, entry_id, version = self.itpm.ctx, row.id, row.version
                self.write_then_reload(
                    lambda: delete_entry(ctx, entry_id, expected_version=version),
                    "Ledger entry deleted.",
                )

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), answered)


# -- how the figures read ----------------------------------------------------------------------
