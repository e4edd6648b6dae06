"""Preview a project's status report, then save it, copy it, e-mail it, or record it as sent.

The report is rendered by `itpm_tui.reports` in a worker. Its text is shown
literally, whatever the format: a name like `[bold]x[/]` or an escape sequence in a task
name is shown as typed, never obeyed. Copying uses the terminal's clipboard (OSC 52), so it
works over SSH too. Marking it as sent logs one contact per chosen stakeholder by their
preferred channel, which moves their next update on by their cadence. E-mailing it sends
the report (text and HTML) to the chosen stakeholders after a confirmation naming them, in a
worker, and logs each delivery (`itpm_tui.mail`). In a browser
(`itpm serve`) saving hands the file to the browser's downloads, never to the server's disk.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from itpm_tui.domain.roles import Action
from itpm_tui.errors import ItpmError
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.rights import RoleKeys
from itpm_tui.widgets.formatting import literal, shown_literally
from itpm_tui.widgets.stakeholder_table import due_text

if TYPE_CHECKING:
    from itpm_tui.queries.stakeholders import Contact
    from itpm_tui.services.context import Context

AUDIENCES = ("executive", "technical")
FORMATS = ("md", "html", "txt")


def default_file_name(code: str, today: date, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in code) or "project"
    return f"{safe}-status-{today.isoformat()}.{fmt}"


#: The tick box of a stakeholder the report goes to, and of one it does not.
TICKED, UNTICKED = "✓", " "


class TickList(SelectionList[int]):
    """A selection list whose boxes read without colour: Textual draws the same `X` in every
    box and tells ticked from unticked by colour alone, which NO_COLOR or a 16-colour SSH
    session loses; here a ticked box shows ✓ and an unticked one is blank."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 2:
            return strip
        box = segments[1]
        mark = TICKED if selection.value in self._selected else UNTICKED
        segments[1] = Segment(mark.center(len(box.text))[: len(box.text)], box.style, box.control)
        return Strip(segments, strip.cell_length)


