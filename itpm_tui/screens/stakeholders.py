"""Stakeholders: whose update is due, the contacts with their influence/interest grid, and
the communication log of the contact selected.

Which project: the one selected on the Projects screen when the user comes here (like
Budget and Timeline), another picked with `p`, or every project with `*`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.enums import StakeholderType
from itpm_tui.domain.roles import Action
from itpm_tui.domain.stakeholders import HIGH, DueState, Quadrant
from itpm_tui.queries.stakeholders import Contact, LoggedText, LogRow
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import OneProjectScreen
from itpm_tui.screens.project_picker import ProjectPicker
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import format_date, literal
from itpm_tui.widgets.influence_grid import InfluenceGrid
from itpm_tui.widgets.stakeholder_table import ContactTable, LogTable, due_rank, due_text

if TYPE_CHECKING:
    from itpm_tui.queries.choices import ProjectChoice

WIDE = 150
#: How many due updates the strip lists before "+N more" (short and tall terminals).
STRIP_ITEMS = {"-short": 3, "-tall": 6}
ALL = 0  # the picker's "all projects" choice


@dataclass(frozen=True)
class StakeholderData:
    choices: list[ProjectChoice]
    #: The contacts of project `scope` (of every project when it is None).
    contacts: list[Contact]
    today: date
    scope: int | None = None
    #: How many stakeholders there are in all (the filter line's "of N contacts").
    total: int = 0
    #: The log of `log_for` (the contact selected when the data was read).
    log_for: int | None = None
    log: list[LogRow] = field(default_factory=list)


class StakeholderPicker(ProjectPicker):
    """The project picker with "all projects" first."""

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#picker Static", Static).update(
            Text("Show the stakeholders of…", style="bold")
        )

    def _fill(self, needle: str) -> None:
        super()._fill(needle)
        if needle.strip():
            return
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.add_option(Option(Text("*          all projects", style="bold"), id=str(ALL)))
        # Move it to the top: rebuild in order (the list is short).
        items = [options.get_option_at_index(i) for i in range(options.option_count)]
        options.clear_options()
        options.add_options([items[-1], *items[:-1]])
        options.highlighted = 0 if self.current is None else (highlighted or 0) + 1


def matches(contact: Contact, needle: str) -> bool:
    """Search as you type: every word appears in one of the contact's texts."""
    haystack = " ".join(
        [
            contact.name,
            contact.organisation,
            contact.title,
            contact.kind,
            contact.email,
            contact.phone,
            contact.channel,
            contact.cadence,
            contact.notes,
            contact.quadrant.value,
            *(f"{link.code} {link.role}" for link in contact.projects),
        ]
    ).casefold()
    return all(word in haystack for word in needle.casefold().split())


