"""The stand-up kiosk narrowed and ordered: `--projects`, `--pages`, the number keys that
jump by place, the wall-screen blocks, and every live screen rolling over at midnight."""

from __future__ import annotations

from dataclasses import replace
from datetime import date as D
from datetime import timedelta

import pytest
from conftest import TODAY, make_app, settle
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import func, select
from test_cli import assert_one_line_error, itpm
from test_standup import kiosk, kiosk_ctx, page_text, small_portfolio, title

from itpm_tui.config import Settings
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.standup import parse_pages, parse_project_codes
from itpm_tui.domain.validation import ValidationError
from itpm_tui.screens.standup import (
    PAGES,
    StandupApp,
    choose_pages,
    page_slugs,
    read_changes,
    read_risks,
    read_updates,
)
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import Activity

SLUGS = page_slugs()

# -- rules ------------------------------------------------------------------------------------


def test_pages_are_all_of_them_in_order_unless_chosen() -> None:
    assert parse_pages(None, SLUGS) == SLUGS
    assert parse_pages(" Risks , health ", SLUGS) == ["risks", "health"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("health,nope", "there is no page 'nope'; the pages are health, milestones"),
        (" , ", "name at least one page"),
        ("health,Health", "name each page once"),
    ],
)
def test_a_bad_page_list_names_the_option_and_the_valid_pages(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_pages(text, SLUGS)
    assert caught.value.field == "--pages" and words in str(caught.value)


@given(st.permutations(SLUGS), st.integers(min_value=1, max_value=len(SLUGS)))
def test_any_order_of_any_pages_is_kept(order: list[str], count: int) -> None:
    chosen = order[:count]
    assert parse_pages(",".join(s.upper() for s in chosen), SLUGS) == chosen
    assert [p.slug for p in choose_pages(chosen)] == chosen


def test_project_codes_are_upper_case_and_once() -> None:
    assert parse_project_codes("net, mail,NET") == ["NET", "MAIL"]
    with pytest.raises(ValidationError) as caught:
        parse_project_codes(" ,")
    assert caught.value.field == "--projects"


# -- command line -----------------------------------------------------------------------------


def activity_count(ctx: Context) -> int:
    with ctx.db.read() as session:
        return int(session.exec(select(func.count()).select_from(Activity)).one())


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--pages", "health,gantt"), "--pages: there is no page 'gantt'; the pages are health"),
        (("--pages", "risks,health", "--page", "3"), "--page: there is no page 3"),
        (("--projects", "NET"), "no database at"),  # read-only: a missing file is said first
    ],
)
def test_bad_choices_are_one_line_errors_and_create_no_file(tmp_path, args, needle) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "kiosk.db"
    result = itpm("--db", str(db), "standup", *args)
    assert_one_line_error(result, needle)
    assert not db.exists()


def test_an_unknown_project_code_is_named_and_nothing_is_written(ctx: Context, db_path) -> None:  # type: ignore[no-untyped-def]
    create_project(ctx, ProjectDraft(code="NET", name="Network refresh"))
    before = activity_count(ctx)
    result = itpm("--db", str(db_path), "standup", "--projects", "net,Mail")
    assert_one_line_error(result, "--projects: there is no project MAIL")
    assert activity_count(ctx) == before  # not even the stand-up's mark


# -- the kiosk on screen ----------------------------------------------------------------------


def chosen_app(
    ctx: Context, slugs: list[str] | None = None, scope: frozenset[str] | None = None
) -> StandupApp:
    settings = Settings(user="tester", refresh_seconds=0.5)  # type: ignore[call-arg]
    pages = choose_pages(slugs) if slugs else PAGES
    return StandupApp(kiosk_ctx(ctx), settings, cycle=60.0, pages=pages, scope=scope)


async def test_chosen_pages_come_in_their_order_and_numbers_jump_by_place(
    demo_ctx: Context,
) -> None:
    from itpm_tui.screens.help import HelpScreen

    app = chosen_app(demo_ctx, ["risks", "updates", "health"])
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert title(app).startswith("1 Top risks") and "1/3" in title(app)
        await pilot.press("3")
        assert kiosk(app).page.slug == "health"
        assert title(app).startswith("3 Portfolio health") and "3/3" in title(app)
        await pilot.press("4")  # no fourth page shown: nothing happens
        assert kiosk(app).page.slug == "health"
        await pilot.press("right")
        assert kiosk(app).page.slug == "risks"  # wraps round the chosen pages only
        await pilot.press("2")
        assert kiosk(app).page.slug == "updates"
        assert "1-3 jump" in str(kiosk(app).query_one("#standup-hint").render())
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {b.description for _key, b in app.screen._key_rows()}
        assert {"Page 1: Top risks and issues", "Page 3: Portfolio health"} <= described
        assert not any(d.startswith("Page 4") for d in described)


async def test_projects_narrow_every_page(ctx: Context) -> None:
    small_portfolio(ctx)
    app = chosen_app(ctx, scope=frozenset({"MAIL"}))
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert "MAIL" in title(app)
        health = page_text(app, "health")
        assert "Mail move" in health and "Network refresh" not in health
        await pilot.press("2")
        milestones = page_text(app, "milestones")
        assert "Pilot live" in milestones and "Design signed" not in milestones
        await pilot.press("3")
        await settle(pilot)
        assert [b.code for b in kiosk(app).query_one("#page-burndown").burns] == ["MAIL"]  # type: ignore[attr-defined]


