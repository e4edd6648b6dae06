"""How far a long command got, on one line of a terminal's stderr, erased when it is done.

Only on a terminal: a script that pipes or redirects stderr never sees it. Rewritten in
place (carriage return, erase to the end of the line) at most ten times a second.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class ProgressLine:
    """Callable as a `formats.portfolio_json.Progress`: (section, rows, bytes read, size)."""

    def __init__(self, verb: str, stream: TextIO) -> None:
        self.verb = verb
        self.stream = stream
        self.last = 0.0
        self.shown = False

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
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        done = f"{min(read * 100 // size, 100)}%" if size else f"{read / 1e6:,.0f} MB"
        text = f"{self.verb}: {done} of the file read"
        if section:
            text += f", {section}: {rows:,} rows checked"
        width = max(shutil.get_terminal_size().columns - 1, 10)
        self.stream.write("\r" + text[:width] + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the line (if one was shown), so what follows starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
