"""The published links as `itpm feeds list` shows them, and the one a URL's token names.

The token itself is never stored: a URL is matched by its SHA-256 (`domain.publishing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from itpm_tui.domain.publishing import LinkKind, plausible_token, token_hash
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Person, Project, PublishedLink


@dataclass(frozen=True, slots=True)
class LinkRow:
    id: int
    kind: str
    subject: str  # "FW-26 Firewall refresh" or "Ana Lima (ana)"
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class LiveLink:
    """What an unrevoked link's URL shows."""

    id: int
    kind: LinkKind
    person_id: int | None
    project_id: int | None


def link_rows(db: Database) -> list[LinkRow]:
    """Every link ever made, the newest first (revoked ones too, marked so)."""
    with db.read() as session:
        rows = session.execute(
            select(
                col(PublishedLink.id),
                col(PublishedLink.kind),
                col(Project.code),
                col(Project.name),
                col(Person.name),
                col(Person.handle),
                col(PublishedLink.created_at),
                col(PublishedLink.created_by),
                col(PublishedLink.revoked_at),
            )
            .outerjoin(Project, col(Project.id) == col(PublishedLink.project_id))
            .outerjoin(Person, col(Person.id) == col(PublishedLink.person_id))
            .order_by(col(PublishedLink.id).desc())
        ).all()
    return [
        LinkRow(
            int(r[0]),
            r[1],
            f"{r[2]} {r[3]}" if r[2] is not None else f"{r[4]} ({r[5]})",
            r[6],
            r[7],
            r[8],
        )
        for r in rows
    ]


def live_link(db: Database, token: str) -> LiveLink | None:
    """The unrevoked link whose token is `token`; None for any other (unknown, revoked,
    malformed: a URL's caller is told nothing more)."""
    if not plausible_token(token):
        return None
    with db.read() as session:
        row = session.execute(
            select(
                col(PublishedLink.id),
                col(PublishedLink.kind),
                col(PublishedLink.person_id),
                col(PublishedLink.project_id),
            ).where(
                col(PublishedLink.token_hash) == token_hash(token),
                col(PublishedLink.revoked_at).is_(None),
            )
        ).first()
    if row is None or row[1] not in {k.value for k in LinkKind}:
        return None
    return LiveLink(int(row[0]), LinkKind(row[1]), row[2], row[3])
