"""The stand-up kiosk (`itpm standup`): the portfolio on a shared screen, page after page,
read-only whatever the user's role, and hard to quit by a stray key.

The pages are declared once in `PAGES` (number, title, widget, read model): adding a page
is one entry. The screen reads every page in one poll of `LiveScreen`, so the data stays
live while it cycles, and (as every live screen) reads again when the day rolls over at
midnight.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from itpm_tui.app import ItpmApp
from itpm_tui.screens.live import LiveScreen
from itpm_tui.widgets.formatting import tone
from itpm_tui.widgets.standup_pages import (
    BurndownPage,
    ChangesPage,
    HealthPage,
    MilestonesPage,
    MilestoneWindow,
    Page,
    ProjectBurn,
    RiskBoard,
    RisksPage,
    UpdatesPage,
    UpdatesWindow,
)

if TYPE_CHECKING:
    from itpm_tui.config import Settings
    from itpm_tui.services.context import Context

#: Two presses of the quit key within this many seconds quit the kiosk.
QUIT_WINDOW = 2.0
#: How many top risks the risks page reads (it shows as many as fit).
TOP_RISKS = 15
#: The milestones page also lists the milestones of this many weeks after next week.
LATER_WEEKS = 4
#: The updates page also lists the contacts made in this many days.
RECENT_DAYS = 14


#: The projects a kiosk is narrowed to (`--projects`): their codes in upper case, or None
#: for every active project.
Scope = frozenset[str] | None


def in_scope(code: str, scope: Scope) -> bool:
    return scope is None or code.upper() in scope


def read_health(ctx: Context, today: date, scope: Scope = None) -> Any:
    from itpm_tui.domain.enums import ProjectStatus
    from itpm_tui.queries.portfolio import portfolio

    return [
        row
        for row in portfolio(ctx.db, today)
        if row.status == ProjectStatus.ACTIVE.value and in_scope(row.code, scope)
    ]


def read_milestones(ctx: Context, today: date, scope: Scope = None) -> Any:
    from itpm_tui.domain.calendar import next_week_end
    from itpm_tui.queries.standup import milestones_due

    until = next_week_end(today)
    later_until = until + timedelta(weeks=LATER_WEEKS)
    chosen = [
        m for m in milestones_due(ctx.db, today, later_until) if in_scope(m.project_code, scope)
    ]
    return MilestoneWindow(
        today,
        until,
        [m for m in chosen if m.late or m.finish <= until],
        later=[m for m in chosen if not m.late and m.finish > until],
        later_until=later_until,
    )


def read_burndowns(ctx: Context, today: date, scope: Scope = None) -> Any:
    from itpm_tui.queries.burndown import project_burndown
    from itpm_tui.queries.portfolio import project_detail
    from itpm_tui.queries.standup import active_project_ids

    burns = []
    for pid in active_project_ids(ctx.db):
        detail = project_detail(ctx.db, pid)
        if detail is not None and in_scope(detail.code, scope):
            burns.append(
                ProjectBurn(detail.code, detail.name, project_burndown(ctx.db, pid, today))
            )
    return burns


def read_risks(ctx: Context, today: date, scope: Scope = None) -> Any:
    from itpm_tui.domain.enums import RiskStatus
    from itpm_tui.queries.risks import issues, top_risks

    occurred = RiskStatus.OCCURRED.value
    limit = TOP_RISKS * 2 if scope is None else 10_000  # narrowed: the top of those projects
    risks = [
        r
        for r in top_risks(ctx.db, today, limit=limit)
        if r.status != occurred and in_scope(r.project_code, scope)
    ]
    occurred_ones = [r for r in issues(ctx.db, today) if in_scope(r.project_code, scope)]
    return RiskBoard(today, risks[:TOP_RISKS], occurred_ones)


def read_changes(ctx: Context, today: date, scope: Scope = None) -> Any:
    from itpm_tui.queries.changes import load_changes

    feed = load_changes(ctx.db, today)
    if scope is None:
        return feed
    return replace(feed, projects=tuple(p for p in feed.projects if in_scope(p.code, scope)))


def read_updates(ctx: Context, today: date, scope: Scope = None) -> Any:
    from itpm_tui.domain.calendar import week_end
    from itpm_tui.queries.standup import recent_contacts, updates_due_by

    until = week_end(today)
    due = [
        u
        for u in updates_due_by(ctx.db, today, until)
        if scope is None or any(in_scope(c, scope) for c in u.projects.split(", ") if c)
    ]
    contacted = [
        c
        for c in recent_contacts(ctx.db, today - timedelta(days=RECENT_DAYS))
        if scope is None or in_scope(c.project_code, scope)
    ]
    return UpdatesWindow(today, until, due, contacted=contacted)


@dataclass(frozen=True, slots=True)
class KioskPage:
    """One page: its usual number, its slug (for `--pages`), its title, the widget that
    draws it and what it reads (narrowed to the chosen projects)."""

    number: int
    slug: str
    title: str
    make: Callable[[], Widget]
    read: Callable[[Context, date, Scope], Any]

    @property
    def widget_id(self) -> str:
        return f"page-{self.slug}"


#: The kiosk's pages in their usual order. `--pages` chooses and orders them; the number keys
#: then jump by place among the pages shown (`StandupScreen._bind_numbers`).
PAGES: tuple[KioskPage, ...] = (
    KioskPage(1, "health", "Portfolio health", HealthPage, read_health),
    KioskPage(2, "milestones", "Milestones this week and next", MilestonesPage, read_milestones),
    KioskPage(3, "burndown", "Burn-down", BurndownPage, read_burndowns),
    KioskPage(4, "risks", "Top risks and issues", RisksPage, read_risks),
    KioskPage(5, "changes", "What changed since the last stand-up", ChangesPage, read_changes),
    KioskPage(6, "updates", "Stakeholder updates due this week", UpdatesPage, read_updates),
)


def page_numbers() -> list[int]:
    return [page.number for page in PAGES]


def page_slugs() -> list[str]:
    return [page.slug for page in PAGES]


def choose_pages(slugs: Sequence[str]) -> tuple[KioskPage, ...]:
    """The pages named by `slugs`, in that order (`--pages`); the slugs are checked first."""
    by_slug = {page.slug: page for page in PAGES}
    return tuple(by_slug[slug] for slug in slugs)


@dataclass(frozen=True)
class KioskData:
    today: date
    pages: dict[str, Any]


class StandupScreen(LiveScreen[KioskData]):
    TITLE = "Stand-up kiosk"
    HELP = """\
