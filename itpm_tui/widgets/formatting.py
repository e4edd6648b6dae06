"""How values look on screen: user text stays literal, state is told by text and symbol."""

from __future__ import annotations

import os
from datetime import date, time
from decimal import Decimal

from rich.text import Text

from itpm_tui.domain.enums import Health
from itpm_tui.domain.money import format_compact
from itpm_tui.domain.text import CONTROL_CODES, mark, printable

_PLAIN = {"bold", "dim", "italic", "underline", "reverse"}


def tone(style: str) -> str:
    """`style` without its colours when NO_COLOR is set.

    Textual greys colours out under NO_COLOR, which leaves red text nearly invisible on a
    dark background; symbols and words carry the state, so the colour can simply go.
    """
    if not os.environ.get("NO_COLOR"):
        return style
    return " ".join(word for word in style.split() if word in _PLAIN)


# Symbol and word carry the state; the colour (ANSI names, so 16-colour terminals keep it)
# only repeats it.
HEALTH_LOOK = {
    Health.RED: ("✖", "RED", "bold red"),
    Health.AMBER: ("▲", "AMBER", "bold yellow"),
    Health.GREEN: ("●", "GREEN", "bold green"),
}


def literal(value: object, *, wrap: bool = False, multiline: bool = False) -> Text:
    """User text as `Text`, shown as typed and never obeyed — the one defence against text
    that would drive the terminal (an ESC sequence can rewrite the clipboard or the screen).

    No Rich markup is read from it, and every C0/C1 control character but tab (and newline,
    with `multiline`) becomes a visible `\\xNN` mark. One line cut with an ellipsis unless
    `wrap`; `multiline` wraps too.
    """
    text = printable(value, keep="\t\n" if multiline else "\t")
    if wrap or multiline:
        return Text(text)
    return Text(text, no_wrap=True, overflow="ellipsis")


def shown_literally(text: str) -> Text:
    """A long text sent or saved (a report, the body of an e-mail) as plain lines on
    screen: tabs expanded, control characters made visible, no markup read."""
    lines = (literal(line.expandtabs(4)).plain for line in text.split("\n"))
    return Text("\n".join(lines))


def show_controls_as_marks() -> None:
    """Make every `Text` and `Content` show control characters as visible marks (`mark`).

    Rich's `Text` and Textual's `Content` already clean the text they are made from (they
    drop BEL, backspace and carriage return) through one translation table each; both
    tables are extended here to every control `domain.text.is_control` names but tab and
    newline, mapped to the marks `literal` shows. So a label, a cell, a title, a toast, a
    drop-down option or a palette entry built from stored text can never carry an escape
    sequence to the terminal, even where a screen wraps it in a plain `Text(...)`. Lines a
    widget draws as `Segment`s itself must still go through `literal`. The app calls this
    once as it starts; calling it again changes nothing.
    """
    from rich import control
    from textual import content

    marks = {code: mark(code) for code in CONTROL_CODES if chr(code) not in "\t\n"}
    for table in (control._CONTROL_STRIP_TRANSLATE, content._CONTROL_STRIP_TRANSLATE):
        table.update(marks)


def health_text(health: Health | None, reason: str = "", *, with_reason: bool = True) -> Text:
    if health is None:
        out = Text("— ", style="dim")
        out.append(reason or "not rated", style="dim")
        return out
    symbol, label, style = HEALTH_LOOK[health]
    out = Text(f"{symbol} {label}", style=tone(style))
    if with_reason and reason:
        out.append(" ")
        out.append(printable(reason))
    out.no_wrap = True
    out.overflow = "ellipsis"
    return out


def slip_text(days: int | None) -> Text:
    if days is None:
        return Text("—", style="dim")
    if days > 0:
        return Text(f"+{days}d", style=tone("bold red" if days >= 10 else "yellow"))
    return Text(f"{days}d" if days else "0d")


def money_text(amount: Decimal, currency: str) -> Text:
    return Text(format_compact(amount, currency), justify="right")


def variance_text(amount: Decimal) -> Text:
    sign = "+" if amount > 0 else ""
    style = "bold red" if amount < 0 else ""
    return Text(sign + format_compact(amount), style=tone(style), justify="right")


def format_date(value: date | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else "—"


def format_moment(day: date | None, clock: time | None, fmt: str) -> str:
    """A scheduled date with its clock time when it has one (`queries.schedule.edge_clocks`:
    work starting after lunch, ``Mon 04 Jan 13:00``); a day's edges show the date alone."""
    text = format_date(day, fmt)
    return text if day is None or clock is None else f"{text} {clock:%H:%M}"


def input_date(value: date | None, fmt: str) -> str:
    """A date as the text of an Input in the user's `date_format`; empty (not "—") when
    there is none, so the field reads back as no date."""
    return "" if value is None else value.strftime(fmt)


def percent_bar(percent: int, width: int = 5) -> Text:
    """`62% ███▏ ` — the number first so it reads with no colour."""
    filled = round(width * max(0, min(100, percent)) / 100)
    out = Text(f"{percent:>3}% ")
    out.append("█" * filled, style=tone("green"))
    out.append("·" * (width - filled), style="dim")
    return out
