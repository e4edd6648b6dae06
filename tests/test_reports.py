"""Status and closing reports: what they say about the demo portfolio, in all three formats
for both audiences, and that no user text can change their structure or reach a terminal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from conftest import TODAY
from sqlalchemy import func, select
from sqlmodel import col

from itpm_tui.domain.earned_value import describe
from itpm_tui.domain.enums import EntryKind, TaskStatus
from itpm_tui.domain.money import format_money
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import NotFoundError
from itpm_tui.queries.budget import budget_summary
from itpm_tui.reports import (
    AUDIENCES,
    REPORT_FORMATS,
    project_id_for_code,
    render_report,
    report_filename,
)
from itpm_tui.reports.markdown import escape
from itpm_tui.services.context import Context
from itpm_tui.storage.models import (
    BudgetLine,
    ChangeRequest,
    Deliverable,
    DowntimeWindow,
    LedgerEntry,
    Person,
    Project,
    Risk,
    Task,
)

HOSTILE = "<script>alert(1)</script>"
QUOTES = "\"&<>'"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
PIPES = "a | b *c* _d_ [x](y) `e`"
JARGON = ("CPI", "SPI", "EAC", "ETC", "VAC", "TCPI", "BAC", "WBS", "Earned value", "earned value")
DEMO_CODES = ("FW-26", "VOIP-25", "M365-26", "MOVE-26", "NET-26", "LAP-26", "SRV-25")


def report(ctx: Context, code: str, audience: str, fmt: str, closing: bool = False) -> str:
    pid = project_id_for_code(ctx.db, code)
    return render_report(ctx.db, pid, today=TODAY, audience=audience, fmt=fmt, closing=closing)


def flat(text: str) -> str:
    """Whitespace collapsed, so wrapped text can be searched for a sentence; the cells of
    text tables (wrapped inside their columns) are added whole."""
    return " ".join([*text.split(), *text_table_cells(text)])


def text_table_cells(text: str) -> list[str]:
    """Every cell of every 80-column table, its wrapped lines joined again.

    A table is a header, a rule of dashes ("----  ---") and rows up to a blank line; a row
    starts on a line with a date, an amount or a dash in some column (those never wrap).
    """
    anchor = re.compile(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?|-?[\d,]+\.\d\d|-?[\d.]+%|—")
    lines = text.splitlines()
    cells: list[str] = []
    for i, rule in enumerate(lines):
        if not re.fullmatch(r"-+(  -+)+", rule):
            continue
        spans = [m.span() for m in re.finditer(r"-+", rule)]
        rows: list[list[str]] = []
        for line in lines[i + 1 :]:
            if not line.strip():
                break
            if re.fullmatch(r"-+(  -+)+", line):
                continue
            parts = [line[a:b].strip() for a, b in spans]
            if not rows or any(anchor.fullmatch(p) for p in parts):
                rows.append(parts)
            else:
                rows[-1] = [
                    f"{old} {new}".strip() for old, new in zip(rows[-1], parts, strict=True)
                ]
        cells += [" ".join(c.split()) for row in rows for c in row]
    return cells


def budget_total(ctx: Context, code: str) -> Decimal:
    with ctx.db.read() as session:
        pid = project_id_for_code(ctx.db, code)
        amounts = session.execute(
            select(col(BudgetLine.amount)).where(col(BudgetLine.project_id) == pid)
        ).scalars()
        return sum(amounts, Decimal(0))


def next_milestone(ctx: Context, code: str) -> tuple[str, date]:
    pid = project_id_for_code(ctx.db, code)
    with ctx.db.read() as session:
        rows = session.execute(
            select(col(Task.name), col(Task.planned_finish))
            .where(
                col(Task.project_id) == pid,
                col(Task.is_milestone) == True,  # noqa: E712
                col(Task.status) != TaskStatus.DONE.value,
            )
            .order_by(col(Task.planned_finish))
        ).all()
    return rows[0][0], rows[0][1]


def wbs_codes(ctx: Context, code: str) -> list[str]:
    from itpm_tui.queries.timeline import load_timeline

    timeline = load_timeline(ctx.db, project_id_for_code(ctx.db, code))
    assert timeline is not None
    return [t.wbs for t in timeline.tasks if "." in t.wbs]


# --- content, every format and audience ----------------------------------------------------


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_status_report_of_the_firewall_project(demo_ctx: Context, audience: str, fmt: str) -> None:
    out = report(demo_ctx, "fw-26", audience, fmt)
    text = flat(out)
    assert "FW-26 — Firewall upgrade to FortiGate HA" in text
    assert "as of 2026-03-18" in text
    assert "Green — on track" in text
    assert "70%" in text  # percent complete, as on the Projects screen
    assert "Execution" in text

    # Budget: the total is the sum of the project's budget lines (38,500 + 9,200 + 6,000 +
    # 5,000 + the computed labour line 25,500).
    total = budget_total(demo_ctx, "FW-26")
    assert total == Decimal("84200")
    shown = "84,200.00"
    assert shown in text
    assert format_money(Decimal("62740.50"), "EUR", symbol=False) in text  # actual
    assert "4,800.00" in text  # committed: the reseller's purchase order

    # The plain-language lines of earned value, as the Budget screen words them (for an
    # executive without "in value terms").
    summary = budget_summary(demo_ctx.db, project_id_for_code(demo_ctx.db, "FW-26"), TODAY)
    assert summary.ev is not None
    for line in describe(summary.ev, "EUR"):
        if audience == "executive":
            line = line.replace("in value terms", "for the work planned so far")
        assert flat(line) in text

    # Milestones: the next one is the earliest not done, with its date.
    name, due = next_milestone(demo_ctx, "FW-26")
    assert name == "HQ live on FortiGate" and due == date(2026, 3, 20)
    assert name in text and due.isoformat() in text
    assert "Design signed off" in text  # done
    assert "2026-02-19" in text

    # Risks: the top open risk with its band and plan.
    assert "Scanner traffic breaks on the new NAT rules" in text
    assert "medium" in text
    assert "Replay a day of captured scanner traffic" in text
    assert "No change requests are waiting for a decision." in text


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_executive_report_has_no_jargon_and_no_wbs_codes(demo_ctx: Context, fmt: str) -> None:
    for code in DEMO_CODES:
        out = report(demo_ctx, code, "executive", fmt)
        out = re.sub(r"<style>.*</style>", "", out, flags=re.S)  # CSS numbers are not WBS codes
        for word in JARGON:
            assert word not in out, (code, word)
        for wbs in wbs_codes(demo_ctx, code):
            assert not re.search(rf"(?<![\w.,]){re.escape(wbs)}(?![\w.])", out), (code, wbs)


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_technical_report_adds_metrics_work_downtime_and_every_risk(
    demo_ctx: Context, fmt: str
) -> None:
    text = flat(report(demo_ctx, "FW-26", "technical", fmt))
    for metric in ("PV", "EV", "AC", "SV", "CV", "SPI", "CPI", "EAC", "ETC", "VAC", "TCPI"):
        assert re.search(rf"\b{metric}\b", text), metric
    summary = budget_summary(demo_ctx.db, project_id_for_code(demo_ctx.db, "FW-26"), TODAY)
    assert summary.ev is not None and summary.ev.cpi is not None
    assert f"{summary.ev.cpi:.2f}" in text  # 0.94
    # Work in progress with its assignee and dates.
    assert "Penetration test of the new edge" in text and "Emma Laurent" in text
    # The coming downtime windows, in the site's local time.
    assert "HQ cut-over night" in text and "2026-03-20 22:00" in text
    assert "Swap depot firewalls" in text
    # Every risk, with owner and trigger, closed or not.
    for title, owner, trigger in (
        ("Scanner traffic breaks", "Priya Nair", "Scanner error rate above 1 %"),
        ("Depot internet line flaps", "Lukas Meyer", "Line down for more than 10 minutes"),
        ("VPN users miss the migration", "Emma Laurent", "More than 10 VPN tickets"),
    ):
        assert title in text and owner in text and trigger in text


def test_technical_report_shows_blocked_work_and_why(demo_ctx: Context) -> None:
    text = flat(report(demo_ctx, "VOIP-25", "technical", "txt"))
    assert "Port numbers to the new SIP carrier" in text
    assert "blocked" in text
    assert "Losing carrier rejected the LOA twice" in text
    # Counted on the project's calendar, as the Timeline counts it: Good Friday and Easter
    # Monday are not working days (the slip read 17 when the Projects list ignored holidays).
    assert "Red — 15 days late" in text
    assert "+15 working days" in text


def test_decisions_needed_lists_pending_change_requests(demo_ctx: Context) -> None:
    for audience in AUDIENCES:
        text = flat(report(demo_ctx, "NET-26", audience, "md"))
        assert "Add Wi-Fi 6 access points in the wards" in text
        assert "EUR 46,800.00" in text
        assert "+15 days" in text


def test_a_project_without_baseline_says_so_in_plain_words(demo_ctx: Context) -> None:
    text = flat(report(demo_ctx, "MOVE-26", "executive", "txt"))
    assert "No baseline saved yet" in text
    assert (
        "Value for money cannot be measured yet: the plan has not been approved as a "
        "baseline yet." in text
    )
    assert "Red — 1 critical risk" in text
    assert "critical (16 of 25" in text


# --- page size and width -----------------------------------------------------------------------


@pytest.mark.parametrize("closing", [False, True])
def test_text_reports_fit_80_columns_and_the_executive_one_a_page(
    demo_ctx: Context, closing: bool
) -> None:
    for code in DEMO_CODES:
        for audience in AUDIENCES:
            lines = report(demo_ctx, code, audience, "txt", closing).splitlines()
            assert max(len(line) for line in lines) <= 80, (code, audience)
            if audience == "executive":
                assert len(lines) <= 60, (code, closing, len(lines))


def test_executive_report_gives_risk_titles_whole(demo_ctx: Context) -> None:
    """A client reads what the risk is: a title of a usual length is not cut mid-sentence."""
    for fmt in ("md", "html", "txt"):
        out = flat(report(demo_ctx, "MOVE-26", "executive", fmt))
        for title in (
            "Electrical contractor cannot finish cabling & power before the move weekend",
            "Fibre installation date not confirmed by the provider",
        ):
            assert title in out.replace("&amp;", "&"), (fmt, title)


class _File:
    """Writes straight into the database, as anyone with the file (or an older release)
    could: what the forms and imports refuse today — escape sequences, texts longer than the
    limits — may still be stored, and every report must still show it as data."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def create(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row


