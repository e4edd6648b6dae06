"""Writes that change the shape of a work breakdown: add a task, indent, outdent or move it,
delete it with everything under it.

Each call is one transaction with its activity entries; adding or deleting a task also
records the project's progress for the day (`services.tasks.record_progress`): the leaves
the burn-down counts changed. Afterwards every task's `sort_order`
is its depth-first position, so siblings and subtrees stay together whatever order the rows
were stored in, and WBS codes that only repeated the outline's number are cleared so they
follow the new shape instead of clashing with it (a code set by hand stays).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import bindparam, delete, or_, update
from sqlmodel import col, select

from itpm_tui.domain.outline import (
    OutlineError,
    OutlineItem,
    derived_codes,
    move_to,
    outline,
    place,
    siblings,
    subtree,
)
from itpm_tui.domain.predecessors import FIELD, PredecessorRef
from itpm_tui.domain.progress import settle_task
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.summary_links import SummaryTree
from itpm_tui.domain.tasks import TaskDraft, validate_task
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.schedule import project_links
from itpm_tui.services.context import Context, Tx
from itpm_tui.services.tasks import add_link, record_progress
from itpm_tui.storage.models import Dependency, Person, Project, Task

#: The moves `move_task` makes, as `domain.outline.place` names them.
MOVES = ("indent", "outdent", "up", "down")


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, for the message that confirms it."""

    label: str  # "2.1 Order hardware"
    subtasks: int
    links: int


def add_task(
    ctx: Context,
    project_id: int,
    draft: TaskDraft,
    *,
    after: int | None = None,
    parent: int | None = None,
    predecessors: Sequence[PredecessorRef] = (),
) -> int:
    """Create a task right after the task `after` (same parent), else as the last subtask
    of `parent`, else last at the top level; returns its id.

    Refuses a task of another project as either, an inactive assignee, a predecessor that
    is not a task of this project, and one that closes a cycle through a summary (the new
    task's own summary, or a task waiting for it). The task is settled like an edit from an
    empty one (`domain.progress.settle_task`: its estimate gives its remaining hours, 100% is
    done).
    """
    clean = validate_task(draft)
    clean = validate_task(settle_task(TaskDraft(name=clean.name), clean, ctx.today()))
    with ctx.transaction() as tx:
        project: Project = tx.get(Project, project_id)
        session = tx.session
        items, stored = _items(tx, project_id)
        by_id = {item.id: item for item in items}
        for name, anchor in (("after", after), ("parent", parent)):
            if anchor is not None and anchor not in by_id:
                raise ValidationError(name, "must be a task of the same project")
        if after is not None:
            parent = by_id[after].parent_id if by_id[after].parent_id in by_id else None
        if clean.assignee_id is not None:
            person = session.get(Person, clean.assignee_id)
            if person is None or not person.active:
                raise ValidationError("assignee", "is not an active member of the team")
        for ref in predecessors:
            if ref.task_id not in by_id:
                raise ValidationError(FIELD, f"task #{ref.task_id} is not in this project")
        fields = dict(clean.__dict__, parent_id=parent)
        task = tx.create(
            Task(project_id=project_id, sort_order=len(items) + 1, **fields),
            summary=f"added task '{clean.name}' to {project.code}",
        )
        task_id = int(task.id)
        stored[task_id] = (task.sort_order, "")
        was_summary = _summaries(items)
        items.append(OutlineItem(task_id, parent))
        index = None if after is None else siblings(items)[parent].index(after) + 1
        placed = move_to(_follow(items), task_id, parent, index)
        new_links = [
            Link(ref.task_id, task_id, ref.kind, ref.lag, ref.lag_minutes) for ref in predecessors
        ]
        _refuse_cycles(tx, project_id, placed, was_summary, new_links, {task_id: clean.name})
        _store(tx, stored, placed)
        for ref in predecessors:
            add_link(tx, ref, task_id, project_id, f"'{clean.name}' waits for task #{ref.task_id}")
        record_progress(tx, project_id, ctx.today())
        return task_id


