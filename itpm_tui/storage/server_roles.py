"""Who may do what on a team's PostgreSQL database, enforced by the server itself.

itpm checks every write against the acting person's role (`domain.roles`), but on a server
anyone with a login could bypass itpm and write with plain SQL. `itpm db grant` makes the
server hold the same line: three group roles, one per itpm role, with privileges on the
database's tables, and every team member's login made a member of the group of their role.

- `itpm_viewer`: reads every table;
- `itpm_technician`: reads, and writes exactly what a technician's own writes touch — the
  progress columns of a task and the day's burn-down point, a contact logged, and the
  activity entry and change counter of every write (`TECHNICIAN_WRITES`);
- `itpm_manager`: reads and writes every row of every table (not the schema: `itpm db
  upgrade` stays with the database's owner).

Group roles belong to the server, not to one database: a login is in the same group in
every itpm database of the server. The acting login (`current_login`) is what the activity
log records on a server, and whom `queries.identity` matches to a person by handle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from itpm_tui.domain.roles import PROGRESS_FIELDS, Role, team_role
from itpm_tui.errors import StorageError
from itpm_tui.storage.failures import storage_error
from itpm_tui.storage.models import Person

if TYPE_CHECKING:
    from itpm_tui.storage.database import Database

#: The group role of each itpm role.
GROUPS: dict[Role, str] = {
    Role.PROJECT_MANAGER: "itpm_manager",
    Role.TECHNICIAN: "itpm_technician",
    Role.VIEWER: "itpm_viewer",
}

#: What a technician's writes touch beyond reading: (privilege, table, columns — empty for
#: the whole row). Exactly what their services write on a server — progress and notes of a
#: task, the day's burn-down point, a contact logged (or a report sent), a stand-up held,
#: and the change counter and activity entry of each — found by running them all as a
#: member of the group and reading the server's refusals (tests/test_server_roles.py). The
#: stored schedules and totals are not among them: a server computes those when read.
TECHNICIAN_WRITES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("UPDATE", "task", (*sorted(PROGRESS_FIELDS), "version")),
    ("INSERT", "progresssnapshot", ()),
    ("UPDATE", "progresssnapshot", ("remaining_hours", "remaining_tasks", "percent_complete")),
    ("INSERT", "communicationentry", ()),
    ("UPDATE", "changecounter", ("value",)),
    ("INSERT", "activity", ()),
)

#: Role names the server keeps for itself: a handle spelled so is never granted.
_RESERVED = frozenset({"public", "none", "current_user", "current_role", "session_user"})


@dataclass(frozen=True)
class Login:
    """The database login this connection acts as; `owner`: it owns the database or is a
    superuser, so the server's grants do not limit it (the analogue of owning a file)."""

    name: str
    owner: bool


#: Whether the role of `pg_roles` row is a superuser or owns the current database (as a
#: member of its owner role): the grants do not limit it.
_BYPASSES = (
    "rolsuper OR pg_has_role(oid, "
    "(SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')"
)


def current_login(connection: Connection) -> Login:
    """Who the server takes this connection for (`SELECT current_user`)."""
    name, owner = connection.execute(
        text(f"SELECT rolname, {_BYPASSES} FROM pg_roles WHERE rolname = current_user")
    ).one()
    return Login(str(name), bool(owner))


@dataclass(frozen=True)
class Member:
    """A team member as a grant needs them: their handle (the login's name) and role."""

    handle: str
    name: str
    role: Role


@dataclass
class GrantPlan:
    """The statements that give the team its grants, and what they change in words."""

    statements: list[str] = field(default_factory=list)
    #: One line per group created and per team member (granted, moved, unchanged, skipped).
    lines: list[str] = field(default_factory=list)


def team_members(connection: Connection) -> list[Member]:
    """Every person with a handle, with the rights itpm gives them (a retired person's are
    a viewer's), in handle order."""
    person = Person.__table__.c  # type: ignore[attr-defined]
    rows = connection.execute(
        select(person.handle, person.name, person.role, person.active)
        .where(person.handle != "")
        .order_by(person.handle)
    ).all()
    return [
        Member(str(handle), " ".join(str(name).split()), team_role(str(role), bool(active)))
        for handle, name, role, active in rows
    ]


def grant_team(db: Database, *, create_logins: bool, dry_run: bool) -> GrantPlan:
    """`itpm db grant`: plan the team's grants and, unless `dry_run`, apply them — all in
    one transaction, so a refusal half-way leaves the server's roles as they were. Only
    the owner (or a superuser) may: another login's GRANT would only warn, granting nothing."""
    login = db.login
    if login is not None and not login.owner:
        raise StorageError(
            f"login '{login.name}' neither owns the database nor is a superuser: run "
            "`itpm db grant` as the database's owner"
        )
    try:
        with db.engine.connect() as connection, connection.begin() as transaction:
            plan = plan_grants(connection, team_members(connection), create_logins=create_logins)
            if dry_run:
                transaction.rollback()
            else:
                apply_grants(connection, plan)
    except DBAPIError as exc:
        found = storage_error(exc, "grant")
        if found is None:
            raise
        raise StorageError(
            f"{found}; `itpm db grant` must run as the database's owner (or a superuser)"
        ) from None
    return plan


