"""`itpm mail test`, `itpm send`, `itpm updates send` and `itpm digest`: status reports and
the weekly digest by e-mail (`itpm_tui.mail`).

Bad input or settings exit with status 2 and send nothing; a delivery that failed (the
server, a refused recipient) is reported and exits with status 1; the others still go.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo

if TYPE_CHECKING:
    from itpm_tui.mail.updates import Digest, Outcome, Run, Update
    from itpm_tui.services.context import Context


#: How the digest's lines begin.
DIGEST = "weekly digest"


def _run(ctx: Context) -> Run:
    from itpm_tui.config import load_settings
    from itpm_tui.mail.smtp import check_ready
    from itpm_tui.mail.updates import Run

    settings = load_settings()
    check_ready(settings.mail)  # settings that cannot send are refused before anything goes
    return Run(ctx, settings.mail, settings.risk_thresholds())


def _failed(message: str) -> NoReturn:
    """A delivery failure: said on stderr, status 1."""
    echo(f"itpm: {message}", err=True)
    sys.exit(1)


def _deliver(run: Run, send: Callable[[], list[Outcome]]) -> list[Outcome]:
    """`send()` inside the run's session; a server that cannot be reached is status 1."""
    from itpm_tui.mail.smtp import MailError

    try:
        return send()
    except MailError as exc:
        _failed(f"{exc}; nothing was sent")
    finally:
        run.close()


def _summary(label: str, outcomes: list[Outcome], *, reasons: bool = True) -> int:
    """Print `LABEL: N sent, M failed (who: why; …)`; how many failed."""
    sent = sum(1 for o in outcomes if o.error is None)
    failures = [f"{o.item.recipient}: {o.error}" for o in outcomes if o.error is not None]
    line = f"{label}: {sent} sent, {len(failures)} failed"
    if failures and reasons:
        line += " (" + "; ".join(failures) + ")"
    echo(line)
    return len(failures)


#: `--dry-run` of every sending command: the same plan, listed instead of sent.
dry_run_option = click.option(
    "--dry-run", is_flag=True, help="List who would get what; send nothing."
)


# -- itpm mail test ----------------------------------------------------------------------------


@click.group()
def mail() -> None:
    """Check the mail settings ([mail] in the config; password from ITPM_MAIL_PASSWORD)."""


@mail.command("test")
@click.argument("to")
def mail_test(to: str) -> None:
    """Send a test message to the address TO through the configured server."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.validation import EMAIL_RE
    from itpm_tui.errors import ItpmError
    from itpm_tui.mail.message import address
    from itpm_tui.mail.smtp import MailError, Sender, check_ready

    if not EMAIL_RE.fullmatch(to.strip()):
        raise ItpmError(f"TO: '{to}' is not an e-mail address (name@example.com)")
    settings = load_settings().mail
    check_ready(settings)
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "itpm: test message"
    message["From"] = settings.sender
    message["To"] = address("", to.strip())
    message.set_content(
        f"This message was sent by itpm through {settings.host}:{settings.port} "
        f"({settings.security}). Status reports can be e-mailed from here.\n"
    )
    try:
        with Sender(settings) as sender:
            sender.send(message)
    except MailError as exc:
        _failed(str(exc))
    echo(f"test message sent to {to.strip()} through {settings.host}:{settings.port}")


# -- itpm send ---------------------------------------------------------------------------------


@click.command("send")
@click.argument("project")
@click.option(
    "--audience",
    type=click.Choice(["executive", "technical"]),
    help="The report everyone gets (default: the one each stakeholder's type reads).",
)
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="NAME|EMAIL",
    help="A stakeholder of the project, by e-mail address or name (repeatable).",
)
@click.option("--due", is_flag=True, help="Everyone due an update by e-mail today or overdue.")
@dry_run_option
@db_option
@click.pass_context
def send_cmd(
    click_ctx: click.Context,
    project: str,
    audience: str | None,
    to: tuple[str, ...],
    due: bool,
    dry_run: bool,
    db_path: str | None,
) -> None:
    """E-mail the status report of PROJECT (plain text and HTML in one message); each
    delivery is logged as a contact, which moves the stakeholder's next update on."""
    from itpm_tui.mail.updates import project_updates

    ctx = open_context(chosen_db(click_ctx, db_path))
    updates = project_updates(ctx, project, audience=audience, to=to, due=due)
    code = updates[0].code if updates else project.upper()
    if not updates:
        echo(f"{code}: nobody is due an update by e-mail; nothing to send")
        return
    if dry_run:
        for update in updates:
            echo(f"{code}: would send the {update.audience} report to {update.recipient}")
        echo(f"{code}: {len(updates)} would be sent (dry run: nothing was sent)")
        return
    run = _run(ctx)
    outcomes = _deliver(run, lambda: run.send_updates(updates))
    for outcome in outcomes:
        if outcome.error is None:
            echo(f"{code}: sent the {outcome.item.audience} report to {outcome.item.recipient}")
        else:
            echo(f"{code}: NOT sent to {outcome.item.recipient}: {outcome.error}", err=True)
    if _summary(code, outcomes, reasons=False):  # each reason was said above
        sys.exit(1)


