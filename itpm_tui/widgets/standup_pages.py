"""The pages of the stand-up kiosk: large, plain renderings of what the queries read, sized
to the screen they are on (tiles and roomy rows on a wall screen, a compact list at 80×24).

Each page is one widget that keeps its data and draws it again at every size, so nothing is
fetched twice to fit a new window. State is told by symbol and word ("✖ RED", "! late"),
colour only repeats it, and every piece of user text goes through `literal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Static

from itpm_tui.domain.money import format_compact
from itpm_tui.widgets.burndown_chart import BurndownChart
from itpm_tui.widgets.formatting import HEALTH_LOOK, format_date, health_text, literal, tone
from itpm_tui.widgets.risk_table import score_text

if TYPE_CHECKING:
    from itpm_tui.domain.burndown import Burndown
    from itpm_tui.queries.portfolio import PortfolioRow
    from itpm_tui.queries.risks import RiskRow
    from itpm_tui.queries.standup import MilestoneDue, UpdateDue

#: A tile needs this room to hold its lines and the big percent; below it, a compact list.
TILE_MIN_WIDTH = 34
TILE_MIN_HEIGHT = 12
#: From this height the lists leave a blank line between rows, so they read from afar.
ROOMY_HEIGHT = 40
DAY = "%a %d %b"


def _day(value: date | None) -> str:
    return format_date(value, DAY)


class Page(Static):
    """A page drawn from its data at its current size; `show` gives it new data."""

    DEFAULT_CSS = """
    Page {
        height: 1fr;
        width: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: Any = None

    def show(self, data: Any) -> None:
        self.data = data
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if self.data is None:
            return Text("Loading…", style="dim")
        return self.draw(self.data, self.size.width, self.size.height)

    def draw(self, data: Any, width: int, height: int) -> RenderableType:
        raise NotImplementedError

    @staticmethod
    def roomy(height: int) -> bool:
        return height >= ROOMY_HEIGHT

    def table(self, height: int) -> Table:
        """A full-width table; with room, a blank line between rows and larger headers."""
        table = Table(
            expand=True,
            box=None,
            show_edge=False,
            header_style="bold underline",
            padding=(1 if self.roomy(height) else 0, 1),
            pad_edge=False,
        )
        return table


def _nothing(text: str) -> Text:
    return Text(text, style="bold", justify="center")


# -- 1. Portfolio health ----------------------------------------------------------------------


def tile_columns(count: int, width: int, height: int) -> int:
    """How many tile columns fit `count` tiles best in `width`×`height`, 0 when the tiles
    would not fit (the compact list then)."""
    best, best_score = 0, -1.0
    for cols in range(1, count + 1):
        rows = -(-count // cols)
        tile_w, tile_h = width // cols, height // rows
        if tile_w < TILE_MIN_WIDTH or tile_h < TILE_MIN_HEIGHT:
            continue
        score = min(tile_w / 3, tile_h)  # a tile about three times wider than high
        if score > best_score:
            best, best_score = cols, score
    return best


def slip_words(days: int | None) -> Text:
    if days is None:
        return Text("slip —", style="dim")
    if days > 0:
        return Text(f"+{days} wd late", style=tone("bold red" if days >= 10 else "bold yellow"))
    if days < 0:
        return Text(f"{-days} wd early")
    return Text("on baseline")


def budget_words(variance: Any, currency: str) -> Text:
    if variance < 0:
        return Text(f"{format_compact(-variance, currency)} over", style=tone("bold red"))
    return Text(f"{format_compact(variance, currency)} left")


class HealthPage(Page):
    """1 · One tile per active project: RAG and why, percent done, slip and budget."""

    def draw(self, data: Sequence[PortfolioRow], width: int, height: int) -> RenderableType:
        if not data:
            return _nothing("No active project.")
        cols = tile_columns(len(data), width - 2, height)
        if not cols:
            return self._list(data, height)
        rows = -(-len(data) // cols)
        tile_h = height // rows
        grid = Table.grid(expand=True)
        for _ in range(cols):
            grid.add_column(ratio=1)
        tiles = [self._tile(row, tile_h) for row in data]
        for start in range(0, len(tiles), cols):
            cells = tiles[start : start + cols]
            grid.add_row(*cells, *([""] * (cols - len(cells))))
        return grid

    def _tile(self, row: PortfolioRow, height: int) -> Panel:
        from textual.renderables.digits import Digits

        look = HEALTH_LOOK.get(row.health) if row.health else None
        border = tone(look[2]) if look else "dim"
        head = Text()
        head.append_text(literal(row.name))
        head.stylize("bold")
        percent = Table.grid(padding=(0, 1))
        percent.add_column()
        percent.add_column(vertical="bottom")
        percent.add_row(Digits(str(row.percent_complete)), Text("% done", style="bold"))
        reason = Text(row.health_reason or "", style="bold")
        state = health_text(row.health, with_reason=False)
        state.stylize("bold")
        figures = Text.assemble(
            slip_words(row.slip_days), "  ·  ", budget_words(row.variance, row.currency)
        )
        body = Group(head, Text(""), state, reason, Text(""), percent, Text(""), figures)
        title = Text(f" {row.code} ", style="bold")
        return Panel(body, title=title, title_align="left", border_style=border, height=height)

    def _list(self, data: Sequence[PortfolioRow], height: int) -> Table:
        table = self.table(height)
        table.add_column("Code", no_wrap=True, style="bold")
        table.add_column("Health", no_wrap=True)
        table.add_column("Done", justify="right", no_wrap=True)
        table.add_column("Slip", justify="right", no_wrap=True)
        table.add_column("Budget", justify="right", no_wrap=True)
        table.add_column("Project · why", ratio=1, no_wrap=True, overflow="ellipsis")
        for row in data:
            what = literal(row.name)
            if row.health_reason:
                what.append(f" · {row.health_reason}", style="dim" if row.health else "")
            slip = (
                Text("—", style="dim")
                if row.slip_days is None
                else Text(f"{row.slip_days:+d}d" if row.slip_days else "0d")
            )
            variance = row.variance
            money = Text(
                ("-" if variance < 0 else "") + format_compact(abs(variance)),
                style=tone("bold red") if variance < 0 else "",
            )
            table.add_row(
                literal(row.code),
                health_text(row.health, with_reason=False),
                f"{row.percent_complete}%",
                slip,
                money,
                what,
            )
        return table


# -- 2. Milestones ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneWindow:
    today: date
    until: date
    milestones: Sequence[MilestoneDue]


class MilestonesPage(Page):
    """2 · Milestones this week and next, late ones first and marked "! late"."""

    def draw(self, data: MilestoneWindow, width: int, height: int) -> RenderableType:
        if not data.milestones:
            return _nothing(f"No milestone due this week or next (to {_day(data.until)}).")
        table = self.table(height)
        table.add_column("When", no_wrap=True)
        table.add_column("Milestone", ratio=3, no_wrap=True, overflow="ellipsis", style="bold")
        table.add_column("Project", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("Owner", ratio=1, no_wrap=True, overflow="ellipsis")
        for m in data.milestones:
            if m.late:
                when = Text(f"! late {m.days_late}d", style=tone("bold red"))
                when.append(f" {m.finish:%d %b}" if width >= 100 else "")
            elif m.finish == data.today:
                when = Text("today", style="bold")
            else:
                when = Text(_day(m.finish))
            project = literal(m.project_code)
            project.stylize("bold")
            if width >= 100:
                project.append(" ")
                project.append_text(literal(m.project_name))
            table.add_row(when, literal(m.name), project, literal(m.owner or "—"))
        return table


# -- 4. Risks and issues ----------------------------------------------------------------------


@dataclass(frozen=True)
class RiskBoard:
    today: date
    risks: Sequence[RiskRow]
    issues: Sequence[RiskRow]


class RisksPage(Page):
    """4 · The top risks across the portfolio, then the issues with their contingency."""

    def draw(self, data: RiskBoard, width: int, height: int) -> RenderableType:
        roomy = self.roomy(height)
        step = 2 if roomy else 1
        issue_rows = len(data.issues) * step + 2 if data.issues else 2
        room = max(3, (height - issue_rows - 3) // step)
        risks = self.table(height)
        risks.title = "Top risks"
        risks.title_style = "bold"
        risks.title_justify = "left"
        risks.add_column("Score", no_wrap=True)
        risks.add_column("Project", no_wrap=True, style="bold")
        risks.add_column("Risk", ratio=3, no_wrap=True, overflow="ellipsis")
        risks.add_column("Owner", ratio=1, no_wrap=True, overflow="ellipsis")
        if width >= 100:
            risks.add_column("Response", ratio=2, no_wrap=True, overflow="ellipsis")
        risks.add_column("Review", no_wrap=True)
        for r in data.risks[:room]:
            review = Text(f"{r.review_date:%d %b}" if r.review_date else "—")
            if r.overdue:
                review = Text(f"! {review.plain} overdue", style=tone("bold red"))
            cells: list[Any] = [
                score_text(r.score, r.band),
                literal(r.project_code),
                literal(r.title),
                literal(r.owner or "—"),
            ]
            if width >= 100:
                cells.append(literal(r.response or r.mitigation or "—"))
            risks.add_row(*cells, review)
        if not data.risks:
            risks.add_row("", "", Text("No open risk.", style="dim"), "", *([""] * (width >= 100)), "")
        issues = self.table(height)
        issues.title = "Issues (risks that occurred)"
        issues.title_style = "bold"
        issues.title_justify = "left"
        issues.add_column("", no_wrap=True)
        issues.add_column("Project", no_wrap=True, style="bold")
        issues.add_column("Issue", ratio=2, no_wrap=True, overflow="ellipsis")
        issues.add_column("Owner", ratio=1, no_wrap=True, overflow="ellipsis")
        issues.add_column("Contingency", ratio=3, no_wrap=True, overflow="ellipsis")
        for r in data.issues:
            issues.add_row(
                Text("⚠", style=tone("bold red")),
                literal(r.project_code),
                literal(r.title),
                literal(r.owner or "—"),
                literal(r.contingency or "no contingency written"),
            )
        if not data.issues:
            issues.add_row("", "", Text("No issue: no risk has occurred.", style="dim"), "", "")
        return Group(risks, Text(""), issues)


# -- 6. Updates due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdatesWindow:
    today: date
    until: date
    updates: Sequence[UpdateDue]


class UpdatesPage(Page):
    """6 · Stakeholders owed an update by the end of this week, most overdue first."""

    def draw(self, data: UpdatesWindow, width: int, height: int) -> RenderableType:
        if not data.updates:
            return _nothing(f"No stakeholder update due this week (to {_day(data.until)}).")
        table = self.table(height)
        table.add_column("Due", no_wrap=True)
        table.add_column("Stakeholder", ratio=2, no_wrap=True, overflow="ellipsis", style="bold")
        if width >= 100:
            table.add_column("Organisation", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("Projects", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Channel", no_wrap=True)
        for u in data.updates:
            words = u.due.words()
            if u.due.needs_update:
                due = Text(f"! {words}", style=tone("bold red" if u.due.days else "bold yellow"))
            else:
                due = Text(f"{_day(u.next_due)} ({words})")
            cells: list[Any] = [due, literal(u.name)]
            if width >= 100:
                cells.append(literal(u.organisation or "—"))
            cells += [literal(u.projects or "—"), literal(u.channel or "—")]
            table.add_row(*cells)
        return table


# -- 3. Burn-downs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectBurn:
    code: str
    name: str
    burndown: Burndown


class BurndownTile(Widget):
    """One project's burn-down under its name."""

    DEFAULT_CSS = """
    BurndownTile {
        height: 1fr;
        width: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    BurndownTile > BurndownChart {
        height: 1fr;
    }
    """

    def __init__(self, burn: ProjectBurn) -> None:
        super().__init__()
        self.burn = burn
        self.border_title = f"{burn.code} · {burn.name}"

    def compose(self) -> Any:
        yield BurndownChart()

    def on_mount(self) -> None:
        self.query_one(BurndownChart).show(self.burn.burndown)

    def update(self, burn: ProjectBurn) -> None:
        self.burn = burn
        self.border_title = f"{burn.code} · {burn.name}"
        self.query_one(BurndownChart).show(burn.burndown)


#: Each burn-down chart needs this room to be read; below it, one at a time.
CHART_MIN_WIDTH = 60
CHART_MIN_HEIGHT = 14


class BurndownPage(Grid):
    """3 · A grid of the active projects' burn-downs; on a small screen one at a time,
    `advance` stepping through them before the kiosk moves to the next page."""

    DEFAULT_CSS = """
    BurndownPage {
        height: 1fr;
        width: 1fr;
        grid-gutter: 0 1;
    }
    BurndownPage > .nothing {
        height: 1fr;
        content-align: center middle;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.burns: list[ProjectBurn] = []
        self.current = 0
        self.data: Any = None

    def show(self, burns: Sequence[ProjectBurn]) -> None:
        burns = list(burns)
        same = [b.code for b in burns] == [b.code for b in self.burns] and self.data is not None
        self.burns, self.data = burns, burns
        if same:
            for tile, burn in zip(self.query(BurndownTile), burns, strict=False):
                tile.update(burn)
        else:
            self.remove_children()
            if burns:
                self.mount_all(BurndownTile(burn) for burn in burns)
            else:
                self.mount(Static(Text("No active project to chart."), classes="nothing"))
            self.current = min(self.current, max(0, len(burns) - 1))
        self.call_after_refresh(self.arrange)

    @property
    def columns(self) -> int:
        """Charts a row: 0 means one at a time."""
        count = len(self.burns)
        width, height = self.size.width, self.size.height
        best, best_score = 0, -1.0
        for cols in range(1, count + 1):
            rows = -(-count // cols)
            chart_w, chart_h = width // cols, height // rows
            if chart_w < CHART_MIN_WIDTH or chart_h < CHART_MIN_HEIGHT:
                continue
            score = min(chart_w / 3, chart_h)
            if score > best_score:
                best, best_score = cols, score
        return best

    def arrange(self) -> None:
        tiles = list(self.query(BurndownTile))
        cols = self.columns if tiles else 1
        if cols:
            rows = -(-len(tiles) // cols) if tiles else 1
            self.styles.grid_size_columns = cols
            self.styles.grid_size_rows = rows
            for tile in tiles:
                tile.display = True
        else:
            self.styles.grid_size_columns = 1
            self.styles.grid_size_rows = 1
            for i, tile in enumerate(tiles):
                tile.display = i == self.current

    def on_resize(self) -> None:
        self.arrange()

    @property
    def position(self) -> str:
        """`2/5` while showing one chart at a time, else empty."""
        if self.columns or len(self.burns) < 2:
            return ""
        return f"{self.current + 1}/{len(self.burns)}"

    def advance(self) -> bool:
        """Show the next chart when one is shown at a time; False once all were shown
        (the kiosk then moves on to the next page and this one starts again)."""
        if self.columns or self.current + 1 >= len(self.burns):
            self.current = 0
            self.arrange()
            return False
        self.current += 1
        self.arrange()
        return True
