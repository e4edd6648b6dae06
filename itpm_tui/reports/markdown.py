"""Markdown (GitHub flavour, with tables) for wikis, tickets and chat.

All text is escaped: a `*`, `_`, `[`, `|`, `<` or `#` in a name shows as itself and never
starts emphasis, a link, raw HTML or a new table cell.
"""

from __future__ import annotations

import re

from itpm_tui.reports.clean import clean, one_line
from itpm_tui.reports.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Heading,
    Para,
    Records,
    Table,
)

#: Characters with a meaning anywhere in a line: emphasis, code, links, raw HTML, table
#: cells, headings, strike-through and math. Brackets are escaped, so `(` and `!` cannot start
#: a link or an image and stay as typed.
_INLINE = re.compile(r"([\\`*_\[\]<>|#~$])")
#: An ampersand that would start an entity (`&amp;`, `&#60;`); a lone `&` is left alone.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What makes a line a list item, a heading underline or a quote when it starts the line.
_LINE_START = re.compile(r"^([-+=>]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """One line of user text as literal Markdown inside a line (line breaks become spaces)."""
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", one_line(text)))


def escape_start(text: str) -> str:
    """`escape`, for text that starts a line or a list item: "- x", "1. x" and "> x" stay
    text instead of starting a (nested) list or a quote."""
    escaped = escape(text)
    match = _LINE_START.match(escaped)
    if match is None:
        return escaped
    if match.group(1)[0].isdigit():  # "1." would start an ordered list: escape the dot
        return escaped[: match.end()] + "\\" + escaped[match.end() :]
    return "\\" + escaped


def render_markdown(doc: Document) -> str:
    parts = [f"# {escape(doc.title)}", f"*{escape(doc.subtitle)}*"]
    for block in doc.blocks:
        parts.append(_block(block))
    return "\n\n".join(p for p in parts if p) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * max(2, min(block.level, 6))} {escape(block.text)}"
    if isinstance(block, Para):
        paragraphs = [escape_start(line) for line in clean(block.text).split("\n") if line.strip()]
        if block.emphasis:
            paragraphs = [f"*{p}*" for p in paragraphs]
        return "\n\n".join(paragraphs)
    if isinstance(block, Facts):
        return "\n".join(f"- **{escape(label)}:** {escape(value)}" for label, value in block.items)
    if isinstance(block, Bullets):
        return "\n".join(f"- {escape_start(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Records):
        lines = []
        for record in block.items:
            lines.append(f"- **{escape(record.title)}**")
            lines += [
                f"  - {escape_start(label)}: {escape(value)}" for label, value in record.facts
            ]
        return "\n".join(lines)
    raise TypeError(f"unknown block {block!r}")


def _table(table: Table) -> str:
    def row(cells: tuple[str, ...], bold: bool = False) -> str:
        shown = [escape(c) for c in cells]
        if bold:
            shown = [f"**{c}**" if c else c for c in shown]
        return "| " + " | ".join(shown) + " |"

    align = (
        "| "
        + " | ".join("---:" if table.is_numeric(i) else "---" for i in range(len(table.headers)))
        + " |"
    )
    lines = [row(table.headers), align]
    for n, cells in enumerate(table.rows):
        lines.append(row(cells, bold=table.total and n == len(table.rows) - 1))
    return "\n".join(lines)
