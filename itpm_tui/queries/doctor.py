"""`itpm doctor`'s whole check: the file checks of `storage.health_checks`, and whether the
config `user` is a person of the team (decided as `itpm whoami` decides it).

The database is read through a read-only connection: a doctor never migrates or writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from itpm_tui.errors import DatabaseError
from itpm_tui.storage.health_checks import Finding, Status, check_installation, fix, note, ok


@dataclass(frozen=True)
class Diagnosis:
    """What `itpm doctor` prints, a line per finding; `healthy` when nothing needs fixing."""

    findings: tuple[Finding, ...]

    @property
    def healthy(self) -> bool:
        return all(f.status is not Status.FIX for f in self.findings)


def diagnose(
    db_path: str | None,
    *,
    database_url: str,
    user: str,
    shared: bool | None = None,
    config: Finding | None = None,
) -> Diagnosis:
    """Check the installation `--db` (or ITPM_DB, the config's `database_url`, the default)
    names, for the config `user`; `config` is what reading the config file found."""
    from itpm_tui.storage.location import redact_url, resolve_url, sqlite_path

    found: list[Finding] = [config] if config else []
    try:
        url = resolve_url(db_path, database_url)
        path = sqlite_path(url)
    except DatabaseError as exc:
        return Diagnosis((*found, fix(str(exc), "itpm config set database_url …")))
    if path is None:
        where = redact_url(url)
        found.append(note(f"database {where} is not a SQLite file: file checks skipped"))
        return Diagnosis(tuple(found))
    checks, opened = check_installation(path, shared=shared)
    found += checks
    if opened:
        found.append(check_user(path, user))
    return Diagnosis(tuple(found))


def check_user(path: Path, login: str) -> Finding:
    """Whether the config `user` is a person of the team, and with which role."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session, col, select

    from itpm_tui.domain.roles import Role, role_of
    from itpm_tui.queries.identity import Acting, identify_in
    from itpm_tui.storage.models import Person

    engine = create_engine(
        f"sqlite:///{path.absolute().as_uri()}?mode=ro&uri=true", hide_parameters=True
    )
    try:
        with Session(engine) as session:
            who = identify_in(session, Acting(login, owner=_owns(path)))
            roles = session.exec(select(Person.role).where(col(Person.active))).all()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        return fix(f"user: cannot read the team ({reason})", f"itpm --db {path} whoami")
    finally:
        engine.dispose()
    has_manager = any(role_of(role) is Role.PROJECT_MANAGER for role in roles)
    if who.handle:
        return ok(f"user '{login}' is {who.name} ({who.role.value})")
    if not has_manager:
        return note(f"user '{login}' matches nobody: {who.how}")
    return fix(
        f"user '{login}' matches no person of the team (so: {who.role.value})",
        f"itpm config set user HANDLE, or a PM runs: itpm person add NAME --handle {login}",
    )


def _owns(path: Path) -> bool:
    getuid = getattr(os, "getuid", None)
    try:
        return getuid is not None and path.stat().st_uid == getuid()
    except OSError:
        return False
