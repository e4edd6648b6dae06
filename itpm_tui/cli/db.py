"""`itpm db`: the database itself — `itpm db upgrade` migrates its schema on purpose.

A SQLite file is migrated whenever this release opens it; a server database a team shares
only by `itpm db upgrade`, so a colleague's newer itpm never changes it behind the others.
"""

from __future__ import annotations

import click

from itpm_tui.cli import db_transfer
from itpm_tui.cli.common import chosen_db, db_option, remember_new_database
from itpm_tui.cli.output import echo


@click.group("db")
def db() -> None:
    """The database itself: its schema, a copy in another database, a backup."""


@db.command("upgrade")
@db_option
@click.pass_context
def upgrade(click_ctx: click.Context, db_path: str | None) -> None:
    """Bring the database's schema to this release's (creating it when new).

    On PostgreSQL an advisory lock lets one upgrade run at a time; the others wait, then
    find nothing to do. Every itpm that opens the database needs this release's schema.
    """
    from itpm_tui.config import load_settings
    from itpm_tui.storage.database import upgrade_database
    from itpm_tui.storage.location import resolve_url, shown

    url = resolve_url(chosen_db(click_ctx, db_path), load_settings().database_url)
    remember_new_database(url)
    before, after = upgrade_database(url)
    where = shown(url)
    if before == after:
        echo(f"{where}: schema {after}, already this release's; nothing to do")
    elif before is None:
        echo(f"{where}: created at schema {after}")
    else:
        echo(f"{where}: upgraded from schema {before} to {after}")


db.add_command(db_transfer.copy_cmd)
db.add_command(db_transfer.backup_cmd)
