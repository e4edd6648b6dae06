"""The status report preview opened with `r` on Stakeholders: toggles, copy, save, mark as
sent, and report text shown literally."""

from __future__ import annotations

import io
import sys
import types
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, make_app, settle
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from itpm_tui.app import ItpmApp
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.stakeholders import report_audience
from itpm_tui.queries.stakeholders import communication_log, contacts
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.report_preview import ReportPreview, SendPicker, default_file_name
from itpm_tui.services.context import Context

EVIL = "# Report\n[bold]x[/] \x1b]52;c;AAAA\x07 and [link=http://x]y[/link]\n"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str, str]]:
    """Reports rendered by a stand-in, recording what was asked for."""
    calls: list[tuple[int, str, str]] = []

    def render_report(
        db: object,
        project_id: int,
        *,
        today: date,
        audience: str,
        fmt: str,
        closing: bool = False,
        thresholds: RiskThresholds,
    ) -> str:
        assert today == TODAY
        assert thresholds == RiskThresholds()  # the configured bands (defaults here)
        calls.append((project_id, audience, fmt))
        return f"{audience} {fmt}\n" + EVIL

    module = types.ModuleType("itpm_tui.reports")
    module.render_report = render_report  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "itpm_tui.reports", module)
    return calls


def notes(app: ItpmApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def preview_text(app: ItpmApp) -> str:
    return str(app.screen.query_one("#report-text").render())


async def open_preview(pilot: Pilot[None], code: str = "FW-26") -> ReportPreview:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("p", *code, "enter")
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportPreview)
    return screen


async def test_toggles_and_literal_text(
    demo_ctx: Context, rendered: list[tuple[int, str, str]]
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot)
        assert rendered[-1][1:] == ("executive", "md")
        text = preview_text(app)
        assert "[bold]x[/]" in text and "[link=http://x]y[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
        shown = app.screen.query_one("#report-text").render()
        assert not getattr(shown, "spans", [])  # no styles came from the report's text
        await pilot.press("a")
        await settle(pilot)
        assert rendered[-1][1:] == ("technical", "md")
        assert preview_text(app).startswith("technical md")
        await pilot.press("f", "f")
        await settle(pilot)
        assert rendered[-1][1:] == ("technical", "txt")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReportPreview)