@contextmanager
def _as_anyone_with_the_file(ctx: Context) -> Iterator[_File]:
    with ctx.db.write() as session:
        yield _File(session)


def _crowded_project(ctx: Context, name: str) -> int:
    """A project with far more of everything than a page holds, and very long texts."""
    long = "word " * 80
    with _as_anyone_with_the_file(ctx) as tx:
        project = tx.create(Project(code="BIG-1", name=name, client=long, sponsor=long))
        pid = int(project.id)
        owner = tx.create(Person(name="Owner " + long, handle="owner-big"))
        for n in range(12):
            day = date(2026, 3, 1 + n)
            done = n < 6
            status = TaskStatus.DONE.value if done else TaskStatus.TODO.value
            tx.create(
                Task(
                    project_id=pid,
                    sort_order=2 * n,
                    name=f"Milestone {n} {long}",
                    is_milestone=True,
                    planned_start=day,
                    planned_finish=day,
                    baseline_start=day,
                    baseline_finish=day,
                    status=status,
                )
            )
            tx.create(  # baselined work, so every earned value sentence is written
                Task(
                    project_id=pid,
                    sort_order=2 * n + 1,
                    name=f"Work {n} {long}",
                    planned_start=day,
                    planned_finish=day,
                    baseline_start=day,
                    baseline_finish=day,
                    estimate_hours=Decimal(8),
                    percent_complete=100 if done else 0,
                    status=status,
                )
            )
            tx.create(
                LedgerEntry(
                    project_id=pid,
                    entry_date=day,
                    category=f"category {n} {long}",
                    amount=Decimal("950"),
                    kind=EntryKind.ACTUAL.value,
                )
            )
            tx.create(
                Risk(
                    project_id=pid,
                    title=f"Risk {n} {long}",
                    probability=5,
                    impact=4,
                    owner_id=owner.id,
                    mitigation=long,
                    trigger=long,
                )
            )
            tx.create(
                ChangeRequest(
                    project_id=pid,
                    title=f"Change {n} {long}",
                    requested_by=long,
                    requested_on=date(2026, 3, 2),
                    cost_impact=Decimal("123456789.12"),
                    schedule_impact_days=30,
                )
            )
            tx.create(BudgetLine(project_id=pid, category=f"category {n} {long}", amount=1000))
    return pid


