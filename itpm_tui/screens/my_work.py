"""My work: one person's open tasks of every project, updated with one key each.

Reads `queries.my_work` (the same model as `itpm my`); writes through `services.my_work`
with `write_then_reload`, so each key is one transaction with its activity entry and the
day's progress snapshot — the PM's burn-down moves. Whose work: the person whose handle is
the config `user`; `p` picks anyone (a PM looking at a technician's list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Static

from itpm_tui.domain.roles import Action
from itpm_tui.queries.my_work import LATE_MARK, MyTask, MyWork
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.live import LiveScreen
from itpm_tui.widgets.footer import ItpmFooter
from itpm_tui.widgets.formatting import literal, tone
from itpm_tui.widgets.keyed_table import KeyedTable, TableColumn

if TYPE_CHECKING:  # the screen opens before SQLAlchemy loads (see `first_rows`)
    from itpm_tui.queries.task_detail import TaskDetail

#: Widths of the fixed columns; the task's name and why it waits share the rest.
_FIXED = {"late": 1, "state": 13, "start": 5, "finish": 5, "left": 5}


def _day(value: date | None, clock: time | None = None) -> str:
    """`01-04`, with the clock time of part-day work when given: `01-04 13:00`."""
    if value is None:
        return "—"
    return value.strftime("%m-%d") + ("" if clock is None else f" {clock:%H:%M}")


def _dim(t: MyTask, text: Text) -> Text:
    if t.done:
        text.stylize("dim")
    return text


def _columns(width: int) -> list[TableColumn[MyTask]]:
    # from 100 columns the dates have room for the clock times of part-day work
    timed = width >= 100
    fixed = {**_FIXED, "start": 11, "finish": 11} if timed else _FIXED
    room = width - sum(w + 2 for w in fixed.values()) - 2 - 2  # padding, scrollbar
    task_width = max(16, min(40, room * 2 // 3))
    why_width = max(8, room - task_width - 2)
    return [
        TableColumn(
            "late",
            "!",
            lambda t: Text(LATE_MARK if t.late else " ", style=tone("bold red")),
            _FIXED["late"],
        ),
        TableColumn("state", "State", lambda t: _dim(t, Text(t.state())), _FIXED["state"]),
        TableColumn(
            "task",
            "Task",
            lambda t: _dim(t, literal(f"{t.project_code} {t.wbs} {t.name}")),
            task_width,
        ),
        TableColumn(
            "start",
            "Start",
            lambda t: _dim(t, Text(_day(t.start, t.start_time if timed else None))),
            fixed["start"],
        ),
        TableColumn(
            "finish",
            "Due",
            lambda t: _dim(t, Text(_day(t.finish, t.finish_time if timed else None))),
            fixed["finish"],
        ),
        TableColumn(
            "left",
            "Left",
            lambda t: _dim(t, Text(f"{t.remaining_hours.normalize():f}h", justify="right")),
            _FIXED["left"],
        ),
        TableColumn("why", "Waits for", lambda t: _dim(t, literal(t.why_waiting())), why_width),
    ]


@dataclass(frozen=True)
class MyWorkData:
    work: MyWork | None
    handle: str  # whose: asked for, or the config user


class MyWorkScreen(LiveScreen[MyWorkData]):
    TITLE = "My work"
    #: My tasks of every project, their dates, links and downtime windows.
    WATCHES = frozenset(
        {"task", "dependency", "downtimewindow", "holiday", "project", "changerequest"}
    )
    AUTO_FOCUS = "#my-tasks"
    HELP = """\
### My work — my open tasks of every project

One line per task assigned to you (the person whose login **handle** is the config `user`):
`!` marks a **late** task, then its state by symbol and word (`· todo`, `▶ in progress`,
`■ blocked`, `✓ done`), project, WBS and name, the **scheduled** start and due dates (as on
the Timeline), the hours left and why it waits: its blocked reason, the predecessors not
done yet, its downtime window. Late work first, then what is due this week, then the rest by
start; tasks done in the last 7 days come last, dimmed and marked `✓ done`.

