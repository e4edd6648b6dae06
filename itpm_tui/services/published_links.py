"""Writes to the published links: make one (its token returned once, only its hash kept)
and revoke one, each one transaction with its activity entry, a project manager's to make.

Feeds and pages are one mechanism: a `PublishedLink` row of some `LinkKind` about a person
or a project; `itpm serve` answers its URL until it is revoked.
"""

from __future__ import annotations

from dataclasses import dataclass

from itpm_tui.domain.publishing import LinkKind, new_token, token_hash
from itpm_tui.errors import ItpmError
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import Person, Project, PublishedLink, utcnow


@dataclass(frozen=True, slots=True)
class NewLink:
    """A link just made: its id and its token, which is never stored or shown again."""

    id: int
    kind: LinkKind
    token: str


def _subject(tx: Tx, link: PublishedLink) -> str:
    if link.person_id is not None:
        person: Person = tx.get(Person, link.person_id)
        return f"{person.name} ({person.handle})"
    project: Project = tx.get(Project, link.project_id or 0)
    return project.code


def publish_link(
    ctx: Context, kind: LinkKind, *, person_id: int | None = None, project_id: int | None = None
) -> NewLink:
    """Make a link of `kind` about the person (a person feed) or the project (any other)."""
    subject, other = (person_id, project_id) if kind.about_person else (project_id, person_id)
    if subject is None or other is not None:
        raise ItpmError(
            f"a {kind.value} is about {'a person' if kind.about_person else 'a project'}"
        )
    token = new_token()
    with ctx.transaction() as tx:
        link = PublishedLink(
            kind=kind.value,
            person_id=person_id,
            project_id=project_id,
            token_hash=token_hash(token),
            created_by=tx.user,
        )
        what = f"the {kind.value} of {_subject(tx, link)}"
        tx.create(link, project_id=project_id, summary=f"published {what}")
        assert link.id is not None
        return NewLink(link.id, kind, token)


def revoke_link(ctx: Context, link_id: int) -> PublishedLink:
    """Revoke link `link_id`: from now on its URL answers 404. Revoking twice is refused."""
    with ctx.transaction() as tx:
        link: PublishedLink = tx.get(PublishedLink, link_id)
        if link.revoked_at is not None:
            raise ItpmError(f"link {link_id} was revoked on {link.revoked_at:%Y-%m-%d} already")
        link.revoked_at = utcnow()
        tx.session.add(link)
        tx.log(
            "publishedlink",
            link.id,
            "update",
            project_id=link.project_id,
            field="revoked_at",
            new=link.revoked_at.isoformat(timespec="seconds"),
            summary=f"revoked the {link.kind} of {_subject(tx, link)} (link {link.id})",
        )
        tx.session.flush()
        return link