def move_task(ctx: Context, task_id: int, how: str, *, expected_version: int | None) -> str:
    """Indent, outdent, or move the task up or down among its siblings (`MOVES`); returns
    its WBS code afterwards. A change of parent is a change of the task, so an edit someone
    opened before it is refused rather than putting the task back.

    `expected_version` is the task as shown, refusing the move if a colleague saved it
    since; None (said, never left out) for a move relative to where the task is now — a
    key press on the Timeline — which this transaction reads and moves on from."""
    if how not in MOVES:
        raise ValueError(f"unknown move {how!r}")
    with ctx.transaction() as tx:
        task: Task = tx.get(Task, task_id)
        tx.check_version(task, expected_version)
        items, stored = _items(tx, task.project_id)
        try:
            moved = place(_follow(items), task_id, how)
        except OutlineError as exc:
            raise ValidationError("outline", f"cannot {_verb(how)} '{task.name}': {exc}") from exc
        _refuse_cycles(tx, task.project_id, moved, _summaries(items))
        _store(tx, stored, moved)
        code = next(row.code for row in outline(moved) if row.id == task_id)
        new_parent = next(item.parent_id for item in moved if item.id == task_id)
        if new_parent != task.parent_id:
            tx.update(task, {"parent_id": new_parent}, expected_version=expected_version)
        else:  # the same parent: its place changed all the same, and the form must notice
            tx.touch(task)
        tx.log(
            "task",
            task_id,
            how,
            project_id=task.project_id,
            summary=f"{_verb(how)} '{task.name}': now {code}",
        )
        return code


def delete_task(ctx: Context, task_id: int, expected_version: int) -> Deleted:
    """Delete the task with all its subtasks and every link to or from any of them, each
    logged; the assignees lose the work, not their place on the team, and their downtime
    windows stay where they lie now, tied to no task."""
    from itpm_tui.services.downtime import release_windows, windows_in_place

    placed = windows_in_place(ctx, task_id)
    with ctx.transaction() as tx:
        task: Task = tx.get(Task, task_id)
        tx.check_version(task, expected_version)
        pid = task.project_id
        session = tx.session
        items, stored = _items(tx, pid)
        code = next((row.code for row in outline(items) if row.id == task_id), "")
        label = f"{code} {task.name}".strip()
        gone = subtree(items, task_id)
        links = session.exec(
            select(Dependency).where(
                or_(
                    col(Dependency.predecessor_id).in_(gone),
                    col(Dependency.successor_id).in_(gone),
                )
            )
        ).all()
        names = dict(
            session.exec(select(col(Task.id), col(Task.name)).where(col(Task.id).in_(gone))).all()
        )
        for link in links:
            tx.log(
                "dependency",
                link.id,
                "delete",
                project_id=pid,
                summary=f"link #{link.predecessor_id} → #{link.successor_id} went with '{label}'",
            )
        session.execute(
            delete(Dependency)
            .where(col(Dependency.id).in_([link.id for link in links]))
            .execution_options(synchronize_session=False)
        )
        for gone_id in reversed(gone):
            what = f"deleted task '{names.get(gone_id, gone_id)}'"
            tx.log(
                "task",
                gone_id,
                "delete",
                project_id=pid,
                summary=what if gone_id == task_id else f"{what} with '{label}'",
            )
        release_windows(tx, placed, gone)
        tx.confirm_version(task, expected_version)  # the bulk DELETE below names no version
        session.expunge(task)
        session.execute(
            delete(Task).where(col(Task.id).in_(gone)).execution_options(synchronize_session=False)
        )
        kept = set(gone)
        _store(tx, stored, [item for item in _follow(items) if item.id not in kept])
        record_progress(tx, pid, ctx.today())
        return Deleted(label, len(gone) - 1, len(links))


