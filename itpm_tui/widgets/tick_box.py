"""A checkbox that reads ticked or not without colour.

Textual draws the same `▐X▌` in a ticked and an unticked box and tells them apart by colour
alone, which NO_COLOR, a 16-colour SSH session or a vt100 loses. Here the box is plain ASCII,
`[x]` ticked and `[ ]` not, in the box's own style (so colour still repeats it).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox

TICKED_BOX, UNTICKED_BOX = "[x]", "[ ]"


class TickBox(Checkbox):
    """A `Checkbox` (same messages, same keys) whose box is `[x]` or `[ ]`."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble((TICKED_BOX if self.value else UNTICKED_BOX, style))
