"""Who is acting: a login matched to a person's handle (`domain.roles`) — the config `user`
on a SQLite file, the database's own login (`current_user`) on a server."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlmodel import Session, col, select

from itpm_tui.domain.roles import Identity, Role, TeamMember, decide, role_of
from itpm_tui.errors import NotFoundError
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Person


@dataclass(frozen=True)
class Acting:
    """The login a write is recorded against and how far it is trusted: `owner` owns the
    database (file or server database); `server`: the login is the server's, not config."""

    login: str
    owner: bool = False
    server: bool = False


def acting(db: Database, configured: str) -> Acting:
    """Who `db` is used as: on a server its login (the config `user` is not asked: anyone
    can edit that), on a file the config `user`."""
    found = db.login
    if found is None:
        return Acting(configured, owns_file(db))
    return Acting(found.name, found.owner, server=True)


def _member(session: Session, handle: str) -> TeamMember | None:
    row = session.exec(select(Person).where(col(Person.handle) == handle.strip().lower())).first()
    if row is None or row.id is None:
        return None
    return TeamMember(row.id, row.name, row.handle, row.role, row.active)


def owns_file(db: Database) -> bool:
    """Whether this process's operating-system account owns the database file."""
    path = db.path
    getuid = getattr(os, "getuid", None)
    if path is None or getuid is None:
        return False
    try:
        return path.stat().st_uid == getuid()
    except OSError:
        return False


def identify_in(session: Session, who: Acting, as_handle: str | None = None) -> Identity:
    """The identity of `who` as the stored team decides it, in an open session (a write
    checks it inside its own transaction)."""
    roles = session.exec(select(Person.role).where(col(Person.active)).distinct()).all()
    has_manager = any(role_of(role) is Role.PROJECT_MANAGER for role in roles)
    other = None
    if as_handle:
        other = _member(session, as_handle)
        if other is None:
            raise NotFoundError(
                f"--as: no person has the handle '{as_handle}'; `itpm person list` shows them"
            )
    me = _member(session, who.login)
    return decide(who.login, me, has_manager, other, owner=who.owner, server=who.server)


def identify(db: Database, login: str, as_handle: str | None = None) -> Identity:
    """The identity of whoever uses `db` (`login`: the config `user`, used on a file)."""
    who = acting(db, login)
    with db.read() as session:
        return identify_in(session, who, as_handle)
