"""`itpm db`: the database as a whole — copied between databases, backed up."""

from __future__ import annotations

import click

from itpm_tui.cli import db_transfer


@click.group("db")
def db() -> None:
    """The database as a whole: copy it to another database, back it up."""


db.add_command(db_transfer.copy_cmd)
db.add_command(db_transfer.backup_cmd)
