"""Writes to stakeholders: contacts, their project links, the communication log, and a
report marked as sent (one log entry per recipient, which moves their next update due).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from itpm_tui.domain.enums import Channel
from itpm_tui.domain.roles import Action
from itpm_tui.domain.stakeholders import (
    CleanContact,
    ContactDraft,
    LogDraft,
    validate_contact,
    validate_log,
)
from itpm_tui.errors import NotFoundError
from itpm_tui.queries.stakeholders import report_summary
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import (
    CommunicationEntry,
    Project,
    ProjectStakeholder,
    Stakeholder,
)

# -- reads --------------------------------------------------------------------------------------


# -- contact writes -----------------------------------------------------------------------------


def _codes(session: Session) -> dict[str, int]:
    return {code: pid for pid, code in session.execute(select(col(Project.id), col(Project.code)))}


def _fields(clean: CleanContact) -> dict[str, Any]:
    return {
        "name": clean.name,
        "organisation": clean.organisation,
        "title": clean.title,
        "kind": clean.kind,
        "email": clean.email,
        "phone": clean.phone,
        "channel": clean.channel,
        "cadence": clean.cadence,
        "influence": clean.influence,
        "interest": clean.interest,
        "notes": clean.notes,
        "digest": clean.digest,
    }


def add_contact(ctx: Context, draft: ContactDraft) -> int:
    """Validate and store a new stakeholder with their projects; return the id."""
    with ctx.transaction() as tx:
        codes = _codes(tx.session)
        clean = validate_contact(draft, codes)
        row = tx.create(Stakeholder(**_fields(clean)), summary=f"added stakeholder {clean.name}")
        _sync_links(tx, row, codes, clean.projects)
        return int(row.id)


def update_contact(
    ctx: Context, stakeholder_id: int, draft: ContactDraft, expected_version: int
) -> None:
    """Save the edit (refused if someone else saved the contact since it was loaded)."""
    with ctx.transaction() as tx:
        row = tx.get(Stakeholder, stakeholder_id)
        codes = _codes(tx.session)
        clean = validate_contact(draft, codes)
        changed = tx.update(row, _fields(clean), expected_version=expected_version)
        if _sync_links(tx, row, codes, clean.projects) and not changed:
            tx.touch(row)  # a change of projects alone is an edit too


def _sync_links(tx: Tx, row: Stakeholder, codes: dict[str, int], wanted: dict[str, str]) -> bool:
    """Make the stakeholder's project links `wanted` ({code: role}); True if any changed."""
    by_id = {pid: code for code, pid in codes.items()}
    current = {
        link.project_id: link
        for link in tx.session.exec(
            select(ProjectStakeholder).where(col(ProjectStakeholder.stakeholder_id) == row.id)
        ).all()
    }
    assert row.id is not None
    target = {codes[code]: role for code, role in wanted.items()}
    changed = False
    for pid, link in current.items():
        if pid not in target:
            tx.log(
                "stakeholder",
                row.id,
                "unlink",
                project_id=pid,
                summary=f"removed {row.name} from {by_id.get(pid, pid)}",
            )
            tx.session.delete(link)
            changed = True
        elif link.role != target[pid]:
            tx.log(
                "stakeholder",
                row.id,
                "update",
                project_id=pid,
                field="role",
                old=link.role,
                new=target[pid],
            )
            link.role = target[pid]
            tx.session.add(link)
            changed = True
    for pid, role in target.items():
        if pid not in current:
            tx.session.add(ProjectStakeholder(project_id=pid, stakeholder_id=row.id, role=role))
            tx.log(
                "stakeholder",
                row.id,
                "link",
                project_id=pid,
                summary=f"added {row.name} to {by_id[pid]}" + (f" as {role}" if role else ""),
            )
            changed = True
    tx.session.flush()
    return changed


