"""The risk register as a table whose columns fit the width it has.

Score, title, status and review are always there (and the project code in the portfolio
view); owner, residual score, category and response join as the width allows, the title
taking what is left. Rows are matched by risk id: a refresh that changes nothing keeps the
cursor and scroll, a changed cell is updated in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text

from itpm_tui.domain.enums import RiskStatus
from itpm_tui.domain.risk import RiskBand
from itpm_tui.widgets.formatting import format_date, literal, tone
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn

if TYPE_CHECKING:
    from itpm_tui.queries.risks import RiskRow

#: Band → (short word, text style): the word carries the band, the colour repeats it.
BAND_WORD: dict[RiskBand, tuple[str, str]] = {
    RiskBand.LOW: ("LOW", "green"),
    RiskBand.MEDIUM: ("MED", "gold1"),
    RiskBand.HIGH: ("HIGH", "bold dark_orange"),
    RiskBand.CRITICAL: ("CRIT", "bold red"),
}
STATUS_LOOK = {
    RiskStatus.OCCURRED.value: ("⚠ OCCURRED", "bold red"),
    RiskStatus.OPEN.value: ("open", ""),
    RiskStatus.WATCHING.value: ("watching", ""),
    RiskStatus.CLOSED.value: ("✓ closed", "dim"),
}
OVERDUE = "⚠ OVERDUE"
MIN_TITLE = 20  # an optional column joins only if the title keeps at least this width
WIDE_REVIEW_AFTER = 2  # the review date beside the overdue mark outranks lower priorities
_SAMPLE_DAY = date(2026, 12, 31)  # the widest day in any date format


def score_text(score: int | None, which: RiskBand | None) -> Text:
    """`16 CRIT`: the number and the band's word, coloured by band where colour is allowed."""
    if score is None or which is None:
        return Text("—", style="dim")
    word, style = BAND_WORD[which]
    return Text(f"{score:>2} {word}", style=tone(style))


def status_text(status: str) -> Text:
    label, style = STATUS_LOOK.get(status, (status, ""))
    return Text(label, style=tone(style))


@dataclass(frozen=True)
class Look:
    """What a cell needs beyond its row."""

    date_format: str
    residual: bool
    wide_review: bool


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    cell: Callable[[RiskRow, Look], Text]
    #: 0: always shown; otherwise the order in which optional columns join as width allows.
    priority: int = 0


def _review(row: RiskRow, look: Look) -> Text:
    day = format_date(row.review_date, look.date_format)
    if not row.overdue:
        return Text(day, style="dim" if row.review_date is None else "")
    if look.wide_review:
        out = Text(f"{day} ")
        out.append(OVERDUE, style=tone("bold red"))
        return out
    return Text(OVERDUE, style=tone("bold red"))


def _owner(row: RiskRow, look: Look) -> Text:
    return literal(row.owner) if row.owner else Text("— none", style="dim")


COLUMNS = [
    Column("score", "Score", 7, lambda r, _: score_text(r.score, r.band)),
    Column("code", "Project", 8, lambda r, _: literal(r.project_code)),
    Column("title", "Risk", 0, lambda r, _: literal(r.title)),
    Column("owner", "Owner", 12, _owner, priority=1),
    Column("residual", "Resid", 7, lambda r, _: score_text(r.residual_score, r.residual_band), 2),
    Column("category", "Category", 10, lambda r, _: Text(r.category), priority=3),
    Column("response", "Response", 8, lambda r, _: Text(r.response), priority=4),
    Column("status", "Status", 10, lambda r, _: status_text(r.status)),
    Column("review", "Review", 10, _review),
]


def fit_columns(
    width: int, *, portfolio: bool, date_width: int = 10, overdue: bool = True
) -> tuple[list[Column], dict[str, int], bool]:
    """The columns that fit `width` cells (each costs its width + 2 of padding), their widths
    and whether the review column has room for the date beside the overdue mark.

    Optional columns join in priority order while the title keeps `MIN_TITLE` cells; the
    date beside the overdue mark (only wanted when a review is `overdue`) joins after the
    owner and the residual score; category and response join only in that order."""
    narrow_review = max(date_width, len(OVERDUE))
    widths = {c.key: c.width for c in COLUMNS} | {"review": narrow_review}
    chosen = {c.key for c in COLUMNS if c.priority == 0 and (c.key != "code" or portfolio)}

    def title_width(keys: set[str], extra: int = 0) -> int:
        used = sum(widths[k] + 2 for k in keys if k != "title") + extra
        return width - used - 2

    wide_review = False
    review_extra = date_width + 1 + len(OVERDUE) - narrow_review
    for column in sorted((c for c in COLUMNS if c.priority), key=lambda c: c.priority):
        if overdue and column.priority > WIDE_REVIEW_AFTER and not wide_review:
            wide_review = title_width(chosen, review_extra) >= MIN_TITLE
            if wide_review:
                widths["review"] += review_extra
        if title_width(chosen | {column.key}) >= MIN_TITLE:
            chosen.add(column.key)
        elif column.priority > WIDE_REVIEW_AFTER:
            break  # category and response come as a pair, not one squeezing the title
    if overdue and not wide_review and title_width(chosen, review_extra) >= MIN_TITLE:
        wide_review = True
        widths["review"] += review_extra
    widths["title"] = max(12, title_width(chosen))
    return [c for c in COLUMNS if c.key in chosen], widths, wide_review


class RiskTable(KeyedTable["RiskRow"]):
    """Risks by row key = risk id, in the order given to `show` (the service's order)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.portfolio = False
        self.residual = False
        self._fitted: tuple[int, bool, bool, bool] | None = None

    def fit(self, width: int, *, portfolio: bool, residual: bool, overdue: bool = False) -> None:
        """Choose the columns for `width` (room for review dates beside the overdue mark when
        a review is `overdue`); rebuild only when they change."""
        self.portfolio, self.residual = portfolio, residual
        key = (width, portfolio, residual, overdue)
        if key == self._fitted or width <= 0:
            return
        self._fitted = key
        date_width = len(format_date(_SAMPLE_DAY, self.date_format))
        columns, widths, wide_review = fit_columns(
            width, portfolio=portfolio, date_width=date_width, overdue=overdue
        )
        look = Look(self.date_format, residual, wide_review)
        ordered_by = "residual" if residual else "score"  # the register's order, marked ▼
        self.set_columns(
            [
                TableColumn(
                    column.key,
                    column.label + ("▼" if column.key == ordered_by else ""),
                    _looked(column.cell, look),
                    widths[column.key],
                )
                for column in columns
            ]
        )


def _looked(cell: Callable[[RiskRow, Look], Text], look: Look) -> Callable[[RiskRow], Text]:
    return lambda row: cell(row, look)
