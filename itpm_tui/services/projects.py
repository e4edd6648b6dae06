"""Writes to projects: create, edit, archive and restore, each refusing a stale copy.

The form may close a project only when the closing gate is open (every deliverable accepted,
the client's sign-off recorded); otherwise it points to close-out, where the evidence is
recorded or an override reason given (`services.closing`). Leaving Closed is a reopen.
"""

from __future__ import annotations

from sqlmodel import Session, select

from itpm_tui.domain.closing import blockers_text
from itpm_tui.domain.enums import Phase, ProjectStatus
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.closing import gate_problems
from itpm_tui.services.closing import reopen_changes
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Project

CLOSED = ProjectStatus.CLOSED.value


def create_project(ctx: Context, draft: ProjectDraft) -> int:
    clean = validate_project(draft)
    if clean.status == CLOSED:
        raise ValidationError(
            "status",
            "a new project cannot start closed: create it, then close it with close-out "
            "(c on Projects) once its deliverables are accepted and signed off",
        )
    with ctx.transaction() as tx:
        _check_code_free(tx.session, clean.code, None)
        project = tx.create(Project(**clean.__dict__))
        return int(project.id)


def update_project(
    ctx: Context, project_id: int, draft: ProjectDraft, expected_version: int
) -> list[str]:
    """Save the edit; refuse it if someone else saved the project since it was loaded."""
    clean = validate_project(draft)
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        _check_code_free(tx.session, clean.code, project_id)
        changes = dict(clean.__dict__)
        if clean.status == CLOSED and project.status != CLOSED:
            blockers = gate_problems(tx.session, project)
            if blockers:
                raise ValidationError(
                    "status",
                    f"cannot be closed yet: {blockers_text(blockers)}. "
                    "Use close-out (c on Projects) to record them or close with a reason",
                )
            changes["phase"] = Phase.CLOSING.value
        elif project.status == CLOSED and clean.status != CLOSED:
            changes.update(reopen_changes(tx, project))
        return tx.update(project, changes, expected_version=expected_version)


def set_archived(
    ctx: Context, project_id: int, archived: bool = True, *, expected_version: int
) -> None:
    """Archive (or restore) the project as shown at `expected_version`: a colleague's save
    since is kept and this refused, rather than one of the two silently lost."""
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        tx.update(project, {"archived": archived}, expected_version=expected_version)


def _check_code_free(session: Session, code: str, own_id: int | None) -> None:
    other = session.exec(select(Project.id).where(Project.code == code)).first()
    if other is not None and other != own_id:
        raise ValidationError("code", f"'{code}' is already used by another project")
