"""Reading what was sent: a logged contact opened in full from the Stakeholders screen's log,
by keys — the e-mailed report exactly as stored, literal, scrollable, closed by escape."""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from sqlmodel import col
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from itpm_tui.mail.message import rendered
from itpm_tui.queries.stakeholders import contacts, logged_text
from itpm_tui.reports import report_document
from itpm_tui.reports.data import project_id_for_code
from itpm_tui.screens.contact_text import ContactText
from itpm_tui.screens.stakeholders import StakeholdersScreen
from itpm_tui.services.context import Context
from itpm_tui.services.stakeholders import record_email_sent
from itpm_tui.storage.models import CommunicationEntry

STEFAN = "s.brandt@nordwind-logistics.de"
#: Markup, an escape sequence and many lines: shown as typed, scrolled through.
TRICKY = "[bold red]not bold[/] \x1b[31m still plain\n" + "".join(
    f"line {n}: cut-over step {n}\n" for n in range(1, 81)
)


def _store_body(ctx: Context, entry_id: int, body: str) -> None:
    """Put `body` in the stored text as another program editing the file could: past the
    service's rule that refuses control characters, so the screen's own defence is tested."""
    from sqlalchemy import update

    with ctx.db.write() as session:
        session.execute(
            update(CommunicationEntry)
            .where(col(CommunicationEntry.id) == entry_id)
            .values(body=body)
        )


def _email_logged(ctx: Context, body: str) -> int:
    """Stefan's FW-26 report e-mailed today, as `itpm send` logs it."""
    pid = project_id_for_code(ctx.db, "FW-26")
    stefan = next(c for c in contacts(ctx.db, ctx.today()) if c.email == STEFAN)
    return record_email_sent(ctx, pid, stefan.id, audience="executive", body=body)


def _report_text(ctx: Context) -> str:
    pid = project_id_for_code(ctx.db, "FW-26")
    return rendered(report_document(ctx.db, pid, today=ctx.today(), audience="executive"))[0]


async def _to_stefan(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("p", *"FW-26", "enter")
    await settle(pilot)
    await pilot.press("slash", *"Stefan", "enter")
    await settle(pilot)


def _viewer(pilot: Pilot[None]) -> ContactText:
    screen = pilot.app.screen
    assert isinstance(screen, ContactText), screen
    return screen


def _shown(viewer: ContactText, part: str) -> str:
    return str(viewer.query_one(f"#contact-text-{part}", Static).render())


async def test_v_opens_the_emailed_text_literally_scrolls_and_escape_closes(
    demo_ctx: Context,
) -> None:
    entry = _email_logged(demo_ctx, "the report")
    _store_body(demo_ctx, entry, TRICKY)
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_stefan(pilot)
        stakeholders = app.screen
        assert isinstance(stakeholders, StakeholdersScreen)
        assert stakeholders.contacts_table.selected_row is not None
        assert stakeholders.contacts_table.selected_row.email == STEFAN
        assert stakeholders.log_table.selected_row is not None
        assert stakeholders.log_table.selected_row.id == entry  # the newest first
        await pilot.press("v")
        await settle(pilot)
        viewer = _viewer(pilot)
        assert "Contact with Stefan Brandt" in _shown(viewer, "title")
        assert "FW-26" in _shown(viewer, "title") and "e-mail" in _shown(viewer, "title")
        assert _shown(viewer, "summary") == f"E-mailed executive status report to {STEFAN}"
        assert "the status report e-mailed" in _shown(viewer, "what")
        body = _shown(viewer, "body")
        # Markup is not read and the escape is a visible mark, never sent to the terminal.
        assert body.startswith("[bold red]not bold[/] \\x1b[31m still plain\nline 1:")
        assert "\x1b" not in body and body.rstrip("\n").endswith("line 80: cut-over step 80")
        scroll = viewer.query_one("#contact-text-scroll", VerticalScroll)
        assert scroll.has_focus and scroll.scroll_y == 0 and scroll.max_scroll_y > 40
        await pilot.press("pagedown")
        await settle(pilot)
        assert scroll.scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is stakeholders


async def test_enter_in_the_log_opens_an_older_entry_logged_by_hand(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_stefan(pilot)
        stakeholders = app.screen
        assert isinstance(stakeholders, StakeholdersScreen)
        for _ in range(3):  # past the grid to the log
            if stakeholders.log_table.has_focus:
                break
            await pilot.press("tab")
            await settle(pilot)
        assert stakeholders.log_table.has_focus
        await pilot.press("down", "enter")  # the second entry: the older weekly status
        await settle(pilot)
        viewer = _viewer(pilot)
        assert viewer.logged.row.summary.startswith("Weekly status: rule-base migration")
        assert _shown(viewer, "summary") == viewer.logged.row.summary
        assert "only the summary was logged" in _shown(viewer, "what")
        assert _shown(viewer, "body") == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is stakeholders
        assert "stakeholders.read" in {
            b.binding.id for b in stakeholders.active_bindings.values() if b.binding.show
        }  # in the footer


def test_the_stored_text_is_read_one_entry_at_a_time(demo_ctx: Context) -> None:
    text = _report_text(demo_ctx)
    entry = _email_logged(demo_ctx, text)
    logged = logged_text(demo_ctx.db, entry)
    assert logged is not None
    assert logged.body == text and logged.kind == "update"
    assert logged.stakeholder == "Stefan Brandt" and logged.row.project_code == "FW-26"
    assert logged_text(demo_ctx.db, entry + 1000) is None


async def _reading_the_report(pilot: Pilot[None]) -> None:
    await _to_stefan(pilot)
    await pilot.press("v")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])
def test_reading_an_emailed_report(  # type: ignore[no-untyped-def]
    snap_compare, demo_ctx: Context, size: tuple[int, int]
) -> None:
    _email_logged(demo_ctx, _report_text(demo_ctx))
    assert snap_compare(make_app(demo_ctx), terminal_size=size, run_before=_reading_the_report)
