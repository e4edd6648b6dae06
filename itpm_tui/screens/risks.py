"""Risks: the register scored and banded, the 5×5 heat map, risks that became issues, and the
change-request log beside them.

Which risks: the project selected on the Projects screen when the user comes here (like the
Timeline and Budget), the one picked with `p`, or every live project with `a` (the
portfolio's top risks). Filters by owner, band, status and heat-map cell narrow the register.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.enums import RiskStatus
from itpm_tui.domain.risk import (
    ACTIVE,
    STATUS_FILTERS,
    UNOWNED,
    RiskBand,
    RiskFilter,
    RiskThresholds,
)
from itpm_tui.domain.roles import Action
from itpm_tui.queries.risks import OwnerChoice, RiskRow
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import OneProjectScreen
from itpm_tui.screens.project_picker import ProjectPicker
from itpm_tui.widgets.change_panel import CHANGES_HELP, ChangeDialogs, ChangePanel
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import format_date, literal, tone
from itpm_tui.widgets.heat_map import HeatMap
from itpm_tui.widgets.risk_table import RiskTable, score_text, status_text

if TYPE_CHECKING:  # the forms are imported when opened, not on the screen's first visit
    from itpm_tui.queries.change_requests import ChangeRow
    from itpm_tui.queries.timeline import ProjectChoice
    from itpm_tui.screens.approve_change import ApproveChangeScreen
    from itpm_tui.screens.change_request_form import ChangeRequestForm
    from itpm_tui.screens.risk_form import RiskForm

#: From this width the change-request log sits beside the register; below, `g` swaps them.
WIDE = 140
#: Width of the change-request log beside the register on a wide screen (risks.tcss).
CHANGES_WIDTH = 70
#: From this height the heat map is drawn large (two lines a cell, level names).
TALL = 40
BAND_CYCLE: list[RiskBand | None] = [
    None,
    RiskBand.CRITICAL,
    RiskBand.HIGH,
    RiskBand.MEDIUM,
    RiskBand.LOW,
]
MAX_ISSUES = 3  # issues shown at the top on a wide screen (one fewer when narrow); more counted


@dataclass(frozen=True)
class RisksData:
    choices: list[ProjectChoice]
    #: The project shown, or None in the portfolio view (or when there are no projects).
    project_id: int | None
    flt: RiskFilter
    thresholds: RiskThresholds
    rows: list[RiskRow] = field(default_factory=list)
    counts: dict[tuple[int, int], int] = field(default_factory=dict)
    issues: list[RiskRow] = field(default_factory=list)
    owners: list[OwnerChoice] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)

    @property
    def code(self) -> str:
        return next((c.code for c in self.choices if c.id == self.project_id), "")


class RisksPicker(ProjectPicker):
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#picker Static", Static).update(Text("Show the risks of…", style="bold"))


class OwnerPicker(ModalScreen[str | None]):
    """Any owner, one person, or the risks nobody owns; dismisses with the option's id."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Cancel", id="owner_picker.cancel")]

    def __init__(self, owners: list[OwnerChoice], current: int | None) -> None:
        super().__init__()
        self.owners = owners
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("Show the risks owned by…", style="bold"))
            options = [Option(Text("anyone (no owner filter)"), id="any")]
            for owner in self.owners:
                label = literal(owner.name)
                label.append(f"  {owner.risks}", style="dim")
                options.append(Option(label, id=str(owner.id)))
            yield OptionList(*options, id="picker-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [None, *(o.id for o in self.owners)]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def _change_form(*args: Any, **kwargs: Any) -> ChangeRequestForm:
    from itpm_tui.screens.change_request_form import ChangeRequestForm

    return ChangeRequestForm(*args, **kwargs)


def _approval(*args: Any, **kwargs: Any) -> ApproveChangeScreen:
    from itpm_tui.screens.approve_change import ApproveChangeScreen

    return ApproveChangeScreen(*args, **kwargs)


#: The dialogs of the change-request log, which as a widget does not import screens (the
#: forms are imported when first opened).
CHANGE_DIALOGS = ChangeDialogs(_change_form, _approval, ConfirmScreen)


class RisksScreen(OneProjectScreen[RisksData]):
    TITLE = "Risks"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]
    HELP = f"""\
### Risks — the register, the heat map and the change log

**Score** = probability × impact, each 1–5 (1 rare … 5 almost certain; 1 negligible …
5 severe). Bands, written as words so they read without colour: **LOW**, **MED**(ium),
**HIGH** from `risk_high`, **CRIT**(ical) from `risk_critical` (config keys `risk_medium`,
`risk_high`, `risk_critical`; 5, 10 and 16 unless set). **Resid** is the score after the
response (mitigation), when it has been assessed.

The register lists the highest score first; within a score a risk that **⚠ OCCURRED**
comes first, then open, watching and closed ones, the earliest review first.
**⚠ OVERDUE** marks a risk whose review date has passed.

**Issues to act on** (the lines at the top): risks that happened, each with its
contingency plan. **Heat map**: risks per cell, the count and the band letter in each
(L, M, H, C); `r` switches between the inherent and the residual view — the map, the order,
the band filter and the cell then use the residual score (a risk with no residual
assessment stays at its inherent cell). `m` (or a click) goes to the map: arrows
move, `enter` shows only that cell's risks (▸ ◂ mark it), `enter` again or `esc` shows all.

**Filters**: `s` status (not closed, each status, all), `b` band, `o` owner; `c` clears
them all. `a` switches between this project and all live projects (the portfolio's top
risks); `p` picks the project. `n` adds, `e` (or `enter`) edits, `x` closes a risk (asks
first). `g` shows the change-request log (beside the register on a wide terminal; there
`g` moves between the two).

{CHANGES_HELP}
"""
    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "close_risk": Action.MANAGE,
    }
    BINDINGS: ClassVar = [
        Binding("n", "add", "New", id="risks.add", tooltip="Add a risk"),
        Binding("e", "edit", "Edit", id="risks.edit", tooltip="Edit the selected risk"),
        Binding(
            "x",
            "close_risk",
            "Close",
            id="risks.close",
            tooltip="Close the selected risk (asks first)",
        ),
        Binding(
            "a",
            "portfolio",
            "All/one",
            id="risks.portfolio",
            tooltip="Switch between this project and all live projects",
            show=False,  # named in the filter line, so help and quit fit the footer at 80
        ),
        Binding(
            "r",
            "residual",
            "Residual",
            id="risks.residual",
            tooltip="Switch the heat map and order between inherent and residual scores",
        ),
        Binding("m", "map", "Map", id="risks.map", tooltip="Go to the heat map to pick a cell"),
        Binding(
            "g",
            "changes",
            "Changes",
            id="risks.changes",
            tooltip="Show the change-request log (or go to it on a wide terminal)",
        ),
        Binding("p", "pick", "Project", id="risks.pick", tooltip="Pick the project to show"),
        Binding(
            "s",
            "status",
            "Status",
            id="risks.status",
            tooltip="Filter by status: not closed, open, watching, occurred, closed, all",
            show=False,
        ),
        Binding(
            "b",
            "band",
            "Band",
            id="risks.band",
            tooltip="Filter by band: critical, high, medium, low, any",
            show=False,
        ),
        Binding("o", "owner", "Owner", id="risks.owner", tooltip="Filter by owner", show=False),
        Binding(
            "c",
            "clear",
            "Clear filters",
            id="risks.clear",
            tooltip="Clear every filter (status back to not closed)",
            show=False,
        ),
        Binding(
            "escape",
            "clear_cell",
            "Clear cell",
            id="risks.clear_cell",
            tooltip="Stop filtering by the heat-map cell",
            show=False,
        ),
    ]

    def watched_projects(self) -> Collection[int] | None:  # the register of every project
        return None if self.all_projects else super().watched_projects()

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[ProjectChoice] = []
        self.data: RisksData | None = None
        self.all_projects = False
        self.owner_id: int | None = None
        self.band: RiskBand | None = None
        self.status = ACTIVE
        self.cell: tuple[int, int] | None = None
        self.residual = False
        #: What the lower area shows on a narrow screen: the register or the change log.
        self.lower = "register"
        self._select: int | None = None  # the risk just saved, to select once shown

    def compose(self) -> ComposeResult:
        # Before the widgets mount, so they are styled with it once (see `_layout`).
        self.set_class(self._large_map, "-large-map", update=False)
        yield Header()
        yield Static("", id="issues")
        with Horizontal(id="risks-top"):
            yield HeatMap(id="heatmap")
            yield Static("", id="risk-detail")
        yield Static("", id="filters")
        with Horizontal(id="lower"):
            yield RiskTable(id="register")
            yield ChangePanel(CHANGE_DIALOGS, id="changes")
        yield ItpmFooter()

    @on(ChangePanel.WriteRequested)
    def _decide_change(self, event: ChangePanel.WriteRequested) -> None:
        self.write_then_reload(event.change, done=lambda told: told)

    @property
    def table(self) -> RiskTable:
        return self.query_one(RiskTable)

    @property
    def heat_map(self) -> HeatMap:
        return self.query_one(HeatMap)

    def on_mount(self) -> None:
        self.follow_selected_project()
        self.table.date_format = self.itpm.settings.date_format
        self.table.loading = True
        self.table.focus()
        self._layout()
        super().on_mount()

    def on_screen_resume(self) -> None:
        if self.follow_selected_project() and not self.all_projects:
            self._drop_project_filters()
            self.reload()
        else:
            super().on_screen_resume()

    # -- data ------------------------------------------------------------------------------

    def current_filter(self, project_id: int | None) -> RiskFilter:
        return RiskFilter(
            project_id=project_id,
            owner_id=self.owner_id,
            band=self.band,
            status=self.status,
            cell=self.cell,
            residual=self.residual,
        )

    def fetch(self) -> RisksData:
        from itpm_tui.queries.change_requests import change_rows
        from itpm_tui.queries.portfolio import people
        from itpm_tui.queries.risks import heat_counts, issues, register_rows, risk_owners
        from itpm_tui.queries.timeline import project_choices

        db = self.itpm.ctx.db
        today = self.itpm.ctx.today()
        thresholds = self.itpm.settings.risk_thresholds()
        choices = project_choices(db)
        ids = {c.id for c in choices}
        project_id = self.project_id if self.project_id in ids else None
        if project_id is None and choices:
            project_id = choices[0].id
        if project_id is None:  # no projects at all: nothing to list
            return RisksData(choices, None, self.current_filter(None), thresholds)
        scope = None if self.all_projects else project_id
        flt = self.current_filter(scope)
        return RisksData(
            choices,
            project_id,
            flt,
            thresholds,
            rows=register_rows(db, today, flt, thresholds),
            counts=heat_counts(db, flt, thresholds),
            issues=issues(db, today, scope, thresholds),
            owners=risk_owners(db, scope),
            people=people(db),
            changes=change_rows(db, scope or None),
        )

    def show(self, data: RisksData) -> None:
        self.data = data
        self.choices = data.choices
        if data.project_id is not None:
            self.project_id = data.project_id
        table = self.table
        if table.loading:
            table.loading = False
            table.focus()
            self.refresh_bindings()
        flt = data.flt
        self.heat_map.show(data.counts, data.thresholds, residual=flt.residual, chosen=flt.cell)
        self._fit_table()
        table.show(data.rows, keep=self._select)
        self._select = None
        self.query_one(ChangePanel).show(data.changes, flt.project_id)
        self._render_issues()
        self._render_filters()
        self._render_detail(table.selected_row)

    # -- layout ----------------------------------------------------------------------------

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE

    @property
    def _large_map(self) -> bool:
        """The heat map drawn large: a wide and tall terminal."""
        return self.app.size.width >= WIDE and self.app.size.height >= TALL

    def _layout(self) -> None:
        wide = self.app.size.width >= WIDE
        large = self._large_map
        self.heat_map.set_large(large)
        register = self.table
        changes = self.query_one(ChangePanel)
        register.display = wide or self.lower == "register"
        changes.display = wide or self.lower == "changes"
        self.set_class(large, "-large-map")  # restyles every widget when it changes
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys on the selected risk are off while the change log hides the register."""
        hidden = self.lower == "changes" and not self.wide
        if hidden and action in {"edit", "close_risk"}:
            return False
        return super().check_action(action, parameters)

    def _fit_table(self) -> None:
        width = self.app.size.width - (CHANGES_WIDTH if self.app.size.width >= WIDE else 0)
        overdue = any(r.overdue for r in self.data.rows) if self.data else False
        self.table.fit(
            width - 2, portfolio=self.all_projects, residual=self.residual, overdue=overdue
        )

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self._fit_table()
        self._render_issues()
        self._render_filters()
        self._render_detail(self.table.selected_row)

    # -- what the lines say ----------------------------------------------------------------

    def _render_issues(self) -> None:
        strip = self.query_one("#issues", Static)
        data = self.data
        if data is None or not data.issues:
            strip.display = False
            return
        strip.display = True
        strip.update(issues_text(data.issues, portfolio=self.all_projects, wide=self.wide))

    def _render_filters(self) -> None:
        data = self.data
        line = self.query_one("#filters", Static)
        if data is None:
            line.update("")
            return
        line.update(
            filters_text(
                data,
                portfolio=self.all_projects,
                lower=self.lower,
                wide=self.wide,
            )
        )

    def _render_detail(self, row: RiskRow | None) -> None:
        data = self.data
        detail = self.query_one("#risk-detail", Static)
        if data is None:
            detail.update("")
            return
        if not data.choices:
            detail.update(Text("No projects yet — create one on Projects (1).", style="dim"))
            return
        if row is None:
            message = (
                "No risk matches the filters — c clears them."
                if data.flt.narrowed
                else ("No risks recorded — n adds one.")
            )
            detail.update(Text(message, style="dim"))
            return
        detail.update(detail_text(row, self.itpm.settings.date_format, large=self.heat_map.large))

    @on(DataTable.RowHighlighted, "#register")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._render_detail(self.table.selected_row)

    @on(DataTable.RowSelected, "#register")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    # -- filters -----------------------------------------------------------------------------

    def _refilter(self) -> None:
        self._render_filters()
        self.reload()

    def _drop_project_filters(self) -> None:
        """Owners and cells belong to one scope; a new project starts unfiltered by them."""
        self.owner_id = None
        self.cell = None

    def action_portfolio(self) -> None:
        self.all_projects = not self.all_projects
        self._drop_project_filters()
        self._fit_table()
        self._refilter()

    def action_residual(self) -> None:
        self.residual = not self.residual
        self.cell = None  # a cell of the other map would mean something else
        self._fit_table()
        self._refilter()

    def action_status(self) -> None:
        order = list(STATUS_FILTERS)
        self.status = order[(order.index(self.status) + 1) % len(order)]
        self._refilter()

    def action_band(self) -> None:
        self.band = BAND_CYCLE[(BAND_CYCLE.index(self.band) + 1) % len(BAND_CYCLE)]
        self._refilter()

    def action_owner(self) -> None:
        owners = self.data.owners if self.data else []

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            self.owner_id = None if choice == "any" else int(choice)
            self._refilter()

        self.app.push_screen(OwnerPicker(owners, self.owner_id), picked)

    def action_clear(self) -> None:
        self.owner_id, self.band, self.status, self.cell = None, None, ACTIVE, None
        self._refilter()

    def action_clear_cell(self) -> None:
        if self.cell is not None:
            self.cell = None
            self._refilter()

    def action_map(self) -> None:
        self.heat_map.focus()

    @on(HeatMap.CellChosen)
    def _cell_chosen(self, event: HeatMap.CellChosen) -> None:
        self.cell = event.cell
        self._refilter()

    def action_changes(self) -> None:
        changes = self.query_one(ChangePanel)
        if self.wide:
            (self.table if changes.has_focus_within else changes.table).focus()
            return
        self.lower = "changes" if self.lower == "register" else "register"
        self._layout()
        (changes.table if self.lower == "changes" else self.table).focus()
        self._render_filters()

    # -- which project -----------------------------------------------------------------------

    def show_project(self, project_id: int) -> None:
        if project_id != self.project_id:
            self._drop_project_filters()
        self.project_id = project_id
        self.all_projects = False
        self._fit_table()
        self.reload()

    def action_pick(self) -> None:
        def picked(project_id: int | None) -> None:
            if project_id is not None:
                self.show_project(project_id)

        self.app.push_screen(RisksPicker(self.choices, self.project_id), picked)

    # -- edits -------------------------------------------------------------------------------

    def _form(self, row: RiskRow | None) -> RiskForm | None:
        from itpm_tui.screens.risk_form import RiskForm

        data = self.data
        if data is None or not data.choices:
            self.notify("There is no project to add a risk to.", severity="warning")
            return None
        fmt = self.itpm.settings.date_format
        if row is None:
            selected = self.table.selected_row
            default = selected.project_id if selected and self.all_projects else data.project_id
            return RiskForm(
                self.itpm.ctx,
                data.people,
                projects=[(c.id, c.code) for c in data.choices],
                project_id=default,
                date_format=fmt,
            )
        people = data.people
        if row.owner_id is not None and row.owner_id not in {p for p, _ in people}:
            people = [*people, (row.owner_id, row.owner or f"#{row.owner_id}")]
        return RiskForm(
            self.itpm.ctx,
            people,
            draft=row.draft(),
            risk_id=row.id,
            version=row.version,
            label=f"{row.project_code} #{row.id}",
            date_format=fmt,
        )

    def action_add(self) -> None:
        form = self._form(None)
        if form is not None:
            self.app.push_screen(form, self._after_form)

    def action_edit(self) -> None:
        row = self.table.selected_row
        if row is None:
            self.notify("There is no risk to edit.", severity="warning")
            return
        form = self._form(row)
        if form is not None:
            self.app.push_screen(form, self._after_form)

    def _after_form(self, saved: int | None) -> None:
        if saved is not None:
            self.notify("Risk saved.")
            self._select = saved
            self.reload()

    def action_close_risk(self) -> None:
        row = self.table.selected_row
        if row is None:
            self.notify("There is no risk to close.", severity="warning")
            return
        if row.status == RiskStatus.CLOSED.value:
            self.notify("That risk is already closed.", severity="warning")
            return
        question = (
            f"Close the risk {row.project_code} #{row.id}: {row.title}?\n"
            "It leaves the active register and the heat map; its record and history stay "
            "(s shows closed risks, e reopens by changing its status)."
        )

        def answered(yes: bool | None) -> None:
            from itpm_tui.services.risks import close_risk

            if yes:
                ctx, risk_id, version = self.itpm.ctx, row.id, row.version
                self.write_then_reload(lambda: close_risk(ctx, risk_id, version), "Risk closed.")

        self.app.push_screen(ConfirmScreen(question, yes="Close risk"), answered)


# -- how the lines read ------------------------------------------------------------------------


def issues_text(rows: list[RiskRow], *, portfolio: bool, wide: bool) -> Text:
    """Each risk that happened: what, and below it the contingency plan to act on."""
    out = Text(no_wrap=True, overflow="ellipsis")
    shown = rows[: MAX_ISSUES if wide else MAX_ISSUES - 1]
    for index, row in enumerate(shown):
        if index:
            out.append("\n")
        out.append(" ⚠ ISSUE ", style=tone("bold reverse red"))
        out.append(" ")
        if portfolio:
            out.append(f"{row.project_code} ", style="bold")
        out.append_text(literal(row.title))
        if index == 0 and len(rows) > len(shown):
            more = len(rows) - len(shown)
            out.append(f"  (+{more} more: s shows occurred risks)", style="dim")
        out.append("\n   ▶ Contingency: ", style="bold")
        if row.contingency:
            out.append_text(literal(_one_line(row.contingency)))
        else:
            out.append("none written — e adds one", style=tone("bold red"))
    return out


def filters_text(data: RisksData, *, portfolio: bool, lower: str, wide: bool) -> Text:
    """The register's title: what is shown, every filter in words, how to clear them."""
    flt = data.flt
    out = Text(no_wrap=True, overflow="ellipsis")
    scope = "All projects" if portfolio else (data.code or "—")
    if not wide and lower == "changes":
        out.append(f" Changes · {scope} · {len(data.changes)} requests", style="bold")
        out.append("   g back to the register", style="dim")
        return out
    noun = "risk" if len(data.rows) == 1 else "risks"
    out.append(f" {scope} · {len(data.rows)} {noun}", style="bold")
    overdue = sum(1 for r in data.rows if r.overdue)
    if overdue:
        out.append(" · ")
        out.append(
            f"⚠ {overdue} review{'s' if overdue != 1 else ''} overdue", style=tone("bold red")
        )
    status = "not closed" if flt.status == ACTIVE else flt.status
    out.append(f" · {status}")
    if flt.band is not None:
        out.append(f" · band {flt.band.value}", style="bold")
    if flt.owner_id is not None:
        name = next((o.name for o in data.owners if o.id == flt.owner_id), f"#{flt.owner_id}")
        out.append(" · owner ", style="bold")
        out.append_text(literal("no owner" if flt.owner_id == UNOWNED else name))
    if flt.cell is not None:
        p, i = flt.cell
        out.append(f" · cell P{p}×I{i}", style="bold")
    out.append(" · residual" if flt.residual else " · inherent")
    if flt.narrowed:
        clear = "✕ esc: cell · c: all" if flt.cell is not None else "✕ c clears"
        out.append(f"   {clear}", style=tone("bold yellow"))
    else:
        out.append("   s status · b band · o owner · a all/one", style="dim")
    return out


