"""Scroll views laid out again at the same size keep their scroll bars as drawn.

Textual's `ScrollView._size_updated` compares the virtual size the layout passes with the
view's own, which for a table or a line view never match: every layout (each screen
switched back to, each filter key) updated the scroll bars and drew them anew, 2–6 ms of a
switch at 200×60. A view here does it only when what it is given, or its own virtual size,
changed since the last time.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollbars(ScrollView):
    #: What the last layout gave (size, virtual size, container size) with the view's own
    #: virtual size and gutter then.
    _laid_out: tuple[object, ...] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        shape = (size, virtual_size, container_size, self.virtual_size, self.styles.gutter)
        if shape == self._laid_out:
            # What ScrollView answers when nothing changed: whether the room inside the
            # gutter differs from the container's (a Resize is sent then).
            return self._container_size != container_size
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._laid_out = shape
        return changed
