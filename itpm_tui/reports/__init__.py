"""Status and closing reports of one project, as Markdown, HTML or plain text.

`render_report` is the one entry point (the CLI's `itpm report` and the preview screen both
call it): it reads the project once (`data.gather`), decides what the audience is told
(`content.build`) and writes that in the asked format. What each report contains is in
docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.validation import ValidationError
from itpm_tui.reports.content import build
from itpm_tui.reports.data import ReportData, gather, project_id_for_code
from itpm_tui.reports.document import Block, Document, Heading, Para
from itpm_tui.reports.html import render_html
from itpm_tui.reports.markdown import render_markdown
from itpm_tui.reports.text import render_text
from itpm_tui.storage.database import Database

REPORT_FORMATS = ("md", "html", "txt")
AUDIENCES = ("executive", "technical")

_RENDERERS: dict[str, Callable[[Document], str]] = {
    "md": render_markdown,
    "html": render_html,
    "txt": render_text,
}

__all__ = [
    "AUDIENCES",
    "REPORT_FORMATS",
    "ReportData",
    "check_choice",
    "digest_document",
    "project_id_for_code",
    "render_document",
    "render_report",
    "report_document",
    "report_filename",
]


def check_choice(audience: str, fmt: str) -> None:
    """Refuse an audience or format the reports do not have (ValidationError names which)."""
    if audience not in AUDIENCES:
        raise ValidationError(
            "audience", f"must be one of {', '.join(AUDIENCES)}, got '{audience}'"
        )
    if fmt not in REPORT_FORMATS:
        raise ValidationError("format", f"must be one of {', '.join(REPORT_FORMATS)}, got '{fmt}'")


def render_report(
    db: Database,
    project_id: int,
    *,
    today: date,
    audience: str,
    fmt: str,
    closing: bool = False,
    thresholds: RiskThresholds = RiskThresholds(),
) -> str:
    """The report of project `project_id` as of `today`, for `audience` in format `fmt`.

    Raises ValidationError for an unknown audience or format and NotFoundError for a project
    that does not exist. Reads only; safe to call from a worker thread.
    """
    check_choice(audience, fmt)
    doc = report_document(
        db, project_id, today=today, audience=audience, closing=closing, thresholds=thresholds
    )
    return _RENDERERS[fmt](doc)


def report_document(
    db: Database,
    project_id: int,
    *,
    today: date,
    audience: str,
    closing: bool = False,
    thresholds: RiskThresholds = RiskThresholds(),
) -> Document:
    """The report's blocks, before any format: an e-mail renders one document twice (its
    text and HTML alternatives) from one read of the project."""
    check_choice(audience, "txt")
    return build(gather(db, project_id, today, thresholds), audience, closing=closing)


def render_document(doc: Document, fmt: str) -> str:
    """`doc` written in format `fmt` (md, html or txt)."""
    return _RENDERERS[fmt](doc)


def digest_document(title: str, subtitle: str, reports: list[Document]) -> Document:
    """Several projects' reports as one document: a section per project (its title and
    subtitle), each report's own sections one level down."""
    blocks: list[Block] = []
    for doc in reports:
        blocks.append(Heading(doc.title, 2))
        blocks.append(Para(doc.subtitle, emphasis=True))
        for block in doc.blocks:
            if isinstance(block, Heading):
                block = Heading(block.text, min(block.level + 1, 4))
            blocks.append(block)
    return Document(title=title, subtitle=subtitle, blocks=tuple(blocks))


def report_filename(code: str, today: date, *, fmt: str, closing: bool = False) -> str:
    """A file name to offer when saving: ``FW-26-status-2026-03-18.md``."""
    kind = "closing" if closing else "status"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in code)
    return f"{safe}-{kind}-{today.isoformat()}.{fmt}"
