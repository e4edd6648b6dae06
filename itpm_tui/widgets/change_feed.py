"""The "What changed" feed drawn line by line: a heading per project, then its changes, each
with its symbol and word (so the kind reads without colour), the sentence and who did it.

Only the lines on screen are rendered (`LineView`), so a quarter of a busy portfolio's
activity scrolls like a week of one project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from itpm_tui.domain.changes import Feed, Kind, Line, ProjectChanges
from itpm_tui.widgets.formatting import literal, tone
from itpm_tui.widgets.ledger_table import fit
from itpm_tui.widgets.line_view import LineView, cursor_bindings

#: The colour that repeats a kind's symbol and word (NO_COLOR keeps only the weight).
KIND_STYLE = {
    Kind.FINISHED: "bold green",
    Kind.MILESTONE: "bold green",
    Kind.MISSED: "bold red",
    Kind.BLOCKED: "bold red",
    Kind.SLIPPED: "bold red",
    Kind.UNBLOCKED: "green",
    Kind.EARLIER: "green",
    Kind.STARTED: "cyan",
    Kind.RISK: "bold yellow",
    Kind.CHANGE: "magenta",
}
WORD_WIDTH = max(len(k.word) for k in Kind)


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A project's heading (`line` None), or one of its changes; a gap when both are None."""

    group: ProjectChanges | None
    line: Line | None = None


def feed_rows(feed: Feed) -> list[FeedRow]:
    rows: list[FeedRow] = []
    for group in feed.projects:
        if rows:
            rows.append(FeedRow(None))
        rows.append(FeedRow(group))
        rows.extend(FeedRow(group, line) for line in group.lines)
    return rows


def _plain(text: str) -> str:
    return literal(text).plain


class ChangeFeed(LineView):
    """The feed's lines; up/down, pageup/pagedown, home/end move through it."""

    HEADER_LINES = 0
    COMPONENT_CLASSES: ClassVar[set[str]] = {"feed--cursor", "feed--heading", "feed--muted"}
    DEFAULT_CSS = """
    ChangeFeed {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .feed--heading { background: $panel; text-style: bold; }
        & > .feed--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .feed--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .feed--muted { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings("changes", "change")

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.rows: list[FeedRow] = []

    def show(self, feed: Feed) -> None:
        self.rows = feed_rows(feed)
        self.cursor = min(self.cursor, max(0, len(self.rows) - 1))
        self.virtual_size = Size(0, len(self.rows))
        self.clear_lines()
        self.announce_cursor()

    @property
    def line_count(self) -> int:
        return len(self.rows)

    def render_header(self, y: int, width: int) -> Strip:
        return Strip.blank(width, self.rich_style)

    class Selected(Message):
        """The cursor is on `row` now (None: the feed is empty)."""

        def __init__(self, row: FeedRow | None) -> None:
            super().__init__()
            self.row = row

    @property
    def selected(self) -> FeedRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def announce_cursor(self) -> None:
        self.post_message(self.Selected(self.selected))

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"feed--{name}")

    def render_row(self, index: int, width: int) -> Strip:
        row = self.rows[index]
        selected = index == self.cursor and self.has_focus
        key = ("row", index, selected, row)
        return self.cached_line(key, lambda: self._draw_row(row, selected, width))

    def _draw_row(self, row: FeedRow, selected: bool, width: int) -> Strip:
        base = self.rich_style + (self._style("cursor") if selected else Style())
        if row.group is None:
            return Strip.blank(width, base)
        group = row.group
        if row.line is None:
            head = base + self._style("heading")
            count = len(group.lines)
            tail = f"  {count} change{'' if count == 1 else 's'}"
            title = (
                f"{_plain(group.code)}  {_plain(group.name)}" if group.code else _plain(group.name)
            )
            text = " " + fit(title, max(1, width - 1 - len(tail))) + tail
            return Strip([Segment(fit(text, width), head)])
        line = row.line
        kind_style = base + Style.parse(tone(KIND_STYLE.get(line.kind, "")) or "none")
        prefix = f"  {line.kind.symbol} {line.kind.word:<{WORD_WIDTH}} "
        who = f" — {', '.join(_plain(w) for w in line.who)}" if line.who else ""
        room = max(1, width - len(prefix) - len(who))
        body = _plain(line.text)
        if len(body) > room:
            body = fit(body, room)
            room_who = max(0, width - len(prefix) - len(body))
            who = fit(who, room_who) if who else ""
        segments = [
            Segment(prefix, kind_style),
            Segment(body, base),
            Segment(who, base + self._style("muted")),
        ]
        return Strip(segments).adjust_cell_length(width, base)
