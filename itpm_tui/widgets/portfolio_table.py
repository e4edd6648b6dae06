"""The portfolio as a table that updates in place: rows are matched by project id, so a
refresh keeps the cursor on the same project and the scroll where the user left it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text

from itpm_tui.domain.enums import Health
from itpm_tui.widgets.formatting import (
    format_date,
    health_text,
    literal,
    money_text,
    percent_bar,
    slip_text,
    tone,
    variance_text,
)
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn, column_widths

if TYPE_CHECKING:
    from itpm_tui.queries.portfolio import PortfolioRow

_HEALTH_RANK = {Health.RED: 0, Health.AMBER: 1, Health.GREEN: 2, None: 3}


@dataclass(frozen=True)
class Column:
    """A column shown from terminal width `from_width` (and below `until_width`, if set).

    Sized by `keyed_table.column_widths`: `width` its narrowest (None: as wide as its widest
    cell, about `usual` cells); with `widest` it takes the room left over, up to that width."""

    key: str
    label: str
    cell: Callable[[PortfolioRow, str], Text]
    sort: Callable[[PortfolioRow], Any]
    from_width: int = 0
    until_width: int | None = None
    width: int | None = None
    usual: int = 8
    widest: int | None = None

    def fits(self, terminal_width: int) -> bool:
        return self.from_width <= terminal_width < (self.until_width or 10**6)


#: Terminal widths from which more columns are shown: each tier's columns fit at its width.
MEDIUM, LARGE, FULL = 120, 160, 200

COLUMNS = [
    Column("code", "Code", lambda r, _: literal(r.code), lambda r: r.code, usual=8),
    Column(
        "name",
        "Name",
        lambda r, _: literal(r.name),
        lambda r: r.name.casefold(),
        width=20,
        widest=48,
    ),
    Column(
        "client",
        "Client",
        lambda r, _: literal(r.client),
        lambda r: r.client.casefold(),
        from_width=FULL,
        width=18,
        widest=30,
    ),
    Column(
        "phase", "Phase", lambda r, _: Text(r.phase), lambda r: r.phase, from_width=MEDIUM, usual=14
    ),
    Column(
        "health",
        "Health",
        lambda r, _: health_text(r.health, r.health_reason),
        lambda r: (_HEALTH_RANK[r.health], r.code),
        width=24,
    ),
    Column(
        "percent",
        "Done",
        lambda r, _: percent_bar(r.percent_complete),
        lambda r: r.percent_complete,
        from_width=MEDIUM,
        usual=10,
    ),
    Column(
        "done",
        "Done",
        lambda r, _: Text(f"{r.percent_complete}%", justify="right"),
        lambda r: r.percent_complete,
        until_width=MEDIUM,
        usual=4,
    ),
    Column(
        "slip",
        "Slip",
        lambda r, _: slip_text(r.slip_days),
        lambda r: -10_000 if r.slip_days is None else r.slip_days,
        usual=5,
    ),
    Column(
        "spent",
        "Spent",
        lambda r, _: money_text(r.actual + r.committed, r.currency),
        lambda r: (r.currency, r.actual + r.committed),
        from_width=LARGE,
        usual=11,
    ),
    Column(
        "variance",
        "Var",
        lambda r, _: variance_text(r.variance),
        lambda r: (r.currency, r.variance),
        usual=8,
    ),
    Column(
        "risks",
        "Risks",
        lambda r, _: _risk_text(r),
        lambda r: (r.open_critical_risks, r.open_high_risks),
        from_width=MEDIUM,
        usual=6,
    ),
    Column(
        "updates",
        "Upd",
        lambda r, _: _updates_text(r),
        lambda r: r.updates_due,
        from_width=MEDIUM,
        usual=3,
    ),
    Column(
        "milestone",
        "Next milestone",
        lambda r, fmt: _milestone_text(r, fmt),
        lambda r: (r.next_milestone_date is None, r.next_milestone_date),
        from_width=LARGE,
        width=26,
        widest=48,
    ),
    Column(
        "manager",
        "Manager",
        lambda r, _: literal(r.manager),
        lambda r: r.manager.casefold(),
        from_width=FULL,
        width=16,
        widest=24,
    ),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


def _risk_text(row: PortfolioRow) -> Text:
    if row.open_critical_risks:
        return Text(f"{row.open_high_risks} ({row.open_critical_risks}!)", style=tone("bold red"))
    return Text(str(row.open_high_risks), style=tone("yellow") if row.open_high_risks else "")


def _updates_text(row: PortfolioRow) -> Text:
    """Stakeholder updates due today or overdue: a count, so it reads without colour."""
    if not row.updates_due:
        return Text("0", style="dim", justify="right")
    return Text(str(row.updates_due), style=tone("bold yellow"), justify="right")


def _milestone_text(row: PortfolioRow, date_format: str) -> Text:
    if not row.next_milestone:
        return Text("—", style="dim")
    out = Text()
    if row.next_milestone_overdue:  # by symbol and word, so it reads without colour
        out.append("⚠ ", style=tone("bold red"))
    out.append(format_date(row.next_milestone_date, date_format) + " ")
    if row.next_milestone_overdue:
        out.append("overdue ", style=tone("bold red"))
    out.append_text(literal(row.next_milestone))
    return out


def search_text(row: PortfolioRow) -> str:
    """The row's visible texts in one case-folded string: what the filter looks in."""
    return " ".join(
        [
            row.code,
            row.name,
            row.client,
            row.phase,
            row.status,
            row.manager,
            row.health.value if row.health else "",
            row.health_reason,
            row.next_milestone,
        ]
    ).casefold()


def matches(row: PortfolioRow, needle: str) -> bool:
    """Filter-as-you-type: every word must appear in one of the row's visible texts."""
    haystack = search_text(row)
    return all(word in haystack for word in needle.casefold().split())


class PortfolioTable(KeyedTable["PortfolioRow"]):
    """Projects by row key = project id, in the order of `sort_key`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort_key = "health"
        self.sort_reverse = False
        self._terminal_width: int | None = None

    @property
    def columns_shown(self) -> list[Column]:
        return [c for c in COLUMNS if c.fits(self._terminal_width or 0)]

    def fit_to(self, terminal_width: int) -> None:
        """Show the columns that fit `terminal_width`, the growing ones using the room left."""
        self._terminal_width = terminal_width
        shown = self.columns_shown
        widths = column_widths(shown, terminal_width)
        self.set_columns(
            [TableColumn(c.key, c.label, partial(_cell, c, self), widths[c.key]) for c in shown]
        )

    def ordered(self, rows: list[PortfolioRow]) -> list[PortfolioRow]:
        column = next(c for c in COLUMNS if c.key == self.sort_key)
        return sorted(rows, key=column.sort, reverse=self.sort_reverse)

    def show(
        self, rows: Sequence[PortfolioRow], keep: int | None = None, *, follow: bool = False
    ) -> None:
        """Bring the table to `rows` (already filtered), in the order of `sort_key`."""
        super().show(self.ordered(list(rows)), keep, follow=follow)


def _cell(column: Column, table: PortfolioTable, row: PortfolioRow) -> Text:
    """A cell written with the table's date format at the time it is drawn."""
    return column.cell(row, table.date_format)
