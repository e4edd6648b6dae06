"""The stand-up kiosk: its rules, its read models, its keys and its command line."""

from __future__ import annotations

import io
import string
from dataclasses import replace
from datetime import date
from datetime import date as D
from decimal import Decimal

import pytest
from conftest import TODAY, settle
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import func, select
from test_cli import assert_one_line_error, itpm

from itpm_tui.cli.standup import READ_ONLY
from itpm_tui.config import Settings
from itpm_tui.domain.calendar import next_week_end, week_end, week_start
from itpm_tui.domain.people import PersonDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.roles import Role
from itpm_tui.domain.standup import (
    MAX_CYCLE,
    MIN_CYCLE,
    parse_cycle,
)
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import NotAllowed
from itpm_tui.queries.standup import active_project_ids, milestones_due, updates_due_by
from itpm_tui.screens.standup import PAGES, StandupApp, StandupScreen
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.people import add_person
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity

# -- rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("1m", 60), ("45", 45), (" 2 min ", 120), ("10SEC", 10)]
)
def test_cycle_takes_seconds_or_minutes(text: str, seconds: int) -> None:
    assert parse_cycle(text) == seconds


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "not a duration"),
        ("1h", "not a duration"),
        ("-5s", "not a duration"),
        ("2s", "out of range"),
        ("61m", "out of range"),
    ],
)
def test_a_bad_cycle_names_the_option_and_the_rule(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_cycle(text)
    assert caught.value.field == "--cycle"
    assert words in str(caught.value)


@given(st.integers(min_value=0, max_value=10 * MAX_CYCLE))
def test_any_number_of_seconds_is_taken_exactly_when_in_range(seconds: int) -> None:
    if MIN_CYCLE <= seconds <= MAX_CYCLE:
        assert parse_cycle(f"{seconds}s") == seconds
    else:
        with pytest.raises(ValidationError):
            parse_cycle(f"{seconds}s")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_the_weeks_run_monday_to_sunday(day: date) -> None:
    assert week_start(day).weekday() == 0 and week_start(day) <= day <= week_end(day)
    assert week_end(day).weekday() == 6 and (week_end(day) - week_start(day)).days == 6
    assert (next_week_end(day) - week_end(day)).days == 7


# -- read models ------------------------------------------------------------------------------


def small_portfolio(ctx: Context) -> dict[str, int]:
    """Two active projects with milestones around Wednesday 18 March 2026, one on hold."""
    ana = add_person(ctx, PersonDraft(name="Ana Ferreira", handle="ana"))
    net = create_project(ctx, ProjectDraft(code="NET", name="Network refresh"))
    mail = create_project(ctx, ProjectDraft(code="MAIL", name="Mail move"))
    held = create_project(ctx, ProjectDraft(code="HOLD", name="Held", status="on hold"))

    def milestone(pid: int, name: str, day: date, owner: int | None = None) -> int:
        draft = TaskDraft(
            name=name, is_milestone=True, planned_start=day, planned_finish=day, assignee_id=owner
        )
        return add_task(ctx, pid, draft)

    milestone(net, "Design signed", D(2026, 3, 11), ana)  # a week late
    milestone(net, "Kick-off", D(2026, 3, 16))  # Monday this week: passed, so late
    milestone(mail, "Pilot live", D(2026, 3, 20), ana)  # Friday this week
    milestone(mail, "All mail moved", D(2026, 3, 27))  # Friday next week
    milestone(mail, "Old server off", D(2026, 4, 3))  # after next week: not shown
    milestone(held, "Held one", D(2026, 3, 19))  # a project on hold is not shown
    add_task(
        ctx,
        net,
        TaskDraft(
            name="Survey",
            planned_start=D(2026, 3, 16),
            planned_finish=D(2026, 3, 20),
            estimate_hours=Decimal(10),
        ),
    )
    return {"net": net, "mail": mail, "held": held, "ana": ana}


def test_milestones_of_this_week_and_next_late_ones_first_with_owners(ctx: Context) -> None:
    ids = small_portfolio(ctx)
    assert active_project_ids(ctx.db) == [ids["mail"], ids["net"]]  # by code
    found = milestones_due(ctx.db, TODAY, next_week_end(TODAY))
    assert [(m.name, m.project_code, m.late, m.days_late, m.owner) for m in found] == [
        ("Design signed", "NET", True, 7, "Ana Ferreira"),
        ("Kick-off", "NET", True, 2, ""),
        ("Pilot live", "MAIL", False, 0, "Ana Ferreira"),
        ("All mail moved", "MAIL", False, 0, ""),
    ]


def test_updates_due_by_the_end_of_the_week_come_most_overdue_first(demo_ctx: Context) -> None:
    found = updates_due_by(demo_ctx.db, TODAY, week_end(TODAY))
    assert found, "the demo owes some updates this week"
    assert all(u.next_due <= week_end(TODAY) for u in found)
    assert [u.next_due for u in found] == sorted(u.next_due for u in found)
    overdue = [u for u in found if u.due.needs_update]
    assert overdue and found[: len(overdue)] == overdue


# -- read-only --------------------------------------------------------------------------------


def kiosk_ctx(ctx: Context) -> Context:
    return replace(ctx, read_only=READ_ONLY)


def test_the_kiosk_acts_as_a_viewer_and_the_services_refuse_its_writes(ctx: Context) -> None:
    assert ctx.identity().role is Role.PROJECT_MANAGER  # an empty team: PM rights
    kiosk = kiosk_ctx(ctx)
    assert kiosk.identity().role is Role.VIEWER
    assert READ_ONLY in kiosk.identity().how
    with pytest.raises(NotAllowed):
        create_project(kiosk, ProjectDraft(code="NOPE", name="Never written"))
    assert active_project_ids(ctx.db) == []


# -- the kiosk on screen ----------------------------------------------------------------------


def kiosk_app(ctx: Context, cycle: float = 60.0, page: int | None = None) -> StandupApp:
    settings = Settings(user="tester", refresh_seconds=0.5)  # type: ignore[call-arg]
    return StandupApp(kiosk_ctx(ctx), settings, cycle=cycle, first_page=page)


def kiosk(app: StandupApp) -> StandupScreen:
    screen = app.screen
    assert isinstance(screen, StandupScreen)
    return screen


def title(app: StandupApp) -> str:
    return str(kiosk(app).query_one("#standup-title").render())


def activity_count(ctx: Context) -> int:
    with ctx.db.read() as session:
        return int(session.exec(select(func.count()).select_from(Activity)).one())


async def test_pages_cycle_by_themselves_and_space_pauses(demo_ctx: Context) -> None:
    app = kiosk_app(demo_ctx, cycle=0.4)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        seen = {kiosk(app).index}
        for _ in range(40):
            await pilot.pause(0.1)
            seen.add(kiosk(app).index)
            if len(seen) >= 3:
                break
        assert len(seen) >= 3, seen
        await pilot.press("space")
        assert "PAUSED" in title(app)
        where = kiosk(app).index
        await pilot.pause(1.2)
        assert kiosk(app).index == where
        await pilot.press("space")
        assert "PAUSED" not in title(app)


async def test_arrows_step_and_number_keys_jump(demo_ctx: Context) -> None:
    app = kiosk_app(demo_ctx)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert title(app).startswith("1 Portfolio health") and "1/6" in title(app)
        assert "Wed 18 Mar 2026" in title(app)
        await pilot.press("right")
        assert kiosk(app).page.slug == "milestones"
        await pilot.press("left", "left")
        assert kiosk(app).page.slug == "updates"  # wraps round
        assert title(app).startswith("6 Stakeholder updates") and "6/6" in title(app)
        await pilot.press("4")
        assert kiosk(app).page.slug == "risks"
        await pilot.press("5")
        assert kiosk(app).page.slug == "changes"
        await pilot.press("7")  # no page 7: nothing happens
        assert kiosk(app).page.slug == "changes"


async def test_stray_keys_do_not_quit_and_ctrl_q_twice_does(demo_ctx: Context) -> None:
    app = kiosk_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q", "escape", "ctrl+c", "ctrl+p")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, StandupScreen)  # no palette, no dialog
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        hint = str(kiosk(app).query_one("#standup-hint").render())
        assert "ctrl+q again" in hint
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_q_presses_far_apart_do_not_quit(demo_ctx: Context) -> None:
    app = kiosk_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._quit_asked = -100.0  # a press long ago
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_no_key_writes_anything(demo_ctx: Context) -> None:
    before = activity_count(demo_ctx)
    app = kiosk_app(demo_ctx)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for page in PAGES:
            await pilot.press(str(page.number))
            for key in [*string.ascii_letters, "enter", "delete", "backspace", "tab", "space"]:
                await pilot.press(key)
            await pilot.press("escape")  # closes the help if `?`-like keys opened anything
            await settle(pilot)
        assert app.is_running
    assert activity_count(demo_ctx) == before


async def test_help_lists_the_kiosk_keys(demo_ctx: Context) -> None:
    from itpm_tui.screens.help import HelpScreen

    app = kiosk_app(demo_ctx)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        described = {b.description for _key, b in help_screen._key_rows()}
        assert {"Pause / resume", "Next page", "Previous page", "Quit (press twice)"} <= described
        assert all(f"Page {p.number}: {p.title}" in described for p in PAGES)
        await pilot.press("escape")
        assert isinstance(app.screen, StandupScreen)


async def test_the_burn_down_page_shows_one_chart_at_a_time_at_80x24(demo_ctx: Context) -> None:
    app = kiosk_app(demo_ctx, page=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        charts = len(active_project_ids(demo_ctx.db))
        assert charts > 1
        assert f"(1/{charts})" in title(app)
        kiosk(app)._tick()  # the cycle steps through the charts before leaving the page
        await pilot.pause()
        assert kiosk(app).page.slug == "burndown" and f"(2/{charts})" in title(app)


async def test_the_day_rolls_over_at_midnight_without_a_write(ctx: Context) -> None:
    days = [TODAY]
    moving = replace(ctx, clock=lambda: days[0])
    app = kiosk_app(moving)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Wed 18 Mar 2026" in title(app)
        days[0] = D(2026, 3, 19)  # midnight: nobody writes, the next poll reads again
        for _ in range(40):
            await pilot.pause(0.1)
            if "Thu 19 Mar 2026" in title(app):
                break
        assert "Thu 19 Mar 2026" in title(app)


# -- command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--cycle", "fast"), "--cycle: 'fast' is not a duration"),
        (("--cycle", "1s"), "--cycle: 1s is out of range"),
        (("--page", "7"), "--page: there is no page 7"),
    ],
)
def test_bad_standup_options_are_one_line_errors(tmp_path, args, needle) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "kiosk.db"
    result = itpm("--db", str(db), "standup", *args)
    assert_one_line_error(result, needle)
    assert not db.exists()  # nothing written


