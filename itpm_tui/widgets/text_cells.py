"""One-line table cells of Rich `Text`, measured and drawn without Rich's generic pipeline.

`DataTable` draws each cell as `Styled(Padding(cell))` through `Console.render_lines` and
measures each with `rich.measure`: nested generators, option copies and a wrap per cell,
which at a thousand rows was most of the time a table took to appear, to filter and to come
back. For the one-line `Text` cells `KeyedTable` holds, these functions take the same steps
Rich takes (wrap, join, render, crop and pad, style) directly, and give the same segments —
`tests/test_text_cells.py` compares them with Rich's own output.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_NULL = Style.null()
_NEWLINE = Text("\n")


def text_width(cell: Text) -> int:
    """What `textual.render.measure(console, cell, 1)` gives for a `Text`: its widest line."""
    plain = cell.plain
    if "\n" not in plain and "\r" not in plain:
        return cell_len(plain)
    lines = plain.splitlines()
    return max(cell_len(line) for line in lines) if lines else 0


def text_cell_line(
    console: Console,
    options: ConsoleOptions,
    cell: Text,
    width: int,
    padding: int,
    pre_style: Style,
    post_style: Style,
) -> list[Segment] | None:
    """The one line `Console.render_lines(Styled(Padding(cell, (0, padding)), pre_style,
    post_style), options.update_dimensions(width, 1).update(no_wrap=True))` would draw, or
    None where this shortcut does not apply (no room inside the padding)."""
    raw = unstyled_line(console, options, cell, width, padding)
    return None if raw is None else styled_line(raw, width, pre_style, post_style)


def unstyled_line(
    console: Console, options: ConsoleOptions, cell: Text, width: int, padding: int
) -> list[Segment] | None:
    """The cell's line before the table's styles: the costly half, the same for a cell
    wherever its row is (`styled_line` gives it the row's and the cursor's styles)."""
    inner = width - 2 * padding
    if inner < 1:
        return None
    justify = cell.justify or options.justify or "default"
    first = _fitting_line(console, cell, inner, justify)
    if first is None:
        tab_size = console.tab_size if cell.tab_size is None else cell.tab_size
        lines = cell.wrap(
            console,
            inner,
            justify=justify,
            overflow=cell.overflow or options.overflow or "fold",
            tab_size=tab_size or 8,
            no_wrap=True if cell.no_wrap is None else cell.no_wrap,
        )
        joined = _NEWLINE.join(lines)
        first = next(
            iter(
                Segment.split_and_crop_lines(
                    joined.render(console, end=cell.end),
                    inner,
                    style=_NULL,
                    include_new_lines=False,
                )
            ),
            None,
        )
    if first is None:
        first = [Segment(" " * inner, _NULL)]
    side = Segment(" " * padding, _NULL) if padding else None
    return [side, *first, side] if side is not None else first


def _fitting_line(console: Console, cell: Text, inner: int, justify: str) -> list[Segment] | None:
    """The usual cell — one printable line in one style that fits — as Rich's wrap, join,
    render and crop would give it, in a few string operations (most of a table's first
    frame went to those steps); None for any other cell."""
    plain = cell.plain
    if cell.spans or cell.no_wrap is False or cell.end not in ("\n", "") or not plain.isprintable():
        return None
    if justify in ("right", "center"):
        plain = plain.rstrip()  # as `Lines.justify` does before it pads
    room = inner - cell_len(plain)
    if room < 0:
        return None  # cut to fit: left to Rich
    if justify == "left":
        plain, room = plain + " " * room, 0
    elif justify == "right":
        plain, room = " " * room + plain, 0
    elif justify == "center":
        plain, room = " " * (room // 2) + plain + " " * (room - room // 2), 0
    elif justify not in ("default", "full"):  # `full` leaves a last line as it is
        return None
    if cell.style:
        style = console.get_style(cell.style, default=_NULL)
        if style.link:
            return None  # Rich gives each use of a link its own id
        line = [Segment(plain, style)] if plain else []
    else:
        line = [Segment(plain)]
    if room:
        line.append(Segment(" " * room, _NULL))
    return line


def styled_line(
    raw: list[Segment], width: int, pre_style: Style, post_style: Style
) -> list[Segment]:
    """`raw` with `pre_style` under and `post_style` over its own styles, as `Styled` does."""
    line: list[Segment] = []
    append = line.append
    for text, style, control in raw:
        if control:
            append(Segment(text, None, control))
            continue
        if pre_style:  # as `Segment.apply_style`: a falsy style changes nothing
            style = pre_style + style
        if post_style:
            style = style + post_style if style else post_style
        append(Segment(text, style, control))
    return Segment.adjust_line_length(line, width, pad=True)
