"""`itpm task`: a project's tasks, planned and tracked from a script.

Each command reads its input with the same domain readers as the dashboard's forms
(`domain.tasks.read_task`, `parse_predecessors`, `reconcile_dates`)
and writes through the same services, so the activity entry and the day's progress snapshot
are written as a dashboard edit writes them. Bad input is one line naming the field and the
rule (exit 2), and nothing is written.
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo
from itpm_tui.domain.validation import Problem, ValidationError, parse_date

if TYPE_CHECKING:
    from itpm_tui.domain.calendar import WorkCalendar
    from itpm_tui.domain.tasks import Duration, TaskDraft
    from itpm_tui.queries.timeline import ProjectTimeline, TimelineTask

_DAYS_HELP = (
    "Working days, e.g. 3d (0 for a milestone), working time within the project's hours, "
    "e.g. 4h, 30m or 1.5d, or calendar days through weekends and holidays, e.g. 10ed."
)
_START_TIME_HELP = (
    "Clock time its work starts on its first day (HH:MM, within the project's working "
    "hours), or none for the day's first hour."
)


@click.group()
def task() -> None:
    """Add, change, remove or list the tasks of a project."""


def _timeline(ctx: Any, code: str) -> ProjectTimeline:
    from itpm_tui.queries.lookup import project_by_code
    from itpm_tui.queries.timeline import load_timeline

    project = project_by_code(ctx.db, code)
    timeline = load_timeline(ctx.db, project.id)
    if timeline is None:  # removed between the two reads
        raise ValidationError("project", f"no project with code '{code}'")
    return timeline


def _task_at(timeline: ProjectTimeline, wbs: str) -> TimelineTask:
    found = timeline.wbs_index().get(wbs.strip())
    if found is None:
        raise ValidationError("WBS", f"there is no task {wbs} in {timeline.code}")
    return timeline.by_id()[found]


def _duration(text: str | None, timeline: ProjectTimeline) -> Duration | None:
    """A duration as typed (`3`, `3d`, `4h`, `1.5d` on the project's day, `10ed`), None
    when not given."""
    from itpm_tui.domain.tasks import parse_duration

    return None if text is None else parse_duration(text, timeline.hours.minutes_per_day)


def _start_time(
    text: str | None,
    timeline: ProjectTimeline,
    kept: time | None,
    problems: list[Problem],
    clock_time: bool,
) -> time | None:
    """The --start-time given (`none` clears it), else `kept`; a bad one joins `problems`.
    A task lasting `clock_time` (`4eh`) may start outside working hours."""
    from itpm_tui.domain.tasks import read_start_time

    if text is None:
        return kept
    try:
        return read_start_time(text, timeline.hours, clock_time=clock_time)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return kept


def _dated_rule_options(command: Any) -> Any:
    """`--constraint`, `--constraint-date` and `--deadline`, as `task add` and `task set` both
    take them (read by `_dated_rules`)."""
    for option in reversed(
        (
            click.option(
                "--constraint",
                metavar="KIND",
                help="MSO (Must Start On), FNLT (Finish No Later Than), or none to clear it.",
            ),
            click.option("--constraint-date", help="The constraint's date (YYYY-MM-DD)."),
            click.option("--deadline", help="Date it should finish by (YYYY-MM-DD), or none."),
        )
    ):
        command = option(command)
    return command


def _dated_rules(
    base: TaskDraft,
    constraint: str | None,
    on: str | None,
    deadline: str | None,
    problems: list[Problem],
) -> TaskDraft:
    """`base` with the constraint and deadline given (None keeps the task's own); `validate_task`
    checks them together. A constraint cleared takes its date with it."""
    from dataclasses import replace

    from itpm_tui.domain.constraints import constraint_kind

    changes: dict[str, Any] = {}
    if constraint is not None:
        changes["constraint_kind"] = constraint_kind(constraint)
        if not changes["constraint_kind"] and on is None:
            changes["constraint_date"] = None
    for field, key, text in (
        ("constraint date", "constraint_date", on),
        ("deadline", "deadline", deadline),
    ):
        if text is None:
            continue
        try:
            changes[key] = None if _cleared(text) else parse_date(text, field)
        except ValidationError as exc:
            problems.extend(exc.problems)
    return replace(base, **changes)


def _dates(
    start: str | None, finish: str | None, problems: list[Problem]
) -> tuple[date | None, date | None]:
    read: dict[str, date | None] = {}
    for key, text in (("start", start), ("finish", finish)):
        try:
            read[key] = parse_date(text, key)
        except ValidationError as exc:
            problems.extend(exc.problems)
            read[key] = None
    return read["start"], read["finish"]


def _cleared(text: str) -> bool:
    """An option's value that clears the field: `none`, `-` or nothing."""
    return text.strip().lower() in ("", "none", "-")


def _assignee(ctx: Any, handle: str | None) -> int | None:
    from itpm_tui.queries.lookup import person_by_handle

    if handle is None or _cleared(handle):
        return None
    return person_by_handle(ctx.db, handle)


def _default_start(timeline: ProjectTimeline, project_start: date | None, today: date) -> date:
    """Where a task with no --start begins: the project's start, or today once the project
    is under way (rolled on to a working day); its predecessors push it later."""
    calendar: WorkCalendar = timeline.calendar()
    return calendar.on_or_after(max(project_start or today, today))


@task.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="WBS of the task to add it under (default: last at top level).")
@click.option("--duration", help=_DAYS_HELP + " Default: 1 working day.")
@click.option("--start", help="First day (YYYY-MM-DD).")
@click.option("--finish", help="Last day (YYYY-MM-DD); instead of --duration.")
@click.option("--start-time", help=_START_TIME_HELP)
@click.option(
    "--after",
    multiple=True,
    help="Predecessor: WBS[FS|SS|FF|SF][+Nd], e.g. 1.2 or 1.3SS+2d. Repeat for several.",
)
@click.option("--assignee", help="Login handle of the person doing it.")
@click.option("--estimate", help="Work in hours: 8, 8h or 1.5d (8 hours a day).")
@click.option("--milestone", is_flag=True, help="A point in time (duration 0).")
@_dated_rule_options
@db_option
@click.pass_context
def task_add(
    click_ctx: click.Context,
    code: str,
    name: str,
    parent: str | None,
    duration: str | None,
    start: str | None,
    finish: str | None,
    start_time: str | None,
    after: tuple[str, ...],
    assignee: str | None,
    estimate: str | None,
    milestone: bool,
    constraint: str | None,
    constraint_date: str | None,
    deadline: str | None,
    db_path: str | None,
) -> None:
    """Add task NAME to project CODE and print its WBS.

    Without --start the task begins on the project's start date (or today, once the
    project has started); its --after predecessors then push it later on the Timeline,
    as a PM expects of a linked plan. Without --duration or --finish it lasts one
    working day. --constraint, --constraint-date and --deadline are read as `task set`
    reads them.
    """
    from itpm_tui.domain.predecessors import parse_predecessors
    from itpm_tui.domain.tasks import (
        Duration,
        TaskDraft,
        part_day_minutes,
        read_task,
        reconcile_dates,
    )
    from itpm_tui.queries.lookup import project_by_code
    from itpm_tui.queries.timeline import load_timeline
    from itpm_tui.services.outline_edits import add_task

    ctx = open_context(chosen_db(click_ctx, db_path))
    timeline = _timeline(ctx, code)
    problems: list[Problem] = []
    parent_id: int | None = None
    who: int | None = None
    try:
        parent_id = _task_at(timeline, parent).id if parent else None
    except ValidationError as exc:
        problems.append(Problem("parent", exc.rule))
    try:
        who = _assignee(ctx, assignee)
    except ValidationError as exc:
        problems.extend(exc.problems)
    first, last = _dates(start, finish, problems)
    days: Duration | None = None
    try:
        days = _duration(duration, timeline)
    except ValidationError as exc:
        problems.extend(exc.problems)
    at = _start_time(start_time, timeline, None, problems, days is not None and days.clock_time)
    if finish is None and days is None:
        days = Duration(0 if milestone else 1)
    elapsed = days is not None and days.elapsed and not milestone
    if start is None:
        first = _default_start(timeline, project_by_code(ctx.db, code).start_date, ctx.today())
    if not problems:
        first, last = reconcile_dates(
            first,
            last,
            days,
            milestone,
            timeline.calendar(),
            finish_moved=finish is not None,
            duration_moved=duration is not None,
            problems=problems,
            elapsed=elapsed,
            hours=timeline.hours,
            start_time=at,
        )
    base = TaskDraft(
        name="",
        is_milestone=milestone,
        is_elapsed=elapsed,
        planned_start=first,
        planned_finish=last,
        assignee_id=who,
        work_minutes=part_day_minutes(
            days, milestone, finish_moved=finish is not None, duration_moved=duration is not None
        ),
        start_time=at,
    )
    base = draft = _dated_rules(base, constraint, constraint_date, deadline, problems)
    try:
        draft = read_task(base, name=name, estimate=estimate)
    except ValidationError as exc:
        problems.extend(p for p in exc.problems if p not in problems)
    refs = []
    try:
        refs = parse_predecessors(
            ",".join(after),
            timeline.wbs_index(),
            {t.id for t in timeline.tasks},
            timeline.hours.minutes_per_day,
        )
    except ValidationError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ValidationError.of(problems)
    task_id = add_task(ctx, timeline.project_id, draft, parent=parent_id, predecessors=refs)
    after_add = load_timeline(ctx.db, timeline.project_id)
    added = after_add.by_id()[task_id] if after_add else None
    echo(added.wbs if added else str(task_id))


@task.command("set")
@click.argument("code")
@click.argument("wbs")
@click.option("--name", help="New name.")
@click.option("--percent", help="Percent complete, 0 to 100 (100 makes it done).")
@click.option("--status", help="todo, in progress, blocked or done.")
@click.option("--remaining", help="Hours of work left: 8, 8h or 1.5d.")
@click.option("--estimate", help="Hours of work in all: 8, 8h or 1.5d.")
@click.option("--blocked-reason", help="What blocks it (needed with --status blocked).")
@click.option("--start", help="First day (YYYY-MM-DD); keeps the duration.")
@click.option("--finish", help="Last day (YYYY-MM-DD); changes the duration.")
@click.option("--duration", help=_DAYS_HELP)
@click.option("--start-time", help=_START_TIME_HELP)
@click.option("--assignee", help="Login handle, or none to unassign.")
@click.option("--note", help='Replaces the task\'s notes ("" clears them).')
@click.option("--milestone/--no-milestone", default=None, help="Make it a milestone, or not.")
@_dated_rule_options
@db_option
@click.pass_context
def task_set(
    click_ctx: click.Context,
    code: str,
    wbs: str,
    name: str | None,
    percent: str | None,
    status: str | None,
    remaining: str | None,
    estimate: str | None,
    blocked_reason: str | None,
    start: str | None,
    finish: str | None,
    duration: str | None,
    start_time: str | None,
    assignee: str | None,
    note: str | None,
    milestone: bool | None,
    constraint: str | None,
    constraint_date: str | None,
    deadline: str | None,
    db_path: str | None,
) -> None:
    """Change the task WBS of project CODE: only the options given change.

    A Must Start On holds the task on its date, a Finish No Later Than and a deadline are
    flagged (⚠) on the Timeline when it finishes later; `--constraint none` clears the
    constraint with its date.

    Saved as the Timeline's task form saves (progress rules, the day's progress snapshot,
    an activity entry per changed field); prints what changed.
    """
    from dataclasses import replace

    from itpm_tui.domain.tasks import (
        part_day_minutes,
        read_task,
        reconcile_dates,
        task_duration,
    )
    from itpm_tui.queries.tasks import load_task_edit
    from itpm_tui.reports.clean import one_line
    from itpm_tui.services.tasks import update_task

    ctx = open_context(chosen_db(click_ctx, db_path))
    timeline = _timeline(ctx, code)
    shown = _task_at(timeline, wbs)
    edit = load_task_edit(ctx.db, shown.id)
    if edit is None:
        raise ValidationError("WBS", f"there is no task {wbs} in {timeline.code}")
    original = edit.draft
    problems: list[Problem] = []
    moved = any(v is not None for v in (start, finish, duration, start_time))
    moved = moved or milestone is not None
    if moved and edit.is_summary:
        problems.append(Problem("start", "a summary's dates come from its tasks"))
    base = original
    if moved and not edit.is_summary:
        first, last = _dates(start, finish, problems)
        days: Duration | None = None
        try:
            days = _duration(duration, timeline)
        except ValidationError as exc:
            problems.extend(exc.problems)
        clock_time = (
            days.clock_time
            if days is not None
            else original.is_elapsed and original.work_minutes is not None
        )
        at = _start_time(start_time, timeline, original.start_time, problems, clock_time)
        is_milestone = original.is_milestone if milestone is None else milestone
        calendar = timeline.calendar()
        if days is None and finish is None:
            days = (
                edit.duration
                if is_milestone == original.is_milestone and edit.duration is not None
                else task_duration(replace(original, is_milestone=is_milestone), calendar)
            )
        # a new duration says which days it counts; otherwise the task keeps its own
        elapsed = (days.elapsed if days is not None else original.is_elapsed) and not is_milestone
        if not problems:
            first, last = reconcile_dates(
                first or original.planned_start,
                last or original.planned_finish,
                days,
                is_milestone,
                calendar,
                finish_moved=finish is not None,
                duration_moved=duration is not None,
                problems=problems,
                elapsed=elapsed,
                hours=timeline.hours,
                start_time=at,
            )
        base = replace(
            base,
            is_milestone=is_milestone,
            is_elapsed=elapsed,
            planned_start=first,
            planned_finish=last,
            work_minutes=part_day_minutes(
                days,
                is_milestone,
                finish_moved=finish is not None,
                duration_moved=duration is not None,
            ),
            start_time=at,
        )
    if assignee is not None:
        base = replace(base, assignee_id=_assignee(ctx, assignee))
    if note is not None:
        base = replace(base, description=note.strip())
    base = _dated_rules(base, constraint, constraint_date, deadline, problems)
    draft = base
    try:
        draft = read_task(
            base,
            name=name,
            percent=percent,
            status=status,
            estimate=estimate,
            remaining=remaining,
            blocked_reason=blocked_reason,
        )
    except ValidationError as exc:
        problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        raise ValidationError.of(problems)
    changed = update_task(ctx, edit.task_id, draft, edit.predecessors, edit.version)
    words = ", ".join(f.replace("_", " ") for f in changed) or "nothing"
    echo(f"{shown.wbs} {one_line(shown.name)}: {words} changed")


@task.command("rm")
@click.argument("code")
@click.argument("wbs")
@click.option("--yes", is_flag=True, help="Delete without asking (names what goes with it).")
@db_option
@click.pass_context
def task_rm(click_ctx: click.Context, code: str, wbs: str, yes: bool, db_path: str | None) -> None:
    """Delete the task WBS of project CODE with its subtasks, links and assignments.

    Without --yes nothing is deleted: it says what would go, as the Timeline asks.
    """
    from itpm_tui.errors import ItpmError
    from itpm_tui.queries.task_deletion import count, delete_question
    from itpm_tui.reports.clean import one_line
    from itpm_tui.services.outline_edits import delete_task

    ctx = open_context(chosen_db(click_ctx, db_path))
    timeline = _timeline(ctx, code)
    shown = _task_at(timeline, wbs)
    if not yes:
        lines = delete_question(timeline, shown)[:-1]
        raise ItpmError(one_line(" ".join([*lines, "Nothing deleted: add --yes to delete."])))
    result = delete_task(ctx, shown.id, expected_version=shown.version)
    parts = [count(result.subtasks, "subtask")] if result.subtasks else []
    if result.links:
        parts.append(count(result.links, "link"))
    gone = f" with {' and '.join(parts)}" if parts else ""
    echo(f"deleted {one_line(result.label)}{gone}")


@task.command("list")
@click.argument("code")
@click.option("--mine", metavar="HANDLE", help="Only the tasks assigned to HANDLE.")
@db_option
@click.pass_context
def task_list(click_ctx: click.Context, code: str, mine: str | None, db_path: str | None) -> None:
    """Print the tasks of CODE as a plain table, with the Timeline's scheduled dates."""
    from itpm_tui.queries.lookup import person_by_handle
    from itpm_tui.reports.clean import one_line

    ctx = open_context(chosen_db(click_ctx, db_path))
    timeline = _timeline(ctx, code)
    who = person_by_handle(ctx.db, mine, "--mine") if mine else None
    tasks = [t for t in timeline.tasks if who is None or t.assignee_id == who]
    if not tasks:
        echo(
            f"no tasks yet in {timeline.code}: itpm task add {timeline.code} NAME"
            if who is None
            else f"no tasks of {mine} in {timeline.code}"
        )
        return
    rows = [("WBS", "NAME", "START", "FINISH", "%", "STATUS", "ASSIGNEE")]
    for t in tasks:
        rows.append(
            (
                t.wbs,
                "  " * t.level + one_line(t.name) + (" ◆" if t.is_milestone else ""),
                t.start.isoformat() if t.start else "-",
                t.finish.isoformat() if t.finish else "-",
                str(t.percent),
                "summary" if t.is_summary else t.status,
                one_line(t.assignee) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _quick(verb: str, help_text: str) -> None:
    """`itpm task VERB CODE WBS [--reason] [--note]`: one quick update (services.my_work)."""

    @task.command(verb, help=help_text)
    @click.argument("code")
    @click.argument("wbs")
    @click.option("--reason", help="What blocks it (required by block).")
    @click.option("--note", help="A note appended to the task's notes, dated and signed.")
    @db_option
    @click.pass_context
    def command(
        click_ctx: click.Context,
        code: str,
        wbs: str,
        reason: str | None,
        note: str | None,
        db_path: str | None,
    ) -> None:
        from itpm_tui.reports.clean import one_line
        from itpm_tui.services import my_work

        if reason is not None and verb != "block":
            raise ValidationError("reason", f"only block takes a reason, not {verb}")
        if verb == "block" and not (reason or "").strip():
            raise ValidationError("reason", "is required: say what blocks it (--reason TEXT)")
        ctx = open_context(chosen_db(click_ctx, db_path))
        shown = _task_at(_timeline(ctx, code), wbs)
        text = note or ""
        if verb == "start":
            changed = my_work.start_task(ctx, shown.id, text)
        elif verb == "done":
            changed = my_work.finish_task(ctx, shown.id, text)
        elif verb == "block":
            changed = my_work.block_task(ctx, shown.id, reason or "", text)
        else:
            changed = my_work.unblock_task(ctx, shown.id, text)
        words = ", ".join(f.replace("_", " ") for f in changed) or "nothing"
        echo(f"{shown.wbs} {one_line(shown.name)}: {words} changed")


for _verb, _help in (
    ("start", "Start task WBS of project CODE: in progress, actual start today."),
    ("done", "Finish task WBS of project CODE: 100%, 0 hours left, actual finish today."),
    ("block", "Mark task WBS of project CODE blocked; --reason is required."),
    ("unblock", "Unblock task WBS of project CODE: back in progress (or to do)."),
):
    _quick(_verb, _help)
