"""What changed: the activity log as a plain-words feed since a day (the last stand-up by
default), a heading per project. Read-only; it refreshes by itself when anyone writes.

The feed is `queries.changes.load_changes` (the same as `itpm changes` and the stand-up
kiosk); this screen only chooses the day, project and person and draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Static

from itpm_tui.domain.changes import Feed
from itpm_tui.domain.validation import ValidationError, parse_date
from itpm_tui.queries.timeline import ProjectChoice
from itpm_tui.screens.live import LiveScreen
from itpm_tui.screens.project_picker import ProjectPicker
from itpm_tui.screens.status_date import StatusDatePrompt
from itpm_tui.widgets.change_feed import ChangeFeed
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import format_date, input_date, literal

WEEK = timedelta(days=7)
#: The id a picker answers for "no filter".
EVERYONE = 0


class ChangesPicker(ProjectPicker):
    """The project or person picker with its own question; the first choice clears it."""

    def __init__(self, question: str, choices: list[ProjectChoice], current: int | None) -> None:
        super().__init__(choices, current)
        self.question = question

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#picker Static", Static).update(Text(self.question, style="bold"))


class SincePrompt(StatusDatePrompt):
    """Dismisses with the day typed, `date.min` for an empty field (the last stand-up), or
    None when cancelled."""

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text("What changed since…"), id="form-title")
            yield Static(Text("Empty means since the last stand-up (else a week ago)."))
            yield from self.general_error()
            yield from self.field(
                "status-date",
                "Since",
                Input(input_date(self.current, self.date_format), id="status-date"),
            )
            yield from self.buttons()

    def action_save(self) -> None:
        raw = self.text("status-date").strip()
        if not raw:
            self.dismiss(date.min)
            return
        try:
            day = parse_date(raw, "since", self.date_format)
            if day is not None and day > self.today:
                raise ValidationError("since", "must be today or earlier")
        except ValidationError as exc:
            self.show_problems(exc.problems)
        else:
            self.dismiss(day or date.min)


@dataclass(frozen=True)
class ChangesData:
    feed: Feed
    projects: list[ProjectChoice]


class ChangesScreen(LiveScreen[ChangesData]):
    TITLE = "What changed"
    AUTO_FOCUS = "#feed"
    HELP = """\
### What changed — the activity log in plain words

Everything written through itpm since a day, a heading per project: tasks **finished**
(`✓`), **started** (`▶`), **blocked** with the reason (`■`) and **unblocked** (`□`);
finish dates that **slipped** (`▼`, in working days, and against the baseline) or moved
earlier (`▲`); milestones reached (`◆`) or **missed** (`◇`, due and not done); progress
(`%`, many edits of one task collapsed to first → last); **risks** raised, re-scored,
occurred or closed (`!`); **change** requests proposed and decided (`Δ`); money **booked**
per category (`$`); stakeholders **contacted** (`☎`); other edits (`·`). Who did it ends
each line.

**Since**: by default the last stand-up before today (the kiosk records one when it starts),
else a week ago. `[` goes a week further back, `]` a week forward, `s` types a day (empty:
back to the default).

