"""Text from the database or a file made safe to print on a terminal.

A value holding an escape sequence (``\\x1b]52;c;…\\x07`` sets the clipboard of many
terminals, ``\\x1b]0;…\\x07`` the window title, ``\\x9b2J`` clears the screen) must be
shown, never obeyed. `printable` is the one rule: every C0 control (but those kept, tab by
default), DEL, every C1 control and the bidirectional overrides (which make a terminal that
applies them show the text after them in another order) becomes a visible ``\\xNN`` or
``\\uNNNN`` mark, so what was stored can still be read and typed back. The screens use it
through `widgets.formatting.literal`, the command line for its output and its error
messages.
"""

from __future__ import annotations

import re
from functools import cache

#: The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): a
#: name holding one can show on a terminal as another text ("Trojan Source").
BIDI_CODES = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: Every code `is_control` names, in order.
CONTROL_CODES = (*range(0x20), *range(0x7F, 0xA0), *BIDI_CODES)
_CONTROLS = frozenset(map(chr, CONTROL_CODES))


def is_control(ch: str) -> bool:
    """C0 (below space), DEL, C1 (0x80–0x9F) or a bidirectional override: what a terminal
    may take as a command, or that changes how the text after it is shown."""
    return ch in _CONTROLS


def mark(code: int) -> str:
    """The visible mark a control character is shown as: ``\\x1b``, ``\\u202e``."""
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


@cache
def controls_but(keep: str = "") -> re.Pattern[str]:
    """Finds the characters `is_control` names but those in `keep`: one search in C instead
    of a call per character (a thousand rows of names and clients, a portfolio's texts)."""
    found = (chr(c) for c in CONTROL_CODES if chr(c) not in keep)
    return re.compile("[" + "".join(re.escape(c) for c in found) + "]")


def printable(value: object, keep: str = "\t") -> str:
    """`value` as text with every control character not in `keep` shown as its `mark`."""
    text = "" if value is None else str(value)
    if controls_but(keep).search(text) is None:
        return text
    return controls_but(keep).sub(lambda found: mark(ord(found.group())), text)


def printable_lines(value: object) -> str:
    """`printable`, keeping line breaks and tabs: for text printed over several lines."""
    return printable(value, keep="\t\n")


def printable_output(value: object) -> str:
    """`printable` for what a command prints: tabs, line breaks and CRLF line ends (a
    calendar printed to stdout) kept; a lone carriage return, which would let a name
    overwrite the start of its line, shown as a mark."""
    text = "" if value is None else str(value)
    if controls_but().search(text) is None:
        return text
    return "\r\n".join(printable(part, keep="\t\n") for part in text.split("\r\n"))


def json_controls_escaped(text: str) -> str:
    """JSON text written with ``ensure_ascii=False`` (which escapes only C0) with DEL and the
    C1 controls escaped as ``\\u00NN`` too: the same data, but never a raw C1 CSI on a
    terminal. Valid JSON holds such characters only inside strings, so this is exact."""
    if not any(0x7F <= ord(ch) <= 0x9F for ch in text):
        return text
    return "".join(f"\\u{ord(ch):04x}" if 0x7F <= ord(ch) <= 0x9F else ch for ch in text)
