"""Predecessors as a PM types them: "1.2FS+2, 1.3, #45SS-1" read into links."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from itpm_tui.domain.tasks import validate_link
from itpm_tui.domain.validation import ValidationError

FIELD = "predecessors"
_PREDECESSOR = re.compile(
    r"(?P<ref>#\d+|\d+(?:\.\d+)*)\s*(?P<kind>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<lag>\d+)\s*d?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PredecessorRef:
    """The task a task waits for, how (FS, SS, FF, SF) and with what lag in working days."""

    task_id: int
    kind: str = "FS"
    lag: int = 0


def parse_predecessors(
    text: str, wbs_index: Mapping[str, int], task_ids: Collection[int]
) -> list[PredecessorRef]:
    """Read "1.2FS+2, 1.3, #45SS-1": WBS codes (or #task ids), optional type and lag.

    A bare number is a WBS code when one matches, else a task id; `#12` is always task 12.
    """
    refs: list[PredecessorRef] = []
    seen: dict[int, str] = {}
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        match = _PREDECESSOR.fullmatch(item)
        if match is None:
            raise ValidationError(
                FIELD,
                f"'{item}' is not a predecessor; write a WBS code or #task id with an optional "
                "type and lag in working days, e.g. 1.2FS+2, 1.3, #45SS-1",
            )
        ref = match["ref"]
        found: int | None
        if ref.startswith("#"):
            found = int(ref[1:])
            if found not in task_ids:
                raise ValidationError(FIELD, f"there is no task #{found} in this project")
        else:
            found = wbs_index.get(ref)
            if found is None and "." not in ref and int(ref) in task_ids:
                found = int(ref)
            if found is None:
                raise ValidationError(FIELD, f"there is no task with WBS code {ref} here")
        task_id: int = found
        if task_id in seen:
            raise ValidationError(FIELD, f"'{item}' names the same task as '{seen[task_id]}'")
        seen[task_id] = item
        kind = (match["kind"] or "FS").upper()
        lag = int(match["lag"] or 0) * (-1 if match["sign"] == "-" else 1)
        validate_link(kind, lag)
        refs.append(PredecessorRef(task_id, kind, lag))
    return refs
