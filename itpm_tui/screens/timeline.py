"""Timeline: one project's tasks as a Gantt chart — or the whole portfolio as a roadmap — with
the critical path, the baseline, downtime windows, and task edits that reschedule at once.

Which project: the one selected on the Projects screen when the user comes here (so the
palette's "Open project" followed by `2` shows it), or the one picked with `p` or with the
palette's "Timeline of …" commands while on this screen.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.widgets import (
    Header,
    Static,
)

from itpm_tui.commands import highlighted
from itpm_tui.domain.burndown import Burndown
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.roles import Action
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.text import printable
from itpm_tui.domain.work_hours import WorkingHours, format_clock_time, format_work
from itpm_tui.queries.burndown import project_burndown
from itpm_tui.queries.portfolio import people
from itpm_tui.queries.timeline import (
    LinkView,
    ProjectChoice,
    ProjectTimeline,
    RoadmapRow,
    TimelineTask,
    link_code,
    load_roadmap,
    load_timeline,
    project_choices,
)
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.live import OneProjectScreen
from itpm_tui.screens.project_picker import ProjectPicker
from itpm_tui.widgets.burndown_chart import BurndownChart
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import HEALTH_LOOK, format_date, format_moment, literal
from itpm_tui.widgets.gantt import LEGEND, GanttChart, GanttRow, Span, day_parts

if TYPE_CHECKING:  # what edits the plan is imported on the first edit, not the first visit
    from itpm_tui.queries.tasks import TaskEdit
    from itpm_tui.screens.task_form import NewTaskPlace
    from itpm_tui.services.outline_edits import Deleted


@dataclass(frozen=True)
class TimelineData:
    roadmap: bool
    choices: list[ProjectChoice]
    project: ProjectTimeline | None = None
    projects: list[RoadmapRow] = field(default_factory=list)
    burndown: Burndown | None = None


class TimelineCommands(Provider):
    """Palette entries, on this screen only: "Timeline of CODE — name" for every project."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, TimelineScreen):
            return
        matcher = self.matcher(query)
        for choice in screen.choices:
            title = printable(f"Timeline of {choice.code} — {choice.name}")
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, title),
                    partial(screen.show_project, choice.id),
                    text=title,
                    help="Show this project's Gantt chart",
                )


