"""A project's progress on a day, and the rules that keep a task's own progress coherent.

The burn-down and earned value read one snapshot per project per day; `project_progress`
is the one rule those snapshots are computed by (the demo's history and every write that
moves a task), so the chart, the S-curve's EV line and EV at a past date agree with the
tasks. Its inputs are the leaf tasks only: a summary's figures are a roll-up of its leaves,
and counting both would count the work twice.

- remaining hours = Σ estimate × (100 − percent) / 100, to the cent: the same scale as the
  burn-down's ideal line, whose total is the sum of the leaves' estimates;
- remaining tasks = the leaves below 100%;
- percent complete = done hours × 100 ÷ estimated hours, truncated (never claims 100%
  before every estimated hour is done); 0 when nothing is estimated.

`settle_task` is the task rule a write applies before it is stored:

- 100% is done: a task at 100% with any other status becomes done;
- work done is work started: a "todo" task given a percent between 1 and 99 becomes in
  progress (blocked stays blocked: that is the PM's word);
- done is 100% with 0 hours remaining;
- a changed percent or estimate with the remaining hours left as they were re-derives them
  from the estimate, so the stored remaining work never contradicts the percent (a new
  task's "before" is an empty draft: its estimate gives its remaining hours);
- starting (in progress or done, or a percent above 0, from a task that was neither) records
  the actual start, today if none is set; finishing (becoming done) records the actual finish,
  today if none is set; reopening a done task forgets its actual finish.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.tasks import TaskDraft

CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_DONE = TaskStatus.DONE.value
_TODO = TaskStatus.TODO.value
_UNDER_WAY = (TaskStatus.IN_PROGRESS.value, _DONE)


@dataclass(frozen=True, slots=True)
class LeafWork:
    """What a leaf task contributes: its estimate and how far along it is."""

    estimate_hours: Decimal
    percent_complete: int


@dataclass(frozen=True, slots=True)
class Progress:
    """One day's figures for a project, as stored in a progress snapshot."""

    remaining_hours: Decimal
    remaining_tasks: int
    percent_complete: int


def project_progress(leaves: Iterable[LeafWork]) -> Progress:
    """The project's remaining work and percent complete from its leaf tasks."""
    work = list(leaves)
    total = sum((Decimal(leaf.estimate_hours) for leaf in work), _ZERO)
    done = sum(
        (Decimal(leaf.estimate_hours) * leaf.percent_complete / 100 for leaf in work),
        _ZERO,
    )
    return Progress(
        remaining_hours=(total - done).quantize(CENT),
        remaining_tasks=sum(1 for leaf in work if leaf.percent_complete < 100),
        percent_complete=int(done * 100 / total) if total else 0,
    )


def remaining_for(estimate_hours: Decimal, percent_complete: int) -> Decimal:
    """The hours left of `estimate_hours` at `percent_complete`, to the cent."""
    return (Decimal(estimate_hours) * (100 - percent_complete) / _HUNDRED).quantize(CENT)


def settle_task(before: TaskDraft, after: TaskDraft, today: date) -> TaskDraft:
    """`after` made coherent with the rules above, given the task as it was (`before`).

    A done task below 100% is left for `validate_task` to refuse: which of the two the user
    meant cannot be guessed.
    """
    state = after
    if state.percent_complete == 100 and state.status != _DONE:
        state = replace(state, status=_DONE)
    elif 0 < state.percent_complete < 100 and state.status == _TODO:
        state = replace(state, status=TaskStatus.IN_PROGRESS.value)
    if state.status == _DONE and state.percent_complete == 100:
        state = replace(state, remaining_hours=_ZERO)
    elif (
        state.percent_complete != before.percent_complete
        or Decimal(state.estimate_hours) != Decimal(before.estimate_hours)
    ) and Decimal(state.remaining_hours) == Decimal(before.remaining_hours):
        state = replace(
            state, remaining_hours=remaining_for(state.estimate_hours, state.percent_complete)
        )
    if _started(state) and not _started(before) and state.actual_start is None:
        state = replace(state, actual_start=min(today, state.actual_finish or today))
    if state.status == _DONE and before.status != _DONE and state.actual_finish is None:
        state = replace(state, actual_finish=max(today, state.actual_start or today))
    reopened = state.status != _DONE and before.status == _DONE
    if reopened and after.actual_finish == before.actual_finish:
        state = replace(state, actual_finish=None)
    return state


def _started(task: TaskDraft) -> bool:
    """Work has begun: in progress or done, or any percent (a blocked task at 0% has not)."""
    return task.status in _UNDER_WAY or task.percent_complete > 0
