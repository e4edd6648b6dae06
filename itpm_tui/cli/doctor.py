"""`itpm doctor`: is this installation fit for a team sharing one file? One line a check."""

from __future__ import annotations

import sys

import click

from itpm_tui.cli.common import chosen_db, db_option
from itpm_tui.cli.output import echo


@click.command("doctor")
@click.option(
    "--shared/--private",
    default=None,
    help="Check as a file shared by a group, or as one person's (default: from the modes).",
)
@click.option(
    "--repair",
    is_flag=True,
    help="First rewrite the stored per-project totals that disagree with the rows.",
)
@db_option
@click.pass_context
def doctor(
    click_ctx: click.Context, shared: bool | None, repair: bool, db_path: str | None
) -> None:
    """Check the database file, its folder and the config for sharing over SSH.

    Checks that the file opens and every page of it is sound (`PRAGMA quick_check`, which
    reads the whole file: itpm itself checks only the header and the schema when it
    starts), its mode and group (and the -wal/-shm side files), the
    folder's group-write and setgid bits, a local file system (WAL cannot work on NFS,
    SMB, sshfs…), the journal mode, the schema revision, the config, that the config user
    is a person of the team, and free disk space. Each line says ok, note, or fix with the
    command to run. Nothing is changed, except with --repair: the stored per-project
    totals (budget, spend, percent complete) that disagree with the rows are rewritten from
    them first, in one logged transaction.

    Exit status: 0 all fine, 1 something needs fixing, 2 bad input.
    """
    from itpm_tui.config import Settings, config_path, load_settings
    from itpm_tui.errors import ConfigError
    from itpm_tui.queries.doctor import diagnose
    from itpm_tui.storage.health_checks import fix, ok

    if repair:
        from itpm_tui.cli.common import open_context
        from itpm_tui.services.totals import repair_totals
        from itpm_tui.storage.project_totals import projects

        ctx = open_context(chosen_db(click_ctx, db_path))
        try:
            wrong = repair_totals(ctx)
        finally:
            ctx.db.dispose()
        fixed = f"repaired the stored totals of {projects(len(wrong))}"
        echo(fixed if wrong else "stored totals: none to repair")
    try:  # a bad config is one finding; the file is still checked, with the defaults
        settings = load_settings()
        where = config_path()
        config = ok(f"config {where}: valid" if where.exists() else "config: none, defaults")
    except ConfigError as exc:
        settings = Settings()
        config = fix(f"config: {exc}", "correct it, or see: itpm config show")
    diagnosis = diagnose(
        chosen_db(click_ctx, db_path),
        database_url=settings.database_url,
        user=settings.user,
        shared=shared,
        config=config,
    )
    for finding in diagnosis.findings:
        echo(finding.line())
    if not diagnosis.healthy:
        echo("something needs fixing: run the commands above, then itpm doctor again")
        sys.exit(1)
    echo("all fine")
