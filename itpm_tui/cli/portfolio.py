"""Whole-portfolio and whole-project jobs: the demo, import, export and reports."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from itpm_tui.cli.common import (
    FORCE_HELP,
    check_output,
    chosen_db,
    db_option,
    open_context,
    write_file,
)
from itpm_tui.cli.ledger_options import ledger_csv_options
from itpm_tui.cli.output import echo
from itpm_tui.formats.registry import ImportRequest, export_format, export_names, import_format

if TYPE_CHECKING:
    from itpm_tui.formats.ledger_csv import CsvOptions


@click.command()
@db_option
@click.option("--force", is_flag=True, help="Replace what the database holds.")
@click.pass_context
def demo(click_ctx: click.Context, db_path: str | None, force: bool) -> None:
    """Fill the database with a realistic demo portfolio (dates relative to today)."""
    from itpm_tui.demo.builder import build_demo

    ctx = open_context(chosen_db(click_ctx, db_path))
    summary = build_demo(ctx, force=force)
    from itpm_tui.storage.location import redact_url

    where = ctx.db.path or redact_url(ctx.db.url)
    echo(f"demo portfolio written to {where}: {summary}")


EXPORT_FORMATS = export_names()


@click.command(name="export")
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
    help="File to write, 0600 (default: standard output); an existing file is kept unless --force.",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@db_option
@click.pass_context
def export_cmd(
    click_ctx: click.Context,
    project: str | None,
    fmt: str,
    output: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """Export the portfolio (json) or one PROJECT (mspdi, vcard, ics); see docs/reports.md."""
    chosen = export_format(fmt)
    if chosen.export_portfolio is not None and project is not None:
        raise click.UsageError(f"{fmt} exports the whole portfolio; leave out PROJECT")
    if chosen.export_project is not None and project is None:
        raise click.UsageError(f"--format {fmt} exports one project: name its code")
    check_output(output, force)
    ctx = open_context(chosen_db(click_ctx, db_path))
    if chosen.export_portfolio is not None:
        if not output:
            chosen.export_portfolio(ctx, sys.stdout)
        else:
            from itpm_tui.private_files import write_private_with

            export = chosen.export_portfolio

            def write(handle: BinaryIO) -> None:  # streamed into the private temporary file
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
                export(ctx, text)
                text.flush()
                text.detach()

            write_private_with(Path(output), write, replace=force)
    else:
        assert chosen.export_project is not None
        data = chosen.export_project(ctx, str(project))
        if output:
            write_file(Path(output), data, replace=force)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    if output:
        echo(f"written to {output}", err=True)


@click.command(name="report")
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
    help="File to write, 0600 (default: standard output); an existing file is kept unless --force.",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@db_option
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
    check_output(output, force)
    ctx = open_context(chosen_db(click_ctx, db_path))
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
        echo(text, nl=False)
        return
    write_file(target, text.encode("utf-8"), replace=force)
    echo(f"written to {target}", err=True)


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--code", help="Project code for an imported plan (default: from its name).")
@click.option("--project", help="Project whose ledger receives a .csv of expenses.")
@click.option("--category", help="Category for .csv rows that have none.")
@ledger_csv_options
@db_option
@click.pass_context
def import_cmd(
    click_ctx: click.Context,
    file: str,
    code: str | None,
    project: str | None,
    category: str | None,
    db_path: str | None,
    csv_options: CsvOptions | None,
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
    if csv_options is not None and chosen.name != "csv":
        raise click.UsageError(f"cannot import '{file}': the .csv options apply to .csv files only")
    ctx = open_context(chosen_db(click_ctx, db_path))
    from itpm_tui.cli.progress import ProgressLine

    progress = ProgressLine.on_terminal("importing")
    try:
        request = ImportRequest(path, code, project, category, progress, csv_options)
        outcome = chosen.importer(ctx, request)
    finally:
        if progress is not None:
            progress.close()
    echo(outcome.summary)
    for warning in outcome.warnings:
        echo(f"  not mapped: {warning}", err=True)
