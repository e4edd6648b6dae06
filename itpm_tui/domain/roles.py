"""Who may write what: the three roles of a team and the one rule that decides a write.

A person's stored role (`PersonRole`, or a job title kept as typed) maps onto a `Role`:
"project manager" plans and manages everything; "technician/engineer" updates the progress
of the tasks assigned to them and logs contacts; anything else ("other", a job title that is
neither) is a viewer, who writes nothing — a PM gives rights by setting the person's role.

Until the team has an active project manager, whoever runs itpm acts with project manager
rights: a new user starts with an empty team and must be able to create the first project
and people. A login that matches nobody is read-only — except for the operating-system
account that owns the database file (whoever created it, normally the PM), who could write
the file anyway and must never be locked out of their own plan (see `decide`).

On a server database the login is the database's own (`current_user`), not the config
`user` anyone could edit, and "owning the file" is owning the database or being a superuser
— again whoever the server's grants do not limit. There, until the team has a project
manager, only that owner acts as one (a colleague's login must not make itself PM of a new
team); everyone else has the rights of the person their login names, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from itpm_tui.domain.enums import PersonRole
from itpm_tui.domain.people import role_choice


class Role(StrEnum):
    PROJECT_MANAGER = "project manager"
    TECHNICIAN = "technician/engineer"
    VIEWER = "viewer"


class Action(StrEnum):
    """A kind of write; the text completes "only a … may …"."""

    MANAGE = "plan and manage projects, people and budgets"
    OWN_PROGRESS = "update the progress of the tasks assigned to them"
    LOG_CONTACT = "log a contact"


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.PROJECT_MANAGER: frozenset(Action),
    Role.TECHNICIAN: frozenset({Action.OWN_PROGRESS, Action.LOG_CONTACT}),
    Role.VIEWER: frozenset(),
}

#: The task fields a technician may change on a task assigned to them.
PROGRESS_FIELDS = frozenset(
    {
        "status",
        "percent_complete",
        "remaining_hours",
        "blocked_reason",
        "description",
        "actual_start",
        "actual_finish",
    }
)


def role_of(person_role: str) -> Role:
    """The role a stored person role (or loosely typed one) gives; unknown text is a viewer."""
    chosen = role_choice(person_role)
    if chosen == PersonRole.PROJECT_MANAGER.value:
        return Role.PROJECT_MANAGER
    if chosen == PersonRole.ENGINEER.value:
        return Role.TECHNICIAN
    return Role.VIEWER


def team_role(person_role: str, active: bool) -> Role:
    """The rights a stored person has: their role's while active, a viewer's after."""
    return role_of(person_role) if active else Role.VIEWER


def may(role: Role, action: Action) -> bool:
    return action in ALLOWED[role]


def who_may(action: Action) -> str:
    """The roles allowed `action`, in words: "a project manager or a technician/engineer"."""
    names = [f"a {role.value}" for role in Role if action in ALLOWED[role]]
    return " or ".join(names)


def refusal(role: Role, action: Action, detail: str = "") -> str:
    """The one line a refused write shows: what was refused, who may do it, who you are."""
    what = f" ({detail})" if detail else ""
    return f"only {who_may(action)} may {action.value}{what}; you act as a {role.value}"


@dataclass(frozen=True)
class Identity:
    """Who is acting, with which rights, and how that was decided (shown by `itpm whoami`).

    `login` is the config `user` (on a server, the database login); `person_id`/`handle`/
    `name` the person looked at (the one named by `--as` when given); `role` the rights
    writes are checked against.
    """

    login: str
    role: Role
    how: str
    person_id: int | None = None
    handle: str = ""
    name: str = ""
    looking_as: bool = False

    def may(self, action: Action) -> bool:
        return may(self.role, action)


@dataclass(frozen=True)
class TeamMember:
    """A person as identity needs them."""

    id: int
    name: str
    handle: str
    role: str
    active: bool = True


def decide(
    login: str,
    me: TeamMember | None,
    has_manager: bool,
    other: TeamMember | None = None,
    *,
    owner: bool = False,
    server: bool = False,
) -> Identity:
    """The acting identity of `login` (matched to `me`, or to nobody) in a team that has an
    active project manager or not; `other` is the person `--as` names, if any; `owner`
    whether this account owns the database (the file's operating-system owner; on a
    `server`, the database's owner or a superuser login); `server`: `login` is the server's
    login rather than the config `user`."""
    said = f"database login '{login}'" if server else f"config user '{login}'"
    if not has_manager and (owner or not server):
        role = Role.PROJECT_MANAGER
        how = "the team has no project manager yet, so you act with project manager rights"
        if server:
            how = (
                "the team has no project manager yet and you own the database, so you act "
                "with project manager rights"
            )
        if me is not None:
            how = f"{said} is {me.name}; " + how
    elif me is None and owner:
        role = Role.PROJECT_MANAGER
        how = (
            f"{said} matches nobody on the team, but you own the database"
            f"{'' if server else ' file'}, so you act with project manager rights "
            f"({_join_hint(login, server, yourself=True)})"
        )
    elif me is None:
        role = Role.VIEWER
        how = f"{said} matches nobody on the team: read-only ({_join_hint(login, server)})"
    elif not me.active:
        role = Role.VIEWER
        how = f"{said} is {me.name}, who is no longer active: read-only"
    else:
        role = role_of(me.role)
        how = f"{said} matches the handle of {me.name} ({me.role or 'no role'})"
    if not has_manager and server and not owner:
        how += (
            "; the team has no project manager yet, and until it has one only the "
            "database's owner acts as one"
        )
    if other is None:
        if me is None:
            return Identity(login, role, how)
        return Identity(login, role, how, me.id, me.handle, me.name)
    if role is not Role.PROJECT_MANAGER:
        role = Role.VIEWER
        how += f"; looking as {other.handle} (read-only: only a project manager writes as another)"
    else:
        how += f"; looking as {other.handle} with your project manager rights"
    return Identity(login, role, how, other.id, other.handle, other.name, looking_as=True)


def _join_hint(login: str, server: bool, *, yourself: bool = False) -> str:
    """How `login` comes to be matched to a person of the team."""
    add = f"`itpm person add NAME --handle {login}`"
    if server:
        if yourself:
            return f"add yourself with {add}"
        return f"a project manager adds you with {add}, then runs `itpm db grant`"
    if yourself:
        return f"set the config key `user` to your handle, or add yourself with {add}"
    return f"set the config key `user` to your handle, or a project manager adds you with {add}"


def as_viewer(who: Identity, why: str) -> Identity:
    """`who` with viewer rights whatever their role (the stand-up kiosk writes nothing)."""
    if who.role is Role.VIEWER:
        return who
    return Identity(
        who.login,
        Role.VIEWER,
        f"{who.how}; {why}: read-only",
        who.person_id,
        who.handle,
        who.name,
        who.looking_as,
    )
