"""Who gets which report by e-mail, sending it, and logging each delivery.

Planning only reads (so `--dry-run` is the same plan, not sent); sending renders each
project's report once per audience, delivers every message over one SMTP connection and
logs each success as a contact in its own transaction (`services.stakeholders`) — a failed
recipient is reported and logs nothing, and a failure later in the run never takes back a
delivery already logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from itpm_tui.domain.enums import Channel
from itpm_tui.domain.mail import digest_due, digest_subject, report_subject
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.roles import Action
from itpm_tui.domain.stakeholders import report_audience
from itpm_tui.errors import ItpmError
from itpm_tui.mail.message import address, build_message, rendered
from itpm_tui.mail.smtp import RecipientRefused, Sender
from itpm_tui.queries.stakeholders import (
    Contact,
    contacts,
    emailed_on,
    find_contact,
    last_digests,
)
from itpm_tui.reports import AUDIENCES, digest_document, report_document
from itpm_tui.reports.data import project_id_for_code
from itpm_tui.reports.document import Document
from itpm_tui.services.context import Context, require

if TYPE_CHECKING:
    from itpm_tui.config import MailSettings


@dataclass(frozen=True, slots=True)
class Recipient:
    stakeholder_id: int
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True)
class Update:
    """One project's status report to one stakeholder."""

    project_id: int
    code: str
    recipient: Recipient
    audience: str


