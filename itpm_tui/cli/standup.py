"""`itpm standup`: the stand-up kiosk on a shared screen, read-only and cycling."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from itpm_tui.cli.common import acting_as, chosen_db, db_option
from itpm_tui.errors import ItpmError

#: Why the kiosk's context refuses every write, as a refusal names it.
READ_ONLY = "the stand-up kiosk writes nothing"
#: Set by `itpm serve` for the kiosk of each browser tab: the server recorded the stand-up
#: once when it started, so a tab opened (or reloaded) records nothing more.
SERVED = "ITPM_SERVED_KIOSK"


@click.command("standup")
@db_option
@click.option(
    "--cycle",
    default="30s",
    show_default=True,
    help="How long each page stays up: seconds or minutes (30s, 1m).",
)
@click.option(
    "--page",
    "first_page",
    type=int,
    help="The page to start on: its place among the pages shown (1 is the first).",
)
@click.option(
    "--projects",
    "project_codes",
    metavar="CODE,…",
    help="Show only these projects on every page (codes, any case).",
)
@click.option(
    "--pages",
    "page_slugs",
    metavar="SLUG,…",
    help="The pages to show, in this order: health, milestones, burndown, risks, changes, updates.",
)
@click.pass_context
def standup(
    click_ctx: click.Context,
    db_path: str | None,
    cycle: str,
    first_page: int | None,
    project_codes: str | None,
    page_slugs: str | None,
) -> None:
    """Show the weekly stand-up kiosk: portfolio health, milestones, burn-downs, risks and
    updates due, page after page, read-only. Press ctrl+q twice to quit."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.standup import parse_cycle, parse_pages
    from itpm_tui.screens.standup import choose_pages
    from itpm_tui.screens.standup import page_slugs as valid_slugs
    from itpm_tui.storage.location import (
        inspect_sqlite_file,
        redact_url,
        require_existing,
        resolve_url,
        sqlite_path,
    )

    seconds = parse_cycle(cycle)
    pages = choose_pages(parse_pages(page_slugs, valid_slugs()))
    if first_page is not None and not 1 <= first_page <= len(pages):
        raise ItpmError(f"--page: there is no page {first_page}; the pages are 1 to {len(pages)}")
    settings = load_settings()
    url = resolve_url(chosen_db(click_ctx, db_path), settings.database_url)
    path = sqlite_path(url)
    if path is not None:  # a mistyped --db is said, not created
        require_existing(path)
        inspect_sqlite_file(path)
    scope = None
    if project_codes is not None:
        scope = known_projects(url, path, project_codes)
    as_handle = acting_as()

    def open_ctx() -> Any:
        from itpm_tui.services.context import Context
        from itpm_tui.storage.database import open_database

        return Context(open_database(url), settings.user, as_handle=as_handle, read_only=READ_ONLY)

    if not os.environ.get(SERVED):
        mark_standup(url, settings.user, as_handle)
    from itpm_tui.screens.standup import StandupApp

    where = path.name if path else redact_url(url)
    app = StandupApp(
        open_ctx,
        settings,
        where=where,
        cycle=seconds,
        first_page=first_page,
        pages=pages,
        scope=scope,
        env=os.environ,
    )
    app.run()
    if app.fatal_error:
        raise ItpmError(app.fatal_error)


def known_projects(url: str, path: Path | None, text: str) -> frozenset[str]:
    """The codes of `--projects`, in upper case, each checked to name a project; a database
    file that does not exist yet is not created by the check."""
    from itpm_tui.domain.standup import parse_project_codes

    codes = parse_project_codes(text)
    if path is not None and not path.exists():
        raise ItpmError(f"--projects: there is no project {codes[0]}")
    from itpm_tui.queries.portfolio import projects_by_code
    from itpm_tui.storage.database import open_database

    db = open_database(url)
    try:
        stored = {code.upper() for code in projects_by_code(db)}
    finally:
        db.dispose()
    for code in codes:
        if code not in stored:
            raise ItpmError(f"--projects: there is no project {code}")
    return frozenset(codes)


def mark_standup(url: str, user: str, as_handle: str | None) -> bool:
    """Record that a stand-up is held today, before the read-only kiosk opens, so the next
    "What changed" starts from it (`services.standup`). A viewer, or a file that cannot be
    written now, records nothing: the kiosk is shown all the same."""
    from itpm_tui.services.context import Context
    from itpm_tui.services.standup import record_standup
    from itpm_tui.storage.database import open_database

    db = open_database(url)
    try:
        return record_standup(Context(db, user, as_handle=as_handle))
    except ItpmError:
        return False
    finally:
        db.dispose()
