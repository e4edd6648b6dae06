"""Projects: the portfolio at a glance — which project is red and why — and its edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.geometry import Size
from textual.widgets import DataTable, Header, Input, Static

from itpm_tui.domain.enums import Health
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.roles import Action
from itpm_tui.errors import ItpmError
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import LiveScreen
from itpm_tui.screens.project_form import ProjectForm
from itpm_tui.widgets.burndown_chart import BurndownChart
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import tone
from itpm_tui.widgets.keyed_table import paint_now
from itpm_tui.widgets.portfolio_table import COLUMN_KEYS, PortfolioTable, search_text
from itpm_tui.widgets.project_detail import ProjectDetailPanel
from itpm_tui.widgets.week_glance import WeekGlance

if TYPE_CHECKING:
    from itpm_tui.domain.burndown import Burndown
    from itpm_tui.domain.change_set import ChangeSet
    from itpm_tui.queries.closing import ClosingState
    from itpm_tui.queries.portfolio import PortfolioRow, ProjectDetail
    from itpm_tui.queries.standup import MilestoneDue, UpdateDue

#: More projects than this touched since the last look: the whole portfolio is read again.
MOST_TOUCHED = 20
#: Kinds of record whose change can move a row of another project than the one it names
#: (a stakeholder's contact counts in each of their projects' "updates due").
CROSS_PROJECT = frozenset({"stakeholder", "communicationentry", "projectstakeholder"})


def empty_guide(archived_shown: bool) -> Text:
    """What an empty portfolio says: how to create the first project, or fill a sample one."""
    out = Text()
    if archived_shown:
        out.append("No projects, archived or not.\n\n", style="bold")
    else:
        out.append("No projects yet.\n\n", style="bold")
    out.append("  n        ", style="bold")
    out.append("  creates your first project: code, name, client, dates.\n")
    out.append("  itpm demo", style="bold")
    out.append("  in a shell fills a sample portfolio to explore (q quits).\n\n")
    out.append("Then, with the project selected:\n")
    out.append("  2", style="bold")
    out.append(" Timeline  n adds a task, N a subtask, b sets the baseline\n")
    out.append("  3", style="bold")
    out.append(" Budget    b budget lines, a ledger entries\n")
    out.append("  7", style="bold")
    out.append(" Team      n adds a person: role, capacity, cost rate\n")
    out.append("  ?", style="bold")
    out.append(" help on every screen, ctrl+p the command palette")
    if not archived_shown:
        out.append("\n\nv shows archived projects, if any.", style="dim")
    return out


#: From this many rows, the screen shows this week at a glance and the selected project's
#: detail and burn-down below the table instead of empty rows.
TALL = 40


@dataclass(frozen=True)
class PortfolioData:
    rows: list[PortfolioRow]
    milestones: list[MilestoneDue] = field(default_factory=list)
    updates: list[UpdateDue] = field(default_factory=list)
    #: The first rows, read straight from the file: the week's glance is fetched after them.
    glance_later: bool = False
    #: The projects whose rows were read again (None: every row was).
    touched: frozenset[int] | None = None


class ProjectsScreen(LiveScreen[PortfolioData]):
    TITLE = "Projects"
    AUTO_FOCUS = "#portfolio"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]
    HELP = """\
### Projects — the portfolio

One row per project: health with its reason, percent complete (weighted by estimated hours),
**Slip** (working days late against the baseline, `+` = late), **Var** (budget left after
actual and committed spend; negative = over budget), open high risks (critical ones in
brackets with `!`), the next milestone and the manager. **Upd** counts the project's
stakeholders whose update is due today or overdue (see Stakeholders, `5`). Narrow terminals
show the key columns; wider terminals add phase, progress bars, risks and updates due (from
120 columns), spend and the next milestone (from 160), then client and manager (from 200);
the room a wider terminal has left widens the name first, then the client and the milestone.

From 40 rows, below the table: this week's milestones of every project (late ones first)
and the stakeholder updates due this week, then the selected project's detail and burn-down
(`enter` hides or shows them).

**Deliverables** (`d`): what the selected project hands over, each with its acceptance
criteria and due date — listed, added and edited from the start of the project.

