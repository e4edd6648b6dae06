"""The outline of a work breakdown: tasks in depth-first order with level and WBS number.

The Timeline, the reports and the MS Project export all show the same tree, so they share one
walk. Stored data can hold a parent loop (A under B under A); the walk must still end and show
every task once, so tasks only reachable through such a loop are listed flat at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One task as the outline needs it, in sibling order (sort order) within the input."""

    id: int
    parent_id: int | None
    wbs: str = ""  # a code set by hand, shown instead of the derived one


@dataclass(slots=True, unsafe_hash=True)  # read-only: see domain/bulk.py
class OutlineRow:
    id: int
    level: int  # 0 for a top-level task
    number: str  # its place in the tree ("1.2"), whatever codes were set by hand
    code: str  # what is shown: its own WBS code, else its number under its parent's code
    children: tuple[int, ...] = ()


class Outlined(Protocol):
    """What the outline reads of a task: an `OutlineItem`, or any row with these three."""

    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def wbs(self) -> str: ...


def outline(items: Sequence[Outlined]) -> list[OutlineRow]:
    """Depth-first order, children in the order given. A parent that is not among `items` makes
    a task top-level. Tasks stranded by a parent loop come last, at level 0, without children,
    numbered on from the last top-level task and shown as their code or `#id`."""
    known = {item.id for item in items}
    children: dict[int | None, list[Outlined]] = {}
    for item in items:
        parent = item.parent_id if item.parent_id in known else None
        children.setdefault(parent, []).append(item)
    out: list[OutlineRow] = []
    append = out.append
    seen: set[int] = set()
    # An explicit stack of the siblings being walked instead of recursion: a deep tree
    # cannot overflow Python's stack. Each entry: the siblings left, their level, and their
    # parent's number and code; a task with children pushes them and its siblings wait.
    stack: list[tuple[Iterator[tuple[int, Outlined]], int, str, str]] = [
        (enumerate(children.get(None, ()), 1), 0, "", "")
    ]
    while stack:
        kids, level, above, above_code = stack[-1]
        for n, item in kids:
            if item.id in seen:  # cannot happen in a tree; a guard, not a rule
                continue
            seen.add(item.id)
            number = f"{above}.{n}" if above else str(n)
            code = item.wbs or (f"{above_code}.{n}" if above_code else str(n))
            below = children.get(item.id)
            append(OutlineRow(item.id, level, number, code, _ids(below) if below else ()))
            if below:
                stack.append((enumerate(below, 1), level + 1, number, code))
                break
        else:
            stack.pop()
    top = len(children.get(None, []))
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            top += 1
            append(OutlineRow(item.id, 0, str(top), item.wbs or f"#{item.id}"))
    return out


def _ids(items: list[Outlined]) -> tuple[int, ...]:
    return tuple(item.id for item in items)


# -- restructuring: where a task goes when the PM adds, indents, outdents or moves it --------


class OutlineError(ValueError):
    """A move the outline cannot make (nothing to indent under, already at the top...)."""


def siblings(items: Sequence[OutlineItem]) -> dict[int | None, list[int]]:
    """Parent → children in their order; a parent missing from `items` counts as the top."""
    known = {item.id for item in items}
    out: dict[int | None, list[int]] = {}
    for item in items:
        out.setdefault(item.parent_id if item.parent_id in known else None, []).append(item.id)
    return out


def move_to(
    items: Sequence[OutlineItem], task_id: int, parent: int | None, index: int | None = None
) -> list[OutlineItem]:
    """The outline with `task_id` (and its subtree) placed under `parent` at `index` among
    the new siblings (None: last), in depth-first order — a list's position is the sort
    order, so storing positions keeps siblings and subtrees together."""
    by_id = {item.id: item for item in items}
    if task_id not in by_id or (parent is not None and parent not in by_id):
        raise OutlineError("that task is not in this outline")
    if parent is not None and (parent == task_id or task_id in _ancestors(by_id, parent)):
        raise OutlineError("a task cannot go under itself or one of its subtasks")
    kids = siblings(items)
    for children in kids.values():
        if task_id in children:
            children.remove(task_id)
    target = kids.setdefault(parent, [])
    target.insert(len(target) if index is None else max(0, min(index, len(target))), task_id)
    moved = {**by_id, task_id: replace(by_id[task_id], parent_id=parent)}
    order = [row.id for row in outline([moved[i] for p in kids for i in kids[p]])]
    # `outline` keeps the order given per parent: hand it the siblings parent by parent.
    return [moved[i] for i in order]


def place(items: Sequence[OutlineItem], task_id: int, how: str) -> list[OutlineItem]:
    """Indent ("indent": under the previous sibling, as its last subtask), outdent
    ("outdent": to the parent's level, right after the parent), or move among the
    siblings ("up", "down"). Raises OutlineError saying why a move is not possible."""
    by_id = {item.id: item for item in items}
    if task_id not in by_id:
        raise OutlineError("that task is not in this outline")
    kids = siblings(items)
    parent = by_id[task_id].parent_id if by_id[task_id].parent_id in by_id else None
    row = kids[parent]
    at = row.index(task_id)
    if how == "indent":
        if at == 0:
            raise OutlineError("it is the first of its level: there is no task above to go under")
        return move_to(items, task_id, row[at - 1])
    if how == "outdent":
        if parent is None:
            raise OutlineError("it is already at the top level")
        grand = by_id[parent].parent_id if by_id[parent].parent_id in by_id else None
        return move_to(items, task_id, grand, kids[grand].index(parent) + 1)
    if how in ("up", "down"):
        step = -1 if how == "up" else 1
        if not 0 <= at + step < len(row):
            raise OutlineError(f"it is already the {'first' if step < 0 else 'last'} of its level")
        return move_to(items, task_id, parent, at + step)
    raise OutlineError(f"unknown move {how!r}")


def subtree(items: Sequence[OutlineItem], task_id: int) -> list[int]:
    """`task_id` and every task under it, depth first."""
    kids = siblings(items)
    out: list[int] = []
    seen: set[int] = set()
    stack = [task_id]
    while stack:
        current = stack.pop()
        if current in seen:  # a stored parent loop must not spin
            continue
        seen.add(current)
        out.append(current)
        stack.extend(reversed(kids.get(current, [])))
    return out


def derived_codes(items: Sequence[OutlineItem]) -> set[int]:
    """Tasks whose stored WBS code is just the number the outline would give them anyway
    (a plan imported or built with its numbers written out). Those codes should follow the
    outline when tasks move; a code that says something else was set by hand and stays."""
    rows = outline(items)
    code = {row.id: row.code for row in rows}
    by_id = {item.id: item for item in items}
    out: set[int] = set()
    for row in rows:
        stored = by_id[row.id].wbs
        parent = by_id[row.id].parent_id
        if not stored or (row.level == 0 and parent in by_id):  # none, or stranded by a loop
            continue
        above = code[parent] if parent is not None and parent in by_id else ""
        last = row.number.rsplit(".", 1)[-1]
        if stored == (f"{above}.{last}" if above else last):
            out.add(row.id)
    return out


def _ancestors(by_id: dict[int, OutlineItem], task_id: int) -> set[int]:
    out: set[int] = set()
    current = by_id[task_id].parent_id
    while current is not None and current in by_id and current not in out:
        out.add(current)
        current = by_id[current].parent_id
    return out
