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

from rich.align import Align
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Span, Text
from textual.containers import Grid
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from itpm_tui.domain.money import format_compact
from itpm_tui.widgets.big_number import ROWS, best_scale, big_number
from itpm_tui.widgets.burndown_chart import BurndownChart
from itpm_tui.widgets.formatting import HEALTH_LOOK, format_date, health_text, literal, tone
from itpm_tui.widgets.risk_table import score_text

if TYPE_CHECKING:
    from itpm_tui.domain.burndown import Burndown
    from itpm_tui.domain.changes import Feed
    from itpm_tui.queries.portfolio import PortfolioRow
    from itpm_tui.queries.risks import RiskRow
    from itpm_tui.queries.standup import MilestoneDue, RecentContact, UpdateDue

#: A tile needs this room to hold its lines and the big percent; below it, a compact list.
TILE_MIN_WIDTH = 34
TILE_MIN_HEIGHT = 12
#: From this height the lists leave a blank line between rows, so they read from afar.
ROOMY_HEIGHT = 40
DAY = "%a %d %b"
#: Two blocks on a tall page may spread their rows a little wider than one table.
MAX_SHARED_LEADING = 3


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

    def table(self, height: int, rows: int = 0, *, leading: int | None = None) -> Table:
        """A full-width table; on a tall screen its `rows` spread down the page with blank
        lines between them (up to two), so they read from afar."""
        if leading is None:
            leading = 0
            if self.roomy(height) and rows:
                leading = max(0, min(2, (height - 2) // rows - 1))
        return Table(
            expand=True,
            box=None,
            show_edge=False,
            header_style="bold underline",
            padding=(0, 1),
            pad_edge=False,
            leading=leading,
        )


def add_row(table: Table, *cells: Any) -> None:
    """A row, then the table's `leading` blank rows (Rich draws no leading without a box)."""
    table.add_row(*cells)
    for _ in range(table.leading):
        table.add_row()


def _nothing(text: str) -> Text:
    return Text(text, style="bold", justify="center")


def heading(text: str) -> Text:
    return Text(text, style="bold underline")


def shared_leading(height: int, rows: int, fixed: int) -> int:
    """Blank lines between rows (up to two) when `rows` rows of two tables and `fixed`
    lines of headings share a tall page, so both blocks keep one spacing."""
    if height < ROOMY_HEIGHT or rows <= 0:
        return 0
    return max(0, min(MAX_SHARED_LEADING, (height - fixed) // rows - 1))


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
        tile_w, tile_h = (width - 2) // cols, height // rows
        grid = Table.grid(expand=True)
        for _ in range(cols):
            grid.add_column(ratio=1)
        tiles = [self._tile(row, tile_w, tile_h) for row in data]
        for start in range(0, len(tiles), cols):
            cells = tiles[start : start + cols]
            grid.add_row(*cells, *([""] * (cols - len(cells))))
        return grid

    def _tile(self, row: PortfolioRow, width: int, height: int) -> Panel:
        look = HEALTH_LOOK.get(row.health) if row.health else None
        border = tone(look[2]) if look else "dim"
        name = literal(row.name)
        name.stylize("bold")
        state = health_text(row.health, with_reason=False)
        state.stylize("bold")
        if row.health_reason:
            state.append(f"  {row.health_reason}", style="bold")
        figures = Text.assemble(
            slip_words(row.slip_days), "  ·  ", budget_words(row.variance, row.currency)
        )
        details = [figures, *self._tile_notes(row)]
        inner_w, inner_h = width - 4, height - 2
        fixed = 4 + len(details)  # name, state and a blank line around the percent
        percent = f"{row.percent_complete}%"
        room = inner_h - fixed - 1  # the caption under the number
        scale = best_scale(percent, inner_w, room)
        if scale:
            tall = min(scale + 1, room // ROWS)  # a little taller when the tile allows
            number: RenderableType = Group(
                big_number(percent, scale, style="bold", tall=tall),
                Text("of the work done", style="dim"),
            )
        else:
            number = Text(f"{percent} done", style="bold")
        body = Group(name, state, Text(""), number, Text(""), *details)
        title = Text(f" {row.code} ", style="bold")
        middle = Align(body, vertical="middle", height=inner_h)
        return Panel(middle, title=title, title_align="left", border_style=border, height=height)

    @staticmethod
    def _tile_notes(row: PortfolioRow) -> list[Text]:
        """What else a PM says about the project at the stand-up, one line each."""
        notes = []
        if row.next_milestone:
            line = Text("next: ")
            if row.next_milestone_overdue:
                line.append("! late ", style=tone("bold red"))
            line.append_text(literal(row.next_milestone))
            line.append(f" · {_day(row.next_milestone_date)}")
            notes.append(line)
        late = []
        if row.late_tasks:
            late.append(f"{row.late_tasks} task{'s' * (row.late_tasks != 1)} late")
        if row.late_milestones:
            late.append(f"{row.late_milestones} milestone{'s' * (row.late_milestones != 1)} late")
        if row.open_critical_risks or row.open_high_risks:
            late.append(f"risks: {row.open_critical_risks} critical, {row.open_high_risks} high")
        if row.pending_changes:
            late.append(f"{row.pending_changes} change{'s' * (row.pending_changes != 1)} pending")
        if late:
            notes.append(Text(" · ".join(late)))
        for note in notes:
            note.no_wrap = True
            note.overflow = "ellipsis"
        return notes

    def _list(self, data: Sequence[PortfolioRow], height: int) -> Table:
        table = self.table(height, len(data))
        table.add_column("Code", no_wrap=True, style="bold")
        table.add_column("Health", no_wrap=True)
        table.add_column("Done", justify="right", no_wrap=True)
        table.add_column("Slip", justify="right", no_wrap=True)
        table.add_column("Budget", justify="right", no_wrap=True)
        table.add_column("Project · why", ratio=1, no_wrap=True, overflow="ellipsis")
        two_lines = height >= 2 * len(data) + 1  # the reason under the name when it fits
        for row in data:
            what = literal(row.name)
            what.stylize("bold")
            if row.health_reason and not two_lines:
                what.append(f" · {row.health_reason}")
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
            add_row(
                table,
                literal(row.code),
                health_text(row.health, with_reason=False),
                f"{row.percent_complete}%",
                slip,
                money,
                what,
            )
            if two_lines and row.health_reason:
                table.add_row("", "", "", "", "", Text(f"why: {row.health_reason}"))
        return table


# -- 2. Milestones ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneWindow:
    today: date
    until: date
    milestones: Sequence[MilestoneDue]
    #: the milestones of the weeks after next (to `later_until`), for a tall screen
    later: Sequence[MilestoneDue] = ()
    later_until: date | None = None


class MilestonesPage(Page):
    """2 · Milestones this week and next, late ones first and marked "! late"; on a tall
    screen, below them, the milestones of the weeks after, so the room looks ahead."""

    def draw(self, data: MilestoneWindow, width: int, height: int) -> RenderableType:
        later = list(data.later) if self.roomy(height) and data.later_until else []
        if not data.milestones and not later:
            return _nothing(f"No milestone due this week or next (to {_day(data.until)}).")
        if not later:
            return self._table(
                data, data.milestones, width, self.table(height, len(data.milestones))
            )
        # this week and next first; the later ones take what room is left
        fixed = 4  # the later block's blank line, heading and header, and the first header
        room = (height - fixed) // 2 - len(data.milestones)  # two lines a row
        later = later[: max(0, room)]
        rows = len(data.milestones) + len(later)
        leading = shared_leading(height, rows, fixed + rows)  # each row's second line
        parts: list[RenderableType] = []
        if data.milestones:
            parts.append(
                self._table(data, data.milestones, width, self.table(height, leading=leading))
            )
        else:
            parts.append(
                Text(f"No milestone due this week or next (to {_day(data.until)}).", style="bold")
            )
        if later:
            assert data.later_until is not None
            parts += [
                Text(""),
                heading(f"Later: to {_day(data.later_until)}"),
                self._table(data, later, width, self.table(height, leading=leading)),
            ]
        return Group(*parts)

    @staticmethod
    def _table(
        data: MilestoneWindow, milestones: Sequence[MilestoneDue], width: int, table: Table
    ) -> Table:
        table.add_column("When", no_wrap=True, min_width=17 if width >= 100 else None)
        table.add_column("Milestone", ratio=3, no_wrap=True, overflow="ellipsis", style="bold")
        wide = width >= 100  # the project's name beside its code
        table.add_column("Project", ratio=2 if wide else None, no_wrap=True, overflow="ellipsis")
        table.add_column("Owner", ratio=1, no_wrap=True, overflow="ellipsis")
        two_lines = table.leading > 0  # a tall page: the countdown and project name below
        for m in milestones:
            if m.late:
                when = Text(f"! late {m.days_late}d", style=tone("bold red"))
                when.append(f" {m.finish:%d %b}" if width >= 100 else "")
            elif m.finish == data.today:
                when = Text("today", style="bold")
            else:
                when = Text(_day(m.finish))
                if two_lines:
                    days = (m.finish - data.today).days
                    when.append(f"\nin {days} day{'s' * (days != 1)}", style="dim")
            project = literal(m.project_code)
            project.stylize("bold")
            if wide:
                project.append("\n" if two_lines else " ")
                project.append_text(literal(m.project_name))
            add_row(table, when, literal(m.name), project, literal(m.owner or "—"))
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
        issue_lines = max(1, len(data.issues)) + 2
        room = max(3, height - issue_lines - 3)
        shown = min(room, len(data.risks))
        rows = shown + len(data.issues)
        # few rows on a tall page: each risk tells its mitigation on a second line
        detail = self.roomy(height) and rows > 0 and 3 * rows <= height - 8
        leading = None
        if detail:
            leading = max(0, min(2, (height - 10) // rows - 2))
        risks = self.table(height - 8, rows, leading=leading)
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
        for r in data.risks[:shown]:
            review = Text(f"{r.review_date:%d %b}" if r.review_date else "—")
            if r.overdue:
                review = Text(f"! {review.plain} overdue", style=tone("bold red"))
            what = literal(r.title)
            if detail:
                what.append("\n")
                what.append_text(literal(f"↳ mitigation: {r.mitigation or '—'}"))
                what.spans.append(Span(len(r.title) + 1, len(what), "dim"))
            cells: list[Any] = [
                score_text(r.score, r.band),
                literal(r.project_code),
                what,
                literal(r.owner or "—"),
            ]
            if width >= 100:
                cells.append(literal(r.response or r.mitigation or "—"))
            add_row(risks, *cells, review)
        issues = self.table(height - 8, rows, leading=leading)
        issues.title = "Issues (risks that occurred)"
        issues.title_style = "bold"
        issues.title_justify = "left"
        issues.add_column("", no_wrap=True)
        issues.add_column("Project", no_wrap=True, style="bold")
        issues.add_column("Issue", ratio=2, no_wrap=True, overflow="ellipsis")
        issues.add_column("Owner", ratio=1, no_wrap=True, overflow="ellipsis")
        issues.add_column("Contingency", ratio=3, no_wrap=True, overflow="ellipsis")
        for r in data.issues:
            add_row(
                issues,
                Text("⚠", style=tone("bold red")),
                literal(r.project_code),
                literal(r.title),
                literal(r.owner or "—"),
                literal(r.contingency or "no contingency written"),
            )
        parts: list[RenderableType] = [
            risks if data.risks else Text("Top risks: no open risk.", style="bold"),
            Text(""),
            issues if data.issues else Text("Issues: none, no risk has occurred.", style="bold"),
        ]
        return Group(*parts)


# -- 6. Updates due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdatesWindow:
    today: date
    until: date
    updates: Sequence[UpdateDue]
    #: the updates given lately (newest first), for a tall screen
    contacted: Sequence[RecentContact] = ()


class UpdatesPage(Page):
    """6 · Stakeholders owed an update by the end of this week, most overdue first; on a
    tall screen, below them, the updates given lately (who was told what, and how)."""

    def draw(self, data: UpdatesWindow, width: int, height: int) -> RenderableType:
        contacted = list(data.contacted) if self.roomy(height) else []
        if not data.updates and not contacted:
            return _nothing(f"No stakeholder update due this week (to {_day(data.until)}).")
        if not contacted:
            return self._due(data, width, self.table(height, len(data.updates)))
        fixed = 4
        room = height - fixed - max(1, len(data.updates))
        contacted = contacted[: max(0, room)]
        leading = shared_leading(height, len(data.updates) + len(contacted), fixed)
        # the room the updates given leave goes to those due, the list the room acts on
        given_lines = len(contacted) * (1 + leading)
        due_leading = shared_leading(height, len(data.updates), fixed + given_lines)
        parts: list[RenderableType] = [
            self._due(data, width, self.table(height, leading=max(leading, due_leading)))
            if data.updates
            else Text(f"No stakeholder update due this week (to {_day(data.until)}).", style="bold")
        ]
        if contacted:
            parts += [
                Text(""),
                heading("Updates given lately"),
                self._given(contacted, width, self.table(height, leading=leading)),
            ]
        return Group(*parts)

    @staticmethod
    def _due(data: UpdatesWindow, width: int, table: Table) -> Table:
        table.add_column("Due", no_wrap=True, min_width=22 if width >= 100 else None)
        table.add_column("Stakeholder", ratio=2, no_wrap=True, overflow="ellipsis", style="bold")
        if width >= 100:
            table.add_column("Organisation", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("Projects", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Channel", no_wrap=True, min_width=8)
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
            add_row(table, *cells)
        return table

    @staticmethod
    def _given(contacted: Sequence[RecentContact], width: int, table: Table) -> Table:
        table.add_column("Given", no_wrap=True, min_width=22 if width >= 100 else None)
        table.add_column("Stakeholder", ratio=2, no_wrap=True, overflow="ellipsis", style="bold")
        table.add_column("What they were told", ratio=4, no_wrap=True, overflow="ellipsis")
        table.add_column("Project", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Channel", no_wrap=True, min_width=8)
        for c in contacted:
            add_row(
                table,
                Text(_day(c.logged_on)),
                literal(c.name),
                literal(c.summary or "—"),
                literal(c.project_code or "—"),
                literal(c.channel or "—"),
            )
        return table


# -- 5. What changed --------------------------------------------------------------------------


class ChangesPage(Page):
    """5 · What changed since the last stand-up, condensed: a heading per project and its
    lines, each project cut to its share of the page with "+N more" (the What changed
    screen, key 8 in the dashboard, has them all); one roomy column when everything fits,
    else two columns on a wide screen."""

    def draw(self, data: Feed, width: int, height: int) -> RenderableType:
        since = _day(data.since)
        if not data.projects:
            return _nothing(f"Nothing changed since {since}.")
        title = Text(f"Since {since}", style="dim")
        if data.last_standup is not None:
            title.append(" (the last stand-up)", style="dim")
        whole = sum(1 + len(p.lines) for p in data.projects)  # every heading and line
        gaps = len(data.projects) - 1
        if whole + gaps + 1 <= height:  # it all fits in one column: wide lines, a gap each
            spaced: list[RenderableType] = [title]
            for p in data.projects:
                spaced += [Text(""), self._project(p, len(p.lines))]
            return Group(*spaced)
        columns = 2 if width >= 160 and len(data.projects) > 1 else 1
        per_column = -(-len(data.projects) // columns)
        room = max(1, height - 2)  # the "since" line and a margin
        share = max(1, room // per_column - 1)  # each project's lines under its heading
        halves = [data.projects[:per_column], data.projects[per_column:]]
        tallest = max(sum(2 * (1 + len(p.lines)) for p in half) for half in halves)
        spread = columns == 2 and tallest <= room  # a blank line after each: read from afar
        blocks = [self._project(p, share, spread=spread) for p in data.projects]
        if columns == 1:
            return Group(title, *blocks)
        grid = Table.grid(expand=True, padding=(0, 2))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row(Group(*blocks[:per_column]), Group(*blocks[per_column:]))
        return Group(title, grid)

    @staticmethod
    def _project(project: Any, share: int, *, spread: bool = False) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")  # one screen line per change
        step = "\n\n" if spread else "\n"
        head = literal(f"{project.code} {project.name}" if project.code else "All projects")
        head.stylize("bold underline")
        out.append_text(head)
        lines = project.lines
        shown = lines if len(lines) <= share else lines[: max(1, share - 1)]
        for line in shown:
            out.append(step)
            out.append_text(literal(line.plain()))
        if spread:
            out.append("\n")
        if len(shown) < len(lines):
            out.append(f"\n+{len(lines) - len(shown)} more", style="dim")
        return out


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
        self._ready = False

    def compose(self) -> Any:
        yield BurndownChart()

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_draw)  # once the chart has composed its parts

    def _first_draw(self) -> None:
        self._ready = True
        self.update(self.burn)

    def update(self, burn: ProjectBurn) -> None:
        """Draw `burn`; before the chart is mounted it is kept for `on_mount` to draw."""
        self.burn = burn
        self.border_title = f"{burn.code} · {burn.name}"
        if self._ready:
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
        self.call_after_refresh(self.place_charts)

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

    class Arranged(Message):
        """The charts were laid out again (the kiosk's title shows which one is up)."""

    def place_charts(self) -> None:
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
        self.post_message(self.Arranged())

    def on_resize(self) -> None:
        self.place_charts()

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
            self.place_charts()
            return False
        self.current += 1
        self.place_charts()
        return True
