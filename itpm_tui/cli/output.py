"""The one way a command prints: stored text reaches the terminal as text, never as a command.

A name or a note may hold an escape sequence (set by an import or by anyone with access to
the database); every line a command prints goes through `echo`, which shows such controls
as visible ``\\xNN`` marks (`domain.text.printable_output`). Files written with ``-o`` do not
come here: they hold the data byte for byte.
"""

from __future__ import annotations

import click

from itpm_tui.domain.text import printable_output


def echo(message: object = "", *, nl: bool = True, err: bool = False) -> None:
    """`click.echo` with every control character but tab and line breaks shown as a mark."""
    click.echo(printable_output(message), nl=nl, err=err)