def test_executive_report_stays_on_a_page_however_much_there_is(ctx: Context) -> None:
    pid = _crowded_project(ctx, "Huge " + "name " * 60)
    out = render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="txt")
    lines = out.splitlines()
    assert len(lines) <= 60
    assert max(len(line) for line in lines) <= 80
    assert "…and 9 more open risks." in flat(out)
    assert "…and 9 more change requests." in flat(out)
    technical = render_report(ctx.db, pid, today=TODAY, audience="technical", fmt="txt")
    assert max(len(line) for line in technical.splitlines()) <= 80
    assert technical.count("Risk ") >= 12  # the technical report lists every risk


# --- user text is data ---------------------------------------------------------------------------


def _hostile_project(ctx: Context, name: str) -> int:
    with _as_anyone_with_the_file(ctx) as tx:
        owner = tx.create(Person(name=f"Owner {QUOTES}", handle="owner-x"))
        project = tx.create(
            Project(code="XSS-1", name=name, client=QUOTES, sponsor=OSC52, lessons=HOSTILE)
        )
        pid = int(project.id)
        tx.create(
            Task(
                project_id=pid,
                name=f"Task {HOSTILE} {PIPES}",
                status=TaskStatus.IN_PROGRESS.value,
                planned_start=date(2026, 3, 2),
                planned_finish=date(2026, 3, 30),
                blocked_reason=OSC52,
            )
        )
        tx.create(
            Task(
                project_id=pid,
                name=f"Milestone {PIPES}",
                is_milestone=True,
                planned_start=date(2026, 3, 25),
                planned_finish=date(2026, 3, 25),
            )
        )
        tx.create(
            Risk(
                project_id=pid,
                title=QUOTES,
                mitigation=HOSTILE,
                trigger=OSC52,
                owner_id=owner.id,
                probability=4,
                impact=4,
            )
        )
        tx.create(BudgetLine(project_id=pid, category=PIPES, amount=Decimal("1000")))
        tx.create(
            LedgerEntry(
                project_id=pid,
                entry_date=date(2026, 3, 3),
                category=PIPES,
                amount=Decimal("10"),
                kind=EntryKind.ACTUAL.value,
            )
        )
        tx.create(
            ChangeRequest(
                project_id=pid, title=HOSTILE, requested_by=QUOTES, requested_on=date(2026, 3, 1)
            )
        )
        tx.create(Deliverable(project_id=pid, name=HOSTILE, acceptance_note=QUOTES))
        tx.create(
            DowntimeWindow(
                project_id=pid,
                title=HOSTILE,
                systems=PIPES,
                starts_at=datetime(2026, 3, 27, 22),
                ends_at=datetime(2026, 3, 28, 4),
            )
        )
    return pid