**Stand-up kiosk** — the portfolio on a shared screen, one page after another, **read-only**:
no key edits anything, whatever your role. The data refreshes by itself.

The pages, in their usual order (`--pages` names them): PAGES.

`space` pauses and resumes the cycling · `→`/`←` next/previous page · a number key jumps to
the page shown at that place in the title (`1` the first shown, `2` the second…: with
`--pages risks,health`, `1` is the risks) · `ctrl+q` **twice** within 2 seconds quits (`q`,
`esc` and `ctrl+c` do not).

`itpm standup --projects NET,MAIL` narrows every page to those projects; `--pages
health,milestones` chooses the pages and their order; `--page N` starts on the N-th shown.
At midnight every page reads again (a day later, "due tomorrow" becomes "due today").
""".replace("PAGES", " · ".join(f"`{p.slug}` {p.title}" for p in PAGES))
    SHOWS_GLOBAL_HELP: ClassVar[bool] = False
    DEFAULT_CSS = """
    StandupScreen #standup-title {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    StandupScreen #standup-hint {
        dock: bottom;
        height: 1;
        color: $text-muted;
        padding: 0 1;
    }
    StandupScreen #standup-hint.asking {
        color: $text;
        background: $warning 40%;
        text-style: bold;
    }
    StandupScreen ContentSwitcher {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar = [
        Binding("space", "pause", "Pause / resume", id="standup.pause"),
        Binding("right,pagedown", "step(1)", "Next page", id="standup.next", key_display="→"),
        Binding("left,pageup", "step(-1)", "Previous page", id="standup.previous", key_display="←"),
        *(
            Binding(
                str(page.number),
                f"jump({page.number})",
                f"Page {page.number}: {page.title}",
                id=f"standup.page.{page.slug}",
            )
            for page in PAGES
        ),
    ]

    def __init__(
        self,
        cycle: float = 30.0,
        first_page: int | None = None,
        *,
        pages: Sequence[KioskPage] = PAGES,
        scope: Scope = None,
    ) -> None:
        super().__init__()
        self.cycle = cycle
        self.pages = tuple(pages) or PAGES
        self.scope = scope
        self.index = first_page - 1 if first_page and first_page <= len(self.pages) else 0
        self.paused = False
        self.day: date | None = None
        self._cycle_timer: Timer | None = None
        self._bind_numbers()

    def _bind_numbers(self) -> None:
        """Number keys jump by place: `1` is the first page shown, whatever `--pages` chose."""
        keys = self._bindings.key_to_bindings
        for number in page_numbers():
            keys.pop(str(number), None)
        for place, page in enumerate(self.pages, start=1):
            keys[str(place)] = [
                Binding(
                    str(place),
                    f"jump({place})",
                    f"Page {place}: {page.title}",
                    id=f"standup.page.{page.slug}",
                )
            ]

    @property
    def page(self) -> KioskPage:
        return self.pages[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="standup-title")
        with ContentSwitcher(initial=self.page.widget_id):
            for page in self.pages:
                widget = page.make()
                widget.id = page.widget_id
                yield widget
        yield Static(self.hint_line(), id="standup-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._cycle_timer = self.set_interval(self.cycle, self._tick)
        self.update_title()

    def hint_line(self) -> Text:
        keys = f"1-{len(self.pages)}" if len(self.pages) > 1 else "1"
        return Text(
            f"space pause · ←/→ page · {keys} jump · ? help · ctrl+q twice quits",
            no_wrap=True,
            overflow="ellipsis",
        )

    # -- data ---------------------------------------------------------------------------------

    def fetch(self) -> KioskData:
        ctx = self.itpm.ctx
        today = ctx.today()
        return KioskData(
            today, {page.slug: page.read(ctx, today, self.scope) for page in self.pages}
        )

    def show(self, data: KioskData) -> None:
        self.day = data.today
        for page in self.pages:
            widget = self.query_one(f"#{page.widget_id}")
            if isinstance(widget, Page | BurndownPage):
                widget.show(data.pages[page.slug])
        self.update_title()

    # -- cycling ------------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.paused:
            return
        if self.page.slug == "burndown" and self.query_one(BurndownPage).advance():
            self.update_title()
            return
        self.go_to(self.index + 1, restart=False)

    def go_to(self, index: int, *, restart: bool = True) -> None:
        """Show page `index` (wrapping round); a key restarts the page's full time."""
        self.index = index % len(self.pages)
        self.query_one(ContentSwitcher).current = self.page.widget_id
        if restart and self._cycle_timer is not None:
            self._cycle_timer.reset()
        self.update_title()

    def action_step(self, delta: int) -> None:
        self.go_to(self.index + delta)

    def action_jump(self, place: int) -> None:
        if 1 <= place <= len(self.pages):
            self.go_to(place - 1)

    def action_pause(self) -> None:
        self.paused = not self.paused
        if not self.paused and self._cycle_timer is not None:
            self._cycle_timer.reset()
        self.update_title()

    def on_burndown_page_arranged(self) -> None:
        self.update_title()

    def update_title(self) -> None:
        page = self.page
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"{self.index + 1} {page.title}")
        sub = self.query_one(BurndownPage).position if page.slug == "burndown" else ""
        if sub:
            title.append(f" ({sub})")
        title.append(f"  ·  {self.index + 1}/{len(self.pages)}")
        if self.scope is not None:
            title.append(f"  ·  {', '.join(sorted(self.scope))}")
        if self.day is not None:
            title.append(f"  ·  {self.day:%a %d %b %Y}")
        if self.paused:
            title.append("  ·  ")
            title.append("⏸ PAUSED", style=tone("bold reverse"))
        self.query_one("#standup-title", Static).update(title)

    def ask_to_quit(self, asking: bool) -> None:
        hint = self.query_one("#standup-hint", Static)
        hint.set_class(asking, "asking")
        hint.update(
            Text(f"Press ctrl+q again within {QUIT_WINDOW:g} s to quit the stand-up")
            if asking
            else self.hint_line()
        )


class StandupApp(ItpmApp, inherit_bindings=False):
    """The dashboard in kiosk mode: one screen, no palette, and only the kiosk's keys (the
    app's own `q`, number keys and Textual's one-press `ctrl+q` are not inherited)."""

    ENABLE_COMMAND_PALETTE = False
    MODES: ClassVar = {}  # the one screen is the default screen
    DEFAULT_MODE = "_default"
    BINDINGS: ClassVar = [
        Binding("question_mark,f1", "help", "Help", id="standup.help", key_display="?"),
        Binding(
            "ctrl+q",
            "quit_twice",
            "Quit (press twice)",
            id="standup.quit",
            priority=True,
        ),
        Binding("ctrl+c", "quit_hint", "", id="standup.ctrl_c", show=False, priority=True),
    ]

    def __init__(
        self,
        ctx: Context | Callable[[], Context],
        settings: Settings,
        *,
        where: str = "",
        cycle: float = 30.0,
        first_page: int | None = None,
        pages: Sequence[KioskPage] = PAGES,
        scope: Scope = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.cycle = cycle
        self.first_page = first_page
        self.pages = tuple(pages)
        self.scope = scope
        self._quit_asked = 0.0
        super().__init__(ctx, settings, where=where, env=env)

    def get_default_screen(self) -> StandupScreen:
        return StandupScreen(self.cycle, self.first_page, pages=self.pages, scope=self.scope)

    def _kiosk(self) -> StandupScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, StandupScreen):
                return screen
        return None

    def action_quit_twice(self) -> None:
        now = time.monotonic()
        kiosk = self._kiosk()
        if now - self._quit_asked <= QUIT_WINDOW:
            self.exit()
            return
        self._quit_asked = now
        if kiosk is not None:
            kiosk.ask_to_quit(True)
            self.set_timer(QUIT_WINDOW, lambda: self._forget_quit(now))

    def _forget_quit(self, asked: float) -> None:
        if self._quit_asked == asked:
            kiosk = self._kiosk()
            if kiosk is not None:
                kiosk.ask_to_quit(False)

    def action_quit_hint(self) -> None:
        self.notify("This is the stand-up kiosk: press ctrl+q twice to quit.", markup=False)
