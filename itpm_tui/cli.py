"""The `itpm` command: opens the dashboard, or runs one job and exits.

Every failure a user can cause prints one line on stderr and exits with status 2; heavy
modules (Textual, alembic, exporters) load only in the commands that need them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from itpm_tui import __version__
from itpm_tui.errors import ItpmError

DB_HELP = "Database file (default: ITPM_DB, then config database_url, then the user data dir)."


def _context(db_path: str | None) -> Any:
    """Open the database named by --db / ITPM_DB / config, as the configured user."""
    from itpm_tui.config import load_settings
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database, resolve_url

    settings = load_settings()
    database = open_database(resolve_url(db_path, settings.database_url))
    return Context(database, settings.user)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_HELP)
@click.version_option(__version__, "--version", prog_name="itpm")
@click.pass_context
def cli(click_ctx: click.Context, db_path: str | None) -> None:
    """itpm — a terminal dashboard for IT project managers.

    With no command, opens the dashboard.
    """
    click_ctx.ensure_object(dict)
    click_ctx.obj["db"] = db_path
    if click_ctx.invoked_subcommand is None:
        _run_app(db_path)


def _run_app(db_path: str | None) -> None:
    from itpm_tui.config import load_settings
    from itpm_tui.storage.location import inspect_sqlite_file, resolve_url, sqlite_path

    settings = load_settings()
    url = resolve_url(db_path, settings.database_url)
    path = sqlite_path(url)
    if path is not None:
        inspect_sqlite_file(path)  # a bad file is refused before the screen opens

    def open_ctx() -> Any:
        from itpm_tui.services.context import Context
        from itpm_tui.storage.database import open_database

        return Context(open_database(url), settings.user)

    from itpm_tui.app import ItpmApp

    app = ItpmApp(open_ctx, settings, where=path.name if path else url.split("@")[-1])
    app.run()
    if app.fatal_error:
        raise ItpmError(app.fatal_error)


def _db_option(func: Any) -> Any:
    return click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_HELP)(func)


def _db(click_ctx: click.Context, db_path: str | None) -> str | None:
    return db_path or (click_ctx.obj or {}).get("db")


@cli.command()
@_db_option
@click.option("--force", is_flag=True, help="Replace what the database holds.")
@click.pass_context
def demo(click_ctx: click.Context, db_path: str | None, force: bool) -> None:
    """Fill the database with a realistic demo portfolio (dates relative to today)."""
    from itpm_tui.services.demo import build_demo

    ctx = _context(_db(click_ctx, db_path))
    summary = build_demo(ctx, force=force)
    where = ctx.db.path or ctx.db.url
    click.echo(f"demo portfolio written to {where}: {summary}")


@cli.command(name="export")
@click.argument("project", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "mspdi"]),
    default="json",
    show_default=True,
    help="json: the whole portfolio; mspdi: one PROJECT as Microsoft Project XML.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to write (default: standard output).",
)
@_db_option
@click.pass_context
def export_cmd(
    click_ctx: click.Context, project: str | None, fmt: str, output: str | None, db_path: str | None
) -> None:
    """Export the portfolio (json) or one PROJECT (mspdi)."""
    if fmt == "json" and project is not None:
        raise click.UsageError("json exports the whole portfolio; leave out PROJECT")
    if fmt != "json" and project is None:
        raise click.UsageError(f"--format {fmt} exports one project: name its code")
    ctx = _context(_db(click_ctx, db_path))
    if fmt == "json":
        from itpm_tui.services.transfer import write_json

        write_json(ctx.db, Path(output) if output else sys.stdout)
    else:
        from itpm_tui.services.mspdi import export_mspdi

        data = export_mspdi(ctx.db, str(project))
        if output:
            _write_file(Path(output), data)
        else:
            sys.stdout.buffer.write(data)
    if output:
        click.echo(f"written to {output}", err=True)


def _write_file(path: Path, data: bytes) -> None:
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise ItpmError(f"cannot write {path}: {exc.strerror}") from None


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--code", help="Project code for an imported plan (default: from its name).")
@click.option("--project", help="Project whose ledger receives a .csv of expenses.")
@click.option("--category", help="Category for .csv rows that have none.")
@_db_option
@click.pass_context
def import_cmd(
    click_ctx: click.Context,
    file: str,
    code: str | None,
    project: str | None,
    category: str | None,
    db_path: str | None,
) -> None:
    """Import FILE: a portfolio (.json), a Microsoft Project plan (.xml, MSPDI) or ledger
    entries (.csv with --project; columns in docs/ledger-csv.md)."""
    path = Path(file)
    kind = path.suffix.lower()
    if kind not in (".json", ".xml", ".csv"):
        raise click.UsageError(
            f"cannot import '{file}': itpm reads .json portfolios, .xml (MSPDI) plans "
            "and .csv ledger entries"
        )
    if kind == ".csv" and not project:
        raise click.UsageError("a .csv of expenses needs --project CODE")
    ctx = _context(_db(click_ctx, db_path))
    if kind == ".csv":
        from itpm_tui.services.ledger import import_ledger_csv

        click.echo(import_ledger_csv(ctx, path, str(project), category).summary)
    elif kind == ".json":
        from itpm_tui.services.transfer import import_json

        click.echo(import_json(ctx, path).summary)
    else:
        from itpm_tui.services.mspdi import import_mspdi

        report = import_mspdi(ctx, path, code=code)
        click.echo(str(report))
        for warning in report.warnings:
            click.echo(f"  not mapped: {warning}", err=True)


@cli.group()
def config() -> None:
    """Show or change settings (the file is TOML; ITPM_CONFIG points at another one)."""


@config.command("path")
def config_path_cmd() -> None:
    """Print where the config file is."""
    from itpm_tui.config import config_path

    click.echo(str(config_path()))


@config.command("show")
def config_show() -> None:
    """Print every setting with its value and what it means."""
    from dataclasses import fields

    from itpm_tui.config import Settings, config_path, load_settings

    settings = load_settings()
    click.echo(f"# {config_path()}")
    for f in fields(Settings):
        click.echo(f"{f.name} = {getattr(settings, f.name)!r}  # {f.metadata['help']}")


@config.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    """Set KEY to VALUE (validated; the file is unchanged if either is refused)."""
    from itpm_tui.config import config_path, set_value

    set_value(key, value)
    click.echo(f"{key} set in {config_path()}")


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
