"""The database's own identity: the random UUID made once when it was created (migration
0013), which exported UIDs combine with record ids (`formats.icalendar.record_uid`)."""

from __future__ import annotations

import uuid

from itpm_tui.errors import ItpmError
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import DatabaseIdentity


def database_uid(db: Database) -> uuid.UUID:
    """This database's UUID; `ItpmError` if its schema predates it (not upgraded)."""
    with db.read() as session:
        row = session.get(DatabaseIdentity, 1)
    if row is None:
        raise ItpmError("the database has no identity yet; run 'itpm db upgrade' on it")
    return uuid.UUID(row.uid)
