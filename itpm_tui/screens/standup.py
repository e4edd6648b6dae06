"""The stand-up kiosk (`itpm standup`): the portfolio on a shared screen, page after page,
read-only whatever the user's role, and hard to quit by a stray key.

The pages are declared once in `PAGES` (number, title, widget, read model): adding a page
is one entry. The screen reads every page in one poll of `LiveScreen`, so the data stays
live while it cycles, and reads again when the day rolls over at midnight.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
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


def read_health(ctx: Context, today: date) -> Any:
    from itpm_tui.domain.enums import ProjectStatus
    from itpm_tui.queries.portfolio import portfolio

    return [row for row in portfolio(ctx.db, today) if row.status == ProjectStatus.ACTIVE.value]


def read_milestones(ctx: Context, today: date) -> Any:
    from itpm_tui.domain.calendar import next_week_end
    from itpm_tui.queries.standup import milestones_due

    until = next_week_end(today)
    return MilestoneWindow(today, until, milestones_due(ctx.db, today, until))


def read_burndowns(ctx: Context, today: date) -> Any:
    from itpm_tui.queries.burndown import project_burndown
    from itpm_tui.queries.portfolio import project_detail
    from itpm_tui.queries.standup import active_project_ids

    burns = []
    for pid in active_project_ids(ctx.db):
        detail = project_detail(ctx.db, pid)
        if detail is not None:
            burns.append(
                ProjectBurn(detail.code, detail.name, project_burndown(ctx.db, pid, today))
            )
    return burns


def read_risks(ctx: Context, today: date) -> Any:
    from itpm_tui.domain.enums import RiskStatus
    from itpm_tui.queries.risks import issues, top_risks

    occurred = RiskStatus.OCCURRED.value
    risks = [r for r in top_risks(ctx.db, today, limit=TOP_RISKS * 2) if r.status != occurred]
    return RiskBoard(today, risks[:TOP_RISKS], issues(ctx.db, today))


def read_changes(ctx: Context, today: date) -> Any:
    from itpm_tui.queries.changes import load_changes

    return load_changes(ctx.db, today)


def read_updates(ctx: Context, today: date) -> Any:
    from itpm_tui.domain.calendar import week_end
    from itpm_tui.queries.standup import updates_due_by

    until = week_end(today)
    return UpdatesWindow(today, until, updates_due_by(ctx.db, today, until))


@dataclass(frozen=True, slots=True)
class KioskPage:
    """One page: its number (its key), its title, the widget that draws it and what it reads."""

    number: int
    slug: str
    title: str
    make: Callable[[], Widget]
    read: Callable[[Context, date], Any]

    @property
    def widget_id(self) -> str:
        return f"page-{self.slug}"


#: The kiosk's pages in order; a number is also the key that jumps to the page. Page 5
#: ("What changed") joins here as one entry.
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


@dataclass(frozen=True)
class KioskData:
    today: date
    pages: dict[str, Any]


class StandupScreen(LiveScreen[KioskData]):
    TITLE = "Stand-up kiosk"
    HELP = """\
**Stand-up kiosk** — the portfolio on a shared screen, one page after another, **read-only**:
no key edits anything, whatever your role. The data refreshes by itself.

Pages: PAGES.

`space` pauses and resumes the cycling · `→`/`←` next/previous page · a page's number jumps
to it · `ctrl+q` **twice** within 2 seconds quits (`q`, `esc` and `ctrl+c` do not).
""".replace("PAGES", " · ".join(f"`{p.number}` {p.title}" for p in PAGES))
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

    def __init__(self, cycle: float = 30.0, first_page: int | None = None) -> None:
        super().__init__()
        self.cycle = cycle
        self.index = next((i for i, p in enumerate(PAGES) if p.number == first_page), 0)
        self.paused = False
        self.day: date | None = None
        self._cycle_timer: Timer | None = None

    @property
    def page(self) -> KioskPage:
        return PAGES[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="standup-title")
        with ContentSwitcher(initial=self.page.widget_id):
            for page in PAGES:
                widget = page.make()
                widget.id = page.widget_id
                yield widget
        yield Static(self.hint_line(), id="standup-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._cycle_timer = self.set_interval(self.cycle, self._tick)
        self.set_interval(30, self._check_day)
        self.update_title()

    def hint_line(self) -> Text:
        keys = "-".join(str(n) for n in (page_numbers()[0], page_numbers()[-1]))
        return Text(
            f"space pause · ←/→ page · {keys} jump · ? help · ctrl+q twice quits",
            no_wrap=True,
            overflow="ellipsis",
        )

    # -- data ---------------------------------------------------------------------------------

    def fetch(self) -> KioskData:
        ctx = self.itpm.ctx
        today = ctx.today()
        return KioskData(today, {page.slug: page.read(ctx, today) for page in PAGES})

    def show(self, data: KioskData) -> None:
        self.day = data.today
        for page in PAGES:
            widget = self.query_one(f"#{page.widget_id}")
            if isinstance(widget, Page | BurndownPage):
                widget.show(data.pages[page.slug])
        self.update_title()

    def _check_day(self) -> None:
        """At midnight "due today" becomes "overdue": read again when the day changed,
        even though nobody wrote to the database."""
        if self.day is not None and not self.is_stale and self.itpm.ctx.today() != self.day:
            self.reload()

    # -- cycling ------------------------------------------------------------------------------

    def _tick(self) -> None:
        self._check_day()
        if self.paused:
            return
        burn = self.query_one(BurndownPage)
        if self.page.slug == "burndown" and burn.advance():
            self.update_title()
            return
        self.go_to(self.index + 1, restart=False)

    def go_to(self, index: int, *, restart: bool = True) -> None:
        """Show page `index` (wrapping round); a key restarts the page's full time."""
        self.index = index % len(PAGES)
        self.query_one(ContentSwitcher).current = self.page.widget_id
        if restart and self._cycle_timer is not None:
            self._cycle_timer.reset()
        self.update_title()

    def action_step(self, delta: int) -> None:
        self.go_to(self.index + delta)

    def action_jump(self, number: int) -> None:
        for i, page in enumerate(PAGES):
            if page.number == number:
                self.go_to(i)

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
        title.append(f"{page.number} {page.title}")
        sub = self.query_one(BurndownPage).position if page.slug == "burndown" else ""
        if sub:
            title.append(f" ({sub})")
        title.append(f"  ·  {self.index + 1}/{len(PAGES)}")
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
    ) -> None:
        self.cycle = cycle
        self.first_page = first_page
        self._quit_asked = 0.0
        super().__init__(ctx, settings, where=where)

    def get_default_screen(self) -> StandupScreen:
        return StandupScreen(self.cycle, self.first_page)

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