def place_under(tx: Tx, task: Task, parent: int | None) -> str:
    """Within the caller's transaction, move `task` (with its subtree) to be the last
    subtask of `parent` (None: last at the top level), keeping sort orders and derived
    WBS codes in step; returns its WBS code there. The caller stores and logs the parent.
    Refuses a parent of another project and one inside the task's own subtree."""
    items, stored = _items(tx, task.project_id)
    if parent is not None and parent not in {item.id for item in items}:
        raise ValidationError("parent", "must be a task of the same project")
    try:
        moved = move_to(_follow(items), int(task.id), parent)  # type: ignore[arg-type]
    except OutlineError as exc:
        raise ValidationError("parent", str(exc)) from exc
    _store(tx, stored, moved)
    return next(row.code for row in outline(moved) if row.id == task.id)


# -- the shared part -------------------------------------------------------------------------


Stored = dict[int, tuple[int, str]]  # task id → its sort order and WBS code as stored


def _items(tx: Tx, project_id: int) -> tuple[list[OutlineItem], Stored]:
    """The project's outline in stored order, and what is stored, to write only changes."""
    rows = tx.session.exec(
        select(col(Task.id), col(Task.parent_id), col(Task.wbs), col(Task.sort_order))
        .where(col(Task.project_id) == project_id)
        .order_by(col(Task.sort_order), col(Task.id))
    ).all()
    items = [OutlineItem(int(tid), parent, wbs or "") for tid, parent, wbs, _ in rows]  # type: ignore[arg-type]
    return items, {int(tid): (order, wbs or "") for tid, _, wbs, order in rows}  # type: ignore[arg-type]


def _summaries(items: list[OutlineItem]) -> set[int]:
    """The tasks with subtasks in the outline `items`."""
    return {item.parent_id for item in items if item.parent_id is not None}


def _refuse_cycles(
    tx: Tx,
    project_id: int,
    items: list[OutlineItem],
    was_summary: set[int],
    new_links: Sequence[Link] = (),
    new_names: dict[int, str] | None = None,
) -> None:
    """Refuse the outline `items` with the project's links and `new_links` when they close a
    dependency cycle through a summary (`SummaryTree.check_links`): a task moved under the
    summary it waits for, or added under it with that link; and when a task that was no
    summary (`was_summary`: those before the change) becomes one with an FF or SF link into
    it."""
    session = tx.session
    links = project_links(session, project_id)
    if not links and not new_links:
        return
    stored = session.exec(
        select(col(Task.id), col(Task.name)).where(col(Task.project_id) == project_id)
    ).all()
    names: dict[int, str] = {int(tid): name for tid, name in stored if tid is not None}
    names.update(new_names or {})
    labels = {row.id: f"{row.code} {names.get(row.id, '')}".strip() for row in outline(items)}
    SummaryTree.of_rows(outline(items)).check_links(
        links, new_links, labels, was_summary=was_summary
    )


def _follow(items: list[OutlineItem]) -> list[OutlineItem]:
    """The outline with codes that only repeated its numbering blanked: they follow."""
    derived = derived_codes(items)
    return [replace(item, wbs="") if item.id in derived else item for item in items]


def _store(tx: Tx, stored: Stored, after: list[OutlineItem]) -> None:
    """Write the new depth-first positions and the cleared codes of the rows that changed
    (parents are written by the caller, which logs them)."""
    changes = [
        {"tid": item.id, "order": position, "code": item.wbs}
        for position, item in enumerate(after, 1)
        if stored.get(item.id) != (position, item.wbs)
    ]
    if changes:
        # One statement however many rows move, on the table: a task's place among its
        # siblings is no edit of it, so its version (see `Versioned`) stays.
        table = Task.__table__  # type: ignore[attr-defined]
        tx.session.execute(
            update(table)
            .where(table.c.id == bindparam("tid"))
            .values(sort_order=bindparam("order"), wbs=bindparam("code")),
            changes,
        )


def _verb(how: str) -> str:
    return {"indent": "indent", "outdent": "outdent", "up": "move up", "down": "move down"}[how]
