"""Who is acting: the config `user` matched to a person's login handle (`domain.roles`)."""

from __future__ import annotations

import os

from sqlmodel import Session, col, select

from itpm_tui.domain.roles import Identity, Role, TeamMember, decide, role_of
from itpm_tui.errors import NotFoundError
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Person


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


def identify_in(
    session: Session, login: str, as_handle: str | None = None, *, owner: bool = False
) -> Identity:
    """The identity of `login` as the stored team decides it, in an open session (a write
    checks it inside its own transaction); `owner`: this account owns the database file."""
    roles = session.exec(select(Person.role).where(col(Person.active)).distinct()).all()
    has_manager = any(role_of(role) is Role.PROJECT_MANAGER for role in roles)
    other = None
    if as_handle:
        other = _member(session, as_handle)
        if other is None:
            raise NotFoundError(
                f"--as: no person has the handle '{as_handle}'; `itpm person list` shows them"
            )
    return decide(login, _member(session, login), has_manager, other, owns_file=owner)


def identify(db: Database, login: str, as_handle: str | None = None) -> Identity:
    with db.read() as session:
        return identify_in(session, login, as_handle, owner=owns_file(db))
