"""The `itpm` command: opens the dashboard, or runs one job and exits.

Every failure a user can cause prints one line on stderr and exits with status 2; heavy
modules (Textual, alembic, exporters) load only in the commands that need them. Each
family of commands lives in its own module and is registered at the bottom.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from itpm_tui import __version__
from itpm_tui.cli.common import DB_HELP
from itpm_tui.errors import ItpmError
from itpm_tui.screens.registry import SCREENS


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_HELP)
@click.option(
    "--screen",
    type=click.Choice([entry.mode for entry in SCREENS]),
    help="The screen the dashboard opens on (e.g. my: My work).",
)
@click.option(
    "--as",
    "as_handle",
    metavar="HANDLE",
    help="Look as another person of the team (read-only unless you are a project manager).",
)
@click.version_option(__version__, "--version", prog_name="itpm")
@click.pass_context
def cli(
    click_ctx: click.Context, db_path: str | None, screen: str | None, as_handle: str | None
) -> None:
    """itpm — a terminal dashboard for IT project managers.

    With no command, opens the dashboard.
    """
    click_ctx.ensure_object(dict)
    click_ctx.obj["db"] = db_path
    click_ctx.obj["as"] = as_handle
    if click_ctx.invoked_subcommand is None:
        _run_app(db_path, screen or "", as_handle)


def _run_app(
    db_path: str | None, screen: str = "", as_handle: str | None = None, read_only: str = ""
) -> None:
    from itpm_tui.config import load_settings
    from itpm_tui.storage.location import inspect_sqlite_file, redact_url, resolve_url, sqlite_path

    settings = load_settings()
    url = resolve_url(db_path, settings.database_url)
    path = sqlite_path(url)
    if path is not None:  # not SQLite, not itpm's, or newer: refused before the screen opens
        inspect_sqlite_file(path, full=False)  # damage: checked beside the first fetch
    if as_handle:  # and a handle naming nobody, in one line
        from itpm_tui.queries.identity import identify
        from itpm_tui.storage.database import open_database

        database = open_database(url)
        try:
            identify(database, settings.user, as_handle)
        finally:
            database.dispose()

    def open_ctx() -> Any:
        from itpm_tui.services.context import Context
        from itpm_tui.storage.database import open_database

        return Context(
            open_database(url, check_later=True),
            settings.user,
            as_handle=as_handle,
            read_only=read_only,
        )

    from itpm_tui.app import ItpmApp

    where = path.name if path else redact_url(url)  # a password never reaches the screen
    app = ItpmApp(
        open_ctx,
        settings,
        where=where,
        first_screen=screen,
        env=os.environ,
        first_read_path=None if as_handle else path,
    )
    app.run()
    if app.fatal_error:
        raise ItpmError(app.fatal_error)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click does the parsing, we turn every failure into one line and exit 2."""
    try:
        cli.main(args=argv, prog_name="itpm", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"itpm: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(130)
    except ItpmError as exc:
        click.echo(f"itpm: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


def _register() -> None:
    from itpm_tui.cli import (
        calendar,
        changes,
        doctor,
        identity,
        my,
        people,
        plans,
        portfolio,
        projects,
        serve,
        settings,
        standup,
        tasks,
    )

    for command in (
        portfolio.demo,
        portfolio.export_cmd,
        portfolio.report_cmd,
        portfolio.import_cmd,
        people.person,
        projects.project,
        tasks.task,
        my.my,
        changes.changes,
        plans.budget,
        plans.baseline,
        calendar.downtime,
        calendar.holidays,
        settings.config,
        identity.whoami,
        doctor.doctor,
        standup.standup,
        serve.serve,
        serve.serve_view,
    ):
        cli.add_command(command)


_register()
