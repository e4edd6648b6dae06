"""The small dialogs of close-out: a deliverable, its acceptance, the sign-off, the lessons,
and the reason for closing anyway. Each saves through `services.closing` in a worker and
places the domain's messages beside its fields. A colleague's save of the same deliverable
or project meanwhile opens the conflict dialog (`FormScreen`): the deliverable or the
project's closing record is read again (`reload_record`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static, TextArea

from itpm_tui.domain.closing import DeliverableDraft
from itpm_tui.domain.roles import Action
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.errors import NotFoundError
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import input_date, literal

if TYPE_CHECKING:
    from itpm_tui.queries.closing import ClosingState, DeliverableItem
    from itpm_tui.services.context import Context


class ClosingForm(FormScreen[bool | None]):
    """Dismisses with True once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True

    DEFAULT_CLASSES = "closing-form"
    TITLE_TEXT = ""

    def __init__(self, ctx: Context, *, date_format: str = "%Y-%m-%d") -> None:
        super().__init__()
        self.ctx = ctx
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(self.heading(), id="form-title")
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                yield from self.fields()
            yield from self.buttons()

    def heading(self) -> Text:
        return Text(self.TITLE_TEXT)

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def read_date(self, widget_id: str, field: str, problems: list[Problem]) -> date | None:
        try:
            return parse_date(self.text(widget_id), field, self.date_format)
        except ValidationError as exc:
            problems.extend(exc.problems)
            return None

    def stored_item(self, deliverable_id: int) -> DeliverableItem:
        """The deliverable as stored now (in a worker thread, after a conflict)."""
        from itpm_tui.queries.closing import deliverable_item

        item = deliverable_item(self.ctx.db, deliverable_id)
        if item is None:
            raise NotFoundError("the deliverable no longer exists (removed by someone else)")
        return item

    def stored_state(self, project_id: int) -> ClosingState:
        """The project's closing record as stored now (in a worker, after a conflict)."""
        from itpm_tui.queries.closing import closing_state

        state = closing_state(self.ctx.db, project_id)
        if state is None:
            raise NotFoundError("the project no longer exists (removed by someone else)")
        return state

    def save_then_close(self, save: Callable[[], object]) -> None:
        """Save in a worker; these dialogs answer True once saved."""

        def saved() -> bool:
            save()
            return True

        self.write(saved)


class DeliverableForm(ClosingForm):
    FIELD_IDS: ClassVar = {
        "name": "d-name",
        "description": "d-description",
        "acceptance criteria": "d-criteria",
        "due date": "d-due",
    }

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        item: DeliverableItem | None = None,
        *,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__(ctx, date_format=date_format)
        self.project_id = project_id
        self.item = item

    def heading(self) -> Text:
        if self.item is None:
            return Text("New deliverable")
        return Text("Edit deliverable ") + literal(self.item.name, wrap=True)

    def fields(self) -> ComposeResult:
        d = self.item
        yield from self.field("d-name", "Name", Input(d.name if d else "", id="d-name"))
        yield from self.field(
            "d-description",
            "Description",
            TextArea(d.description if d else "", id="d-description"),
        )
        yield from self.field(
            "d-criteria",
            "Criteria",
            TextArea(d.acceptance_criteria if d else "", id="d-criteria"),
        )
        yield from self.field(
            "d-due",
            "Due date",
            Input(
                input_date(d.due_date if d else None, self.date_format),
                id="d-due",
                placeholder="YYYY-MM-DD",
            ),
        )

    def reload_record(self) -> None:
        if self.item is None:  # a new deliverable: nobody else can have saved it
            raise NotFoundError("the deliverable is not stored yet")
        self.item = self.stored_item(self.item.id)

    def action_save(self) -> None:
        from itpm_tui.services.closing import add_deliverable, update_deliverable

        problems: list[Problem] = []
        due = self.read_date("d-due", "due date", problems)
        if problems:
            self.show_problems(problems)
            return
        draft = DeliverableDraft(
            name=self.text("d-name"),
            description=self.text("d-description"),
            acceptance_criteria=self.text("d-criteria"),
            due_date=due,
        )
        item = self.item
        if item is None:
            self.save_then_close(lambda: add_deliverable(self.ctx, self.project_id, draft))
        else:
            self.save_then_close(
                lambda: update_deliverable(self.ctx, item.id, draft, expected_version=item.version)
            )


