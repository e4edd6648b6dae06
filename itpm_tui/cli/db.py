"""`itpm db`: the database itself — `itpm db upgrade` migrates its schema on purpose,
`itpm db grant` makes a server enforce the team's roles.

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


@db.command("grant")
@db_option
@click.option(
    "--dry-run", is_flag=True, help="Print the SQL and what it would change; change nothing."
)
@click.option(
    "--create-logins",
    is_flag=True,
    help="Create a login (without a password) for a team member who has none.",
)
@click.pass_context
def grant(
    click_ctx: click.Context, db_path: str | None, dry_run: bool, create_logins: bool
) -> None:
    """Make a PostgreSQL server enforce the team's roles: group roles itpm_manager,
    itpm_technician and itpm_viewer with their privileges, and each person's login (their
    handle) in the group of their role.

    Run it as the database's owner after adding people or changing a role, and after `itpm
    db upgrade`. Idempotent; one transaction. Logins are created only with --create-logins,
    never with a password (set one with ALTER ROLE, or use the server's own authentication).
    """
    from itpm_tui.config import load_settings
    from itpm_tui.errors import ItpmError
    from itpm_tui.storage.database import open_database
    from itpm_tui.storage.location import resolve_url, shown, sqlite_path
    from itpm_tui.storage.server_roles import GROUPS, grant_team

    url = resolve_url(chosen_db(click_ctx, db_path), load_settings().database_url)
    if sqlite_path(url) is not None:  # refused before anything is opened or created
        raise ItpmError(
            f"{shown(url)} is a SQLite file, which has no logins or grants to set "
            "(its file permissions say who may read and write it)"
        )
    database = open_database(url, create=False)
    try:
        if database.login is None:
            raise ItpmError(f"{shown(url)} has no logins or grants itpm can set")
        plan = grant_team(database, create_logins=create_logins, dry_run=dry_run)
    finally:
        database.dispose()
    if dry_run:
        for line in plan.lines:
            echo(f"-- {line}")
        for statement in plan.statements:
            echo(f"{statement};")
        return
    for line in plan.lines:
        echo(line)
    echo(f"{shown(url)}: grants set for {', '.join(GROUPS.values())}")