@pytest.mark.parametrize("closing", [False, True])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_escapes_every_user_text(ctx: Context, audience: str, closing: bool) -> None:
    pid = _hostile_project(ctx, HOSTILE)
    out = render_report(ctx.db, pid, today=TODAY, audience=audience, fmt="html", closing=closing)
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&quot;&amp;&lt;&gt;&#x27;" in out
    assert "\x1b" not in out and "\x07" not in out
    # Self-contained: nothing is fetched from anywhere.
    for outside in ("http:", "https:", "<link", "src=", "@import", "url(", "@font-face"):
        assert outside not in out.lower()
    assert out.startswith("<!DOCTYPE html>") and "<style>" in out
    assert out.count("<table>") == out.count("</table>")


def _cells(row: str) -> int:
    """Cells of one Markdown table row: pipes not escaped with a backslash, minus one."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


@pytest.mark.parametrize("closing", [False, True])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_markdown_escapes_structure_characters(ctx: Context, audience: str, closing: bool) -> None:
    pid = _hostile_project(ctx, f"Project {PIPES}")
    out = render_report(ctx.db, pid, today=TODAY, audience=audience, fmt="md", closing=closing)
    tables = 0
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"\|( ---:? \|)+", line):  # the alignment row under a header
            tables += 1
            width = _cells(line)
            assert _cells(lines[i - 1]) == width
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert _cells(lines[j]) == width, lines[j]
                j += 1
    if audience == "technical" or closing:
        assert tables >= 2  # budget categories and milestones or deliverables
    assert escape(PIPES) in out
    assert r"a \| b \*c\* \_d\_ \[x\](y) \`e\`" in out
    assert "<script>" not in out  # raw HTML would pass through most Markdown renderers
    assert "\x1b" not in out and "\x07" not in out


def test_markdown_escape_keeps_text_from_starting_lists_or_entities() -> None:
    from itpm_tui.reports.markdown import escape_start

    assert escape_start("- not a list") == r"\- not a list"
    assert escape_start("1. not a list") == r"1\. not a list"
    assert escape_start("> not a quote") == r"\> not a quote"
    assert escape("AT&T &amp; co") == r"AT&T \&amp; co"
    assert escape("# no heading") == r"\# no heading"
    assert escape("two\nlines") == "two lines"


@pytest.mark.parametrize("closing", [False, True])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_text_strips_control_characters(ctx: Context, audience: str, closing: bool) -> None:
    pid = _hostile_project(ctx, f"Name {OSC52}\u202eevil")
    for fmt in REPORT_FORMATS:
        out = render_report(ctx.db, pid, today=TODAY, audience=audience, fmt=fmt, closing=closing)
        bad = [c for c in out if c != "\n" and unicodedata.category(c) == "Cc"]
        assert not bad, (fmt, bad)
        assert "\u202e" not in out
    text = render_report(ctx.db, pid, today=TODAY, audience=audience, fmt="txt", closing=closing)
    assert "]52;c;cm0gLXJmIH4=" in text  # the harmless remains are shown as text
    assert max(len(line) for line in text.splitlines()) <= 80


# --- closing reports ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_closing_report_of_the_signed_off_project(
    demo_ctx: Context, audience: str, fmt: str
) -> None:
    pid = project_id_for_code(demo_ctx.db, "SRV-25")
    with demo_ctx.db.read() as session:
        project = session.get(Project, pid)
        assert project is not None
        actual = session.execute(
            select(func.sum(col(LedgerEntry.amount))).where(
                col(LedgerEntry.project_id) == pid,
                col(LedgerEntry.kind) == EntryKind.ACTUAL.value,
            )
        ).scalar_one()
        deliverables = (
            session.execute(select(Deliverable).where(col(Deliverable.project_id) == pid))
            .scalars()
            .all()
        )
    text = flat(report(demo_ctx, "SRV-25", audience, fmt, closing=True))
    assert "Closing report" in text
    assert project.signed_off_on is not None
    assert f"Signed off by Karin Vogel on {project.signed_off_on.isoformat()}" in text
    assert flat(project.lessons) in text
    for d in deliverables:
        assert d.name in text and d.accepted_by in text
        assert d.accepted_on is not None and d.accepted_on.isoformat() in text
        assert d.acceptance_note in text
    assert "NOT ACCEPTED" not in text
    budget = budget_total(demo_ctx, "SRV-25")
    assert budget == Decimal("89000")
    spent = Decimal(actual) / 10_000 if not isinstance(actual, Decimal) else actual
    assert format_money(budget, "EUR") in text and format_money(spent, "EUR") in text
    assert format_money(budget - spent, "EUR") + " under budget" in text  # EUR 9,372.00
    assert "Actual finish" in text and "not finished" not in text


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_closing_report_without_sign_off(demo_ctx: Context, fmt: str) -> None:
    out = report(demo_ctx, "FW-26", "executive", fmt, closing=True)
    text = flat(out)
    assert "NOT SIGNED OFF" in text
    assert out.count("NOT ACCEPTED") == 2  # HQ cluster and as-built documentation
    assert "Accepted with minor comments on naming." in text
    assert "not finished: 8 tasks open" in text
    assert "No lessons recorded." in text


def test_closing_report_shows_the_override_reason(demo_ctx: Context) -> None:
    pid = project_id_for_code(demo_ctx.db, "FW-26")
    with demo_ctx.transaction() as tx:
        project = tx.get(Project, pid)
        tx.update(
            project,
            {"closing_override": "Client dissolved; no one left to sign."},
            expected_version=None,
        )
    text = flat(
        render_report(demo_ctx.db, pid, today=TODAY, audience="technical", fmt="txt", closing=True)
    )
    assert (
        "No client sign-off. Closed with this reason: Client dissolved; no one left to sign."
        in text
    )
    assert "NOT SIGNED OFF" not in text
    assert "STILL OPEN" in text and "Scanner traffic breaks on the new NAT rules" in text


# --- the entry point ---------------------------------------------------------------------------


def test_bad_audience_or_format_is_refused(demo_ctx: Context) -> None:
    pid = project_id_for_code(demo_ctx.db, "FW-26")
    with pytest.raises(ValidationError) as bad_audience:
        render_report(demo_ctx.db, pid, today=TODAY, audience="board", fmt="md")
    assert bad_audience.value.field == "audience"
    with pytest.raises(ValidationError) as bad_format:
        render_report(demo_ctx.db, pid, today=TODAY, audience="executive", fmt="pdf")
    assert bad_format.value.field == "format"


def test_unknown_project_is_refused(demo_ctx: Context) -> None:
    with pytest.raises(NotFoundError):
        render_report(demo_ctx.db, 9999, today=TODAY, audience="executive", fmt="txt")
    with pytest.raises(NotFoundError, match="NOPE"):
        project_id_for_code(demo_ctx.db, "NOPE")
    assert project_id_for_code(demo_ctx.db, " fw-26 ") == project_id_for_code(demo_ctx.db, "FW-26")


def test_as_of_moves_the_report_date(demo_ctx: Context) -> None:
    pid = project_id_for_code(demo_ctx.db, "FW-26")
    earlier = render_report(
        demo_ctx.db, pid, today=date(2026, 3, 10), audience="executive", fmt="txt"
    )
    assert "as of 2026-03-10" in earlier
    assert "HQ live on FortiGate — 2026-03-20 (due in 10 days)" in flat(earlier)


def test_empty_project_reports_without_failing(ctx: Context) -> None:
    with ctx.transaction() as tx:
        pid = int(tx.create(Project(code="NEW-1", name="Fresh")).id)
    for audience in AUDIENCES:
        for fmt in REPORT_FORMATS:
            for closing in (False, True):
                out = render_report(
                    ctx.db, pid, today=TODAY, audience=audience, fmt=fmt, closing=closing
                )
                assert "NEW-1" in out
    text = flat(render_report(ctx.db, pid, today=TODAY, audience="executive", fmt="txt"))
    assert "No milestones planned." in text and "No open risks." in text


def test_report_filename() -> None:
    assert report_filename("FW-26", TODAY, fmt="md") == "FW-26-status-2026-03-18.md"
    assert report_filename("a/b", TODAY, fmt="html", closing=True) == "a-b-closing-2026-03-18.html"


def test_closing_report_refuses_a_half_recorded_sign_off(demo_ctx: Context) -> None:
    pid = project_id_for_code(demo_ctx.db, "FW-26")
    with demo_ctx.transaction() as tx:
        tx.update(tx.get(Project, pid), {"signed_off_by": "Karin Vogel"}, expected_version=None)
    out = render_report(demo_ctx.db, pid, today=TODAY, audience="executive", fmt="md", closing=True)
    assert "NOT SIGNED OFF: the sign-off record is incomplete (Karin Vogel, no date)." in out
