"""The Budget screen's text panels: the category table, the earned value figures and the
portfolio line, laid out by hand so exact amounts line up right-aligned at any width."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from rich.text import Text

from itpm_tui.domain.earned_value import EarnedValue
from itpm_tui.domain.money import format_compact, format_money
from itpm_tui.queries.budget import BudgetFigures, BudgetSummary, CurrencyTotals
from itpm_tui.widgets.formatting import format_date, literal, tone

OVER = "✖ over"


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency, symbol=False)


def _variance_percent(fig: BudgetFigures) -> Text:
    over = fig.over_budget
    pct = fig.variance_percent
    out = Text(no_wrap=True, justify="right")
    if over:
        out.append(OVER + " ", style=tone("bold red"))
    out.append("—" if pct is None else f"{pct:+}%", style=tone("bold red") if over else "")
    return out


def _tone_of(fig: BudgetFigures, column: int) -> str:
    """Red for what is already over (remaining) or forecast to be (forecast, variance)."""
    if column == 3 and fig.over_budget:
        return tone("bold red")
    if column in (4, 5) and fig.variance < 0:
        return tone("bold red")
    return ""


#: How amounts are written when the exact figures do not fit: exact, whole units, compact.
_AMOUNT_STYLES = ("exact", "whole", "compact")


def _amount_text(amount: Decimal, currency: str, style: str) -> str:
    if style == "exact":
        return _money(amount, currency)
    if style == "whole":
        return f"{amount.quantize(Decimal(1), rounding=ROUND_HALF_EVEN):,}"
    return format_compact(amount)


def category_table(summary: BudgetSummary, width: int) -> Text:
    """One line per category and the total in the project's currency, laid out by hand
    (right-aligned figures) to fit `width` cells: exact amounts when they fit, else rounded
    to whole units, else compact (the ledger below always has the exact figures)."""
    cur = summary.currency
    rows = [*summary.categories, summary.total]
    headers = ("Budget", "Committed", "Actual", "Remaining", "Forecast", "Variance", "Var %")
    for style in _AMOUNT_STYLES:
        cells: list[list[str | Text]] = [
            [
                *(
                    _amount_text(amount, cur, style)
                    for amount in (f.budget, f.committed, f.actual, f.remaining)
                ),
                _amount_text(f.forecast, cur, style),
                _amount_text(f.variance, cur, style),
                _variance_percent(f),
            ]
            for f in rows
        ]
        widths = [
            max(len(h), *(Text(c).cell_len if isinstance(c, str) else c.cell_len for c in col))
            for h, col in zip(headers, zip(*cells, strict=True), strict=True)
        ]
        if 8 + sum(w + 1 for w in widths) <= width:
            break
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{summary.code} ", style="bold")
    out.append_text(literal(summary.name))
    unit = {"exact": "", "whole": ", rounded", "compact": ", k = thousand"}[style]
    out.append(f" · amounts in {cur}{unit}\n", style="dim")
    name_w = max(8, width - sum(w + 1 for w in widths) - 1)
    head = "Category".ljust(name_w) + "".join(
        " " + h.rjust(w) for h, w in zip(headers, widths, strict=True)
    )
    out.append(head + "\n", style="bold underline")
    for i, (fig, row) in enumerate(zip(rows, cells, strict=True)):
        is_total = i == len(rows) - 1
        line = Text(style="bold" if is_total else "")
        name = Text("Total") if is_total else literal(fig.category)
        name.truncate(name_w, overflow="ellipsis", pad=True)
        line.append_text(name)
        for j, (cell, w) in enumerate(zip(row, widths, strict=True)):
            line.append(" ")
            piece = cell if isinstance(cell, Text) else Text(cell, style=_tone_of(fig, j))
            line.append(" " * (w - piece.cell_len))
            line.append_text(piece)
        out.append_text(line)
        if not is_total:
            out.append("\n")
    return out


_METRICS = (
    ("PV", "pv", True),
    ("EV", "ev", True),
    ("AC", "ac", True),
    ("SV", "sv", True),
    ("CV", "cv", True),
    ("SPI", "spi", False),
    ("CPI", "cpi", False),
    ("EAC", "eac", True),
    ("ETC", "etc", True),
    ("VAC", "vac", True),
    ("TCPI", "tcpi", False),
)
_BAD_WHEN = {"sv": "neg", "cv": "neg", "vac": "neg", "spi": "low", "cpi": "low", "tcpi": "high"}


def _metric(ev: EarnedValue, key: str, money: bool, currency: str) -> Text:
    value = getattr(ev, key)
    if value is None:
        return Text("n/a", style="dim")
    shown = _money(value, currency) if money else f"{value:.2f}"
    bad = _BAD_WHEN.get(key)
    worse = (
        (bad == "neg" and value < 0)
        or (bad == "low" and value < 1)
        or (bad == "high" and value > 1)
    )
    return Text(shown, style=tone("bold red") if worse else "")


def ev_panel(summary: BudgetSummary, *, wide: bool) -> Text:
    """The eleven figures (3 per line when narrow, 2 columns when wide), why some are n/a,
    and the plain-language lines."""
    ev = summary.ev
    out = Text(no_wrap=False)
    status = summary.status_date or summary.today
    out.append(f"Earned value at {format_date(status)}", style="bold")
    if status != summary.today:
        out.append(" (status date · t to change)", style=tone("bold yellow"))
    out.append(f" · BAC {_money(summary.total.budget, summary.currency)}", style="dim")
    out.append("\n")
    if ev is not None:
        per_line = 2 if wide else 4
        width = 13 if wide else 9
        for i, (label, key, money) in enumerate(_METRICS):
            cell = Text(f"{label:<4} ", style="bold")
            figure = _metric(ev, key, money, summary.currency)
            figure.pad_left(max(0, width - figure.cell_len))
            cell.append_text(figure)
            out.append_text(cell)
            last = i == len(_METRICS) - 1
            out.append("\n" if (i + 1) % per_line == 0 or last else "   ")
        missing: dict[str, list[str]] = {}
        for label, key, _money_flag in _METRICS:
            reason = ev.reason(key)
            if getattr(ev, key) is None and reason:
                missing.setdefault(reason, []).append(label)
        told = " ".join(summary.ev_lines)
        for reason, labels in missing.items():
            if reason in told:
                continue  # the plain-language line below already says it
            out.append(f"{', '.join(labels)} n/a: {reason}\n", style="dim")
    for line in summary.ev_lines:
        out.append(f"• {line}\n")
    out.rstrip()
    return out


def portfolio_rollup(portfolio: dict[str, CurrencyTotals], *, wide: bool) -> Text:
    """The portfolio's totals, one per currency and never summed across currencies: a line
    per currency with the exact figures when wide, one compact line of budget and actual
    spend otherwise."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if not portfolio:
        return out
    totals = [portfolio[c] for c in sorted(portfolio)]
    if wide:
        for i, t in enumerate(totals):
            out.append(" Portfolio " if i == 0 else " " * 11, style="bold")
            out.append(f"{t.currency} ", style="bold")
            out.append(
                f"budget {_money(t.budget, t.currency)} · "
                f"committed {_money(t.committed, t.currency)} · "
                f"actual {_money(t.actual, t.currency)} · "
            )
            out.append(
                f"remaining {_money(t.remaining, t.currency)}",
                style=tone("bold red") if t.remaining < 0 else "",
            )
            out.append(f"  ({t.projects} project{'' if t.projects == 1 else 's'})", style="dim")
            if i < len(totals) - 1:
                out.append("\n")
        return out
    out.append(" Portfolio: ", style="bold")
    for i, t in enumerate(totals):
        if i:
            out.append(" | ", style="dim")
        out.append(f"{t.currency} ", style="bold")
        budget, spent = format_compact(t.budget), format_compact(t.actual)
        # Words on the first currency only, so two or three still fit in 80 columns.
        out.append(f"{budget} budget · {spent} spent" if i == 0 else f"{budget} · {spent}")
    return out
