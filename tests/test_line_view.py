"""The line view under the ledger: lines come from the cache only while their data holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from textual.app import App, ComposeResult

from itpm_tui.queries.budget import LedgerRow
from itpm_tui.widgets.ledger_table import LedgerTable


def entry(n: int, vendor: str = "Acme") -> LedgerRow:
    return LedgerRow(
        id=n,
        entry_date=date(2026, 3, n),
        vendor=vendor,
        category="labour",
        description=f"Entry {n}",
        amount=Decimal("10.00"),
        kind="actual",
        invoice_ref="",
        version=1,
    )


class LedgerApp(App[None]):
    def __init__(self, rows: list[LedgerRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield LedgerTable(lambda _pid, offset, limit, _sort: self.rows[offset : offset + limit])


async def test_a_reset_redraws_changed_lines_and_the_header() -> None:
    rows = [entry(1), entry(2), entry(3)]
    app = LedgerApp(rows)
    async with app.run_test(size=(80, 10)) as pilot:
        ledger = app.query_one(LedgerTable)
        ledger.reset(1, 3, "EUR", first=(0, rows))
        await pilot.pause()
        assert "Acme" in ledger.render_line(1).text
        assert "Amount EUR" in ledger.render_line(0).text
        changed = [replace(rows[0], vendor="Beta"), *rows[1:]]
        ledger.reset(1, 3, "USD", first=(0, changed))
        await pilot.pause()
        assert "Beta" in ledger.render_line(1).text
        assert "Amount USD" in ledger.render_line(0).text


async def test_keys_and_clicks_move_the_cursor_within_the_lines() -> None:
    rows = [entry(n) for n in range(1, 6)]
    app = LedgerApp(rows)
    async with app.run_test(size=(80, 10)) as pilot:
        ledger = app.query_one(LedgerTable)
        ledger.reset(1, 5, "EUR", first=(0, rows))
        ledger.focus()
        await pilot.pause()
        await pilot.press("down", "down")
        assert ledger.cursor == 2 and ledger.selected_row == rows[2]
        await pilot.press("end")
        assert ledger.cursor == 4
        await pilot.click(LedgerTable, offset=(5, 1 + 1))  # below the one header line
        assert ledger.cursor == 1
        await pilot.click(LedgerTable, offset=(5, 0))  # the header selects nothing
        assert ledger.cursor == 1
        await pilot.press("home", "up")
        assert ledger.cursor == 0