def delete_contact(ctx: Context, stakeholder_id: int, expected_version: int) -> None:
    """Remove the stakeholder, their project links and their communication log."""
    with ctx.transaction() as tx:
        row = tx.get(Stakeholder, stakeholder_id)
        tx.check_version(row, expected_version)
        entries = tx.session.exec(
            select(CommunicationEntry).where(col(CommunicationEntry.stakeholder_id) == row.id)
        ).all()
        links = tx.session.exec(
            select(ProjectStakeholder).where(col(ProjectStakeholder.stakeholder_id) == row.id)
        ).all()
        for child in [*entries, *links]:
            tx.session.delete(child)
        noun = "entry" if len(entries) == 1 else "entries"
        tx.log(
            "stakeholder",
            row.id,
            "delete",
            summary=f"deleted stakeholder '{row.name}' ({row.organisation or 'no organisation'})"
            f" with {len(entries)} log {noun}",
        )
        tx.session.delete(row)
        tx.flush(row)


# -- log writes ---------------------------------------------------------------------------------


def _project_ids(session: Session, stakeholder_id: int) -> dict[int, str]:
    return dict(
        session.execute(
            select(col(Project.id), col(Project.code))
            .join(ProjectStakeholder, col(ProjectStakeholder.project_id) == col(Project.id))
            .where(col(ProjectStakeholder.stakeholder_id) == stakeholder_id)
        ).all()
    )


def _log_summary(name: str, clean: LogDraft) -> str:
    assert clean.logged_on is not None
    return f"logged {clean.channel} contact with {name} on {clean.logged_on.isoformat()}"


def add_log_entry(ctx: Context, stakeholder_id: int, draft: LogDraft) -> int:
    """Record one contact with the stakeholder; return the entry's id. A technician may."""
    with ctx.transaction(Action.LOG_CONTACT) as tx:
        person = tx.get(Stakeholder, stakeholder_id)
        clean = validate_log(draft, ctx.today(), _project_ids(tx.session, stakeholder_id))
        assert clean.logged_on is not None
        row = tx.create(
            CommunicationEntry(
                stakeholder_id=stakeholder_id,
                project_id=clean.project_id,
                logged_on=clean.logged_on,
                channel=clean.channel,
                by=clean.by,
                summary=clean.summary,
            ),
            summary=_log_summary(person.name, clean),
        )
        return int(row.id)


def update_log_entry(ctx: Context, entry_id: int, draft: LogDraft, expected_version: int) -> None:
    """Save the edit; refused if a colleague saved the entry since `expected_version`."""
    with ctx.transaction() as tx:
        entry = tx.get(CommunicationEntry, entry_id)
        tx.check_version(entry, expected_version, label="this log entry")
        clean = validate_log(draft, ctx.today(), _project_ids(tx.session, entry.stakeholder_id))
        tx.update(
            entry,
            {
                "logged_on": clean.logged_on,
                "channel": clean.channel,
                "by": clean.by,
                "summary": clean.summary,
                "project_id": clean.project_id,
            },
            expected_version=expected_version,
        )


def delete_log_entry(ctx: Context, entry_id: int, expected_version: int) -> None:
    with ctx.transaction() as tx:
        entry = tx.get(CommunicationEntry, entry_id)
        tx.check_version(entry, expected_version, label="this log entry")
        person = tx.session.get(Stakeholder, entry.stakeholder_id)
        tx.log(
            "communicationentry",
            entry.id,
            "delete",
            project_id=entry.project_id,
            summary=f"deleted the {entry.channel} contact with "
            f"{person.name if person else '?'} of {entry.logged_on.isoformat()}",
        )
        tx.session.delete(entry)
        tx.flush(entry)


# -- reports sent -------------------------------------------------------------------------------