def page_text(app: StandupApp, slug: str) -> str:
    """What a text page draws at its size, as plain text."""
    from rich.console import Console

    widget = kiosk(app).query_one(f"#page-{slug}")
    console = Console(width=widget.size.width or 120, record=True, file=io.StringIO())
    console.print(widget.render())
    return console.export_text()


async def test_late_milestones_are_marked_in_words_first(ctx: Context) -> None:
    small_portfolio(ctx)
    app = kiosk_app(ctx, page=2)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        lines = [line for line in page_text(app, "milestones").splitlines() if line.strip()]
        assert "! late 7d" in lines[1] and "Design signed" in lines[1]
        assert "! late 2d" in lines[2] and "Kick-off" in lines[2]
        assert "Pilot live" in lines[3] and "Old server off" not in "\n".join(lines)


async def test_a_write_elsewhere_shows_while_the_kiosk_cycles(ctx: Context) -> None:
    app = kiosk_app(ctx)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert "No active project" in page_text(app, "health")
        create_project(ctx, ProjectDraft(code="NEW", name="Appeared by itself"))
        for _ in range(40):
            await pilot.pause(0.1)
            if "Appeared by itself" in page_text(app, "health"):
                break
        assert "Appeared by itself" in page_text(app, "health")


async def test_page_5_tells_what_changed_since_the_last_stand_up(demo_ctx: Context) -> None:
    """The demo carries a week of activity: page 5 names its projects and their changes."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    from itpm_tui.queries.changes import load_changes

    feed = load_changes(demo_ctx.db, demo_ctx.today())
    assert feed.projects
    app = kiosk_app(demo_ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert kiosk(app).page.slug == "changes"
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#page-changes", Static).render())
        shown = console.export_text()
        assert all(p.code in shown for p in feed.projects if p.code)
        assert feed.projects[0].lines[0].plain()[:30] in shown
