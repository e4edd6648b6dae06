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
    from itpm_tui.storage.location import (
        inspect_sqlite_file,
        redact_url,
        require_existing,
        resolve_url,
        sqlite_path,
    )

    settings = load_settings()
    url = resolve_url(db_path, settings.database_url)
    path = sqlite_path(url)
    if path is not None:  # not SQLite, not itpm's, or newer: refused before the screen opens
        if as_handle or read_only:  # looking as someone reads: a mistyped --db is said
            require_existing(path)
        inspect_sqlite_file(path)
    if as_handle:  # and a handle naming nobody, in one line
        from itpm_tui.queries.identity import identify
        from itpm_tui.storage.database import open_database

        database = open_database(url, create=False)
        try:
            identify(database, settings.user, as_handle)
        finally:
            database.dispose()

    def open_ctx() -> Any:
        from itpm_tui.services.context import Context
        from itpm_tui.storage.database import open_database

        return Context(
            open_database(url),
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
    """Entry point: click does the parsing, we turn every failure into one line and exit 2.

    What the user or the machine caused (a bad value, a file that cannot be used, a full
    disk, a lock) is said as it is; anything else is a bug: one line naming the error and a
    crash file with the code path (`itpm_tui.crash`), never a traceback with the data."""
    args = sys.argv[1:] if argv is None else argv
    state: dict[str, Any] = {}  # the root context's obj: see `cli.common.open_context`
    try:
        check_arguments(args)
        cli.main(args=args, prog_name="itpm", standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), state)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _discard_new_database(state)
        sys.exit(130)
    except ItpmError as exc:
        _fail(str(exc), state)
    except Exception as exc:
        _fail(explain(exc), state)


def _fail(message: str, state: dict[str, Any]) -> None:
    from itpm_tui.cli.output import echo

    _discard_new_database(state)
    echo(f"itpm: {message}", err=True)  # a typed value quoted back stays a mark, not a command
    sys.exit(2)


def _discard_new_database(state: dict[str, Any]) -> None:
    """A command that failed leaves no database it created behind (empty but for its
    schema); one holding data is kept."""
    made = state.get("new_database")
    if made:
        from itpm_tui.storage.database import discard_unused

        discard_unused(made)


def check_arguments(args: list[str]) -> None:
    """Refuse an argument holding bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which no file, database or terminal accepts later on)."""
    for number, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise ItpmError(
                f"argument {number} ('{shorten(shown)}') is not valid UTF-8 text"
            ) from None


def explain(exc: BaseException) -> str:
    """One line for an exception no command turned into an `ItpmError`: the cause when the
    machine or the user's data caused it, else "unexpected error" and a crash file."""
    if isinstance(exc, OSError) and exc.strerror:
        if exc.filename is None:
            return f"the system refused: {exc.strerror}"
        return f"cannot use {shorten(os.fsdecode(exc.filename))}: {exc.strerror}"
    if isinstance(exc, UnicodeEncodeError):
        return "text that is not valid UTF-8 cannot be stored or shown; nothing was written"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (bad byte at offset {exc.start}); nothing was written"
    if "sqlalchemy" in sys.modules or "sqlite3" in sys.modules:
        from itpm_tui.storage.failures import storage_error

        refused = storage_error(exc, "finish")
        if refused is not None:
            return str(refused)
    from itpm_tui.crash import crash_line

    return crash_line(exc)


def shorten(text: str, limit: int = 80) -> str:
    """A name or value cut to `limit` characters (a 300-character file name, say)."""
    return text if len(text) <= limit else f"{text[: limit - 21]}…{text[-20:]}"


def _register() -> None:
    from itpm_tui.cli import (
        calendar,
        changes,
        db,
        doctor,
        identity,
        mail,
        my,
        people,
        plans,
        portfolio,
        projects,
        publish,
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
        db.db,
        doctor.doctor,
        db.db,
        standup.standup,
        serve.serve,
        serve.serve_view,
        mail.mail,
        mail.send_cmd,
        mail.updates,
        mail.digest,
        publish.feeds,
        publish.page,
    ):
        cli.add_command(command)


_register()