def plan_grants(
    connection: Connection, team: Iterable[Member], *, create_logins: bool
) -> GrantPlan:
    """The SQL that sets the groups' privileges on this database's tables and puts each
    member's login in the group of their role (out of the other two), read from the
    server's catalogue on `connection` — nothing is changed here. Statements that merely
    restate a privilege are included (they change nothing), so the plan is the whole
    policy; the lines say what actually moves."""
    quote = connection.dialect.identifier_preparer.quote_identifier
    schema = quote(str(connection.execute(text("SELECT current_schema()")).scalar()))
    roles = _roles(connection)
    plan = GrantPlan()
    for group in GROUPS.values():
        if group not in roles:
            plan.statements.append(f"CREATE ROLE {quote(group)} NOLOGIN")
            plan.lines.append(f"group role {group}: created")
    plan.statements += _privileges(quote, schema)
    for member in team:
        _grant_member(connection, plan, member, roles, create_logins, quote)
    return plan


def _privileges(quote: Any, schema: str) -> list[str]:
    every = ", ".join(quote(g) for g in GROUPS.values())
    manager, technician = quote(GROUPS[Role.PROJECT_MANAGER]), quote(GROUPS[Role.TECHNICIAN])
    tables = f"ALL TABLES IN SCHEMA {schema}"
    sequences = f"ALL SEQUENCES IN SCHEMA {schema}"
    out = [
        f"REVOKE ALL ON {tables} FROM {every}",  # then exactly what follows, nothing older
        f"REVOKE ALL ON {sequences} FROM {every}",
        f"GRANT USAGE ON SCHEMA {schema} TO {every}",
        f"GRANT SELECT ON {tables} TO {every}",
        f"GRANT INSERT, UPDATE, DELETE ON {tables} TO {manager}",
        f"GRANT USAGE, SELECT, UPDATE ON {sequences} TO {manager}",
        f"GRANT USAGE ON {sequences} TO {technician}",
    ]
    for privilege, table, columns in TECHNICIAN_WRITES:
        cols = f" ({', '.join(quote(c) for c in columns)})" if columns else ""
        out.append(f"GRANT {privilege}{cols} ON {schema}.{quote(table)} TO {technician}")
    return out


def _roles(connection: Connection) -> dict[str, bool]:
    """Every role of the server: name → whether the grants do not limit it."""
    rows = connection.execute(text(f"SELECT rolname, {_BYPASSES} FROM pg_roles")).all()
    return {str(name): bool(bypasses) for name, bypasses in rows}


def _groups_of(connection: Connection, login: str) -> set[str]:
    rows = connection.execute(
        text(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :login"
        ),
        {"login": login},
    ).scalars()
    return {str(g) for g in rows} & set(GROUPS.values())


def _grant_member(
    connection: Connection,
    plan: GrantPlan,
    member: Member,
    roles: dict[str, bool],
    create_logins: bool,
    quote: Any,
) -> None:
    handle, group = member.handle, GROUPS[member.role]
    who = f"{handle} ({member.name}, {member.role.value})"
    if handle in _RESERVED or handle.startswith("pg_") or handle in GROUPS.values():
        plan.lines.append(f"{who}: not granted — the server reserves the role name '{handle}'")
        return
    new = ""
    if handle in roles:
        held = _groups_of(connection, handle)
    elif create_logins:
        plan.statements.append(f"CREATE ROLE {quote(handle)} LOGIN")
        held = set()
        new = " to a new login (no password: set one, or use the server's own authentication)"
    else:
        plan.lines.append(
            f"{who}: no login '{handle}' on the server — not granted (create it, or run "
            "again with --create-logins)"
        )
        return
    plan.statements.append(f"GRANT {quote(group)} TO {quote(handle)}")
    others = sorted(held - {group})
    plan.statements += [f"REVOKE {quote(other)} FROM {quote(handle)}" for other in others]
    if others:
        status = f"moved from {', '.join(others)}"
    else:
        status = "unchanged" if group in held else "granted"
    if roles.get(handle, False):
        status += " (owner or superuser: the server's grants do not limit this login)"
    plan.lines.append(f"{who}: {group}, {status}{new}")


def apply_grants(connection: Connection, plan: GrantPlan) -> None:
    """Run `plan` on `connection` (the caller's one transaction)."""
    for statement in plan.statements:
        connection.exec_driver_sql(statement)
