"""A project's downtime windows on the Timeline: the dialog that lists them (`w`) and the
form that adds or edits one. A window tied to a task is shown where it lies now, moved with
its task; saving it re-anchors it to the task's current start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Select, Static

from itpm_tui.domain.downtime import MOMENT_FORMAT, WindowDraft, format_moment
from itpm_tui.domain.roles import Action
from itpm_tui.queries.downtime import DowntimeView
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.record_list import RecordListDialog, record_keys
from itpm_tui.widgets.formatting import literal
from itpm_tui.widgets.text_select import TextSelect
from itpm_tui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from itpm_tui.queries.timeline import ProjectTimeline
    from itpm_tui.services.context import Context


@dataclass(frozen=True)
class WindowsData:
    windows: list[DowntimeView]
    tasks: list[tuple[int, str]]  # (task id, "1.2 Name"), in outline order

    @classmethod
    def of(cls, timeline: ProjectTimeline) -> WindowsData:
        tasks = [(t.id, f"{t.wbs} {t.name}".strip()) for t in timeline.tasks]
        return cls(list(timeline.downtime), tasks)


class DowntimeForm(FormScreen[int | None]):
    """Add or edit one window; dismisses with its id once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    COLUMN_IDS: ClassVar = {"starts_at": "start", "ends_at": "end", "task_id": "task"}
    FIELD_IDS: ClassVar = {
        "title": "title",
        "start": "start",
        "end": "end",
        "systems": "systems",
        "task": "task",
    }

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        code: str,
        tasks: list[tuple[int, str]],
        *,
        window: DowntimeView | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.code = code
        self.tasks = tasks
        self.window = window

    def compose(self) -> ComposeResult:
        w = self.window
        title = "Edit downtime window" if w else "New downtime window"
        known = {tid for tid, _ in self.tasks}
        task: Any = w.task_id if w is not None and w.task_id in known else Select.NULL
        with Vertical(id="form"):
            yield Static(Text(f"{title} · {self.code} · local time at the site"), id="form-title")
            yield from self.general_error()
            with Vertical(id="fields"):
                yield from self.field(
                    "title",
                    "Title",
                    Input(
                        w.title if w else "", id="title", placeholder="e.g. Core switch cut-over"
                    ),
                )
                yield from self.field(
                    "start",
                    "Start",
                    Input(
                        format_moment(w.starts_at) if w else "",
                        id="start",
                        placeholder=f"{MOMENT_FORMAT}, e.g. 2026-03-20 22:00",
                    ),
                )
                yield from self.field(
                    "end",
                    "End",
                    Input(
                        format_moment(w.ends_at) if w else "",
                        id="end",
                        placeholder=f"{MOMENT_FORMAT}, after the start",
                    ),
                )
                yield from self.field(
                    "systems",
                    "Systems",
                    Input(
                        w.systems if w else "",
                        id="systems",
                        placeholder="what is down, e.g. Internet, VPN",
                    ),
                )
                yield from self.field(
                    "task",
                    "Task",
                    TextSelect(
                        [(label, tid) for tid, label in self.tasks],
                        value=task,
                        id="task",
                        prompt="(none: the window stays put)",
                    ),
                )
                yield from self.field(
                    "approved",
                    "Approved",
                    TickBox(
                        _approved_label(w.approved if w else False),
                        w.approved if w else False,
                        id="approved",
                    ),
                )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Checkbox.Changed, "#approved")
    def _approved_changed(self, event: Checkbox.Changed) -> None:
        """The state in words too, so it reads without colour (NO_COLOR)."""
        event.checkbox.label = _approved_label(event.value)

    def action_save(self) -> None:
        chosen = self.selected("task")
        draft = WindowDraft(
            title=self.text("title"),
            starts_at=self.text("start"),
            ends_at=self.text("end"),
            systems=self.text("systems"),
            approved=self.query_one("#approved", Checkbox).value,
            task_id=int(chosen) if chosen is not None else None,
        )
        self.write(lambda: self._store(draft))

    def reload_record(self) -> None:
        """The window where it lies now (moved with its task), and the project's tasks."""
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.timeline import load_timeline

        timeline = None if self.window is None else load_timeline(self.ctx.db, self.project_id)
        data = WindowsData([], []) if timeline is None else WindowsData.of(timeline)
        window = next((w for w in data.windows if self.window and w.id == self.window.id), None)
        if window is None:
            raise NotFoundError("the downtime window no longer exists (removed by someone else)")
        self.window, self.tasks = window, data.tasks

    def _store(self, draft: WindowDraft) -> int:
        from itpm_tui.services.downtime import add_window, update_window

        if self.window is None:
            return add_window(self.ctx, self.project_id, draft)
        update_window(self.ctx, self.window.id, draft, self.window.version)
        return self.window.id


