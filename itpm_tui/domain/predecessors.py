"""Predecessors as a PM types them: "1.2FS+2, 1.3, #45SS-1, 2.1FS+4h" read into links."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from itpm_tui.domain.tasks import parse_duration, validate_link
from itpm_tui.domain.validation import ValidationError
from itpm_tui.domain.work_hours import STANDARD_HOURS, format_work

FIELD = "predecessors"
_PREDECESSOR = re.compile(
    r"(?P<ref>#\d+|\d+(?:\.\d+)*)\s*(?P<kind>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<lag>[\d.,]+\s*[a-z]*(?:\s*[\d.,]+\s*[a-z]+)?))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PredecessorRef:
    """The task a task waits for, how (FS, SS, FF, SF) and with what lag in working days."""

    task_id: int
    kind: str = "FS"
    lag: int = 0
    #: The lag in working minutes when it is not whole days (`FS+4h`); `lag` is then its
    #: whole working days, rounded toward zero.
    lag_minutes: int | None = None

    def lag_text(self, minutes_per_day: int = STANDARD_HOURS.minutes_per_day) -> str:
        """`+2`, `-4h`, `+1.5d` as the predecessors field shows it; empty without a lag."""
        return lag_text(self.lag, self.lag_minutes, minutes_per_day)


def lag_text(lag: int, lag_minutes: int | None, minutes_per_day: int) -> str:
    """A lag as typed after the link type: `+2` working days, `-4h`, `+1.5d`; empty for 0."""
    if lag_minutes is None:
        return f"{lag:+d}" if lag else ""
    sign = "-" if lag_minutes < 0 else "+"
    return sign + format_work(abs(lag_minutes), minutes_per_day)


def parse_predecessors(
    text: str,
    wbs_index: Mapping[str, int],
    task_ids: Collection[int],
    minutes_per_day: int = STANDARD_HOURS.minutes_per_day,
) -> list[PredecessorRef]:
    """Read "1.2FS+2, 1.3, #45SS-1, 2.1FS+4h": WBS codes (or #task ids), optional type and
    lag in working time (whole days, or `4h`, `30m`, `1.5d` of `minutes_per_day`).

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
                "type and lag in working time, e.g. 1.2FS+2, 1.3, #45SS-1, 2.1FS+4h",
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
        lag, lag_minutes = _lag(item, match["lag"], match["sign"] == "-", minutes_per_day)
        validate_link(kind, lag)
        refs.append(PredecessorRef(task_id, kind, lag, lag_minutes))
    return refs


def _lag(item: str, text: str | None, lead: bool, minutes_per_day: int) -> tuple[int, int | None]:
    """Whole working days and, when not whole days, working minutes of a typed lag."""
    if text is None:
        return 0, None
    try:
        duration = parse_duration(text.replace(" ", ""), minutes_per_day)
    except ValidationError:
        duration = None
    if duration is None or duration.elapsed:
        raise ValidationError(
            FIELD,
            f"'{item}' has a lag that is not working time; write days (+2), hours or minutes "
            "(+4h, -30m) or parts of days (+1.5d)",
        )
    sign = -1 if lead else 1
    if duration.minutes is None:
        return sign * duration.days, None
    return sign * (duration.minutes // minutes_per_day), sign * duration.minutes
