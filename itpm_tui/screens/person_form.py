"""The dialog that adds or edits a team member, checked by `domain.people.read_person`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, Static

from itpm_tui.domain.money import format_money
from itpm_tui.domain.people import ROLES, PersonDraft, hours_text, read_person
from itpm_tui.domain.roles import Action
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import literal
from itpm_tui.widgets.text_select import TextSelect

if TYPE_CHECKING:
    from itpm_tui.queries.team import TeamMember
    from itpm_tui.services.context import Context


class PersonForm(FormScreen[int | None]):
    """Add or edit a person; dismisses with their id once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    COLUMN_IDS: ClassVar = {
        "weekly_capacity_hours": "capacity",
        "cost_rate": "rate",
        "cost_currency": "currency",
    }
    FIELD_IDS: ClassVar = {
        "name": "name",
        "handle": "handle",
        "role": "role",
        "email": "email",
        "phone": "phone",
        "skills": "skills",
        "weekly capacity": "capacity",
        "cost rate": "rate",
        "currency": "currency",
    }

    def __init__(
        self, ctx: Context, *, person: TeamMember | None = None, currency: str = "EUR"
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.person = person
        self.draft = (
            person.draft()
            if person
            else PersonDraft(name="", handle="", role=ROLES[1], cost_currency=currency)
        )

    def compose(self) -> ComposeResult:
        d = self.draft
        title = Text("Edit person " if self.person else "New person")
        if self.person:
            title.append_text(literal(self.person.name))
        # A job title from an import or the demo stays offered, so an edit does not lose it.
        roles = [*ROLES] if not d.role or d.role in ROLES else [d.role, *ROLES]
        rate = (
            ""
            if self.person is None and d.cost_rate == 0
            else format_money(d.cost_rate, d.cost_currency, symbol=False)
        )
        with Vertical(id="form"):
            yield Static(title, id="form-title")
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                yield from self.field("name", "Name", Input(d.name, id="name"))
                yield from self.field(
                    "handle",
                    "Handle",
                    Input(d.handle, id="handle", placeholder="login, e.g. a.berg", max_length=40),
                )
                yield from self.field(
                    "role",
                    "Role",
                    TextSelect(
                        [(literal(r), r) for r in roles],
                        value=d.role if d.role in roles else Select.NULL,
                        id="role",
                        prompt="(choose)",
                    ),
                )
                yield from self.field(
                    "email", "E-mail", Input(d.email, id="email", placeholder="name@example.com")
                )
                yield from self.field("phone", "Phone", Input(d.phone, id="phone"))
                yield from self.field(
                    "skills",
                    "Skills",
                    Input(d.skills, id="skills", placeholder="e.g. Cisco CCNP, VoIP"),
                )
                yield from self.field(
                    "capacity",
                    "Hours/week",
                    Input(hours_text(d.weekly_capacity_hours), id="capacity", placeholder="40"),
                )
                yield from self.field(
                    "rate", "Cost rate/h", Input(rate, id="rate", placeholder="e.g. 85.00")
                )
                yield from self.field(
                    "currency",
                    "Currency",
                    Input(d.cost_currency, id="currency", max_length=3, placeholder="EUR"),
                )
            yield from self.buttons()

    def action_save(self) -> None:
        fields = {
            "name": self.text("name"),
            "handle": self.text("handle"),
            "role": str(self.selected("role") or ""),
            "email": self.text("email"),
            "phone": self.text("phone"),
            "skills": self.text("skills"),
            "capacity": self.text("capacity"),
            "rate": self.text("rate").strip() or "0",
            "currency": self.text("currency"),
        }
        self.write(lambda: self._store(fields))

    def reload_record(self) -> None:
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.team import team

        people = (
            []
            if self.person is None
            else team(self.ctx.db, self.ctx.today(), 0, retired=True).people
        )
        person = next((p for p in people if self.person and p.id == self.person.id), None)
        if person is None:
            raise NotFoundError("the person no longer exists (removed by someone else)")
        self.person, self.draft = person, person.draft()

    def _store(self, fields: dict[str, str]) -> int:
        from itpm_tui.services.people import add_person, update_person

        draft = read_person(**fields)
        if self.person is None:
            return add_person(self.ctx, draft)
        update_person(self.ctx, self.person.id, draft, self.person.version)
        return self.person.id
