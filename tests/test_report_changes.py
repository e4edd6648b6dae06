"""The status report lists the approved change requests: title, decided date, cost and
schedule impact, in all three formats, with user text escaped, and the executive report
still fits one page."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from conftest import TODAY
from test_reports import _as_anyone_with_the_file, _crowded_project, flat

from itpm_tui.domain.change_control import ChangeDraft
from itpm_tui.domain.ledger import BudgetLineDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.reports import render_report
from itpm_tui.reports.markdown import escape
from itpm_tui.services.budget_lines import add_budget_line
from itpm_tui.services.change_requests import add_change, approve_change, reject_change
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import ChangeRequest

ISP = "Second ISP line [urgent] <b>now</b> | *both* sites"


def _changes(ctx: Context) -> int:
    """Two approved changes (10 and 18 March), one waiting, one rejected."""
    pid = create_project(ctx, ProjectDraft(code="CR-1", name="Changes"))
    add_budget_line(ctx, pid, BudgetLineDraft("contingency", "", "5000"))
    first = add_change(
        ctx,
        pid,
        ChangeDraft(ISP, date(2026, 3, 2), "Dana", cost_impact="1200", schedule_impact_days="3"),
    )
    second = add_change(
        ctx, pid, ChangeDraft("Drop the wallboard", date(2026, 3, 3), cost_impact="-300")
    )
    add_change(ctx, pid, ChangeDraft("Extra VLANs", date(2026, 3, 4), cost_impact="500"))
    no = add_change(ctx, pid, ChangeDraft("Gold-plated racks", date(2026, 3, 5), cost_impact="9"))
    earlier = Context(ctx.db, "pm-anna", clock=lambda: date(2026, 3, 10))
    approve_change(earlier, first, expected_version=None, category="contingency")
    approve_change(ctx, second, expected_version=None, category="contingency")
    reject_change(ctx, no, expected_version=None)
    return pid


def test_executive_report_lists_approved_changes_latest_first(ctx: Context) -> None:
    pid = _changes(ctx)
    out = render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="txt")
    text = flat(out)
    section = text[text.index("CHANGES APPROVED") :]
    assert section.startswith(
        "CHANGES APPROVED 2 changes approved so far: +EUR 900.00 on the budget, "
        "+3 days on the schedule."
    )
    wallboard = (
        "Drop the wallboard — approved 2026-03-18: −EUR 300.00 on the budget, "
        "no change to the schedule."
    )
    isp = f"{ISP} — approved 2026-03-10: +EUR 1,200.00 on the budget, +3 days on the schedule."
    assert wallboard in section and isp in section
    assert section.index(wallboard) < section.index(isp)  # the latest first
    assert "Gold-plated racks" not in text  # rejected
    assert "Extra VLANs" not in section  # still waiting: under "Decisions needed"
    assert "Extra VLANs" in text


def test_approved_changes_in_markdown_and_html_are_escaped(ctx: Context) -> None:
    pid = _changes(ctx)
    md = render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="md")
    assert "## Changes approved" in md
    assert f"{escape(ISP)} — approved 2026-03-10" in md
    assert "<b>" not in md
    page = render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="html")
    assert f"{html.escape(ISP)} — approved 2026-03-10" in page
    assert "<b>now" not in page
    assert "Changes approved" in page


def test_technical_report_records_who_approved_each_change(ctx: Context) -> None:
    pid = _changes(ctx)
    text = flat(render_report(ctx.db, pid, today=TODAY, audience="technical", fmt="txt"))
    section = text[text.index("CHANGES APPROVED") :]
    assert "by pm-anna on 2026-03-10" in section and "by tester on 2026-03-18" in section
    assert "EUR 1,200.00" in section and "+3 days on the schedule" in section


def test_no_approved_change_no_section(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="CR-2", name="Quiet"))
    out = render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="txt")
    assert "CHANGES APPROVED" not in out


def test_executive_report_with_approved_changes_still_fits_a_page(ctx: Context) -> None:
    pid = _crowded_project(ctx, "Huge " + "name " * 60)
    long = "very " * 40
    with _as_anyone_with_the_file(ctx) as tx:
        for n in range(12):
            tx.create(
                ChangeRequest(
                    project_id=pid,
                    title=f"Approved {n} {long}",
                    requested_by=long,
                    requested_on=date(2026, 3, 2),
                    cost_impact=Decimal("-123456789.12"),
                    schedule_impact_days=-30,
                    status="approved",
                    decided_by=long,
                    decided_on=date(2026, 3, 3 + n),
                )
            )
    out = render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="txt")
    lines = out.splitlines()
    assert len(lines) <= 60 and max(map(len, lines)) <= 80
    text = flat(out)
    assert "12 changes approved so far" in text
    assert "Approved 11" in text  # the latest one is listed
    assert "more change requests." in text and "earlier approved changes." in text


def test_one_approved_change_is_listed_without_a_summary(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="CR-3", name="One"))
    add_budget_line(ctx, pid, BudgetLineDraft("contingency", "", "5000"))
    one = add_change(ctx, pid, ChangeDraft("Extra switch", date(2026, 3, 2), cost_impact="800"))
    approve_change(ctx, one, expected_version=None, category="contingency")
    text = flat(render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="txt"))
    assert (
        "CHANGES APPROVED - Extra switch — approved 2026-03-18: +EUR 800.00 on the budget, "
        "no change to the schedule." in text
    )
    assert "approved so far" not in text
