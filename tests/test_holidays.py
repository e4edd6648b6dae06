"""Non-working days: the rules, the writes with their activity, the .ics reader of closures,
and `itpm holidays` / `itpm downtime` run through the real `main([...])`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli as run
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from itpm_tui.domain.holidays import DayOff, parse_years, read_day
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import NotFoundError
from itpm_tui.formats.ics_closures import read_closures
from itpm_tui.queries.holidays import holiday_rows
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.services.context import Context
from itpm_tui.services.holidays import add_holidays, remove_holiday, remove_holiday_on
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity, DowntimeWindow, Holiday

D = date


# -- rules ----------------------------------------------------------------------------------


@given(st.integers(1900, 2200), st.integers(0, 9))
def test_a_span_of_years_is_every_year_in_it(first: int, more: int) -> None:
    last = first + more
    if last > 2200:
        return
    assert parse_years(f"{first}-{last}") == list(range(first, last + 1))
    assert parse_years(str(first)) == [first]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "is not a year"),
        ("26", "is not a year"),
        ("2027-2026", "must not end before"),
        ("2026-2040", "at most 10 years"),
        ("1066", "between 1900 and 2200"),
    ],
)
def test_a_bad_span_of_years_says_why(text: str, needle: str) -> None:
    with pytest.raises(ValidationError, match=needle) as caught:
        parse_years(text)
    assert caught.value.field == "--years"


def test_a_typed_day_is_required_and_its_name_trimmed() -> None:
    assert read_day("2026-12-24", "  Christmas   Eve ") == DayOff(D(2026, 12, 24), "Christmas Eve")
    assert read_day("24/12/2026", fmt="%d/%m/%Y").day == D(2026, 12, 24)
    with pytest.raises(ValidationError, match="date: is required"):
        read_day("  ")
    with pytest.raises(ValidationError, match="name: must be at most 120"):
        read_day("2026-12-24", "x" * 121)


# -- writes ---------------------------------------------------------------------------------


def log(ctx: Context) -> list[Activity]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(Activity).where(Activity.entity == "holiday").order_by(col(Activity.id))
            )
        )


def test_days_already_there_are_skipped_and_each_write_is_logged(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="HO-1", name="Holidays"))
    xmas = [DayOff(D(2026, 12, 25), "Christmas Day"), DayOff(D(2026, 12, 26), "Boxing Day")]
    assert add_holidays(ctx, xmas) == 2
    assert add_holidays(ctx, [*xmas, DayOff(D(2026, 12, 25), "again")]) == 0
    assert add_holidays(ctx, [DayOff(D(2026, 12, 25), "Site closed")], pid) == 1  # own calendar
    rows = holiday_rows(ctx.db, pid)
    assert [(r.day, r.name, r.everywhere) for r in rows] == [
        (D(2026, 12, 25), "Christmas Day", True),
        (D(2026, 12, 25), "Site closed", False),
        (D(2026, 12, 26), "Boxing Day", True),
    ]
    assert [r.name for r in holiday_rows(ctx.db)] == ["Christmas Day", "Boxing Day"]
    gone = remove_holiday_on(ctx, D(2026, 12, 25), pid)
    assert gone.name == "Site closed"
    with pytest.raises(NotFoundError, match="is not a non-working day"):
        remove_holiday_on(ctx, D(2026, 12, 25), pid)
    remove_holiday(ctx, rows[-1].id)
    assert [a.summary for a in log(ctx)] == [
        "added 2 non-working days (2026-12-25 to 2026-12-26) to every project's calendar",
        "added non-working day 2026-12-25 (Site closed) to HO-1's calendar",
        "removed non-working day 2026-12-25 (Site closed) from HO-1's calendar",
        "removed non-working day 2026-12-26 (Boxing Day) from every project's calendar",
    ]


def test_the_schedule_skips_the_days(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="HO-2", name="Scheduled"))
    tid = add_task(ctx, pid, TaskDraft("Install", planned_start=D(2026, 12, 24)))
    add_holidays(ctx, [DayOff(D(2026, 12, 24), "Eve")])
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    assert timeline.by_id()[tid].start == D(2026, 12, 25)
    add_holidays(ctx, [DayOff(D(2026, 12, 25), "Christmas")], pid)
    timeline = load_timeline(ctx.db, pid)
    assert timeline is not None
    assert timeline.by_id()[tid].start == D(2026, 12, 28)  # Monday after the weekend


# -- the .ics reader -----------------------------------------------------------------------

CLOSURES = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261229\r\n"
    "SUMMARY:Winter closure\\, all sites\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:2\r\nDTSTART;TZID=Europe/London:20260828T080000\r\n"
    "DTEND;TZID=Europe/London:20260829T000000\r\nSUMMARY:Power work in the\r\n  data centre\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:3\r\nDTSTART:20260501\r\nSUMMARY:May Day\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:4\r\nDTSTART;VALUE=DATE:20260601\r\nDURATION:P2D\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:5\r\nDTSTART;VALUE=DATE:20260701\r\nSTATUS:CANCELLED\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_closures_are_read_day_by_day() -> None:
    days = read_closures(CLOSURES)
    assert [(d.day.isoformat(), d.name) for d in days] == [
        ("2026-12-24", "Winter closure, all sites"),
        ("2026-12-25", "Winter closure, all sites"),
        ("2026-12-26", "Winter closure, all sites"),
        ("2026-12-27", "Winter closure, all sites"),
        ("2026-12-28", "Winter closure, all sites"),
        ("2026-08-28", "Power work in the data centre"),
        ("2026-05-01", "May Day"),
        ("2026-06-01", ""),
        ("2026-06-02", ""),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\n", "line 1: is not the start of an iCalendar file"),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026-12-24\nEND:VEVENT\nEND:VCALENDAR\n",
            "line 3: DTSTART '2026-12-24' is not a date",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
            "line 2: the event has no DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261224\nDTEND:20261220\nEND:VEVENT\n"
            "END:VCALENDAR\n",
            "line 4: DTEND must not be before DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101\nDTEND:20280101\nEND:VEVENT\n"
            "END:VCALENDAR\n",
            "line 2: the event spans 730 days",
        ),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101\n", "BEGIN:VEVENT is never ended"),
        ("BEGIN:VCALENDAR\nSUMMARY without colon\nEND:VCALENDAR\n", "line 2: has no ':'"),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261225\nRRULE:FREQ=YEARLY\n"
            "END:VEVENT\nEND:VCALENDAR\n",
            "line 4: RRULE: repeating events are not read",
        ),
    ],
)
def test_a_bad_file_names_the_line_and_field(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_closures(text)
    assert message in str(caught.value)


# -- the commands ---------------------------------------------------------------------------


def one_line_error(result: tuple[int, str, str], *needles: str) -> None:
    code, _out, err = result
    assert code == 2, result
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.db.read() as session:
        return (
            len(session.exec(select(Holiday)).all()),
            len(session.exec(select(DowntimeWindow)).all()),
            len(session.exec(select(Activity)).all()),
        )


def test_holidays_commands(capsys: pytest.CaptureFixture[str], ctx: Context, db_path: Path) -> None:
    create_project(ctx, ProjectDraft(code="HO-3", name="Branch office"))
    db = ("--db", str(db_path))
    code, out, _ = run(capsys, *db, "holidays", "add", "--country", "GB", "--subdiv", "ENG",
                       "--years", "2026-2027")  # fmt: skip
    assert code == 0, out
    import holidays as library

    two_years = len(library.country_holidays("GB", subdiv="ENG", years=[2026, 2027]))
    one_year = len(library.country_holidays("GB", subdiv="ENG", years=[2026]))
    assert two_years > one_year > 5
    assert out.strip() == f"added {two_years} non-working days to every project's calendar"
    code, out, _ = run(capsys, *db, "holidays", "add", "--country", "gb", "--subdiv", "eng",
                       "--years", "2026")  # fmt: skip
    assert code == 0, out
    assert out.strip() == (
        f"added 0 non-working days to every project's calendar ({one_year} already there)"
    )
    code, out, _ = run(capsys, *db, "holidays", "add", "2026-08-28", "--name", "Power work [DC]",
                       "--project", "ho-3")  # fmt: skip
    assert code == 0, out
    assert out.strip() == "added 1 non-working day to HO-3's calendar"
    code, out, _ = run(capsys, *db, "holidays", "list", "--project", "HO-3")
    assert code == 0, out
    hours, *lines = out.splitlines()
    assert hours == "working hours: 08:00-12:00,13:00-17:00 (standard)"
    assert lines[0].split() == ["DATE", "DAY", "NAME", "CALENDAR"]
    assert "2026-08-28  Fri  Power work [DC]" in out and lines[-1].endswith("all projects")
    assert any(line.startswith("2026-08-28") and line.endswith("HO-3") for line in lines)
    code, out, _ = run(capsys, *db, "holidays", "rm", "2026-08-28", "--project", "HO-3")
    assert code == 0, out
    assert out.strip() == "removed 2026-08-28 (Power work [DC])"
    ics = db_path.parent / "closures.ics"
    ics.write_text(CLOSURES, encoding="utf-8")
    code, out, _ = run(capsys, *db, "holidays", "import", str(ics), "--project", "HO-3")
    assert code == 0, out
    assert out.strip() == "added 9 non-working days from closures.ics to HO-3's calendar"
    assert counts(ctx)[0] == two_years + 9


def test_bad_holiday_input_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], ctx: Context, db_path: Path
) -> None:
    create_project(ctx, ProjectDraft(code="HO-4", name="Branch"))
    before = counts(ctx)
    db = ("--db", str(db_path))
    one_line_error(run(capsys, *db, "holidays", "add", "2026-13-01"), "date: '2026-13-01'")
    one_line_error(run(capsys, *db, "holidays", "add"), "either a DATE or --country")
    one_line_error(
        run(capsys, *db, "holidays", "add", "--country", "XX", "--years", "2026"), "--country: 'XX'"
    )
    one_line_error(
        run(capsys, *db, "holidays", "add", "--country", "GB", "--subdiv", "QQ", "--years", "2026"),
        "--subdiv: 'QQ' is not a region of GB; one of ENG, NIR, SCT, WLS",
    )
    one_line_error(run(capsys, *db, "holidays", "add", "--country", "GB"), "--years: is required")
    one_line_error(run(capsys, *db, "holidays", "add", "2026-12-24", "--project", "NOPE"), "'NOPE'")
    one_line_error(run(capsys, *db, "holidays", "rm", "2026-12-24"), "is not a non-working day")
    bad = db_path.parent / "bad.ics"
    bad.write_text(CLOSURES.replace("DTSTART:20260501", "DTSTART:2026-05-01"), encoding="utf-8")
    one_line_error(
        run(capsys, *db, "holidays", "import", str(bad)), "bad.ics: line 22: DTSTART '2026-05-01'"
    )
    assert counts(ctx) == before


def test_downtime_commands(capsys: pytest.CaptureFixture[str], ctx: Context, db_path: Path) -> None:
    pid = create_project(ctx, ProjectDraft(code="DT-3", name="Branch"))
    add_task(ctx, pid, TaskDraft("Cut-over", planned_start=D(2026, 3, 20)))
    db = ("--db", str(db_path))
    code, out, err = run(capsys, *db, "downtime", "add", "dt-3", "Firewall swap",
                         "2026-03-20 22:00", "2026-03-21 02:00", "--systems", "Internet, VPN",
                         "--task", "1", "--approved")  # fmt: skip
    assert code == 0, err
    assert (
        out.strip() == "added downtime window 1: Firewall swap 2026-03-20 22:00 – 2026-03-21 02:00"
    )
    code, out, _ = run(capsys, *db, "downtime", "list", "DT-3")
    assert code == 0, out
    assert re.split(r"\s{2,}", out.splitlines()[1]) == [
        "1", "2026-03-20 22:00", "2026-03-21 02:00", "Firewall swap", "Internet, VPN",
        "1 Cut-over", "yes",
    ]  # fmt: skip
    # The task's day closes: the window moves with it, in the list and in the .ics export.
    run(capsys, *db, "holidays", "add", "2026-03-20", "--project", "DT-3")
    code, out, _ = run(capsys, *db, "downtime", "list", "DT-3")
    assert code == 0, out
    assert "2026-03-23 22:00  2026-03-24 02:00" in out
    code, out, _ = run(capsys, *db, "export", "DT-3", "--format", "ics")
    assert code == 0, out
    assert "DTSTART:20260323T220000" in out and "DTEND:20260324T020000" in out
    before = counts(ctx)
    one_line_error(
        run(capsys, *db, "downtime", "add", "DT-3", "x", "2026-03-20 22:00", "2026-03-20 21:00"),
        "end: must be after the start (2026-03-20 22:00)",
    )
    one_line_error(
        run(capsys, *db, "downtime", "add", "DT-3", "", "20.3.2026", "2026-03-20 21:00"),
        "title: must not be empty",
        "start: '20.3.2026' is not a date and time",
    )
    one_line_error(
        run(
            capsys,
            *db,
            "downtime",
            "add",
            "DT-3",
            "x",
            "2026-03-20 22:00",
            "2026-03-20 23:00",
            "--task",
            "9.9",
        ),
        "--task: no task of DT-3 has the WBS code '9.9'",
    )
    one_line_error(run(capsys, *db, "downtime", "rm", "DT-3", "7"), "DT-3 has no downtime window 7")
    assert counts(ctx) == before
    code, out, _ = run(capsys, *db, "downtime", "rm", "DT-3", "1")
    assert code == 0, out
    assert out.strip() == "removed downtime window 1: Firewall swap"
    code, out, _ = run(capsys, *db, "downtime", "list", "DT-3")
    assert code == 0, out
    assert out.startswith("no downtime windows yet")


def test_bad_input_before_a_database_exists_creates_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "none.db"
    one_line_error(
        run(capsys, "--db", str(db), "downtime", "add", "X-1", "t", "soon", "later"), "start:"
    )
    one_line_error(run(capsys, "--db", str(db), "holidays", "add", "someday"), "date:")
    assert not db.exists()


def test_help_says_the_working_week(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "holidays", "--help")
    assert code == 0, out
    assert code == 0 and "Monday to Friday" in out
