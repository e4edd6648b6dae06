"""The task form: every field of one task, checked by the domain before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import TaskStatus
from itpm_tui.domain.predecessors import PredecessorRef, parse_predecessors
from itpm_tui.domain.tasks import TaskDraft, reconcile_dates, validate_task
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.queries.tasks import TaskEdit
from itpm_tui.screens.form import FormScreen
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.tasks import update_task
from itpm_tui.widgets.formatting import input_date, literal


@dataclass(frozen=True)
class NewTaskPlace:
    """Where a task being added goes: after a task (same parent), under one, or last."""

    project_id: int
    after: int | None = None
    parent: int | None = None
    label: str = "New task"


class TaskForm(FormScreen[int | None]):
    """Edit one task, or add one at `place`; dismisses with the task's id once saved (the
    caller reloads the schedule), None when cancelled."""

    FIELD_IDS: ClassVar = {
        "name": "name",
        "assignee": "assignee",
        "start": "start",
        "finish": "finish",
        "duration": "duration",
        "percent complete": "percent",
        "status": "status",
        "predecessors": "predecessors",
        "link type": "predecessors",
        "lag": "predecessors",
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
        label: str,
        date_format: str = "%Y-%m-%d",
        place: NewTaskPlace | None = None,
    ) -> None:
        super().__init__()
        self.place = place
        self.ctx = ctx
        self.edit = edit
        self.team = team
        self.wbs_index = wbs_index
        self.task_ids = task_ids
        self.calendar = calendar
        self.predecessors = predecessors
        self.label = label
        self.date_format = date_format
        d = edit.draft
        self.initial = {
            "start": input_date(d.planned_start, date_format),
            "finish": input_date(d.planned_finish, date_format),
            "duration": ""
            if d.planned_start is None or d.planned_finish is None
            else str(
                0
                if d.is_milestone
                else calendar.count_working_days(d.planned_start, d.planned_finish)
            ),
        }

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
                team_ids = {pid for pid, _ in self.team}
                yield from self.field(
                    "assignee",
                    "Assignee",
                    Select(
                        [(name, pid) for pid, name in self.team],
                        value=d.assignee_id if d.assignee_id in team_ids else Select.NULL,
                        prompt="(nobody)",
                        id="assignee",
                        compact=True,
                    ),
                )
                yield from self.field(
                    "start",
                    "Start",
                    Input(
                        self.initial["start"],
                        placeholder="YYYY-MM-DD",
                        id="start",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "finish",
                    "Finish",
                    Input(
                        self.initial["finish"],
                        placeholder="YYYY-MM-DD",
                        id="finish",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "duration",
                    "Duration (wd)",
                    Input(
                        self.initial["duration"],
                        placeholder="working days",
                        id="duration",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "milestone",
                    "Milestone",
                    Checkbox(
                        "a point in time (◆)",
                        d.is_milestone,
                        id="milestone",
                        compact=True,
                        disabled=summary,
                    ),
                )
                yield from self.field(
                    "percent",
                    "Done %",
                    Input(str(d.percent_complete), id="percent", compact=True),
                )
                yield from self.field(
                    "status",
                    "Status",
                    Select(
                        [(s.value, s.value) for s in TaskStatus],
                        value=d.status,
                        allow_blank=False,
                        id="status",
                        compact=True,
                    ),
                )
                yield from self.field(
                    "predecessors",
                    "Predecessors",
                    Input(
                        self.predecessors,
                        placeholder="e.g. 1.2, 1.3SS, 2.1FS+2" if not summary else "",
                        id="predecessors",
                        compact=True,
                        disabled=summary,
                    ),
                )
                hint = (
                    "A summary's dates come from its tasks."
                    if summary
                    else "WBS codes or #ids, type FS/SS/FF/SF and lag: 1.2FS+2"
                )
                yield Static(Text(hint, style="dim"), id="task-hint")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#name").focus()

    def read(self) -> tuple[TaskDraft, list[PredecessorRef]]:
        """The form as a validated draft and predecessors, or every problem at once."""
        problems: list[Problem] = []
        original = self.edit.draft
        dates: dict[str, date | None] = {}
        for key in ("start", "finish"):
            try:
                dates[key] = parse_date(self.text(key), key, self.date_format)
            except ValidationError as exc:
                problems.extend(exc.problems)
                dates[key] = None
        start, finish = dates["start"], dates["finish"]
        milestone = self.query_one("#milestone", Checkbox).value
        duration: int | None = None
        duration_text = self.text("duration").strip()
        if duration_text:
            try:
                duration = int(duration_text)
            except ValueError:
                problems.append(Problem("duration", "must be a whole number of working days"))
        if not self.edit.is_summary and not problems:
            start, finish = reconcile_dates(
                start,
                finish,
                duration,
                milestone,
                self.calendar,
                finish_moved=self.text("finish").strip() != self.initial["finish"],
                duration_moved=self.text("duration").strip() != self.initial["duration"],
                problems=problems,
            )
        percent = 0
        try:
            percent = int(self.text("percent").strip() or "0")
        except ValueError:
            problems.append(Problem("percent complete", "must be a whole number from 0 to 100"))
        assignee = self.query_one("#assignee", Select).value
        draft = TaskDraft(
            name=self.text("name"),
            parent_id=original.parent_id,
            is_milestone=milestone,
            planned_start=start,
            planned_finish=finish,
            actual_start=original.actual_start,
            actual_finish=original.actual_finish,
            estimate_hours=original.estimate_hours,
            remaining_hours=original.remaining_hours,
            percent_complete=percent,
            status=str(self.query_one("#status", Select).value),
            assignee_id=None if assignee is Select.NULL else int(assignee),  # type: ignore[arg-type]
            needs_downtime=original.needs_downtime,
            description=original.description,
            blocked_reason=original.blocked_reason,
        )
        try:
            draft = validate_task(draft)
        except ValidationError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
        refs: list[PredecessorRef] = []
        try:
            refs = parse_predecessors(self.text("predecessors"), self.wbs_index, self.task_ids)
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
            return add_task(
                self.ctx,
                place.project_id,
                draft,
                after=place.after,
                parent=place.parent,
                predecessors=refs,
            )
        update_task(self.ctx, self.edit.task_id, draft, refs, self.edit.version)
        return self.edit.task_id
