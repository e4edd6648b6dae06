"""Contacts and their communication log as tables that update in place by row key, so a
refresh (another person's edit arriving by polling) keeps the cursor and the scroll."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.widgets import DataTable

from itpm_tui.domain.enums import StakeholderType
from itpm_tui.domain.stakeholders import Due, DueState
from itpm_tui.queries.stakeholders import Contact, LogRow
from itpm_tui.widgets.formatting import format_date, literal, tone

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


class KeyedTable(DataTable[Text], Generic[R]):
    """Rows keyed by id; `show()` updates, adds and removes so the cursor stays put."""

    COLUMNS: Sequence[Column[Any]] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.date_format = "%Y-%m-%d"
        self._terminal_width: int | None = None
        self._shown: dict[int, tuple[Text, ...]] = {}
        self._rows: list[R] = []

    def row_id(self, row: R) -> int:
        return int(row.id)  # type: ignore[attr-defined]

    def columns_for(self, terminal_width: int) -> list[Column[Any]]:
        return [c for c in self.COLUMNS if c.from_width <= terminal_width]

    def column_width(self, column: Column[Any], terminal_width: int) -> int | None:
        return column.width

    @property
    def columns_shown(self) -> list[Column[Any]]:
        return self.columns_for(self._terminal_width or 0)

    def fit_to(self, terminal_width: int) -> None:
        before = self._terminal_width
        self._terminal_width = terminal_width
        if before is not None and self._layout(before) == self._layout(terminal_width):
            return
        selected = self.selected_id
        self.clear(columns=True)
        self._shown.clear()
        for column in self.columns_shown:
            self.add_column(
                column.label, key=column.key, width=self.column_width(column, terminal_width)
            )
        self.show(self._rows, keep=selected)

    def _layout(self, width: int) -> list[tuple[str, int | None]]:
        return [(c.key, self.column_width(c, width)) for c in self.columns_for(width)]

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

    @property
    def rows_shown(self) -> list[R]:
        return list(self._rows)

    def select_id(self, row_id: int) -> bool:
        if row_id not in self._shown:
            return False
        self.move_cursor(row=self.get_row_index(str(row_id)))
        return True

    def show(self, rows: list[R], keep: int | None = None) -> None:
        """Bring the table to `rows`, in that order."""
        self._rows = list(rows)
        if self._terminal_width is None:
            return
        keep = keep if keep is not None else self.selected_id
        scroll_y = self.scroll_y
        columns = self.columns_shown
        wanted = {self.row_id(r): tuple(c.cell(r, self.date_format) for c in columns) for r in rows}
        with self.app.batch_update():
            for gone in [rid for rid in self._shown if rid not in wanted]:
                self.remove_row(str(gone))
                del self._shown[gone]
            for rid, cells in wanted.items():
                old = self._shown.get(rid)
                if old is None:
                    self.add_row(*cells, key=str(rid))
                elif old != cells:
                    for column, before, after in zip(columns, old, cells, strict=True):
                        if before != after:
                            self.update_cell(str(rid), column.key, after)
                self._shown[rid] = cells
            if columns:
                # Cells are stored as given, so the first cell's identity tells its row.
                first = columns[0].key
                place = {id(self.get_cell(str(rid), first)): i for i, rid in enumerate(wanted)}
                self.sort(first, key=lambda cell: place[id(cell)])
            if keep is not None and keep in wanted:
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False, scroll=False)
            self.scroll_to(y=scroll_y, animate=False, immediate=True)


class ContactTable(KeyedTable[Contact]):
    COLUMNS = CONTACT_COLUMNS

    def column_width(self, column: Column[Any], terminal_width: int) -> int | None:
        if column.key == "name" and terminal_width < MEDIUM:
            return 17  # beside the grid at 80 columns, with room for a scrollbar
        return column.width


class LogTable(KeyedTable[LogRow]):
    COLUMNS = LOG_COLUMNS

    def column_width(self, column: Column[Any], terminal_width: int) -> int | None:
        if column.key != "summary":
            return column.width
        others = sum(
            (c.width or 0) + 2 for c in self.columns_for(terminal_width) if c is not column
        )
        return max(terminal_width - others - 4, 20)
