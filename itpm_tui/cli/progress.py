"""How far a long command got, on one line of a terminal's stderr, erased when it is done.

Only on a terminal: a script that pipes or redirects stderr never sees it. Rewritten in
place at most ten times a second with a carriage return and spaces over what was longer:
no escape sequence, so it is plain text on any terminal.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class ProgressLine:
    """Callable as a `formats.portfolio_json.Progress`: (section, rows, bytes read, size);
    `rows` reports a copy."""

    def __init__(self, verb: str, stream: TextIO) -> None:
        self.verb = verb
        self.stream = stream
        self.last = 0.0
        self.shown = 0  # the length of the line on screen

    @classmethod
    def on_terminal(cls, verb: str) -> ProgressLine | None:
        """A progress line on stderr when stderr is a terminal, else None."""
        stream = sys.stderr
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError):
            terminal = False
        return cls(verb, stream) if terminal else None

    def __call__(self, section: str, rows: int, read: int, size: int) -> None:
        if self.due():
            done = f"{min(read * 100 // size, 100)}%" if size else f"{read / 1e6:,.0f} MB"
            text = f"{self.verb}: {done} of the file read"
            if section:
                text += f", {section}: {rows:,} rows checked"
            self.show(text)

    def rows(self, table: str, done: int, total: int) -> None:
        """Callable as a `storage.transfer.CopyProgress`: rows copied of all, the table now."""
        if self.due():
            share = done * 100 // total if total else 100
            self.show(f"{self.verb}: {share}% of {total:,} rows, {table}")

    def due(self) -> bool:
        """Whether a tenth of a second has passed since the line was last rewritten (the
        first call always is): a caller builds the text only then."""
        now = time.monotonic()
        if now - self.last < 0.1:
            return False
        self.last = now
        return True

    def show(self, text: str) -> None:
        """Rewrite the line with `text`, cut to the terminal's width."""
        width = max(shutil.get_terminal_size().columns - 1, 10)
        text = text[:width]
        self.stream.write("\r" + text.ljust(self.shown))
        self.stream.flush()
        self.shown = len(text)

    def close(self) -> None:
        """Erase the line (if one was shown), so what follows starts on a clean line."""
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0
