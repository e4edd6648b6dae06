"""The change-request log of a project (or of all projects) with its own keys to propose,
edit and decide changes.

A host screen mounts `ChangePanel` with the dialogs it opens (`ChangeDialogs`: they live in
`screens/`, which widgets do not import), calls `show(rows, project_id)` with what
`services.change_requests.change_rows` returned, and has a `reload()` that the panel calls
after each write. Rows are matched by change id, so a refresh keeps the cursor on the same
change even when a decision moves it down the log. The panel's keys show in the footer while
its table has the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from itpm_tui.domain.change_control import signed_days
from itpm_tui.domain.enums import ChangeStatus
from itpm_tui.domain.money import format_compact, format_money
from itpm_tui.errors import ItpmError
from itpm_tui.widgets.formatting import format_date, literal, tone
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn

if TYPE_CHECKING:
    from textual.screen import Screen

    from itpm_tui.queries.change_requests import ApprovalPreview, ChangeRow, ChangeTarget
    from itpm_tui.services.context import Context


@dataclass(frozen=True, slots=True)
class ChangeDialogs:
    """What the host screen hands the panel to build its dialogs with (their classes)."""

    #: (ctx, project_id, code, currency, *, row, today, date_format) → change id or None
    form: Callable[..., Screen[int | None]]
    #: (preview, *, decided_by, on) → a result with `.category`, or None when cancelled
    approval: Callable[..., Screen[Any]]
    #: (question, *, yes) → True to go on
    confirm: Callable[..., Screen[bool]]


#: Status → (symbol, colour): the symbol and the word carry it, the colour only repeats it.
STATUS_LOOK: dict[str, tuple[str, str]] = {
    ChangeStatus.PROPOSED.value: ("?", "bold yellow"),
    ChangeStatus.APPROVED.value: ("✔", "green"),
    ChangeStatus.REJECTED.value: ("✖", "red"),
    ChangeStatus.WITHDRAWN.value: ("–", "dim"),
}
#: From this panel width the log shows who asked, when, the exact amounts and the decision.
WIDE = 110

_PARTICIPLE = {
    "edit": "edited",
    "approve": "approved",
    "reject": "rejected",
    "withdraw": "withdrawn",
}

#: For the host screen's HELP: what the panel shows and its keys.
CHANGES_HELP = """\
**Change requests**: pending (`? proposed`) first, then the newest; `✔ approved`,
`✖ rejected`, `– withdrawn`. Cost impact is in the project's currency (negative: a saving),
schedule impact in working days (`+5 wd`). With the log focused: `n` proposes a change for
the project shown, `e` edits the selected one (while proposed), `A` approves it — the dialog
says exactly what moves: a budget line in the category you choose (contingency by default)
and the end date and the last open milestone by the working days, baselines kept — `R`
rejects, `W` withdraws (both ask first). Every decision is in the activity log."""


def status_text(status: str) -> Text:
    symbol, style = STATUS_LOOK.get(status, ("·", ""))
    return Text(f"{symbol} {status}", style=tone(style), no_wrap=True)


def cost_text(row: ChangeRow, *, exact: bool) -> Text:
    if row.cost_impact == 0:
        return Text("none", style="dim")
    sign = "+" if row.cost_impact > 0 else "-"
    amount = abs(row.cost_impact)
    shown = format_money(amount, row.currency) if exact else format_compact(amount, row.currency)
    return Text(sign + shown, no_wrap=True)


def days_text(row: ChangeRow) -> Text:
    if row.schedule_impact_days == 0:
        return Text("none", style="dim")
    return Text(signed_days(row.schedule_impact_days), no_wrap=True)


def decided_text(row: ChangeRow, date_format: str) -> Text:
    if row.pending:
        return Text("—", style="dim")
    out = Text(format_date(row.decided_on, date_format) + " ")
    out.append_text(literal(row.decided_by))
    out.no_wrap = True
    out.overflow = "ellipsis"
    return out


def detail_text(row: ChangeRow | None, date_format: str) -> Text:
    """One line about the selected change: who asked, why, and who decided."""
    if row is None:
        return Text("No change request selected.", style="dim")
    out = Text()
    out.append(f"#{row.id} {row.project_code}", style="bold")
    out.append(" · ")
    out.append(f"requested {format_date(row.requested_on, date_format)}")
    if row.requested_by:
        out.append(" by ")
        out.append_text(literal(row.requested_by))
    if not row.pending:
        out.append(f" · {row.status} {format_date(row.decided_on, date_format)}")
        if row.decided_by:
            out.append(" by ")
            out.append_text(literal(row.decided_by))
    out.append(" · ")
    out.append_text(literal(row.description or "(no description)"))
    out.no_wrap = True
    out.overflow = "ellipsis"
    return out


class ChangeTable(KeyedTable["ChangeRow"]):
    """The log itself, by change id; the panel chooses its columns."""


class ChangePanel(Vertical):
    """Change requests of one project (or all): a table, a line about the selected change."""

    class WriteRequested(Message):
        """A decision to record: the host runs `change` as a write and reloads after it."""

        def __init__(self, change: Callable[[], str]) -> None:
            super().__init__()
            self.change = change

    DEFAULT_CSS = """
    ChangePanel {
        height: 1fr;
    }
    ChangePanel > #changes-title {
        height: 1;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ChangePanel > ChangeTable {
        height: 1fr;
    }
    ChangePanel > #changes-detail {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar = [
        Binding(
            "n",
            "new_change",
            "New",
            id="changes.new",
            tooltip="Propose a change request for the project shown",
        ),
        Binding(
            "e",
            "edit_change",
            "Edit",
            id="changes.edit",
            tooltip="Edit the selected change request (only while proposed)",
        ),
        Binding(
            "A",
            "approve_change",
            "Approve",
            id="changes.approve",
            tooltip="Approve the selected change: shows what budget and dates will move first",
        ),
        Binding(
            "R",
            "reject_change",
            "Reject",
            id="changes.reject",
            tooltip="Reject the selected change (asks first); nothing else moves",
        ),
        Binding(
            "W",
            "withdraw_change",
            "Withdraw",
            id="changes.withdraw",
            tooltip="Record that the requester withdrew the change (asks first)",
        ),
    ]

    def __init__(self, dialogs: ChangeDialogs, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dialogs = dialogs
        self.rows: list[ChangeRow] = []
        self.project_id: int | None = None
        #: The change just saved, to select once the reload shows it.
        self._select: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="changes-title")
        yield ChangeTable(id="changes-table")
        yield Static("", id="changes-detail")

    # -- showing -------------------------------------------------------------------------------

    @property
    def table(self) -> ChangeTable:
        return self.query_one(ChangeTable)

    @property
    def date_format(self) -> str:
        settings = getattr(self.app, "settings", None)
        return str(getattr(settings, "date_format", "%Y-%m-%d"))

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE

    @property
    def selected(self) -> ChangeRow | None:
        return self.table.selected_row

    def show(self, rows: list[ChangeRow], project_id: int | None) -> None:
        """Bring the log to `rows` (in the order given) for `project_id` (None: all)."""
        self.rows = list(rows)
        self.project_id = project_id
        self._refresh_rows()

    def on_resize(self, event: events.Resize) -> None:
        self._refresh_rows()

    def _columns(self) -> list[tuple[str, str, Callable[[ChangeRow], Text], int]]:
        """(key, label, cell, width) of the columns that fit; the title takes what is left."""
        fmt = self.date_format
        every = self.project_id is None
        columns: list[tuple[str, str, int, Callable[[ChangeRow], Text]]] = [
            ("id", "#", 4, lambda r: Text(f"#{r.id}", no_wrap=True)),
        ]
        if every:
            columns.append(("project", "Project", 8, lambda r: literal(r.project_code)))
        if self.wide:
            columns.append(
                ("requested", "Requested", 10, lambda r: Text(format_date(r.requested_on, fmt)))
            )
        columns.append(("title", "Title", 0, lambda r: literal(r.title)))
        if self.wide:
            columns.append(("by", "By", 16, lambda r: literal(r.requested_by)))
        columns.append(("status", "Status", 11, lambda r: status_text(r.status)))
        if self.wide:
            columns.append(("cost", "Cost impact", 16, lambda r: cost_text(r, exact=True)))
            columns.append(("days", "Schedule", 8, days_text))
            columns.append(("decided", "Decided", 24, lambda r: decided_text(r, fmt)))
        else:
            columns.append(("cost", "Cost", 11, lambda r: cost_text(r, exact=False)))
            columns.append(("days", "Sched", 7, days_text))
        # Each column has one cell of padding on either side; leave room for a scroll bar.
        used = sum(width + 2 for key, _, width, _ in columns if key != "title") + 2 + 2
        title = max(12, self.size.width - used)
        return [(k, label, cell, title if k == "title" else w) for k, label, w, cell in columns]

    def _refresh_rows(self) -> None:
        if not self.is_mounted or self.size.width == 0:
            return
        table = self.table
        keep = None
        follow = self._select is not None and any(r.id == self._select for r in self.rows)
        if follow:
            keep, self._select = self._select, None
        with self.app.batch_update():
            table.set_columns([TableColumn(*column) for column in self._columns()])
            table.show(self.rows, keep, follow=follow)
        self._show_title()
        self._show_detail()

    def _show_title(self) -> None:
        pending = sum(1 for r in self.rows if r.pending)
        out = Text("Change requests · ")
        if self.project_id is None:
            out.append("all projects · ")
        elif self.rows:
            out.append(f"{self.rows[0].project_code} · ")
        if not self.rows:
            out.append("none yet", style="dim")
            if self.project_id is not None:
                out.append(" — n proposes one", style="dim")
        else:
            out.append(f"{pending} pending", style=tone("bold yellow") if pending else "")
            out.append(f", {len(self.rows) - pending} decided")
        self.query_one("#changes-title", Static).update(out)

    def _show_detail(self) -> None:
        self.query_one("#changes-detail", Static).update(
            detail_text(self.selected, self.date_format)
        )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    # -- the keys ------------------------------------------------------------------------------

    @property
    def ctx(self) -> Context:
        return self.app.ctx  # type: ignore[attr-defined]

    def _decidable(self, verb: str) -> ChangeRow | None:
        """The selected change if it may still be `verb`-ed (edited, approved, ...)."""
        row = self.selected
        if row is None:
            self.notify(f"There is no change request to {verb}.", severity="warning")
            return None
        if not row.pending:
            self.notify(
                f"Change #{row.id} is {row.status}: only a proposed change can be "
                f"{_PARTICIPLE[verb]}.",
                severity="warning",
                markup=False,
            )
            return None
        return row

    def action_new_change(self) -> None:
        if self.project_id is None:
            self.notify(
                "Pick a project first: a change request belongs to one project.",
                severity="warning",
            )
            return
        self._open_new(self.project_id)

    @work(thread=True, exclusive=True, group="changes-open")
    def _open_new(self, project_id: int) -> None:
        from itpm_tui.queries.change_requests import change_target

        try:
            target = change_target(self.ctx.db, project_id)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._push_form, target, None)

    def action_edit_change(self) -> None:
        row = self._decidable("edit")
        if row is None:
            return
        from itpm_tui.queries.change_requests import ChangeTarget

        self._push_form(ChangeTarget(row.project_id, row.project_code, row.currency), row)

    def _push_form(self, target: ChangeTarget, row: ChangeRow | None) -> None:
        form = self.dialogs.form(
            self.ctx,
            target.project_id,
            target.code,
            target.currency,
            row=row,
            today=self.ctx.today(),
            date_format=self.date_format,
        )

        def saved(change_id: int | None) -> None:
            if change_id is not None:
                self.notify(f"Change request #{change_id} saved.")
                self._select = change_id  # selected once the reload shows it
                self._reload_screen()

        self.app.push_screen(form, saved)

    def action_approve_change(self) -> None:
        row = self._decidable("approve")
        if row is not None:
            self._open_approval(row)

    @work(thread=True, exclusive=True, group="changes-open")
    def _open_approval(self, row: ChangeRow) -> None:
        from itpm_tui.queries.change_requests import approval_preview

        try:
            preview = approval_preview(self.ctx.db, row.id, None)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._push_approval, row, preview)

    def _push_approval(self, row: ChangeRow, preview: ApprovalPreview) -> None:
        def answered(choice: Any) -> None:
            if choice is None:
                return
            from itpm_tui.services.change_requests import approve_change

            def approve(ctx: Context) -> str:
                done = approve_change(
                    ctx, row.id, expected_version=row.version, category=choice.category
                )
                return f"Change #{row.id} approved: {done.describe()}."

            self._write(approve)

        screen = self.dialogs.approval(preview, decided_by=self.ctx.user, on=self.ctx.today())
        self.app.push_screen(screen, answered)

    def action_reject_change(self) -> None:
        self._close("reject", "rejected")

    def action_withdraw_change(self) -> None:
        self._close("withdraw", "withdrawn")

    def _close(self, verb: str, status: str) -> None:
        row = self._decidable(verb)
        if row is None:
            return
        question = (
            f"{verb.capitalize()} change #{row.id} '{literal(row.title).plain}' "
            f"({row.project_code})? It is recorded as {status} by {self.ctx.user} on "
            f"{format_date(self.ctx.today(), self.date_format)}; the budget and the schedule "
            "stay as they are."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from itpm_tui.services.change_requests import reject_change, withdraw_change

            decide = reject_change if verb == "reject" else withdraw_change

            def write(ctx: Context) -> str:
                decide(ctx, row.id, expected_version=row.version)
                return f"Change #{row.id} {status}."

            self._write(write)

        self.app.push_screen(self.dialogs.confirm(question, yes=verb.capitalize()), answered)

    def _write(self, call: Callable[[Context], str]) -> None:
        """Hand one service write to the host screen, which runs it off the UI thread, says
        how it went and reloads (`LiveScreen.write_then_reload`)."""
        ctx = self.ctx
        self.post_message(self.WriteRequested(lambda: call(ctx)))

    def _reload_screen(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()
