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
from itpm_tui.formats.registry import ImportRequest, export_format, export_names, import_format

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
    from itpm_tui.demo.builder import build_demo

    ctx = _context(_db(click_ctx, db_path))
    summary = build_demo(ctx, force=force)
    where = ctx.db.path or ctx.db.url
    click.echo(f"demo portfolio written to {where}: {summary}")


EXPORT_FORMATS = export_names()


@cli.command(name="export")
@click.argument("project", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="json: the whole portfolio; for one PROJECT: mspdi (Microsoft Project XML), "
    "vcard (its stakeholders) or ics (its milestones and downtime windows).",
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
    """Export the portfolio (json) or one PROJECT (mspdi, vcard, ics); see docs/reports.md."""
    chosen = export_format(fmt)
    if chosen.export_portfolio is not None and project is not None:
        raise click.UsageError(f"{fmt} exports the whole portfolio; leave out PROJECT")
    if chosen.export_project is not None and project is None:
        raise click.UsageError(f"--format {fmt} exports one project: name its code")
    ctx = _context(_db(click_ctx, db_path))
    if chosen.export_portfolio is not None:
        chosen.export_portfolio(ctx, Path(output) if output else sys.stdout)
    else:
        assert chosen.export_project is not None
        data = chosen.export_project(ctx, str(project))
        if output:
            _write_file(Path(output), data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    if output:
        click.echo(f"written to {output}", err=True)


def _write_file(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write through a temporary file in the same directory, then rename it into place, so a
    reader never sees half a file. With `replace` False an existing file is left alone."""
    import os
    import tempfile

    if not replace and path.exists():
        raise ItpmError(f"{path} already exists; use --force to replace it")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # refuses if the file appeared meanwhile: never clobbered
            except FileExistsError:
                raise ItpmError(f"{path} already exists; use --force to replace it") from None
            os.unlink(tmp)
        tmp = None
    except OSError as exc:
        raise ItpmError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


@cli.command(name="report")
@click.argument("project")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("md", "html", "txt")),
    default="txt",
    show_default=True,
    help="md: Markdown; html: one self-contained page; txt: plain text at 80 columns.",
)
@click.option(
    "--audience",
    type=click.Choice(("executive", "technical")),
    default="executive",
    show_default=True,
    help="executive: plain words on one page; technical: earned value, tasks, downtime, "
    "every risk.",
)
@click.option("--closing", is_flag=True, help="The closing report: acceptance, sign-off, lessons.")
@click.option("--as-of", "as_of", metavar="DATE", help="Report as of DATE (default: today).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to write (default: standard output); an existing file is kept unless --force.",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@_db_option
@click.pass_context
def report_cmd(
    click_ctx: click.Context,
    project: str,
    fmt: str,
    audience: str,
    closing: bool,
    as_of: str | None,
    output: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """Write the status report of PROJECT (by code), or with --closing its closing report.

    What each report holds is described in docs/reports.md.
    """
    from itpm_tui.domain.validation import parse_date

    day = parse_date(as_of, "--as-of") if as_of is not None else None
    if as_of is not None and day is None:
        raise click.UsageError("--as-of needs a date (YYYY-MM-DD)")
    target = Path(output) if output else None
    if target is not None and target.exists() and not force:
        raise ItpmError(f"{target} already exists; use --force to replace it")
    ctx = _context(_db(click_ctx, db_path))
    from itpm_tui.config import load_settings
    from itpm_tui.reports import project_id_for_code, render_report

    text = render_report(
        ctx.db,
        project_id_for_code(ctx.db, project),
        today=day or ctx.today(),
        audience=audience,
        fmt=fmt,
        closing=closing,
        thresholds=load_settings().risk_thresholds(),
    )
    if target is None:
        click.echo(text, nl=False)
        return
    _write_file(target, text.encode("utf-8"), replace=force)
    click.echo(f"written to {target}", err=True)


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
    chosen = import_format(path)
    if chosen is None or chosen.importer is None:
        raise click.UsageError(
            f"cannot import '{file}': itpm reads .json portfolios, .xml (MSPDI) plans "
            "and .csv ledger entries"
        )
    if chosen.needs_project and not project:
        raise click.UsageError(chosen.needs_project)
    ctx = _context(_db(click_ctx, db_path))
    outcome = chosen.importer(ctx, ImportRequest(path, code, project, category))
    click.echo(outcome.summary)
    for warning in outcome.warnings:
        click.echo(f"  not mapped: {warning}", err=True)


@cli.group()
def person() -> None:
    """Add or list the people tasks are assigned to."""


@person.command("add")
@click.argument("name")
@click.option("--handle", required=True, help="Unique login: lowercase letters, digits, . _ -")
@click.option(
    "--role",
    default="technician/engineer",
    show_default=True,
    help="project manager (pm), technician/engineer, other, or a job title.",
)
@click.option("--capacity", default="40", show_default=True, help="Hours a week (more than 0).")
@click.option("--rate", default="0", show_default=True, help="Cost per hour.")
@click.option("--currency", help="ISO 4217 code of the rate (default: the config's currency).")
@click.option("--email", default="", help="E-mail address.")
@click.option("--phone", default="", help="Phone number.")
@click.option("--skills", default="", help="Skills, free text.")
@_db_option
@click.pass_context
def person_add(
    click_ctx: click.Context,
    name: str,
    handle: str,
    role: str,
    capacity: str,
    rate: str,
    currency: str | None,
    email: str,
    phone: str,
    skills: str,
    db_path: str | None,
) -> None:
    """Add NAME to the team, checked as the Team screen's form checks it."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.people import read_person, role_choice
    from itpm_tui.services.people import add_person

    draft = read_person(
        name=name,
        handle=handle,
        role=role_choice(role),
        email=email,
        phone=phone,
        skills=skills,
        capacity=capacity,
        rate=rate,
        currency=currency or load_settings().currency,
    )
    ctx = _context(_db(click_ctx, db_path))
    person_id = add_person(ctx, draft)
    click.echo(f"added {draft.name} ({draft.handle}) as person {person_id}")


@person.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include retired people.")
@_db_option
@click.pass_context
def person_list(click_ctx: click.Context, show_all: bool, db_path: str | None) -> None:
    """Print the team as a plain table: capacity, rate, open tasks and this week's load."""
    from itpm_tui.domain.money import format_money
    from itpm_tui.domain.people import hours_text, load_text
    from itpm_tui.queries.team import team

    ctx = _context(_db(click_ctx, db_path))
    people = team(ctx.db, ctx.today(), 1, retired=show_all).people
    if not people:
        click.echo("no people yet: itpm person add NAME --handle HANDLE")
        return
    rows = [("HANDLE", "NAME", "ROLE", "H/WK", "RATE/H", "STATE", "TASKS", "THIS WEEK")]
    for p in people:
        load, _over = load_text(p.load[0], p.capacity)
        rows.append(
            (
                p.handle,
                p.name,
                p.role or "-",
                hours_text(p.capacity),
                format_money(p.rate, p.currency),
                "active" if p.active else "retired",
                str(p.open_tasks),
                load,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


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


@config.command("keys")
def config_keys() -> None:
    """List every key binding: its id (for the [keymap] table), its keys and what it does."""
    from itpm_tui.config import load_settings
    from itpm_tui.screens.registry import key_rows

    keymap = load_settings().keymap
    rows = key_rows()
    shown = [(row, keymap.get(row.id, row.keys), row.id in keymap) for row in rows]
    id_width = max(len(row.id) for row in rows)
    key_width = max(len(keys) for _row, keys, _mapped in shown)
    for row, keys, mapped in shown:
        note = f" (default {row.keys})" if mapped else ""
        click.echo(f"{row.id:<{id_width}}  {keys:<{key_width}}  {row.description}{note}")


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
