"""A report as a few kinds of blocks, so Markdown, HTML and text say exactly the same thing.

Every string in a block is plain text, user text included: each renderer escapes all of it
for its own format, so no markup can come from the data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2  # 1: the title; 2: a section; 3: a sub-section


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph; line breaks in it are kept (lessons typed on several lines)."""

    text: str
    emphasis: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """Label: value pairs, one per line."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Right-aligned columns (amounts, percentages); the same length as `headers`.
    numeric: tuple[bool, ...] = ()
    #: The last row is a total (shown bold / below a rule).
    total: bool = False

    def is_numeric(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True, slots=True)
class Record:
    """One item described by a few labelled lines: a risk, a change request."""

    title: str
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Records:
    items: tuple[Record, ...]


Block = Heading | Para | Facts | Bullets | Table | Records


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
