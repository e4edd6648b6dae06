"""Identity on a server and `itpm db grant`: on a real PostgreSQL server, each login acts as
itself, and the server refuses what its role may not do — through itpm or around it.

Logins are roles of the whole cluster (shared by this test process's databases), so every
test names its own with a fresh suffix.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import TODAY, run_cli
from sqlmodel import select

from itpm_tui.domain.people import PersonDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.roles import Role, decide
from itpm_tui.domain.stakeholders import ContactDraft, LogDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.errors import NotAllowed
from itpm_tui.services.context import Context
from itpm_tui.services.my_work import block_task, finish_task, set_percent, start_task
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.people import add_person, update_person
from itpm_tui.services.projects import create_project
from itpm_tui.services.stakeholders import add_contact, add_log_entry, record_report_sent
from itpm_tui.services.standup import record_standup
from itpm_tui.services.tasks import _draft_of, update_task
from itpm_tui.storage.database import Database, open_database
from itpm_tui.storage.models import Activity, Person, Task
from tests.postgres import SUPERUSER, Cluster

_SUFFIX = itertools.count(1)


def _logins(*stems: str) -> dict[str, str]:
    """Fresh login names for this test: `stem` → e.g. "lee.park-3-12345" (a dot and a dash,
    so a name that needs quoting is granted too)."""
    n = f"{next(_SUFFIX)}-{os.getpid()}"
    return {stem: f"{stem}-{n}" for stem in stems}


def _url_as(url: str, login: str) -> str:
    return url.replace(f"postgresql://{SUPERUSER}@", f"postgresql://{login}@", 1)


def _raw(url: str, login: str, sql: str) -> None:
    """`sql` run by `login` with no itpm in between (psycopg straight to the server)."""
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    query = parts.query
    with psycopg.connect(
        dbname=parts.database, user=login, host=str(query["host"]), port=int(str(query["port"]))
    ) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@dataclass
class Team:
    """A project with a PM, a technician and a viewer, each with a server login."""

    url: str
    logins: dict[str, str]
    pid: int
    task_id: int
    other_task_id: int
    stakeholder_id: int
    person_ids: dict[str, int]
    opened: list[Database]

    def ctx(self, who: str, day: date = TODAY) -> Context:
        database = open_database(_url_as(self.url, self.logins[who]))
        self.opened.append(database)
        return Context(database, "config-user-ignored", clock=lambda: day)

    def task(self, task_id: int) -> Task:
        owner = open_database(self.url)
        try:
            with owner.read() as session:
                found = session.get(Task, task_id)
                assert found is not None
                return found
        finally:
            owner.dispose()


@pytest.fixture
def team(postgres_url: str, postgres_cluster: Cluster) -> Iterator[Team]:
    logins = _logins("pat", "lee.park", "val")
    database = open_database(postgres_url)
    owner = Context(database, SUPERUSER, clock=lambda: TODAY)
    pid = create_project(owner, ProjectDraft(code="FW-26", name="Firewall"))
    roles = {"pat": "project manager", "lee.park": "technician/engineer", "val": "other"}
    people = {
        stem: add_person(owner, PersonDraft(stem.title(), logins[stem], roles[stem]))
        for stem in logins
    }
    mine = add_task(
        owner, pid, TaskDraft("Rack", estimate_hours=Decimal(8), assignee_id=people["lee.park"])
    )
    theirs = add_task(owner, pid, TaskDraft("Cable", estimate_hours=Decimal(8)))
    sid = add_contact(owner, ContactDraft(name="Olive", projects="FW-26"))
    database.dispose()
    for login in logins.values():
        postgres_cluster.admin(f'CREATE ROLE "{login}" LOGIN')
    found = Team(postgres_url, logins, pid, mine, theirs, sid, people, [])
    yield found
    for opened in found.opened:
        opened.dispose()


def _grant(capsys: pytest.CaptureFixture[str], url: str, *more: str) -> list[str]:
    code, out, err = run_cli(capsys, "db", "grant", "--db", url, *more)
    assert (code, err) == (0, "")
    return out.splitlines()


def _state(url: str, logins: dict[str, str]) -> tuple[Any, ...]:
    """The groups' privileges on this database and the logins' memberships, as the server
    holds them."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT grantee, table_name, privilege_type FROM "
                    "information_schema.role_table_grants WHERE grantee LIKE 'itpm\\_%' "
                    "ORDER BY 1, 2, 3"
                )
            ).all()
            columns = conn.execute(
                text(
                    "SELECT grantee, table_name, column_name, privilege_type FROM "
                    "information_schema.column_privileges WHERE grantee LIKE 'itpm\\_%' "
                    "ORDER BY 1, 2, 3, 4"
                )
            ).all()
            members = conn.execute(
                text(
                    "SELECT u.rolname, g.rolname FROM pg_auth_members m JOIN pg_roles g ON "
                    "g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                    "WHERE u.rolname = ANY(:logins) ORDER BY 1, 2"
                ),
                {"logins": list(logins.values())},
            ).all()
    finally:
        engine.dispose()
    return tuple(tables), tuple(columns), tuple(members)


