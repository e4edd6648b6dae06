"""The ledger, drawn line by line (Textual's Line API) from pages read on demand.

The widget knows how many entries there are, not the entries: the scrollbar spans them all,
and the rows on screen come from pages of `PAGE` entries that a loader (a database query)
fetches in a worker thread as they come into view. A page not there yet shows as `…` for
the moment it takes; 100,000 entries scroll as smoothly as 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from itpm_tui.domain.money import format_money
from itpm_tui.queries.budget import LedgerRow
from itpm_tui.widgets.formatting import format_date, literal
from itpm_tui.widgets.line_view import LineView, cursor_bindings

PAGE = 100
HEADER_LINES = 1

#: Reads `limit` rows from `offset` in the current order; runs in a worker thread.
Loader = Callable[[int, int, int, str], list[LedgerRow]]


@dataclass(frozen=True, slots=True)
class Columns:
    vendor: int
    category: int
    description: int
    invoice: int


DATE_W, AMOUNT_W, KIND_W = 10, 14, 9


def date_width(date_format: str) -> int:
    """Cells of a date written in `date_format` (the widest day of the year)."""
    return max(DATE_W, len(format_date(date(2026, 12, 28), date_format)))


def columns_for(width: int, date_w: int = DATE_W) -> Columns:
    """Fixed date, amount and kind; the rest shared by vendor, category, description, invoice."""
    flexible = max(20, width - date_w - AMOUNT_W - KIND_W - 7)
    vendor = max(8, flexible * 26 // 100)
    category = max(7, min(16, flexible * 18 // 100))
    invoice = max(7, min(16, flexible * 20 // 100))
    description = max(6, flexible - vendor - category - invoice)
    return Columns(vendor, category, description, invoice)


def fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _plain(value: str) -> str:
    return literal(value).plain


class LedgerTable(LineView):
    """Entries of one project; up/down select, pageup/pagedown/home/end jump."""

    HEADER_LINES = HEADER_LINES

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ledger--header",
        "ledger--cursor",
        "ledger--muted",
        "ledger--credit",
    }
    DEFAULT_CSS = """
    LedgerTable {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        /* Rows are cut to the width: a horizontal scrollbar would only hide a row. */
        overflow-x: hidden;
        & > .ledger--header { background: $panel; color: $foreground; text-style: bold; }
        & > .ledger--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .ledger--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .ledger--muted { color: $text-muted; }
        & > .ledger--credit { color: $success; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings("ledger", "entry")

    class CursorMoved(Message):
        def __init__(self, table: LedgerTable, row: LedgerRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, loader: Loader, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.loader = loader
        self.project_id: int | None = None
        self.currency = "EUR"
        self.sort = "-date"
        #: How dates are written (the configured `date_format`).
        self.date_format = "%Y-%m-%d"
        self.count = 0
        self.generation = 0  # bumped on every reset, so a late page of old data is dropped
        self._pages: dict[int, list[LedgerRow]] = {}
        self._pending: set[int] = set()

    # -- data ------------------------------------------------------------------------------

    def reset(
        self,
        project_id: int | None,
        count: int,
        currency: str,
        first: tuple[int, list[LedgerRow]] | None = None,
        sort: str | None = None,
    ) -> None:
        """New data: forget the pages; `first` is (page number, rows) already read."""
        if project_id != self.project_id:
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
        self.project_id = project_id
        self.count = count
        self.currency = currency
        if sort is not None:
            self.sort = sort
        self.generation += 1
        self._pages = {}
        self._pending = set()
        if first is not None:
            self._pages[first[0]] = first[1]
        self.cursor = max(0, min(self.cursor, count - 1))
        self.virtual_size = Size(self.size.width, count + HEADER_LINES)
        self.clear_lines()
        self.announce_cursor()

    def row_at(self, index: int) -> LedgerRow | None:
        if not 0 <= index < self.count:
            return None
        page = self._pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    @property
    def selected_row(self) -> LedgerRow | None:
        return self.row_at(self.cursor)

    @property
    def top_page(self) -> int:
        """The page holding the first row on screen (what a reload should read first)."""
        return max(0, round(self.scroll_y)) // PAGE

    def _want(self, page: int) -> None:
        if page in self._pages or page in self._pending or self.project_id is None:
            return
        self._pending.add(page)
        self._load(self.project_id, page, self.sort, self.generation)

    @work(thread=True, group="ledger-page")
    def _load(self, project_id: int, page: int, sort: str, generation: int) -> None:
        try:
            rows = self.loader(project_id, page * PAGE, PAGE, sort)
        except Exception as exc:  # a broken connection must not kill the dashboard
            self.app.call_from_thread(
                self.notify, f"Could not read the ledger: {exc}", severity="error", markup=False
            )
            rows = None
        self.app.call_from_thread(self._loaded, page, rows, generation)

    def _loaded(self, page: int, rows: list[LedgerRow] | None, generation: int) -> None:
        if generation != self.generation:
            return
        self._pending.discard(page)
        if rows is None:
            return
        self._pages[page] = rows
        # Keep memory flat however far the user scrolls: only pages near the view stay.
        if len(self._pages) > 8:
            here = self.top_page
            for old in sorted(self._pages, key=lambda p: -abs(p - here))[: len(self._pages) - 8]:
                del self._pages[old]
        self.refresh()
        if self.cursor // PAGE == page:
            self.announce_cursor()

    # -- cursor ----------------------------------------------------------------------------

    @property
    def line_count(self) -> int:
        return self.count

    def announce_cursor(self) -> None:
        self.post_message(self.CursorMoved(self, self.selected_row))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, self.count + HEADER_LINES)

    # -- rendering -------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"ledger--{name}")

    def render_header(self, y: int, width: int) -> Strip:
        def render() -> Strip:
            date_w = date_width(self.date_format)
            cols = columns_for(width, date_w)
            text = " ".join(
                (
                    fit("Date", date_w),
                    fit("Vendor", cols.vendor),
                    fit("Category", cols.category),
                    fit("Description", cols.description),
                    fit(f"Amount {self.currency}".rjust(AMOUNT_W), AMOUNT_W),
                    fit("Kind", KIND_W),
                    fit("Invoice", cols.invoice),
                )
            )
            return Strip([Segment(" " + text, self._style("header"))]).adjust_cell_length(
                width, self._style("header")
            )

        return self.cached_line(("header", y, self.currency, self.date_format), render)

    def render_after_end(self, index: int, width: int) -> Strip:
        if self.count == 0 and index == 0:
            empty = "  No entries yet: press a to add the first one."
            return Strip([Segment(empty, self._style("muted"))]).adjust_cell_length(
                width, self.rich_style
            )
        return Strip.blank(width, self.rich_style)

    def render_row(self, index: int, width: int) -> Strip:
        row = self.row_at(index)
        selected = index == self.cursor
        if row is None:
            self._want(index // PAGE)
            base = self._style("cursor") if selected else self.rich_style
            return Strip([Segment("  …", base + self._style("muted"))]).adjust_cell_length(
                width, base
            )
        # Prefetch the next page when the view nears it, so scrolling down never waits.
        if index % PAGE > PAGE - 40:
            self._want(index // PAGE + 1)
        key = ("row", index, selected, row, self.currency, self.date_format)
        return self.cached_line(key, lambda: self._render_entry(row, selected, width))

    def _render_entry(self, row: LedgerRow, selected: bool, width: int) -> Strip:
        date_w = date_width(self.date_format)
        cols = columns_for(width, date_w)
        base = self._style("cursor") if selected else self.rich_style
        amount = format_money(row.amount, self.currency, symbol=False)
        parts = [
            Segment(" " + fit(format_date(row.entry_date, self.date_format), date_w) + " ", base),
            Segment(fit(_plain(row.vendor), cols.vendor) + " ", base),
            Segment(fit(_plain(row.category), cols.category) + " ", base),
            Segment(fit(_plain(row.description), cols.description) + " ", base),
            Segment(
                fit(amount.rjust(AMOUNT_W), AMOUNT_W) + " ",
                base + self._style("credit") if row.amount < 0 and not selected else base,
            ),
            Segment(
                fit(row.kind, KIND_W) + " ",
                base + self._style("muted") if row.kind != "actual" and not selected else base,
            ),
            Segment(fit(_plain(row.invoice_ref), cols.invoice), base),
        ]
        return Strip(parts).adjust_cell_length(width, base)