class TimelineScreen(OneProjectScreen[TimelineData]):
    TITLE = "Timeline"
    COMMANDS = {TimelineCommands}
    HELP = f"""\
### Timeline — the Gantt chart

One project's work breakdown on the left (indented by outline level, with the assignee and
percent done), its bars on a date scale on the right. Bars are placed by the schedule: each
task lasts the working days from its planned start to its planned finish, starts no earlier
than its planned start, and waits for its predecessors. Summary tasks span their tasks; a
summary's predecessors hold back every task under it, and its successors wait for its last.

**Symbols** (they read without colour): {LEGEND}.
A `─` before or after a bar is the baseline where it differs from the current dates; `┃`
inside a bar marks where the baseline finished. `!` in the narrow column marks a task on the
critical path (no float: a day late there is a day late for the project); its bar is red.
A finished task is never critical: float belongs to work still to do. `⚠` before a name
marks **late** work — a task past its scheduled finish and not done, a milestone past its
date and not reached — and the lines under the chart say `⚠ late`; it also marks a task
that finishes after its **Finish No Later Than** date or misses its **deadline** (set in
the task form, or from MS Project plans), and the lines under the chart say which. `✎`
marks a **manually scheduled** task (as MS Project's "Manual" tasks): it keeps its planned
dates, its predecessors do not push it (its successors still wait for it); the lines under
the chart say `✎ manual`, and the task form's "Manually scheduled" box sets it.

The lines under the chart describe the selected task: dates (with the clock time where work
starts or ends mid-day), duration in working days (4h, 1.5d: working time; 10ed: calendar
days, weekends included), float, baseline and slip, the tasks it waits for and the tasks
that wait for it.

**Predecessors** in the edit form (`e`): a comma list of WBS codes (or `#id` task numbers),
each with an optional type (FS, SS, FF, SF; FS when left out) and lag in working time:
`1.2, 1.3SS, 2.1FS+2` (days), `2.2FS+4h`, `#45FF-30m`. A link that would close a loop is
refused and the loop named.
Moving the start keeps the duration (the finish follows); changing the finish changes the
duration; changing both the finish and the duration must agree.

`m` shows the **roadmap**: one bar per project, health in the narrow column, ◆ for
milestones; `enter` opens that project's chart. `b` saves the current plan as the baseline.

**Shaping the plan**: `n` adds a task below the selected one, at its level (in an empty
project, the first task); `N` or `insert` adds a subtask of the selected one. Both open the
task form, starting the day after the selected task finishes (a subtask: when its parent
starts; nothing selected: today). `>` indents the selected task under the task above it,
`<` moves it out to its parent's level, right after the parent; `alt+↑` / `alt+↓` move it
among its siblings, its subtasks with it. WBS numbers follow; a code typed by hand stays.
`delete` removes the task after saying what goes with it: its subtasks, the links to and
from them, and who was assigned.

`w` lists the project's **downtime windows** (`a` add, `e` edit, `d` remove): title,
start and end as `YYYY-MM-DD HH:MM` local time at the site, the systems taken down, and
optionally the task the window belongs to — such a window moves when its task moves (on the
chart, in the iCalendar export and in reports). `H` lists the **non-working days** of this
project and of all projects (`a` add, `d` remove); the schedule skips them. The working week
is Monday to Friday.

`d` toggles the project's **burn-down** under the chart: remaining work per day (hours, or
tasks when nothing is estimated) drawn with `•` and labelled "remaining", the baseline's ideal
line drawn with `x`, and today as a vertical line.
"""
    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "add_child": Action.MANAGE,
        "move": Action.MANAGE,
        "delete": Action.MANAGE,
        "baseline": Action.MANAGE,
        "edit": Action.OWN_PROGRESS,
    }
    BINDINGS = [
        Binding("e", "edit", "Edit", id="timeline.edit", tooltip="Edit the selected task"),
        Binding(
            "n",
            "add",
            "Add",
            show=False,  # at 80 columns "q Quit" would fall off; help and an empty plan say it
            id="timeline.add",
            tooltip="Add a task below the selected one, at its level (the first in an empty plan)",
        ),
        Binding(
            "N,insert",
            "add_child",
            "Add subtask",
            key_display="N",
            show=False,
            id="timeline.add_child",
            tooltip="Add a subtask of the selected task",
        ),
        Binding(
            "greater_than_sign",
            "move('indent')",
            "Indent",
            key_display=">",
            show=False,
            id="timeline.indent",
            tooltip="Indent: the selected task becomes a subtask of the task above it",
        ),
        Binding(
            "less_than_sign",
            "move('outdent')",
            "Outdent",
            key_display="<",
            show=False,
            id="timeline.outdent",
            tooltip="Outdent: the selected task moves to its parent's level, after the parent",
        ),
        Binding(
            "alt+up",
            "move('up')",
            "Move up",
            show=False,
            id="timeline.move_up",
            tooltip="Move the selected task (with its subtasks) above its previous sibling",
        ),
        Binding(
            "alt+down",
            "move('down')",
            "Move down",
            show=False,
            id="timeline.move_down",
            tooltip="Move the selected task (with its subtasks) below its next sibling",
        ),
        Binding(
            "delete",
            "delete",
            "Delete",
            show=False,
            id="timeline.delete",
            tooltip="Delete the selected task with its subtasks and links (asks first)",
        ),
        Binding(
            "p",
            "pick",
            "Project",
            id="timeline.pick",
            tooltip="Pick the project to show from a list",
        ),
        Binding(
            "m",
            "roadmap",
            "Roadmap",
            id="timeline.roadmap",
            tooltip="Toggle the portfolio roadmap: one bar per project",
        ),
        Binding(
            "b",
            "baseline",
            "Baseline",
            id="timeline.baseline",
            tooltip="Save the current plan as the project's baseline (asks first)",
        ),
        Binding(
            "d",
            "burndown",
            "Burn-down",
            id="timeline.burndown",
            tooltip="Show or hide the project's burn-down chart",
        ),
        Binding(
            "w",
            "downtime",
            "Downtime",
            show=False,
            id="timeline.downtime",
            tooltip="The project's downtime windows: add, edit, remove",
        ),
        Binding(
            "H",
            "holidays",
            "Days off",
            show=False,
            id="timeline.holidays",
            tooltip="Non-working days of this project and of all projects: add, remove",
        ),
    ]

    def watched_projects(self) -> Collection[int] | None:  # the roadmap: every project
        return None if self.roadmap else super().watched_projects()

    def __init__(self) -> None:
        super().__init__()
        self.roadmap = False
        self.choices: list[ProjectChoice] = []
        self.data: TimelineData | None = None
        self._tasks: dict[int, TimelineTask] = {}
        self._shown_view: tuple[bool, int | None] | None = None
        self._select: int | None = None  # a task just added: select it once it is shown
        self.show_burndown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield GanttChart(today=self.itpm.today(), id="gantt")
        yield BurndownChart(id="burndown")
        yield Static("", id="info")
        yield ItpmFooter()

    @property
    def gantt(self) -> GanttChart:
        return self.query_one(GanttChart)

    def on_mount(self) -> None:
        self.follow_selected_project()
        self.gantt.loading = True
        self.gantt.focus()
        super().on_mount()

    def on_screen_resume(self) -> None:
        if self.follow_selected_project() and not self.roadmap:
            self.reload()
        else:
            super().on_screen_resume()

    # -- data ------------------------------------------------------------------------------

    def fetch(self) -> TimelineData:
        db = self.itpm.ctx.db
        choices = project_choices(db)
        if self.roadmap:
            return TimelineData(
                True,
                choices,
                projects=load_roadmap(
                    db, self.itpm.ctx.today(), self.itpm.settings.risk_thresholds()
                ),
            )
        project_id = self.project_id
        if project_id is None and choices:
            project_id = choices[0].id
        project = load_timeline(db, project_id) if project_id is not None else None
        if project is None and choices:
            project = load_timeline(db, choices[0].id)
        burndown = None
        if self.show_burndown and project is not None:
            burndown = project_burndown(db, project.project_id, self.itpm.ctx.today())
        return TimelineData(False, choices, project=project, burndown=burndown)

    def show(self, data: TimelineData) -> None:
        if data.roadmap != self.roadmap:
            return  # the mode changed while this was loading; the next fetch brings it
        self.data = data
        self.choices = data.choices
        self._tasks = {t.id: t for t in data.project.tasks} if data.project else {}
        gantt = self.gantt
        if gantt.loading:
            gantt.loading = False
            gantt.focus()
            self.refresh_bindings()  # the footer skipped the chart's keys while it loaded
        today = self.itpm.ctx.today()
        if data.roadmap:
            view: tuple[bool, int | None] = (True, None)
            gantt.set_rows(
                [_roadmap_row(r) for r in data.projects],
                today=today,
                title=Text(f"Roadmap · {len(data.projects)} projects"),
                captions=("Project", "Manager"),
                keep=self.project_id if self._shown_view != view else None,
                fit_view=self._shown_view != view,
            )
        elif data.project is None:
            view = (False, None)
            gantt.set_rows(
                [], today=today, title=Text("No projects yet — create one on Projects (1)")
            )
        else:
            project = data.project
            self.project_id = project.project_id
            view = (False, project.project_id)
            title = Text(f"{project.code} ")
            title.append_text(literal(project.name))
            gantt.set_rows(
                [_task_row(t, today, project.hours) for t in project.tasks],
                today=today,
                title=title,
                downtime=[Span(w.first_day, w.last_day, w.title) for w in project.downtime],
                holidays=project.holidays,
                keep=self._select,
                fit_view=self._shown_view != view,
            )
            if self._select in self._tasks:
                self._select = None
        self._shown_view = view
        self._show_burndown(data)
        self._show_info(gantt.selected_row)

    def _show_burndown(self, data: TimelineData) -> None:
        chart = self.query_one(BurndownChart)
        chart.display = self.show_burndown and not data.roadmap
        if chart.display and (data.burndown is not None or data.project is None):
            chart.show(data.burndown)

    # -- the lines under the chart ---------------------------------------------------------

    @on(GanttChart.CursorMoved)
    def _cursor_moved(self, event: GanttChart.CursorMoved) -> None:
        self._show_info(event.row)

    def _show_info(self, row: GanttRow | None) -> None:
        info = self.query_one("#info", Static)
        data = self.data
        if data is None:
            info.update("")
            return
        fmt = self.itpm.settings.date_format
        if data.roadmap:
            project = next((p for p in data.projects if row and p.id == row.key), None)
            info.update(_roadmap_info(project, fmt))
            return
        timeline = data.project
        task = self._tasks.get(row.key) if row is not None else None
        add_key = self.itpm.settings.keymap.get("timeline.add", "n").split(",")[0].strip()
        today = self.itpm.ctx.today()
        info.update(_task_info(timeline, task, fmt, self.size.width, add_key, today))

    # -- picking what to show --------------------------------------------------------------

    def show_project(self, project_id: int) -> None:
        """Show this project's chart (leaving the roadmap if it is on)."""
        self.project_id = project_id
        self.roadmap = False
        self.gantt.loading = True
        self.reload()

    def action_pick(self) -> None:
        def picked(project_id: int | None) -> None:
            if project_id is not None:
                self.show_project(project_id)

        self.app.push_screen(ProjectPicker(self.choices, self.project_id), picked)

    def action_roadmap(self) -> None:
        self.roadmap = not self.roadmap
        self.gantt.loading = True
        self.reload()

    def action_burndown(self) -> None:
        if self.roadmap:
            self.notify("Open a project's timeline to see its burn-down.", severity="warning")
            return
        self.show_burndown = not self.show_burndown
        self.query_one(BurndownChart).display = self.show_burndown
        if not self.show_burndown:
            return
        project = self.data.project if self.data is not None else None
        if project is None:
            self.reload()
        else:
            self._fetch_burndown(project.project_id)

    @work(thread=True, exclusive=True, group="burndown")
    def _fetch_burndown(self, project_id: int) -> None:
        """The series alone: the tasks shown are as fresh as the last poll, and rescheduling a
        large project to draw a chart that reads only the progress snapshots costs seconds."""
        series = project_burndown(self.itpm.ctx.db, project_id, self.itpm.ctx.today())
        self.app.call_from_thread(self._show_series, project_id, series)

    def _show_series(self, project_id: int, series: Burndown) -> None:
        data = self.data
        if (
            data is None
            or data.roadmap
            or data.project is None
            or data.project.project_id != project_id
            or not self.show_burndown
        ):
            return  # the view moved on while it loaded; the next fetch brings its own
        self.data = replace(data, burndown=series)
        self._show_burndown(self.data)

    @on(GanttChart.RowActivated)
    def _activated(self, event: GanttChart.RowActivated) -> None:
        if self.roadmap:
            self.show_project(event.row.key)
        else:
            self.action_edit()

    # -- downtime windows and non-working days (screens/downtime.py, screens/holidays.py) ---

    def action_downtime(self) -> None:
        from itpm_tui.screens.downtime import DowntimeDialog, WindowsData

        project = None if self.roadmap or self.data is None else self.data.project
        if project is None:
            self.notify("Open a project's timeline to plan its downtime.", severity="warning")
            return
        dialog = DowntimeDialog(
            self.itpm.ctx, project.project_id, project.code, WindowsData.of(project)
        )
        self.app.push_screen(dialog, self._after_calendar)

    def action_holidays(self) -> None:
        from itpm_tui.screens.holidays import HolidaysDialog

        project = None if self.roadmap or self.data is None else self.data.project
        if project is None:
            self.notify("Open a project's timeline to see its days off.", severity="warning")
            return
        fmt = self.itpm.settings.date_format
        dialog = HolidaysDialog(self.itpm.ctx, project.project_id, project.code, date_format=fmt)
        self.app.push_screen(dialog, self._after_calendar)

    def _after_calendar(self, changed: bool | None) -> None:
        if changed:
            self.reload()

    # -- edits -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        row = self.gantt.selected_row
        if self.roadmap:
            if row is not None:
                self.show_project(row.key)
            return
        if row is None:
            self.notify("There is no task to edit.", severity="warning")
            return
        self._load_edit(row.key)

    @work(thread=True, exclusive=True, group="task-form")
    def _load_edit(self, task_id: int) -> None:
        from itpm_tui.queries.tasks import load_task_edit

        db = self.itpm.ctx.db
        edit = load_task_edit(db, task_id)
        if edit is None:
            self.app.call_from_thread(
                self.notify, "That task no longer exists.", severity="warning"
            )
            return
        team = people(db)
        self.app.call_from_thread(self._open_form, edit, team)

    def _open_form(
        self, edit: TaskEdit, team: list[tuple[int, str]], place: NewTaskPlace | None = None
    ) -> None:
        from itpm_tui.screens.task_form import TaskForm, parent_choices

        timeline = self.data.project if self.data else None
        if timeline is None or timeline.project_id != edit.project_id:
            return
        by_id = timeline.by_id()
        text = ", ".join(_ref_code(ref, by_id) for ref in edit.predecessors)
        task = by_id.get(edit.task_id)
        form = TaskForm(
            self.itpm.ctx,
            edit,
            team,
            wbs_index=timeline.wbs_index(),
            task_ids=set(by_id),
            calendar=timeline.calendar(),
            hours=timeline.hours,
            predecessors=text,
            label=place.label if place else f"{task.wbs} {task.name}" if task else edit.draft.name,
            date_format=self.itpm.settings.date_format,
            place=place,
            parents=parent_choices(timeline.tasks, edit.task_id),
            parent=_new_parent(place, by_id),
            rolled_percent=task.percent if task and task.is_summary else None,
        )
        self.app.push_screen(form, partial(self._after_form, place is not None))

    def _after_form(self, added: bool, saved: int | None) -> None:
        if saved is not None:
            self.notify("Task added." if added else "Task saved; schedule recomputed.")
            if added:
                self._select = saved
            self.reload()

    # -- shaping the plan ------------------------------------------------------------------

    def _project_for_edit(self, doing: str) -> ProjectTimeline | None:
        """The project shown, or None after telling why there is none to change."""
        timeline = self.data.project if self.data and not self.roadmap else None
        if timeline is None:
            self.notify(f"Open a project's timeline to {doing}.", severity="warning")
        return timeline

    def action_add(self) -> None:
        self._add(child=False)

    def action_add_child(self) -> None:
        self._add(child=True)

    def _add(self, *, child: bool) -> None:
        from itpm_tui.queries.tasks import TaskEdit
        from itpm_tui.screens.task_form import NewTaskPlace

        timeline = self._project_for_edit("add tasks")
        if timeline is None:
            return
        row = self.gantt.selected_row
        selected = self._tasks.get(row.key) if row is not None else None
        calendar = timeline.calendar()
        today = self.itpm.ctx.today()
        if selected is None:
            place = NewTaskPlace(timeline.project_id, label="New task")
            start = calendar.on_or_after(today)
        elif child:
            place = NewTaskPlace(
                timeline.project_id,
                parent=selected.id,
                label=f"New subtask of {selected.wbs} {selected.name}",
            )
            start = calendar.on_or_after(selected.start or today)
        else:
            place = NewTaskPlace(
                timeline.project_id,
                after=selected.id,
                label=f"New task after {selected.wbs} {selected.name}",
            )
            start = calendar.next_working_day(selected.finish) if selected.finish else today
            start = calendar.on_or_after(start)
        draft = TaskDraft(name="", planned_start=start, planned_finish=start)
        edit = TaskEdit(0, timeline.project_id, draft, 0, [], is_summary=False)
        self._open_new(edit, place)

    @work(thread=True, exclusive=True, group="task-form")
    def _open_new(self, edit: TaskEdit, place: NewTaskPlace) -> None:
        team = people(self.itpm.ctx.db)
        self.app.call_from_thread(self._open_form, edit, team, place)

    def action_move(self, how: str) -> None:
        """Indent, outdent or move the selected task; the chart keeps it selected."""
        timeline = self._project_for_edit("change its outline")
        row = self.gantt.selected_row
        task = self._tasks.get(row.key) if row is not None and timeline else None
        if timeline is None:
            return
        if task is None:
            self.notify("There is no task to move.", severity="warning")
            return
        # A move is relative to where the task is now (None), so two quick presses move it
        # twice instead of the second being refused as someone else's edit.
        from itpm_tui.services.outline_edits import move_task

        ctx, task_id = self.itpm.ctx, task.id
        self.write_then_reload(
            lambda: move_task(ctx, task_id, how, expected_version=None),
            lambda code: f"{task.name} is now {code}.",
        )

    def action_delete(self) -> None:
        timeline = self._project_for_edit("delete tasks")
        row = self.gantt.selected_row
        task = self._tasks.get(row.key) if row is not None and timeline else None
        if timeline is None:
            return
        if task is None:
            self.notify("There is no task to delete.", severity="warning")
            return
        from itpm_tui.queries.task_deletion import delete_question
        from itpm_tui.services.outline_edits import delete_task

        question = "\n".join(delete_question(timeline, task))

        def answered(yes: bool | None) -> None:
            if yes:
                ctx, task_id, version = self.itpm.ctx, task.id, task.version
                self.write_then_reload(
                    lambda: delete_task(ctx, task_id, expected_version=version), _deleted
                )

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), answered)

    def action_baseline(self) -> None:
        timeline = self.data.project if self.data and not self.roadmap else None
        if timeline is None:
            self.notify("Open a project's timeline to set its baseline.", severity="warning")
            return
        question = (
            f"Save the current plan of {timeline.code} — {timeline.name} as its baseline?\n"
            f"The scheduled start and finish of all {len(timeline.tasks)} tasks become their "
            "baseline dates; progress will be measured against them."
        )
        if timeline.baseline_set_on:
            question += f"\nThis replaces the baseline set on {timeline.baseline_set_on}."

        def answered(yes: bool | None) -> None:
            from itpm_tui.services.tasks import set_baseline

            if yes:
                ctx, project_id = self.itpm.ctx, timeline.project_id
                self.write_then_reload(
                    lambda: set_baseline(ctx, project_id),
                    lambda count: f"Baseline set for {count} tasks.",
                )

        self.app.push_screen(ConfirmScreen(question, yes="Set baseline"), answered)