class DowntimeDialog(RecordListDialog[DowntimeView, WindowsData]):
    """A project's downtime windows: add, edit or remove one (`RecordListDialog`)."""

    NOUN = "downtime window"
    EMPTY = "No downtime windows yet"
    BINDINGS: ClassVar = record_keys("downtime", NOUN, "window")

    def __init__(self, ctx: Context, project_id: int, code: str, data: WindowsData) -> None:
        super().__init__(ctx, project_id, data)
        self.code = code

    def heading(self) -> Text:
        return Text(f"Downtime windows · {self.code} · local time", style="bold")

    def rows(self, data: WindowsData) -> list[DowntimeView]:
        return data.windows

    def fetch(self) -> WindowsData | None:
        from itpm_tui.queries.timeline import load_timeline

        timeline = load_timeline(self.ctx.db, self.project_id)
        return None if timeline is None else WindowsData.of(timeline)

    def _widths(self, width: int) -> tuple[int, int, int, int]:
        # "2026-03-20 22:00–03-21 02:00" when it ends on another day, else "…22:00–23:30".
        when_w, ok_w = 28, 3
        rest = width - when_w - ok_w - 2
        title_w = max(10, rest // 2)
        return when_w, title_w, max(0, rest - title_w - 1), ok_w

    def head(self, width: int) -> Text:
        when_w, title_w, other_w, ok_w = self._widths(width)
        head = Text("When".ljust(when_w) + " " + "Title".ljust(title_w) + " ")
        head.append("Task · systems".ljust(other_w) + " " + "OK".rjust(ok_w))
        head.stylize("bold underline")
        return head

    def line(self, record: DowntimeView, width: int) -> Text:
        when_w, title_w, other_w, ok_w = self._widths(width)
        line = Text(no_wrap=True)
        line.append(_when(record).ljust(when_w) + " ")
        assert self.data is not None
        for text, cell_w in ((record.title, title_w), (_systems_task(record, self.data), other_w)):
            cell = literal(text)
            cell.truncate(cell_w, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" ")
        line.append(("yes" if record.approved else "no").rjust(ok_w))
        return line

    def note(self, width: int) -> Text:
        return Text(
            "OK: approved by the client. A window tied to a task moves with it.", style="dim"
        )

    def form(self, record: DowntimeView | None) -> DowntimeForm:
        tasks = [] if self.data is None else self.data.tasks
        return DowntimeForm(self.ctx, self.project_id, self.code, tasks, window=record)

    def question(self, record: DowntimeView) -> str:
        return f"Remove the downtime window {record.title} ({_when(record)})?"

    def remove_record(self, record: DowntimeView) -> None:
        from itpm_tui.services.downtime import remove_window

        remove_window(self.ctx, record.id, record.version)


def _when(w: DowntimeView) -> str:
    start = format_moment(w.starts_at)
    if w.ends_at.date() == w.starts_at.date():
        return f"{start}–{w.ends_at:%H:%M}"
    return f"{start}–{w.ends_at:%m-%d %H:%M}"


def _systems_task(w: DowntimeView, data: WindowsData) -> str:
    label = dict(data.tasks).get(w.task_id, w.task_name) if w.task_id is not None else ""
    systems = w.systems or "systems not listed"
    return f"task {label} · {systems}" if label else systems


def _approved_label(approved: bool) -> str:
    return "yes, approved by the client" if approved else "no, not approved yet"