def detail_text(row: RiskRow, fmt: str, *, large: bool) -> Text:
    """The selected risk: scores and status, owner and dates, then the plans — the
    contingency first once the risk has happened (wrapped when large)."""
    out = Text(no_wrap=not large, overflow="ellipsis")
    out.append(f"{row.project_code} #{row.id} ", style="bold")
    out.append_text(literal(row.title))
    out.append("\n")
    out.append_text(score_text(row.score, row.band))
    out.append(f" P{row.probability}×I{row.impact}", style="dim")
    out.append(" → resid ")
    out.append_text(score_text(row.residual_score, row.residual_band))
    if row.residual_score is None:
        out.append(" not assessed", style="dim")
    out.append(" · ")
    out.append_text(status_text(row.status))
    out.append(f" · {row.category} · {row.response}")
    out.append("\nOwner ", style="dim")
    out.append_text(literal(row.owner) if row.owner else Text("none", style=tone("bold yellow")))
    out.append(" · review ", style="dim")
    out.append(format_date(row.review_date, fmt))
    if row.overdue:
        out.append(" ⚠ OVERDUE", style=tone("bold red"))
    if large:
        out.append(" · raised ", style="dim")
        out.append(format_date(row.raised_on, fmt))
    plans = [
        ("Trigger", row.trigger),
        ("Mitigation", row.mitigation),
        ("Contingency", row.contingency),
        ("Description", row.description),
    ]
    if row.status == RiskStatus.OCCURRED.value:  # the plan to act on now comes first
        plans.insert(0, plans.pop(2))
    for label, value in plans:
        strong = label == "Contingency"
        out.append(f"\n{'▶ ' if strong else ''}{label}: ", style="bold" if strong else "dim")
        if value:
            out.append_text(_multiline(value) if large else literal(_one_line(value)))
        else:
            out.append("—", style="dim")
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _multiline(text: str) -> Text:
    """User text over several lines, each shown literally."""
    return Text("\n").join(literal(line) for line in text.splitlines())
