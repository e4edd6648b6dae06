"""Links on summary tasks, scheduled as MS Project schedules them.

A summary starts with its earliest leaf and finishes with its latest (`plan.py` rolls the
dates up). The critical path method of `schedule.py` only knows leaves, so a link on a summary
is rewritten onto leaves, exactly:

- A link *into* a summary (FS or SS) holds back every task under it, nested ones too: it is
  the same link into each leaf (through the summary's start hub, `SummaryTree.expand`).
  MS Project refuses FF and SF links into a summary (its finish is its tasks' latest,
  nothing of its own), and so does itpm (`check_link`); one stored otherwise is not
  scheduled.
- A link *from* a summary's finish (FS, FF) waits for its latest leaf finish: the same link
  from each leaf says exactly that (through its finish hub).
- A link from a summary's start (SS, SF) counts from its earliest leaf start: it is the link
  from the leaf that starts first, which only the schedule knows — `first_leaves` picks it
  from a schedule, and `plan.py` schedules again until the picks hold.

For the cycle check a summary is two nodes: its own id, which links into it reach and which
holds back its children, and its negative id, which waits for its children and which links
from it leave. A link between a summary and a task under it, or one that closes a loop
through a parent, is then a cycle like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from itpm_tui.domain.outline import OutlineItem, OutlineRow, outline
from itpm_tui.domain.schedule import FIELD, Link, check_new_link, describe_cycle, find_cycle
from itpm_tui.domain.tasks import validate_link
from itpm_tui.domain.validation import ValidationError

#: The links a summary may have as successor: they hold back its start.
INTO_SUMMARY = frozenset({"FS", "SS"})
_FROM_START = frozenset({"SS", "SF"})


class SummaryTree:
    """The summaries of a project: each one's children, and the leaves under it when asked
    (a plan without summary links never walks them)."""

    __slots__ = ("_leaves", "children")

    def __init__(self, children: dict[int, tuple[int, ...]]) -> None:
        self.children = children  # summary id → its direct children, in order
        self._leaves: dict[int, tuple[int, ...]] = {}

    @classmethod
    def of_rows(cls, rows: Sequence[OutlineRow]) -> SummaryTree:
        """From an outline (`domain.outline.outline`)."""
        return cls({row.id: row.children for row in rows if row.children})

    def leaves(self, summary: int) -> tuple[int, ...]:
        """Every leaf under the summary, nested ones too, in outline order."""
        found = self._leaves.get(summary)
        if found is None:
            children, out = self.children, []
            stack = [summary]
            while stack:
                kids = children.get(node := stack.pop())
                if kids is None:
                    out.append(node)
                else:
                    stack.extend(reversed(kids))
            found = self._leaves[summary] = tuple(out)
        return found

    @classmethod
    def of_parents(cls, parents: Mapping[int, int | None]) -> SummaryTree:
        """From each task's parent (None at the top), in sort order."""
        return cls.of_rows(outline([OutlineItem(tid, parent) for tid, parent in parents.items()]))

    def expand(
        self, links: Iterable[Link], first: Mapping[int, int] | None = None
    ) -> tuple[list[Link], dict[int, int]]:
        """The links as links between leaves and *hubs* (module docstring), and each hub's
        summary by hub id. ``first`` maps a summary to its leaf that starts first (its first
        leaf in outline order when not given).

        A hub is a milestone standing for a summary's end, so a link costs one link whatever
        the leaves under it, and one between two phases does not become every pair of their
        leaves: a summary's *start hub* (id ``-2·id``) waits for what links into it and
        holds back each leaf (SS 0); its *finish hub* (``-2·id - 1``) waits for each leaf's
        finish (FF 0) and is what links from its finish count from. Hubs are scheduled with
        the leaves and left out of the answer."""
        summaries, leaves = self.children, self.leaves
        if not summaries:
            return list(links), {}
        first = first or {}
        out: list[Link] = []
        hubs: dict[int, int] = {}
        for link in links:
            pred, succ, kind = link.predecessor, link.successor, link.kind
            if succ in summaries:
                if kind not in INTO_SUMMARY:
                    continue  # refused on entry (`check_link`): a summary has no own finish
                hub = -2 * succ
                if hub not in hubs:
                    hubs[hub] = succ
                    out.extend(Link(hub, leaf, "SS", 0) for leaf in leaves(succ))
                succ = hub
            if pred in summaries:
                if kind in _FROM_START:
                    pred = first.get(pred) or leaves(pred)[0]
                else:
                    hub = -2 * pred - 1
                    if hub not in hubs:
                        hubs[hub] = pred
                        out.extend(Link(leaf, hub, "FF", 0) for leaf in leaves(pred))
                    pred = hub
            out.append(
                link
                if (pred, succ) == (link.predecessor, link.successor)
                else Link(pred, succ, kind, link.lag, link.lag_minutes)
            )
        return out, hubs

    def starts_from(self, links: Iterable[Link]) -> set[int]:
        """The summaries some link counts from the start of (SS, SF)."""
        return {
            lk.predecessor
            for lk in links
            if lk.kind in _FROM_START and lk.predecessor in self.children
        }

    def first_leaves(
        self, summaries: Iterable[int], starts: Mapping[int, date | None]
    ) -> dict[int, int]:
        """Each summary's leaf with the earliest start (the first in outline order on a tie)."""
        out = {}
        for summary in summaries:
            under = self.leaves(summary)
            dated = [(day, n) for n, leaf in enumerate(under) if (day := starts.get(leaf))]
            out[summary] = under[min(dated)[1]] if dated else under[0]
        return out

    def graph(self, links: Iterable[Link]) -> list[Link]:
        """The links between cycle-check nodes (module docstring), with the summaries' own
        edges: a summary's start holds back its children, its finish waits for them."""
        summaries = self.children
        out = [
            Link(
                -lk.predecessor if lk.predecessor in summaries else lk.predecessor,
                lk.successor,
                lk.kind,
                lk.lag,
            )
            for lk in links
        ]
        for summary, kids in self.children.items():
            for kid in kids:
                out.append(Link(summary, kid))
                out.append(Link(-kid if kid in summaries else kid, -summary))
        return out

    def node_names(self, names: Mapping[int, str]) -> dict[int, str]:
        """``names`` for the cycle-check nodes: a summary's finish node is named as it is."""
        return {**names, **{-s: names.get(s) or f"task {s}" for s in self.children}}

    def check_link(
        self, existing_links: Iterable[Link], new_link: Link, names: Mapping[int, str]
    ) -> None:
        """`schedule.check_new_link` where either end may be a summary: also refuses an FF or
        SF link into a summary, and a cycle through a summary, named in the same words."""
        pred, succ, kind = new_link.predecessor, new_link.successor, new_link.kind
        validate_link(kind, new_link.lag)
        if not self.children or pred == succ:
            check_new_link(existing_links, new_link, names)
            return
        if succ in self.children and kind not in INTO_SUMMARY:
            raise ValidationError(
                FIELD,
                f"{names.get(succ) or f'task {succ}'} is a summary task: it waits for a task "
                f"by FS or SS only, as its finish is its tasks' latest (got {kind})",
            )
        node = Link(-pred if pred in self.children else pred, succ, kind, new_link.lag)
        check_new_link(self.graph(existing_links), node, self.node_names(names))

    def check_links(
        self, existing_links: Iterable[Link], new_links: Iterable[Link], names: Mapping[int, str]
    ) -> None:
        """Refuse the new links one by one (`check_link`), then any cycle the links close
        through the summaries as they are now — a task moved under a new parent can close one
        that no new link does."""
        graph = list(existing_links)
        for link in new_links:
            self.check_link(graph, link, names)
            graph.append(link)
        cycle = find_cycle((), self.graph(graph))
        if cycle:
            words = describe_cycle(cycle, self.node_names(names))
            raise ValidationError(FIELD, f"would create a dependency cycle: {words}")
