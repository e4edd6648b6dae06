"""The one sanitiser for user text on screen, and the one date-to-Input helper."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.widgets.formatting import input_date, literal

OSC52 = "\x1b]52;c;AAAA\x07"


def test_controls_are_shown_as_marks_and_markup_is_not_read() -> None:
    shown = literal(f"[bold]x[/] {OSC52}\x9b2J")
    assert shown.plain == "[bold]x[/] \\x1b]52;c;AAAA\\x07\\x9b2J"
    assert not shown.spans
    assert shown.no_wrap and shown.overflow == "ellipsis"


def test_newline_kept_only_for_multiline_text_and_tab_always() -> None:
    assert literal("a\nb\tc").plain == "a\\x0ab\tc"
    many = literal("a\nb\tc\r", multiline=True)
    assert many.plain == "a\nb\tc\\x0d"
    assert not many.no_wrap
    assert not literal("a", wrap=True).no_wrap


@given(st.text())
def test_nothing_that_drives_a_terminal_gets_through(text: str) -> None:
    for shown in (literal(text), literal(text, multiline=True)):
        assert all(
            ch in "\t\n" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in shown.plain
        )


def test_input_date_follows_the_date_format_and_is_empty_for_none() -> None:
    assert input_date(date(2026, 3, 31), "%d/%m/%Y") == "31/03/2026"
    assert input_date(date(2026, 3, 31), "%Y-%m-%d") == "2026-03-31"
    assert input_date(None, "%d/%m/%Y") == ""
