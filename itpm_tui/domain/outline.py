"""The outline of a work breakdown: tasks in depth-first order with level and WBS number.

The Timeline, the reports and the MS Project export all show the same tree, so they share one
walk. Stored data can hold a parent loop (A under B under A); the walk must still end and show
every task once, so tasks only reachable through such a loop are listed flat at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One task as the outline needs it, in sibling order (sort order) within the input."""

    id: int
    parent_id: int | None
    wbs: str = ""  # a code set by hand, shown instead of the derived one


@dataclass(frozen=True, slots=True)
class OutlineRow:
    id: int
    level: int  # 0 for a top-level task
    number: str  # its place in the tree ("1.2"), whatever codes were set by hand
    code: str  # what is shown: its own WBS code, else its number under its parent's code
    children: tuple[int, ...] = ()


def outline(items: Sequence[OutlineItem]) -> list[OutlineRow]:
    """Depth-first order, children in the order given. A parent that is not among `items` makes
    a task top-level. Tasks stranded by a parent loop come last, at level 0, without children,
    numbered on from the last top-level task and shown as their code or `#id`."""
    known = {item.id for item in items}
    children: dict[int | None, list[OutlineItem]] = {}
    for item in items:
        parent = item.parent_id if item.parent_id in known else None
        children.setdefault(parent, []).append(item)
    out: list[OutlineRow] = []
    seen: set[int] = set()
    # An explicit stack instead of recursion: a deep tree cannot overflow Python's stack.
    stack: list[tuple[OutlineItem, int, str, str]] = []

    def push(parent: int | None, level: int, number: str, code: str) -> None:
        kids = children.get(parent, [])
        for n, kid in reversed(list(enumerate(kids, 1))):
            stack.append(
                (
                    kid,
                    level,
                    f"{number}.{n}" if number else str(n),
                    kid.wbs or (f"{code}.{n}" if code else str(n)),
                )
            )

    push(None, 0, "", "")
    while stack:
        item, level, number, code = stack.pop()
        if item.id in seen:  # cannot happen in a tree; a guard, not a rule
            continue
        seen.add(item.id)
        kids = tuple(kid.id for kid in children.get(item.id, []))
        out.append(OutlineRow(item.id, level, number, code, kids))
        push(item.id, level + 1, number, code)
    top = len(children.get(None, []))
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            top += 1
            out.append(OutlineRow(item.id, 0, str(top), item.wbs or f"#{item.id}"))
    return out
