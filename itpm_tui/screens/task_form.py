"""The task form: every field of one task, checked by the domain before anything is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import CONSTRAINT_NAMES
from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.outline import OutlineItem, subtree
from itpm_tui.domain.predecessors import PredecessorRef, parse_predecessors
from itpm_tui.domain.tasks import (
    START_TIME,
    Duration,
    TaskDraft,
    hours_input,
    parse_duration,
    part_day_minutes,
    read_start_time,
    read_task,
    reconcile_dates,
    task_duration,
)
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.domain.work_hours import STANDARD_HOURS, WorkingHours
from itpm_tui.queries.tasks import TaskEdit
from itpm_tui.queries.timeline import TimelineTask
from itpm_tui.screens.form import FormScreen
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.tasks import update_task
from itpm_tui.widgets.formatting import input_date, literal
from itpm_tui.widgets.text_select import TextSelect
from itpm_tui.widgets.tick_box import TickBox


@dataclass(frozen=True)
class NewTaskPlace:
    """Where a task being added goes: after a task (same parent), under one, or last."""

    project_id: int
    after: int | None = None
    parent: int | None = None
    label: str = "New task"


#: The parent choice that puts a task at the top level of the outline.
TOP_LEVEL = 0


def parent_choices(tasks: Sequence[TimelineTask], task_id: int) -> list[tuple[str, int]]:
    """ "(top level)" and every task the task may go under: not itself nor one of its own
    subtasks, in outline order, shown by WBS and name."""
    own = set(subtree([OutlineItem(t.id, t.parent_id) for t in tasks], task_id))
    choices = [("(top level)", TOP_LEVEL)]
    for task in tasks:
        if task.id not in own:
            choices.append((f"{'  ' * task.level}{task.wbs} {task.name}".rstrip(), task.id))
    return choices


MILESTONE = "a point in time (◆)"
DOWNTIME = "needs a downtime window"
MANUAL = "manual (✎): keeps its dates, not pushed"
_TICKED = {"milestone": MILESTONE, "downtime": DOWNTIME, "manual": MANUAL}


def _ticked(what: str, value: bool) -> Text:
    return Text(f"{'yes' if value else 'no'} — {what}")


class TaskForm(FormScreen[int | None]):
    """Edit one task, or add one at `place`; dismisses with the task's id once saved (the
    caller reloads the schedule), None when cancelled. Every field of a task is here; the
    hours and the blocked reason are read by `domain.tasks.read_task`, as `itpm task` reads
    them, and the blocked reason can be typed only while the status is blocked."""

    RELOADS = True
    COLUMN_IDS: ClassVar = {
        "parent_id": "parent",
        "assignee_id": "assignee",
        "is_milestone": "milestone",
        "is_manual": "manual",
        "constraint_kind": "constraint",
        "constraint_date": "constraint-date",
        "deadline": "deadline",
        "planned_start": "start",
        "planned_finish": "finish",
        "work_minutes": "duration",
        "start_time": "start-time",
        "estimate_hours": "estimate",
        "remaining_hours": "remaining",
        "percent_complete": "percent",
        "needs_downtime": "downtime",
        "description": "notes",
    }
    FIELD_IDS: ClassVar = {
        "name": "name",
        "parent": "parent",
        "outline": "parent",
        "assignee": "assignee",
        "start": "start",
        "finish": "finish",
        "duration": "duration",
        START_TIME: "start-time",
        "constraint": "constraint",
        "constraint date": "constraint-date",
        "deadline": "deadline",
        "estimate": "estimate",
        "remaining": "remaining",
        "percent complete": "percent",
        "status": "status",
        "blocked reason": "blocked-reason",
        "predecessors": "predecessors",
        "link type": "predecessors",
        "lag": "predecessors",
        "notes": "notes",
    }

    def __init__(
        self,
        ctx: Context,
        edit: TaskEdit,
        team: list[tuple[int, str]],
        *,
        wbs_index: dict[str, int],
        task_ids: set[int],
        calendar: WorkCalendar,
        predecessors: str,
        hours: WorkingHours = STANDARD_HOURS,
        label: str,
        date_format: str = "%Y-%m-%d",
        place: NewTaskPlace | None = None,
        parents: list[tuple[str, int]] | None = None,
        parent: int | None = None,
        rolled_percent: int | None = None,
    ) -> None:
        super().__init__()
        self.place = place
        #: A summary's percent as the Timeline rolls it up from its tasks (shown, not saved).
        self.rolled_percent = rolled_percent
        self.ctx = ctx
        self.edit = edit
        self.team = team
        self.wbs_index = wbs_index
        self.task_ids = task_ids
        self.calendar = calendar
        self.hours = hours
        self.predecessors = predecessors
        self.label = label
        self.date_format = date_format
        self.parents = parents or [("(top level)", TOP_LEVEL)]
        #: Where the task sits now (for a new one: where `place` puts it).
        self.initial_parent = (parent if place else edit.draft.parent_id) or TOP_LEVEL
        self.initial = self._initial()

    def _initial(self) -> dict[str, str]:
        """The text the date and hours fields open with: a field left as it was is not
        read again (`read`), so a date moved by the schedule or hours shown rounded stay."""
        d = self.edit.draft
        duration = self.edit.duration or task_duration(d, self.calendar)
        return {
            "start": input_date(d.planned_start, self.date_format),
            "finish": input_date(d.planned_finish, self.date_format),
            "duration": "" if duration is None else duration.text(self.hours.minutes_per_day),
            "start-time": "" if d.start_time is None else f"{d.start_time:%H:%M}",
            "constraint-date": input_date(d.constraint_date, self.date_format),
            "deadline": input_date(d.deadline, self.date_format),
            "estimate": hours_input(d.estimate_hours),
            "remaining": hours_input(d.remaining_hours),
        }

    def reload_record(self) -> None:
        """The task as stored now, its predecessors written with the WBS codes the form
        reads (a task the form does not know by code as ``#id``)."""
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.tasks import load_task_edit
        from itpm_tui.queries.timeline import link_code

        edit = None if self.place is not None else load_task_edit(self.ctx.db, self.edit.task_id)
        if edit is None:
            raise NotFoundError("the task no longer exists (removed by someone else)")
        codes = {task_id: wbs for wbs, task_id in self.wbs_index.items()}
        self.predecessors = ", ".join(
            link_code(codes.get(ref.task_id, f"#{ref.task_id}"), ref.kind, ref.lag, ref.lag_minutes)
            for ref in edit.predecessors
        )
        self.edit = edit
        self.initial_parent = edit.draft.parent_id or TOP_LEVEL
        self.initial = self._initial()

    def compose(self) -> ComposeResult:
        d = self.edit.draft
        summary = self.edit.is_summary
        with Vertical(id="task-form"):
            title = Text("" if self.place else "Edit ", style="bold")
            title.append_text(literal(self.label))
            yield Static(title, id="task-title")
            yield from self.general_error()
            with VerticalScroll(id="task-fields"):
                yield from self.field("name", "Name", Input(d.name, id="name", compact=True))
                known = {value for _, value in self.parents}
                yield from self.field(
                    "parent",
                    "Parent",
                    TextSelect(
                        self.parents,
                        value=self.initial_parent if self.initial_parent in known else TOP_LEVEL,
                        allow_blank=False,
                        id="parent",
                        compact=True,
                    ),
                )
                yield from self.field(
                    "milestone",
                    "Milestone",
                    TickBox(
                        _ticked(MILESTONE, d.is_milestone),
                        d.is_milestone,
                        id="milestone",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "manual",
                    "Manual",
                    TickBox(
                        _ticked(MANUAL, d.is_manual),
                        d.is_manual,
                        id="manual",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "constraint",
                    "Constraint",
                    TextSelect(
                        [
                            (f"{kind} {name}" if kind else "none", kind)
                            for kind, name in CONSTRAINT_NAMES.items()
                        ],
                        value=d.constraint_kind if d.constraint_kind in CONSTRAINT_NAMES else "",
                        allow_blank=False,
                        id="constraint",
                        compact=True,
                        disabled=summary,
                    ),
                )
                for key, label, hint in (
                    ("start", "Start", "YYYY-MM-DD"),
                    ("finish", "Finish", "YYYY-MM-DD"),
                    ("duration", "Duration", "3d, 4h, 1.5d, or 10ed"),
                    ("start-time", "Start time", "HH:MM (blank: the day's first hour)"),
                    ("constraint-date", "Constraint on", "YYYY-MM-DD (with a constraint)"),
                    ("deadline", "Deadline", "YYYY-MM-DD: flagged when finishing later"),
                ):
                    yield from self.field(
                        key,
                        label,
                        Input(
                            self.initial[key],
                            placeholder=hint,
                            id=key,
                            compact=True,
                            disabled=summary,
                        ),
                    )
                for key, label in (("estimate", "Estimate (h)"), ("remaining", "Remaining (h)")):
                    yield from self.field(
                        key,
                        label,
                        Input(
                            self.initial[key],
                            placeholder="8, 8h or 1.5d (8h a day)",
                            id=key,
                            compact=True,
                            disabled=summary,
                        ),
                    )
                percent, status = d.percent_complete, d.status
                if summary and self.rolled_percent is not None:
                    percent, status = self.rolled_percent, rolled_status(self.rolled_percent)
                yield from self.field(
                    "percent",
                    "Done %",
                    Input(str(percent), id="percent", compact=True, disabled=summary),
                )
                yield from self.field(
                    "status",
                    "Status",
                    TextSelect(
                        [(s.value, s.value) for s in TaskStatus],
                        value=status,
                        allow_blank=False,
                        id="status",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "blocked-reason",
                    "Blocked by",
                    Input(
                        d.blocked_reason,
                        placeholder="what blocks it (status blocked only)",
                        id="blocked-reason",
                        compact=True,
                        disabled=d.status != TaskStatus.BLOCKED.value,
                    ),
                )
                team_ids = {pid for pid, _ in self.team}
                yield from self.field(
                    "assignee",
                    "Assignee",
                    TextSelect(
                        [(name, pid) for pid, name in self.team],
                        value=d.assignee_id if d.assignee_id in team_ids else Select.NULL,
                        prompt="(nobody)",
                        id="assignee",
                        compact=True,
                    ),
                )
                yield from self.field(
                    "downtime",
                    "Downtime",
                    TickBox(
                        _ticked(DOWNTIME, d.needs_downtime),
                        d.needs_downtime,
                        id="downtime",
                        compact=True,
                    ),
                )
                yield from self.field(
                    "predecessors",
                    "Predecessors",
                    Input(
                        self.predecessors,
                        placeholder="e.g. 1.2, 1.3SS, 2.1FS+2, 2.2FS+4h",
                        id="predecessors",
                        compact=True,
                    ),
                )
                hint = (
                    "A summary's dates, hours and progress come from its tasks; "
                    "its predecessors (FS/SS) hold them all back."
                    if summary
                    else "WBS codes or #ids, type FS/SS/FF/SF and lag: 1.2FS+2 (days), +4h, -30m"
                )
                yield Static(Text(hint, style="dim"), id="task-hint")
                yield from self.field(
                    "notes", "Notes", TextArea(d.description, id="notes", soft_wrap=True)
                )
            yield from self.buttons()

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """A big screen gets a wider form with room for the notes."""
        self.set_class(width >= 120 and height >= 40, "-wide")

    @on(Checkbox.Changed)
    def _ticked_changed(self, event: Checkbox.Changed) -> None:
        """The box says yes or no in words: its colour alone is lost without colours."""
        what = _TICKED[event.checkbox.id or ""]
        event.checkbox.label = _ticked(what, event.value)
        if what == MILESTONE and event.value:
            self.query_one("#duration", Input).value = "0"  # a point in time

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        blocked = event.value == TaskStatus.BLOCKED.value
        reason = self.query_one("#blocked-reason", Input)
        reason.disabled = not blocked
        if blocked and self.is_mounted and event.select.has_focus:
            reason.focus()

    def chosen_parent(self) -> int | None:
        value = self.selected("parent")
        return None if value in (None, TOP_LEVEL) else int(value)

    def read(self) -> tuple[TaskDraft, list[PredecessorRef]]:
        """The form as a validated draft and predecessors, or every problem at once."""
        problems: list[Problem] = []
        original = self.edit.draft
        dates: dict[str, date | None] = {}
        for key, name in (
            ("start", "start"),
            ("finish", "finish"),
            ("constraint-date", "constraint date"),
            ("deadline", "deadline"),
        ):
            try:
                dates[key] = parse_date(self.text(key), name, self.date_format)
            except ValidationError as exc:
                problems.extend(exc.problems)
                dates[key] = None
        start, finish = dates["start"], dates["finish"]
        milestone = self.query_one("#milestone", Checkbox).value
        duration: Duration | None = None
        duration_text = self.text("duration").strip()
        if duration_text:
            try:
                duration = parse_duration(duration_text, self.hours.minutes_per_day)
            except ValidationError as exc:
                problems.extend(exc.problems)
        start_time = original.start_time
        clock_time = (  # clock time (4eh) may start outside working hours: a 19:00 cut-over
            duration.clock_time
            if duration is not None
            else original.is_elapsed and original.work_minutes is not None
        )
        try:
            start_time = read_start_time(self.text("start-time"), self.hours, clock_time=clock_time)
        except ValidationError as exc:
            problems.extend(exc.problems)
        finish_moved = self.text("finish").strip() != self.initial["finish"]
        duration_moved = duration_text != self.initial["duration"]
        # the duration typed says which days it counts; without one the task keeps its own
        elapsed = (duration.elapsed if duration else original.is_elapsed) and not milestone
        if not self.edit.is_summary and not problems:
            start, finish = reconcile_dates(
                start,
                finish,
                duration,
                milestone,
                self.calendar,
                finish_moved=finish_moved,
                duration_moved=duration_moved,
                problems=problems,
                elapsed=elapsed,
                hours=self.hours,
                start_time=start_time,
            )
        assignee = self.query_one("#assignee", Select).value
        base = replace(
            original,
            parent_id=self.chosen_parent(),
            is_milestone=milestone,
            is_manual=self.query_one("#manual", Checkbox).value,
            is_elapsed=elapsed,
            constraint_kind=str(self.query_one("#constraint", Select).value),
            constraint_date=dates["constraint-date"],
            deadline=dates["deadline"],
            planned_start=start,
            planned_finish=finish,
            work_minutes=part_day_minutes(
                duration, milestone, finish_moved=finish_moved, duration_moved=duration_moved
            ),
            start_time=start_time,
            assignee_id=None if assignee is Select.NULL else int(assignee),  # type: ignore[arg-type]
            needs_downtime=self.query_one("#downtime", Checkbox).value,
            description=self.text("notes").strip(),
        )
        summary = self.edit.is_summary
        status = original.status if summary else str(self.query_one("#status", Select).value)
        reason = self.query_one("#blocked-reason", Input)
        blocked = status == TaskStatus.BLOCKED.value  # not `reason.disabled`: set a beat later
        hours = {
            key: None if self.text(key).strip() == self.initial[key] else self.text(key)
            for key in ("estimate", "remaining")
        }
        draft = base
        try:
            draft = read_task(
                base,
                name=self.text("name"),
                percent=str(original.percent_complete) if summary else self.text("percent"),
                status=status,
                estimate=hours["estimate"],
                remaining=hours["remaining"],
                blocked_reason=reason.value if blocked else None,
            )
        except ValidationError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
        refs: list[PredecessorRef] = []
        try:
            refs = parse_predecessors(
                self.text("predecessors"),
                self.wbs_index,
                self.task_ids,
                self.hours.minutes_per_day,
            )
        except ValidationError as exc:
            problems.extend(exc.problems)
        if problems:
            raise ValidationError.of(problems)
        return draft, refs

    def action_save(self) -> None:
        try:
            draft, refs = self.read()
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        self.show_problems([])
        self.write(lambda: self._store(draft, refs))

    def _store(self, draft: TaskDraft, refs: list[PredecessorRef]) -> int:
        place = self.place
        if place is not None:
            moved = draft.parent_id != (self.initial_parent or None)
            return add_task(
                self.ctx,
                place.project_id,
                draft,
                after=None if moved else place.after,
                parent=draft.parent_id if moved or place.after is None else None,
                predecessors=refs,
            )
        update_task(self.ctx, self.edit.task_id, draft, refs, self.edit.version)
        return self.edit.task_id


def rolled_status(percent: int) -> str:
    """The status a summary reads as from its tasks' progress."""
    if percent >= 100:
        return TaskStatus.DONE.value
    return TaskStatus.IN_PROGRESS.value if percent > 0 else TaskStatus.TODO.value
