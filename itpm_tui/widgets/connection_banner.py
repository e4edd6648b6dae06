"""The one line a live screen shows while the database cannot be reached.

A server restarting or a network gone is not an error to dismiss every few seconds: the
screen keeps what it showed, says so in words at the top (so it reads the same with
NO_COLOR at 80×24), and the line goes when a poll succeeds again. What it says comes from
`LiveScreen._polled`, the one place that decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.widgets import Static


def banner_text(since: datetime, problem: str) -> str:
    """What the banner says: since when (local time) and the last error's first line."""
    first = (problem.splitlines() or [""])[0].strip()
    return f"reconnecting… (since {since:%H:%M}, last error: {first})"


class ConnectionBanner(Static):
    DEFAULT_CSS = """
    ConnectionBanner {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)  # an error quotes the server literally

    def tell(self, since: datetime, problem: str) -> None:
        self.update(banner_text(since, problem))
        self.display = True

    def hide(self) -> None:
        self.display = False
