"""A project's downtime windows on the Timeline: the dialog that lists them (`w`) and the
form that adds or edits one. A window tied to a task is shown where it lies now, moved with
its task; saving it re-anchors it to the task's current start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.downtime import MOMENT_FORMAT, WindowDraft, format_moment
from itpm_tui.domain.roles import Action
from itpm_tui.errors import ItpmError
from itpm_tui.queries.downtime import DowntimeView
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.rights import RoleKeys, first_hint, key_line
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


class DowntimeDialog(RoleKeys, ModalScreen[bool]):
    """A project's downtime windows: add, edit or remove one. Dismisses with True when
    anything was written, so the Timeline redraws its chart."""

    WRITES: ClassVar[dict[str, Action]] = {
        "add": Action.MANAGE,
        "edit": Action.MANAGE,
        "remove": Action.MANAGE,
    }

    BINDINGS: ClassVar = [
        Binding("a", "add", "Add", id="downtime.add", tooltip="Add a downtime window"),
        Binding("e", "edit", "Edit", id="downtime.edit", tooltip="Edit the selected window"),
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="downtime.remove",
            tooltip="Remove the selected window (asks first)",
        ),
        Binding("escape", "close", "Close", id="downtime.close"),
    ]

    def __init__(self, ctx: Context, project_id: int, code: str, data: WindowsData) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.code = code
        self.data = data
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="windows-dialog"):
            yield Static(Text(f"Downtime windows · {self.code} · local time", style="bold"))
            yield Static("", id="windows-head")
            yield OptionList(id="windows")
            yield Static("", id="windows-note")
            yield Static(
                Text(key_line(self, "a add · e / enter edit · d remove · esc close"), style="dim"),
                id="windows-keys",
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()
        self.call_after_refresh(self._fill)

    def on_resize(self) -> None:
        self._fill()

    def _fill(self, select: int | None = None) -> None:
        options = self.query_one(OptionList)
        before = options.highlighted
        width = max(40, options.scrollable_content_region.width or 70)
        # "2026-03-20 22:00–03-21 02:00" when it ends on another day, else "…22:00–23:30".
        when_w, ok_w = 28, 3
        rest = width - when_w - ok_w - 2
        title_w = max(10, rest // 2)
        other_w = max(0, rest - title_w - 1)
        head = Text("When".ljust(when_w) + " " + "Title".ljust(title_w) + " ")
        head.append("Task · systems".ljust(other_w) + " " + "OK".rjust(ok_w))
        head.stylize("bold underline")
        self.query_one("#windows-head", Static).update(head)
        options.clear_options()
        for w in self.data.windows:
            line = Text(no_wrap=True)
            line.append(_when(w).ljust(when_w) + " ")
            for text, cell_w in ((w.title, title_w), (_systems_task(w, self.data), other_w)):
                cell = literal(text)
                cell.truncate(cell_w, overflow="ellipsis", pad=True)
                line.append_text(cell)
                line.append(" ")
            line.append(("yes" if w.approved else "no").rjust(ok_w))
            options.add_option(Option(line, id=str(w.id)))
        note = Text(
            "OK: approved by the client. A window tied to a task moves with it.",
            style="dim",
        )
        if not self.data.windows:
            empty = first_hint(self, "No downtime windows yet", "a adds the first.")
            note = Text(empty, style="dim")
        self.query_one("#windows-note", Static).update(note)
        ids = [w.id for w in self.data.windows]
        if select in ids:
            options.highlighted = ids.index(select)
        elif ids:
            options.highlighted = min(before or 0, len(ids) - 1)

    @property
    def selected(self) -> DowntimeView | None:
        index = self.query_one(OptionList).highlighted
        windows = self.data.windows
        return windows[index] if index is not None and 0 <= index < len(windows) else None

    @work(thread=True, exclusive=True, group="windows-load")
    def reload(self, select: int | None = None) -> None:
        from itpm_tui.queries.timeline import load_timeline

        try:
            timeline = load_timeline(self.ctx.db, self.project_id)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if timeline is not None:
            self.app.call_from_thread(self._loaded, WindowsData.of(timeline), select)

    def _loaded(self, data: WindowsData, select: int | None) -> None:
        self.data = data
        self._fill(select)

    def _form(self, window: DowntimeView | None) -> None:
        def saved(window_id: int | None) -> None:
            if window_id is not None:
                self.changed = True
                self.notify("Downtime window saved.")
                self.reload(window_id)

        form = DowntimeForm(self.ctx, self.project_id, self.code, self.data.tasks, window=window)
        self.app.push_screen(form, saved)

    def action_add(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        window = self.selected
        if window is None:
            self.notify("There is no downtime window to edit.", severity="warning")
            return
        self._form(window)

    @on(OptionList.OptionSelected, "#windows")
    def _chosen(self) -> None:
        if self.check_action("edit", ()):  # enter edits, as `e` does, for a role that may
            self.action_edit()

    def action_remove(self) -> None:
        window = self.selected
        if window is None:
            self.notify("There is no downtime window to remove.", severity="warning")
            return
        question = f"Remove the downtime window {window.title} ({_when(window)})?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(window)

        self.app.push_screen(ConfirmScreen(question, yes="Remove"), answered)

    @work(thread=True, group="windows-write")
    def _remove(self, window: DowntimeView) -> None:
        from itpm_tui.services.downtime import remove_window

        try:
            remove_window(self.ctx, window.id, window.version)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            self.changed = True
            self.app.call_from_thread(self.notify, "Downtime window removed.")
        self.app.call_from_thread(self.reload)

    def action_close(self) -> None:
        self.dismiss(self.changed)


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
