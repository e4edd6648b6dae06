"""The service layer: one transaction per write, activity logged, stale edits refused."""

from __future__ import annotations

import pytest
from conftest import TODAY
from sqlmodel import select

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, NotFoundError
from itpm_tui.queries.portfolio import portfolio, project_detail
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project, set_archived, update_project
from itpm_tui.storage.models import Activity, Project

pytestmark = pytest.mark.both_backends


def activity(ctx: Context) -> list[Activity]:
    with ctx.db.read() as session:
        return list(session.exec(select(Activity).order_by(Activity.id)).all())


def test_create_records_who_and_what(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="fw-26", name="Firewall [bold]upgrade[/]"))
    log = activity(ctx)
    assert [(a.user, a.entity, a.entity_id, a.action, a.project_id) for a in log] == [
        ("tester", "project", pid, "create", pid)
    ]
    assert project_detail(ctx.db, pid).code == "FW-26"  # type: ignore[union-attr]


def test_update_logs_each_changed_field_with_old_and_new(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="V-1", name="VoIP", client="ACME"))
    changed = update_project(
        ctx, pid, ProjectDraft(code="V-1", name="VoIP move", client="ACME", phase="planning"), 1
    )
    assert sorted(changed) == ["name", "phase"]
    updates = [(a.field, a.old_value, a.new_value) for a in activity(ctx) if a.action == "update"]
    assert sorted(updates) == [
        ("name", "VoIP", "VoIP move"),
        ("phase", "identification", "planning"),
    ]
    assert project_detail(ctx.db, pid).version == 2  # type: ignore[union-attr]


def test_stale_edit_is_refused_and_colleagues_edit_kept(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="C-1", name="Cloud"))
    update_project(ctx, pid, ProjectDraft(code="C-1", name="Cloud (Bob)"), expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        update_project(ctx, pid, ProjectDraft(code="C-1", name="Cloud (Ann)"), expected_version=1)
    assert project_detail(ctx.db, pid).name == "Cloud (Bob)"  # type: ignore[union-attr]


def test_invalid_draft_writes_nothing(ctx: Context) -> None:
    with pytest.raises(ValidationError):
        create_project(ctx, ProjectDraft(code="X-1", name="", currency="XXX1"))
    assert activity(ctx) == []
    with ctx.db.read() as session:
        assert session.exec(select(Project)).all() == []


def test_duplicate_code_is_refused_by_field(ctx: Context) -> None:
    create_project(ctx, ProjectDraft(code="D-1", name="one"))
    with pytest.raises(ValidationError) as info:
        create_project(ctx, ProjectDraft(code="d-1", name="two"))
    assert info.value.field == "code"


def test_missing_project_is_reported(ctx: Context) -> None:
    with pytest.raises(NotFoundError):
        update_project(ctx, 999, ProjectDraft(code="N-1", name="n"), 1)


def test_archive_hides_from_portfolio_and_moves_the_change_token(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="A-1", name="a"))
    before = ctx.db.change_token()
    set_archived(ctx, pid, expected_version=1)
    assert ctx.db.change_token() > before
    assert portfolio(ctx.db, TODAY) == []
    assert [r.code for r in portfolio(ctx.db, TODAY, include_archived=True)] == ["A-1"]
