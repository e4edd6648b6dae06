"""Team: the people tasks are assigned to, with their capacity, cost rate and how their open
work loads the coming weeks — over-allocation marked `▲` and counted in words.

The number of week columns follows the terminal width (4 at 80 columns, up to 12), so a
projector shows a quarter and an SSH session a month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar

from rich.console import JustifyMethod
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from itpm_tui.domain.enums import PersonRole
from itpm_tui.domain.money import format_money
from itpm_tui.domain.people import hours_text, load_text
from itpm_tui.domain.roles import Action
from itpm_tui.queries.team import Team, TeamMember
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import LiveScreen
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import literal, tone
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn

#: From this terminal width the table also shows role, cost rate and active.
WIDE = 120
WEEK_WIDTH = 8  #: fits `▲ 52/40`; `▲52/37.5` drops the space
MIN_WEEKS, MAX_WEEKS = 1, 12
EMPTY = "No people yet — n adds the first"


def week_count(terminal_width: int) -> int:
    """As many week columns as fit beside the person's own columns."""
    fixed = sum(width + 2 for _key, _label, width, _ in _person_columns(terminal_width))
    room = terminal_width - fixed - 2  # the vertical scrollbar
    return max(MIN_WEEKS, min(MAX_WEEKS, room // (WEEK_WIDTH + 2)))


def _name(p: TeamMember) -> Text:
    text = literal(p.name)
    if not p.active:
        text.append(" (retired)", style="dim")
    return text


#: The offered roles shortened for the table; a job title is shown as written.
SHORT_ROLE = {
    PersonRole.PROJECT_MANAGER.value: "PM",
    PersonRole.ENGINEER.value: "tech/engineer",
}


@lru_cache(maxsize=4096)
def _shared(plain: str, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """One `Text` for each distinct cell, never changed once made: a team's many equal
    cells (`40`, `EUR 80.00`, `✓ yes`, a week's `–/40`) are made once, and the table, which
    keeps the line it drew for a cell by the cell, writes each of them out once."""
    return Text(plain, style=style, justify=justify)


def _role(p: TeamMember) -> Text:
    if not p.role:
        return _shared("—", "dim")
    short = SHORT_ROLE.get(p.role)
    return _shared(short) if short else literal(p.role)


def _rate(p: TeamMember) -> Text:
    return _shared(format_money(p.rate, p.currency), "", "right")


def _active(p: TeamMember) -> Text:
    return _shared("✓ yes") if p.active else _shared("retired", "dim")


def _capacity(p: TeamMember) -> Text:
    return _shared(hours_text(p.capacity), "", "right")


def _person_columns(
    terminal_width: int,
) -> list[tuple[str, str, int, Callable[[TeamMember], Text]]]:
    wide = terminal_width >= WIDE
    columns: list[tuple[str, str, int, Callable[[TeamMember], Text]]] = [
        ("name", "Name", 18 if wide else 14, _name),
        ("handle", "Handle", 9 if wide else 8, lambda p: literal(p.handle)),
    ]
    if wide:
        columns.append(("role", "Role", 14, _role))
    columns.append(("capacity", "h/wk", 4, _capacity))
    if wide:
        columns.append(("rate", "Rate/h", 11, _rate))
        columns.append(("active", "Active", 7, _active))
    return columns


def _load_cell(index: int) -> Callable[[TeamMember], Text]:
    over_style = tone("bold red")

    def cell(p: TeamMember) -> Text:
        hours = p.load[index] if index < len(p.load) else Decimal(0)
        return _week_cell(hours, p.capacity, over_style)

    return cell


@lru_cache(maxsize=4096)
def _week_cell(hours: Decimal, capacity: Decimal, over_style: str) -> Text:
    """A week's cell; the same for equal figures (so made once, see `_shared`)."""
    if hours == 0:
        return Text(f"–/{hours_text(capacity)}", style="dim", justify="right")
    text, over = load_text(hours, capacity)
    if len(text) > WEEK_WIDTH:
        text = text.replace("▲ ", "▲")
    return Text(text, style=over_style if over else "", justify="right")


class PeopleTable(KeyedTable[TeamMember]):
    """People with their weekly load, columns fitted to the terminal width."""

    def fit_to(self, terminal_width: int, weeks: list[date]) -> None:
        columns: list[TableColumn[TeamMember]] = [
            TableColumn(key, label, cell, width)
            for key, label, width, cell in _person_columns(terminal_width)
        ]
        for i, monday in enumerate(weeks):
            label = f"{monday.day:>2} {monday:%b}".rjust(WEEK_WIDTH)
            columns.append(TableColumn(f"w{i}", label, _load_cell(i), WEEK_WIDTH))
        self.set_columns(columns)


@dataclass(frozen=True)
class TeamData:
    team: Team
    today: date


class TeamScreen(LiveScreen[TeamData]):
    TITLE = "Team"
    #: People (about no project: always) and their loads, from the schedules of every project.
    WATCHES = frozenset({"task", "dependency", "holiday", "project", "changerequest"})
    AUTO_FOCUS = "#people"
    HELP = """\
### Team — who works on the projects, and how loaded they are

One row per person: name, login **handle**, role, weekly **capacity** in hours, **cost
rate** per hour (wide terminals) and whether they are active. Then one column per coming
week (Mondays; as many as the width allows, 4 at 80 columns, up to 12): the hours planned
for them that week against their capacity, `32/40`. Over capacity is marked **`▲ 52/40`**
and counted above the table; `–` is a week with nothing planned.

**Load**: each open task assigned to the person (not done, in an active or on-hold project
that is not archived; summary tasks are left out, their tasks count) spreads its hours left
— the remaining hours, or else the estimate less the part done — evenly over its working
days from today (or its planned start) to its planned finish; weekends and holidays get
none. Work already late counts in the current week. Tasks without planned dates are not in
the weeks and are counted as unscheduled.

**Keys**: `n` adds a person, `e` (or `enter`) edits the selected one (`ctrl+s` saves),
`x` retires or reactivates them (asks first), `v` shows or hides retired people. A retired
person keeps their tasks and history but is no longer offered for new assignments. A
handle is unique: lowercase letters, digits, `.`, `_` and `-`.
"""
    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "retire": Action.MANAGE,
    }
    BINDINGS: ClassVar = [
        Binding("n", "add", "New", id="team.add", tooltip="Add a person to the team"),
        Binding("e", "edit", "Edit", id="team.edit", tooltip="Edit the selected person"),
        Binding(
            "x",
            "retire",
            "Retire",
            id="team.retire",
            tooltip="Retire the selected person, or reactivate a retired one (asks first)",
        ),
        Binding(
            "v", "toggle_retired", "Retired", id="team.retired", tooltip="Show or hide retired"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: TeamData | None = None
        self.show_retired = False
        self._select: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="team-summary")
        yield PeopleTable(id="people")
        yield Static(EMPTY, id="team-empty")
        yield ItpmFooter()

    @property
    def table(self) -> PeopleTable:
        return self.query_one(PeopleTable)

    @property
    def weeks(self) -> int:
        return week_count(self.app.size.width)

    def on_mount(self) -> None:
        self.table.loading = True
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None and len(self.data.team.weeks) != self.weeks:
            self.reload()  # more or fewer weeks: the load is asked for again
        elif self.data is not None:
            self._draw()

    # -- data --------------------------------------------------------------------------------

    def fetch(self) -> TeamData:
        from itpm_tui.queries.team import team

        ctx = self.itpm.ctx
        today = ctx.today()
        return TeamData(team(ctx.db, today, self.weeks, retired=self.show_retired), today)

    def show(self, data: TeamData) -> None:
        self.data = data
        table = self.table
        if table.loading:
            table.loading = False
            table.focus()
        self._draw()

    def _draw(self) -> None:
        assert self.data is not None
        team = self.data.team
        table = self.table
        table.fit_to(self.app.size.width, team.weeks)
        table.show(team.people, self._select, follow=self._select is not None)
        self._select = None
        empty = not team.people
        table.display = not empty
        self.query_one("#team-empty", Static).display = empty
        self.query_one("#team-summary", Static).update(self._summary(team))

    def _summary(self, team: Team) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        active = sum(1 for p in team.people if p.active)
        out.append(f" {active} {'person' if active == 1 else 'people'}", style="bold")
        over = [p for p in team.people if p.active and p.over()]
        if team.people:
            weeks = len(team.weeks)
            if over:
                out.append(
                    f" · ▲ {len(over)} over capacity in the next {weeks} weeks",
                    style=tone("bold red"),
                )
            else:
                out.append(f" · ✓ nobody over capacity in the next {weeks} weeks")
            unscheduled = sum(p.unscheduled for p in team.people)
            if unscheduled:
                out.append(f" · {unscheduled} assigned tasks without dates", style="dim")
        if team.retired:
            state = "shown" if self.show_retired else "hidden (v shows)"
            out.append(f" · {team.retired} retired {state}", style="dim")
        return out

    # -- actions -----------------------------------------------------------------------------

    def action_add(self) -> None:
        from itpm_tui.screens.person_form import PersonForm  # when first opened

        currency = self.itpm.settings.currency
        self.app.push_screen(PersonForm(self.itpm.ctx, currency=currency), self._after_form)

    def action_edit(self) -> None:
        person = self.table.selected_row
        if person is None:
            self.notify("There is no person to edit.", severity="warning")
            return
        from itpm_tui.screens.person_form import PersonForm

        self.app.push_screen(PersonForm(self.itpm.ctx, person=person), self._after_form)

    def on_data_table_row_selected(self, event: KeyedTable.RowSelected) -> None:
        if self.check_action("edit", ()):  # enter edits, as `e` does: only for a PM
            self.action_edit()

    def _after_form(self, person_id: int | None) -> None:
        if person_id is not None:
            self._select = person_id
            self.notify("Person saved.")
            self.reload()

    def action_retire(self) -> None:
        person = self.table.selected_row
        if person is None:
            self.notify("There is no person to retire.", severity="warning")
            return
        if person.active:
            question = (
                f"Retire {person.name} ({person.handle})? They keep their "
                f"{person.open_tasks} open tasks and their history, but are no longer "
                "offered for new assignments."
            )
            yes = "Retire"
        else:
            question = f"Reactivate {person.name} ({person.handle})?"
            yes = "Reactivate"

        def answered(confirmed: bool | None) -> None:
            from itpm_tui.services.people import set_active

            if confirmed:
                ctx = self.itpm.ctx
                self.write_then_reload(
                    lambda: set_active(ctx, person.id, not person.active, person.version),
                    f"{person.name} {'retired' if person.active else 'reactivated'}.",
                )

        self.app.push_screen(ConfirmScreen(question, yes=yes), answered)

    def action_toggle_retired(self) -> None:
        self.show_retired = not self.show_retired
        self.notify("Retired people shown." if self.show_retired else "Retired people hidden.")
        self.reload()