# -- how rows and details read -------------------------------------------------------------


def _task_row(task: TimelineTask, today: date, hours: WorkingHours) -> GanttRow:
    """A task as the chart draws it: part-day work as its share of its first and last day
    (clock time after hours fills its days, as an elapsed wait does)."""
    kind = "summary" if task.is_summary else "milestone" if task.is_milestone else "task"
    first, last = (
        (None, None) if task.is_elapsed else day_parts(hours, task.start_time, task.finish_time)
    )
    return GanttRow(
        key=task.id,
        name=task.name,
        kind=kind,
        level=task.level,
        code=task.wbs,
        flag="!" if task.critical else "",
        assignee=task.assignee,
        percent=task.percent,
        start=task.start,
        finish=task.finish,
        baseline_start=task.baseline_start,
        baseline_finish=task.baseline_finish,
        critical=task.critical,
        late=task.late(today) or bool(task.warnings()),
        manual=task.is_manual,
        start_part=first,
        finish_part=last,
    )


def _roadmap_row(project: RoadmapRow) -> GanttRow:
    flag, style = "", ""
    if project.health is not None:
        flag, _label, style = HEALTH_LOOK[project.health]
    return GanttRow(
        key=project.id,
        name=project.name,
        kind="project",
        code=project.code,
        flag=flag,
        flag_style=style,
        assignee=project.manager,
        percent=project.percent,
        start=project.start,
        finish=project.finish,
        baseline_start=project.baseline_start,
        baseline_finish=project.baseline_finish,
        markers=project.milestones,
    )


