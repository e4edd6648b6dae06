"""The Projects screen driven by keys, on a real database file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_app, settle
from sqlmodel import select
from textual.widgets import Input

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.conflict import ConflictDialog
from itpm_tui.screens.help import HelpScreen
from itpm_tui.screens.project_form import ProjectForm
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project, update_project
from itpm_tui.storage.models import Activity, Project
from itpm_tui.widgets.portfolio_table import PortfolioTable


def table_of(app: object) -> PortfolioTable:
    return app.screen.query_one(PortfolioTable)  # type: ignore[attr-defined]


def codes(app: object) -> list[str]:
    table = table_of(app)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


def small_portfolio(ctx: Context) -> None:
    for code, name in [
        ("NET-1", "Core switch refresh"),
        ("VOIP-2", "VoIP migration"),
        ("FW-3", "Firewall upgrade"),
    ]:
        create_project(ctx, ProjectDraft(code=code, name=name, client="ACME"))


async def test_portfolio_rows_show_health_and_progress(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert table.row_count >= 6
        rows = app.screen.rows  # type: ignore[attr-defined]
        text = " ".join(str(table.get_cell(str(r.id), "health")) for r in rows)
        assert "RED" in text and "AMBER" in text and "GREEN" in text


async def test_filter_as_you_type_and_escape_clears(ctx: Context) -> None:
    small_portfolio(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "v", "o", "i", "p")
        assert codes(app) == ["VOIP-2"]
        await pilot.press("escape")
        assert sorted(codes(app)) == ["FW-3", "NET-1", "VOIP-2"]
        assert app.screen.query_one("#filter", Input).value == ""


async def test_sort_keys_and_reverse(ctx: Context) -> None:
    small_portfolio(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        while table.sort_key != "code":
            await pilot.press("s")
        assert codes(app) == ["FW-3", "NET-1", "VOIP-2"]
        await pilot.press("r")
        assert codes(app) == ["VOIP-2", "NET-1", "FW-3"]


async def test_enter_opens_detail_with_scope(ctx: Context) -> None:
    create_project(
        ctx,
        ProjectDraft(
            code="CL-1",
            name="Mail to cloud",
            objective="Move 400 mailboxes",
            scope="[b]all[/b] sites",
        ),
    )
    app = make_app(ctx)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        area = app.screen.query_one("#detail")
        assert area.has_class("shown")
        detail = app.screen.query_one("#detail-text")
        assert app.screen.detail_open  # type: ignore[attr-defined]
        assert "Move 400 mailboxes" in _plain(detail) and "[b]all[/b] sites" in _plain(detail)
        await pilot.press("escape")
        assert not area.has_class("shown")


def _plain(widget: object) -> str:
    from rich.console import Console

    console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.shown)  # type: ignore[attr-defined]
    return console.export_text()


async def test_new_project_form_shows_errors_beside_fields_then_saves(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        form.query_one("#code", Input).value = "9bad"
        form.query_one("#end_date", Input).value = "2026-01-01"
        form.query_one("#start_date", Input).value = "2026-02-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProjectForm)
        errors = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert set(errors) == {"err-code", "err-name", "err-end_date"}
        assert "must not be before start date" in errors["err-end_date"]
        with ctx.db.read() as session:
            assert session.exec(select(Project)).all() == []
        form.query_one("#code", Input).value = "OFF-9"
        form.query_one("#name", Input).value = "Office move [phase 2]"
        form.query_one("#end_date", Input).value = "2026-06-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        await settle(pilot)
        assert codes(app) == ["OFF-9"]
    with ctx.db.read() as session:
        log = session.exec(select(Activity)).all()
    assert [(a.user, a.action) for a in log] == [("tester", "create")]


async def test_edit_refuses_a_stale_save(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="SRV-1", name="Servers"))
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        colleague = Context(ctx.db, "bob")
        update_project(colleague, pid, ProjectDraft(code="SRV-1", name="Servers (Bob)"), 1)
        form.query_one("#name", Input).value = "Servers (mine)"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)  # what Bob changed, and a choice
        await pilot.press("escape")  # neither: back to the form, the typing kept
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#name", Input).value == "Servers (mine)"
        assert "changed by someone else" in str(form.query_one("#form-error").render())
    with ctx.db.read() as session:
        assert session.get(Project, pid).name == "Servers (Bob)"  # type: ignore[union-attr]


async def test_archive_asks_first_then_hides(ctx: Context) -> None:
    small_portfolio(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = codes(app)[0]
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert len(codes(app)) == 3
        await pilot.press("a", "y")
        app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert first not in codes(app) and len(codes(app)) == 2
        await pilot.press("v")
        await settle(pilot)
        assert first in codes(app)


LIVE_WRITER = """
import sys
from pathlib import Path
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.database import open_database, sqlite_url
ctx = Context(open_database(sqlite_url(Path(sys.argv[1]))), "technician")
create_project(ctx, ProjectDraft(code="AAA-0", name="Written by another process"))
"""


async def test_changes_from_another_process_appear_keeping_selection(
    ctx: Context, db_path: Path
) -> None:
    small_portfolio(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(app)
        while table.sort_key != "code":
            await pilot.press("s")
        await pilot.press("down")
        selected = table.selected_id
        subprocess.run([sys.executable, "-c", LIVE_WRITER, str(db_path)], check=True)
        for _ in range(100):
            await pilot.pause(0.05)
            if "AAA-0" in codes(app):
                break
        assert codes(app)[0] == "AAA-0"
        assert table.selected_id == selected


async def test_user_text_is_shown_literally(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="EV-1", name="Evil"))
    with ctx.db.write() as session:  # as anyone with the file could: every way in refuses it
        session.get_one(Project, pid).name = "[bold red]Evil[/] \x1b]52;c;aGk=\x07 x"
    app = make_app(ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        name = table_of(app).get_row_at(0)[1]
        assert name.plain.startswith("[bold red]Evil[/]")
        assert "\x1b" not in name.plain and not name.spans


async def test_help_lists_the_keys(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ProjectsScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_screen_keys_without_a_screen_do_nothing(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in "190":  # 1–7 are screens (no 8 yet), 9 and 0 are nothing
            await pilot.press(key)
            assert isinstance(app.screen, ProjectsScreen)


async def test_palette_finds_projects_by_name(ctx: Context) -> None:
    small_portfolio(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        from itpm_tui.commands import ItpmCommands

        provider = ItpmCommands(app.screen)
        await provider.startup()  # the palette runs it when it opens: it reads the projects
        hits = [hit.text async for hit in provider.search("voip")]
        assert any("VOIP-2" in str(h) for h in hits)
        assert any(
            "Go to Timeline" in str(h) for h in [hit.text async for hit in provider.search("timel")]
        )


async def test_configured_risk_bands_decide_health(ctx: Context) -> None:
    """A risk scoring 16 is critical by default; with risk_critical = 20 it is only high."""
    from itpm_tui.storage.models import Risk

    small_portfolio(ctx)
    with ctx.transaction() as tx:
        project = tx.session.exec(select(Project).where(Project.code == "FW-3")).one()
        tx.create(Risk(project_id=project.id, title="Licence audit", probability=4, impact=4))
    for settings, expected in (({}, "1 critical risk"), ({"risk_critical": 20}, "1 high risk")):
        app = make_app(ctx, **settings)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            row = next(r for r in app.screen.rows if r.code == "FW-3")  # type: ignore[attr-defined]
            assert row.health_reason == expected


async def test_an_empty_portfolio_says_how_to_start(ctx: Context) -> None:
    from itpm_tui.screens.projects import empty_guide

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        guide = app.screen.query_one("#empty")
        assert guide.display and guide.region.height > 0
        shown = empty_guide(archived_shown=False).plain
        assert "n          creates your first project" in shown
        assert "itpm demo" in shown and "sample portfolio" in shown
        await pilot.press("n", *"FW-26", "tab", *"Edge", "ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert codes(app) == ["FW-26"]
        assert not app.screen.query_one("#empty").display  # a project: the table speaks


@pytest.mark.parametrize("width", [80, 120, 160, 200, 240, 300])
def test_wide_terminals_give_the_room_to_names_first(width: int) -> None:
    from itpm_tui.widgets.keyed_table import PADDING, SCROLLBAR, column_widths
    from itpm_tui.widgets.portfolio_table import COLUMNS

    shown = [c for c in COLUMNS if c.fits(width)]
    widths = column_widths(shown, width)
    used = sum((widths[c.key] or c.usual) + PADDING for c in shown) + SCROLLBAR
    if width >= 120:  # narrower, the key columns stay at their narrowest and may scroll
        assert used <= width
    name = widths["name"]
    assert name is not None
    if width >= 240:
        assert name == 48 and widths["milestone"] is not None and widths["milestone"] > 26
    if width < 120:
        assert name == 20


async def test_a_tall_screen_shows_the_week_and_the_selected_project(demo_ctx: Context) -> None:
    """From 40 rows the week's milestones and updates due, and the selected project's detail
    with its burn-down, fill the room below the table; enter hides the detail for good."""
    from textual.widgets import Static

    from itpm_tui.domain.calendar import week_end
    from itpm_tui.queries.standup import milestones_due, updates_due_by

    app = make_app(demo_ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        today = demo_ctx.today()
        milestones = milestones_due(demo_ctx.db, today, week_end(today))
        updates = updates_due_by(demo_ctx.db, today, week_end(today))
        assert milestones and updates  # the demo has both this week
        shown = str(app.screen.query_one("#glance-milestones", Static).render())
        assert all(m.name in shown for m in milestones)
        shown = str(app.screen.query_one("#glance-updates", Static).render())
        assert all(u.name in shown for u in updates)
        assert app.screen.query_one("#detail").has_class("shown")
        await pilot.press("enter")
        await pilot.resize_terminal(200, 61)
        await settle(pilot)
        assert not app.screen.query_one("#detail").has_class("shown")


async def test_a_short_screen_keeps_the_table_alone(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 39)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#glance").display
        assert not app.screen.query_one("#detail").has_class("shown")


async def test_the_filter_over_many_projects_keeps_the_panes_below_still(ctx: Context) -> None:
    """Typing and erasing a filter over 120 projects on a tall screen: the table shows
    exactly the matching rows at each key, the table keeps the height it had when the
    filter opened (the week's glance, the detail and the burn-down below are not laid out
    again at each key), and closing the filter gives the table back its own height."""
    from itpm_tui.widgets.portfolio_table import matches

    for n in range(120):
        name = "Core switch refresh" if n % 3 else "VoIP migration"
        create_project(ctx, ProjectDraft(code=f"P{n:04d}", name=name, client="ACME"))
    app = make_app(ctx, refresh_seconds=60)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        table = table_of(app)
        await pilot.press("slash")
        await settle(pilot)
        height = table.outer_size.height
        assert height > 10
        every = {r.code: r for r in screen.rows}
        typed = ""
        for key in ["P", "0", "0", "9", "backspace", "backspace", "backspace", "backspace"]:
            await pilot.press(key)
            await pilot.pause()
            typed = typed[:-1] if key == "backspace" else typed + key
            expected = sorted(c for c, r in every.items() if matches(r, typed))
            assert sorted(codes(app)) == expected, typed
            assert table.outer_size.height == height, typed
        await pilot.press("v", "o", "i", "p")
        await pilot.pause()
        assert len(codes(app)) == 40
        assert table.outer_size.height == height
        await pilot.press("escape")
        await settle(pilot)
        assert len(codes(app)) == 120
        assert not table.styles.inline.has_rule("height")  # its own height again