**Keys** on the selected task: `s` start (actual start today), `d` done (100%, nothing
left, actual finish today), `b` blocked (asks why), `u` unblock, `%` percent complete, `r`
hours remaining, `l` log a note (added to the task's notes, dated and signed). Each is saved
with an activity entry and the day's progress, so the project's burn-down moves. `enter`
shows the task's detail: notes, predecessors and successors with their owners, the PM to
call, the downtime window and the latest activity. `p` shows someone else's work.
"""
    BINDINGS: ClassVar = [
        Binding("s", "start", "Start", id="my.start", tooltip="Start the selected task"),
        Binding("d", "done", "Done", id="my.done", tooltip="Mark the selected task done"),
        Binding("b", "block", "Block", id="my.block", tooltip="Mark it blocked, saying why"),
        Binding("u", "unblock", "Unblock", id="my.unblock", tooltip="It is no longer blocked"),
        Binding("percent_sign", "percent", "Pct", id="my.percent", tooltip="Set percent complete"),
        Binding("r", "remaining", "Left", id="my.remaining", tooltip="Set the hours remaining"),
        Binding("l", "note", "Note", id="my.note", tooltip="Add a note to the task"),
        Binding("p", "pick", "Person", id="my.person", tooltip="Show someone else's work"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: MyWorkData | None = None
        self.person_id: int | None = None  # None: the config user's person

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="my-summary")
        yield KeyedTable[MyTask](id="my-tasks")
        yield Static("", id="my-why")
        yield Static("", id="my-empty")
        yield ItpmFooter()

    @property
    def table(self) -> KeyedTable[MyTask]:
        return self.query_one("#my-tasks", KeyedTable)

    def on_mount(self) -> None:
        self.table.loading = True
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None:
            self._draw()

    # -- data --------------------------------------------------------------------------------

    def first_rows(self) -> tuple[int, MyWorkData] | None:
        """The config user's work read straight from the file (`read_first_my_work`), when
        the dashboard opened it itself (no `--as`, the system clock)."""
        path = self.itpm.first_read_path
        if path is None or self.person_id is not None:
            return None
        from itpm_tui.clock import system_today
        from itpm_tui.queries.my_work import read_first_my_work

        handle = self.itpm.settings.user
        found = read_first_my_work(path, handle, system_today())
        return None if found is None else (found[0], MyWorkData(found[1], handle))

    def fetch(self) -> MyWorkData:
        from itpm_tui.domain.validation import ValidationError
        from itpm_tui.queries.lookup import person_by_handle
        from itpm_tui.queries.my_work import load_my_work

        ctx = self.itpm.ctx
        handle = self.itpm.settings.user
        person = self.person_id
        if person is None:
            try:
                person = person_by_handle(ctx.db, handle, field="user")
            except ValidationError:
                return MyWorkData(None, handle)
        try:
            return MyWorkData(load_my_work(ctx.db, person, ctx.today()), handle)
        except LookupError:
            self.person_id = None
            return MyWorkData(None, handle)

    def show(self, data: MyWorkData) -> None:
        self.data = data
        self.refresh_bindings()  # whose work is shown decides the quick keys offered
        table = self.table
        if table.loading:
            table.loading = False
            table.focus()
        self._draw()

    def _draw(self) -> None:
        assert self.data is not None
        work = self.data.work
        table = self.table
        table.set_columns(_columns(self.app.size.width))
        table.show(work.tasks if work else ())
        empty = work is None or not work.tasks
        table.display = not empty
        self.query_one("#my-why", Static).display = not empty
        message = self.query_one("#my-empty", Static)
        message.display = empty
        if work is None:
            who = self.data.handle
            message.update(
                literal(
                    f"Your login '{who}' (config key user) matches no person of the team.\n"
                    f"Add one with handle {who} on Team (7) or: itpm person add NAME "
                    f"--handle {who}. p shows someone else's work.",
                    multiline=True,
                )
            )
        else:
            message.update(Text(f"Nothing assigned to {work.person_name} is open."))
        self.query_one("#my-summary", Static).update(self._summary(work))
        self._show_why()

    def _summary(self, work: MyWork | None) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        if work is None:
            out.append(" Nobody chosen", style="bold")
            return out
        out.append_text(literal(f" {work.person_name} ({work.handle})"))
        out.stylize("bold")
        open_tasks = work.open_tasks
        out.append(f" · {len(open_tasks)} open")
        late = sum(1 for t in open_tasks if t.late)
        if late:
            out.append(f" · {LATE_MARK} {late} late", style=tone("bold red"))
        blocked = sum(1 for t in open_tasks if t.status == "blocked")
        if blocked:
            out.append(f" · ■ {blocked} blocked")
        out.append(f" · {work.today.isoformat()}", style="dim")
        return out

    def on_data_table_row_highlighted(self, event: Any) -> None:
        self._show_why()

    def _show_why(self) -> None:
        task = self.table.selected_row if self.table.row_count else None
        line = self.query_one("#my-why", Static)
        if task is None:
            line.update("")
            return
        why = task.why_waiting() or "nothing in the way"
        line.update(literal(f"{task.project_code} {task.wbs}: {why}"))

    # -- quick keys --------------------------------------------------------------------------

    #: The quick keys: on one's own tasks a technician's right; on someone else's (`p`) a PM's.
    QUICK_KEYS = frozenset({"start", "done", "block", "unblock", "percent", "remaining", "note"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A technician is offered the quick keys on their own work only; a viewer none."""
        if action not in self.QUICK_KEYS:
            return super().check_action(action, parameters)
        who = self.itpm.acting
        if who is None:
            return True
        own = self.person_id is None or self.person_id == who.person_id
        return who.may(Action.OWN_PROGRESS if own else Action.MANAGE)

    def _selected(self) -> MyTask | None:
        task = self.table.selected_row if self.data and self.data.work else None
        if task is None:
            self.notify("There is no task to update.", severity="warning")
        return task

    def _write(self, task: MyTask, change: Callable[[], object], done: str) -> None:
        self.write_then_reload(change, f"{task.project_code} {task.wbs} {task.name}: {done}")

    def action_start(self) -> None:
        from itpm_tui.services.my_work import start_task

        if task := self._selected():
            ctx = self.itpm.ctx
            self._write(task, lambda: start_task(ctx, task.id), "started")

    def action_done(self) -> None:
        from itpm_tui.services.my_work import finish_task

        if task := self._selected():
            ctx = self.itpm.ctx
            self._write(task, lambda: finish_task(ctx, task.id), "done")

    def action_unblock(self) -> None:
        from itpm_tui.services.my_work import unblock_task

        if task := self._selected():
            ctx = self.itpm.ctx
            self._write(task, lambda: unblock_task(ctx, task.id), "unblocked")

    def _ask(
        self,
        task: MyTask,
        title: str,
        label: str,
        value: str,
        save: Callable[[str], object],
        done: str,
    ) -> None:
        def answered(text: str | None) -> None:
            if text is not None:
                self._write(task, lambda: save(text), done)

        self.app.push_screen(
            QuickPrompt(f"{title}: {task.project_code} {task.wbs} {task.name}", label, value),
            answered,
        )

    def action_block(self) -> None:
        from itpm_tui.services.my_work import block_task

        if task := self._selected():
            ctx = self.itpm.ctx
            self._ask(
                task,
                "Blocked",
                "Reason",
                task.blocked_reason,
                lambda t: block_task(ctx, task.id, t),
                "blocked",
            )

    def action_percent(self) -> None:
        from itpm_tui.services.my_work import set_percent

        if task := self._selected():
            ctx = self.itpm.ctx
            self._ask(
                task,
                "Done so far",
                "Percent",
                str(task.percent),
                lambda t: set_percent(ctx, task.id, t),
                "percent saved",
            )

    def action_remaining(self) -> None:
        from itpm_tui.services.my_work import set_remaining

        if task := self._selected():
            ctx = self.itpm.ctx
            hours = f"{task.remaining_hours.normalize():f}"
            self._ask(
                task,
                "Hours left",
                "Hours",
                hours,
                lambda t: set_remaining(ctx, task.id, t),
                "hours left saved",
            )

    def action_note(self) -> None:
        from itpm_tui.services.my_work import log_note

        if task := self._selected():
            ctx = self.itpm.ctx
            self._ask(task, "Note", "Note", "", lambda t: log_note(ctx, task.id, t), "note added")

    # -- detail and person -------------------------------------------------------------------

    def on_data_table_row_selected(self, event: Any) -> None:
        task = self.table.selected_row
        if task is not None:
            self._open_detail(task.id)

    def _open_detail(self, task_id: int) -> None:
        from itpm_tui.queries.task_detail import load_task_detail

        detail = load_task_detail(self.itpm.ctx.db, task_id)
        if detail is None:
            self.notify("That task no longer exists.", severity="warning")
            self.reload()
            return
        self.app.push_screen(TaskDetailScreen(detail))

    def action_pick(self) -> None:
        from itpm_tui.queries.team import team
        from itpm_tui.queries.timeline import ProjectChoice
        from itpm_tui.screens.project_picker import ProjectPicker

        ctx = self.itpm.ctx
        people = team(ctx.db, ctx.today(), 0).people  # names only: no load
        choices = [ProjectChoice(p.id, p.handle, p.name, "active") for p in people]
        current = self.data.work.person_id if self.data and self.data.work else None
        picker = ProjectPicker(choices, current)

        def picked(person_id: int | None) -> None:
            if person_id is not None:
                self.person_id = person_id
                self.reload()

        self.app.push_screen(picker, picked)
        picker.call_after_refresh(
            lambda: picker.query_one("#picker Static", Static).update(
                Text("Show the work of…", style="bold")
            )
        )


class QuickPrompt(FormScreen[str]):
    """One short field; dismisses with what was typed (a required field refuses empty)."""

    FIELD_IDS: ClassVar = {"prompt": "prompt"}

    def __init__(self, title: str, label: str, value: str) -> None:
        super().__init__()
        self.title_text, self.label, self.value = title, label, value

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(literal(self.title_text), id="form-title")
            yield from self.general_error()
            yield from self.field("prompt", self.label, Input(self.value, id="prompt"))
            yield from self.buttons()

    def action_save(self) -> None:
        from itpm_tui.domain.validation import Problem

        text = self.text("prompt")
        if not text.strip():
            self.show_problems([Problem("prompt", "is required")])
            return
        self.dismiss(text)


class TaskDetailScreen(ModalScreen[None]):
    """The task's detail, read-only; esc or enter closes."""

    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", "Close", id="my.detail.close"),
        Binding("enter", "dismiss(None)", "Close", show=False, id="my.detail.enter"),
    ]

    def __init__(self, detail: TaskDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="my-detail"):
            yield Static(detail_text(self.detail))


