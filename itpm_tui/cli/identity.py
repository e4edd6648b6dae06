"""`itpm whoami`: who itpm takes you for, with which rights, and why."""

from __future__ import annotations

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo


@click.command("whoami")
@db_option
@click.pass_context
def whoami(click_ctx: click.Context, db_path: str | None) -> None:
    """Say which person of the team you act as, your role, and how that was decided.

    On a server database you are its login, whatever the config `user` says."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.roles import Action

    ctx = open_context(chosen_db(click_ctx, db_path))
    who = ctx.identity()
    if ctx.db.login is not None:
        echo(
            f"login: '{who.login}', the database's (config user '{load_settings().user}' "
            "is not used on a server database)"
        )
    person = f"{who.name} ({who.handle})" if who.handle else "nobody on the team"
    echo(f"{'looking as' if who.looking_as else 'you are'}: {person}")
    echo(f"role: {who.role.value}")
    rights = [action.value.replace("them", "you") for action in Action if who.may(action)]
    echo(f"may: {'; '.join(rights) if rights else 'read only, no writes'}")
    echo(f"because: {who.how}")
