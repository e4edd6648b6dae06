"""`itpm standup`: the stand-up kiosk on a shared screen, read-only and cycling."""

from __future__ import annotations

import os
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
@click.option("--page", "first_page", type=int, help="The page to start on (its number).")
@click.pass_context
def standup(
    click_ctx: click.Context, db_path: str | None, cycle: str, first_page: int | None
) -> None:
    """Show the weekly stand-up kiosk: portfolio health, milestones, burn-downs, risks and
    updates due, page after page, read-only. Press ctrl+q twice to quit."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.standup import parse_cycle
    from itpm_tui.screens.standup import page_numbers
    from itpm_tui.storage.location import inspect_sqlite_file, resolve_url, sqlite_path

    seconds = parse_cycle(cycle)
    numbers = page_numbers()
    if first_page is not None and first_page not in numbers:
        listed = ", ".join(str(n) for n in numbers)
        raise ItpmError(f"--page: there is no page {first_page}; the pages are {listed}")
    settings = load_settings()
    url = resolve_url(chosen_db(click_ctx, db_path), settings.database_url)
    path = sqlite_path(url)
    if path is not None:
        inspect_sqlite_file(path)
    as_handle = acting_as()

    def open_ctx() -> Any:
        from itpm_tui.services.context import Context
        from itpm_tui.storage.database import open_database

        return Context(open_database(url), settings.user, as_handle=as_handle, read_only=READ_ONLY)

    if not os.environ.get(SERVED):
        mark_standup(url, settings.user, as_handle)
    from itpm_tui.screens.standup import StandupApp

    where = path.name if path else url.split("@")[-1]
    app = StandupApp(open_ctx, settings, where=where, cycle=seconds, first_page=first_page)
    app.run()
    if app.fatal_error:
        raise ItpmError(app.fatal_error)


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
