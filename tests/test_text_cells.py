"""The table's shortcut for one-line Text cells draws and measures what Rich would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.render import measure
from textual.renderables.styled import Styled

from itpm_tui.widgets.text_cells import _fitting_line, text_cell_line, text_width

CONSOLE = Console(width=120, color_system="truecolor", force_terminal=True, legacy_windows=False)
STYLES = st.sampled_from(
    ["", "bold", "red", "bold red on blue", "dim", "italic #ff8800", "underline"]
)
WORDS = st.text(alphabet=st.sampled_from(list("abc XYZ-09%⚠✖漢字é\t\n")), min_size=0, max_size=30)


@st.composite
def texts(draw: st.DrawFn) -> Text:
    out = Text(
        justify=draw(st.sampled_from([None, "left", "right", "center", "default", "full"])),
        overflow=draw(st.sampled_from([None, "fold", "crop", "ellipsis"])),
        style=draw(STYLES),
    )
    for _ in range(draw(st.integers(0, 4))):
        out.append(draw(WORDS), style=draw(STYLES) or None)
    return out


def rich_line(cell: Text, width: int, padding: int, pre: Style, post: Style) -> list[object]:
    """What DataTable draws for a one-line cell, through Rich's own pipeline."""
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = CONSOLE.render_lines(
        Styled(Padding(cell, (0, padding)), pre_style=pre, post_style=post), options
    )
    return lines[0]


@settings(max_examples=400, deadline=None)
@given(
    cell=texts(),
    width=st.integers(3, 40),
    padding=st.integers(0, 1),
    pre=STYLES,
    meta=st.booleans(),
    post=st.sampled_from(["", "on green", "yellow"]),
)
def test_a_cell_is_drawn_as_rich_draws_it(
    cell: Text, width: int, padding: int, pre: str, meta: bool, post: str
) -> None:
    pre_style = CONSOLE.get_style(pre)
    if meta:  # as DataTable gives it: where the cell is, for clicks
        pre_style += Style.from_meta({"row": 3, "column": 1})
    post_style = CONSOLE.get_style(post)
    ours = text_cell_line(CONSOLE, CONSOLE.options, cell, width, padding, pre_style, post_style)
    assert ours == rich_line(cell, width, padding, pre_style, post_style)


@st.composite
def plain_texts(draw: st.DrawFn) -> Text:
    """The usual table cell: one line in one style, often fitting, sometimes not."""
    return Text(
        draw(st.text(alphabet=st.sampled_from(list("ab XZ-09/▲–✓漢é ")), max_size=14)),
        style=draw(st.sampled_from(["", "bold", "bold red", "dim", Style(italic=True)])),
        justify=draw(st.sampled_from([None, "left", "right", "center", "default", "full"])),
        no_wrap=draw(st.sampled_from([None, True])),
        overflow=draw(st.sampled_from([None, "ellipsis", "crop"])),
        end=draw(st.sampled_from(["\n", ""])),
    )


@settings(max_examples=400, deadline=None)
@given(cell=plain_texts(), width=st.integers(3, 18), padding=st.integers(0, 1), meta=st.booleans())
def test_a_plain_cell_is_drawn_as_rich_draws_it(
    cell: Text, width: int, padding: int, meta: bool
) -> None:
    """The shortcut for a cell in one style that fits gives Rich's segments exactly."""
    pre_style = CONSOLE.get_style("on blue")
    if meta:
        pre_style += Style.from_meta({"row": 3, "column": 1})
    post_style = CONSOLE.get_style("yellow")
    ours = text_cell_line(CONSOLE, CONSOLE.options, cell, width, padding, pre_style, post_style)
    assert ours == rich_line(cell, width, padding, pre_style, post_style)


def test_the_usual_cell_takes_the_shortcut() -> None:
    """Fitting plain cells never reach Rich's wrap (the shortcut answers); others do."""
    assert _fitting_line(CONSOLE, Text("▲ 52/40", style="bold red", justify="right"), 8, "right")
    assert _fitting_line(CONSOLE, Text("–/40", style="dim"), 8, "default") is not None
    assert _fitting_line(CONSOLE, Text("too wide for it"), 8, "default") is None
    assert _fitting_line(CONSOLE, Text.assemble("a", ("b", "bold")), 8, "default") is None
    assert _fitting_line(CONSOLE, Text("tab\there"), 20, "default") is None


def test_no_room_inside_the_padding_is_left_to_rich() -> None:
    assert text_cell_line(CONSOLE, CONSOLE.options, Text("x"), 2, 1, Style(), Style()) is None


@settings(max_examples=300, deadline=None)
@given(cell=texts())
def test_a_cell_is_measured_as_rich_measures_it(cell: Text) -> None:
    assert text_width(cell) == measure(CONSOLE, cell, 1)
