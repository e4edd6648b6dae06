"""The `itpm import` options that say what a ledger .csv cannot say itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

_MARKS = {"point": ".", "comma": ","}
_NAMES = ("amounts", "date_format", "decimal_mark", "encoding", "skip_rows", "allow_duplicates")


def ledger_csv_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the options to `command`, which receives them as one `csv_options`
    (`formats.ledger_csv.CsvOptions`), or None when none was given."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        given = {name: kwargs.pop(name) for name in _NAMES}
        options = None
        if any(value not in (None, 0, False) for value in given.values()):
            from itpm_tui.formats.ledger_csv import CsvOptions

            mark = given["decimal_mark"]
            options = CsvOptions(
                amounts=given["amounts"],
                date_order=given["date_format"],
                decimal_mark=_MARKS[mark] if mark else None,
                encoding=given["encoding"],
                skip_rows=given["skip_rows"],
                allow_duplicates=given["allow_duplicates"],
            )
        command(*args, csv_options=options, **kwargs)

    decorators = [
        click.option(
            "--amounts",
            type=click.Choice(["costs-positive", "bank"]),
            help=".csv: costs-positive (a cost is positive, a credit negative; the default) "
            "or bank (a statement: money paid out is negative).",
        ),
        click.option(
            "--date-format",
            type=click.Choice(["DD/MM/YYYY", "MM/DD/YYYY"], case_sensitive=False),
            help=".csv: the order of day and month, when no date in the file settles it.",
        ),
        click.option(
            "--decimal-mark",
            type=click.Choice(list(_MARKS)),
            help=".csv: the decimal mark, when no amount in the file settles it.",
        ),
        click.option("--encoding", help=".csv: the file's encoding, e.g. cp1252 or utf-16."),
        click.option(
            "--skip-rows",
            type=click.IntRange(min=0),
            default=0,
            help=".csv: lines to skip before the header (a title).",
        ),
        click.option(
            "--allow-duplicates",
            is_flag=True,
            help=".csv: import rows already in the ledger (same date, amount, vendor, "
            "description and invoice) again.",
        ),
    ]
    decorated: Callable[..., None] = wrapper
    for decorator in reversed(decorators):
        decorated = decorator(decorated)
    return decorated