def record_report_sent(
    ctx: Context, project_id: int, stakeholder_ids: list[int], audience: str, fmt: str
) -> int:
    """Log today's status report to each stakeholder by their preferred channel; this is
    their last contact, so their next update moves on by their cadence. Returns how many."""
    if not stakeholder_ids:
        return 0
    with ctx.transaction(Action.LOG_CONTACT) as tx:  # a contact logged, as `l` does
        project = tx.get(Project, project_id)
        members = _members(tx.session, project_id)
        today = ctx.today()
        for sid in dict.fromkeys(stakeholder_ids):
            if sid not in members:
                raise NotFoundError(f"stakeholder {sid} is not on project {project.code}")
            person = tx.get(Stakeholder, sid)
            tx.create(
                CommunicationEntry(
                    stakeholder_id=sid,
                    project_id=project_id,
                    logged_on=today,
                    channel=person.channel,
                    by=ctx.user,
                    summary=report_summary(audience, fmt),
                ),
                summary=f"sent the {audience} status report of {project.code} to {person.name}",
            )
        return len(dict.fromkeys(stakeholder_ids))


# -- e-mailed updates ---------------------------------------------------------------------------


def _kept(body: str) -> str:
    """The sent text as the log keeps it: a longer one (a digest of many projects) is cut,
    saying so, at the column's limit."""
    from itpm_tui.domain.limits import limit_of

    limit = limit_of("communicationentry", "body")
    if len(body) <= limit:
        return body
    note = f"\n… (cut here: {len(body):,} characters were sent)"
    return body[: limit - len(note)] + note


def record_email_sent(
    ctx: Context, project_id: int, stakeholder_id: int, *, audience: str, body: str
) -> int:
    """Log one status report e-mailed to a stakeholder of the project (the text sent kept
    with it): their last contact, so their next update moves on by their cadence, and what
    the daily run reads to send once a day. Returns the entry's id."""
    from itpm_tui.domain.mail import UPDATE

    with ctx.transaction(Action.LOG_CONTACT) as tx:
        project = tx.get(Project, project_id)
        person = tx.get(Stakeholder, stakeholder_id)
        if stakeholder_id not in _members(tx.session, project_id):
            raise NotFoundError(f"stakeholder {person.name} is not on project {project.code}")
        row = tx.create(
            CommunicationEntry(
                stakeholder_id=stakeholder_id,
                project_id=project_id,
                logged_on=ctx.today(),
                channel=Channel.EMAIL.value,
                by=ctx.user,
                summary=f"E-mailed {audience} status report to {person.email}",
                kind=UPDATE,
                body=_kept(body),
            ),
            summary=f"e-mailed the {audience} status report of {project.code} to {person.name}",
        )
        return int(row.id)


def record_digest_sent(ctx: Context, stakeholder_id: int, codes: list[str], body: str) -> int:
    """Log the weekly digest e-mailed to a stakeholder (covering the projects `codes`):
    a contact like any other, and what keeps the digest to once a week."""
    from itpm_tui.domain.mail import DIGEST

    with ctx.transaction(Action.LOG_CONTACT) as tx:
        person = tx.get(Stakeholder, stakeholder_id)
        listed = ", ".join(codes)
        summary = f"E-mailed weekly digest ({listed}) to {person.email}"
        if len(summary) > 1000:
            summary = summary[:999] + "…"
        row = tx.create(
            CommunicationEntry(
                stakeholder_id=stakeholder_id,
                project_id=None,
                logged_on=ctx.today(),
                channel=Channel.EMAIL.value,
                by=ctx.user,
                summary=summary,
                kind=DIGEST,
                body=_kept(body),
            ),
            summary=f"e-mailed the weekly digest to {person.name}",
        )
        return int(row.id)


def set_digest(ctx: Context, stakeholder_id: int, wanted: bool, expected_version: int) -> bool:
    """Opt the stakeholder in to (or out of) the weekly digest; False when already so."""
    with ctx.transaction() as tx:
        row = tx.get(Stakeholder, stakeholder_id)
        return bool(tx.update(row, {"digest": wanted}, expected_version=expected_version))


def _members(session: Session, project_id: int) -> set[int]:
    return set(
        session.exec(
            select(col(ProjectStakeholder.stakeholder_id)).where(
                col(ProjectStakeholder.project_id) == project_id
            )
        ).all()
    )