class StakeholdersScreen(OneProjectScreen[StakeholderData]):
    TITLE = "Stakeholders"
    #: A contact's updates fall due by the milestones (tasks) of every project it is in.
    WATCHES = frozenset({"project", "stakeholder", "communicationentry", "task"})
    AUTO_FOCUS = "#contacts"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    HELP = f"""\
### Stakeholders — contacts, the grid and the communication log

**Updates due** (top): the stakeholders of the project shown whose next update is due today
(`●`) or overdue (`⚠`, with how many days), most overdue first. `u` selects them in turn.
The next update is due at the **last contact + the cadence**: daily = the next working day
(Mon–Fri), weekly = 7 days, fortnightly = 14 days, monthly = the same day next month (31 Jan →
28/29 Feb), at milestones = the planned finish of the next milestone not yet done of their
live projects (none when there is none). Never contacted = due now. Contacts whose projects
are all closed or archived get no updates. The Projects screen counts each project's due
updates in its **Upd** column (wide terminals).

**Grid**: influence and interest are rated 1–5; **{HIGH} or 5 is high**, 1–3 is low.
*Manage closely* = high influence and high interest, *keep satisfied* = high influence, low
interest, *keep informed* = low influence, high interest, *monitor* = both low. Each
quadrant shows its names (or how many, when they do not fit). `g` moves to the grid; arrows
choose a quadrant, `enter` shows only its contacts (again: all); `escape` clears it.

**Contacts**: `a` adds, `e` edits, `d` deletes (asks first) the selected contact; with the
log focused (`tab`), they add, edit and delete log entries instead. `l` logs a contact
(date, channel, by, summary) with the selected stakeholder. In the form, *Projects* lists
project codes, `CODE: role` for a role, separated by `;` (or commas between bare codes).

**Reading what was sent**: `v` (or `enter` in the log) opens the selected log entry in
full — its summary and the text kept with it: the status report or weekly digest itpm
e-mailed, exactly as sent (scroll with the arrows and PgUp/PgDn, `esc` closes). A contact
logged by hand keeps only its summary.

**Filters**: `p` picks the project, `*` shows all projects, `t` cycles the type, `/`
searches as you type, `s` orders by name or by next update.

**Report**: `r` previews the current project's status report (executive or technical; md,
html or txt) to save (`s`), copy (`c`) or mark as sent (`m`) to chosen stakeholders — which
logs the contact and moves their next update on.
"""
    #: With the log focused `a` logs a contact, which a technician may do too (`check_action`).
    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "delete": Action.MANAGE,
        "log": Action.LOG_CONTACT,
    }
    BINDINGS: ClassVar = [
        Binding(
            "a",
            "add",
            "Add",
            id="stakeholders.add",
            tooltip="Add a contact (or a log entry, with the log focused)",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="stakeholders.edit",
            tooltip="Edit the selected contact (or log entry, with the log focused)",
        ),
        Binding(
            "d",
            "delete",
            "Delete",
            id="stakeholders.delete",
            tooltip="Delete the selected contact (or log entry, with the log focused)",
        ),
        Binding(
            "l",
            "log",
            "Log",
            id="stakeholders.log",
            tooltip="Log a contact with the selected stakeholder",
        ),
        Binding(
            "v",
            "read",
            "Read",
            id="stakeholders.read",
            tooltip="Read the selected log entry in full: the report or digest e-mailed",
        ),
        Binding("p", "pick", "Project", id="stakeholders.pick", tooltip="Pick the project"),
        Binding(
            "asterisk",
            "all_projects",
            "All",
            id="stakeholders.all",
            key_display="*",
            tooltip="Show the stakeholders of every project",
            show=False,
        ),
        Binding(
            "t",
            "cycle_type",
            "Type",
            id="stakeholders.type",
            tooltip="Show one type of stakeholder, the next each time",
            show=False,
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="stakeholders.search",
            tooltip="Search as you type (name, organisation, title, e-mail, projects, notes)",
            show=False,
        ),
        Binding(
            "g",
            "grid",
            "Grid",
            id="stakeholders.grid",
            tooltip="Move to the influence/interest grid to filter by quadrant",
            show=False,
        ),
        Binding(
            "u",
            "next_due",
            "Next due",
            id="stakeholders.next_due",
            tooltip="Select the next contact whose update is due",
            show=False,
        ),
        Binding(
            "s",
            "sort",
            "Sort",
            id="stakeholders.sort",
            tooltip="Order contacts by name or by next update",
            show=False,
        ),
        Binding(
            "r", "report", "Report", id="stakeholders.report", tooltip="Preview the status report"
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="stakeholders.close",
            show=False,
            tooltip="Close the search, or clear the quadrant filter",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: StakeholderData | None = None
        self.kind: str | None = None
        self.by_due = False
        #: The contact to select once shown (just saved), and the one whose log is shown.
        self._select_contact: int | None = None
        self._select_log: int | None = None
        self._log_for: int | None = None
        self._wanted_log: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="due-strip")
        yield Static("", id="filters")
        yield Input(placeholder="search: name, organisation, title, e-mail, projects", id="search")
        with Horizontal(id="main"):
            yield ContactTable(id="contacts")
            yield InfluenceGrid(id="grid")
        yield Static("", id="contact-detail")
        yield LogTable(id="log")
        yield ItpmFooter()

    @property
    def contacts_table(self) -> ContactTable:
        return self.query_one(ContactTable)

    @property
    def log_table(self) -> LogTable:
        return self.query_one(LogTable)

    @property
    def grid(self) -> InfluenceGrid:
        return self.query_one(InfluenceGrid)

    def on_mount(self) -> None:
        fmt = self.itpm.settings.date_format
        self.contacts_table.date_format = fmt
        self.log_table.date_format = fmt
        self.contacts_table.fit_to(self.app.size.width)
        self.log_table.fit_to(self.app.size.width)
        self.follow_selected_project()
        self.contacts_table.loading = True
        super().on_mount()

    def on_screen_resume(self) -> None:
        if self.follow_selected_project():
            self.reload()
        else:
            super().on_screen_resume()

    def on_resize(self, event: events.Resize) -> None:
        self.contacts_table.fit_to(self.app.size.width)
        self.log_table.fit_to(self.app.size.width)
        self._redraw()

    # -- data --------------------------------------------------------------------------------

    def fetch(self) -> StakeholderData:
        from itpm_tui.queries.choices import project_choices
        from itpm_tui.queries.stakeholders import communication_log, contacts_of

        ctx = self.itpm.ctx
        today = ctx.today()
        scope = self.project_id  # only the project shown: all 5,000 only when all are shown
        people, total = contacts_of(ctx.db, today, scope)
        wanted = self._wanted_log
        if wanted is None and self.data is None and people:
            # The first read: the log of the contact the table selects first comes with it
            # (no second read and second drawing once the contacts are shown).
            wanted = self._ordered(people)[0].id
        if wanted is None or not any(c.id == wanted for c in people):
            wanted = None
        log = communication_log(ctx.db, wanted) if wanted is not None else []
        choices = project_choices(ctx.db)
        return StakeholderData(choices, people, today, scope, total, wanted, log)

    def show(self, data: StakeholderData) -> None:
        self.data = data
        table = self.contacts_table
        if table.loading:
            table.loading = False
            table.focus()
        self._redraw()
        if self._select_contact is not None and table.select_id(self._select_contact):
            self._select_contact = None
        self._contact_changed(from_fetch=True)

    # -- what is shown ----------------------------------------------------------------------

    def in_project(self) -> list[Contact]:
        """The contacts of the project shown (all when every project is shown); none while
        another project's are read (`_project_changed`)."""
        data = self.data
        if data is None:
            return []
        pid = self.project_id
        if data.scope == pid:
            return data.contacts
        if data.scope is not None or pid is None:
            return []
        return [c for c in data.contacts if c.on_project(pid)]

    def _project_changed(self) -> None:
        """Show another project (or all): at once from the contacts held when they include
        its own, else once they are read."""
        data = self.data
        if data is not None and data.scope not in (None, self.project_id):
            self.reload()
            return
        self._redraw()
        self._contact_changed()

    def in_grid(self) -> list[Contact]:
        """In the project, of the type and matching the search: what the grid counts."""
        needle = self.query_one("#search", Input).value
        return [
            c
            for c in self.in_project()
            if (self.kind is None or c.kind == self.kind) and (not needle or matches(c, needle))
        ]

    def in_table(self) -> list[Contact]:
        picked = self.grid.picked
        return self._ordered([c for c in self.in_grid() if picked is None or c.quadrant is picked])

    def _ordered(self, contacts: list[Contact]) -> list[Contact]:
        """In the table's order: by name (as read), or by next update with `s`."""
        if self.by_due:
            return sorted(contacts, key=lambda c: (due_rank(c.due), c.name.casefold()))
        return contacts

    def _redraw(self) -> None:
        if self.data is None:
            return
        grid_names: dict[Quadrant, list[str]] = {q: [] for q in Quadrant}
        for contact in self.in_grid():
            grid_names[contact.quadrant].append(contact.name)
        self.grid.show(grid_names)
        self.contacts_table.show(self.in_table())
        self._render_strip()
        self._render_filters()
        self._render_detail()

    def _project_label(self) -> str:
        pid = self.project_id
        if pid is None or self.data is None:
            return "all projects"
        choice = next((c for c in self.data.choices if c.id == pid), None)
        if choice is not None:
            return choice.code
        for contact in self.data.contacts:
            for link in contact.projects:
                if link.project_id == pid:
                    return link.code
        return f"project {pid}"

    def _render_strip(self) -> None:
        due = sorted(
            (c for c in self.in_project() if c.due.needs_update),
            key=lambda c: (due_rank(c.due), c.name.casefold()),
        )
        limit = STRIP_ITEMS["-tall" if self.size.height >= 40 else "-short"]
        overdue = sum(1 for c in due if c.due.state is DueState.OVERDUE)
        today = len(due) - overdue
        where = self._project_label()
        out = Text(no_wrap=True, overflow="ellipsis")
        if not due:
            out.append("✓ No updates due", style="bold")
            out.append(f" · {where}")
            upcoming = sorted(
                (c for c in self.in_project() if c.next_due is not None),
                key=lambda c: (c.next_due, c.name.casefold()),
            )
            if upcoming:
                first = upcoming[0]
                out.append(" · next: ")
                out.append_text(literal(first.name))
                out.append(f" {first.due.words()}")
        else:
            out.append("Updates due", style="bold")
            counts = [
                f"{overdue} overdue" if overdue else "",
                f"{today} due today" if today else "",
            ]
            out.append(f" · {where}: " + ", ".join(c for c in counts if c))
            if len(due) > limit:
                out.append(f" · +{len(due) - limit} more below", style="dim")
            out.append("   u selects the next", style="dim")
            for contact in due[:limit]:
                out.append("\n")
                out.append_text(due_text(contact.due, short=False))
                out.append("  ")
                out.append_text(literal(contact.name))
                if contact.organisation:
                    out.append(" (")
                    out.append_text(literal(contact.organisation))
                    out.append(")")
                out.append(f" · {contact.cadence} by {contact.channel}", style="dim")
                if contact.last_contact is None:
                    out.append(" · never contacted", style="dim")
                else:
                    fmt = self.itpm.settings.date_format
                    out.append(f" · last {format_date(contact.last_contact, fmt)}", style="dim")
                codes = contact.codes
                if codes and self.project_id is None:
                    out.append(f" · {codes}", style="dim")
        self.query_one("#due-strip", Static).update(out)

    def _render_filters(self) -> None:
        shown = len(self.contacts_table.rows_shown)
        total = self.data.total if self.data else 0
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(f" {self._project_label()}", style="bold")
        out.append(f" · {shown} of {total} contacts")
        out.append(f" · type: {self.kind or 'all'}")
        picked = self.grid.picked
        out.append(f" · grid: {picked.value if picked else 'all'}")
        needle = self.query_one("#search", Input).value
        if needle:
            out.append(" · search: ")
            out.append_text(literal(needle))
        out.append(" · by next update" if self.by_due else " · by name", style="dim")
        out.append("   / search  t type  g grid  * all  s sort", style="dim")
        self.query_one("#filters", Static).update(out)

    def _render_detail(self) -> None:
        contact = self.contacts_table.selected_row
        box = self.query_one("#contact-detail", Static)
        if contact is None:
            box.update(Text(" No contact selected — a adds one.", style="dim"))
            return
        fmt = self.itpm.settings.date_format
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(" ")
        out.append_text(literal(contact.name))
        out.stylize("bold")
        for part in (contact.title, contact.organisation):
            if part:
                out.append(" · ")
                out.append_text(literal(part))
        out.append(f" · {contact.kind}")
        if contact.next_due is not None:
            out.append(f"\n next update {format_date(contact.next_due, fmt)} ")
            out.append_text(due_text(contact.due, short=False))
        else:
            out.append("\n no update due", style="dim")
        out.append(f" · last contact {format_date(contact.last_contact, fmt)}")
        out.append(f" · {contact.cadence} by {contact.channel}")
        out.append("\n ")
        if contact.email:
            out.append("✉ ")
            out.append_text(literal(contact.email))
            out.append(" · ")
        if contact.phone:
            out.append("☎ ")
            out.append_text(literal(contact.phone))
            out.append(" · ")
        out.append(
            f"influence {contact.influence}, interest {contact.interest}: {contact.quadrant.value}"
        )
        if contact.projects:
            out.append("\n on ")
            for i, link in enumerate(contact.projects):
                if i:
                    out.append("; ")
                out.append(link.code, style="bold")
                if link.role:
                    out.append(" ")
                    out.append_text(literal(link.role))
                if not link.live:
                    out.append(" (closed)", style="dim")
        if contact.notes:
            out.append("\n note: ", style="dim")
            out.append_text(literal(contact.notes))
        box.update(out)

    # -- the selected contact and their log ----------------------------------------------------

    @on(DataTable.RowHighlighted, "#contacts")
    def _contact_highlighted(self) -> None:
        self._contact_changed()

    def _contact_changed(self, from_fetch: bool = False) -> None:
        self._render_detail()
        selected = self.contacts_table.selected_id
        self._wanted_log = selected
        data = self.data
        if data is not None and selected == data.log_for:
            if from_fetch or self._log_for != selected:
                self._show_log(selected, data.log)
        elif selected is None:
            self._show_log(None, [])
        else:
            self._load_log(selected)

    @work(thread=True, exclusive=True, group="log")
    def _load_log(self, stakeholder_id: int) -> None:
        from itpm_tui.queries.stakeholders import communication_log

        rows = communication_log(self.itpm.ctx.db, stakeholder_id)
        self.app.call_from_thread(self._show_log, stakeholder_id, rows)

    def _show_log(self, stakeholder_id: int | None, rows: list[LogRow]) -> None:
        if stakeholder_id != self.contacts_table.selected_id:
            return  # the user moved on meanwhile
        table = self.log_table
        if stakeholder_id != self._log_for:
            table.show([], keep=None)
        self._log_for = stakeholder_id
        table.show(rows)
        if self._select_log is not None and table.select_id(self._select_log):
            self._select_log = None
        table.border_title = None

    # -- reading a logged contact in full ---------------------------------------------------

    def action_read(self) -> None:
        row = self.log_table.selected_row
        if row is None:
            self.notify("There is no log entry to read.", severity="warning")
            return
        self._open_text(row.id)

    @on(DataTable.RowSelected, "#log")
    def _log_entry_chosen(self) -> None:
        self.action_read()

    @work(thread=True, exclusive=True, group="read")
    def _open_text(self, entry_id: int) -> None:
        from itpm_tui.queries.stakeholders import logged_text

        logged = logged_text(self.itpm.ctx.db, entry_id)
        self.app.call_from_thread(self._show_text, logged)

    def _show_text(self, logged: LoggedText | None) -> None:
        if logged is None:
            self.notify("That log entry was deleted meanwhile.", severity="warning")
            self.reload()
            return
        from itpm_tui.screens.contact_text import ContactText  # when first opened

        self.app.push_screen(ContactText(logged, self.itpm.settings.date_format))

    # -- filters ---------------------------------------------------------------------------

    def action_pick(self) -> None:
        def picked(project_id: int | None) -> None:
            if project_id is not None:
                self.project_id = None if project_id == ALL else project_id
                self._project_changed()

        choices = self.data.choices if self.data else []
        self.app.push_screen(StakeholderPicker(choices, self.project_id), picked)

    def action_all_projects(self) -> None:
        self.project_id = None
        self._project_changed()

    def action_cycle_type(self) -> None:
        kinds: list[str | None] = [None, *(k.value for k in StakeholderType)]
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        self._redraw()
        self._contact_changed()

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.add_class("shown")
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._redraw()
        self._contact_changed()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.contacts_table.focus()

    def action_close(self) -> None:
        box = self.query_one("#search", Input)
        if box.has_focus or box.value:
            box.value = ""
            box.remove_class("shown")
            self.contacts_table.focus()
        elif self.grid.picked is not None:
            self.grid.pick(None)

    def action_grid(self) -> None:
        self.grid.focus()

    @on(InfluenceGrid.Picked)
    def _quadrant_picked(self) -> None:
        self._redraw()
        self._contact_changed()

    def action_sort(self) -> None:
        self.by_due = not self.by_due
        self._redraw()

    def action_next_due(self) -> None:
        rows = self.contacts_table.rows_shown
        due = sorted(
            (c for c in rows if c.due.needs_update),
            key=lambda c: (due_rank(c.due), c.name.casefold()),
        )
        if not due:
            self.notify("No update is due among the contacts shown.")
            return
        current = self.contacts_table.selected_id
        ids = [c.id for c in due]
        after = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
        self.contacts_table.select_id(after)
        self.contacts_table.focus()

    # -- edits -----------------------------------------------------------------------------

    def _log_focused(self) -> bool:
        return self.log_table.has_focus

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`a` with the log focused logs a contact: offered to whoever may log one."""
        if action == "add" and self.is_mounted and self._log_focused():
            action = "log"
        return super().check_action(action, parameters)

    def action_add(self) -> None:
        if self._log_focused():
            self.action_log()
        else:
            self._open_contact_form(None)

    def action_edit(self) -> None:
        if self._log_focused():
            contact = self.contacts_table.selected_row
            row = self.log_table.selected_row
            if contact is None or row is None:
                self.notify("There is no log entry to edit.", severity="warning")
                return
            self._push_log_form(contact, row)
            return
        contact = self.contacts_table.selected_row
        if contact is None:
            self.notify("There is no contact to edit.", severity="warning")
            return
        self._open_contact_form(contact)

    @work(thread=True, group="form")
    def _open_contact_form(self, contact: Contact | None) -> None:
        from itpm_tui.domain.stakeholders import ContactDraft, format_projects
        from itpm_tui.queries.stakeholders import project_codes

        codes = project_codes(self.itpm.ctx.db)
        draft = None
        if contact is None:
            code = self._project_label() if self.project_id is not None else ""
            draft = ContactDraft(
                name="", projects=format_projects([(code, "")]) if code in codes else ""
            )
        from itpm_tui.screens.stakeholder_form import ContactForm  # when first opened

        form = ContactForm(self.itpm.ctx, codes, contact=contact, draft=draft)
        self.app.call_from_thread(self.app.push_screen, form, self._after_contact_form)

    def _after_contact_form(self, saved: int | None) -> None:
        if saved is not None:
            self.notify("Stakeholder saved.")
            self._select_contact = saved
            self.reload()

    def action_log(self) -> None:
        contact = self.contacts_table.selected_row
        if contact is None:
            self.notify("Select a contact first (a adds one).", severity="warning")
            return
        self._push_log_form(contact, None)

    def _push_log_form(self, contact: Contact, row: LogRow | None) -> None:
        from itpm_tui.screens.stakeholder_form import LogForm  # when first opened

        form = LogForm(
            self.itpm.ctx,
            contact,
            row=row,
            user=self.itpm.settings.user,
            project_id=self.project_id,
            today=self.itpm.ctx.today(),
            date_format=self.itpm.settings.date_format,
        )
        self.app.push_screen(form, self._after_log_form)

    def _after_log_form(self, saved: int | None) -> None:
        if saved is not None:
            self.notify("Contact logged.")
            self._select_log = saved
            self.reload()

    def action_delete(self) -> None:
        contact = self.contacts_table.selected_row
        if self._log_focused():
            row = self.log_table.selected_row
            if contact is None or row is None:
                self.notify("There is no log entry to delete.", severity="warning")
                return
            question = Text("Delete the ")
            question.append(f"{row.channel} contact of {row.logged_on.isoformat()} with ")
            question.append_text(literal(contact.name))
            question.append(": ")
            question.append_text(literal(row.summary))
            question.append("?")

            def answered_log(yes: bool | None) -> None:
                from itpm_tui.services.stakeholders import delete_log_entry

                if yes:
                    ctx = self.itpm.ctx
                    self.write_then_reload(
                        lambda: delete_log_entry(ctx, row.id, row.version), "Log entry deleted."
                    )

            self.app.push_screen(ConfirmScreen(question.plain, yes="Delete"), answered_log)
            return
        if contact is None:
            self.notify("There is no contact to delete.", severity="warning")
            return
        question = Text("Delete the stakeholder ")
        question.append_text(literal(contact.name))
        if contact.organisation:
            question.append(" (")
            question.append_text(literal(contact.organisation))
            question.append(")")
        question.append(", their project roles and their whole communication log?")

        def answered(yes: bool | None) -> None:
            from itpm_tui.services.stakeholders import delete_contact

            if yes:
                ctx = self.itpm.ctx
                self.write_then_reload(
                    lambda: delete_contact(ctx, contact.id, contact.version), "Stakeholder deleted."
                )

        self.app.push_screen(ConfirmScreen(question.plain, yes="Delete"), answered)

    # -- report ----------------------------------------------------------------------------

    def action_report(self) -> None:
        from itpm_tui.screens.report_preview import ReportPreview

        pid = self.project_id
        if pid is None:
            self.notify(
                "A status report is about one project: pick one with p first.",
                severity="warning",
            )
            return
        members = self.in_project()
        self.app.push_screen(
            ReportPreview(self.itpm.ctx, pid, self._project_label(), members),
            self._after_report,
        )

    def _after_report(self, sent: int | None) -> None:
        if sent:
            self.reload()
