"""`itpm db copy` and `itpm db backup`: the whole database moved or saved, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from itpm_tui.cli.common import chosen_db, db_option, remember_new_database
from itpm_tui.cli.output import echo


@click.command("copy")
@click.argument("source")
@click.argument("target")
def copy_cmd(source: str, target: str) -> None:
    """Copy the whole portfolio from SOURCE into the empty database TARGET.

    Each is a SQLite file path or a database URL (postgresql+psycopg://user@host/name).
    Every table is copied with its ids, the activity history and exact money, in one
    transaction: a failure writes nothing. A new SQLite TARGET is created; a server
    TARGET must be migrated first (itpm db upgrade). SOURCE is only read.
    """
    from itpm_tui.cli.progress import ProgressLine
    from itpm_tui.storage.location import named_database, shown
    from itpm_tui.storage.transfer import copy_database

    source_url, target_url = named_database(source), named_database(target)
    remember_new_database(target_url)  # a failed copy takes back the file it created
    progress = ProgressLine.on_terminal("copying")
    try:
        report = copy_database(
            source_url, target_url, progress.rows if progress is not None else None
        )
    finally:
        if progress is not None:
            progress.close()
    echo(
        f"copied {report.total:,} rows of {len(report.rows)} tables "
        f"from {shown(source_url)} to {shown(target_url)}"
    )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists (keeping its mode).")
@db_option
@click.pass_context
def backup_cmd(click_ctx: click.Context, file: str, force: bool, db_path: str | None) -> None:
    """Back up the SQLite database to FILE while others keep working.

    SQLite's online backup: one consistent snapshot, checked page by page before it is put
    in place. FILE is created 0600; an existing one is replaced only with --force. A
    server database is backed up with its own tool (pg_dump).
    """
    from itpm_tui.config import load_settings
    from itpm_tui.storage.location import resolve_url, shown
    from itpm_tui.storage.transfer import backup_sqlite

    url = resolve_url(chosen_db(click_ctx, db_path), load_settings().database_url)
    backup_sqlite(url, Path(file), replace=force)
    echo(f"backed up {shown(url)} to {file}")
