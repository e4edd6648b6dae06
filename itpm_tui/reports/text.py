"""Plain text: wrapped at 80 columns, for e-mail bodies, terminals and printouts.

Every line is at most `WIDTH` characters; tables shrink their text columns and wrap the cells
(amounts and dates are never broken), and a table that cannot fit even then is written as one
labelled block per row.
"""

from __future__ import annotations

import textwrap

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

WIDTH = 80
_GAP = "  "  # between table columns
_LABEL_MAX = 26  # longer labels wrap instead of pushing every value right


def render_text(doc: Document) -> str:
    lines = _wrap(doc.title, WIDTH)
    lines.append("=" * min(WIDTH, max(len(line) for line in lines)))
    lines += _wrap(doc.subtitle, WIDTH)
    for block in doc.blocks:
        lines += _block(block)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """One paragraph (whitespace collapsed) wrapped to `width`, long words broken."""
    return textwrap.wrap(
        one_line(text),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        if block.level <= 2:
            return ["", *_wrap(block.text.upper(), WIDTH)]
        return ["", *_wrap(block.text, WIDTH)]
    if isinstance(block, Para):
        out: list[str] = []
        for part in clean(block.text).split("\n"):
            if part.strip():
                out += _wrap(part, WIDTH)
            elif out and out[-1]:
                out.append("")
        return out
    if isinstance(block, Facts):
        return _facts(block.items, indent="")
    if isinstance(block, Bullets):
        return [line for item in block.items for line in _wrap(item, WIDTH, "- ", "  ")]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Records):
        out = []
        for record in block.items:
            out += _wrap(record.title, WIDTH, "* ", "  ")
            out += _facts(record.facts, indent="    ")
        return out
    raise TypeError(f"unknown block {block!r}")


def _facts(items: tuple[tuple[str, str], ...], indent: str) -> list[str]:
    if not items:
        return []
    label_width = min(_LABEL_MAX, max(len(one_line(label)) + 1 for label, _ in items))
    out = []
    for label, value in items:
        head = f"{indent}{one_line(label)}:"
        if len(head) > len(indent) + label_width:
            out += _wrap(head, WIDTH, "", indent)
            out += _wrap(
                value, WIDTH, indent + " " * (label_width + 1), indent + " " * (label_width + 1)
            )
            continue
        first = head.ljust(len(indent) + label_width) + " "
        out += _wrap(value, WIDTH, first, " " * len(first))
    return out


def _table(table: Table) -> list[str]:
    headers = [one_line(h) for h in table.headers]
    rows = [[one_line(c) for c in row] for row in table.rows]
    cells = [headers, *rows]
    count = len(headers)
    natural = [max(len(row[i]) for row in cells) for i in range(count)]
    room = WIDTH - len(_GAP) * (count - 1)

    def longest_word(i: int) -> int:
        return max((len(w) for row in cells for w in row[i].split()), default=1)

    for breaking in (False, True):
        floor = [
            natural[i]
            if table.is_numeric(i) and not breaking
            else (min(longest_word(i), natural[i]) if not breaking else min(6, natural[i]))
            for i in range(count)
        ]
        widths = _fit(natural, floor, room)
        if widths is not None:
            return _draw(table, headers, rows, widths)
    return _as_blocks(headers, rows)


def _fit(natural: list[int], floor: list[int], room: int) -> list[int] | None:
    """Shrink the widest shrinkable column one step at a time until the row fits."""
    widths = list(natural)
    while sum(widths) > room:
        candidates = [i for i, w in enumerate(widths) if w > floor[i]]
        if not candidates:
            return None
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _draw(table: Table, headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    def line(cells: list[str]) -> list[str]:
        wrapped = [
            textwrap.wrap(c, width=w, break_long_words=True, break_on_hyphens=False) or [""]
            for c, w in zip(cells, widths, strict=True)
        ]
        height = max(len(w) for w in wrapped)
        out = []
        for n in range(height):
            parts = []
            for i, pieces in enumerate(wrapped):
                piece = pieces[n] if n < len(pieces) else ""
                parts.append(
                    piece.rjust(widths[i]) if table.is_numeric(i) else piece.ljust(widths[i])
                )
            out.append(_GAP.join(parts).rstrip())
        return out

    rule = _GAP.join("-" * w for w in widths)
    out = ["", *line(headers), rule]
    for n, row in enumerate(rows):
        if table.total and n == len(rows) - 1:
            out.append(rule)
        out += line(row)
    return out


def _as_blocks(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A table too wide for 80 columns: one bullet per row, its cells labelled."""
    out: list[str] = []
    for row in rows:
        out += _wrap(row[0], WIDTH, "* ", "  ")
        out += _facts(tuple(zip(headers[1:], row[1:], strict=True)), indent="    ")
    return out
