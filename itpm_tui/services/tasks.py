"""Writes to tasks: edit a task with its predecessors, and save the plan as the baseline.

A write that moves a task's progress (percent, status, remaining or estimate hours) also
records the project's progress for the day (`record_progress`), so the burn-down, the
S-curve's EV line and earned value at a past date follow real work, not only the demo's.

Each call is one transaction that logs every change in the activity log, so the change is
seen by other dashboards and the audit trail is complete; an edit made against an older
version of a task is refused rather than overwriting a colleague's save.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date

from sqlalchemy import bindparam, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from itpm_tui.domain.predecessors import FIELD, PredecessorRef
from itpm_tui.domain.progress import LeafWork, project_progress, settle_task
from itpm_tui.domain.roles import Action
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.summary_links import SummaryTree
from itpm_tui.domain.tasks import TaskDraft, validate_task
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.schedule import load_schedules
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import Dependency, Person, ProgressSnapshot, Project, Task

#: The fields whose change moves the project's progress (a new parent changes the leaves).
PROGRESS_FIELDS = frozenset(
    {"percent_complete", "status", "remaining_hours", "estimate_hours", "parent_id"}
)


def update_task(
    ctx: Context,
    task_id: int,
    draft: TaskDraft,
    predecessors: Sequence[PredecessorRef],
    expected_version: int,
) -> list[str]:
    """Save a task and replace its predecessors, all or nothing.

    The task is kept coherent (`domain.progress.settle_task`): 100% is done, whatever the
    status said (a task at 100% "todo" is saved as done); done is 100% with 0 hours left (a
    done task below 100% is refused); a new percent re-derives the remaining hours from the
    estimate unless they were changed too; a new parent moves the task (and its subtasks)
    last under it, WBS codes following (`outline_edits.place_under`); starting records the
    actual start and finishing the actual finish (today, when not given); reopening forgets
    the actual finish.
    When the progress moved, the project's progress snapshot for today is written in the same
    transaction (`record_progress`).

    Refuses a stale edit (ConflictError), a link to another project's task, an FF or SF link
    into a summary, and any link that would close a dependency cycle, through summaries too
    (a task waiting for its own summary) — naming the tasks of the cycle.
    Returns the fields that changed ("predecessors" when the links did).
    """
    clean = validate_task(draft)
    with ctx.transaction(Action.OWN_PROGRESS) as tx:
        task: Task = tx.get(Task, task_id)
        tx.check_version(task, expected_version)
        clean = validate_task(settle_task(_draft_of(task), clean, ctx.today()))
        tx.check_progress(task, {k for k, v in clean.__dict__.items() if getattr(task, k) != v})
        pid = task.project_id
        session = tx.session
        project_tasks = session.exec(
            select(col(Task.id), col(Task.wbs), col(Task.name), col(Task.parent_id)).where(
                col(Task.project_id) == pid
            )
        ).all()
        names = {
            tid: f"{wbs} {name}".strip() for tid, wbs, name, _ in project_tasks if tid is not None
        }
        if clean.assignee_id is not None:
            person = session.get(Person, clean.assignee_id)
            if person is None or not person.active:
                raise ValidationError("assignee", "is not an active member of the team")
        if clean.parent_id is not None and any(
            ref.task_id == clean.parent_id for ref in predecessors
        ):
            raise ValidationError(
                "parent",
                f"{names.get(clean.parent_id, 'that task')} is one of its predecessors; "
                "a task cannot wait for its own summary",
            )
        if clean.parent_id != task.parent_id:
            # The outline's walk lives with the outline edits, which import this module.
            from itpm_tui.services.outline_edits import place_under

            place_under(tx, task, clean.parent_id)
        for ref in predecessors:
            if ref.task_id not in names:
                raise ValidationError(FIELD, f"task #{ref.task_id} is not in this project")

        existing = session.exec(
            select(Dependency)
            .join(Task, col(Dependency.successor_id) == col(Task.id))
            .where(col(Task.project_id) == pid)
        ).all()
        incoming = {d.predecessor_id: d for d in existing if d.successor_id == task_id}
        graph = [
            Link(d.predecessor_id, d.successor_id, d.kind, d.lag_days, d.lag_minutes)
            for d in existing
            if d.successor_id != task_id
        ]
        if {(r.task_id, r.kind, r.lag, r.lag_minutes) for r in predecessors} != {
            (d.predecessor_id, d.kind, d.lag_days, d.lag_minutes) for d in incoming.values()
        }:
            tx.require(Action.MANAGE, "changing predecessors")
        parents = {tid: parent for tid, *_, parent in project_tasks if tid is not None}
        was_summary = {parent for parent in parents.values() if parent is not None}
        parents[task_id] = clean.parent_id
        SummaryTree.of_parents(parents).check_links(
            graph,
            [Link(r.task_id, task_id, r.kind, r.lag, r.lag_minutes) for r in predecessors],
            names,
            was_summary=was_summary,
        )

        changed = tx.update(task, dict(clean.__dict__), expected_version=expected_version)
        if PROGRESS_FIELDS.intersection(changed):
            record_progress(tx, pid, ctx.today())
        links_changed = False
        wanted = {ref.task_id: ref for ref in predecessors}
        for pred_id, dep in incoming.items():
            if pred_id not in wanted:
                tx.log(
                    "dependency",
                    dep.id,
                    "delete",
                    project_id=pid,
                    summary=f"{names[task_id]} no longer waits for {names[pred_id]}",
                )
                session.delete(dep)
                links_changed = True
        for ref in predecessors:
            current = incoming.get(ref.task_id)
            if current is None:
                add_link(tx, ref, task_id, pid, f"{names[task_id]} waits for {names[ref.task_id]}")
                links_changed = True
            elif (current.kind, current.lag_days, current.lag_minutes) != (
                ref.kind,
                ref.lag,
                ref.lag_minutes,
            ):
                tx.update(
                    current,
                    {"kind": ref.kind, "lag_days": ref.lag, "lag_minutes": ref.lag_minutes},
                    expected_version=None,  # a link's version is its successor's
                    project_id=pid,
                )
                links_changed = True
        if links_changed:
            if not changed:  # a colleague editing this task must still notice our save
                tx.touch(task)
            tx.flush(task)
            changed.append(FIELD)
        return changed


def _draft_of(task: Task) -> TaskDraft:
    """The task as it is stored, in the shape a form hands in."""
    return TaskDraft(**{f.name: getattr(task, f.name) for f in fields(TaskDraft)})


def record_progress(tx: Tx, project_id: int, day: date) -> ProgressSnapshot:
    """Write the project's progress snapshot for `day` from its leaf tasks as they now are.

    One snapshot per project per day: the day's row is updated when it exists (the latest
    write of the day wins), inserted otherwise — inside the caller's transaction, so the task
    and the progress it implies are saved together or not at all. Not logged on its own: the
    write that moved the progress already is.
    """
    session = tx.session
    session.flush()
    child = aliased(Task)
    is_leaf = ~select(col(child.id)).where(col(child.parent_id) == col(Task.id)).exists()
    leaves = session.exec(
        select(col(Task.estimate_hours), col(Task.percent_complete)).where(
            col(Task.project_id) == project_id, is_leaf
        )
    ).all()
    progress = project_progress(LeafWork(hours, percent) for hours, percent in leaves)
    snapshot = session.exec(
        select(ProgressSnapshot).where(
            col(ProgressSnapshot.project_id) == project_id, col(ProgressSnapshot.day) == day
        )
    ).first()
    if snapshot is None:
        snapshot = ProgressSnapshot(project_id=project_id, day=day)
    snapshot.remaining_hours = progress.remaining_hours
    snapshot.remaining_tasks = progress.remaining_tasks
    snapshot.percent_complete = progress.percent_complete
    session.add(snapshot)
    session.flush()
    return snapshot


def _link_words(ref: PredecessorRef) -> str:
    return f"{ref.kind}{ref.lag_text()}"


def set_baseline(ctx: Context, project_id: int) -> int:
    """Save the plan as the approved baseline: every task's *scheduled* dates (the Timeline's,
    with links, lags and holidays: `queries.schedule`) become its baseline dates, and the
    project's baseline span is the span of its scheduled work — so a plan whose links push
    tasks past their stored dates is on its baseline, not late, the moment it is set.

    Returns the number of tasks baselined. Logged as one project entry plus the project's
    changed fields (not one entry per task: a 2,000-task plan stays one readable line).
    """
    with ctx.transaction() as tx:
        project: Project = tx.get(Project, project_id)
        session = tx.session
        session.flush()
        plan = load_schedules(session, [project_id])[project_id]
        dates = [{"tid": t.id, "b_start": t.start, "b_finish": t.finish} for t in plan.tasks]
        if dates:
            table = Task.__table__  # type: ignore[attr-defined]
            session.execute(
                update(table)
                .where(table.c.id == bindparam("tid"))
                .values(baseline_start=bindparam("b_start"), baseline_finish=bindparam("b_finish")),
                dates,
            )
        count = len(dates)
        first = min((t.start for t in plan.tasks if t.start), default=None)
        last = max((t.finish for t in plan.tasks if t.finish), default=None)
        start = first or project.start_date
        end = last or project.end_date
        tx.update(  # computed here from the plan as stored, not from a copy the user saw
            project,
            {"baseline_start": start, "baseline_end": end, "baseline_set_on": ctx.today()},
            expected_version=None,
        )
        span = f"{start.isoformat() if start else '—'} → {end.isoformat() if end else '—'}"
        tx.log(
            "project",
            project_id,
            "set baseline",
            project_id=project_id,
            summary=f"baseline set for {count} tasks of {project.code}: {span}",
        )
        return count


def add_link(tx: Tx, ref: PredecessorRef, successor_id: int, project_id: int, what: str) -> None:
    """Store one link with its activity entry: `what` says who waits for whom."""
    tx.create(
        Dependency(
            predecessor_id=ref.task_id,
            successor_id=successor_id,
            kind=ref.kind,
            lag_days=ref.lag,
            lag_minutes=ref.lag_minutes,
        ),
        project_id=project_id,
        summary=f"{what} ({_link_words(ref)})",
    )
