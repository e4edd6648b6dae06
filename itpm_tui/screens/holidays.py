"""Non-working days on the Timeline (`H`): the dialog listing this project's days and the
portfolio-wide ones, and the form that adds one to either calendar. The scheduler skips them
(the working week is Monday to Friday), so the chart redraws after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from itpm_tui.domain.roles import Action
from itpm_tui.queries.holidays import HolidayRow
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.record_list import RecordListDialog, record_keys
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


class HolidaysDialog(RecordListDialog[HolidayRow, list[HolidayRow]]):
    """This project's non-working days and the portfolio-wide ones: add or remove one
    (`RecordListDialog`); the Timeline reschedules after a change."""

    NOUN = "non-working day"
    EMPTY = "No non-working days yet"
    SAVED = "added"
    BINDINGS: ClassVar = record_keys("holidays", NOUN, "day", edits=False)

    def __init__(
        self,
        ctx: Context,
        project_id: int,
        code: str,
        rows: list[HolidayRow] | None = None,
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__(ctx, project_id, rows)
        self.code = code
        self.date_format = date_format

    def heading(self) -> Text:
        return Text(f"Non-working days · {self.code}", style="bold")

    def rows(self, data: list[HolidayRow]) -> list[HolidayRow]:
        return data

    def fetch(self) -> list[HolidayRow]:
        from itpm_tui.queries.holidays import holiday_rows

        return holiday_rows(self.ctx.db, self.project_id)

    @staticmethod
    def _widths(width: int) -> tuple[int, int, int]:
        day_w, scope_w = 14, 12
        return day_w, max(10, width - day_w - scope_w - 2), scope_w

    def head(self, width: int) -> Text:
        day_w, name_w, scope_w = self._widths(width)
        head = Text("Date".ljust(day_w) + " " + "Name".ljust(name_w) + " " + "For".ljust(scope_w))
        head.stylize("bold underline")
        return head

    def line(self, record: HolidayRow, width: int) -> Text:
        day_w, name_w, _ = self._widths(width)
        line = Text(no_wrap=True)
        line.append(f"{record.day.strftime(self.date_format)} {record.day:%a}".ljust(day_w) + " ")
        cell = literal(record.name or "—")
        cell.truncate(name_w, overflow="ellipsis", pad=True)
        line.append_text(cell)
        line.append(" " + ("all projects" if record.everywhere else "this project"))
        return line

    def note(self, width: int) -> Text:
        return Text(
            "The working week is Monday–Friday; days on a weekend change nothing.", style="dim"
        )

    def form(self, record: HolidayRow | None) -> HolidayForm:
        return HolidayForm(self.ctx, self.project_id, self.code, self.date_format)

    def question(self, record: HolidayRow) -> str:
        scope = "every project's calendar" if record.everywhere else f"{self.code}'s calendar"
        what = f"{record.day.isoformat()}{f' ({record.name})' if record.name else ''}"
        return f"Remove {what} from {scope}? Work may then be scheduled on it."

    def remove_record(self, record: HolidayRow) -> None:
        from itpm_tui.services.holidays import remove_holiday

        remove_holiday(self.ctx, record.id)
