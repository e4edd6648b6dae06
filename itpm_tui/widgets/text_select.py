"""A drop-down whose option labels are text: names, categories and codes shown as typed.

Textual's `Select` reads a `str` label as markup and lets control characters through; a
person's name or a budget category holding an escape sequence would reach the terminal.
Every form builds its drop-downs with `TextSelect`, which turns each `str` label into
`formatting.literal` text (markup not read, controls shown as visible marks).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from textual.widgets import Select
from textual.widgets._select import SelectType

from itpm_tui.widgets.formatting import literal


def literal_options(
    options: Iterable[tuple[RenderableType, SelectType]],
) -> list[tuple[RenderableType, SelectType]]:
    return [(literal(label) if isinstance(label, str) else label, v) for label, v in options]


class TextSelect(Select[SelectType]):
    """`Select` with every `str` option label shown literally."""

    def __init__(self, options: Iterable[tuple[RenderableType, SelectType]], **kwargs: Any) -> None:
        super().__init__(literal_options(options), **kwargs)

    def set_options(self, options: Iterable[tuple[RenderableType, SelectType]]) -> None:
        super().set_options(literal_options(options))
