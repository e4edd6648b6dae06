"""Contacts and their communication log as tables that update in place by row key, so a
refresh (another person's edit arriving by polling) keeps the cursor and the scroll."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from rich.text import Text

from itpm_tui.domain.enums import StakeholderType
from itpm_tui.domain.stakeholders import Due, DueState
from itpm_tui.queries.stakeholders import Contact, LogRow
from itpm_tui.widgets.formatting import format_date, literal, tone
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn

R = TypeVar("R")

#: Terminal widths from which the contact table shows more columns (see stakeholders.tcss).
MEDIUM, WIDE = 120, 150

SHORT_TYPE = {
    StakeholderType.CLIENT_DECISION_MAKER.value: "decider",
    StakeholderType.SPONSOR.value: "sponsor",
    StakeholderType.END_USER.value: "end user",
    StakeholderType.VENDOR.value: "vendor",
    StakeholderType.HELPDESK.value: "helpdesk",
    StakeholderType.INTERNAL.value: "engineer",
}


def due_text(due: Due, *, short: bool = True) -> Text:
    """Overdue and due are told by symbol and words; colour only repeats them."""
    if due.state is DueState.OVERDUE:
        words = f"{due.days}d overdue" if short else due.words()
        return Text(f"⚠ {words}", style=tone("bold red"))
    if due.state is DueState.DUE:
        return Text("● due today", style=tone("bold yellow"))
    if due.state is DueState.UPCOMING:
        return Text(f"in {due.days}d" if short else due.words())
    return Text("—", style="dim")


def due_rank(due: Due) -> tuple[int, int]:
    """Most overdue first, then due today, then soonest, then nothing due."""
    order = {DueState.OVERDUE: 0, DueState.DUE: 1, DueState.UPCOMING: 2, DueState.NONE: 3}
    days = -due.days if due.state is DueState.OVERDUE else due.days
    return order[due.state], days


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column shown from terminal width `from_width`."""

    key: str
    label: str
    cell: Callable[[R, str], Text]
    from_width: int = 0
    width: int | None = None


CONTACT_COLUMNS: list[Column[Contact]] = [
    Column("name", "Name", lambda c, _: literal(c.name), width=19),
    Column("organisation", "Organisation", lambda c, _: literal(c.organisation), WIDE, 18),
    Column("type", "Type", lambda c, _: Text(SHORT_TYPE.get(c.kind, c.kind)), width=8),
    Column("channel", "Channel", lambda c, _: Text(c.channel), MEDIUM, 7),
    Column("cadence", "Cadence", lambda c, _: Text(c.cadence), MEDIUM, 13),
    Column(
        "ratings",
        "Inf/Int",
        lambda c, _: Text(f"{c.influence}/{c.interest}", justify="center"),
        WIDE,
    ),
    Column("last", "Last", lambda c, fmt: Text(format_date(c.last_contact, fmt)), MEDIUM, 10),
    Column("due", "Next update", lambda c, _: due_text(c.due), width=13),
]


def _log_project(row: LogRow, _: str) -> Text:
    return literal(row.project_code) if row.project_code else Text("—", style="dim")


LOG_COLUMNS: list[Column[LogRow]] = [
    Column("date", "Date", lambda r, fmt: Text(format_date(r.logged_on, fmt)), width=10),
    Column("channel", "Channel", lambda r, _: Text(r.channel), width=7),
    Column("by", "By", lambda r, _: literal(r.by), width=14),
    Column("project", "Project", _log_project, MEDIUM, 8),
    Column("summary", "Summary", lambda r, _: literal(r.summary)),
]


class _WidthTable(KeyedTable[R]):
    """A keyed table whose columns (and their widths) depend on the terminal width."""

    COLUMNS: Sequence[Column[Any]] = ()

    def columns_for(self, terminal_width: int) -> list[Column[Any]]:
        return [c for c in self.COLUMNS if c.from_width <= terminal_width]

    def column_width(self, column: Column[Any], terminal_width: int) -> int | None:
        return column.width

    def fit_to(self, terminal_width: int) -> None:
        self.set_columns(
            [
                TableColumn(
                    c.key, c.label, partial(_cell, c, self), self.column_width(c, terminal_width)
                )
                for c in self.columns_for(terminal_width)
            ]
        )


def _cell(column: Column[R], table: KeyedTable[R], row: R) -> Text:
    """A cell written with the table's date format at the time it is drawn."""
    return column.cell(row, table.date_format)


class ContactTable(_WidthTable[Contact]):
    COLUMNS = CONTACT_COLUMNS

    def column_width(self, column: Column[Any], terminal_width: int) -> int | None:
        if column.key == "name" and terminal_width < MEDIUM:
            return 17  # beside the grid at 80 columns, with room for a scrollbar
        return column.width


class LogTable(_WidthTable[LogRow]):
    COLUMNS = LOG_COLUMNS

    def column_width(self, column: Column[Any], terminal_width: int) -> int | None:
        if column.key != "summary":
            return column.width
        others = sum(
            (c.width or 0) + 2 for c in self.columns_for(terminal_width) if c is not column
        )
        return max(terminal_width - others - 4, 20)
