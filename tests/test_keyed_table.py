"""KeyedTable's own drawing: lines kept across restyles must never outlive the widths."""

from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn


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