def _members(url: str, logins: dict[str, str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {stem: set() for stem in logins}
    by_login = {login: stem for stem, login in logins.items()}
    for login, group in _state(url, logins)[2]:
        found[by_login[login]].add(group)
    return found


def _refused(url: str, login: str, sql: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        _raw(url, login, sql)


def test_each_login_acts_as_itself_and_the_server_enforces_its_role(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    url, logins = team.url, team.logins
    lines = _grant(capsys, url)
    assert f"{logins['pat']} (Pat, project manager): itpm_manager, granted" in lines
    assert f"{logins['lee.park']} (Lee.Park, technician/engineer): itpm_technician, granted" in (
        lines
    )
    assert f"{logins['val']} (Val, viewer): itpm_viewer, granted" in lines
    assert _members(url, logins) == {
        "pat": {"itpm_manager"},
        "lee.park": {"itpm_technician"},
        "val": {"itpm_viewer"},
    }

    # the technician: every progress write of theirs passes the server, logged as the login
    lee = team.ctx("lee.park")
    assert lee.user == logins["lee.park"]
    assert lee.identity().role is Role.TECHNICIAN
    start_task(lee, team.task_id, note="on site")
    set_percent(lee, team.task_id, "40")
    block_task(lee, team.task_id, "no rack key")
    task = team.task(team.task_id)
    update_task(
        lee,
        team.task_id,
        replace(_draft_of(task), status="in progress", blocked_reason="", remaining_hours=4),
        [],
        task.version,
    )
    finish_task(team.ctx("lee.park", TODAY + timedelta(days=1)), team.task_id)  # a new day's point
    add_log_entry(lee, team.stakeholder_id, LogDraft(TODAY, "phone", "Lee", "rack delivered"))
    assert record_report_sent(lee, team.pid, [team.stakeholder_id], "team", "text") == 1
    assert record_standup(lee)
    assert team.task(team.task_id).status == "done"
    with lee.db.read() as session:
        users = session.exec(select(Activity.user).where(Activity.entity == "task")).all()
    assert set(users) - {SUPERUSER} == {logins["lee.park"]}

    # ...and nothing else, even with plain SQL around itpm
    _refused(url, logins["lee.park"], f"UPDATE task SET name = 'x' WHERE id = {team.task_id}")
    _refused(url, logins["lee.park"], f"DELETE FROM project WHERE id = {team.pid}")
    _refused(url, logins["lee.park"], "INSERT INTO person (name, handle) VALUES ('x', 'x')")
    _raw(url, logins["lee.park"], "SELECT count(*) FROM ledgerentry")  # reads everything
    with pytest.raises(NotAllowed):  # itpm refuses first, naming the role
        create_project(lee, ProjectDraft(code="N-1", name="New"))

    # the viewer: itpm refuses their writes, and the server refuses them around it
    val = team.ctx("val")
    assert val.identity().role is Role.VIEWER
    with pytest.raises(NotAllowed, match="you act as a viewer"):
        set_percent(val, team.other_task_id, "10")
    assert not record_standup(val)
    _refused(url, logins["val"], "INSERT INTO holiday (day, name) VALUES ('2026-12-25', 'x')")
    _refused(url, logins["val"], "UPDATE changecounter SET value = value + 1")
    _raw(url, logins["val"], "SELECT count(*) FROM task")

    # the PM writes everything
    pat = team.ctx("pat")
    other = create_project(pat, ProjectDraft(code="N-1", name="New"))
    add_task(pat, other, TaskDraft("Plan", estimate_hours=Decimal(2)))
    task = team.task(team.other_task_id)
    update_task(
        pat, team.other_task_id, replace(_draft_of(task), name="Cable it"), [], task.version
    )
    add_person(pat, PersonDraft("Ann", f"ann-{logins['pat']}"))
    with pat.db.read() as session:
        last = session.exec(select(Activity).order_by(Activity.id.desc())).first()  # type: ignore[union-attr]
    assert last is not None and last.user == logins["pat"]


def test_granting_twice_changes_nothing_and_a_role_change_moves_the_login(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    url, logins = team.url, team.logins
    _grant(capsys, url)
    before = _state(url, logins)
    again = _grant(capsys, url)
    assert _state(url, logins) == before
    assert f"{logins['val']} (Val, viewer): itpm_viewer, unchanged" in again
    assert not [line for line in again if "created" in line]

    # the PM makes the technician a viewer: after the grant, the server holds them to it
    pat = team.ctx("pat")
    lee_id = team.person_ids["lee.park"]
    owner = open_database(url)
    with owner.read() as session:
        person = session.get(Person, lee_id)
        assert person is not None
        version = person.version
    owner.dispose()
    update_person(
        pat, lee_id, PersonDraft("Lee.Park", logins["lee.park"], "other"), expected_version=version
    )
    moved = _grant(capsys, url)
    assert (
        f"{logins['lee.park']} (Lee.Park, viewer): itpm_viewer, moved from itpm_technician"
    ) in moved
    assert _members(url, logins)["lee.park"] == {"itpm_viewer"}
    _refused(
        url, logins["lee.park"], f"UPDATE task SET percent_complete = 5 WHERE id = {team.task_id}"
    )


def test_dry_run_prints_the_sql_and_changes_nothing(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    url, logins = team.url, team.logins
    before = _state(url, logins)
    lines = _grant(capsys, url, "--dry-run")
    assert f'GRANT "itpm_technician" TO "{logins["lee.park"]}";' in lines
    assert 'GRANT UPDATE ("actual_finish", ' in "\n".join(lines)
    assert all(line.startswith("-- ") or line.endswith(";") for line in lines)
    assert _state(url, logins) == before
    assert _members(url, logins) == {stem: set() for stem in logins}


def test_a_member_without_a_login_is_reported_or_given_one(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    logins = _logins("nolog")
    owner = Context(open_database(postgres_url), SUPERUSER, clock=lambda: TODAY)
    add_person(owner, PersonDraft("Nora", logins["nolog"], "technician/engineer"))
    owner.db.dispose()
    lines = _grant(capsys, postgres_url)
    assert any(
        line.startswith(f"{logins['nolog']} (Nora,") and "no login" in line for line in lines
    )
    assert _members(postgres_url, logins) == {"nolog": set()}
    planned = _grant(capsys, postgres_url, "--create-logins", "--dry-run")
    assert f'CREATE ROLE "{logins["nolog"]}" LOGIN;' in planned  # never with a password
    assert not [line for line in planned if "PASSWORD" in line and not line.startswith("--")]
    lines = _grant(capsys, postgres_url, "--create-logins")
    assert any(
        line.endswith(
            "granted to a new login (no password: set one, or use the server's own authentication)"
        )
        for line in lines
    )
    assert _members(postgres_url, logins) == {"nolog": {"itpm_technician"}}
    _raw(postgres_url, logins["nolog"], "SELECT count(*) FROM task")  # it logs in and reads


def test_the_config_user_is_not_asked_on_a_server(
    team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITPM_DB", _url_as(team.url, team.logins["lee.park"]))
    monkeypatch.setenv("USER", team.logins["pat"])  # the config user names the PM: ignored
    _grant(capsys, team.url)
    code, out, err = run_cli(capsys, "whoami")
    assert (code, err) == (0, "")
    assert f"login: '{team.logins['lee.park']}', the database's" in out
    assert "role: technician/engineer" in out
    assert f"database login '{team.logins['lee.park']}' matches the handle of Lee.Park" in out


def test_only_the_database_owner_starts_a_new_team(
    postgres_url: str, postgres_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    logins = _logins("eve")
    postgres_cluster.admin(f'CREATE ROLE "{logins["eve"]}" LOGIN')
    _grant(capsys, postgres_url)  # an empty team: the groups and their privileges only
    postgres_cluster.admin(f'GRANT itpm_manager TO "{logins["eve"]}"')  # the server would let her
    owner = Context(open_database(postgres_url), "whoever", clock=lambda: TODAY)
    eve = Context(open_database(_url_as(postgres_url, logins["eve"])), "whoever")
    try:
        assert owner.user == SUPERUSER
        assert owner.identity().role is Role.PROJECT_MANAGER  # owns the database
        assert eve.identity().role is Role.VIEWER  # a colleague does not make herself PM
        with pytest.raises(NotAllowed):
            create_project(eve, ProjectDraft(code="E-1", name="Eve's"))
        create_project(owner, ProjectDraft(code="A-1", name="First"))
    finally:
        eve.db.dispose()
        owner.db.dispose()


def test_a_server_login_matching_nobody_on_a_new_team_is_a_viewer() -> None:
    stranger = decide("eve", None, has_manager=False, server=True)
    assert stranger.role is Role.VIEWER
    assert "database login 'eve'" in stranger.how and "itpm db grant" in stranger.how
    assert "only the database's owner" in stranger.how
    owner = decide("postgres", None, has_manager=False, owner=True, server=True)
    assert owner.role is Role.PROJECT_MANAGER and "you own the database" in owner.how
    later = decide("postgres", None, has_manager=True, owner=True, server=True)
    assert later.role is Role.PROJECT_MANAGER and "own the database," in later.how
    assert "`user`" not in later.how  # no config key to set on a server


def test_grant_is_the_owners_to_run(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    _grant(capsys, team.url)
    before = _state(team.url, team.logins)
    code, out, err = run_cli(capsys, "db", "grant", "--db", _url_as(team.url, team.logins["pat"]))
    assert (code, out) == (2, "")
    assert err == (
        f"itpm: login '{team.logins['pat']}' neither owns the database nor is a superuser: "
        "run `itpm db grant` as the database's owner\n"
    )
    assert _state(team.url, team.logins) == before


def test_grant_refuses_a_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "team.db"
    code, out, err = run_cli(capsys, "db", "grant", "--db", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "SQLite file, which has no logins" in err
    assert not path.exists()