async def test_copy_puts_the_report_on_the_clipboard(
    demo_ctx: Context, rendered: list[tuple[int, str, str]]
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        preview = await open_preview(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == preview.text == "executive md\n" + EVIL
        assert any(f"Copied {len(EVIL) + 13:,} characters" in n for n in notes(app))


async def test_save_refuses_to_overwrite_without_asking(
    demo_ctx: Context,
    rendered: list[tuple[int, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot)
        await pilot.press("s")
        box = app.screen.query_one("#save-path", Input)
        assert box.value == "FW-26-status-2026-03-18.md" == default_file_name("FW-26", TODAY, "md")
        await pilot.press("enter")
        await settle(pilot)
        target = tmp_path / "FW-26-status-2026-03-18.md"
        assert target.read_text(encoding="utf-8") == "executive md\n" + EVIL
        saved = f"to {target.resolve()}"  # the full path, not the name typed
        assert any(n.endswith(saved) for n in notes(app)), notes(app)
        target.write_text("keep me", encoding="utf-8")
        await pilot.press("s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")  # the path is still in the box
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "executive md\n" + EVIL


async def test_in_a_browser_save_delivers_the_report_and_writes_no_file(
    demo_ctx: Context,
    rendered: list[tuple[int, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    delivered: list[tuple[str, str | None]] = []

    class WebApp(ItpmApp):
        """The dashboard as `itpm serve` runs it: Textual's web driver sets `is_web`."""

        @property
        def is_web(self) -> bool:
            return True

        def deliver_text(self, path_or_file: object, **kwargs: object) -> str | None:
            assert isinstance(path_or_file, io.StringIO)
            delivered.append((path_or_file.getvalue(), str(kwargs["save_filename"])))
            return "key"

    app = make_app(demo_ctx)
    app.__class__ = WebApp
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot)
        await pilot.press("f", "s")
        await settle(pilot)
        assert delivered == [("executive html\n" + EVIL, "FW-26-status-2026-03-18.html")]
        assert not app.screen.query_one("#save-row").has_class("shown")
        assert any("FW-26-status-2026-03-18.html to your browser" in n for n in notes(app))
    assert list(here.iterdir()) == []  # nothing written on the server's disk


async def test_mark_as_sent_logs_each_chosen_stakeholder(
    demo_ctx: Context, rendered: list[tuple[int, str, str]]
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot, "M365-26")
        await pilot.press("m")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SendPicker)
        chosen = list(picker.query_one(SelectionList).selected)
        on_project = {c.id: c for c in contacts(demo_ctx.db, TODAY) if "M365-26" in c.codes}
        due = {
            i
            for i, c in on_project.items()
            if c.due.needs_update and report_audience(c.kind) == "executive"
        }
        assert set(chosen) == due and due  # executive readers who are due: ticked at first
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReportPreview)
        await pilot.press("escape")
        await settle(pilot)
        await settle(pilot)
    for sid in due:
        newest = communication_log(demo_ctx.db, sid)[0]
        assert newest.summary == "Sent executive status report (md)"
        assert newest.channel == on_project[sid].channel and newest.logged_on == TODAY
        assert newest.project_code == "M365-26" and newest.by == "tester"
    after = {c.id: c for c in contacts(demo_ctx.db, TODAY)}
    assert all(not after[sid].due.needs_update for sid in due)


async def test_a_report_needs_one_project(
    demo_ctx: Context, rendered: list[tuple[int, str, str]]
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("asterisk", "r")
        await settle(pilot)
        assert not isinstance(app.screen, ReportPreview)
        assert any("pick one with p" in n for n in notes(app))


async def test_the_real_report_renders(demo_ctx: Context) -> None:
    pytest.importorskip("itpm_tui.reports")
    app = make_app(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        preview = await open_preview(pilot)
        for _ in range(50):
            if preview.text is not None:
                break
            await pilot.pause(0.05)
        assert preview.text and "FW-26" in preview.text
        await pilot.press("f")
        await settle(pilot)
        for _ in range(50):
            if preview.text is not None:
                break
            await pilot.pause(0.05)
        assert preview.text is not None and "<" in preview.text  # html
        assert "<" in preview_text(app)  # shown as text, not interpreted


async def test_ticks_read_without_colour(
    demo_ctx: Context, rendered: list[tuple[int, str, str]]
) -> None:
    """Each box says whether it is ticked (✓ or blank), not only its colour; space toggles."""
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot, "M365-26")
        await pilot.press("m")
        await settle(pilot)
        ticks = app.screen.query_one(SelectionList)

        def boxes() -> list[str]:
            return [ticks.render_line(y).text[:4] for y in range(ticks.option_count)]

        ticked = [ticks.get_option_at_index(i).value in ticks.selected for i in range(3)]
        assert True in ticked and False in ticked  # the demo has both kinds
        assert [box[1] for box in boxes()[:3]] == ["✓" if t else " " for t in ticked]
        assert not any("X" in box for box in boxes())
        first = ticked[0]
        await pilot.press("space")
        await settle(pilot)
        assert boxes()[0][1] == (" " if first else "✓")


async def test_mark_as_sent_ticks_only_the_reports_audience(
    ctx: Context, rendered: list[tuple[int, str, str]]
) -> None:
    """An executive report is ticked for the client and the sponsor, never for the vendor or
    the engineer; switching to the technical report ticks the other way round."""
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.domain.stakeholders import ContactDraft
    from itpm_tui.services.projects import create_project
    from itpm_tui.services.stakeholders import add_contact

    create_project(ctx, ProjectDraft(code="FW-26", name="Branch office firewall"))
    ids = {
        kind: add_contact(ctx, ContactDraft(name=name, kind=kind, projects="FW-26"))
        for name, kind in [
            ("Maeve", "client decision maker"),
            ("Sam", "sponsor"),
            ("NetCo support", "vendor"),
            ("Lee", "internal engineer"),
        ]
    }
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot)
        await pilot.press("m")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SendPicker)
        ticked = set(picker.query_one(SelectionList).selected)
        assert ticked == {ids["client decision maker"], ids["sponsor"]}
        await pilot.press("escape", "a", "m")  # the technical report
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SendPicker)
        ticked = set(picker.query_one(SelectionList).selected)
        assert ticked == {ids["vendor"], ids["internal engineer"]}


def test_every_stakeholder_type_reads_one_report() -> None:
    from itpm_tui.domain.enums import StakeholderType

    assert {report_audience(k.value) for k in StakeholderType} == {"executive", "technical"}
    assert report_audience("vendor") == "technical"
    assert report_audience("client decision maker") == "executive"