class SendPicker(RoleKeys, ModalScreen[list[int] | None]):
    """Choose who the report went to (or, with `email`, who it goes to: only those with an
    address are listed). Ticked to begin with: those who read this report
    (`domain.stakeholders.report_audience` of their type) and whose update is due — the
    vendor and the engineers are not ticked for an executive report; for e-mail, only those
    whose channel is e-mail."""

    WRITES: ClassVar[dict[str, Action]] = {"done": Action.LOG_CONTACT}

    BINDINGS: ClassVar = [
        Binding("ctrl+s", "done", "Mark as sent", id="send.done"),
        Binding("escape", "dismiss(None)", "Cancel", id="send.cancel"),
    ]

    def __init__(
        self, members: list[Contact], what: str, audience: str = "", *, email: bool = False
    ) -> None:
        super().__init__()
        self.email = email
        self.members = [c for c in members if c.email] if email else members
        self.what = what
        self.audience = audience

    def ticked(self, contact: Contact) -> bool:
        from itpm_tui.domain.enums import Channel
        from itpm_tui.domain.stakeholders import report_audience

        reads = not self.audience or report_audience(contact.kind) == self.audience
        by_email = not self.email or contact.channel == Channel.EMAIL.value
        return reads and by_email and contact.due.needs_update

    def compose(self) -> ComposeResult:
        verb = "E-mail" if self.email else "Mark as sent"
        heading = (
            f"E-mail the {self.what} to…" if self.email else f"Mark the {self.what} as sent to…"
        )
        with Vertical(id="send"):
            yield Static(Text(heading, style="bold"))
            if self.audience:
                yield Static(
                    Text(f"ticked: who reads the {self.audience} report and is due", style="dim")
                )
            done = "sends" if self.email else "records"
            yield Static(Text(f"space ticks or unticks · ctrl+s {done} · esc cancels", style="dim"))
            selections = []
            for contact in self.members:
                label = literal(contact.name)
                label.append(" · ")
                label.append_text(literal(contact.kind))
                label.append(f" · {contact.channel} · ")
                label.append_text(due_text(contact.due, short=False))
                selections.append(Selection(label, contact.id, self.ticked(contact)))
            yield TickList(*selections, id="send-list")
            with Horizontal(id="send-buttons"):
                yield Button(f"{verb} (ctrl+s)", variant="primary", id="send-ok", compact=True)
                yield Button("Cancel (esc)", id="send-cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send-ok":
            self.action_done()
        else:
            self.dismiss(None)

    def action_done(self) -> None:
        chosen = list(self.query_one(SelectionList).selected)
        if not chosen:
            self.notify("Tick at least one stakeholder (space).", severity="warning")
            return
        self.dismiss(chosen)


class EmailPicker(SendPicker):
    """`SendPicker` for e-mail: only stakeholders with an address; ctrl+s sends (after the
    preview's confirmation naming them)."""

    BINDINGS: ClassVar = [
        Binding("ctrl+s", "done", "Send", id="email.send"),
        Binding("escape", "dismiss(None)", "Cancel", id="email.cancel"),
    ]

    def __init__(self, members: list[Contact], what: str, audience: str = "") -> None:
        super().__init__(members, what, audience, email=True)


class ReportPreview(RoleKeys, ModalScreen[int | None]):
    """Dismisses with how many stakeholders the report was marked as sent to."""

    WRITES: ClassVar[dict[str, Action]] = {
        "mark_sent": Action.LOG_CONTACT,
        "email": Action.LOG_CONTACT,
    }

    BINDINGS: ClassVar = [
        Binding(
            "a", "audience", "Audience", id="report.audience", tooltip="Executive or technical"
        ),
        Binding("f", "format", "Format", id="report.format", tooltip="Markdown, HTML or text"),
        Binding("s", "save", "Save", id="report.save", tooltip="Save the report to a file"),
        Binding("c", "copy", "Copy", id="report.copy", tooltip="Copy the report to the clipboard"),
        Binding(
            "e",
            "email",
            "E-mail",
            id="report.email",
            tooltip="E-mail the report (text and HTML) to stakeholders you choose",
        ),
        Binding(
            "m",
            "mark_sent",
            "Mark sent",
            id="report.sent",
            tooltip="Log the report as sent to stakeholders you choose",
        ),
        Binding("escape", "close", "Close", id="report.close"),
    ]

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        code: str,
        members: list[Contact],
        *,
        audience: str = "executive",
        fmt: str = "md",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.code = code
        self.members = members
        self.audience = audience
        self.fmt = fmt
        #: The text shown, once rendered (None while rendering or when it failed).
        self.text: str | None = None
        self.sent = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="report"):
            yield Static("", id="report-title")
            with VerticalScroll(id="report-scroll"):
                yield Static("", id="report-text")
            with Horizontal(id="save-row"):
                yield Label("Save to ", id="save-label")
                yield Input(id="save-path", compact=True)
            yield Static(
                Text(
                    "a audience · f format · s save · c copy · e e-mail · m mark as sent · "
                    "esc close",
                    style="dim",
                ),
                id="report-keys",
            )

    def on_mount(self) -> None:
        self._refresh()
        self.query_one("#report-scroll").focus()

    @property
    def what(self) -> str:
        return f"{self.audience} status report ({self.fmt})"

    def _refresh(self) -> None:
        title = Text(f"{self.code} · ", style="bold")
        title.append(f"{self.audience} report", style="bold")
        title.append(f" · {self.fmt}")
        if self.text is None:
            title.append(" · rendering…", style="dim")
        else:
            title.append(f" · {len(self.text):,} characters", style="dim")
        self.query_one("#report-title", Static).update(title)

    def _redraw(self) -> None:
        self.text = None
        self.query_one("#report-text", Static).update(Text("Rendering…", style="dim"))
        self._refresh()
        self._render_worker(self.audience, self.fmt)

    def on_screen_resume(self) -> None:
        if self.text is None:
            self._redraw()

    @work(thread=True, exclusive=True, group="report")
    def _render_worker(self, audience: str, fmt: str) -> None:
        from itpm_tui.reports import render_report

        try:
            text = render_report(
                self.ctx.db,
                self.project_id,
                today=self.ctx.today(),
                audience=audience,
                fmt=fmt,
                thresholds=self.app.settings.risk_thresholds(),  # type: ignore[attr-defined]
            )
        except (ItpmError, LookupError) as exc:
            self.app.call_from_thread(self._failed, f"Cannot render the report: {exc}")
            return
        self.app.call_from_thread(self._rendered, audience, fmt, text)

    def _rendered(self, audience: str, fmt: str, text: str) -> None:
        if (audience, fmt) != (self.audience, self.fmt):
            return  # the user switched meanwhile; a newer render is on its way
        self.text = text
        self.query_one("#report-text", Static).update(shown_literally(text))
        self._refresh()

    def _failed(self, message: str) -> None:
        self.text = None
        self.query_one("#report-text", Static).update(Text(message))
        title = Text(f"{self.code} · {self.audience} report · {self.fmt}", style="bold")
        self.query_one("#report-title", Static).update(title)

    # -- toggles ----------------------------------------------------------------------------

    def action_audience(self) -> None:
        self.audience = AUDIENCES[(AUDIENCES.index(self.audience) + 1) % len(AUDIENCES)]
        self._redraw()

    def action_format(self) -> None:
        self.fmt = FORMATS[(FORMATS.index(self.fmt) + 1) % len(FORMATS)]
        self._redraw()

    def _ready(self) -> str | None:
        if self.text is None:
            self.notify("The report is not ready yet.", severity="warning")
        return self.text

    # -- copy -------------------------------------------------------------------------------

    def action_copy(self) -> None:
        text = self._ready()
        if text is None:
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text):,} characters of the {self.what} to the clipboard.")

    # -- save -------------------------------------------------------------------------------

    def action_save(self) -> None:
        text = self._ready()
        if text is None:
            return
        if self.app.is_web:
            self._deliver(text)
            return
        box = self.query_one("#save-path", Input)
        box.value = default_file_name(self.code, self.ctx.today(), self.fmt)
        self.query_one("#save-row").add_class("shown")
        box.focus()

    def _deliver(self, text: str) -> None:
        """Hand the report to the browser as a download (Textual's file delivery)."""
        name = default_file_name(self.code, self.ctx.today(), self.fmt)
        self.app.deliver_text(io.StringIO(text), save_filename=name, encoding="utf-8")
        self.notify(f"Sent {name} to your browser's downloads.", markup=False)

    def action_close(self) -> None:
        row = self.query_one("#save-row")
        if row.has_class("shown"):
            row.remove_class("shown")
            self.query_one("#report-scroll").focus()
            return
        self.dismiss(self.sent)

    @on(Input.Submitted, "#save-path")
    def _save_submitted(self, event: Input.Submitted) -> None:
        text = self.text
        value = event.value.strip()
        if text is None or not value:
            self.notify("Type a file name to save to.", severity="warning")
            return
        path = Path(value).expanduser().resolve()  # the notification names where it went
        if path.is_dir():
            path = path / default_file_name(self.code, self.ctx.today(), self.fmt)
        if path.exists():

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(path, text)

            self.app.push_screen(
                ConfirmScreen(f"{literal(str(path)).plain} exists. Replace it?", yes="Replace"),
                answered,
            )
            return
        self._write(path, text)

    @work(thread=True, group="report-save")
    def _write(self, path: Path, text: str) -> None:
        from itpm_tui.private_files import write_private

        try:  # 0600, or the mode of the file it replaces (the user said Replace); files only
            write_private(path, text.encode("utf-8"), replace=True)
        except ItpmError as exc:
            self.app.call_from_thread(
                self.notify, f"Not saved: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._saved, path, text)

    def _saved(self, path: Path, text: str) -> None:
        self.query_one("#save-row").remove_class("shown")
        self.query_one("#report-scroll").focus()
        self.notify(f"Saved {len(text):,} characters to {path}", markup=False)

    # -- mark as sent -----------------------------------------------------------------------

    def action_mark_sent(self) -> None:
        if self._ready() is None:
            return
        if not self.members:
            self.notify(f"{self.code} has no stakeholders to send to.", severity="warning")
            return

        def chosen(ids: list[int] | None) -> None:
            if ids:
                self._record(ids, self.audience, self.fmt)

        self.app.push_screen(SendPicker(self.members, self.what, self.audience), chosen)

    @work(thread=True, group="report-save")
    def _record(self, ids: list[int], audience: str, fmt: str) -> None:
        from itpm_tui.services.stakeholders import record_report_sent

        try:
            count = record_report_sent(self.ctx, self.project_id, ids, audience, fmt)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._recorded, count, audience, fmt)

    def _recorded(self, count: int, audience: str, fmt: str) -> None:
        self.sent += count
        noun = "stakeholder" if count == 1 else "stakeholders"
        self.notify(
            f"Logged the {audience} status report ({fmt}) as sent to {count} {noun}; "
            "their next update moves on."
        )

    # -- e-mail -----------------------------------------------------------------------------

    def action_email(self) -> None:
        if self._ready() is None:
            return
        if not any(c.email for c in self.members):
            self.notify(f"No stakeholder of {self.code} has an e-mail address.", severity="warning")
            return
        audience = self.audience
        what = f"{audience} status report"

        def chosen(ids: list[int] | None) -> None:
            if not ids:
                return
            names = ", ".join(f"{c.name} <{c.email}>" for c in self.members if c.id in ids)
            question = literal(f"E-mail the {what} of {self.code} to {names}?").plain

            def answered(yes: bool | None) -> None:
                if yes:
                    self._email(ids, audience)

            self.app.push_screen(ConfirmScreen(question, yes="Send"), answered)

        self.app.push_screen(EmailPicker(self.members, what, audience), chosen)

    @work(thread=True, group="report-email")
    def _email(self, ids: list[int], audience: str) -> None:
        """Send over one SMTP connection and log each delivery (`mail.updates.Run`)."""
        from itpm_tui.mail.smtp import check_ready
        from itpm_tui.mail.updates import Run, updates_for

        settings = self.app.settings  # type: ignore[attr-defined]
        try:
            check_ready(settings.mail)
            run = Run(self.ctx, settings.mail, settings.risk_thresholds())
            try:
                outcomes = run.send_updates(
                    updates_for(self.ctx, self.project_id, self.code, ids, audience)
                )
            finally:
                run.close()
        except ItpmError as exc:
            self.app.call_from_thread(
                self.notify, f"Nothing was sent: {exc}", severity="error", markup=False
            )
            return
        sent = sum(1 for o in outcomes if o.error is None)
        failed = [f"{o.item.recipient}: {o.error}" for o in outcomes if o.error]
        self.app.call_from_thread(self._emailed, sent, failed, audience)

    def _emailed(self, sent: int, failed: list[str], audience: str) -> None:
        self.sent += sent
        noun = "stakeholder" if sent == 1 else "stakeholders"
        self.notify(
            f"E-mailed the {audience} status report of {self.code} to {sent} {noun}; "
            "each is logged and their next update moves on.",
            markup=False,
        )
        for line in failed:
            self.notify(f"Not sent to {line}", severity="error", markup=False, timeout=30)
