"""What every command shares: the --db option and opening the database as the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

DB_HELP = "Database file (default: ITPM_DB, then config database_url, then the user data dir)."


def acting_as() -> str | None:
    """The handle the root option `--as` names, if any."""
    click_ctx = click.get_current_context(silent=True)
    if click_ctx is None:
        return None
    value = (click_ctx.find_root().obj or {}).get("as")
    return str(value) if value else None


def open_context(db_path: str | None) -> Any:
    """Open the database named by --db / ITPM_DB / config, as the configured user (looking
    as the person `--as` names; writes are then checked by `services.context`)."""
    from itpm_tui.config import load_settings
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database, resolve_url

    settings = load_settings()
    database = open_database(resolve_url(db_path, settings.database_url))
    return Context(database, settings.user, as_handle=acting_as())


def db_option(func: Any) -> Any:
    return click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_HELP)(func)


def chosen_db(click_ctx: click.Context, db_path: str | None) -> str | None:
    return db_path or (click_ctx.obj or {}).get("db")


#: The `--force` of every command with `-o/--output FILE`.
FORCE_HELP = "Replace the --output file if it exists (the new one keeps its mode)."


def check_output(output: str | None, force: bool) -> None:
    """Refuse a bad `-o` target before any work is done (and before the database opens)."""
    if output:
        from itpm_tui.private_files import check_output as check

        check(Path(output), replace=force)


def write_file(path: Path, data: bytes, *, replace: bool) -> None:
    """Write an export or report: 0600 when new, never wider than the file it replaces, only
    a regular file, and an existing one only with `replace` (--force); see `private_files`."""
    from itpm_tui.private_files import write_private

    write_private(path, data, replace=replace)
