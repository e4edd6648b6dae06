"""What a database driver error means to the user, in one line — the only place it is said.

SQLAlchemy wraps the driver's error; SQLite's result code (not the wording, which differs
between versions) tells a lock held by another program from a read-only file or a full disk.
A damaged page is no passing refusal: it is a `DatabaseError` (the dashboard ends with it)
that says to run `itpm doctor`, which reads the whole file — the start does not.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from itpm_tui.errors import DatabaseError, ItpmError, StorageError

#: SQLite primary result code → what it means for someone who just pressed Save.
_REASONS = {
    "SQLITE_BUSY": "the database is locked by another program — try again",
    "SQLITE_LOCKED": "the database is locked by another program — try again",
    "SQLITE_READONLY": "the database is read-only",
    "SQLITE_FULL": "the disk holding the database is full",
    "SQLITE_IOERR_SHMSIZE": "the disk holding the database is full",  # its -shm file
    "SQLITE_IOERR": "the database file could not be read or written (disk error)",
    "SQLITE_CANTOPEN": "the database file cannot be opened",
}

#: Result codes that say the file itself is damaged.
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def storage_error(exc: BaseException, doing: str = "save") -> ItpmError | None:
    """`exc` as a one-line `StorageError` ("could not save: …"), or None if the database
    did not refuse anything (a misuse of SQLAlchemy is a bug, not the user's problem); a
    damaged file is a `DatabaseError` naming `itpm doctor`."""
    driver = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(driver, sqlite3.Error):
        name = getattr(driver, "sqlite_errorname", "")
        if name.startswith(_DAMAGED):
            return DatabaseError(
                f"could not {doing}: the database file is damaged ({_first_line(driver)}); "
                "run itpm doctor, and restore the file from a backup"
            )
        reason = next((r for code, r in _REASONS.items() if name.startswith(code)), "")
        if not reason and "locked" in str(driver):
            reason = _REASONS["SQLITE_BUSY"]
        reason = reason or f"the database reported: {_first_line(driver)}"
    elif isinstance(exc, DBAPIError):  # another server's driver
        reason = f"the database reported: {_first_line(driver)}"
    else:
        return None
    return StorageError(f"could not {doing}: {reason}")


def _first_line(error: BaseException | None) -> str:
    lines = str(error).splitlines()
    return lines[0] if lines else type(error).__name__