def test_the_read_models_keep_only_the_projects_chosen(demo_ctx: Context) -> None:
    scope = frozenset({"FW-26"})
    updates = read_updates(demo_ctx, TODAY, scope)
    everyone = read_updates(demo_ctx, TODAY, None)
    assert updates.updates and len(updates.updates) < len(everyone.updates)
    assert all("FW-26" in u.projects.split(", ") for u in updates.updates)
    assert updates.contacted and all(c.project_code == "FW-26" for c in updates.contacted)
    risks = read_risks(demo_ctx, TODAY, scope)
    assert risks.risks and all(r.project_code == "FW-26" for r in risks.risks)
    changes = read_changes(demo_ctx, TODAY, scope)
    assert [p.code for p in changes.projects] == ["FW-26"]


async def test_a_wall_screen_adds_the_later_milestones_and_the_updates_given(
    demo_ctx: Context,
) -> None:
    app = chosen_app(demo_ctx, ["milestones", "updates", "risks"])
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        shown = page_text(app, "milestones")
        assert "Later: to" in shown and "in 2 days" in shown
        lines = shown.rstrip().splitlines()
        assert len(lines) > 40, "the page uses most of the screen's 58 lines"
        await pilot.press("2")
        shown = page_text(app, "updates")
        assert "Updates given lately" in shown
        assert len(shown.rstrip().splitlines()) > 40
        await pilot.press("3")
        assert "↳ mitigation: " in page_text(app, "risks")  # each risk's second line
    small = chosen_app(demo_ctx, ["milestones", "updates", "risks"])
    async with small.run_test(size=(80, 24)) as pilot:  # one thing per page on a laptop
        await settle(pilot)
        assert "Later: to" not in page_text(small, "milestones")
        await pilot.press("2")
        assert "Updates given lately" not in page_text(small, "updates")
        await pilot.press("3")
        assert "mitigation" not in page_text(small, "risks")


# -- midnight on any live screen --------------------------------------------------------------


async def test_a_dashboard_left_open_rolls_over_at_midnight(demo_ctx: Context) -> None:
    """Stakeholders says "in 2 days" on Wednesday and "in 1 day" on Thursday, though
    nobody wrote to the database in between."""
    from test_stakeholders import open_all, screen_of

    days = [TODAY]
    moving = replace(demo_ctx, clock=lambda: days[0])
    app = make_app(moving)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_all(pilot)
        screen = screen_of(app)
        friday = TODAY + timedelta(days=2)
        due = [c for c in screen.contacts_table.rows_shown if c.next_due == friday]
        assert due and due[0].due.words() == "in 2 days"
        name = due[0].name
        days[0] = D(2026, 3, 19)
        for _ in range(50):
            await pilot.pause(0.1)
            now = next(c for c in screen.contacts_table.rows_shown if c.name == name)
            if now.due.words() != "in 2 days":
                break
        assert now.due.words() == "in 1 day"


# -- colours ----------------------------------------------------------------------------------


def test_the_command_reads_the_terminal_colours_like_the_dashboard(
    ctx: Context, db_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """`itpm standup` on a 16-colour terminal (TERM=xterm over SSH) gets the ANSI theme,
    as `itpm` does, and the options reach the kiosk."""
    from itpm_tui.cli import main

    create_project(ctx, ProjectDraft(code="NET", name="Network refresh"))
    seen: dict[str, object] = {}

    def run(app: StandupApp) -> None:  # the terminal is not the test's: look, do not run
        seen.update(theme=app._theme_name, pages=app.pages, scope=app.scope)

    monkeypatch.setattr(StandupApp, "run", run)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    main(["--db", str(db_path), "standup", "--projects", "net", "--pages", "risks,health"])
    assert seen["theme"] == "itpm-ansi"
    assert [p.slug for p in seen["pages"]] == ["risks", "health"]  # type: ignore[attr-defined]
    assert seen["scope"] == frozenset({"NET"})


async def test_the_kiosk_runs_in_the_16_colour_theme(demo_ctx: Context) -> None:
    settings = Settings(user="tester", refresh_seconds=0.5)  # type: ignore[call-arg]
    app = StandupApp(kiosk_ctx(demo_ctx), settings, env={"TERM": "xterm"})
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.theme == "itpm-ansi"
        for page in PAGES:
            await pilot.press(str(page.number))
            await settle(pilot)
            assert kiosk(app).page.slug == page.slug  # every page draws in it


def test_recent_contacts_are_the_log_since_a_day_newest_first(demo_ctx: Context) -> None:
    from itpm_tui.queries.standup import recent_contacts

    since = TODAY - timedelta(days=14)
    found = recent_contacts(demo_ctx.db, since)
    assert found and all(since <= c.logged_on <= TODAY for c in found)
    assert [c.logged_on for c in found] == sorted((c.logged_on for c in found), reverse=True)
    assert recent_contacts(demo_ctx.db, TODAY + timedelta(days=1)) == []
