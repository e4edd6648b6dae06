"""One person's work as an iCalendar file (RFC 5545): what `itpm my --ics` writes.

Each assigned task with scheduled dates is an all-day event from its start to its finish,
summary "CODE WBS name", described with its project, its state, why it waits and the PM to
call; each downtime window tied to one of those tasks is a timed event in the site's local
time. UIDs stay the same on every export of the database (``task-<id>-<database>@itpm``;
a window keeps the UID it has in the project calendar), so a calendar that imports the file
again updates its events instead of duplicating them (`formats.icalendar.record_uid`). The
lines are written by `formats.icalendar`, which escapes and folds them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from itpm_tui.formats.icalendar import (
    all_day,
    calendar_head,
    content_lines,
    downtime_event,
    event,
    record_uid,
    stamp,
)
from itpm_tui.queries.my_calendar import CalendarExtras, ProjectCall, load_calendar_extras
from itpm_tui.queries.my_work import MyTask, MyWork, load_my_work
from itpm_tui.storage.database import Database


def _call(project: ProjectCall | None) -> str:
    if project is None or not project.manager:
        return "Project manager: none named."
    ways = [w for w in (project.phone, project.email) if w]
    return f"Project manager: {project.manager}" + (f", {', '.join(ways)}." if ways else ".")


def _task_details(task: MyTask, project: ProjectCall | None) -> list[str]:
    name = project.name if project else ""
    details = [f"Project: {task.project_code} {name}".rstrip() + ".", f"State: {task.status}."]
    if task.late:
        details.append("Late: past its scheduled finish.")
    details.append(f"{task.percent}% done, {task.remaining_hours.normalize():f} h left.")
    why = task.why_waiting()
    if why:
        details.append(f"Waiting: {why}.")
    details.append(_call(project))
    return details


def export_my_ics(
    work: MyWork,
    tasks: tuple[MyTask, ...],
    extras: CalendarExtras,
    *,
    now: datetime | None = None,
) -> str:
    """The calendar of `tasks` (of `work`) as text with CRLF line ends; `now` is the
    DTSTAMP of every event."""
    dtstamp = stamp(now or datetime.now(UTC))
    lines = calendar_head(f"itpm: {work.person_name} ({work.handle})")
    for task in tasks:
        project = extras.projects.get(task.project_id)
        if task.start is not None and task.finish is not None:
            lines += event(
                record_uid(extras.database, "task", task.id),
                dtstamp,
                all_day(task.start, task.finish),
                f"{task.project_code} {task.wbs} {task.name}",
                _task_details(task, project),
                "CATEGORIES:Task",
                "TRANSP:TRANSPARENT",
            )
        ids = extras.window_ids.get(task.id, ())
        for window_id, window in zip(ids, task.windows, strict=False):
            details = [
                f"Downtime window for {task.project_code} {task.wbs} {task.name}.",
                "Approved." if window.approved else "Not approved yet.",
                "Times are local time at the site.",
                _call(project),
            ]
            lines += downtime_event(
                extras.database,
                window_id,
                dtstamp,
                window,
                f"{task.project_code} downtime: {window.title}",
                details,
            )
    lines.append("END:VCALENDAR")
    return content_lines(lines)


def person_ics(db: Database, person_id: int, today: date, *, now: datetime | None = None) -> str:
    """The calendar of a person's tasks (open ones and those done in the last week, as My
    work lists them) and their downtime windows: a published person feed."""
    work = load_my_work(db, person_id, today)
    return export_my_ics(work, work.tasks, load_calendar_extras(db, work), now=now)