**Filters**: `p` one project (or all), `w` one person — what they did and what happened to
the tasks assigned to them. The same feed prints with `itpm changes` (txt, md, json).
"""
    BINDINGS: ClassVar = [
        Binding("[", "shift(-7)", "Week back", id="changes.earlier", tooltip="A week further back"),
        Binding("]", "shift(7)", "Week fwd", id="changes.later", tooltip="A week less far back"),
        Binding("s", "since", "Since", id="changes.since", tooltip="Show changes since a day"),
        Binding("p", "pick_project", "Project", id="changes.project", tooltip="One project or all"),
        Binding("w", "pick_person", "Who", id="changes.person", tooltip="One person or everyone"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: ChangesData | None = None
        self.since: date | None = None  #: None: the default (the last stand-up)
        self.project_id: int | None = None
        self.person: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="changes-summary")
        yield ChangeFeed(id="feed")
        yield Static("", id="changes-empty")
        yield Static("", id="changes-line")
        yield ItpmFooter()

    @property
    def feed_view(self) -> ChangeFeed:
        return self.query_one(ChangeFeed)

    def on_mount(self) -> None:
        self.feed_view.loading = True
        super().on_mount()

    # -- data --------------------------------------------------------------------------------

    def fetch(self) -> ChangesData:
        from itpm_tui.queries.changes import load_changes
        from itpm_tui.queries.timeline import project_choices

        ctx = self.itpm.ctx
        feed = load_changes(
            ctx.db,
            ctx.today(),
            since=self.since,
            project_id=self.project_id,
            person=self.person,
        )
        return ChangesData(feed, project_choices(ctx.db))

    def show(self, data: ChangesData) -> None:
        self.data = data
        view = self.feed_view
        if view.loading:
            view.loading = False
            view.focus()
        view.show(data.feed)
        empty = not data.feed.projects
        view.display = not empty
        self.query_one("#changes-line", Static).display = not empty
        blank = self.query_one("#changes-empty", Static)
        blank.display = empty
        blank.update(self._empty_text(data.feed))
        self.query_one("#changes-summary", Static).update(self._summary(data.feed))

    def on_change_feed_selected(self, event: ChangeFeed.Selected) -> None:
        """The selected change in full below the feed, where a narrow terminal cut it."""
        row = event.row
        text = Text(no_wrap=True, overflow="ellipsis")
        if row is not None and row.line is not None:
            line = row.line
            text.append(f"{line.kind.symbol} {line.kind.word}", style="bold")
            if line.day is not None:
                text.append(f" · {self._date(line.day)}")
            if line.who:
                text.append(" · ")
                text.append_text(literal(", ".join(line.who)))
            text.append(": ")
            text.append_text(literal(line.text))
            text.no_wrap = False
        elif row is not None and row.group is not None:
            text.append_text(literal(f"{row.group.code} {row.group.name}".strip()))
        self.query_one("#changes-line", Static).update(text)

    def _date(self, day: date) -> str:
        return format_date(day, self.itpm.settings.date_format)

    def _summary(self, feed: Feed) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(f" Since {feed.since:%a} {self._date(feed.since)}", style="bold")
        if feed.since == feed.last_standup:
            out.append(" (last stand-up)")
        elif self.since is None:
            out.append(" (no stand-up yet: a week)")
        count = feed.line_count
        out.append(f" · {count} change{'' if count == 1 else 's'}")
        out.append(f" · {feed.project}" if feed.project else " · all projects")
        if feed.person:
            out.append(" · by or for ")
            out.append_text(literal(feed.person))
        return out

    def _empty_text(self, feed: Feed) -> Text:
        text = Text(f"Nothing changed since {self._date(feed.since)}")
        if feed.project or feed.person:
            text.append(" for this filter — p / w choose another")
        text.append("\n[ goes a week further back, s picks a day")
        return text

    # -- actions -----------------------------------------------------------------------------

    def action_shift(self, days: int) -> None:
        if self.data is None:
            return
        today = self.data.feed.today
        since = self.data.feed.since + timedelta(days=days)
        self.since = min(since, today)
        self.reload()

    def action_since(self) -> None:
        today = self.itpm.ctx.today()
        current = self.data.feed.since if self.data else today - WEEK

        def answered(day: date | None) -> None:
            if day is None:
                return
            self.since = None if day == date.min else day
            self.reload()

        prompt = SincePrompt(current, today, self.itpm.settings.date_format)
        self.app.push_screen(prompt, answered)

    def action_pick_project(self) -> None:
        projects = self.data.projects if self.data else []
        choices = [ProjectChoice(EVERYONE, "ALL", "All projects", "active"), *projects]

        def picked(project_id: int | None) -> None:
            if project_id is None:
                return
            self.project_id = None if project_id == EVERYONE else project_id
            self.reload()

        current = self.project_id if self.project_id is not None else EVERYONE
        self.app.push_screen(ChangesPicker("Show the changes of…", choices, current), picked)

    def action_pick_person(self) -> None:
        people = list(self.data.feed.people) if self.data else []
        if self.person and self.person not in people:
            people.append(self.person)
        choices = [ProjectChoice(EVERYONE, "ALL", "Everyone", "active")]
        choices += [ProjectChoice(i, handle, "", "active") for i, handle in enumerate(people, 1)]

        def picked(choice: int | None) -> None:
            if choice is None:
                return
            self.person = None if choice == EVERYONE else people[choice - 1]
            self.reload()

        current = people.index(self.person) + 1 if self.person in people else EVERYONE
        self.app.push_screen(ChangesPicker("Show what was done by…", choices, current), picked)
