"""Quick updates a technician makes to one task: start, done, block, unblock, percent,
remaining hours, a note.

Each is the task as stored with one thing changed, read by `domain.tasks.read_task` (the
form's and the command line's reader: a blocked task needs its reason, "done" is 100%) and
saved by `services.tasks.update_task` — so the progress rules (`domain.progress.settle_task`:
actual start and finish, remaining 0 when done), the activity entry and the day's progress
snapshot are those of any other edit, in one transaction. The task's predecessors are kept.

A note is appended to the task's notes (its description) on a line of its own,
"YYYY-MM-DD who: text": the notes are what the task's detail shows, and the activity log
records the change like any other field. A note can go with any quick update (the same
save) or alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlmodel import col, select

from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.tasks import TaskDraft, read_task
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, NotFoundError
from itpm_tui.services.context import Context
from itpm_tui.services.tasks import _draft_of, update_task
from itpm_tui.storage.models import Dependency, Task

_DONE = TaskStatus.DONE.value
_BLOCKED = TaskStatus.BLOCKED.value
#: The longest note one quick update appends.
MAX_NOTE = 500


def start_task(ctx: Context, task_id: int, note: str = "") -> list[str]:
    """In progress, with today as the actual start when none is recorded."""

    def change(base: TaskDraft) -> TaskDraft:
        if base.status == _DONE:
            raise ValidationError("status", "the task is done; reopen it in the task form")
        return read_task(base, status=TaskStatus.IN_PROGRESS.value)

    return _save(ctx, task_id, change, note)


def finish_task(ctx: Context, task_id: int, note: str = "") -> list[str]:
    """Done: 100%, 0 hours remaining, today as the actual finish when none is recorded."""
    return _save(ctx, task_id, lambda base: read_task(base, status=_DONE), note)


def block_task(ctx: Context, task_id: int, reason: str, note: str = "") -> list[str]:
    """Blocked, saying why (required)."""

    def change(base: TaskDraft) -> TaskDraft:
        if base.status == _DONE:
            raise ValidationError("status", "the task is done; reopen it in the task form")
        if not reason.strip():
            raise ValidationError("blocked reason", "is required when the status is blocked")
        return read_task(base, status=_BLOCKED, blocked_reason=reason)

    return _save(ctx, task_id, change, note)


def unblock_task(ctx: Context, task_id: int, note: str = "") -> list[str]:
    """No longer blocked: back in progress if work had begun, to do otherwise; the reason goes."""

    def change(base: TaskDraft) -> TaskDraft:
        if base.status != _BLOCKED:
            raise ValidationError("status", f"the task is not blocked (it is {base.status})")
        begun = base.percent_complete > 0 or base.actual_start is not None
        status = TaskStatus.IN_PROGRESS if begun else TaskStatus.TODO
        return read_task(base, status=status.value)

    return _save(ctx, task_id, change, note)


def set_percent(ctx: Context, task_id: int, percent: str, note: str = "") -> list[str]:
    """A new percent complete as typed (`40`, `40%`); the remaining hours follow the estimate."""
    return _save(ctx, task_id, lambda base: read_task(base, percent=percent), note)


def set_remaining(ctx: Context, task_id: int, remaining: str, note: str = "") -> list[str]:
    """The hours left as typed (`6`, `6h`, `1.5d`)."""
    if not remaining.strip():
        raise ValidationError("remaining", "is required (e.g. 6, 6h or 1.5d)")
    return _save(ctx, task_id, lambda base: read_task(base, remaining=remaining), note)


def log_note(ctx: Context, task_id: int, note: str) -> list[str]:
    """Append a dated, signed note to the task's notes."""
    if not note.strip():
        raise ValidationError("note", "is required")
    return _save(ctx, task_id, lambda base: base, note)


def with_note(notes: str, day: str, who: str, text: str) -> str:
    """`notes` with "day who: text" on a line of its own at the end."""
    line = f"{day} {who}: {' '.join(text.split())}"
    return f"{notes.rstrip()}\n{line}" if notes.strip() else line


#: How many times a quick update is re-applied on top of a colleague's save before giving up.
ATTEMPTS = 3


def _save(
    ctx: Context, task_id: int, change: Callable[[TaskDraft], TaskDraft], note: str
) -> list[str]:
    """Apply `change` to the task as it is now and save it at the version read with it.

    A quick update says what to do (done, 40%, a note), not what the whole task should be,
    so a colleague's save between the read and the write is no reason to refuse it: the
    change is read again on top of theirs and saved (at most `ATTEMPTS` times) — their
    fields are kept, never overwritten, because every save names the version it was read at.
    """
    if len(note.strip()) > MAX_NOTE:
        raise ValidationError("note", f"must be at most {MAX_NOTE} characters")
    for _ in range(ATTEMPTS - 1):
        draft, predecessors, version = _read(ctx, task_id, change, note)
        try:
            return update_task(ctx, task_id, draft, predecessors, expected_version=version)
        except ConflictError:
            continue  # a colleague saved it meanwhile: apply the change again on top of theirs
    draft, predecessors, version = _read(ctx, task_id, change, note)
    return update_task(ctx, task_id, draft, predecessors, expected_version=version)


def _read(
    ctx: Context, task_id: int, change: Callable[[TaskDraft], TaskDraft], note: str
) -> tuple[TaskDraft, list[PredecessorRef], int]:
    """The task as stored with `change` (and `note`) applied, its links, and its version."""
    with ctx.db.read() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise NotFoundError(f"no task #{task_id}")
        base, version = _draft_of(task), task.version
        if session.exec(select(col(Task.id)).where(col(Task.parent_id) == task_id)).first():
            raise ValidationError("task", "is a summary: its progress comes from its tasks")
        links = session.exec(
            select(Dependency)
            .where(col(Dependency.successor_id) == task_id)
            .order_by(col(Dependency.id))
        ).all()
        predecessors = [
            PredecessorRef(d.predecessor_id, d.kind, d.lag_days, d.lag_minutes) for d in links
        ]
    draft = change(replace(base))
    if note.strip():
        draft = replace(
            draft, description=with_note(draft.description, ctx.today().isoformat(), ctx.user, note)
        )
    return draft, predecessors, version
