"""Numbers drawn in blocks, several cells high, so a percent reads from the back of a room
(Textual's `Digits` is three rows of thin lines). Solid blocks need no colour to be seen."""

from __future__ import annotations

from rich.text import Text

#: 3×5 pixel glyphs; a pixel is two cells wide (a cell is about twice as high as wide).
FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    "%": ("#.#", "..#", ".#.", "#..", "#.#"),
    "-": ("...", "...", "###", "...", "..."),
    "+": ("...", ".#.", "###", ".#.", "..."),
}
ROWS = 5
GLYPH = 3  # pixels wide
GAP = 1  # pixels between glyphs


def size(text: str, scale: int) -> tuple[int, int]:
    """Cells (width, height) that `text` takes at `scale`."""
    glyphs = [ch for ch in text if ch in FONT]
    if not glyphs:
        return 0, 0
    pixels = len(glyphs) * GLYPH + (len(glyphs) - 1) * GAP
    return pixels * 2 * scale, ROWS * scale


def best_scale(text: str, width: int, height: int, most: int = 4) -> int:
    """The largest scale (0: none) at which `text` fits `width`×`height` cells."""
    for scale in range(most, 0, -1):
        w, h = size(text, scale)
        if w <= width and h <= height:
            return scale
    return 0


def big_number(text: str, scale: int = 1, style: str = "", *, tall: int = 0) -> Text:
    """`text` (digits, %, + and -; anything else is dropped) in blocks `scale` times the
    base 6×5 cells per glyph; `tall` rows per pixel instead of `scale` draws it taller."""
    glyphs = [FONT[ch] for ch in text if ch in FONT]
    rows_per_pixel = tall or scale
    lines: list[str] = []
    for row in range(ROWS):
        pixels = ("." * GAP).join(glyph[row] for glyph in glyphs)
        line = "".join(("█" if p == "#" else " ") * 2 * scale for p in pixels)
        lines.extend([line.rstrip()] * rows_per_pixel)
    return Text("\n".join(lines), style=style, no_wrap=True)