def detail_text(d: TaskDetail) -> Text:
    """The detail as plain lines (user text shown literally, one line each)."""
    lines: list[Text] = [
        Text.assemble(literal(f"{d.project_code} {d.wbs} {d.name}", wrap=True), style="bold")
    ]
    lines.append(
        Text(
            f"{d.status} · {d.percent}% · {d.remaining_hours.normalize():f}h left"
            f" · {_day(d.start, d.start_time)} → {_day(d.finish, d.finish_time)}"
        )
    )
    lines.append(literal(f"Project: {d.project_name} · owner: {d.owner or 'nobody'}", wrap=True))
    if d.blocked_reason:
        lines.append(literal(f"Blocked: {d.blocked_reason}", wrap=True))
    m = d.manager
    who = f"{m.name} · ☎ {m.phone or '—'} · ✉ {m.email or '—'}" if m else "— (none set)"
    lines.append(literal(f"PM: {who}", wrap=True))
    for title, links in (("Waits for", d.predecessors), ("Then", d.successors)):
        lines.append(Text(f"{title}:" + ("" if links else " —"), style="bold"))
        lines.extend(
            literal(
                f"  {link.wbs} {link.name} · {link.status} · {link.owner or 'nobody'}", wrap=True
            )
            for link in links
        )
    lines.append(Text("Downtime:" + ("" if d.windows else " —"), style="bold"))
    lines.extend(
        literal(f"  {w.words()} ({'approved' if w.approved else 'not approved'})", wrap=True)
        for w in d.windows
    )
    lines.append(Text("Notes:" + ("" if d.notes.strip() else " —"), style="bold"))
    lines.extend(literal(f"  {line}", wrap=True) for line in d.notes.splitlines() if line.strip())
    lines.append(Text("Activity:" + ("" if d.activity else " —"), style="bold"))
    lines.extend(
        literal(f"  {at:%Y-%m-%d %H:%M} {who}: {what}", wrap=True) for at, who, what in d.activity
    )
    lines.append(Text("esc closes", style="dim"))
    return Text("\n").join(lines)
