"""A Gantt chart drawn line by line (Textual's Line API), so 2,000 rows cost what 20 do.

Only the lines on screen are rendered, each cropped to the visible part of the date scale,
and cached until the data, zoom, size or scroll position changes. The work breakdown on the
left stays put while the date scale scrolls sideways under it.

Every state is told by a symbol as well as a colour, so the chart reads with NO_COLOR:
◆ milestone, ! critical, █ done, ▒ still to do, ▀ summary, ─ baseline off the current dates
(┃ where a baseline ends inside the bar), │ today (▼ on the scale), ▓ downtime on the scale,
⚠ before the name of late work (past its finish and not done).

At day zoom (three cells a day) a part-day task fills only its share of its first and last
day, drawn in eighths of a cell (`▌` the left half, `▐` the right): two 4-hour tasks in a
row are the two halves of one day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.work_hours import WorkingHours
from itpm_tui.widgets.formatting import literal
from itpm_tui.widgets.line_view import LineView, cursor_bindings

ZOOMS = ("day", "week", "month", "quarter")
#: Cells per days at each zoom: a day is 3 cells wide, ..., a week is one cell.
SCALE = {"day": (3, 1), "week": (1, 1), "month": (1, 2), "quarter": (1, 7)}
HEADER_LINES = 2
WIDE_FROM = 120
LEGEND = (
    "◆ milestone  ! critical  █ done  ▒ to do  ▀ summary  ─ baseline  │ today  ▓ downtime  ⚠ late"
    "  ✎ manual"
)
_MOVES = cursor_bindings("gantt", "row")
#: A cell filled from its left edge by 0..8 eighths.
_LEFT_EIGHTHS = " ▏▎▍▌▋▊▉█"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class GanttRow:
    """One line of the chart: a task, a summary, a milestone, or a project on the roadmap."""

    key: int
    name: str
    kind: str = "task"  # task | summary | milestone | project
    level: int = 0
    code: str = ""  # WBS code (or project code), shown in the wide layout
    flag: str = ""  # the narrow column: "!" for critical, or a project's health symbol
    flag_style: str = ""  # a Rich style for the flag
    assignee: str = ""
    percent: int = 0
    start: date | None = None
    finish: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    critical: bool = False
    markers: tuple[date, ...] = ()  # milestones drawn on a project's bar
    late: bool = False  # past its finish and not done: ⚠ before the name
    manual: bool = False  # manually scheduled (links do not move it): ✎ before the name
    #: Part-day work (`day_parts`): the share of its first working day gone before its work
    #: starts, and the share of its last working day its work fills; None: the whole day.
    start_part: float | None = None
    finish_part: float | None = None


def day_parts(
    hours: WorkingHours, start: time | None, finish: time | None
) -> tuple[float | None, float | None]:
    """`GanttRow.start_part` and `finish_part` of work from `start` on its first day to
    `finish` on its last (clock times of the schedule in minutes): work from 13:00 of a
    08:00–12:00, 13:00–17:00 day starts half way into it; None where it takes the whole
    day's edge (or has no time)."""
    per_day = hours.minutes_per_day
    first = None if start is None else hours.offset_at(start) / per_day
    last = None if finish is None else hours.offset_at(finish) / per_day
    return (first or None, None if last is None or last >= 1 else last)


@dataclass(frozen=True, slots=True)
class Span:
    """Days marked on the scale (a downtime window), first and last day included."""

    first: date
    last: date
    title: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    left: int  # cells of the fixed left part, separator included
    code: int
    name: int
    who: int
    dates: int
    pct: int = 4


