"""Identity and roles: who acts, and every write service refusing what their role may not do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from itpm_tui.domain.people import PersonDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.roles import Role, TeamMember, decide, refusal, role_of, team_role
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.errors import NotAllowed
from itpm_tui.queries.identity import Acting, identify, identify_in
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.people import add_person
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import _draft_of, update_task
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Activity, Task

# -- domain ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "role"),
    [
        ("project manager", Role.PROJECT_MANAGER),
        ("PM", Role.PROJECT_MANAGER),
        ("technician/engineer", Role.TECHNICIAN),
        ("Technician", Role.TECHNICIAN),
        ("other", Role.VIEWER),
        ("", Role.VIEWER),
        ("Sponsor", Role.VIEWER),
    ],
)
def test_stored_roles_map_onto_the_three_roles(stored: str, role: Role) -> None:
    assert role_of(stored) is role


PAT = TeamMember(1, "Pat", "pat", "project manager")
TOM = TeamMember(2, "Tom", "tom", "technician/engineer")


def test_a_team_without_a_project_manager_leaves_everyone_pm_rights() -> None:
    who = decide("anyone", None, has_manager=False)
    assert who.role is Role.PROJECT_MANAGER
    assert "no project manager yet" in who.how


def test_a_login_matching_nobody_is_read_only_and_told_how_to_fix_it() -> None:
    who = decide("zed", None, has_manager=True)
    assert who.role is Role.VIEWER
    assert "`user`" in who.how and "itpm person add" in who.how


def test_the_owner_of_the_database_file_is_never_locked_out() -> None:
    who = decide("zed", None, has_manager=True, owner=True)
    assert who.role is Role.PROJECT_MANAGER
    assert "own the database file" in who.how
    # a matched login keeps its own role, owner or not
    assert decide("tom", TOM, has_manager=True, owner=True).role is Role.TECHNICIAN


@given(
    matched=st.sampled_from([None, PAT, TOM, TeamMember(3, "Val", "val", "other")]),
    active=st.booleans(),
    has_manager=st.booleans(),
    owner=st.booleans(),
)
def test_on_a_server_only_the_owner_has_rights_beyond_its_persons(
    matched: TeamMember | None, active: bool, has_manager: bool, owner: bool
) -> None:
    me = replace(matched, active=active) if matched is not None else None
    who = decide("x", me, has_manager, owner=owner, server=True)
    own = team_role(me.role, me.active) if me is not None else Role.VIEWER
    if owner and (me is None or not has_manager):
        assert who.role is Role.PROJECT_MANAGER  # never locked out; starts a new team
    else:
        assert who.role is own  # a new team gives a colleague's login nothing more
    assert "config" not in who.how  # the config `user` plays no part on a server


def test_an_inactive_person_is_read_only() -> None:
    assert decide("tom", replace(TOM, active=False), True).role is Role.VIEWER


def test_looking_as_someone_is_read_only_unless_a_pm() -> None:
    as_pm = decide("pat", PAT, True, TOM)
    assert (as_pm.role, as_pm.handle, as_pm.looking_as) == (Role.PROJECT_MANAGER, "tom", True)
    as_tech = decide("tom", TOM, True, PAT)
    assert (as_tech.role, as_tech.handle) == (Role.VIEWER, "pat")


def test_a_refusal_names_the_role_that_may() -> None:
    from itpm_tui.domain.roles import Action

    text = refusal(Role.TECHNICIAN, Action.MANAGE)
    assert text.startswith("only a project manager may")
    assert "technician/engineer" in text
    assert "a project manager or a technician/engineer" in refusal(Role.VIEWER, Action.LOG_CONTACT)


# -- services ----------------------------------------------------------------------------------


class Team:
    def __init__(self, ctx: Context) -> None:
        db: Database = ctx.db
        self.pid = create_project(ctx, ProjectDraft(code="FW-26", name="Firewall"))
        add_person(ctx, PersonDraft("Pat", "pat", "project manager"))
        self.tom = add_person(ctx, PersonDraft("Tom", "tom", "technician/engineer"))
        add_person(ctx, PersonDraft("Val", "val", "other"))
        self.mine = add_task(
            ctx, self.pid, TaskDraft("Rack", estimate_hours=Decimal(8), assignee_id=self.tom)
        )
        self.theirs = add_task(ctx, self.pid, TaskDraft("Cable", estimate_hours=Decimal(8)))
        self.as_: dict[str, Context] = {
            h: Context(db, h, clock=lambda: TODAY) for h in ("pat", "tom", "val")
        }

    def task(self, task_id: int) -> Task:
        with self.as_["pat"].db.read() as session:
            found = session.get(Task, task_id)
            assert found is not None
            return found


@pytest.fixture
def team(ctx: Context) -> Team:
    return Team(ctx)


def _writes(team: Team) -> dict[str, Callable[[Context], Any]]:
    from itpm_tui.domain.closing import DeliverableDraft
    from itpm_tui.domain.ledger import BudgetLineDraft
    from itpm_tui.domain.stakeholders import ContactDraft
    from itpm_tui.services.budget_lines import add_budget_line
    from itpm_tui.services.closing import add_deliverable
    from itpm_tui.services.stakeholders import add_contact

    return {
        "projects": lambda c: create_project(c, ProjectDraft(code="N-1", name="New")),
        "people": lambda c: add_person(c, PersonDraft("Ann", "ann")),
        "outline": lambda c: add_task(c, team.pid, TaskDraft("More")),
        "budget": lambda c: add_budget_line(c, team.pid, BudgetLineDraft("travel", "", "10")),
        "closing": lambda c: add_deliverable(c, team.pid, DeliverableDraft("Runbook")),
        "stakeholders": lambda c: add_contact(c, ContactDraft(name="Olive")),
    }


FAMILIES = ["projects", "people", "outline", "budget", "closing", "stakeholders"]


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_refuses_technician_and_viewer_but_not_the_pm(team: Team, family: str) -> None:
    write = _writes(team)[family]
    for handle, role in (("tom", "technician/engineer"), ("val", "viewer")):
        with pytest.raises(NotAllowed, match=f"^only a project manager may .*you act as a {role}$"):
            write(team.as_[handle])
    write(team.as_["pat"])


def _set(team: Team, who: str, task_id: int, **changes: Any) -> list[str]:
    task = team.task(task_id)
    draft = replace(_draft_of(task), **changes)
    return update_task(team.as_[who], task_id, draft, [], task.version)


def test_a_technician_updates_the_progress_of_their_own_task(team: Team) -> None:
    changed = _set(team, "tom", team.mine, percent_complete=50, blocked_reason="no rack key")
    assert "percent_complete" in changed
    task = team.task(team.mine)
    assert (task.percent_complete, task.blocked_reason) == (50, "no rack key")
    with team.as_["pat"].db.read() as session:
        users = set(session.exec(select(Activity.user).where(Activity.entity == "task")).all())
    assert "tom" in users


def test_a_technician_may_not_touch_someone_elses_task(team: Team) -> None:
    with pytest.raises(NotAllowed, match="not assigned to you"):
        _set(team, "tom", team.theirs, percent_complete=50)
    assert team.task(team.theirs).percent_complete == 0


def test_a_technician_may_not_replan_their_own_task(team: Team) -> None:
    with pytest.raises(NotAllowed, match="changing estimate_hours, name"):
        _set(team, "tom", team.mine, name="Rack it", estimate_hours=Decimal(2))
    assert team.task(team.mine).name == "Rack"


def test_a_viewer_updates_no_task_and_the_pm_any(team: Team) -> None:
    with pytest.raises(NotAllowed, match="you act as a viewer"):
        _set(team, "val", team.mine, percent_complete=10)
    _set(team, "pat", team.theirs, percent_complete=10, name="Cable it")
    assert team.task(team.theirs).name == "Cable it"


def test_a_technician_and_not_a_viewer_logs_a_contact(team: Team) -> None:
    from itpm_tui.domain.stakeholders import ContactDraft, LogDraft
    from itpm_tui.services.stakeholders import add_contact, add_log_entry

    sid = add_contact(team.as_["pat"], ContactDraft(name="Olive"))
    entry = LogDraft(TODAY, "phone", "Tom", "rack delivered")
    add_log_entry(team.as_["tom"], sid, entry)
    with pytest.raises(NotAllowed, match="may log a contact"):
        add_log_entry(team.as_["val"], sid, entry)


def test_an_empty_team_lets_the_first_user_start(db: Database) -> None:
    def role(login: str) -> Role:
        # as a login that does not own the file: the empty-team rule alone decides
        with db.read() as session:
            return identify_in(session, Acting(login)).role

    stranger = Context(db, "nobody-yet", clock=lambda: TODAY)
    assert role("nobody-yet") is Role.PROJECT_MANAGER
    create_project(stranger, ProjectDraft(code="A-1", name="First"))
    add_person(stranger, PersonDraft("Sam", "sam", "technician/engineer"))
    # still no PM on the team: the user keeps PM rights until one is added
    add_person(stranger, PersonDraft("Pat", "pat", "pm"))
    assert role("pat") is Role.PROJECT_MANAGER
    assert role("sam") is Role.TECHNICIAN
    assert role("nobody-yet") is Role.VIEWER  # a PM exists now: a stranger only reads
    assert identify(db, "nobody-yet").role is Role.PROJECT_MANAGER  # ...unless owning the file


# -- command line ------------------------------------------------------------------------------


def test_whoami_and_a_refused_write_on_the_command_line(tmp_path: Any) -> None:
    from test_cli import assert_one_line_error, itpm

    db = str(tmp_path / "team.db")
    config = tmp_path / "config.toml"

    def as_user(login: str, *args: str) -> Any:
        config.write_text(f'user = "{login}"\n', encoding="utf-8")
        return itpm(*args, env={"ITPM_CONFIG": str(config)})

    from itpm_tui.storage.database import open_database, sqlite_url

    open_database(sqlite_url(tmp_path / "team.db")).dispose()  # whoami reads: it creates none
    first = as_user("pat", "whoami", "--db", db)
    assert "role: project manager" in first.stdout
    assert "no project manager yet" in first.stdout
    for name, handle, role in (("Pat", "pat", "pm"), ("Tom", "tom", "technician")):
        added = as_user(
            "pat", "person", "add", name, "--handle", handle, "--role", role, "--db", db
        )
        assert added.returncode == 0, added.stderr
    me = as_user("tom", "whoami", "--db", db)
    assert me.stdout.splitlines()[:2] == ["you are: Tom (tom)", "role: technician/engineer"]
    refused = as_user("tom", "person", "add", "Eve", "--handle", "eve", "--db", db)
    assert_one_line_error(refused, "only a project manager may", "technician/engineer")
    looking = as_user("tom", "--as", "pat", "whoami", "--db", db)
    assert looking.stdout.splitlines()[:2] == ["looking as: Pat (pat)", "role: viewer"]
    missing = as_user("pat", "--as", "nobody", "whoami", "--db", db)
    assert_one_line_error(missing, "--as: no person has the handle 'nobody'")
    listed = as_user("pat", "person", "list", "--db", db)
    assert "eve" not in listed.stdout


# -- dashboard ---------------------------------------------------------------------------------

#: Per screen key: the write keys a PM is offered there and which of them a technician keeps.
SCREEN_KEYS = {
    "1": ({"n", "e"}, set()),  # Projects
    "2": ({"e", "b"}, {"e"}),  # Timeline: a technician edits their own task's progress
    "3": ({"a", "e", "d"}, set()),  # Budget
    "4": ({"n", "e", "x"}, set()),  # Risks
}


async def _offered(team: Team, handle: str) -> dict[str, set[str]]:
    from conftest import make_app, settle

    app = make_app(team.as_[handle], user=handle)
    offered: dict[str, set[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.sub_title.startswith(f"{handle} ")
        for key in SCREEN_KEYS:
            await pilot.press(key)
            await settle(pilot)
            offered[key] = set(app.screen.active_bindings)
    return offered


async def test_the_dashboard_offers_a_technician_only_their_keys(team: Team) -> None:
    pm = await _offered(team, "pat")
    tech = await _offered(team, "tom")
    for key, (writes, kept) in SCREEN_KEYS.items():
        assert writes <= pm[key], key
        assert writes & tech[key] == kept, key


async def test_a_technician_pressing_n_on_projects_opens_nothing(team: Team) -> None:
    from conftest import make_app, settle

    from itpm_tui.screens.projects import ProjectsScreen

    app = make_app(team.as_["tom"], user="tom")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(250):  # who is acting arrives with the first fetch, on a busy machine
            if "(technician/engineer)" in app.sub_title:  # late: up to 10 s
                break
            await pilot.pause(0.04)
        assert "tom (technician/engineer)" in app.sub_title
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
