"""What every command shares: the --db option and opening the database as the user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

DB_HELP = (
    "Database file or URL (postgresql://USER@HOST/NAME); default: ITPM_DB, then config "
    "database_url, then the user data dir."
)


def acting_as() -> str | None:
    """The handle the root option `--as` names, if any."""
    click_ctx = click.get_current_context(silent=True)
    if click_ctx is None:
        return None
    value = (click_ctx.find_root().obj or {}).get("as")
    return str(value) if value else None


def open_context(db_path: str | None) -> Any:
    """Open the database named by --db / ITPM_DB / config, as the configured user (looking
    as the person `--as` names; writes are then checked by `services.context`).

    Loading the storage stack (SQLAlchemy, SQLModel, the models) makes some 70,000 objects
    that live as long as the process: the cycle collector is paused meanwhile
    (`domain.bulk.paused_gc`; it ran about 150 times over them as they were made, freeing
    almost nothing) and they are put out of its reach (`domain.bulk.freeze_loaded`) before
    it runs again — after, its first run would walk them all once more (40–50 ms)."""
    from itpm_tui.domain.bulk import freeze_loaded, paused_gc

    with paused_gc():
        from itpm_tui.config import load_settings
        from itpm_tui.services.context import Context
        from itpm_tui.storage.database import open_database, resolve_url

        settings = load_settings()
        url = resolve_url(db_path, settings.database_url)
        remember_new_database(url)
        database = open_database(url, create=not only_reads())
        close_with_command(database.dispose)
        context = Context(database, settings.user, as_handle=acting_as())
        freeze_loaded()
    return context


def close_with_command(close: Callable[[], None]) -> None:
    """Have `close` called as the command ends, whether it succeeded or failed: the database
    is closed then (SQLite folds its write-ahead log back into the file and removes it), not
    left to the interpreter's exit, where the frozen objects (`freeze_loaded`) are not
    collected — the file would stand without the log holding what was just written."""
    click_ctx = click.get_current_context(silent=True)
    if click_ctx is not None:
        click_ctx.call_on_close(close)


#: Commands that only read the database: a mistyped --db is said ("no database at PATH")
#: instead of created with its folders. Every other command creates it on first use.
READING = frozenset(
    {"my", "changes", "export", "report", "whoami", "doctor", "standup", "serve", "list"}
)


def only_reads() -> bool:
    """Whether the command being run only reads (its name is in `READING`)."""
    click_ctx = click.get_current_context(silent=True)
    return click_ctx is not None and click_ctx.info_name in READING


def remember_new_database(url: str) -> None:
    """Note a database this command is about to create, so `itpm_tui.cli.main` can take it
    back if the command then fails (`storage.database.discard_unused`)."""
    from itpm_tui.storage.database import new_paths, sqlite_path

    click_ctx = click.get_current_context(silent=True)
    path = sqlite_path(url)
    if click_ctx is None or path is None or only_reads():
        return
    root = click_ctx.find_root()
    if isinstance(root.obj, dict) and "new_database" not in root.obj and (made := new_paths(path)):
        root.obj["new_database"] = made


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