class AcceptForm(ClosingForm):
    """Who accepted the deliverable and when; by defaults to the user, on to today."""

    FIELD_IDS: ClassVar = {"accepted by": "a-by", "accepted on": "a-on", "note": "a-note"}
    COLUMN_IDS: ClassVar = {"acceptance_note": "a-note"}

    def __init__(
        self,
        ctx: Context,
        item: DeliverableItem,
        *,
        user: str,
        today: date,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__(ctx, date_format=date_format)
        self.item = item
        self.user = user
        self.today = today

    def heading(self) -> Text:
        head = Text("Accept ") + literal(self.item.name, wrap=True)
        if self.item.acceptance_criteria:
            head.append("\ncriteria: ", style="dim")
            head.append_text(literal(self.item.acceptance_criteria, wrap=True))
        return head

    def fields(self) -> ComposeResult:
        d = self.item
        yield from self.field(
            "a-by", "Accepted by", Input(d.accepted_by or self.user, id="a-by", max_length=200)
        )
        yield from self.field(
            "a-on",
            "Accepted on",
            Input(
                input_date(d.accepted_on or self.today, self.date_format),
                id="a-on",
                placeholder="YYYY-MM-DD",
            ),
        )
        yield from self.field("a-note", "Note", Input(d.acceptance_note, id="a-note"))

    def reload_record(self) -> None:
        self.item = self.stored_item(self.item.id)

    def action_save(self) -> None:
        from itpm_tui.services.closing import accept_deliverable

        problems: list[Problem] = []
        on_day = self.read_date("a-on", "accepted on", problems)
        if problems:
            self.show_problems(problems)
            return
        by, note, item = self.text("a-by"), self.text("a-note"), self.item
        self.save_then_close(
            lambda: accept_deliverable(
                self.ctx, item.id, by, on_day, note, expected_version=item.version
            )
        )


class SignOffForm(ClosingForm):
    """The client's formal sign-off: who signed and when."""

    TITLE_TEXT = "Client sign-off"
    FIELD_IDS: ClassVar = {"signed off by": "s-by", "signed off on": "s-on"}

    def __init__(
        self, ctx: Context, state: ClosingState, *, today: date, date_format: str = "%Y-%m-%d"
    ) -> None:
        super().__init__(ctx, date_format=date_format)
        self.state = state
        self.today = today

    def heading(self) -> Text:
        return Text("Client sign-off of ") + literal(self.state.code, wrap=True)

    def fields(self) -> ComposeResult:
        s = self.state
        yield from self.field(
            "s-by",
            "Signed by",
            Input(s.signed_off_by, id="s-by", placeholder="name of the client's signatory"),
        )
        yield from self.field(
            "s-on",
            "Signed on",
            Input(
                input_date(s.signed_off_on or self.today, self.date_format),
                id="s-on",
                placeholder="YYYY-MM-DD",
            ),
        )

    def reload_record(self) -> None:
        self.state = self.stored_state(self.state.project_id)

    def action_save(self) -> None:
        from itpm_tui.services.closing import clear_sign_off, record_sign_off

        by, s = self.text("s-by"), self.state
        if (
            not by.strip()
            and not self.text("s-on").strip()
            and (s.signed_off_by or s.signed_off_on)
        ):
            # Both emptied: the sign-off recorded earlier is withdrawn.
            self.save_then_close(
                lambda: clear_sign_off(self.ctx, s.project_id, expected_version=s.version)
            )
            return
        problems: list[Problem] = []
        on_day = self.read_date("s-on", "signed off on", problems)
        if problems:
            self.show_problems(problems)
            return
        self.save_then_close(
            lambda: record_sign_off(self.ctx, s.project_id, by, on_day, expected_version=s.version)
        )


class LessonsForm(ClosingForm):
    """Lessons learned, written at the closing review: free text, kept with the project."""

    FIELD_IDS: ClassVar = {"lessons": "lessons"}

    def __init__(self, ctx: Context, state: ClosingState) -> None:
        super().__init__(ctx)
        self.state = state

    def heading(self) -> Text:
        return Text("Lessons learned on ") + literal(self.state.code, wrap=True)

    def fields(self) -> ComposeResult:
        yield from self.field(
            "lessons", "Lessons", TextArea(self.state.lessons, id="lessons", soft_wrap=True)
        )

    def reload_record(self) -> None:
        self.state = self.stored_state(self.state.project_id)

    def action_save(self) -> None:
        from itpm_tui.services.closing import set_lessons

        text, s = self.text("lessons"), self.state
        self.save_then_close(
            lambda: set_lessons(self.ctx, s.project_id, text, expected_version=s.version)
        )


class OverrideForm(ClosingForm):
    """Shown when the gate is shut: the blockers, and the reason to close anyway."""

    FIELD_IDS: ClassVar = {"override": "reason"}
    SAVE_LABEL = "Close with override (ctrl+s)"
    SAVE_VARIANT = "warning"
    COLUMN_IDS: ClassVar = {"closing_override": "reason"}

    def __init__(self, ctx: Context, state: ClosingState) -> None:
        super().__init__(ctx)
        self.state = state

    def heading(self) -> Text:
        head = literal(self.state.code, wrap=True)
        if not self.state.reasons:  # read again after a colleague's save cleared the gate
            head.append(" can now be closed: nothing blocks it; saving closes it.")
            return head
        head.append(" cannot be closed yet:")
        for reason in self.state.reasons:
            head.append("\n ✖ ")
            head.append_text(literal(reason, wrap=True))
        if self.state.warning:
            head.append(f"\n ▲ {self.state.warning}")
        head.append("\nTo close it anyway, say why; the reason is kept with the project.")
        return head

    def fields(self) -> ComposeResult:
        yield from self.field("reason", "Reason", TextArea("", id="reason", soft_wrap=True))

    def reload_record(self) -> None:
        self.state = self.stored_state(self.state.project_id)

    def action_save(self) -> None:
        from itpm_tui.services.closing import close_project

        reason, s = self.text("reason"), self.state
        self.save_then_close(
            lambda: close_project(
                self.ctx, s.project_id, override_reason=reason, expected_version=s.version
            )
        )