@dataclass(frozen=True, slots=True)
class Digest:
    """One stakeholder's weekly digest: a section per live project they are on."""

    recipient: Recipient
    audience: str
    projects: tuple[tuple[int, str], ...]  # (id, code)

    @property
    def codes(self) -> list[str]:
        return [code for _pid, code in self.projects]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message: `error` is None when it was delivered and logged."""

    item: Update | Digest
    error: str | None = None


@dataclass
class Run:
    """One run's messages: the SMTP session is opened by the first message, never when
    there is nothing to send, and shared by every message after it."""

    ctx: Context
    mail: MailSettings
    thresholds: RiskThresholds = field(default_factory=RiskThresholds)
    #: Makes the session (tests may count connections); `Sender` by default.
    connect: Callable[[MailSettings], Sender] = Sender
    _sender: Sender | None = None
    _docs: dict[tuple[int, str], Document] = field(default_factory=dict)

    def sender(self) -> Sender:
        if self._sender is None:
            # Who may not log a contact may not send one: refused before anything goes,
            # never after the message left with nothing logged.
            require(self.ctx.identity(), Action.LOG_CONTACT)
            self._sender = self.connect(self.mail)
        return self._sender

    def close(self) -> None:
        if self._sender is not None:
            self._sender.close()
            self._sender = None

    def document(self, project_id: int, audience: str) -> Document:
        key = (project_id, audience)
        if key not in self._docs:
            self._docs[key] = report_document(
                self.ctx.db,
                project_id,
                today=self.ctx.today(),
                audience=audience,
                thresholds=self.thresholds,
            )
        return self._docs[key]

    def send_updates(self, updates: Iterable[Update]) -> list[Outcome]:
        """Send each update and log it; a refused one is reported and logs nothing."""
        from itpm_tui.services.stakeholders import record_email_sent

        outcomes = []
        today = self.ctx.today()
        for update in updates:
            doc = self.document(update.project_id, update.audience)
            subject = report_subject(doc.title, today, update.audience)
            text, error = self._send(update.recipient, subject, doc)
            if error is None:
                record_email_sent(
                    self.ctx,
                    update.project_id,
                    update.recipient.stakeholder_id,
                    audience=update.audience,
                    body=text,
                )
            outcomes.append(Outcome(update, error))
        return outcomes

    def send_digests(self, digests: Iterable[Digest]) -> list[Outcome]:
        """Send each digest and log it (one contact per stakeholder, no project)."""
        from itpm_tui.services.stakeholders import record_digest_sent

        outcomes = []
        subject = digest_subject(self.ctx.today())
        for digest in digests:
            person = digest.recipient
            reports = [self.document(pid, digest.audience) for pid, _code in digest.projects]
            doc = digest_document(
                subject,
                f"For {person.name} · {len(reports)} project{'' if len(reports) == 1 else 's'}",
                reports,
            )
            text, error = self._send(person, subject, doc)
            if error is None:
                record_digest_sent(self.ctx, person.stakeholder_id, digest.codes, text)
            outcomes.append(Outcome(digest, error))
        return outcomes

    def _send(self, person: Recipient, subject: str, doc: Document) -> tuple[str, str | None]:
        """Deliver `doc` (text and HTML) to one person: the text sent, to log with the
        contact, and why the server refused it (None when it was delivered)."""
        text, html = rendered(doc)
        message = build_message(
            self.mail.sender, address(person.name, person.email), subject, text, html
        )
        try:
            self.sender().send(message)
        except RecipientRefused as exc:
            return text, str(exc)
        return text, None


# -- who gets what -------------------------------------------------------------------------------


def _recipient(contact: Contact) -> Recipient:
    return Recipient(contact.id, contact.name, contact.email)


def _audience(contact: Contact, chosen: str | None) -> str:
    return chosen or report_audience(contact.kind)


def wants_email(contact: Contact) -> bool:
    """Due or overdue an update that goes by e-mail, to an address on file."""
    return (
        contact.channel == Channel.EMAIL.value and bool(contact.email) and contact.due.needs_update
    )


def project_updates(
    ctx: Context,
    code: str,
    *,
    audience: str | None = None,
    to: Iterable[str] = (),
    due: bool = False,
) -> list[Update]:
    """The updates `itpm send CODE` sends: to the stakeholders `to` names (by e-mail address
    or name), or with `due` to those due an e-mail update; each gets `audience`'s report or,
    when none is chosen, the one their type reads. Bad input raises `ItpmError`."""
    if audience is not None and audience not in AUDIENCES:
        raise ItpmError(f"--audience: must be one of {', '.join(AUDIENCES)}, got '{audience}'")
    named = [who for who in to if who.strip()]
    if bool(named) == due:
        raise ItpmError("say who gets the report: --to NAME|EMAIL (repeatable) or --due")
    project_id = project_id_for_code(ctx.db, code)
    members = contacts(ctx.db, ctx.today(), project_id)
    code = next(
        (link.code for c in members for link in c.projects if link.project_id == project_id),
        code,
    )
    chosen: list[Contact] = []
    if due:
        chosen = [c for c in members if wants_email(c)]
    for who in named:
        contact = find_contact(members, who)
        if contact is None:
            raise ItpmError(f"--to: '{who}' is no stakeholder of {code} (give a name or e-mail)")
        if not contact.email:
            raise ItpmError(f"--to: {contact.name} has no e-mail address")
        if contact not in chosen:
            chosen.append(contact)
    return [Update(project_id, code, _recipient(c), _audience(c, audience)) for c in chosen]


def updates_for(
    ctx: Context, project_id: int, code: str, stakeholder_ids: Iterable[int], audience: str
) -> list[Update]:
    """`audience`'s report of the project to each of these stakeholders of it who has an
    e-mail address (the report preview's choice)."""
    members = {c.id: c for c in contacts(ctx.db, ctx.today(), project_id)}
    chosen = [members[i] for i in dict.fromkeys(stakeholder_ids) if i in members]
    return [Update(project_id, code, _recipient(c), audience) for c in chosen if c.email]


def due_updates(ctx: Context) -> dict[str, list[Update]]:
    """The daily run's updates, by project code: every stakeholder of every live project
    due an e-mail update, but no one a project's update they were e-mailed today already."""
    today = ctx.today()
    sent = emailed_on(ctx.db, today)
    plan: dict[str, list[Update]] = {}
    for contact in contacts(ctx.db, today):
        if not wants_email(contact):
            continue
        for link in contact.projects:
            if link.live and (contact.id, link.project_id) not in sent:
                plan.setdefault(link.code, []).append(
                    Update(
                        link.project_id, link.code, _recipient(contact), _audience(contact, None)
                    )
                )
    return dict(sorted(plan.items()))


def due_digests(ctx: Context, weekday: int | None) -> list[Digest]:
    """Digests to send: each opted-in stakeholder with an address and a live project who
    has had none this ISO week — and, with `weekday` (the daily run), only from that day
    of the week on (`domain.mail.digest_due`)."""
    today = ctx.today()
    last = last_digests(ctx.db)
    out = []
    for contact in contacts(ctx.db, today):
        live = tuple((link.project_id, link.code) for link in contact.projects if link.live)
        if not (contact.digest and contact.email and live):
            continue
        if not digest_due(today, 0 if weekday is None else weekday, last.get(contact.id)):
            continue
        out.append(Digest(_recipient(contact), _audience(contact, None), live))
    return out
