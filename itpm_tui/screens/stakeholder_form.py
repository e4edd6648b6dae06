"""The dialogs that add or edit a stakeholder, and one entry of their communication log.

Both check with the domain's rules (`itpm_tui.domain.stakeholders`) and save in a worker;
a save refused because a colleague changed the record meanwhile says so and keeps theirs.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from itpm_tui.domain.enums import Cadence, Channel, StakeholderType
from itpm_tui.domain.roles import Action
from itpm_tui.domain.stakeholders import ContactDraft, LogDraft
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import input_date, literal
from itpm_tui.widgets.text_select import TextSelect
from itpm_tui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from itpm_tui.queries.stakeholders import Contact, LogRow
    from itpm_tui.services.context import Context


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class ContactForm(FormScreen[int | None]):
    """Add or edit a stakeholder; dismisses with their id once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    FIELD_IDS: ClassVar = {
        "name": "name",
        "organisation": "organisation",
        "title": "title",
        "type": "kind",
        "email": "email",
        "phone": "phone",
        "channel": "channel",
        "cadence": "cadence",
        "influence": "influence",
        "interest": "interest",
        "projects": "projects",
        "notes": "notes",
        "digest": "digest",
    }

    def __init__(
        self,
        ctx: Context,
        codes: list[str],
        *,
        contact: Contact | None = None,
        draft: ContactDraft | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.codes = codes
        self.contact = contact
        self.draft = draft or (contact.draft() if contact else ContactDraft(name=""))

    def compose(self) -> ComposeResult:
        d = self.draft
        title = Text("Edit stakeholder " if self.contact else "New stakeholder")
        if self.contact:
            title.append_text(literal(self.contact.name))
        kinds = [k.value for k in StakeholderType]
        with Vertical(id="form"):
            yield Static(title, id="form-title")
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                yield from self.field("name", "Name", Input(d.name, id="name"))
                yield from self.field(
                    "organisation", "Organisation", Input(d.organisation, id="organisation")
                )
                yield from self.field(
                    "title", "Title", Input(d.title, id="title", placeholder="e.g. IT manager")
                )
                yield from self.field(
                    "kind",
                    "Type",
                    TextSelect(
                        _choices(kinds),
                        value=d.kind if d.kind in kinds else Select.NULL,
                        id="kind",
                        prompt="(choose)",
                    ),
                )
                yield from self.field(
                    "email",
                    "E-mail",
                    Input(d.email, id="email", placeholder="name@example.com"),
                )
                yield from self.field(
                    "phone", "Phone", Input(d.phone, id="phone", placeholder="+44 20 7946 0000")
                )
                yield from self.field(
                    "channel",
                    "Channel",
                    TextSelect(
                        _choices([c.value for c in Channel]),
                        value=d.channel,
                        id="channel",
                        allow_blank=False,
                    ),
                )
                yield from self.field(
                    "cadence",
                    "Cadence",
                    TextSelect(
                        _choices([c.value for c in Cadence]),
                        value=d.cadence,
                        id="cadence",
                        allow_blank=False,
                    ),
                )
                yield from self.field(
                    "influence",
                    "Influence",
                    Input(str(d.influence), id="influence", max_length=3, placeholder="1–5"),
                )
                yield from self.field(
                    "interest",
                    "Interest",
                    Input(str(d.interest), id="interest", max_length=3, placeholder="1–5"),
                )
                yield from self.field(
                    "projects",
                    "Projects",
                    Input(d.projects, id="projects", placeholder="FW-26: Sponsor; VOIP-25, LAP-26"),
                )
                yield Static(
                    Text("codes: " + ", ".join(self.codes) if self.codes else "no projects yet"),
                    id="codes-hint",
                    classes="hint",
                )
                yield from self.field("notes", "Notes", Input(d.notes, id="notes"))
                yield from self.field(
                    "digest",
                    "Digest",
                    TickBox("weekly digest by e-mail", d.digest, id="digest", compact=True),
                )
            yield from self.buttons()

    def read_draft(self) -> ContactDraft:
        return ContactDraft(
            name=self.text("name"),
            organisation=self.text("organisation"),
            title=self.text("title"),
            kind=str(self.selected("kind") or ""),
            email=self.text("email"),
            phone=self.text("phone"),
            channel=str(self.selected("channel") or ""),
            cadence=str(self.selected("cadence") or ""),
            influence=self.text("influence"),
            interest=self.text("interest"),
            projects=self.text("projects"),
            notes=self.text("notes"),
            digest=self.query_one("#digest", TickBox).value,
        )

    def action_save(self) -> None:
        draft = self.read_draft()
        self.write(lambda: self._store(draft))

    def reload_record(self) -> None:
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.stakeholders import contacts, project_codes

        found = [] if self.contact is None else contacts(self.ctx.db, self.ctx.today())
        contact = next((c for c in found if self.contact and c.id == self.contact.id), None)
        if contact is None:
            raise NotFoundError("the stakeholder no longer exists (removed by someone else)")
        self.contact, self.draft = contact, contact.draft()
        self.codes = project_codes(self.ctx.db)

    def _store(self, draft: ContactDraft) -> int:
        from itpm_tui.services.stakeholders import add_contact, update_contact

        if self.contact is None:
            return add_contact(self.ctx, draft)
        update_contact(self.ctx, self.contact.id, draft, self.contact.version)
        return self.contact.id


class LogForm(FormScreen[int | None]):
    """Add or edit one contact in a stakeholder's log; dismisses with the entry's id."""

    RELOADS = True
    COLUMN_IDS: ClassVar = {"logged_on": "log-date", "project_id": "log-project"}
    FIELD_IDS: ClassVar = {
        "date": "log-date",
        "channel": "log-channel",
        "by": "log-by",
        "project": "log-project",
        "summary": "log-summary",
    }

    def __init__(
        self,
        ctx: Context,
        contact: Contact,
        *,
        row: LogRow | None = None,
        user: str = "",
        project_id: int | None = None,
        today: date | None = None,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.contact = contact
        self.row = row
        self.user = user or ctx.user
        self.today = today or ctx.today()
        self.date_format = date_format
        projects = [link.project_id for link in contact.projects]
        if row is not None:
            self.project_id = row.project_id
        elif project_id in projects:
            self.project_id = project_id
        else:
            self.project_id = projects[0] if len(projects) == 1 else None

    def reload_record(self) -> None:
        """The entry as stored now (the log has no version: the fields it was read with
        are what a save compares)."""
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.stakeholders import communication_log

        log = [] if self.row is None else communication_log(self.ctx.db, self.contact.id)
        row = next((r for r in log if self.row and r.id == self.row.id), None)
        if row is None:
            raise NotFoundError("the log entry no longer exists (removed by someone else)")
        self.row, self.project_id = row, row.project_id

    def compose(self) -> ComposeResult:
        r = self.row
        title = Text("Edit contact with " if r else "Log a contact with ")
        title.append_text(literal(self.contact.name))
        projects = [(link.code, link.project_id) for link in self.contact.projects]
        with Vertical(id="form"):
            yield Static(title, id="form-title")
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                yield from self.field(
                    "log-date",
                    "Date",
                    Input(
                        input_date(r.logged_on if r else self.today, self.date_format),
                        id="log-date",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self.field(
                    "log-channel",
                    "Channel",
                    TextSelect(
                        _choices([c.value for c in Channel]),
                        value=r.channel if r else self.contact.channel,
                        id="log-channel",
                        allow_blank=False,
                    ),
                )
                yield from self.field("log-by", "By", Input(r.by if r else self.user, id="log-by"))
                yield from self.field(
                    "log-project",
                    "Project",
                    TextSelect(
                        projects,
                        value=self.project_id
                        if self.project_id in {p for _, p in projects}
                        else Select.NULL,
                        id="log-project",
                        prompt="(none)",
                    ),
                )
                yield from self.field(
                    "log-summary",
                    "Summary",
                    Input(
                        r.summary if r else "",
                        id="log-summary",
                        placeholder="what was said or agreed",
                    ),
                )
            yield from self.buttons()

    def first_field(self) -> Widget | None:
        """A new entry has its date, channel and author filled in: what was said comes first."""
        return self.query_one("#log-summary" if self.row is None else "#log-date", Input)

    def action_save(self) -> None:
        problems: list[Problem] = []
        logged_on = None
        try:
            logged_on = parse_date(self.text("log-date"), "date", self.date_format)
        except ValidationError as exc:
            problems.extend(exc.problems)
        project: Any = self.selected("log-project")
        draft = LogDraft(
            logged_on=logged_on,
            channel=str(self.selected("log-channel") or ""),
            by=self.text("log-by"),
            summary=self.text("log-summary"),
            project_id=int(project) if project is not None else None,
        )
        self.write(lambda: self._store(draft, problems))

    def _store(self, draft: LogDraft, problems: list[Problem]) -> int:
        from itpm_tui.domain.stakeholders import validate_log
        from itpm_tui.services.stakeholders import add_log_entry, update_log_entry

        self.check_together(problems, lambda: validate_log(draft, self.ctx.today()))
        if self.row is None:
            return add_log_entry(self.ctx, self.contact.id, draft)
        update_log_entry(self.ctx, self.row.id, draft, self.row.version)
        return self.row.id
