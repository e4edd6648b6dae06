"""Working time in the app: a project's working hours, part-day durations (`4h`, `1.5d`) and
start times typed in the task form and on the command line, placed on their days, scheduled
within the hours, and shown with their clock times on the Timeline, My work and the task
detail, stored schedules included."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest
from conftest import make_app, settle
from hypothesis import given
from hypothesis import strategies as st
from test_task_cli import Run, dump
from test_task_form import open_form, stored, type_into
from test_timeline import chart
from textual.widgets import Input

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.people import PersonDraft
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft, stored_hours, validate_project
from itpm_tui.domain.tasks import (
    Duration,
    TaskDraft,
    parse_duration,
    part_day_minutes,
    read_start_time,
    reconcile_dates,
    validate_task,
)
from itpm_tui.domain.validation import Problem, ValidationError
from itpm_tui.domain.work_hours import STANDARD_HOURS, parse_working_hours
from itpm_tui.queries.my_work import load_my_work
from itpm_tui.queries.schedule import edge_clocks, project_schedule
from itpm_tui.queries.task_detail import load_task_detail
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.people import add_person
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Project

MONDAY = date(2027, 1, 4)
TUESDAY = date(2027, 1, 5)
SHORT = parse_working_hours("07:00-11:30,12:00-14:30")  # 7 hours a day


# -- domain: placing part-day work on its days ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "start_time", "days"),
    [
        ("4h", None, 1),
        ("8h", None, 1),
        ("1.5d", None, 2),
        ("30m", None, 1),
        ("4h", time(13, 0), 1),  # 13:00–17:00
        ("4h", time(15, 0), 2),  # 15:00–17:00, then 08:00–10:00
        ("1.5d", time(13, 0), 2),  # Monday afternoon, then all Tuesday
        ("3d", time(13, 0), 3),  # whole days keep their dates
    ],
)
def test_a_part_day_duration_spans_the_days_its_minutes_take(
    typed: str, start_time: time | None, days: int
) -> None:
    problems: list[Problem] = []
    start, finish = reconcile_dates(
        MONDAY,
        None,
        parse_duration(typed),
        False,
        WorkCalendar(),
        finish_moved=False,
        duration_moved=True,
        problems=problems,
        start_time=start_time,
    )
    assert problems == []
    assert (start, finish) == (MONDAY, WorkCalendar().finish_date(MONDAY, days))


def test_the_project_day_decides_what_a_day_of_minutes_is() -> None:
    seven = parse_duration("7h", SHORT.minutes_per_day)
    assert seven == Duration(1)  # a whole day of 07:00-11:30,12:00-14:30
    half = parse_duration("3h30m", SHORT.minutes_per_day)
    assert half == Duration(1, minutes=210) and half.text(SHORT.minutes_per_day) == "3h30m"
    for start_time, finish in ((None, TUESDAY), (time(12, 0), date(2027, 1, 6))):
        problems: list[Problem] = []
        dates = reconcile_dates(
            MONDAY,
            None,
            parse_duration("1.5d", SHORT.minutes_per_day),  # 10h30m
            False,
            WorkCalendar(),
            finish_moved=False,
            duration_moved=True,
            problems=problems,
            hours=SHORT,
            start_time=start_time,  # from 12:00 only 2h30m fit on Monday
        )
        assert dates == (MONDAY, finish) and problems == []


@given(
    minutes=st.integers(1, 20 * 480),
    offset=st.integers(0, 479),
)
def test_the_days_spanned_hold_the_work_and_no_day_more(minutes: int, offset: int) -> None:
    days = Duration(1, minutes=minutes).days_spanned(480, offset)
    assert (days - 1) * 480 < offset + minutes <= days * 480


def test_a_finish_typed_without_a_duration_makes_it_whole_days_again() -> None:
    four = Duration(1, minutes=240)
    kept = part_day_minutes(four, False, finish_moved=False, duration_moved=False)
    assert kept == 240
    assert part_day_minutes(four, False, finish_moved=True, duration_moved=False) is None
    assert part_day_minutes(four, False, finish_moved=True, duration_moved=True) == 240
    assert part_day_minutes(four, True, finish_moved=False, duration_moved=True) is None
    assert part_day_minutes(Duration(3), False, finish_moved=False, duration_moved=True) is None
    assert part_day_minutes(None, False, finish_moved=False, duration_moved=False) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("13:00", time(13)), ("8:30", time(8, 30)), ("", None), ("none", None), (" - ", None)],
)
def test_start_times_as_typed(typed: str, expected: time | None) -> None:
    assert read_start_time(typed, STANDARD_HOURS) == expected


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("25:00", "'25:00' is not a clock time (HH:MM, 00:00–23:59)"),
        ("1pm", "'1pm' is not a clock time (HH:MM, 00:00–23:59)"),
        ("12:30", "12:30 is outside the project's working hours (08:00-12:00,13:00-17:00)"),
        ("17:00", "17:00 is outside the project's working hours (08:00-12:00,13:00-17:00)"),
        ("07:59", "07:59 is outside the project's working hours (08:00-12:00,13:00-17:00)"),
    ],
)
def test_other_start_times_are_refused_naming_the_field(typed: str, rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_start_time(typed, STANDARD_HOURS)
    assert [(p.field, p.rule) for p in caught.value.problems] == [("start time", rule)]


def test_a_task_of_minutes_needs_some() -> None:
    for draft in (TaskDraft("Cut-over", work_minutes=0), TaskDraft("Wait", work_minutes=-5)):
        with pytest.raises(ValidationError) as caught:
            validate_task(draft)
        assert [p.field for p in caught.value.problems] == ["duration"]
    assert validate_task(TaskDraft("Cut-over", work_minutes=240)).work_minutes == 240
    # clock time: a 4-hour cut-over in elapsed hours (4eh)
    clock = validate_task(TaskDraft("Cut-over", is_elapsed=True, work_minutes=240))
    assert (clock.is_elapsed, clock.work_minutes) == (True, 240)


def test_project_hours_are_stored_in_order_and_the_standard_day_as_empty() -> None:
    assert stored_hours("12:00-15:30, 07:00-11:30") == "07:00-11:30,12:00-15:30"
    assert stored_hours("standard") == stored_hours("") == ""
    assert stored_hours("08:00-12:00,13:00-17:00") == ""
    with pytest.raises(ValidationError) as caught:
        validate_project(ProjectDraft("CT-1", "Cut-over", work_hours="17:00-08:00"))
    assert [p.field for p in caught.value.problems] == ["working hours"]


def test_clock_times_are_shown_only_off_the_day_edges() -> None:
    assert edge_clocks(STANDARD_HOURS, time(8), time(17)) == (None, None)
    assert edge_clocks(STANDARD_HOURS, time(13), time(12)) == (time(13), time(12))
    assert edge_clocks(SHORT, time(7), time(14, 30)) == (None, None)
    assert edge_clocks(STANDARD_HOURS, None, None) == (None, None)
    # clock time after hours shows both ends: a cut-over from 19:00 to 23:00
    assert edge_clocks(STANDARD_HOURS, time(19), time(23)) == (time(19), time(23))


# -- command line ----------------------------------------------------------------------------


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    return Run(tmp_path / "work.db", capsys, monkeypatch)


def test_hours_durations_and_start_times_from_the_command_line(itpm: Run) -> None:
    itpm.ok("project", "add", "CT-1", "Cut-over", "--start", "2027-01-04")
    assert itpm.ok("project", "set", "CT-1", "--hours", "12:00-14:30, 07:00-11:30") == (
        "CT-1: working hours 07:00-11:30,12:00-14:30\n"
    )
    assert itpm.ok("task", "add", "CT-1", "Backup", "--duration", "3h30m") == "1\n"
    assert itpm.ok("task", "add", "CT-1", "Switch", "--duration", "3h30m", "--after", "1") == "2\n"
    assert itpm.ok("task", "add", "CT-1", "Test", "--duration", "1.5d", "--after", "2") == "3\n"
    lines = itpm.ok("task", "list", "CT-1").splitlines()[1:]
    assert [line.split()[2:4] for line in lines] == [
        ["2027-01-04", "2027-01-04"],  # 07:00–10:30
        ["2027-01-04", "2027-01-04"],  # 10:30–11:30, 12:00–14:30
        ["2027-01-05", "2027-01-06"],  # all Tuesday, Wednesday morning
    ]
    assert itpm.ok("task", "set", "CT-1", "1", "--start-time", "12:00") == (
        "1 Backup: planned finish, start time changed\n"  # 12:00–14:30, then 07:00–08:00
    )
    assert itpm.ok("project", "set", "CT-1", "--hours", "standard") == (
        "CT-1: working hours 08:00-12:00,13:00-17:00 (standard)\n"
    )
    assert itpm.ok("holidays", "list", "--project", "CT-1").splitlines()[0] == (
        "working hours: 08:00-12:00,13:00-17:00 (standard)"
    )
    itpm.ok("task", "set", "CT-1", "1", "--start-time", "none")
    itpm.ok("task", "set", "CT-1", "3", "--finish", "2027-01-07")  # whole days again
    with sqlite3.connect(itpm.db) as conn:
        rows = conn.execute(
            "SELECT name, work_minutes, start_time FROM task ORDER BY id"
        ).fetchall()
    assert rows == [("Backup", 210, None), ("Switch", 210, None), ("Test", None, None)]


def test_bad_hours_durations_and_start_times_are_refused_naming_the_field(itpm: Run) -> None:
    assert itpm.refused("project", "add", "CT-2", "Cut-over", "--hours", "17:00-08:00") == (
        "working hours: 17:00-08:00 ends before it starts (no span crosses midnight)"
    )
    assert dump(itpm.db) == []  # nothing written, not even the database
    itpm.ok("project", "add", "CT-1", "Cut-over", "--start", "2027-01-04")
    assert itpm.refused("project", "set", "CT-1", "--hours", "17:00-08:00") == (
        "working hours: 17:00-08:00 ends before it starts (no span crosses midnight)"
    )
    assert itpm.refused("task", "add", "CT-1", "Switch", "--duration", "4x").startswith(
        "duration: '4x' is not a duration"
    )
    assert itpm.refused("task", "add", "CT-1", "Switch", "--start-time", "25:00") == (
        "start time: '25:00' is not a clock time (HH:MM, 00:00–23:59)"
    )
    itpm.ok("task", "add", "CT-1", "Switch", "--duration", "4h")
    assert itpm.refused("task", "set", "CT-1", "1", "--start-time", "12:30") == (
        "start time: 12:30 is outside the project's working hours (08:00-12:00,13:00-17:00)"
    )
    assert itpm.refused("task", "set", "CT-1", "1", "--duration", "4x").startswith(
        "duration: '4x' is not a duration"
    )


# -- the app ---------------------------------------------------------------------------------


def _two_tasks(ctx: Context, start: date) -> tuple[int, int, int]:
    """A project from `start` with tasks A and B (B after A), each planned one day."""
    pid = create_project(ctx, ProjectDraft("CT-1", "Cut-over", start_date=start))
    a = add_task(ctx, pid, TaskDraft("Back up", planned_start=start, planned_finish=start))
    b = add_task(
        ctx,
        pid,
        TaskDraft("Switch", planned_start=start, planned_finish=start),
        predecessors=[PredecessorRef(a, "FS", 0)],
    )
    return pid, a, b


async def test_typing_4h_in_the_form_puts_the_next_task_in_the_afternoon(ctx: Context) -> None:
    monday = date(2026, 3, 23)
    pid, a, b = _two_tasks(ctx, monday)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        for task_id in (a, b):
            form = await open_form(pilot, task_id)
            # "1" for B too, though A's 4h now start it at 13:00 and stretch it into Tuesday
            assert form.query_one("#duration", Input).value == "1"
            await type_into(pilot, "duration", "4h")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, TimelineScreen)
        chart(app).select_key(b)
        await settle(pilot)
        info = str(app.screen.query_one("#info").render())
        assert "2026-03-23 13:00 → 2026-03-23 · 4h · 0%" in info, info
        chart(app).select_key(a)
        await settle(pilot)
        info = str(app.screen.query_one("#info").render())
        assert "2026-03-23 → 2026-03-23 12:00 · 4h" in info, info
        form = await open_form(pilot, b)  # shown back as typed, the start time blank
        assert form.query_one("#duration", Input).value == "4h"
        assert form.query_one("#start-time", Input).value == ""
        await type_into(pilot, "start-time", "12:30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "outside the project's working hours" in str(
            form.query_one("#err-start-time").render()
        )
        assert form.query_one("#start-time", Input).value == "12:30"  # the typing is kept
        await type_into(pilot, "start-time", "15:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    assert (stored(ctx, a).work_minutes, stored(ctx, b).work_minutes) == (240, 240)
    assert stored(ctx, b).start_time == time(15)
    tuesday = date(2026, 3, 24)  # 15:00–17:00, then 08:00–10:00
    assert (stored(ctx, b).planned_start, stored(ctx, b).planned_finish) == (monday, tuesday)
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    switch = timeline.by_id()[b]
    assert (switch.start_time, switch.finish, switch.finish_time) == (
        time(15),
        tuesday,
        time(10),
    )
    assert switch.float_minutes == 0


async def test_the_project_form_sets_the_working_hours(ctx: Context) -> None:
    from itpm_tui.screens.project_form import ProjectForm

    pid, _a, _b = _two_tasks(ctx, date(2026, 3, 23))
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ProjectForm)
        assert app.screen.query_one("#work_hours", Input).value == ""
        await type_into(pilot, "work_hours", "17:00-08:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ends before it starts" in str(app.screen.query_one("#err-work_hours").render())
        assert app.screen.query_one("#work_hours", Input).value == "17:00-08:00"
        await type_into(pilot, "work_hours", "12:00-15:30, 07:00-11:30")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with ctx.db.read() as session:
        project = session.get(Project, pid)
        assert project is not None and project.work_hours == "07:00-11:30,12:00-15:30"


def test_stored_schedules_my_work_and_the_detail_carry_the_clock_times(ctx: Context) -> None:
    from dataclasses import replace

    from itpm_tui.queries.tasks import load_task_edit
    from itpm_tui.services.tasks import update_task

    person = add_person(ctx, PersonDraft(name="Ana Berg", handle="ana"))
    pid, a, b = _two_tasks(ctx, MONDAY)
    for task_id in (a, b):
        edit = load_task_edit(ctx.db, task_id)
        assert edit is not None
        draft = replace(edit.draft, work_minutes=240, assignee_id=person)
        update_task(ctx, task_id, draft, edit.predecessors, edit.version)
    schedule = project_schedule(ctx.db, pid)  # fresh: read as stored
    assert schedule is not None
    clocks = {t.id: (t.start_time, t.finish_time) for t in schedule.tasks}
    assert clocks == {a: (None, time(12)), b: (time(13), None)}
    detail = load_task_detail(ctx.db, b)
    assert detail is not None and (detail.start, detail.start_time) == (MONDAY, time(13))
    work = load_my_work(ctx.db, person, MONDAY)
    assert {t.id: (t.start_time, t.finish_time) for t in work.tasks} == clocks
