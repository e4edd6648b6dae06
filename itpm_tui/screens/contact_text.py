"""Read one logged contact in full: when, how, by whom, its summary, and the text kept with
it — the status report or weekly digest itpm e-mailed (`CommunicationEntry.body`).

Read-only. Every part is user text or a report built from it, so all of it is shown
literally: markup is never read, control characters show as visible marks.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from itpm_tui.domain.mail import ContactKind
from itpm_tui.queries.stakeholders import LoggedText
from itpm_tui.widgets.formatting import format_date, literal, shown_literally

#: What the stored text is, by the contact's kind.
KIND_WORDS = {
    ContactKind.UPDATE.value: "the status report e-mailed",
    ContactKind.DIGEST.value: "the weekly digest e-mailed",
}


class ContactText(ModalScreen[None]):
    """The logged contact `logged` with its stored text; escape closes."""

    BINDINGS: ClassVar = [
        Binding("escape,q", "dismiss(None)", "Close", id="contact_text.close"),
    ]

    def __init__(self, logged: LoggedText, date_format: str) -> None:
        super().__init__()
        self.logged = logged
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        logged, row = self.logged, self.logged.row
        title = Text("Contact with ", style="bold")
        title.append_text(literal(logged.stakeholder))
        title.stylize("bold")
        title.append(f" · {format_date(row.logged_on, self.date_format)} · {row.channel}")
        if row.project_code:
            title.append(" · ")
            title.append_text(literal(row.project_code))
        if row.by:
            title.append(" · by ")
            title.append_text(literal(row.by))
        summary = literal(row.summary or "(no summary)", wrap=True)
        what = KIND_WORDS.get(logged.kind, "the text kept with it")
        if logged.body:
            lines = logged.body.count("\n") + 1
            said = Text(f"{what}: {len(logged.body):,} characters, {lines:,} lines", style="dim")
            body = shown_literally(logged.body)
        else:
            said = Text("only the summary was logged: no text is kept with it", style="dim")
            body = Text("")
        with Vertical(id="contact-text"):
            yield Static(title, id="contact-text-title")
            yield Static(summary, id="contact-text-summary")
            yield Static(said, id="contact-text-what")
            with VerticalScroll(id="contact-text-scroll"):
                yield Static(body, id="contact-text-body")
            yield Static(
                Text("↑↓ PgUp PgDn Home End scroll · esc close", style="dim"),
                id="contact-text-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#contact-text-scroll").focus()
