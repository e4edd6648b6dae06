"""A task's date constraint and deadline, as MS Project plans carry them, and the warnings
they give against the schedule.

itpm's own start rule — a leaf starts no earlier than its planned start — is MS Project's
"Start No Earlier Than"; the two kinds stored besides "As Soon As Possible" (none) are:

- ``MSO`` "Must Start On" the constraint date: the task is held there, whatever its
  predecessors (as MS Project does when tasks honour their constraint dates); its successors
  still wait for it.
- ``FNLT`` "Finish No Later Than" the constraint date: scheduled as usual, flagged when the
  scheduled finish is later.

A deadline is a date the task should finish by; it never moves the task, and is flagged
when the scheduled finish is later.
"""

from __future__ import annotations

from datetime import date

from itpm_tui.domain.validation import Checker

MUST_START_ON = "MSO"
FINISH_NO_LATER_THAN = "FNLT"
#: Stored kind → the name MS Project gives it.
CONSTRAINT_NAMES = {
    "": "As Soon As Possible",
    MUST_START_ON: "Must Start On",
    FINISH_NO_LATER_THAN: "Finish No Later Than",
}


def constraint_kind(text: str) -> str:
    """A constraint kind as typed: `MSO`, `fnlt`; `none` (or nothing) is no constraint.
    Anything else is kept for `check_constraint` to refuse by name."""
    kind = text.strip().upper()
    return "" if kind in ("", "NONE", "-") else kind


def check_constraint(check: Checker, kind: str, on: date | None) -> None:
    """A known kind, with a date exactly when it needs one."""
    if kind not in CONSTRAINT_NAMES:
        named = ", ".join(f"{k} ({name})" for k, name in CONSTRAINT_NAMES.items() if k)
        check.fail("constraint", f"must be none or one of {named}, got '{kind}'")
    if kind and on is None:
        check.fail("constraint date", f"is required for {CONSTRAINT_NAMES.get(kind, kind)}")
    if not kind and on is not None:
        check.fail("constraint date", "is only kept with a constraint (MSO or FNLT)")


def held_start(kind: str, on: date | None) -> date | None:
    """The start a "Must Start On" holds the task at; None for any other kind."""
    return on if kind == MUST_START_ON else None


def date_warnings(
    kind: str, on: date | None, deadline: date | None, finish: date | None
) -> list[str]:
    """What the scheduled `finish` breaks, in words: a Finish No Later Than, a deadline."""
    out: list[str] = []
    if finish is None:
        return out
    if kind == FINISH_NO_LATER_THAN and on is not None and finish > on:
        out.append(f"finishes after its Finish No Later Than {on.isoformat()}")
    if deadline is not None and finish > deadline:
        out.append(f"misses its deadline {deadline.isoformat()}")
    return out