# -- itpm updates send -------------------------------------------------------------------------


@click.group()
def updates() -> None:
    """The daily run: every due e-mail update of every live project (for cron)."""


@updates.command("send")
@dry_run_option
@db_option
@click.pass_context
def updates_send(click_ctx: click.Context, dry_run: bool, db_path: str | None) -> None:
    """Send every e-mail update due today (at most once a day per stakeholder and project)
    and, on the [mail] digest_day, the weekly digests; one line per project. Exits with
    status 1 when any delivery failed."""
    from itpm_tui.config import load_settings
    from itpm_tui.mail.updates import due_digests, due_updates

    ctx = open_context(chosen_db(click_ctx, db_path))
    weekday = load_settings().mail.digest_weekday
    if dry_run:
        _show_digests(due_digests(ctx, weekday))
        _show_updates(due_updates(ctx))
        return
    run = _run(ctx)
    failed = 0

    def everything() -> list[Outcome]:
        # Digests first: their contact moves a stakeholder's next update on, so nobody
        # gets a project's update and the digest holding it on the same morning.
        nonlocal failed
        digests = run.send_digests(due_digests(ctx, weekday))
        if digests:
            failed += _summary(DIGEST, digests)
        plan = due_updates(ctx)
        outcomes = []
        for code, items in plan.items():
            done = run.send_updates(items)
            failed += _summary(code, done)
            outcomes += done
        if not plan:
            echo(f"{ctx.today().isoformat()}: no e-mail update is due")
        return digests + outcomes

    _deliver(run, everything)
    if failed:
        sys.exit(1)


def _show_updates(plan: dict[str, list[Update]]) -> None:
    if not plan:
        echo("no e-mail update is due")
    for code, items in plan.items():
        who = "; ".join(f"{u.recipient} ({u.audience})" for u in items)
        echo(f"{code}: would send {len(items)}: {who}")


def _show_digests(digests: list[Digest]) -> None:
    for digest in digests:
        echo(f"{DIGEST}: would send {', '.join(digest.codes)} to {digest.recipient}")


# -- itpm digest -------------------------------------------------------------------------------


@click.group()
def digest() -> None:
    """The weekly digest: one message a week with a section per live project."""


@digest.command("send")
@dry_run_option
@db_option
@click.pass_context
def digest_send(click_ctx: click.Context, dry_run: bool, db_path: str | None) -> None:
    """Send the weekly digest now to everyone opted in who has not had it this week."""
    from itpm_tui.mail.updates import due_digests

    ctx = open_context(chosen_db(click_ctx, db_path))
    digests = due_digests(ctx, None)
    if not digests:
        echo(f"{DIGEST}: nobody is due one this week")
        return
    if dry_run:
        _show_digests(digests)
        return
    run = _run(ctx)
    outcomes = _deliver(run, lambda: run.send_digests(digests))
    if _summary(DIGEST, outcomes):
        sys.exit(1)


def _opt(click_ctx: click.Context, who: str, wanted: bool, db_path: str | None) -> None:
    from itpm_tui.errors import ItpmError
    from itpm_tui.queries.stakeholders import contacts, find_contact
    from itpm_tui.services.stakeholders import set_digest

    ctx = open_context(chosen_db(click_ctx, db_path))
    contact = find_contact(contacts(ctx.db, ctx.today()), who)
    if contact is None:
        raise ItpmError(f"WHO: no single stakeholder named or addressed '{who}'")
    if wanted and not contact.email:
        raise ItpmError(f"WHO: {contact.name} has no e-mail address to send the digest to")
    changed = set_digest(ctx, contact.id, wanted, contact.version)
    state = "gets" if wanted else "no longer gets"
    echo(f"{contact.name} {state} the weekly digest" + ("" if changed else " (unchanged)"))


@digest.command("subscribe")
@click.argument("who")
@db_option
@click.pass_context
def digest_subscribe(click_ctx: click.Context, who: str, db_path: str | None) -> None:
    """Opt the stakeholder WHO (name or e-mail address) in to the weekly digest."""
    _opt(click_ctx, who, True, db_path)


@digest.command("unsubscribe")
@click.argument("who")
@db_option
@click.pass_context
def digest_unsubscribe(click_ctx: click.Context, who: str, db_path: str | None) -> None:
    """Opt the stakeholder WHO (name or e-mail address) out of the weekly digest."""
    _opt(click_ctx, who, False, db_path)
