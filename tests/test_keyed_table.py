"""Keyed tables refreshed while open: widths follow the content, cursor and scroll stay."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from textual.app import App, ComposeResult

from itpm_tui.domain.enums import Health
from itpm_tui.queries.portfolio import PortfolioRow
from itpm_tui.widgets.portfolio_table import PortfolioTable


def project(pid: int, budget: str) -> PortfolioRow:
    return PortfolioRow(
        id=pid,
        code=f"P-{pid}",
        name=f"Project {pid}",
        client="ACME",
        phase="execution",
        status="active",
        manager="Mia",
        currency="EUR",
        archived=False,
        version=1,
        health=Health.GREEN,
        health_reason="",
        percent_complete=40,
        slip_days=0,
        budget=Decimal(budget),
        actual=Decimal(0),
        committed=Decimal(0),
        open_high_risks=0,
        open_critical_risks=0,
        pending_changes=0,
        next_milestone="",
        next_milestone_date=None,
    )


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PortfolioTable()


def lines(table: PortfolioTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.row_count + 1)]


async def test_a_refresh_with_a_wider_value_shows_it_whole() -> None:
    """A dashboard left open: a variance grows from `+500` to `+29.6k` on a poll."""
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(PortfolioTable)
        table.fit_to(100)
        rows = [project(1, "800"), project(2, "500")]
        table.show(rows)
        await pilot.pause()
        assert any("+500" in line for line in lines(table))
        table.move_cursor(row=1)
        table.show([rows[0], replace(rows[1], budget=Decimal("29600"))])
        await pilot.pause()
        assert any("+29.6k" in line for line in lines(table)), lines(table)
        assert table.selected_id == 2
        # Narrower again: still whole.
        table.show(rows)
        await pilot.pause()
        assert any("+500" in line for line in lines(table))


async def test_rows_follow_the_order_and_the_cursor_its_row() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(PortfolioTable)
        table.fit_to(100)
        table.sort_key = "code"
        table.show([project(1, "10"), project(2, "20"), project(3, "30")])
        await pilot.pause()
        table.move_cursor(row=1)
        table.sort_reverse = True
        table.show([project(2, "20"), project(3, "30"), project(4, "40")])
        await pilot.pause()
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [
            "P-4",
            "P-3",
            "P-2",
        ]
        assert table.selected_id == 2


async def test_a_filter_narrowing_many_rows_lays_the_table_out_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows leaving one by one would renumber the table each time (quadratic): a filter
    narrowing 300 rows to 3, and widening again, lays them out in one pass each way."""
    from textual.widgets import DataTable

    removed: list[object] = []
    real = DataTable.remove_row

    def remove_row(self: DataTable[object], key: object) -> None:
        removed.append(key)
        real(self, key)  # type: ignore[arg-type]

    monkeypatch.setattr(DataTable, "remove_row", remove_row)
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(PortfolioTable)
        table.fit_to(100)
        table.sort_key = "code"
        rows = [project(pid, "10") for pid in range(100, 400)]
        table.show(rows)
        await pilot.pause()
        table.move_cursor(row=5)
        table.show([r for r in rows if str(r.id).endswith("05")])  # 105, 205, 305
        await pilot.pause()
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [
            "P-105",
            "P-205",
            "P-305",
        ]
        assert table.selected_id == 105  # the cursor stays on its row
        table.show(rows)
        await pilot.pause()
        assert table.row_count == 300
        assert table.get_row_at(299)[0].plain == "P-399"
        assert table.selected_id == 105
        table.show(rows[1:])  # one row gone (a project archived elsewhere): a diff
        await pilot.pause()
        assert table.row_count == 299
        assert removed == ["100"]


class BothApp(App[None]):
    """A keyed table beside a plain DataTable, neither focused."""

    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable

        yield PortfolioTable()
        yield DataTable(cursor_type="row", zebra_stripes=True)


async def test_the_rows_are_drawn_as_a_plain_data_table_draws_them() -> None:
    """Rows laid out at once and their cells drawn by `text_cells` look exactly as the
    same cells added one by one to Textual's DataTable (which draws them through Rich)."""
    from textual.widgets import DataTable

    app = BothApp()
    async with app.run_test(size=(160, 30)) as pilot:
        table = app.query_one(PortfolioTable)
        table.fit_to(160)
        table.sort_key = "code"
        rows = [
            replace(project(i, str(i * 997)), health=health, health_reason=reason)
            for i, (health, reason) in enumerate(
                [(Health.RED, "over budget"), (Health.AMBER, "2 late tasks"), (None, "")] * 3,
                start=1,
            )
        ]
        table.show(rows[:2])
        table.show(list(reversed(rows)))  # a new order: laid out again
        plain = next(t for t in app.query(DataTable) if not isinstance(t, PortfolioTable))
        for column in table.ordered_columns:
            width = None if column.auto_width else column.width
            plain.add_column(column.label, key=str(column.key.value), width=width)
        for i in range(table.row_count):
            plain.add_row(*table.get_row_at(i), key=f"r{i}")
        table.move_cursor(row=3)
        plain.move_cursor(row=3)
        await pilot.pause()
        assert table.row_count == plain.row_count == len(rows)
        for y in range(len(rows) + 1):
            assert list(table.render_line(y)) == list(plain.render_line(y)), y


async def test_a_restyle_redraws_only_when_the_styles_change() -> None:
    """A screen shown again restyles its table without changing a colour: the lines drawn
    are kept. A new theme changes the colours: the lines (the cursor's too) are drawn again
    as a table that forgets everything on a restyle draws them."""
    from textual.widgets import DataTable

    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(PortfolioTable)
        table.fit_to(100)
        table.show([project(1, "10"), project(2, "20")])
        await pilot.pause()
        before = [table.render_line(y) for y in (1, 2)]
        table.notify_style_update()
        await pilot.pause()
        assert all(
            a is b for a, b in zip([table.render_line(y) for y in (1, 2)], before, strict=True)
        )
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        themed = [list(table.render_line(y)) for y in (1, 2)]
        assert themed != [list(line) for line in before]
        DataTable.notify_style_update(table)  # forget every line drawn
        await pilot.pause()
        assert themed == [list(table.render_line(y)) for y in (1, 2)]


async def test_the_size_told_after_the_first_frame_keeps_its_lines() -> None:
    """A table shown for the first time (a screen's first visit) hears of its size only
    after its first frame is drawn: told the size it was drawn at, it keeps those lines;
    told a new size, it draws them again."""
    from textual.events import Resize
    from textual.geometry import Size

    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(PortfolioTable)
        table.fit_to(100)
        table.show([project(1, "10"), project(2, "20")])
        await pilot.pause()
        table._drawn_size = None  # as before its first frame
        drawn = table.render_line(1)
        table.render_lines(table.size.region)
        table.post_message(Resize(table.size, table.virtual_size, table.container_size))
        await pilot.pause()
        assert table.render_line(1) is drawn
        bigger = Size(table.size.width, table.size.height + 1)
        table.post_message(Resize(bigger, table.virtual_size, table.container_size))
        await pilot.pause()
        assert table.render_line(1) is not drawn
