"""User text made safe to put in a report: no control characters, predictable line breaks.

A name holding an escape sequence (``\\x1b]52;…\\x07`` writes the clipboard of many
terminals) or a bidirectional override must not reach a terminal, a browser or a mail client
as anything but visible text.
"""

from __future__ import annotations

import re
import unicodedata

#: Bidirectional embedding, override and isolate controls: they reorder what is shown.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")


def clean(text: str) -> str:
    """The text with line breaks as ``\\n``, tabs as spaces and every other control
    character (C0, DEL, C1, bidirectional controls) removed."""
    text = _BREAKS.sub("\n", str(text)).replace("\t", " ")
    return "".join(
        c for c in text if c == "\n" or (unicodedata.category(c) != "Cc" and c not in _BIDI)
    )


def one_line(text: str) -> str:
    """`clean`, with every run of whitespace (line breaks too) made one space."""
    return " ".join(clean(text).split())