**Close-out** (`c`): the selected project's deliverables with who accepted each and when,
the client's sign-off and the lessons learned. A project closes only when every deliverable
is accepted and the sign-off is recorded, or with an override whose reason is kept.
"""
    WRITES: ClassVar[dict[str, Action]] = {
        "new": Action.MANAGE,
        "edit": Action.MANAGE,
        "archive": Action.MANAGE,
    }
    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="projects.filter",
            tooltip="Filter as you type (code, name, client, manager, phase, health)",
        ),
        Binding(
            "enter",
            "detail",
            "Detail",
            id="projects.detail",
            show=False,
            tooltip="Open or close the detail panel of the selected project",
        ),
        Binding("n", "new", "New", id="projects.new", tooltip="Create a project"),
        Binding("e", "edit", "Edit", id="projects.edit", tooltip="Edit the selected project"),
        Binding(
            "d",
            "deliverables",
            "Deliverables",
            id="projects.deliverables",
            tooltip="List, add and edit the selected project's deliverables",
        ),
        Binding(
            "c",
            "closeout",
            "Close-out",
            id="projects.closeout",
            tooltip="Close-out of the selected project: deliverables, sign-off, lessons, close",
        ),
        Binding(
            "a",
            "archive",
            "Archive",
            id="projects.archive",
            tooltip="Archive the selected project (or restore an archived one)",
        ),
        Binding(
            "v",
            "toggle_archived",
            "Archived",
            id="projects.archived",
            tooltip="Show or hide archived projects",
            show=False,
        ),
        Binding(
            "s",
            "sort",
            "Sort",
            id="projects.sort",
            tooltip="Sort by the next column (click a header to sort by it)",
            show=False,
        ),
        Binding(
            "r",
            "reverse",
            "Reverse",
            id="projects.reverse",
            show=False,
            tooltip="Reverse the sort order",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="projects.close",
            show=False,
            tooltip="Close the filter or the detail panel",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PortfolioRow] = []
        #: Each row with its `search_text`, made once per fetch (not per key typed).
        self._searchable: list[tuple[PortfolioRow, str]] | None = None
        self.show_archived = False
        self.detail_open = False
        self._detail_closed = False  # by the user: a tall screen then does not reopen it
        self._select_after_reload: int | None = None
        #: The week's glance as last shown: a colleague's write re-reads only its projects'.
        self._glance: tuple[list[MilestoneDue], list[UpdateDue]] | None = None
        self._detail_asked: int | None = None  # the project the detail shows or will
        #: The table's height held while the filter is open (see `_hold_table_height`), and
        #: the screen's size it was held at.
        self._held: tuple[int, Size] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="filter: words in code, name, client, manager, phase, health", id="filter"
        )
        yield PortfolioTable(id="portfolio")
        yield Static("", id="empty")
        yield WeekGlance(id="glance")
        with Horizontal(id="detail"):
            yield ProjectDetailPanel(id="detail-text")
            yield BurndownChart(id="detail-burndown")
        yield Static("", id="summary")
        yield ItpmFooter()

    @property
    def table(self) -> PortfolioTable:
        return self.query_one(PortfolioTable)

    def on_mount(self) -> None:
        self.table.date_format = self.itpm.settings.date_format
        self.table.fit_to(self.app.size.width)
        self.table.loading = True
        self.table.focus()
        super().on_mount()

    def on_resize(self, event: Resize) -> None:
        self.table.fit_to(event.size.width)
        if self._held is not None and self._held[1] != event.size:
            self._release_table_height()  # held for the old size: held again once laid out
            self.call_after_refresh(self._hold_table_height)
        if self.tall and not self.detail_open and not self._detail_closed:
            self.action_detail()

    @property
    def tall(self) -> bool:
        return self.size.height >= TALL

    # -- data ------------------------------------------------------------------------------

    def first_rows(self) -> tuple[int, PortfolioData] | None:
        """The rows read straight from the file with the standard library
        (`read_first_portfolio`), so the first frame of rows does not wait for SQLAlchemy
        and the models; the week's glance of a tall screen follows through the database
        layer."""
        path = self.itpm.first_read_path
        if path is None or self.show_archived:
            return None
        from itpm_tui.clock import system_today
        from itpm_tui.queries.portfolio_rows import read_first_portfolio

        found = read_first_portfolio(path, system_today(), self.itpm.settings.risk_thresholds())
        if found is None:
            return None
        return found[0], PortfolioData(found[1], glance_later=True)

    def fetch(self) -> PortfolioData:
        ctx = self.itpm.ctx
        from itpm_tui.queries.portfolio import portfolio

        today = ctx.today()
        rows = portfolio(
            ctx.db,
            today,
            include_archived=self.show_archived,
            thresholds=self.itpm.settings.risk_thresholds(),
        )
        if not self.tall:
            return PortfolioData(rows)
        from itpm_tui.domain.calendar import week_end
        from itpm_tui.queries.standup import milestones_due, updates_due_by

        return PortfolioData(
            rows,
            milestones_due(ctx.db, today, week_end(today)),
            updates_due_by(ctx.db, today, week_end(today)),
        )

    def fetch_touched(self, changes: ChangeSet) -> PortfolioData | None:
        """A colleague's writes about a few projects: only their rows (and their milestones
        in the week's glance) are read again, about 35 ms each at 1,000 projects instead of
        the whole portfolio; the table redraws only the rows that changed. A change about
        no project, a contact (a stakeholder's updates due count in each of their
        projects) or many projects is fetched whole."""
        if changes.everything or not self.rows:
            return None
        touched = {c.project_id for c in changes.changes}
        if None in touched or len(touched) > MOST_TOUCHED:
            return None
        if any(c.entity in CROSS_PROJECT for c in changes.changes):
            return None
        glance = self._glance if self.tall else None
        if self.tall and glance is None:
            return None
        from itpm_tui.domain.calendar import week_end
        from itpm_tui.domain.enums import ProjectStatus
        from itpm_tui.queries.portfolio import portfolio
        from itpm_tui.queries.standup import milestone_order, milestones_due

        ctx = self.itpm.ctx
        today = ctx.today()
        ids = sorted(pid for pid in touched if pid is not None)
        fresh = [
            row
            for pid in ids
            for row in portfolio(
                ctx.db,
                today,
                include_archived=self.show_archived,
                thresholds=self.itpm.settings.risk_thresholds(),
                project_id=pid,
            )
        ]
        old = self.rows  # replaced on the UI thread, never changed in place
        rows = sorted([r for r in old if r.id not in touched] + fresh, key=lambda r: r.code)
        if glance is None:
            return PortfolioData(rows, touched=frozenset(ids))
        milestones, updates = glance
        codes = {r.code for r in old if r.id in touched} | {r.code for r in fresh}
        active = [r.id for r in fresh if r.status == ProjectStatus.ACTIVE.value and not r.archived]
        found = milestones_due(ctx.db, today, week_end(today), active) if active else []
        kept = [m for m in milestones if m.project_code not in codes]
        return PortfolioData(
            rows, sorted(kept + found, key=milestone_order), updates, touched=frozenset(ids)
        )

    def show(self, data: PortfolioData) -> None:
        self.rows = data.rows
        self._searchable = None
        self.table.loading = False
        self._show_rows()
        if data.glance_later:  # hidden until it comes (it never says "nothing" wrongly)
            self.query_one(WeekGlance).display = False
            if self.tall and self.rows:
                self.call_after_refresh(self._fetch_glance)
        else:
            self._show_glance(data.milestones, data.updates)
        if self._select_after_reload is not None:
            self.select_project(self._select_after_reload)
            self._select_after_reload = None
        selected = self.table.selected_id
        if self.detail_open and (data.touched is None or selected in data.touched):
            self._load_detail(selected)

    @work(thread=True, exclusive=True, group="glance")
    def _fetch_glance(self) -> None:
        try:
            ctx = self.itpm.ctx  # the context first: see `_fetch_detail`
            from itpm_tui.domain.calendar import week_end
            from itpm_tui.queries.standup import milestones_due, updates_due_by

            today = ctx.today()
            milestones = milestones_due(ctx.db, today, week_end(today))
            updates = updates_due_by(ctx.db, today, week_end(today))
        except ItpmError:  # the next poll says what is wrong
            return
        self.app.call_from_thread(self._show_glance, milestones, updates)

    def _show_glance(self, milestones: list[MilestoneDue], updates: list[UpdateDue]) -> None:
        self._glance = (milestones, updates) if self.tall else None
        glance = self.query_one(WeekGlance)
        glance.display = self.tall and bool(self.rows)
        glance.show(milestones, updates, self.itpm.settings.date_format)

    def _show_empty(self) -> None:
        """With no project at all, the screen says how to start instead of a bare header."""
        empty = not self.rows
        if empty:
            self._release_table_height()
        note = self.query_one("#empty", Static)
        note.set_class(empty, "shown")
        self.table.set_class(empty, "empty")
        self.query_one("#detail").set_class(self.detail_open and not empty, "shown")
        if empty:
            note.update(empty_guide(self.show_archived))

    def _show_rows(self) -> None:
        self._show_empty()
        needle = self.query_one("#filter", Input).value
        shown = self._matching(needle) if needle else self.rows
        self.table.show(shown)
        counts = {h: sum(1 for r in shown if r.health is h) for h in Health}
        summary = Text(f"{len(shown)} of {len(self.rows)} projects  ")
        summary.append(f"✖ {counts[Health.RED]} red  ", style=tone("bold red"))
        summary.append(f"▲ {counts[Health.AMBER]} amber  ", style=tone("bold yellow"))
        summary.append(f"● {counts[Health.GREEN]} green", style=tone("bold green"))
        summary.append("   ")
        sort_label = self.table.sort_key + (" ↓" if self.table.sort_reverse else "")
        summary.append(f"sorted by {sort_label}", style="dim")
        if self.show_archived:
            summary.append("   showing archived", style="dim")
        if needle:
            summary.append("   filter: ", style="dim")
            summary.append(needle)
        # one line high by the stylesheet: a new summary lays nothing out again
        line = self.query_one("#summary", Static)
        line.update(summary, layout=False)
        paint_now(self.table, line)  # with the filter box's text, in one frame
        self._publish_selection()

    def _matching(self, needle: str) -> list[PortfolioRow]:
        """The rows with every word of `needle` in their texts (see `matches`)."""
        if self._searchable is None:
            self._searchable = [(r, search_text(r)) for r in self.rows]
        found = self._searchable
        for word in needle.casefold().split():  # a word at a time: no generator per row
            found = [(r, text) for r, text in found if word in text]
        return [r for r, _ in found]

    def _publish_selection(self) -> None:
        """The one-project screens follow what is selected here (see `OneProjectScreen`)."""
        self.itpm.selected_project = self.table.selected_id

    def selected_row(self) -> PortfolioRow | None:
        pid = self.table.selected_id
        return next((r for r in self.rows if r.id == pid), None)

    def select_project(self, project_id: int, open_detail: bool = False) -> None:
        if not any(r.id == project_id for r in self.rows):
            return
        self.query_one("#filter", Input).value = ""
        self._show_rows()
        self.table.move_cursor(row=self.table.get_row_index(str(project_id)))
        self.table.focus()
        if open_detail and not self.detail_open:
            self.action_detail()

    # -- filter and sort -------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.has_class("shown"):
            box.add_class("shown")
            self.call_after_refresh(self._hold_table_height)
        box.focus()

    def _hold_table_height(self) -> None:
        """On a tall screen the table is as tall as its rows: as the filter narrows them, it
        would shrink at each key and the week's glance, the detail and the burn-down below
        would be laid out and drawn again (the chart's figure rebuilt for its new size,
        most of a key's time at 1,000 projects). While the filter is open the table keeps
        the height it had when the filter opened, and the panes below stay still."""
        box = self.query_one("#filter", Input)
        if self.tall and self.rows and box.has_class("shown"):
            height = self.table.outer_size.height
            self._held = (height, self.size)
            self.table.styles.height = height

    def _release_table_height(self) -> None:
        """The table follows its rows again (the filter closed, no rows, a new size)."""
        if self._held is not None:
            self._held = None
            self.table.styles.height = None

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_close(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or box.value:
            box.value = ""
            box.remove_class("shown")
            self._release_table_height()
            self.table.focus()
        elif self.detail_open:
            self.action_detail()

    def action_sort(self) -> None:
        keys = [c.key for c in self.table.columns_shown]
        current = keys.index(self.table.sort_key) if self.table.sort_key in keys else -1
        self.table.sort_key = keys[(current + 1) % len(keys)]
        self.table.sort_reverse = False
        self._show_rows()

    def action_reverse(self) -> None:
        self.table.sort_reverse = not self.table.sort_reverse
        self._show_rows()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in COLUMN_KEYS:
            same = self.table.sort_key == key
            self.table.sort_key = key
            self.table.sort_reverse = not self.table.sort_reverse if same else False
            self._show_rows()

    # -- detail ----------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        self.detail_open = not self.detail_open
        self._detail_closed = not self.detail_open
        self.query_one("#detail").set_class(self.detail_open, "shown")
        if self.detail_open:
            self._load_detail(self.table.selected_id)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        """A row highlighted again where it was (the table laid out anew by a filter or a
        sort) keeps the detail it shows: only another project is fetched and drawn."""
        self._publish_selection()
        selected = self.table.selected_id
        if self.detail_open and selected != self._detail_asked:
            self._load_detail(selected)

    def _load_detail(self, project_id: int | None) -> None:
        """Fetch the detail once the rows just shown are painted: its worker (burn-down and
        chart imports, three queries) would otherwise hold the interpreter lock the first
        frame of rows waits for. Before the first rows there is nothing to detail: `show`
        asks again once they are painted."""
        if self.table.loading:
            return
        self._detail_asked = project_id
        self.call_after_refresh(self._fetch_detail, project_id)

    @work(thread=True, exclusive=True, group="detail")
    def _fetch_detail(self, project_id: int | None) -> None:
        # the context first: opening it loads SQLAlchemy under the app's lock, and two
        # threads importing its ORM at once can see it half-initialised (an ImportError)
        ctx = self.itpm.ctx
        from itpm_tui.queries.burndown import project_burndown
        from itpm_tui.queries.closing import closing_state
        from itpm_tui.queries.portfolio import project_detail

        detail = project_detail(ctx.db, project_id) if project_id else None
        burndown = project_burndown(ctx.db, project_id, ctx.today()) if project_id else None
        closing = closing_state(ctx.db, project_id) if project_id else None
        self.app.call_from_thread(self._show_detail, detail, burndown, closing)

    def _show_detail(
        self,
        detail: ProjectDetail | None,
        burndown: Burndown | None,
        closing: ClosingState | None = None,
    ) -> None:
        row = next((r for r in self.rows if detail and r.id == detail.id), None)
        self.query_one(ProjectDetailPanel).show(
            detail, row, self.itpm.settings.date_format, closing=closing
        )
        self.query_one(BurndownChart).show(burndown)

    # -- edits -----------------------------------------------------------------------------

    def action_new(self) -> None:
        draft = ProjectDraft(code="", name="", currency=self.itpm.settings.currency)
        self._open_form(draft, None, None)

    def action_edit(self) -> None:
        pid = self.table.selected_id
        if pid is not None:
            self._edit(pid)

    @work(thread=True, exclusive=True, group="form")
    def _edit(self, project_id: int) -> None:
        from itpm_tui.queries.portfolio import project_detail

        detail = project_detail(self.itpm.ctx.db, project_id)
        if detail is None:
            self.app.call_from_thread(
                self.notify, "That project no longer exists.", severity="warning"
            )
            return
        self.app.call_from_thread(self._open_form, detail.draft(), project_id, detail.version)

    def _open_form(self, draft: ProjectDraft, project_id: int | None, version: int | None) -> None:
        """Opens at once (the form loads its manager choices), so typing starts right away."""
        form = ProjectForm(
            self.itpm.ctx,
            draft=draft,
            project_id=project_id,
            version=version,
            date_format=self.itpm.settings.date_format,
        )
        self.app.push_screen(form, self._after_form)

    def _after_form(self, saved: int | None) -> None:
        if saved is not None:
            self.notify("Project saved.")
            self._select_after_reload = saved
            self.reload()

    def action_deliverables(self) -> None:
        from itpm_tui.screens.deliverables import DeliverablesDialog

        pid = self.table.selected_id
        if pid is None:
            self.notify("Select a project first (n creates one).", severity="warning")
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.reload()
                if self.detail_open:
                    self._load_detail(self.table.selected_id)

        dialog = DeliverablesDialog(self.itpm.ctx, pid, date_format=self.itpm.settings.date_format)
        self.app.push_screen(dialog, closed)

    def action_closeout(self) -> None:
        from itpm_tui.screens.closing import CloseOutScreen

        pid = self.table.selected_id
        if pid is None:
            self.notify("Select a project first.", severity="warning")
            return
        self.app.push_screen(CloseOutScreen(pid))

    def action_archive(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        verb = "Restore" if row.archived else "Archive"
        question = f"{verb} {row.code} — {row.name}?" + (
            ""
            if row.archived
            else "\nIt leaves the portfolio list; press v to see archived "
            "projects and a to restore it."
        )

        def answered(yes: bool | None) -> None:
            from itpm_tui.services.projects import set_archived

            if yes:
                ctx, project_id, archived = self.itpm.ctx, row.id, not row.archived
                version = row.version
                self.write_then_reload(
                    lambda: set_archived(ctx, project_id, archived, expected_version=version)
                )

        self.app.push_screen(ConfirmScreen(question, yes=verb), answered)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.reload()
