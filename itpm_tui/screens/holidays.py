"""Non-working days on the Timeline (`H`): the dialog listing this project's days and the
portfolio-wide ones, and the form that adds one to either calendar. The scheduler skips them
(the working week is Monday to Friday), so the chart redraws after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from itpm_tui.domain.roles import Action
from itpm_tui.errors import ItpmError
from itpm_tui.queries.holidays import HolidayRow
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.rights import RoleKeys, first_hint, key_line
from itpm_tui.widgets.formatting import literal
from itpm_tui.widgets.text_select import TextSelect

if TYPE_CHECKING:
    from itpm_tui.services.context import Context

#: The scope choices of the form.
THIS_PROJECT, ALL_PROJECTS = "project", "all"


class HolidayForm(FormScreen[bool | None]):
    """Add one non-working day; dismisses with True once saved, None when cancelled."""

    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}

    FIELD_IDS: ClassVar = {"date": "day", "name": "name"}

    def __init__(self, ctx: Context, project_id: int, code: str, date_format: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.code = code
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        example = "2026-12-24"
        with Vertical(id="form"):
            yield Static(Text(f"New non-working day · {self.code}"), id="form-title")
            yield from self.general_error()
            with Vertical(id="fields"):
                yield from self.field(
                    "day", "Date", Input(id="day", placeholder=f"YYYY-MM-DD, e.g. {example}")
                )
                yield from self.field(
                    "name", "Name", Input(id="name", placeholder="e.g. Office closed (optional)")
                )
                yield from self.field(
                    "scope",
                    "For",
                    TextSelect(
                        [
                            (f"this project only ({self.code})", THIS_PROJECT),
                            ("all projects", ALL_PROJECTS),
                        ],
                        value=THIS_PROJECT,
                        id="scope",
                        allow_blank=False,
                    ),
                )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#day", Input).focus()

    def action_save(self) -> None:
        day_text, name = self.text("day"), self.text("name")
        everywhere = self.selected("scope") == ALL_PROJECTS
        self.write(lambda: self._store(day_text, name, everywhere))

    def _store(self, day_text: str, name: str, everywhere: bool) -> bool:
        from itpm_tui.domain.holidays import read_day
        from itpm_tui.domain.validation import ValidationError
        from itpm_tui.services.holidays import add_holidays

        day = read_day(day_text, name, fmt=self.date_format)
        if not add_holidays(self.ctx, [day], None if everywhere else self.project_id):
            where = "every project's calendar" if everywhere else "this project's calendar"
            raise ValidationError("date", f"{day.day.isoformat()} is already in {where}")
        return True


class HolidaysDialog(RoleKeys, ModalScreen[bool]):
    """This project's non-working days and the portfolio-wide ones: add or remove one.
    Dismisses with True when anything was written, so the Timeline reschedules."""

    WRITES: ClassVar[dict[str, Action]] = {"add": Action.MANAGE, "remove": Action.MANAGE}

    BINDINGS: ClassVar = [
        Binding("a", "add", "Add", id="holidays.add", tooltip="Add a non-working day"),
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="holidays.remove",
            tooltip="Remove the selected day (asks first)",
        ),
        Binding("escape", "close", "Close", id="holidays.close"),
    ]

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        code: str,
        rows: list[HolidayRow] | None = None,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.project_id = project_id
        self.code = code
        self.rows = rows or []
        self.date_format = date_format
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="holidays-dialog"):
            yield Static(Text(f"Non-working days · {self.code}", style="bold"))
            yield Static("", id="holidays-head")
            yield OptionList(id="holidays")
            yield Static("", id="holidays-note")
            yield Static(
                Text(key_line(self, "a add · d remove · esc close"), style="dim"),
                id="holidays-keys",
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()
        self.reload()  # the days with their names, read off the UI thread

    def on_resize(self) -> None:
        self._fill()

    def _fill(self, select: int | None = None) -> None:
        options = self.query_one(OptionList)
        before = options.highlighted
        width = max(40, options.scrollable_content_region.width or 70)
        day_w, scope_w = 14, 12
        name_w = max(10, width - day_w - scope_w - 2)
        head = Text("Date".ljust(day_w) + " " + "Name".ljust(name_w) + " " + "For".ljust(scope_w))
        head.stylize("bold underline")
        self.query_one("#holidays-head", Static).update(head)
        options.clear_options()
        for row in self.rows:
            line = Text(no_wrap=True)
            line.append(f"{row.day.strftime(self.date_format)} {row.day:%a}".ljust(day_w) + " ")
            cell = literal(row.name or "—")
            cell.truncate(name_w, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" " + ("all projects" if row.everywhere else "this project"))
            options.add_option(Option(line, id=str(row.id)))
        note = Text(
            "The working week is Monday–Friday; days on a weekend change nothing.", style="dim"
        )
        if not self.rows:
            empty = first_hint(self, "No non-working days yet", "a adds the first.")
            note = Text(empty, style="dim")
        self.query_one("#holidays-note", Static).update(note)
        ids = [r.id for r in self.rows]
        if select in ids:
            options.highlighted = ids.index(select)
        elif ids:
            options.highlighted = min(before or 0, len(ids) - 1)

    @property
    def selected(self) -> HolidayRow | None:
        index = self.query_one(OptionList).highlighted
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    @work(thread=True, exclusive=True, group="holidays-load")
    def reload(self) -> None:
        from itpm_tui.queries.holidays import holiday_rows

        try:
            rows = holiday_rows(self.ctx.db, self.project_id)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[HolidayRow]) -> None:
        self.rows = rows
        self._fill()

    def action_add(self) -> None:
        def saved(done: bool | None) -> None:
            if done:
                self.changed = True
                self.notify("Non-working day added.")
                self.reload()

        form = HolidayForm(self.ctx, self.project_id, self.code, self.date_format)
        self.app.push_screen(form, saved)

    def action_remove(self) -> None:
        row = self.selected
        if row is None:
            self.notify("There is no non-working day to remove.", severity="warning")
            return
        scope = "every project's calendar" if row.everywhere else f"{self.code}'s calendar"
        what = f"{row.day.isoformat()}{f' ({row.name})' if row.name else ''}"
        question = f"Remove {what} from {scope}? Work may then be scheduled on it."

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(row)

        self.app.push_screen(ConfirmScreen(question, yes="Remove"), answered)

    @work(thread=True, group="holidays-write")
    def _remove(self, row: HolidayRow) -> None:
        from itpm_tui.services.holidays import remove_holiday

        try:
            remove_holiday(self.ctx, row.id)
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            self.changed = True
            self.app.call_from_thread(self.notify, "Non-working day removed.")
        self.app.call_from_thread(self.reload)

    def action_close(self) -> None:
        self.dismiss(self.changed)
