"""Writes to a project's downtime windows: add, edit and remove, one transaction each with
its activity entry.

A window tied to a task is anchored to that task's scheduled start as the Timeline computes
it now, so the window moves by as many days as the task moves later. The times a user types
are the window as they see it (where it lies now), so saving re-anchors it.
"""

from __future__ import annotations

from datetime import date, datetime

from itpm_tui.domain.downtime import CleanWindow, WindowDraft, format_moment, read_window
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import NotFoundError
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import DowntimeWindow, Project, Task


def _scheduled_start(ctx: Context, project_id: int, task_id: int | None) -> date | None:
    """The task's scheduled start as the Timeline shows it; ValidationError if the task is
    not one of the project's."""
    if task_id is None:
        return None
    from itpm_tui.queries.timeline import load_timeline

    timeline = load_timeline(ctx.db, project_id)
    task = timeline.by_id().get(task_id) if timeline is not None else None
    if task is None:
        raise ValidationError("task", f"task #{task_id} is not a task of this project")
    return task.start


def _span(clean: CleanWindow | DowntimeWindow) -> str:
    return f"{format_moment(clean.starts_at)} – {format_moment(clean.ends_at)}"


def _check_task(tx: Tx, project_id: int, task_id: int | None) -> str:
    if task_id is None:
        return ""
    task = tx.session.get(Task, task_id)
    if task is None or task.project_id != project_id:
        raise ValidationError("task", f"task #{task_id} is not a task of this project")
    return str(task.name)


def add_window(ctx: Context, project_id: int, draft: WindowDraft) -> int:
    """Validate and store the window; return its id."""
    clean = read_window(draft)
    anchor = _scheduled_start(ctx, project_id, clean.task_id)
    with ctx.transaction() as tx:
        project: Project = tx.get(Project, project_id)
        task_name = _check_task(tx, project_id, clean.task_id)
        row = tx.create(
            DowntimeWindow(
                project_id=project_id,
                title=clean.title,
                starts_at=clean.starts_at,
                ends_at=clean.ends_at,
                systems=clean.systems,
                approved=clean.approved,
                task_id=clean.task_id,
                anchor_start=anchor,
            ),
            summary=f"added downtime window '{clean.title}' {_span(clean)} to {project.code}"
            + (f" for task '{task_name}'" if task_name else ""),
        )
        return int(row.id)


def update_window(
    ctx: Context, window_id: int, draft: WindowDraft, expected_version: int
) -> list[str]:
    """Save the edit as typed (the window where it lies now); log each field that changed
    from what the user saw; refuse a stale edit. Returns the fields that changed."""
    from itpm_tui.queries.timeline import load_timeline

    clean = read_window(draft)
    with ctx.db.read() as session:
        stored = session.get(DowntimeWindow, window_id)
        project_id = stored.project_id if stored is not None else None
    timeline = load_timeline(ctx.db, project_id) if project_id is not None else None
    view = next((w for w in timeline.downtime if w.id == window_id), None) if timeline else None
    if timeline is None or view is None:
        raise NotFoundError(f"downtime window {window_id} does not exist")
    task = timeline.by_id().get(clean.task_id) if clean.task_id is not None else None
    if clean.task_id is not None and task is None:
        raise ValidationError("task", f"task #{clean.task_id} is not a task of this project")
    seen: dict[str, object] = {
        "title": view.title,
        "starts_at": view.starts_at,
        "ends_at": view.ends_at,
        "systems": view.systems,
        "approved": view.approved,
        "task_id": view.task_id,
    }
    new: dict[str, object] = {
        "title": clean.title,
        "starts_at": clean.starts_at,
        "ends_at": clean.ends_at,
        "systems": clean.systems,
        "approved": clean.approved,
        "task_id": clean.task_id,
    }
    with ctx.transaction() as tx:
        row: DowntimeWindow = tx.get(DowntimeWindow, window_id)
        tx.check_version(row, expected_version, label=f"downtime window '{row.title}'")
        # Saved by someone else between the read above and this write: theirs is kept.
        tx.check_version(row, view.version, label=f"downtime window '{row.title}'")
        _check_task(tx, row.project_id, clean.task_id)
        changed = [name for name, value in new.items() if seen[name] != value]
        for name in changed:
            tx.log(
                "downtimewindow",
                row.id,
                "update",
                project_id=row.project_id,
                field=name,
                old=_shown(seen[name]),
                new=_shown(new[name]),
            )
        if changed:
            for name, value in new.items():
                setattr(row, name, value)
            row.anchor_start = task.start if task is not None else None
            tx.session.add(row)
            tx.flush(row)
        else:
            tx.confirm_version(row, expected_version)
        return changed


def remove_window(ctx: Context, window_id: int, expected_version: int) -> str:
    """Remove the window; the activity log keeps what it was. Returns its title."""
    with ctx.transaction() as tx:
        row: DowntimeWindow = tx.get(DowntimeWindow, window_id)
        tx.check_version(row, expected_version, label=f"downtime window '{row.title}'")
        title = str(row.title)
        tx.log(
            "downtimewindow",
            row.id,
            "delete",
            project_id=row.project_id,
            summary=f"removed downtime window '{title}' {_span(row)}",
        )
        tx.session.delete(row)
        tx.flush(row)
        return title


def _shown(value: object) -> object:
    """A moment as the form shows it, for the activity log."""
    return format_moment(value) if isinstance(value, datetime) else value


#: Where each window tied to a task lies now: window id → (task id, start, end).
Placed = dict[int, tuple[int, datetime, datetime]]


def windows_in_place(ctx: Context, task_id: int) -> Placed:
    """Before a task is deleted: where the windows tied to its project's tasks lie now."""
    from itpm_tui.queries.timeline import load_timeline

    with ctx.db.read() as session:
        task = session.get(Task, task_id)
        project_id = task.project_id if task is not None else None
    timeline = load_timeline(ctx.db, project_id) if project_id is not None else None
    if timeline is None:
        return {}
    return {
        w.id: (w.task_id, w.starts_at, w.ends_at)
        for w in timeline.downtime
        if w.task_id is not None
    }


def release_windows(tx: Tx, placed: Placed, gone: list[int]) -> None:
    """The windows of tasks being deleted stay where they lie now, tied to no task (else
    they would jump back to where they were first saved)."""
    doomed = set(gone)
    for window_id, (task_id, starts_at, ends_at) in placed.items():
        if task_id not in doomed:
            continue
        row = tx.session.get(DowntimeWindow, window_id)
        if row is None:
            continue
        row.starts_at, row.ends_at = starts_at, ends_at
        row.task_id, row.anchor_start = None, None
        tx.session.add(row)  # its version moves at the flush: a form open on it is refused
        tx.log(
            "downtimewindow",
            row.id,
            "update",
            project_id=row.project_id,
            summary=f"downtime window '{row.title}' stays at {_span(row)}, its task deleted",
        )
    tx.flush()
