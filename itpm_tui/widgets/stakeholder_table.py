"""Contacts and their communication log as tables that update in place by row key, so a
refresh (another person's edit arriving by polling) keeps the cursor and the scroll."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, TypeVar

from rich.text import Text

from itpm_tui.domain.enums import StakeholderType
from itpm_tui.domain.stakeholders import Due, DueState
from itpm_tui.queries.stakeholders import Contact, LogRow
from itpm_tui.widgets.formatting import format_date, literal, tone
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn, column_widths

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
    """A column shown from terminal width `from_width`, sized by `keyed_table.column_widths`
    (`width` its narrowest, `widest` how far it grows into spare room)."""

    key: str
    label: str
    cell: Callable[[R, str], Text]
    from_width: int = 0
    width: int | None = None
    usual: int = 7
    widest: int | None = None


CONTACT_COLUMNS: list[Column[Contact]] = [
    Column("name", "Name", lambda c, _: literal(c.name), width=19, widest=30),
    Column(
        "organisation", "Organisation", lambda c, _: literal(c.organisation), WIDE, 18, widest=56
    ),
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
    Column("summary", "Summary", lambda r, _: literal(r.summary), width=20, widest=10_000),
]


class _WidthTable(KeyedTable[R]):
    """A keyed table whose columns (and their widths) depend on the terminal width."""

    COLUMNS: Sequence[Column[Any]] = ()

    def columns_for(self, terminal_width: int) -> list[Column[Any]]:
        return [c for c in self.COLUMNS if c.from_width <= terminal_width]

    def room(self, terminal_width: int) -> int:
        """The cells the table has at this terminal width."""
        return terminal_width

    def fit_to(self, terminal_width: int) -> None:
        columns = self.columns_for(terminal_width)
        widths = column_widths(columns, self.room(terminal_width))
        self.set_columns(
            [TableColumn(c.key, c.label, partial(_cell, c, self), widths[c.key]) for c in columns]
        )


def _cell(column: Column[R], table: KeyedTable[R], row: R) -> Text:
    """A cell written with the table's date format at the time it is drawn."""
    return column.cell(row, table.date_format)


class ContactTable(_WidthTable[Contact]):
    """Beside the influence/interest grid (see stakeholders.tcss for its widths)."""

    COLUMNS = CONTACT_COLUMNS

    def columns_for(self, terminal_width: int) -> list[Column[Any]]:
        columns = super().columns_for(terminal_width)
        if terminal_width < MEDIUM:  # beside the grid at 80 columns, with a scrollbar
            columns = [replace(c, width=17) if c.key == "name" else c for c in columns]
        return columns

    def room(self, terminal_width: int) -> int:
        return terminal_width - (45 if terminal_width >= WIDE else 34)


class LogTable(_WidthTable[LogRow]):
    """Under the contacts, the whole width: the summary takes what the others leave."""

    COLUMNS = LOG_COLUMNS
