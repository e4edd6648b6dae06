"""What a published link's URL answers: a feed's iCalendar text or a page's HTML, read
from the database at each request so a subscriber is always current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itpm_tui.domain.publishing import LinkKind
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.formats.icalendar import export_ics
from itpm_tui.formats.my_ics import person_ics
from itpm_tui.published.page import project_page
from itpm_tui.queries.published_links import live_link
from itpm_tui.storage.database import Database

ICS_TYPE = "text/calendar"
HTML_TYPE = "text/html"


@dataclass(frozen=True, slots=True)
class Answer:
    content_type: str  # charset utf-8
    body: str


def answer(
    db: Database,
    token: str,
    *,
    feed: bool,
    today: date,
    thresholds: RiskThresholds = RiskThresholds(),
) -> Answer | None:
    """The feed (`feed`) or the page the unrevoked link with `token` shows; None for an
    unknown or revoked token, or one of the other sort (a page's token at a feed's URL)."""
    link = live_link(db, token)
    if link is None or link.kind.is_feed != feed:
        return None
    if link.kind is LinkKind.PERSON_FEED and link.person_id is not None:
        return Answer(ICS_TYPE, person_ics(db, link.person_id, today))
    if link.project_id is None:
        return None
    if link.kind is LinkKind.PROJECT_FEED:
        return Answer(ICS_TYPE, export_ics(db, link.project_id))
    return Answer(HTML_TYPE, project_page(db, link.project_id, link.kind, today, thresholds))