def layout_for(width: int) -> Layout:
    """The left columns for a terminal width: narrow keeps name, who and percent."""
    if width >= WIDE_FROM:
        left = max(60, min(100, width * 45 // 100))
        code, who, dates = 7, 14, 13
        fixed = 2 + code + 1 + 1 + who + 1 + dates + 1 + 4 + 1
        return Layout(left, code, left - fixed, who, dates)
    left = max(30, min(46, width * 2 // 5 + 2))
    who = 7 if width < 100 else 10
    return Layout(left, 0, left - (2 + 1 + who + 1 + 4 + 1), who, 0)


def fit(text: str, width: int) -> str:
    """Exactly `width` cells of `text`, cut with … — wide (CJK, emoji) characters counted."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1) + "…", width)


def _short(day: date | None) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day:02d}" if day else "—"


class GanttChart(LineView):
    """Rows of bars on a date scale; up/down select, left/right scroll, +/- zoom."""

    HEADER_LINES = HEADER_LINES

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "gantt--header",
        "gantt--title",
        "gantt--separator",
        "gantt--muted",
        "gantt--summary-name",
        "gantt--cursor",
        "gantt--cursor-chart",
        "gantt--bar",
        "gantt--bar-done",
        "gantt--critical",
        "gantt--critical-done",
        "gantt--summary",
        "gantt--milestone",
        "gantt--baseline",
        "gantt--today",
        "gantt--offday",
        "gantt--downtime",
        "gantt--downtime-mark",
        "gantt--flag",
    }
    DEFAULT_CSS = """
    GanttChart {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        & > .gantt--header { background: $panel; color: $foreground; text-style: bold; }
        & > .gantt--title { background: $panel; color: $accent; text-style: bold; }
        & > .gantt--separator { color: $primary 60%; }
        & > .gantt--muted { color: $text-muted; }
        & > .gantt--summary-name { text-style: bold; }
        & > .gantt--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: bold;
        }
        &:focus > .gantt--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .gantt--cursor-chart { background: $primary 18%; }
        & > .gantt--bar { color: $primary; }
        & > .gantt--bar-done { color: $success; }
        & > .gantt--critical { color: $error; }
        & > .gantt--critical-done { color: $error; text-style: bold; }
        & > .gantt--summary { color: $foreground; }
        & > .gantt--milestone { color: $warning; text-style: bold; }
        & > .gantt--baseline { color: $text-muted; }
        & > .gantt--today { color: $accent; text-style: bold; }
        & > .gantt--offday { background: $foreground 5%; }
        & > .gantt--downtime { background: $warning 15%; }
        & > .gantt--downtime-mark { color: $warning; background: $panel; }
        & > .gantt--flag { color: $error; text-style: bold; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *_MOVES[:5],
        Binding(
            "enter",
            "activate",
            "Open",
            show=False,
            id="gantt.activate",
            tooltip="Edit the selected task (on the roadmap: open the project's chart)",
        ),
        _MOVES[5],
        Binding(
            "left,h",
            "pan(-1)",
            "Earlier",
            show=False,
            id="gantt.left",
            tooltip="Scroll the dates left (earlier); shift+wheel too",
        ),
        Binding(
            "right,l",
            "pan(1)",
            "Later",
            show=False,
            id="gantt.right",
            tooltip="Scroll the dates right (later); shift+wheel too",
        ),
        Binding(
            "plus,equals_sign",
            "zoom(-1)",
            "Zoom",
            key_display="+/-",
            id="gantt.zoom_in",
            tooltip="Zoom in: quarter → month → week → day",
        ),
        Binding(
            "minus",
            "zoom(1)",
            "Zoom out",
            key_display="-",
            show=False,
            id="gantt.zoom_out",
            tooltip="Zoom out: day → week → month → quarter",
        ),
        Binding("t", "today", "Today", id="gantt.today", tooltip="Scroll to today"),
    ]

    class CursorMoved(Message):
        """The selected row changed (or its data did): show its details."""

        def __init__(self, chart: GanttChart, row: GanttRow | None) -> None:
            super().__init__()
            self.chart = chart
            self.row = row

    class RowActivated(Message):
        """Enter or a double click on a row."""

        def __init__(self, chart: GanttChart, row: GanttRow) -> None:
            super().__init__()
            self.chart = chart
            self.row = row

    def __init__(self, *, today: date, name: str | None = None, id: str | None = None) -> None:
        """`today` places the empty chart until `set_rows` brings the rows and their day."""
        super().__init__(name=name, id=id)
        self.rows: list[GanttRow] = []
        self.zoom = "week"
        self.today = today
        self.title: Text = Text("")
        self.captions = ("Task", "Who")
        self.downtime: list[Span] = []
        self._calendar = WorkCalendar()
        self._origin = self.today
        self._cells = 1  # chart width in cells
        self._layout = layout_for(80)
        self._pending_fit = False
        #: The size a pending fit was done at during layout, so its Resize does not redo it.
        self._fitted_at: Size | None = None
        self._column_cache: LRUCache[tuple[int, int], list[str]] = LRUCache(64)
        self._ground: Style | None = None  # `rich_style`, asked once per drawing (`render_lines`)

    # -- data ------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[GanttRow],
        *,
        today: date,
        title: Text,
        captions: tuple[str, str] = ("Task", "Who"),
        downtime: Iterable[Span] = (),
        holidays: Iterable[date] = (),
        keep: int | None = None,
        fit_view: bool = False,
    ) -> None:
        """Show `rows`; keep the row with key `keep` selected, else the same position.

        With `fit_view` (a new project), pick the finest zoom that shows the whole span and
        scroll to today, or to the start when today is outside the plan.
        """
        old_key = keep if keep is not None else self.selected_key
        self.rows = list(rows)
        self.today = today
        self.title = title
        self.captions = captions
        self.downtime = list(downtime)
        self._calendar = WorkCalendar(holidays)
        if old_key is not None:
            self.cursor = next((i for i, r in enumerate(self.rows) if r.key == old_key), 0)
        self.cursor = max(0, min(self.cursor, len(self.rows) - 1))
        self._pending_fit = fit_view or self._pending_fit
        left_date = self.date_at(round(self.scroll_x))
        self._geometry()
        if not self._pending_fit:  # a refresh: the same day stays at the left edge
            self.scroll_to(x=max(0, self.x_of(left_date)), animate=False)
        elif self.size.width:
            self._fit_if_pending()
        self.announce_cursor()

    def _fit_if_pending(self) -> None:
        """Fitting needs the real width, which a just-mounted widget does not know yet."""
        if not self._pending_fit:
            return
        self._pending_fit = False
        self.zoom = self._fitting_zoom()
        self._geometry()
        self.scroll_to(y=0, animate=False)
        self.scroll_to(x=self._home_x(), animate=False)
        self.follow_cursor()

    def _home_x(self) -> int:
        """Today a third in from the left, but as much of the plan on screen as possible:
        all of it when it fits, never empty days before its start or after its end."""
        dates = [d for r in self.rows for d in (r.start, r.finish) if d is not None]
        wanted = self.x_of(self.today) - self.chart_width // 3
        if not dates:
            return max(0, wanted)
        lowest = self.x_of(min(dates)) - 1
        highest = max(lowest, self.x_of(max(dates)) + 2 - self.chart_width)
        if not min(dates) <= self.today <= max(dates):
            wanted = lowest
        return max(0, min(max(wanted, lowest), highest))

    @property
    def selected_row(self) -> GanttRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def selected_key(self) -> int | None:
        row = self.selected_row
        return row.key if row else None

    def select_key(self, key: int) -> None:
        for index, row in enumerate(self.rows):
            if row.key == key:
                self.move_cursor(index)
                return

    # -- geometry --------------------------------------------------------------------------

    def _dates(self) -> list[date]:
        out = [self.today]
        for row in self.rows:
            out += [
                d
                for d in (row.start, row.finish, row.baseline_start, row.baseline_finish)
                if d is not None
            ]
            out += row.markers
        for span in self.downtime:
            out += [span.first, span.last]
        return out

    def _geometry(self) -> None:
        """Origin and width of the scale, and the virtual size; clears rendered lines."""
        dates = self._dates()
        first, last = min(dates), max(dates)
        start = first - timedelta(days=7)
        if self.zoom in ("day", "week"):  # the scale's minor marks are Mondays
            self._origin = start - timedelta(days=start.weekday())
        else:  # they are months
            self._origin = date(start.year, start.month, 1)
        self._layout = layout_for(self.size.width or 80)
        # Room after the last date, and enough to bring the first date to the left edge.
        self._cells = max(
            self.x_of(last + timedelta(days=35)) + 1, self.x_of(first) + self.chart_width
        )
        self.virtual_size = Size(self._layout.left + self._cells, HEADER_LINES + len(self.rows))
        self._column_cache.clear()
        self.clear_lines()

    @property
    def chart_width(self) -> int:
        """Cells of the scale on screen."""
        return max(1, self.scrollable_size.width - self._layout.left)

    def x_of(self, day: date) -> int:
        cells, days = SCALE[self.zoom]
        return ((day - self._origin).days * cells) // days

    def date_at(self, x: int) -> date:
        cells, days = SCALE[self.zoom]
        return self._origin + timedelta(days=(x * days) // cells)

    def cells_of(self, first: date, last: date) -> tuple[int, int]:
        """The cells [a, b) covering the days first..last, at least one cell."""
        a = self.x_of(first)
        return a, max(a + 1, self.x_of(last + timedelta(days=1)))

    def _point(self, day: date) -> int:
        """The cell of an instant on `day` (the middle of a day at day zoom)."""
        return self.x_of(day) + SCALE[self.zoom][0] // 2

    def _fitting_zoom(self) -> str:
        dates = [d for r in self.rows for d in (r.start, r.finish) if d is not None]
        if not dates:
            return "week"
        days = (max(dates) - min(dates)).days + 1
        room = max(10, self.chart_width - 2)

        def need(zoom: str) -> float:
            cells, per = SCALE[zoom]
            return days * cells / per

        # The finest zoom that shows the whole plan (day zoom only on request: it rarely
        # shows enough) — one step finer, scrolled, when that would fill under half the width.
        fitting = [z for z in ZOOMS[1:] if need(z) <= room]
        if not fitting:
            return "quarter"
        at = ZOOMS.index(fitting[0])
        if need(fitting[0]) * 2 < room and at > 1:
            return ZOOMS[at - 1]
        return fitting[0]

    def _scroll_to_date(self, day: date, third: bool = False) -> None:
        offset = self.chart_width // 3 if third else self.chart_width // 2
        self.scroll_to(x=max(0, self.x_of(day) - offset), animate=False)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """A new project waiting for its fit is fitted as soon as layout gives the size, before
        the first paint: waiting for the Resize message drew the whole chart twice."""
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if changed and self._pending_fit and size.width:
            self.on_resize(events.Resize(size, virtual_size, container_size))
            self._fitted_at = size
        return changed

    def on_resize(self, event: events.Resize) -> None:
        if self._fitted_at is not None and self._fitted_at == event.size:
            self._fitted_at = None  # fitted in layout at this very size
            return
        self._fitted_at = None
        self._geometry()
        if self._pending_fit:
            self._fit_if_pending()
        else:
            self.follow_cursor()

    # -- actions ---------------------------------------------------------------------------

    @property
    def line_count(self) -> int:
        return len(self.rows)

    def announce_cursor(self) -> None:
        self.post_message(self.CursorMoved(self, self.selected_row))

    def follow_cursor(self) -> None:
        """Keep the selected row on screen, and its bar too when it is wholly off to a side."""
        row = self.selected_row
        if row is None:
            return
        super().follow_cursor()
        if row.start is None or not self.size.width:
            return
        a, b = self.cells_of(row.start, row.finish or row.start)
        left = round(self.scroll_x)
        if b <= left or a >= left + self.chart_width:
            self.scroll_to(x=max(0, a - self.chart_width // 4), animate=False)

    def action_pan(self, direction: int) -> None:
        step = max(1, self.chart_width // 4)
        self.scroll_to(x=max(0, round(self.scroll_x) + direction * step), animate=False)

    def action_zoom(self, delta: int) -> None:
        at = ZOOMS.index(self.zoom) + delta
        if 0 <= at < len(ZOOMS):
            self.set_zoom(ZOOMS[at])

    def set_zoom(self, zoom: str) -> None:
        """Change the scale keeping the date in the middle of the view where it was."""
        centre = self.date_at(round(self.scroll_x) + self.chart_width // 2)
        self.zoom = zoom
        self._geometry()
        self._scroll_to_date(centre)

    def action_today(self) -> None:
        self._scroll_to_date(self.today, third=True)

    def activate_line(self, index: int) -> None:
        self.post_message(self.RowActivated(self, self.rows[index]))

    def action_activate(self) -> None:
        row = self.selected_row
        if row is not None:
            self.post_message(self.RowActivated(self, row))

    # -- rendering -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._ground = None  # styles may have changed since the last drawing
        return super().render_lines(crop)

    @property
    def ground(self) -> Style:
        """The widget's own style (`rich_style`): Textual computes it from every ancestor on
        each ask, and a drawn line asks several times, so it is asked once per drawing."""
        if self._ground is None:
            self._ground = self.rich_style
        return self._ground

    def _style(self, name: str) -> Style:
        """A component's whole style, background included (for cells that set the ground)."""
        return self.get_component_rich_style(f"gantt--{name}")

    def _ink(self, name: str) -> Style:
        """Only what a component adds (colour, bold), to lay over a cell's background."""
        return self.get_component_rich_style(f"gantt--{name}", partial=True)

    def render_header(self, y: int, width: int) -> Strip:
        def render() -> Strip:
            left = self._layout.left
            parts = self._header_left(y) + self._header_chart(y, round(self.scroll_x), width - left)
            return Strip(parts).adjust_cell_length(width, self.ground).simplify()

        return self.cached_line(("header", y), render)

    def render_row(self, index: int, width: int) -> Strip:
        selected = index == self.cursor

        def render() -> Strip:
            row = self.rows[index]
            parts = self._row_left(row, selected) + self._row_chart(
                row, selected, round(self.scroll_x), width - self._layout.left
            )
            return Strip(parts).adjust_cell_length(width, self.ground).simplify()

        return self.cached_line(("row", index, selected), render)

    def _header_left(self, y: int) -> list[Segment]:
        lay = self._layout
        header, sep = self._style("header"), self._style("header")
        if y == 0:
            title = self._style("title")
            return [Segment(fit(self.title.plain, lay.left - 1), title), Segment("│", sep)]
        task_caption, who_caption = self.captions
        text = "  "
        if lay.code:
            text += fit("WBS" if task_caption == "Task" else "Code", lay.code) + " "
        text += fit(task_caption, lay.name) + " " + fit(who_caption, lay.who) + " "
        if lay.dates:
            text += fit("Dates", lay.dates) + " "
        text += "Done"
        return [Segment(fit(text, lay.left - 1), header), Segment("│", sep)]

    def _row_left(self, row: GanttRow, selected: bool) -> list[Segment]:
        lay = self._layout
        base = self._style("cursor") if selected else self.ground
        if selected and self.app.no_color:
            base = base + Style(reverse=True)
        muted = base if selected else base + self._ink("muted")
        flag_style = base + Style.parse(row.flag_style) if row.flag_style else base
        if not selected and row.flag == "!":
            flag_style = base + self._ink("flag")
        name_style = base + self._ink("summary-name") if row.kind == "summary" else base
        indent = "  " * min(row.level, 8)
        prefix = (
            ("⚠ " if row.late else "")
            + ("✎ " if row.manual else "")
            + ("◆ " if row.kind == "milestone" else "")
        )
        segments = [Segment(fit(row.flag, 1), flag_style), Segment(" ", base)]
        if lay.code:
            segments.append(Segment(fit(literal(row.code).plain, lay.code) + " ", muted))
        name = indent + prefix + literal(row.name).plain
        segments += [
            Segment(fit(name, lay.name), name_style),
            Segment(" " + fit(literal(row.assignee).plain, lay.who) + " ", muted),
        ]
        if lay.dates:
            span = f"{_short(row.start)}–{_short(row.finish)}" if row.start else "no dates"
            if row.kind == "milestone":
                span = _short(row.start)
            segments.append(Segment(fit(span, lay.dates) + " ", muted))
        segments += [
            Segment(f"{row.percent:>3}%", base),
            Segment("│", self.ground + self._ink("separator")),
        ]
        return segments

    def _columns(self, x0: int, width: int) -> list[str]:
        """Per visible cell: '' plain, 'offday' (weekend or holiday) or 'downtime'."""
        key = (x0, width)
        cached = self._column_cache.get(key)
        if cached is not None:
            return cached
        kinds = [""] * width
        if self.zoom in ("day", "week"):
            for i in range(width):
                if not self._calendar.is_working(self.date_at(x0 + i)):
                    kinds[i] = "offday"
        for span in self.downtime:
            a, b = self.cells_of(span.first, span.last)
            for x in range(max(a, x0), min(b, x0 + width)):
                kinds[x - x0] = "downtime"
        self._column_cache[key] = kinds
        return kinds

    def _row_chart(self, row: GanttRow, selected: bool, x0: int, width: int) -> list[Segment]:
        if width <= 0:
            return []
        base = self.ground
        background = {
            "": base,
            "offday": self._style("offday"),
            "downtime": self._style("downtime"),
        }
        kinds = self._columns(x0, width)
        chars = [" "] * width
        styles = [background[k] for k in kinds]
        x1 = x0 + width

        def put(x: int, char: str, style: Style) -> None:
            if x0 <= x < x1:
                chars[x - x0] = char
                styles[x - x0] = background[kinds[x - x0]] + style

        put(self._point(self.today), "│", self._ink("today"))
        baseline = self._ink("baseline")
        milestone = row.kind == "milestone"
        bar: tuple[int, int] | None = None
        if row.start is not None:
            bar = (
                (self._point(row.start), self._point(row.start) + 1)
                if milestone
                else self.cells_of(row.start, row.finish or row.start)
            )
        if row.baseline_start is not None or row.baseline_finish is not None:
            b_first = row.baseline_start or row.baseline_finish
            b_last = row.baseline_finish or row.baseline_start
            assert b_first is not None and b_last is not None
            if milestone:
                at = self._point(b_last)
                if bar is None or at != bar[0]:
                    put(at, "◇", baseline)
            elif (b_first, b_last) != (row.start, row.finish):
                ba, bb = self.cells_of(b_first, b_last)
                for x in range(max(ba, x0), min(bb, x1)):
                    if bar is None or not bar[0] <= x < bar[1]:
                        put(x, "─", baseline)
        if bar is not None:
            a, b = bar
            if milestone:
                if self.zoom == "day" and row.finish_part is not None:  # at its time of day
                    cells = SCALE["day"][0]
                    a = self.x_of(row.start or self.today) + min(
                        cells - 1, int(row.finish_part * cells)
                    )
                put(a, "◆", self._ink("critical-done" if row.critical else "milestone"))
            else:
                self._paint_bar(row, a, b, put)
                if row.baseline_finish is not None:  # the bar now runs past its baseline
                    end = self.cells_of(row.baseline_finish, row.baseline_finish)[1] - 1
                    if a <= end < b - 1:
                        put(end, "┃", baseline)
        for day in row.markers:
            put(self._point(day), "◆", self._ink("milestone"))
        if selected:
            cursor_bg = self._style("cursor-chart").bgcolor
            if cursor_bg is not None:
                highlight = Style(bgcolor=cursor_bg)
                styles = [s + highlight for s in styles]
        return _segments(chars, styles)

    def _paint_bar(
        self, row: GanttRow, a: int, b: int, put: Callable[[int, str, Style], None]
    ) -> None:
        length = b - a
        done = round(length * max(0, min(100, row.percent)) / 100)
        if row.kind == "summary":
            full, rest = self._ink("summary"), self._ink("baseline")
            for x in range(a, b):
                put(x, "▀", full if x - a < done else rest)
            return
        if row.critical:
            full, rest = self._ink("critical-done"), self._ink("critical")
        else:
            full, rest = self._ink("bar-done"), self._ink("bar")
        left, right = self._eighths(row, a, b)
        whole = (left, right) == (a * 8, b * 8)
        # part-day work: done up to its share of the eighths it fills
        done_to = left + (right - left) * max(0, min(100, row.percent)) / 100
        for x in range(a, b):
            lo, hi = max(left - x * 8, 0), min(right - x * 8, 8)
            if hi <= lo:
                continue  # the part of the day before its work starts or after it ends
            finished = x - a < done if whole else x * 8 + (lo + hi) / 2 < done_to
            style = full if finished else rest
            if (lo, hi) != (0, 8):
                put(x, _part_of_cell(lo, hi), style)
            else:
                put(x, "█" if finished else "▒", style)

    def _eighths(self, row: GanttRow, a: int, b: int) -> tuple[int, int]:
        """The bar's edges in eighths of a cell: at day zoom a part-day start or finish
        cuts into the cells of its day; at least one eighth is drawn."""
        left, right = a * 8, b * 8
        if self.zoom == "day":
            per_day = SCALE["day"][0] * 8
            if row.start_part is not None:
                left += round(row.start_part * per_day)
            if row.finish_part is not None:
                right -= round((1 - row.finish_part) * per_day)
        return left, max(right, left + 1)

    def _header_chart(self, y: int, x0: int, width: int) -> list[Segment]:
        if width <= 0:
            return []
        header = self._style("header")
        chars = [" "] * width
        styles = [header] * width
        x1 = x0 + width
        labels = self._labels(major=y == 0)
        for i, (day, label) in enumerate(labels):
            a = self.x_of(day)
            b = self.x_of(labels[i + 1][0]) if i + 1 < len(labels) else x1
            if b <= x0 or a >= x1:
                continue
            start = max(a, x0)
            room = b - start - (1 if b < x1 else 0)
            # A period begun off screen keeps its label at the left edge.
            for j, ch in enumerate(fit(label, room) if room < cell_len(label) else label):
                if start + j < x1:
                    chars[start + j - x0] = ch
        if y == 1:
            mark = self._style("downtime-mark")
            for span in self.downtime:
                a, b = self.cells_of(span.first, span.last)
                for x in range(max(a, x0), min(b, x1)):
                    chars[x - x0], styles[x - x0] = "▓", mark
            today = self._point(self.today)
            if x0 <= today < x1:
                chars[today - x0], styles[today - x0] = "▼", header + self._ink("today")
        return _segments(chars, styles)

    def _labels(self, major: bool) -> list[tuple[date, str]]:
        """(first day, text) of each period on the scale line, in order."""
        first = self._origin
        last = self.date_at(self._cells + 1)
        zoom = self.zoom
        out: list[tuple[date, str]] = []
        if major and zoom in ("day", "week"):
            day = first
            while day <= last:
                out.append((day, f"{_MONTHS[day.month - 1]} {day.year}"))
                day = _next_month(day)
        elif major and zoom == "month":
            for year in range(first.year, last.year + 1):
                out.append((max(first, date(year, 1, 1)), str(year)))
        elif major:  # quarter
            day = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
            while day <= last:
                out.append((max(first, day), f"Q{(day.month - 1) // 3 + 1} {day.year}"))
                for _ in range(3):
                    day = _next_month(day)
        elif zoom == "day":
            out = [
                (first + timedelta(days=n), f"{(first + timedelta(days=n)).day:>2}")
                for n in range((last - first).days + 1)
            ]
        elif zoom == "week":
            day = first + timedelta(days=(7 - first.weekday()) % 7)
            out = [(first, "")] if day != first else []
            while day <= last:
                out.append((day, f"{day.day:02d}"))
                day += timedelta(days=7)
        else:  # month and quarter zoom: month names
            day = first
            while day <= last:
                out.append((day, _MONTHS[day.month - 1]))
                day = _next_month(day)
        return out


def _part_of_cell(lo: int, hi: int) -> str:
    """The block character for the eighths lo..hi of a cell: from the left edge in eighths
    (`▌` half), to the right edge in halves (`▐`; Unicode has no right eighths but `▕`)."""
    if lo == 0:
        return _LEFT_EIGHTHS[hi]
    if hi == 8:
        return "█" if lo < 2 else "▐" if lo < 6 else "▕"
    return "▌" if lo + hi <= 8 else "▐"  # work inside one cell: the half it is in


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _segments(chars: list[str], styles: list[Style]) -> list[Segment]:
    """Runs of equal style as one segment each."""
    out: list[Segment] = []
    if not chars:
        return out
    run_start = 0
    for i in range(1, len(chars) + 1):
        # Mostly the very same Style object (Rich caches `+`): `is` spares the comparison.
        if i == len(chars) or (
            styles[i] is not styles[run_start] and styles[i] != styles[run_start]
        ):
            out.append(Segment("".join(chars[run_start:i]), styles[run_start]))
            run_start = i
    return out
