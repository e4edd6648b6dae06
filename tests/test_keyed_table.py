"""KeyedTable's own drawing: lines kept across restyles must never outlive the widths, and
rows drawn from kept lines are those DataTable draws."""

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from itpm_tui.widgets.keyed_table import MANY, KeyedTable, TableColumn


@dataclass(frozen=True)
class Item:
    id: int
    code: str


class TableApp(App[None]):
    CSS = "KeyedTable { height: 1fr; }"  # its size stays as rows come, as on every screen

    def compose(self) -> ComposeResult:
        yield KeyedTable[Item]()


async def test_lines_drawn_before_the_rows_were_measured_are_drawn_again() -> None:
    """A table can be drawn between rows being added and being measured (on idle), with the
    columns still at their labels' width; once measured, the lines show the whole cell."""
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table: KeyedTable[Item] = app.query_one(KeyedTable)
        table.set_columns([TableColumn("code", "Code", lambda r: Text(r.code))])
        await pilot.pause()
        table.show([Item(1, "MOVE-26"), Item(2, "FW-26")])
        early = table.render_lines(Region(0, 0, 60, 3))  # before the idle measure
        assert "MOVE-26" not in "".join(s.text for s in early)
        await pilot.pause()
        lines = table.render_lines(Region(0, 0, 60, 3))
        assert "MOVE-26" in "".join(s.text for s in lines)


class DrawnByDataTable(KeyedTable[Item]):
    """The same table with its lines and rows drawn by DataTable's own code."""

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        return DataTable._render_line(self, y, x1, x2, base_style)

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        return DataTable._render_line_in_row(
            self, row_key, line_no, base_style, cursor_location, hover_location
        )


class TwoTablesApp(App[None]):
    CSS = "KeyedTable { height: 1fr; }"
    AUTO_FOCUS = None  # neither table focused: both drawn in the same state

    def compose(self) -> ComposeResult:
        yield KeyedTable[Item](id="kept")
        yield DrawnByDataTable(id="plain")


def _segments(table: KeyedTable[Item]) -> list[list[Segment]]:
    width, height = table.size
    return [list(strip) for strip in table.render_lines(Region(0, 0, width, height))]


