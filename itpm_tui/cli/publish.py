"""`itpm feeds` and `itpm page`: publish a calendar feed or a project's page behind a secret
link that `itpm serve` answers, list the links and revoke one.

Feeds and pages are one mechanism (`services.published_links`): the URL is printed once,
when the link is made — only a hash of its token is kept — and `revoke` ends it for good.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo

#: Where `itpm serve` listens by default (its --host and --port defaults).
DEFAULT_BASE = "http://127.0.0.1:8000"

base_url_option = click.option(
    "--base-url",
    default=DEFAULT_BASE,
    show_default=True,
    help="The address people reach `itpm serve` at; the printed URL starts with it.",
)


def check_base_url(value: str) -> str:
    """The base URL without a trailing slash; a ValidationError unless http(s) with a host."""
    from itpm_tui.domain.validation import ValidationError

    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValidationError(
            "--base-url",
            f"must be an http:// or https:// address like {DEFAULT_BASE}, got '{value}'",
        )
    return text


def _print_new(link: Any, subject: str, url: str, revoke: str) -> None:
    echo(f"published the {link.kind.value} of {subject} (link {link.id}).")
    echo("Its address, shown only this once (keep it; only a hash of it is stored):")
    echo(f"  {url}")
    echo(f"`itpm serve` answers it; `{revoke} {link.id}` ends it.")


# --- feeds -----------------------------------------------------------------------------------


@click.group()
def feeds() -> None:
    """Calendar feeds (iCalendar) that Outlook or Google Calendar subscribe to, each behind
    its own secret link served by `itpm serve`: a person's tasks and downtime windows, or a
    project's milestones and downtime windows."""


@feeds.command("add")
@click.option("--person", "handle", metavar="HANDLE", help="A person's tasks and downtime.")
@click.option("--project", "code", metavar="CODE", help="A project's milestones and downtime.")
@base_url_option
@db_option
@click.pass_context
def feeds_add(
    click_ctx: click.Context,
    handle: str | None,
    code: str | None,
    base_url: str,
    db_path: str | None,
) -> None:
    """Publish a calendar feed and print its URL (once)."""
    from itpm_tui.domain.publishing import LinkKind
    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.queries.lookup import person_by_handle
    from itpm_tui.reports.data import project_id_for_code
    from itpm_tui.services.published_links import publish_link

    if (handle is None) == (code is None):
        raise ValidationError("--person/--project", "give exactly one of them")
    base = check_base_url(base_url)
    ctx = open_context(chosen_db(click_ctx, db_path))
    if handle is not None:
        person_id = person_by_handle(ctx.db, handle, "--person")
        link = publish_link(ctx, LinkKind.PERSON_FEED, person_id=person_id)
        subject = handle.strip()
    else:
        assert code is not None
        project_id = project_id_for_code(ctx.db, code)
        link = publish_link(ctx, LinkKind.PROJECT_FEED, project_id=project_id)
        subject = code.strip().upper()
    _print_new(link, subject, f"{base}/feeds/{link.token}.ics", "itpm feeds revoke")


@click.command("list")
@db_option
@click.pass_context
def links_list(click_ctx: click.Context, db_path: str | None) -> None:
    """List every published feed and page, the newest first (never their tokens)."""
    from itpm_tui.queries.published_links import link_rows

    ctx = open_context(chosen_db(click_ctx, db_path))
    rows = link_rows(ctx.db)
    if not rows:
        echo("nothing published yet: itpm feeds add --project CODE, itpm page add CODE")
        return
    table = [("ID", "KIND", "SUBJECT", "CREATED", "BY", "REVOKED")]
    for r in rows:
        revoked = _local(r.revoked_at) if r.revoked_at else "-"
        table.append((str(r.id), r.kind, r.subject, _local(r.created_at), r.created_by, revoked))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _local(moment: datetime) -> str:
    """A stored UTC moment in this machine's local time, to the minute."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


@click.command("revoke")
@click.argument("link_id", metavar="ID", type=int)
@db_option
@click.pass_context
def links_revoke(click_ctx: click.Context, link_id: int, db_path: str | None) -> None:
    """Revoke feed or page ID (see `itpm feeds list`): its URL answers 404 from now on."""
    from itpm_tui.services.published_links import revoke_link

    ctx = open_context(chosen_db(click_ctx, db_path))
    link = revoke_link(ctx, link_id)
    echo(f"revoked link {link.id} ({link.kind}): its address answers nothing from now on")


feeds.add_command(links_list)
feeds.add_command(links_revoke)


# --- pages -----------------------------------------------------------------------------------


@click.group()
def page() -> None:
    """A project's read-only page for the helpdesk or the client, behind its own secret link
    served by `itpm serve`: status and health, phases and milestones, downtime ahead in
    words and, for the client, the budget."""


@page.command("add")
@click.argument("code")
@click.option(
    "--audience",
    type=click.Choice(["helpdesk", "client"]),
    required=True,
    help="helpdesk: no budget; client: with the budget summary.",
)
@base_url_option
@db_option
@click.pass_context
def page_add(
    click_ctx: click.Context, code: str, audience: str, base_url: str, db_path: str | None
) -> None:
    """Publish project CODE's page for AUDIENCE and print its URL (once)."""
    from itpm_tui.domain.publishing import PAGE_AUDIENCES
    from itpm_tui.reports.data import project_id_for_code
    from itpm_tui.services.published_links import publish_link

    base = check_base_url(base_url)
    ctx = open_context(chosen_db(click_ctx, db_path))
    project_id = project_id_for_code(ctx.db, code)
    link = publish_link(ctx, PAGE_AUDIENCES[audience], project_id=project_id)
    _print_new(link, code.strip().upper(), f"{base}/p/{link.token}", "itpm page revoke")


page.add_command(links_list)
page.add_command(links_revoke)
