"""What deleting a task takes with it, in words: the Timeline's confirmation and the refusal
of `itpm task rm` without --yes say the same thing."""

from __future__ import annotations

from itpm_tui.domain.outline import OutlineItem, subtree
from itpm_tui.queries.timeline import ProjectTimeline, TimelineTask


def delete_question(timeline: ProjectTimeline, task: TimelineTask) -> list[str]:
    """Everything that goes with the task, named, so nobody deletes a phase by surprise;
    one sentence a line, the question first."""
    by_id = timeline.by_id()
    gone = subtree([OutlineItem(t.id, t.parent_id) for t in timeline.tasks], task.id)
    tasks = [by_id[i] for i in gone if i in by_id]
    going = set(gone)
    links = [link for link in timeline.links if going & set(link)]
    assignees = sorted({t.assignee for t in tasks if t.assignee})
    lines = [f"Delete {task.wbs} {task.name}?"]
    if len(tasks) > 1:
        names = ", ".join(f"{t.wbs} {t.name}" for t in tasks[1:6])
        more = f" and {len(tasks) - 6} more" if len(tasks) > 6 else ""
        lines.append(f"With it go {count(len(tasks) - 1, 'subtask')}: {names}{more}.")
    if links:
        verb = "goes" if len(links) == 1 else "go"
        lines.append(f"{count(len(links), 'link')} to or from other tasks {verb} too.")
    if assignees:
        lines.append(f"Assignments lost: {', '.join(assignees)} (they stay on the team).")
    lines.append("This cannot be undone.")
    return lines


def count(n: int, noun: str) -> str:
    """`1 link`, `3 links`."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
