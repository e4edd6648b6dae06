"""Errors that reach the user as one clear line, never a traceback."""

from __future__ import annotations

from itpm_tui.domain.text import printable_lines


class ItpmError(Exception):
    """A problem the user can act on; the CLI prints it and exits with status 2.

    Its text often quotes a value from a file or the database: it reads with every control
    character shown as a visible ``\\xNN`` mark, so printing it can never drive a terminal.
    """

    def __str__(self) -> str:
        return printable_lines(super().__str__())


class DatabaseError(ItpmError):
    """The database file cannot be used as it is (not SQLite, corrupt, too new)."""


class ConfigError(ItpmError):
    """The config file or a config value is not acceptable."""


class ConflictError(ItpmError):
    """Someone else saved the record after it was loaded; their edit is kept, ours refused.

    `entity` (the table name, e.g. "task") and `row_id` say which record, so a form can
    look up what the colleague changed in the activity log; None when not known.
    """

    def __init__(
        self, message: str, *, entity: str | None = None, row_id: int | None = None
    ) -> None:
        super().__init__(message)
        self.entity = entity
        self.row_id = row_id


class NotFoundError(ItpmError):
    """The record asked for does not exist (or was removed by someone else)."""


class StorageError(ItpmError):
    """The database refused one operation (locked by another program, read-only, disk full).

    Unlike `DatabaseError` the file itself is fine: the screen or form stays and the user
    can try again.
    """


class NotAllowed(ItpmError):
    """The acting user's role may not make this write; the message names the role that may."""