async def test_rows_drawn_from_kept_lines_are_those_datatable_draws() -> None:
    """Rows and lines kept across a filter, a re-sort, a cell change and cursor moves are
    drawn exactly as DataTable draws them: the same text, styles and click positions."""
    app = TwoTablesApp()
    items = [Item(i, f"P{i:04}") for i in range(1, 41)]
    changed = [*items[:3], Item(4, "P0004-renamed"), *items[4:]]
    steps = [
        lambda t: t.show(items),
        lambda t: t.move_cursor(row=6),
        lambda t: t.show([i for i in items if "1" in i.code]),
        lambda t: t.show([i for i in items if "11" in i.code]),
        lambda t: t.show(items),
        lambda t: t.move_cursor(row=2),
        lambda t: t.show(list(reversed(items))),
        lambda t: t.show(items),
        lambda t: t.show(changed),
        lambda t: t.move_cursor(row=25),
        lambda t: t.show(changed[:5]),
    ]
    async with app.run_test(size=(50, 24)) as pilot:
        tables = [app.query_one("#kept", KeyedTable), app.query_one("#plain", KeyedTable)]
        for table in tables:
            table.set_columns(
                [
                    TableColumn("code", "Code", lambda r: Text(r.code)),
                    TableColumn("half", "Half", lambda r: Text(str(r.id // 2), justify="right")),
                ]
            )
        await pilot.pause()
        for number, step in enumerate(steps):
            for table in tables:
                step(table)
            await pilot.pause()
            kept, plain = (_segments(table) for table in tables)
            assert kept == plain, f"step {number}"
            assert any("P00" in segment.text for line in kept for segment in line)
        assert tables[0]._row_lines and not tables[1]._row_lines  # each drawn its own way


async def test_rows_laid_out_again_are_scrolled_to_the_cursor_before_the_next_frame() -> None:
    """A filter or a sort that moves the selected row far down scrolls to it at once, where
    DataTable would first draw a frame at the old scroll; the frame after moves nothing."""
    app = TableApp()
    items = [Item(i, f"P{i:04}") for i in range(1, 201)]
    async with app.run_test(size=(40, 12)) as pilot:
        table: KeyedTable[Item] = app.query_one(KeyedTable)
        table.set_columns([TableColumn("code", "Code", lambda r: Text(r.code))])
        table.show(items[:20])
        await pilot.pause()
        table.move_cursor(row=15)
        await pilot.pause()
        table.show(list(reversed(items)))  # the row selected (id 16) is now 185th
        index = table.get_row_index("16")
        assert table.cursor_row == index
        rows_seen = table.size.height - table.header_height
        top = round(table.scroll_y)
        assert top <= index < top + rows_seen, (top, index)
        await pilot.pause()
        assert round(table.scroll_y) == top
        table.show(items)  # back near the top: the scroll follows at once again
        assert round(table.scroll_y) <= table.get_row_index("16")
        await pilot.pause()
        assert table.cursor_row == 15


async def test_a_filter_lays_the_rows_out_again_with_the_rows_it_held() -> None:
    """Narrowing, erasing and re-sorting lay the rows out in the new order with each row's
    `Row` kept (hidden rows too: nothing is made anew per key), and a row whose cells
    change as the rows move is measured again."""
    app = TableApp()
    items = [Item(i, f"P{i:04}") for i in range(1, 201)]
    async with app.run_test(size=(40, 12)) as pilot:
        table: KeyedTable[Item] = app.query_one(KeyedTable)
        table.set_columns([TableColumn("code", "Code", lambda r: Text(r.code))])
        table.show(items)
        await pilot.pause()
        held = {key.value: row for key, row in table.rows.items()}
        nines = [i for i in items if "9" in i.code]
        table.show(nines)
        assert [table.get_row_at(n)[0].plain for n in range(table.row_count)] == [
            i.code for i in nines
        ]
        table.show(list(reversed(items)))
        await pilot.pause()
        assert table.row_count == 200 and table.get_row_at(0)[0].plain == "P0200"
        assert all(table.rows[RowKey(key)] is row for key, row in held.items())
        renamed = [Item(1, "P0001-renamed-longer"), *items[1:]]
        table.show(renamed)
        await pilot.pause()
        assert table.get_row_at(0)[0].plain == "P0001-renamed-longer"
        assert table.ordered_columns[0].content_width == len("P0001-renamed-longer")


async def test_a_large_first_show_paints_a_screenful_then_adds_the_rest() -> None:
    """An empty table given more than `MANY` rows makes the cells of those a screen holds
    first (the frame that shows them does not wait for a thousand rows' cells), then adds
    the rest once it is painted, with the cursor the user moved meanwhile kept."""
    app = TableApp()
    items = [Item(i, f"P{i:04}") for i in range(1, MANY + 101)]
    made: list[int] = []

    def cell(item: Item) -> Text:
        made.append(item.id)
        return Text(item.code)

    async with app.run_test(size=(40, 12)) as pilot:
        table: KeyedTable[Item] = app.query_one(KeyedTable)
        table.set_columns([TableColumn("code", "Code", cell)])
        await pilot.pause()
        table.show(items)
        assert table.rows_shown == items  # what the table stands for is whole at once
        assert 0 < table.row_count == len(made) <= 2 * 24  # a screenful laid out
        assert made == [i.id for i in items[: table.row_count]]
        table.move_cursor(row=3)
        await pilot.pause()
        assert table.row_count == len(items) and sorted(made) == [i.id for i in items]
        assert table.selected_id == 4
        assert [table.get_row_at(n)[0].plain for n in (0, MANY + 99)] == ["P0001", "P0600"]


async def test_a_show_before_the_rest_is_added_is_the_one_kept() -> None:
    """A filter typed before the rest of a large first show is added: its rows stay."""
    app = TableApp()
    items = [Item(i, f"P{i:04}") for i in range(1, MANY + 101)]
    async with app.run_test(size=(40, 12)) as pilot:
        table: KeyedTable[Item] = app.query_one(KeyedTable)
        table.set_columns([TableColumn("code", "Code", lambda r: Text(r.code))])
        await pilot.pause()
        table.show(items)
        nines = [i for i in items if "99" in i.code]
        table.show(nines)
        await pilot.pause()
        assert [table.get_row_at(n)[0].plain for n in range(table.row_count)] == [
            i.code for i in nines
        ]


async def test_a_row_not_yet_added_can_be_selected() -> None:
    """Selecting a row a large first show has not added yet adds the rest at once."""
    app = TableApp()
    items = [Item(i, f"P{i:04}") for i in range(1, MANY + 101)]
    async with app.run_test(size=(40, 12)):
        table: KeyedTable[Item] = app.query_one(KeyedTable)
        table.set_columns([TableColumn("code", "Code", lambda r: Text(r.code))])
        table.show(items)
        assert table.row_count < len(items)
        assert table.select_id(MANY + 50)
        assert table.row_count == len(items) and table.selected_id == MANY + 50