def _new_parent(place: NewTaskPlace | None, by_id: dict[int, TimelineTask]) -> int | None:
    """The parent a new task gets where `place` puts it: the one asked for, or the parent of
    the task it follows."""
    if place is None or place.after is None:
        return place.parent if place else None
    after = by_id.get(place.after)
    return after.parent_id if after else None


def _ref_code(ref: PredecessorRef, by_id: dict[int, TimelineTask]) -> str:
    task = by_id.get(ref.task_id)
    code = task.wbs if task and task.wbs else f"#{ref.task_id}"
    return link_code(code, ref.kind, ref.lag, ref.lag_minutes)


def _links(links: tuple[LinkView, ...]) -> Text:
    out = Text()
    for i, link in enumerate(links):
        if i:
            out.append(", ")
        out.append(link.wbs + " ", style="bold")
        out.append_text(literal(link.name))
        if link.kind != "FS" or link.lag or link.lag_minutes:
            out.append(f" ({link_code('', link.kind, link.lag, link.lag_minutes)})", style="dim")
    return out


def _slip(days: int | None) -> str:
    if days is None or days == 0:
        return "on baseline" if days == 0 else ""
    return f"{days}d late" if days > 0 else f"{-days}d early"


def _deleted(result: Deleted) -> str:
    parts = []
    if result.subtasks:
        parts.append(_count(result.subtasks, "subtask"))
    if result.links:
        parts.append(_count(result.links, "link"))
    return f"Deleted {result.label}" + (f" with {' and '.join(parts)}." if parts else ".")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _task_info(
    timeline: ProjectTimeline | None,
    task: TimelineTask | None,
    fmt: str,
    width: int,
    add_key: str = "n",
    today: date | None = None,
) -> Text:
    if timeline is None:
        return Text("Press p to pick a project, m for the roadmap of all projects.", style="dim")
    if task is None:
        out = Text(f"No tasks yet in this project — press {add_key} to add the first.", style="dim")
        if timeline.schedule_error:
            out.append(f"\n⚠ {timeline.schedule_error}", style="bold red")
        return out
    out = Text(no_wrap=True, overflow="ellipsis")
    if task.critical:
        out.append("! critical ", style="bold red")
    out.append(f"{task.wbs} ", style="bold")
    out.append_text(literal(task.name))
    if task.assignee:
        out.append(" — ")
        out.append_text(literal(task.assignee))
    if not task.is_summary:
        out.append(f" · {task.status}", style="dim")
    if task.is_manual:
        out.append(" · ✎ manual", style="bold")
    if today is not None and task.late(today):
        due = format_date(task.finish, fmt)
        out.append(f" · ⚠ late: {'due' if task.is_milestone else 'finish'} {due}", style="bold red")
    out.append("\n")
    start = format_moment(task.start, task.start_time, fmt)
    if task.is_milestone:
        out.append(f"◆ {start}")
    else:
        finish = format_moment(task.finish, task.finish_time, fmt)
        out.append(f"{start} → {finish}")
    for warning in task.warnings():  # beside the dates they are about, before they are cut
        out.append(f" · ⚠ {warning}", style="bold red")
    per_day = timeline.hours.minutes_per_day
    if not task.is_milestone:
        if task.work_minutes is not None:  # working time (4h), or clock time (4eh)
            days = (
                format_clock_time(task.work_minutes)
                if task.is_elapsed
                else format_work(task.work_minutes, per_day)
            )
        else:
            days = f"{task.duration}ed" if task.is_elapsed else f"{task.duration}d"
        out.append(f" · {days} · {task.percent}%")
    if task.float_minutes is not None and not task.is_summary:
        late = task.float_minutes < 0  # a constraint it cannot keep: negative float
        out.append(f" · float {'-' * late}{format_work(abs(task.float_minutes), per_day)}")
    elif task.total_float is not None and not task.is_summary:
        out.append(f" · float {task.total_float}d")
    if task.baseline_finish is not None:
        slip = _slip(task.slip_days)
        late = (task.slip_days or 0) > 0
        out.append(f" · {slip}", style="bold yellow" if late else "dim")
        out.append(" vs baseline " if slip != "on baseline" else " ", style="dim")
        out.append(
            f"{format_date(task.baseline_start, fmt)} → {format_date(task.baseline_finish, fmt)}",
            style="dim",
        )
    elif timeline.baseline_set_on is None:
        out.append(" · no baseline yet (b)", style="dim")
    if task.planned_start and task.start and task.start > task.planned_start:
        out.append(" · pushed by predecessors", style="yellow")
    out.append("\n")
    if timeline.schedule_error:
        out.append(f"⚠ not scheduled: {timeline.schedule_error}", style="bold red")
        return out
    if task.is_summary:
        out.append("Summary: its dates span its tasks.", style="dim")
    else:
        out.append("waits for: ", style="dim")
        out.append_text(_links(task.predecessors) if task.predecessors else Text("—"))
        out.append("  then: ", style="dim")
        out.append_text(_links(task.successors) if task.successors else Text("—"))
    if width >= 150 and timeline.downtime:
        windows = ", ".join(
            f"{w.title} {w.starts_at:%d %b %H:%M}–{w.ends_at:%H:%M}" for w in timeline.downtime[:3]
        )
        out.append("  ▓ downtime: ", style="dim")
        out.append_text(literal(windows))
    return out


def _roadmap_info(project: RoadmapRow | None, fmt: str) -> Text:
    if project is None:
        return Text("No active projects.", style="dim")
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{project.code} ", style="bold")
    out.append_text(literal(project.name))
    if project.manager:
        out.append(" — ")
        out.append_text(literal(project.manager))
    out.append("\n")
    if project.health is not None:
        symbol, label, style = HEALTH_LOOK[project.health]
        out.append(f"{symbol} {label}", style=style)
        if project.health_reason:
            out.append(" ")
            out.append_text(literal(project.health_reason))
        out.append(" · ")
    out.append(
        f"{format_date(project.start, fmt)} → {format_date(project.finish, fmt)}"
        f" · {project.percent}%"
    )
    if project.baseline_finish:
        out.append(f" · baseline end {format_date(project.baseline_finish, fmt)}", style="dim")
    out.append("\n")
    out.append("enter opens its chart · m back to the project · ◆ milestones", style="dim")
    return out
