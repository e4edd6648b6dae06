"""Writes to projects: create, edit (refusing stale edits), archive and restore."""

from __future__ import annotations

from sqlmodel import Session, select

from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.validation import ValidationError
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Project


def create_project(ctx: Context, draft: ProjectDraft) -> int:
    clean = validate_project(draft)
    with ctx.transaction() as tx:
        _check_code_free(tx.session, clean.code, None)
        project = tx.create(Project(**clean.__dict__))
        return int(project.id)


def update_project(
    ctx: Context, project_id: int, draft: ProjectDraft, expected_version: int | None = None
) -> list[str]:
    """Save the edit; refuse it if someone else saved the project since it was loaded."""
    clean = validate_project(draft)
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        _check_code_free(tx.session, clean.code, project_id)
        return tx.update(project, clean.__dict__, expected_version=expected_version)


def set_archived(ctx: Context, project_id: int, archived: bool = True) -> None:
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        tx.update(project, {"archived": archived})


def _check_code_free(session: Session, code: str, own_id: int | None) -> None:
    other = session.exec(select(Project.id).where(Project.code == code)).first()
    if other is not None and other != own_id:
        raise ValidationError("code", f"'{code}' is already used by another project")
