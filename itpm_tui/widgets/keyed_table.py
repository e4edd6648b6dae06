"""A DataTable whose rows are matched by key, so a refresh is a diff, not a redraw.

Tables that are refreshed while the user looks at them (polling, a write elsewhere) would
lose the cursor and the scroll if they were cleared and refilled. `KeyedTable.show` instead
adds, updates and removes rows by key inside one `batch_update`, touching only the cells
whose value changed, then restores the order, the cursor and the scroll.

When many rows leave at once (a filter narrowing a thousand rows to ten) or the order
changes, the rows are laid out again in one pass instead: `DataTable.remove_row` renumbers
every row, so removing rows one by one costs the square of the table. Each row's cells are
kept while the row object is the same, and with them the table's own record of the row
(`_lay_out`), so typing in a filter makes nothing anew for a row the table has held.

Drawing costs what the rows on screen cost: cells are measured by their plain text and
drawn by `text_cells` (the segments DataTable would draw, without Rich's generic pipeline),
each cell's line is kept by the cell, its width and its styles (and without its place, so a
row moved by a filter only gets its new place), and a restyle or a Resize that changes
nothing (the screen shown again) keeps the lines already drawn. An empty table given more
than `MANY` rows makes the cells of a screenful first and the rest after that frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Generic, Protocol, Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._segment_tools import line_crop
from textual._two_way_dict import TwoWayDict
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, DuplicateKey, Row, RowKey

from itpm_tui.widgets.steady_scroll import SteadyScrollbars
from itpm_tui.widgets.text_cells import styled_line, text_width, unstyled_line

R = TypeVar("R")
SegmentLines = list[list[Segment]]

#: Each column's padding, and the vertical scroll bar's cells.
PADDING, SCROLLBAR = 2, 2
#: More rows than this leaving at once: lay the table out again rather than remove each.
FEW = 4
#: An empty table given more rows than this shows those a screen can hold first (`_show`).
MANY = 500
#: Cells of rows not shown kept beyond twice the rows shown (those a filter hides).
KEPT_CELLS = 5_000
#: Cells drawn and kept: a few screens of every width and cursor state.
DRAWN = 20_000
#: Rows and lines drawn and kept.
ROWS_DRAWN = 2_000


class Sizing(Protocol):
    """How a column may be sized: `width` its narrowest (None: as wide as its widest cell,
    about `usual` cells); with `widest`, it takes spare room up to that width."""

    @property
    def key(self) -> str: ...
    @property
    def width(self) -> int | None: ...
    @property
    def usual(self) -> int: ...
    @property
    def widest(self) -> int | None: ...


def column_widths(columns: Sequence[Sizing], room: int) -> dict[str, int | None]:
    """Each column's width in `room` cells: what is left after every column at its usual
    width goes to the growing columns in their order, each up to its widest. None keeps a
    column as wide as its widest cell."""
    widths: dict[str, int | None] = {c.key: c.width for c in columns}
    spare = max(0, room - sum((c.width or c.usual) + PADDING for c in columns) - SCROLLBAR)
    for c in columns:
        if c.widest is None or c.width is None or not spare:
            continue
        extra = min(spare, c.widest - c.width)
        widths[c.key] = c.width + extra
        spare -= extra
    return widths


@dataclass(frozen=True)
class TableColumn(Generic[R]):
    """One column as the table shows it now; `width=None` follows the widest cell."""

    key: str
    label: str
    cell: Callable[[R], Text]
    width: int | None = None


class KeyedTable(DataTable[Text], SteadyScrollbars, Generic[R]):
    """Rows keyed by `row_id(row)`; `set_columns()` then `show()` as often as data comes."""

    #: Restyled since lines were last drawn, and the styles they were drawn with.
    _restyled = True
    _drawn_look: tuple[object, ...] = ()
    #: The size the lines were drawn at.
    _drawn_size: Size | None = None
    #: The widget's style while a frame's lines are drawn (`render_lines`).
    _line_style: Style | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        #: How dates are written in cells (the configured `date_format`).
        self.date_format = "%Y-%m-%d"
        self._columns: list[TableColumn[R]] = []
        self._rows: list[R] = []
        self._shown: dict[int, tuple[Text, ...]] = {}
        #: The row ids in the order the table holds them.
        self._order: list[int] = []
        #: Each row's cells and their widths, kept while `show` is given the same row object.
        self._cells: dict[int, tuple[R, tuple[Text, ...], tuple[int, ...]]] = {}
        #: The widths of the cells of rows added since the table last measured its columns
        #: (`_add_rows`): a row laid out again by a filter is not measured again.
        self._added_widths: dict[RowKey, tuple[int, ...]] = {}
        #: Each row's cells with its key, `Row` and cells by column as `_lay_out` made them
        #: (kept while the cells are the same object, the row hidden by a filter or not).
        self._held: dict[int, tuple[tuple[Text, ...], RowKey, Row, dict[ColumnKey, Text]]] = {}
        #: Each cell's line as drawn, by the cell, its width and its styles.
        self._drawn: dict[tuple[int, int, Style, Style], tuple[Text, list[list[Segment]]]] = {}
        #: Each cell's line before styles, by the cell and its width: kept when its row
        #: moves (a filter, a sort), where the row's stripe and position change.
        self._raw: dict[tuple[int, int], tuple[Text, list[Segment]]] = {}
        #: Each cell's line styled without its position, by the cell, its width and styles.
        self._unplaced: dict[tuple[int, int, Style, Style], tuple[Text, list[Segment]]] = {}
        #: Each style with a cell's position (`_where`) over it, by the style and position.
        self._where_styles: dict[tuple[Style, int, int], Style] = {}
        #: Each cell's position as the style metadata a click reads.
        self._where: dict[tuple[int, int], Style] = {}
        #: Each data row's cells as drawn (`_render_row`), by what they are drawn from.
        self._row_lines: dict[tuple[object, ...], tuple[tuple[Any, ...], int, SegmentLines]] = {}
        #: Each line drawn, by its place, with the row's cells it was drawn from.
        self._lines: dict[tuple[object, ...], tuple[object, Strip]] = {}
        #: The even and odd rows' styles, as `_look` last found them.
        self._row_styles: tuple[Style, Style] = (Style.null(), Style.null())

    def row_id(self, row: R) -> int:
        return int(row.id)  # type: ignore[attr-defined]

    # -- drawing and measuring -------------------------------------------------------------
    # Every row is one line of `Text` cells: they are measured by their plain text and drawn
    # by `text_cells`, which gives what `DataTable` would through Rich's generic pipeline at
    # a fraction of the cost. Anything else (the header, a taller row) is left to DataTable.

    def notify_style_update(self) -> None:
        """DataTable forgets every line it drew on any restyle, and a screen shown again or
        the focus moving restyles it several times over. The lines drawn are forgotten
        only when the styles they were drawn with have changed (`render_lines` checks)."""
        Widget.notify_style_update(self)
        self._styles_cache.clear()
        self._restyled = True
        self.refresh()

    def _on_resize(self, event: Resize) -> None:
        """DataTable forgets its drawn lines on every Resize, which comes again each time
        the screen is shown — and first after the lines of a new table were drawn, at the
        size it tells of: only a new size makes them wrong."""
        if event.size == self._drawn_size:
            event.prevent_default()
        self._drawn_size = event.size

    def _look(self) -> tuple[object, ...]:
        """Every style DataTable draws lines with, as the stylesheet gives it now; the
        rows' styles are kept in `_row_styles` (each is a walk up the widget tree)."""
        names = sorted(self.COMPONENT_CLASSES)
        component = {name: self.get_component_styles(name).rich_style for name in names}
        self._row_styles = (component["datatable--even-row"], component["datatable--odd-row"])
        return (
            self.rich_style,
            self.background_colors,
            *component.values(),
            *(self.get_component_rich_style(name) for name in names),
        )

    def render_line(self, y: int) -> Strip:
        """DataTable's, with the widget's style found once per frame (`render_lines`), not
        by a walk up the widget tree for every line."""
        if self._line_style is None or self.fixed_rows:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        if y >= (self.header_height if self.show_header else 0):
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + self.size.width, self._line_style)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._line_style = self.rich_style
        try:
            return self._render_lines(crop)
        finally:
            self._line_style = None

    def _render_lines(self, crop: Region) -> list[Strip]:
        if self._restyled:  # the component styles are up to date by the time lines are drawn
            self._restyled = False
            look = self._look()
            if look != self._drawn_look:
                self._drawn_look = look
                self._row_render_cache.clear()
                self._cell_render_cache.clear()
                self._row_renderable_cache.clear()
                self._line_cache.clear()
                self._row_lines.clear()
                self._lines.clear()
                self._get_styles_to_render_cell.cache_clear()
        self._drawn_size = self.size
        return super().render_lines(crop)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        others: list[RowKey] = []
        columns = self.ordered_columns
        widths = [c.content_width for c in columns]
        auto = [i for i, c in enumerate(columns) if c.auto_width]  # fixed widths: no need
        locations, rows, data = self._row_locations, self.rows, self._data
        known = self._added_widths
        self._added_widths = {}
        measured: list[tuple[int, ...]] = []
        for row_key in new_rows:
            if row_key not in locations:
                continue  # removed before the table was idle
            added = known.get(row_key)
            if added is not None and len(added) == len(widths):
                measured.append(added)  # measured when its row object was first shown
                continue
            row = rows[row_key]
            cells = data[row_key]
            if row.label is not None or row.auto_height:
                others.append(row_key)
                continue
            values = [cells.get(c.key) for c in columns]
            if not all(isinstance(v, Text) for v in values):
                others.append(row_key)
                continue
            for index in auto:
                width = text_width(values[index])  # type: ignore[arg-type]
                if width > widths[index]:
                    widths[index] = width
        if measured:
            columns_measured = zip(*measured, strict=True)
            widths = [max(most, *col) for most, col in zip(widths, columns_measured, strict=True)]
        before = [c.content_width for c in columns]
        for column, width in zip(columns, widths, strict=True):
            column.content_width = width
        super()._update_dimensions(others)  # the rows left, then the scrollable size
        if before != [c.content_width for c in columns]:
            # Lines drawn before the new rows were measured are cut to the old widths.
            # DataTable forgets them on the Resize a wider table brings, which `_on_resize`
            # lets pass only for a new widget size: they are forgotten here.
            self._update_count += 1

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cell = self._data[row_key].get(column_key)
        line = None
        if self.rows[row_key].height == 1 and isinstance(cell, Text):
            styles = self._cell_styles(cursor, hover)
            line = self._text_line(row_index, column_index, cell, width, base_style, *styles)
        if line is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        return [line]

    def _cell_styles(self, cursor: bool, hover: bool) -> tuple[Style, Style]:
        """The cursor's and the hover's styles under and over a data cell's own."""
        return self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )

    def _text_line(
        self,
        row_index: int,
        column_index: int,
        cell: Text,
        width: int,
        base_style: Style,
        component_style: Style,
        post_style: Style,
    ) -> list[Segment] | None:
        """The line of a one-line `Text` cell as DataTable draws it (None: left to it)."""
        where = self._where.get((row_index, column_index))
        if where is None:
            where = Style.from_meta({"row": row_index, "column": column_index})
            self._where[row_index, column_index] = where
        pre_style = base_style + where + component_style
        # Keyed by what the line is drawn from, so a restyle that changes nothing (the
        # screen shown again, the focus coming back) finds the lines already drawn.
        key = (id(cell), width, pre_style, post_style)
        known = self._drawn.get(key)
        if known is not None and known[0] is cell:
            return known[1][0]
        shape = (id(cell), width)
        raw = self._raw.get(shape)
        if raw is None or raw[0] is not cell:
            unstyled = unstyled_line(
                self.app.console, self.app.console_options, cell, width, self.cell_padding
            )
            if unstyled is None:
                return None
            if len(self._raw) >= DRAWN:
                self._raw.clear()
            raw = self._raw[shape] = (cell, unstyled)
        line = None
        if not (base_style._meta or component_style._meta or post_style._meta):
            line = self._placed(cell, raw[1], width, base_style + component_style, post_style)
            line = self._place(line, where, row_index, column_index)
        if line is None:
            line = styled_line(raw[1], width, pre_style, post_style)
        if len(self._drawn) >= DRAWN:
            self._drawn.clear()
        self._drawn[key] = (cell, [line])
        return line

    def _placed(
        self, cell: Text, raw: list[Segment], width: int, pre_style: Style, post_style: Style
    ) -> list[Segment]:
        """The cell's line styled as at any place, kept by the cell, its width and styles: a
        row moved by a filter or a sort has its lines styled already, but for their place."""
        key = (id(cell), width, pre_style, post_style)
        known = self._unplaced.get(key)
        if known is not None and known[0] is cell:
            return known[1]
        line = styled_line(raw, width, pre_style, post_style)
        if len(self._unplaced) >= DRAWN:
            self._unplaced.clear()
        self._unplaced[key] = (cell, line)
        return line

    def _place(
        self, line: list[Segment], where: Style, row_index: int, column_index: int
    ) -> list[Segment] | None:
        """`line` with its place (`where`: the metadata a click reads) over each style, as
        DataTable's styles under the cell's give it (None: a style has metadata of its own,
        which DataTable would merge in another order)."""
        styles = self._where_styles
        placed: list[Segment] = []
        append = placed.append
        for text, style, control in line:
            if control:
                append(Segment(text, style, control))
                continue
            if style is None:
                append(Segment(text, where))
                continue
            if style._meta:
                return None
            key = (style, row_index, column_index)
            known = styles.get(key)
            if known is None:
                if len(styles) >= DRAWN:
                    styles.clear()
                known = styles[key] = style + where
            append(Segment(text, known))
        return placed

    def _plain_row(self, row_key: RowKey) -> int | None:
        """The index of `row_key` when it is a one-line data row drawn as `_render_row`
        draws it (None: DataTable draws it)."""
        row_index = self._row_locations.get(row_key)
        if (
            row_index is None
            or self._restyled  # drawn outside `render_lines`: the row styles may be old
            or self.cursor_type != "row"
            or self.fixed_columns
            or self.fixed_rows
            or (self._labelled_row_exists and self.show_row_labels)
            or self.rows[row_key].height != 1
        ):
            return None
        return row_index

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[SegmentLines, SegmentLines]:
        row_index = self._plain_row(row_key)
        if row_index is None:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        return [], self._render_row(row_key, row_index, base_style, cursor_location, hover_location)

    def _render_row(
        self,
        row_key: RowKey,
        row_index: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> SegmentLines:
        """A one-line data row's cells as DataTable draws them, kept by the row's place,
        cells, widths and styles. DataTable walks the widget tree for the row's styles on
        every row it draws and forgets every row drawn whenever a row is added, removed or
        the cursor moves: a filter, a sort or a cursor key drew every row shown anew."""
        row_style = self._row_styles[row_index % 2] if self.zebra_stripes else base_style
        cursor = row_index == cursor_location.row
        hover = row_index == hover_location.row
        component_style, post_style = self._cell_styles(cursor, hover)
        columns = self.ordered_columns
        widths = tuple(column.get_render_width(self) for column in columns)
        values = self._data[row_key]
        cells = tuple(values.get(column.key) for column in columns)
        width = self.size.width
        show = (self.show_cursor, self._show_hover_cursor)
        key = (row_index, row_style, cursor, hover, show, component_style, post_style, widths)
        known = self._row_lines.get(key)
        if known is not None and known[1] == width and _same(known[0], cells):
            return known[2]
        scrollable: SegmentLines = []
        for column_index, (cell, cell_width) in enumerate(zip(cells, widths, strict=True)):
            line = None
            if isinstance(cell, Text):
                line = self._text_line(
                    row_index,
                    column_index,
                    cell,
                    cell_width,
                    row_style,
                    component_style,
                    post_style,
                )
            if line is None:
                line = super()._render_cell(
                    row_index, column_index, row_style, cell_width, cursor, hover
                )[0]
            scrollable.append(line)
        # the row's style carried to the widget's right edge, as DataTable does
        highlight, _ = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, *show, False, False
        )
        extend = row_style + highlight
        extend += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        room = width - sum(widths) - self._row_label_column_width
        scrollable.append([Segment(" " * max(0, room), extend)])
        if len(self._row_lines) >= ROWS_DRAWN:
            self._row_lines.clear()
        self._row_lines[key] = (cells, width, scrollable)
        return scrollable

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A data row's line, kept while the row drawn there (`_render_row`) is the same:
        DataTable keys its lines by the table's update count and the cursor."""
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        if row_key is self._header_row_key:
            return self._header_line(y, x1, x2, base_style, line_no)
        row_index = self._plain_row(row_key)
        if row_index is None or line_no:
            return super()._render_line(y, x1, x2, base_style)
        scrollable = self._render_row(
            row_key, row_index, base_style, self.cursor_coordinate, self.hover_coordinate
        )
        width = self.size.width
        key = (y, x1, x2, width, base_style)
        known = self._lines.get(key)
        if known is not None and known[0] is scrollable:
            return known[1]
        segments = line_crop(list(chain.from_iterable(scrollable)), x1, x2, width)
        strip = Strip(segments).adjust_cell_length(width, base_style).simplify()
        if len(self._lines) >= ROWS_DRAWN:
            self._lines.clear()
        self._lines[key] = (scrollable, strip)
        return strip

    def _header_line(self, y: int, x1: int, x2: int, base_style: Style, line_no: int) -> Strip:
        """The header's line, kept while its labels, widths and highlight are the same:
        DataTable draws it again through Rich whenever a row is added or removed."""
        if (
            self._restyled
            or self.cursor_type != "row"
            or self.fixed_columns
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return super()._render_line(y, x1, x2, base_style)
        columns = self.ordered_columns
        labels = tuple(column.label for column in columns)
        key = (
            "header",
            y,
            x1,
            x2,
            self.size.width,
            base_style,
            line_no,
            tuple(column.get_render_width(self) for column in columns),
            self.hover_coordinate.row == -1,
            self.cursor_coordinate.row == -1,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
        )
        known = self._lines.get(key)
        if known is not None and isinstance(known[0], tuple) and _same(known[0], labels):
            return known[1]
        strip = super()._render_line(y, x1, x2, base_style)
        if len(self._lines) >= ROWS_DRAWN:
            self._lines.clear()
        self._lines[key] = (labels, strip)
        return strip

    def _add_rows(self, rows: Iterable[tuple[int, tuple[Text, ...]]]) -> None:
        """`add_row(*cells, key=str(rid))` for each of `rows` (one line each), with the
        table's bookkeeping (columns in order, cursor, idle check) done once, not per row."""
        keys = [c.key for c in self.ordered_columns]
        was_empty = self.row_count == 0
        index = self.row_count
        locations, data, meta, new = self._row_locations, self._data, self.rows, self._new_rows
        known, added = self._cells, self._added_widths
        for rid, cells in rows:
            key = RowKey(str(rid))
            if key in locations:
                raise DuplicateKey(f"The row key {key!r} already exists.")
            if len(cells) != len(keys):
                raise ValueError("One value per column is needed.")
            locations[key] = index
            index += 1
            data[key] = dict(zip(keys, cells, strict=True))
            meta[key] = Row(key, 1, None, False)
            new.add(key)
            entry = known.get(rid)
            if entry is not None and entry[1] is cells:
                added[key] = entry[2]
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and index and keys and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # a cell to highlight where there was none
        self._update_count += 1
        self.check_idle()

    def _lay_out(self, wanted: dict[int, tuple[Text, ...]]) -> None:
        """The table cleared and holding `wanted` in that order, as `clear()` then
        `_add_rows` would leave it, in one pass that makes nothing anew for a row already
        held: its key, `Row` and cells by column are kept while its cells are the same
        object (hidden by a filter too, so erasing it brings them back as they were). Only
        the rows not in the table before are measured (`_update_dimensions`): the others
        were, and a column only grows while it stays."""
        before = self.rows
        self.rows, self._data = {}, {}  # `clear()` empties these in place: not the rows held
        self.clear()
        keys = [c.key for c in self.ordered_columns]
        held, known, added, new = self._held, self._cells, self._added_widths, self._new_rows
        rows, data = self.rows, self._data
        locations: dict[RowKey, int] = {}
        for index, (rid, cells) in enumerate(wanted.items()):
            entry = held.get(rid)
            fresh = entry is None or entry[0] is not cells
            if entry is None or fresh:
                if len(cells) != len(keys):
                    raise ValueError("One value per column is needed.")
                key = RowKey(str(rid))
                row = Row(key, 1, None, False)
                entry = held[rid] = (cells, key, row, dict(zip(keys, cells, strict=True)))
            key = entry[1]
            locations[key] = index
            rows[key] = entry[2]
            data[key] = entry[3]
            if fresh or key not in before:
                new.add(key)
                measured = known.get(rid)
                if measured is not None and measured[1] is cells:
                    added[key] = measured[2]
        self._row_locations = TwoWayDict(locations)
        self.cursor_coordinate = self.cursor_coordinate
        if wanted and keys and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # a cell to highlight where there was none
        self._update_count += 1
        self.check_idle()

    # -- columns ---------------------------------------------------------------------------

    def _cells_of(self, row: R) -> tuple[Text, ...]:
        rid = self.row_id(row)
        known = self._cells.get(rid)
        if known is not None and known[0] is row:
            return known[1]
        cells = tuple(c.cell(row) for c in self._columns)
        self._cells[rid] = (row, cells, tuple(text_width(cell) for cell in cells))
        return cells

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Text,
        *,
        update_width: bool = False,
    ) -> None:
        """A cell changed before the table measured its row: the row is measured anew."""
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        self._added_widths.pop(key, None)
        if key.value is not None:
            self._held.pop(int(key.value), None)  # its cells by column change in place
        super().update_cell(row_key, column_key, value, update_width=update_width)

    def clear(self, columns: bool = False) -> Self:
        self._added_widths.clear()
        return super().clear(columns)

    def _update(self, wanted: dict[int, tuple[Text, ...]], gone: list[int]) -> None:
        """Remove the few rows gone, change the cells that changed, add the new rows last
        (in one batch: a filter erased brings back hundreds)."""
        for rid in gone:
            self.remove_row(str(rid))
            del self._shown[rid]
        new: list[tuple[int, tuple[Text, ...]]] = []
        for rid, cells in wanted.items():
            old = self._shown.get(rid)
            if old is None:
                new.append((rid, cells))
            elif old != cells:
                for column, before, after in zip(self._columns, old, cells, strict=True):
                    if before != after:
                        # A column without a fixed width grows (or shrinks) to the new
                        # value, so a live update never cuts a number.
                        self.update_cell(
                            str(rid), column.key, after, update_width=column.width is None
                        )
            self._shown[rid] = cells
        if new:
            self._add_rows(new)

    def set_columns(self, columns: Sequence[TableColumn[R]]) -> None:
        """Use `columns` from now on. The table is rebuilt only when keys, labels or widths
        change; otherwise the cells are recomputed and diffed like any refresh."""
        layout = [(c.key, c.label, c.width) for c in columns]
        rebuild = layout != [(c.key, c.label, c.width) for c in self._columns]
        self._columns = list(columns)
        keep = self.selected_id
        scroll_y = self.scroll_y
        with self.app.batch_update():
            self._cells.clear()  # new columns or widths: every cell is made again
            if rebuild:
                self.clear(columns=True)
                self._shown.clear()
                self._order = []
                for column in self._columns:
                    self.add_column(column.label, key=column.key, width=column.width)
            self._show(self._rows, keep, follow=False, scroll_y=scroll_y)

    # -- rows ------------------------------------------------------------------------------

    @property
    def rows_shown(self) -> list[R]:
        return list(self._rows)

    @property
    def selected_id(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return int(key.value) if key.value is not None else None

    @property
    def selected_row(self) -> R | None:
        wanted = self.selected_id
        return next((r for r in self._rows if self.row_id(r) == wanted), None)

    def select_id(self, row_id: int) -> bool:
        if row_id not in self._shown:
            self._show_rest()  # it may be among the rows a large first show adds later
        if row_id not in self._shown:
            return False
        self.move_cursor(row=self.get_row_index(str(row_id)))
        return True

    def show(self, rows: Sequence[R], keep: int | None = None, *, follow: bool = False) -> None:
        """Bring the table to `rows`, in that order, with the cursor on `keep` (else on the
        row it was on). The scroll stays where it was, unless `follow` brings `keep` into
        view (a row just saved, maybe off screen)."""
        self._show(rows, keep, follow=follow, scroll_y=self.scroll_y)

    def _show(self, rows: Sequence[R], keep: int | None, *, follow: bool, scroll_y: float) -> None:
        self._rows = list(rows)
        if not self._columns:
            return  # not fitted to a width yet: the rows are shown once it is
        keep = keep if keep is not None else self.selected_id
        shown = self._rows
        if not self._order and len(shown) > MANY and keep is None:
            # The first rows of a large table: making every row's cells (1,000 projects,
            # 90–120 ms) would hold the frame that shows the first screenful. Those rows
            # come first; the rest are added once that frame is painted (`_show_rest`).
            shown = shown[: 2 * max(self.app.size.height, 24)]
            self.call_after_refresh(self._show_rest)
        wanted = {self.row_id(r): self._cells_of(r) for r in shown}
        order = list(wanted)
        gone = [rid for rid in self._order if rid not in wanted]
        kept = [rid for rid in self._order if rid in wanted]
        # the rows staying keep their order and the few new ones come after them: a diff
        fresh = len(order) - len(kept)
        in_place = len(gone) <= FEW and fresh <= FEW and order[: len(kept)] == kept
        origin = self.cursor_coordinate
        now = False  # laid out again, measured and scrolled before the next frame
        with self.app.batch_update():
            if in_place:
                self._update(wanted, gone)
            else:
                # A new order (a re-sort, a filter, rows added in the middle): lay the rows
                # out again; the cursor and scroll are put back below.
                self._lay_out(wanted)
                self._shown = dict(wanted)
                now = bool(self.size.height) and self.cursor_type == "row"
                if now:
                    self._measure_now()
                    if not follow:
                        self.scroll_to(y=scroll_y, animate=False, immediate=True)
            self._order = order
            if len(self._cells) > 2 * len(wanted) + KEPT_CELLS:
                # Rows hidden by a filter keep their cells (a row's cells are made again
                # only when the row itself is new: `_cells_of`), so erasing the filter
                # does not make every cell anew; the forgotten are pruned now and then.
                self._cells = {rid: self._cells[rid] for rid in wanted}
            if len(self._held) > 2 * len(wanted) + KEPT_CELLS:
                self._held = {rid: self._held[rid] for rid in wanted if rid in self._held}
            moved = keep is not None and keep in wanted
            if moved:
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False, scroll=follow)
            if not follow:
                self.scroll_to(y=scroll_y, animate=False, immediate=True)
            home = Coordinate(0, 0)
            if now and (origin != home or self.cursor_coordinate != home or (follow and moved)):
                # DataTable brings the cursor into view after the next frame: that frame
                # would draw the rows at the old scroll, and the next the rows it goes to.
                self._cursor_into_view_now()

    def _show_rest(self) -> None:
        """The rows a large first `show` left for after its first frame, unless another
        `show` came meanwhile (and showed its rows whole)."""
        if len(self._order) < len(self._rows):
            self._show(self._rows, None, follow=False, scroll_y=self.scroll_y)

    def _measure_now(self) -> None:
        """What DataTable does for rows added once it is idle (their widths, the table's
        size), done now so that the scroll is put where it goes before the next frame."""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    def _cursor_into_view_now(self) -> None:
        """DataTable's `_scroll_cursor_into_view` for a row cursor, scrolled at once."""
        fixed = self._get_fixed_offset()
        _, y, width, height = self._get_row_region(self.cursor_row)
        region = Region(int(self.scroll_x) + fixed.left, y, width - fixed.left, height)
        self.scroll_to_region(region, animate=False, spacing=fixed, force=True, immediate=True)


def paint_now(*widgets: Widget) -> None:
    """Ask the screen at once for the repaint (and layout) `widgets` were given. Textual
    asks when a widget's own queue is next idle: by then the screen may have drawn a frame
    with the other changes of the same key (the text typed in a filter box), and the
    widgets are drawn in a second frame a timer tick later."""
    for widget in widgets:
        widget._check_refresh()


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """The same cell objects, in the same order."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))
