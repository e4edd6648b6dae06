"""A project's page for the helpdesk or the client: read-only, in plain language.

Status and health with the reason, the phases and milestones (done, next, dates), the
downtime windows ahead in words ("E-mail will be unavailable Saturday 5 December
19:00–23:00") and, for the client only, the budget summary. Everything comes from the
status report's data (`reports.data.gather`: the same health rule, milestones and budget)
and is written with the report's HTML renderer, which escapes every text; the page reloads
itself every few minutes (no script) and prints as the reports do.
"""

from __future__ import annotations

from datetime import date

from itpm_tui.domain.publishing import LinkKind, day_words, window_sentence
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.reports.content import budget_blocks, health_words, phase_words, progress_facts
from itpm_tui.reports.data import MilestoneRow, PhaseRow, ReportData, gather
from itpm_tui.reports.document import Block, Bullets, Document, Facts, Heading, Para, Table
from itpm_tui.reports.html import render_html
from itpm_tui.storage.database import Database

#: How often an open page reloads itself, in seconds.
REFRESH_SECONDS = 300
AUDIENCE_WORDS = {LinkKind.HELPDESK_PAGE: "the helpdesk", LinkKind.CLIENT_PAGE: "the client"}


def project_page(
    db: Database,
    project_id: int,
    kind: LinkKind,
    today: date,
    thresholds: RiskThresholds = RiskThresholds(),
) -> str:
    """The page of `project_id` for the audience of `kind` as of `today`, as HTML."""
    return render_html(
        page_document(gather(db, project_id, today, thresholds), kind),
        refresh_seconds=REFRESH_SECONDS,
    )


def page_document(data: ReportData, kind: LinkKind) -> Document:
    """What the page says, as report blocks (the budget only for the client)."""
    minutes = REFRESH_SECONDS // 60
    subtitle = (
        f"Project page for {AUDIENCE_WORDS[kind]} · as of {day_words(data.as_of, data.as_of)} "
        f"{data.as_of.year} · this page updates itself every {minutes} minutes"
    )
    facts = [("Health", health_words(data)), ("Phase", phase_words(data))]
    if data.manager:
        facts.append(("Project manager", data.manager))
    blocks: list[Block] = [
        Heading("Status"),
        Facts((*facts, *progress_facts(data, False))),
        *_phases(data),
        *_milestones(data),
        *_downtime(data),
    ]
    if kind is LinkKind.CLIENT_PAGE:
        blocks += budget_blocks(data, False)
    return Document(title=f"{data.code} — {data.name}", subtitle=subtitle, blocks=tuple(blocks))


def _when(day: date | None, today: date) -> str:
    return day_words(day, today) if day is not None else "no date yet"


def _phase_state(phase: PhaseRow, today: date) -> str:
    if phase.percent >= 100:
        return "done"
    if phase.start is not None and phase.start <= today:
        return f"under way, {phase.percent}% done"
    return "not started"


def _phases(data: ReportData) -> list[Block]:
    if not data.phases:
        return []
    today = data.as_of
    rows = tuple(
        (p.name, _when(p.start, today), _when(p.finish, today), _phase_state(p, today))
        for p in data.phases
    )
    return [Heading("Phases"), Table(("Phase", "From", "To", "State"), rows)]


def _milestone_state(m: MilestoneRow, next_id: int | None, today: date) -> str:
    if m.done:
        return "done"
    if m.planned is not None and m.planned < today:
        return "late: not done yet"
    return "next" if m.id == next_id else "planned"


def _milestones(data: ReportData) -> list[Block]:
    head: list[Block] = [Heading("Milestones")]
    if not data.milestones:
        return [*head, Para("No milestones planned.")]
    today = data.as_of
    upcoming = data.next_milestones
    next_id = upcoming[0].id if upcoming else None
    ordered = [*data.done_milestones, *upcoming]
    rows = tuple(
        (
            m.name,
            _when(m.done_on if m.done else m.planned, today),
            _milestone_state(m, next_id, today),
        )
        for m in ordered
    )
    done = len(data.done_milestones)
    return [
        *head,
        Para(f"{done} of {len(data.milestones)} milestones done."),
        Table(("Milestone", "Date", "State"), rows),
    ]


def _downtime(data: ReportData) -> list[Block]:
    head: list[Block] = [Heading("Planned downtime")]
    if not data.downtime:
        return [*head, Para("No downtime planned.")]
    today = data.as_of
    items = tuple(
        (f"{w.title}: " if w.systems and w.title.strip() else "")
        + window_sentence(w.title, w.systems, w.starts_at, w.ends_at, today)
        + ("" if w.approved else " Not confirmed yet.")
        for w in data.downtime
    )
    return [*head, Bullets(items), Para("Times are local time at the site.")]
