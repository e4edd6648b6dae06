"""Create or edit a project; rules come from the domain, messages appear beside each field.

Choosing the status *closed* is checked at once against the closing gate: while a deliverable
is unaccepted or the client's sign-off is missing, the message beside the status names them
and points to close-out (`c` on Projects); the save is refused by the service all the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, Static, TextArea

from itpm_tui.domain.enums import Phase, ProjectStatus
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.roles import Action
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import input_date
from itpm_tui.widgets.text_select import TextSelect

if TYPE_CHECKING:
    from itpm_tui.services.context import Context


class ProjectForm(FormScreen[int | None]):
    """Dismisses with the saved project's id, or None when cancelled.

    Without `people` the form opens at once and fills the manager choices itself, so the
    keys typed right after `n` land in the code field instead of waiting for a query."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    FIELD_IDS: ClassVar = {
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
        "working hours": "work_hours",
        "objective": "objective",
        "scope": "scope",
        "kpis": "kpis",
    }

    def __init__(
        self,
        ctx: Context,
        people: list[tuple[int, str]] | None = None,
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
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                yield from self.field(
                    "code", "Code", Input(d.code, id="code", placeholder="e.g. FW-26")
                )
                yield from self.field("name", "Name", Input(d.name, id="name"))
                yield from self.field("client", "Client", Input(d.client, id="client"))
                yield from self.field("sponsor", "Sponsor", Input(d.sponsor, id="sponsor"))
                yield from self.field(
                    "manager",
                    "Manager",
                    TextSelect(
                        [(name, pid) for pid, name in self.people or []],
                        value=self._manager_value(),
                        id="manager",
                        prompt="(none)",
                    ),
                )
                yield from self.field(
                    "phase",
                    "Phase",
                    TextSelect(
                        [(p.value, p.value) for p in Phase],
                        value=d.phase,
                        id="phase",
                        allow_blank=False,
                    ),
                )
                yield from self.field(
                    "status",
                    "Status",
                    TextSelect(
                        [(s.value, s.value) for s in ProjectStatus],
                        value=d.status,
                        id="status",
                        allow_blank=False,
                    ),
                )
                yield from self.field(
                    "start_date",
                    "Start date",
                    Input(
                        input_date(d.start_date, self.date_format),
                        id="start_date",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self.field(
                    "end_date",
                    "End date",
                    Input(
                        input_date(d.end_date, self.date_format),
                        id="end_date",
                        placeholder="YYYY-MM-DD",
                    ),
                )
                yield from self.field(
                    "currency", "Currency", Input(d.currency, id="currency", max_length=3)
                )
                yield from self.field(
                    "work_hours",
                    "Work hours",
                    Input(d.work_hours, id="work_hours", placeholder="08:00-12:00,13:00-17:00"),
                )
                yield from self.field(
                    "objective", "Objective", TextArea(d.objective, id="objective")
                )
                yield from self.field("scope", "Scope", TextArea(d.scope, id="scope"))
                yield from self.field("kpis", "KPIs", TextArea(d.kpis, id="kpis"))
            yield from self.buttons()

    def _manager_value(self) -> object:
        known = {p for p, _ in self.people or []}
        return self.draft.manager_id if self.draft.manager_id in known else Select.NULL

    def _manager(self) -> int | None:
        """The manager chosen; while the choices are still loading, the one it had."""
        if self.people is None:
            return self.draft.manager_id
        chosen = self.selected("manager")
        return int(chosen) if chosen is not None else None

    def on_mount(self) -> None:
        if self.people is None:
            self._load_people()

    def reload_record(self) -> None:
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.portfolio import people, project_detail

        detail = None if self.project_id is None else project_detail(self.ctx.db, self.project_id)
        if detail is None:
            raise NotFoundError("the project no longer exists (removed by someone else)")
        self.draft, self.version = detail.draft(), detail.version
        self.people = people(self.ctx.db)

    @work(thread=True, group="people")
    def _load_people(self) -> None:
        from itpm_tui.queries.portfolio import people

        team = people(self.ctx.db)
        self.app.call_from_thread(self._show_people, team)

    def _show_people(self, team: list[tuple[int, str]]) -> None:
        self.people = team
        manager = self.query_one("#manager", Select)
        manager.set_options([(name, pid) for pid, name in team])
        manager.value = self._manager_value()
        self.remember_field("manager")

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        closing = event.value == ProjectStatus.CLOSED.value
        if not closing or self.draft.status == ProjectStatus.CLOSED.value:
            self._status_note("")
        elif self.project_id is None:
            self._status_note(
                "a new project cannot start closed: create it, then close it with close-out "
                "(c on Projects)"
            )
        else:
            self._check_gate(self.project_id)

    @work(thread=True, exclusive=True, group="gate")
    def _check_gate(self, project_id: int) -> None:
        from itpm_tui.domain.closing import blockers_text
        from itpm_tui.queries.closing import closing_state

        state = closing_state(self.ctx.db, project_id)
        note = ""
        if state is not None and state.blockers:
            note = (
                f"cannot be closed yet: {blockers_text(state.blockers)}. Use close-out "
                "(c on Projects) to record them or close with a reason"
            )
        self.app.call_from_thread(self._status_note, note)

    def _status_note(self, note: str) -> None:
        """The gate's answer beside the status field (other fields' messages stay)."""
        if self.selected("status") != ProjectStatus.CLOSED.value:
            note = ""
        error = self.query_one("#err-status", Static)
        error.update(Text(f"✖ {note}") if note else "")
        error.set_class(bool(note), "shown")

    def read_draft(self) -> ProjectDraft:
        """The form's values as a validated draft, or ValidationError naming every field."""
        problems: list[Problem] = []
        dates = {}
        for key, field in (("start_date", "start date"), ("end_date", "end date")):
            try:
                dates[key] = parse_date(self.text(key), field, self.date_format)
            except ValidationError as exc:
                problems.extend(exc.problems)
                dates[key] = None
        draft = ProjectDraft(
            code=self.text("code"),
            name=self.text("name"),
            client=self.text("client"),
            sponsor=self.text("sponsor"),
            manager_id=self._manager(),
            phase=self.selected("phase"),
            status=self.selected("status"),
            start_date=dates["start_date"],
            end_date=dates["end_date"],
            objective=self.text("objective"),
            scope=self.text("scope"),
            kpis=self.text("kpis"),
            currency=self.text("currency") or "",
            work_hours=self.text("work_hours"),
        )
        try:
            draft = validate_project(draft)
        except ValidationError as exc:
            problems.extend(exc.problems)
        if problems:
            raise ValidationError.of(problems)
        return draft

    def action_save(self) -> None:
        try:
            draft = self.read_draft()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        self.show_problems([])
        self.write(lambda: self._store(draft))

    def _store(self, draft: ProjectDraft) -> int:
        from itpm_tui.services.projects import create_project, update_project

        if self.project_id is None:
            return create_project(self.ctx, draft)
        assert self.version is not None  # an edit form is opened with the project's version
        update_project(self.ctx, self.project_id, draft, self.version)
        return self.project_id
