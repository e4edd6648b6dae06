"""Import an MS Project XML (MSPDI) plan as one new project.

The reader checks the whole file first; this maps what it read onto `services.plans.add_plan`,
which writes everything in one transaction, so a bad file leaves no trace. What itpm has no
place for (constraints, calendars, costs, ...) is listed in the report rather than dropped
silently. See docs/mspdi.md for the field-by-field mapping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import date_warnings
from itpm_tui.domain.schedule import Link
from itpm_tui.formats.mspdi.reader import MsPlan, read_bytes, read_plan, task_draft
from itpm_tui.queries.plans import holidays
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.services.context import Context
from itpm_tui.services.plans import NewPlan, NewResource, NewTask, add_plan


@dataclass
class MspdiReport:
    """What an import read and created, and what it could not map (one line per topic)."""

    source: str
    project_id: int
    project_code: str
    project_name: str
    tasks: int = 0
    summary_tasks: int = 0
    milestones: int = 0
    links: int = 0
    resources: int = 0
    assignments: int = 0
    people_matched: int = 0
    people_created: int = 0
    holidays: int = 0  # the project calendar's non-working days added to the project's
    work_hours: str = ""  # the project calendar's working hours when not 08–12, 13–17
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        people = ""
        if self.people_matched or self.people_created:
            people = (
                f"; assignees: {self.people_matched} matched to existing people, "
                f"{self.people_created} added to the team"
            )
        days = f", {_count(self.holidays, 'non-working day')}" if self.holidays else ""
        days += f", working hours {self.work_hours}" if self.work_hours else ""
        return (
            f"imported {_count(self.tasks, 'task')} ({self.summary_tasks} summary, "
            f"{_count(self.milestones, 'milestone')}){days} and {_count(self.links, 'link')} "
            f"from {self.source} as project {self.project_code} '{self.project_name}'{people}"
        )

    def __str__(self) -> str:
        return self.summary


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def import_mspdi(
    ctx: Context, path: str | os.PathLike[str], *, code: str | None = None
) -> MspdiReport:
    """Add the plan in `path` as one new project (phase planning), or raise `MspdiError` and
    write nothing.

    `code` names the project; without it one is derived from the plan's name and made unique.
    """
    source = Path(path)
    label = source.name
    data = read_bytes(source)
    plan = read_plan(data, label, WorkCalendar(holidays(ctx.db)))
    added = add_plan(ctx, _new_plan(plan, label), code=code)
    for name in added.invalid_emails:
        plan.notes.add("e-mail addresses that are not valid left out", f"'{name}'")
    _flag_broken_dates(ctx, added.project_id, plan)
    parents = {t.parent for t in plan.tasks if t.parent is not None}
    return MspdiReport(
        source=label,
        project_id=added.project_id,
        project_code=added.code,
        project_name=added.name,
        tasks=len(plan.tasks),
        summary_tasks=len(parents),
        milestones=sum(1 for t in plan.tasks if t.milestone),
        links=len(plan.links),
        resources=len(plan.resources),
        assignments=plan.assignments,
        people_matched=added.people_matched,
        people_created=added.people_created,
        holidays=added.holidays,
        work_hours=plan.work_hours,
        warnings=plan.notes.lines(),
    )


def _flag_broken_dates(ctx: Context, project_id: int, plan: MsPlan) -> None:
    """Name each task whose schedule in itpm breaks its Finish No Later Than or deadline, as
    the Timeline flags it: the PM hears of it on import, not when it is too late.

    MS Project meets a broken Finish No Later Than by starting the task before its links
    allow; itpm keeps the links, so such a task starts later than saved, which is said too."""
    timeline = load_timeline(ctx.db, project_id)
    for task in timeline.tasks if timeline is not None else ():
        warnings = task.warnings()
        saved, start = task.planned_start, task.start
        broken = date_warnings(task.constraint_kind, task.constraint_date, None, task.finish)
        if broken and not task.is_summary and saved and start and start > saved:
            # MS Project met it before the links; the FNLT's warning comes first
            warnings[0] += (
                f" (saved to start {saved.isoformat()}, before its links allow: "
                f"starts {start.isoformat()})"
            )
        for warning in warnings:
            plan.notes.add(
                "dates the schedule breaks (⚠ in the Timeline)",
                f"{task.wbs} '{task.name}' {warning}",
            )


def _new_plan(plan: MsPlan, label: str) -> NewPlan:
    """The plan as the service takes it: the project spans its tasks (or starts on the plan's
    start), and each task keeps its file UID until the service gives it an id."""
    starts = [t.start for t in plan.tasks if t.start] or ([plan.start] if plan.start else [])
    finishes = [t.finish for t in plan.tasks if t.finish]
    start = min(starts, default=None)
    end = max(finishes, default=None)
    if start and end and end < start:
        end = start
    used = dict.fromkeys(plan.assignee.values())
    return NewPlan(
        name=plan.name,
        source=label,
        tasks=[
            NewTask(
                uid=task.uid,
                draft=task_draft(task),
                parent=task.parent,
                position=task.position,
                wbs=task.wbs,
                baseline_start=task.baseline_start,
                baseline_finish=task.baseline_finish,
                resource=plan.assignee.get(task.uid),
            )
            for task in plan.tasks
        ],
        links=[
            Link(lk.predecessor, lk.successor, lk.kind, lk.lag, lk.lag_minutes) for lk in plan.links
        ],
        resources=[
            NewResource(r.uid, r.name, r.email) for r in (plan.resources[uid] for uid in used)
        ],
        start=start,
        end=end,
        baseline_start=plan.baseline_start,
        baseline_finish=plan.baseline_finish,
        holidays=plan.holidays,
        work_hours=plan.work_hours,
    )
