"""Create or edit a project; rules come from the domain, messages appear beside each field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from itpm_tui.domain.enums import Phase, ProjectStatus
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.errors import ItpmError
from itpm_tui.widgets.formatting import format_date

if TYPE_CHECKING:
    from itpm_tui.services.context import Context

# Field name used by the domain's messages → widget id in this form.
FIELD_IDS = {
    "code": "code",
    "name": "name",
    "client": "client",
    "sponsor": "sponsor",
    "manager": "manager",
    "phase": "phase",
    "status": "status",
    "start date": "start_date",
    "end date": "end_date",
    "currency": "currency",
    "objective": "objective",
    "scope": "scope",
    "kpis": "kpis",
}


class ProjectForm(ModalScreen[int | None]):
    """Dismisses with the saved project's id, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        ctx: Context,
        people: list[tuple[int, str]],
        *,
        draft: ProjectDraft,
        project_id: int | None = None,
        version: int | None = None,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.people = people
        self.draft = draft
        self.project_id = project_id
        self.version = version
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        d = self.draft
        title = f"Edit {d.code}" if self.project_id else "New project"
        with Vertical(id="form"):
            yield Static(Text(title), id="form-title")
            yield Static("", id="form-error", classes="error")
            with VerticalScroll(id="fields"):
                yield from self._field(
                    "code", "Code", Input(d.code, id="code", placeholder="e.g. FW-26")
                )
                yield from self._field("name", "Name", Input(d.name, id="name"))
                yield from self._field("client", "Client", Input(d.client, id="client"))
                yield from self._field("sponsor", "Sponsor", Input(d.sponsor, id="sponsor"))
                yield from self._field(
                    "manager",
                    "Manager",
                    Select(
                        [(name, pid) for pid, name in self.people],
                        value=d.manager_id
                        if d.manager_id in {p for p, _ in self.people}
                        else Select.NULL,
                        id="manager",
                        prompt="(none)",
                    ),
                )
                yield from self._field(
                    "phase",
                    "Phase",
                    Select(
                        [(p.value, p.value) for p in Phase],
                        value=d.phase,
                        id="phase",
                        allow_blank=False,
                    ),
                )
                yield from self._field(
                    "status",
                    "Status",
                    Select(
                        [(s.value, s.value) for s in ProjectStatus],
                        value=d.status,
                        id="status",
                        allow_blank=False,
                    ),
                )
                yield from self._field(
                    "start_date",
                    "Start date",
                    Input(
                        _date(d.start_date, self.date_format),
                        id="start_date",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self._field(
                    "end_date",
                    "End date",
                    Input(
                        _date(d.end_date, self.date_format), id="end_date", placeholder="YYYY-MM-DD"
                    ),
                )
                yield from self._field(
                    "currency", "Currency", Input(d.currency, id="currency", max_length=3)
                )
                yield from self._field(
                    "objective", "Objective", TextArea(d.objective, id="objective")
                )
                yield from self._field("scope", "Scope", TextArea(d.scope, id="scope"))
                yield from self._field("kpis", "KPIs", TextArea(d.kpis, id="kpis"))
            with Horizontal(id="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def _field(self, key: str, label: str, widget: Any) -> ComposeResult:
        """Label and input on one line (so the form fits 80×24), its message below."""
        widget.compact = True
        with Vertical(classes="field"):
            with Horizontal(classes="field-row"):
                yield Label(label, classes="field-label")
                yield widget
            yield Static("", id=f"err-{key}", classes="error field-error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def _select(self, widget_id: str) -> Any:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value

    def read_draft(self) -> ProjectDraft:
        """The form's values as a validated draft, or ValidationError naming every field."""
        problems: list[Problem] = []
        dates = {}
        for key, field in (("start_date", "start date"), ("end_date", "end date")):
            try:
                dates[key] = parse_date(self._value(key), field, self.date_format)
            except ValidationError as exc:
                problems.extend(exc.problems)
                dates[key] = None
        draft = ProjectDraft(
            code=self._value("code"),
            name=self._value("name"),
            client=self._value("client"),
            sponsor=self._value("sponsor"),
            manager_id=self._select("manager"),
            phase=self._select("phase"),
            status=self._select("status"),
            start_date=dates["start_date"],
            end_date=dates["end_date"],
            objective=self._value("objective"),
            scope=self._value("scope"),
            kpis=self._value("kpis"),
            currency=self._value("currency") or "",
        )
        try:
            draft = validate_project(draft)
        except ValidationError as exc:
            problems.extend(exc.problems)
        if problems:
            raise ValidationError.of(problems)
        return draft

    def show_problems(self, problems: list[Problem], general: str = "") -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.remove_class("shown")
        unplaced = [general] if general else []
        for problem in problems:
            widget_id = FIELD_IDS.get(problem.field)
            if widget_id is None:
                unplaced.append(str(problem))
                continue
            error = self.query_one(f"#err-{widget_id}", Static)
            error.update(Text(f"✖ {problem.rule}"))
            error.add_class("shown")
        top = self.query_one("#form-error", Static)
        top.update(Text("\n".join(unplaced)))
        top.set_class(bool(unplaced), "shown")
        if problems and (first := FIELD_IDS.get(problems[0].field)):
            self.query_one(f"#{first}").focus()

    def action_save(self) -> None:
        try:
            draft = self.read_draft()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        self.show_problems([])
        self._save(draft)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, draft: ProjectDraft) -> None:
        from itpm_tui.services.projects import create_project, update_project

        try:
            if self.project_id is None:
                saved = create_project(self.ctx, draft)
            else:
                update_project(self.ctx, self.project_id, draft, self.version)
                saved = self.project_id
        except ValidationError as exc:
            self.app.call_from_thread(self.show_problems, exc.problems)
        except ItpmError as exc:
            self.app.call_from_thread(self.show_problems, [], str(exc))
        else:
            self.app.call_from_thread(self.dismiss, saved)


def _date(value: Any, fmt: str) -> str:
    return "" if value is None else format_date(value, fmt)
