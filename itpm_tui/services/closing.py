"""Closing a project: deliverables, acceptance, the client's sign-off, lessons, the close.

Every write is one transaction with its activity log. The gate (`domain.closing`) is checked
inside the closing transaction itself, so a colleague withdrawing an acceptance a moment
before cannot let a project slip through. A closed project's record is frozen — its
deliverables, acceptances and sign-off are what it was closed on — until it is reopened;
lessons learned stay editable, as the closing review often comes after the close.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itpm_tui.domain.closing import (
    ClosingBlocked,
    DeliverableDraft,
    blockers_text,
    closing_problems,
    validate_acceptance,
    validate_deliverable,
    validate_lessons,
    validate_override,
    validate_sign_off,
)
from itpm_tui.domain.enums import Phase, ProjectStatus
from itpm_tui.domain.validation import ValidationError
from itpm_tui.queries.closing import CLOSED, deliverables_of, open_work, open_work_text
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import Deliverable, Project


def reopen_changes(tx: Tx, project: Project) -> dict[str, Any]:
    """What leaving Closed changes besides the status: the override reason is cleared (a new
    close needs the evidence or a new reason; the old one stays in the activity log)."""
    summary = f"reopened {project.code}"
    if project.closing_override:
        summary += f" (it was closed with override: {project.closing_override})"
    tx.log("project", project.id, "reopen", project_id=project.id, summary=summary)
    return {"closing_override": ""}


# --- deliverables ----------------------------------------------------------------------------


def _open_project(tx: Tx, project_id: int) -> Project:
    project: Project = tx.get(Project, project_id)
    if project.status == CLOSED:
        raise ValidationError(
            "status",
            f"{project.code} is closed: its deliverables and sign-off are the record it was "
            "closed on; reopen it to change them",
        )
    return project


def _deliverable(tx: Tx, deliverable_id: int) -> tuple[Deliverable, Project]:
    row: Deliverable = tx.get(Deliverable, deliverable_id)
    return row, _open_project(tx, row.project_id)


def add_deliverable(ctx: Context, project_id: int, draft: DeliverableDraft) -> int:
    clean = validate_deliverable(draft)
    with ctx.transaction() as tx:
        _open_project(tx, project_id)
        row = tx.create(Deliverable(project_id=project_id, **clean.__dict__))
        return int(row.id)


def update_deliverable(
    ctx: Context, deliverable_id: int, draft: DeliverableDraft, *, expected_version: int
) -> list[str]:
    clean = validate_deliverable(draft)
    with ctx.transaction() as tx:
        row, _ = _deliverable(tx, deliverable_id)
        return tx.update(row, clean.__dict__, expected_version=expected_version)


def delete_deliverable(ctx: Context, deliverable_id: int, *, expected_version: int) -> None:
    with ctx.transaction() as tx:
        row, _ = _deliverable(tx, deliverable_id)
        tx.check_version(row, expected_version)
        tx.delete(row)


def accept_deliverable(
    ctx: Context,
    deliverable_id: int,
    by: str,
    on: date | None,
    note: str = "",
    *,
    expected_version: int,
) -> list[str]:
    """Record who accepted the deliverable and when (not in the future, not before the
    project's start)."""
    with ctx.transaction() as tx:
        row, project = _deliverable(tx, deliverable_id)
        ok = validate_acceptance(by, on, note, today=ctx.today(), not_before=project.start_date)
        return tx.update(
            row,
            {"accepted_by": ok.by, "accepted_on": ok.on, "acceptance_note": ok.note},
            expected_version=expected_version,
        )


def unaccept_deliverable(ctx: Context, deliverable_id: int, *, expected_version: int) -> list[str]:
    """Withdraw an acceptance (the deliverable failed after all); the log keeps who it was."""
    with ctx.transaction() as tx:
        row, _ = _deliverable(tx, deliverable_id)
        return tx.update(
            row,
            {"accepted_by": "", "accepted_on": None, "acceptance_note": ""},
            expected_version=expected_version,
        )


# --- the project's closing record --------------------------------------------------------------


def record_sign_off(
    ctx: Context,
    project_id: int,
    by: str,
    on: date | None,
    *,
    expected_version: int,
) -> list[str]:
    with ctx.transaction() as tx:
        project = _open_project(tx, project_id)
        ok = validate_sign_off(by, on, today=ctx.today(), not_before=project.start_date)
        return tx.update(
            project,
            {"signed_off_by": ok.by, "signed_off_on": ok.on},
            expected_version=expected_version,
        )


def clear_sign_off(ctx: Context, project_id: int, *, expected_version: int) -> list[str]:
    with ctx.transaction() as tx:
        project = _open_project(tx, project_id)
        return tx.update(
            project,
            {"signed_off_by": "", "signed_off_on": None},
            expected_version=expected_version,
        )


def set_lessons(ctx: Context, project_id: int, text: str, *, expected_version: int) -> list[str]:
    lessons = validate_lessons(text)
    with ctx.transaction() as tx:
        project = tx.get(Project, project_id)
        return tx.update(project, {"lessons": lessons}, expected_version=expected_version)


def close_project(
    ctx: Context,
    project_id: int,
    *,
    override_reason: str | None = None,
    expected_version: int,
) -> list[str]:
    """Move the project to Closed (status closed, phase closing).

    Refused with `ClosingBlocked` listing every blocker unless every deliverable is accepted
    and the sign-off recorded. With `override_reason` (validated, at least a few words) a
    blocked project closes anyway; the reason is kept on the project and logged with the
    blockers it overrode. When nothing blocks, no override is stored. Tasks or risks still
    open do not block (the screen warns before); the log says how many were left open.
    """
    reason = validate_override(override_reason) if override_reason is not None else None
    with ctx.transaction() as tx:
        project: Project = tx.get(Project, project_id)
        if project.status == CLOSED:
            raise ValidationError("status", f"{project.code} is already closed")
        blockers = closing_problems(
            deliverables_of(tx.session, project_id), project.signed_off_by, project.signed_off_on
        )
        if blockers and reason is None:
            raise ClosingBlocked(project.code, blockers)
        override = reason if blockers and reason else ""
        changed = tx.update(
            project,
            {"status": CLOSED, "phase": Phase.CLOSING.value, "closing_override": override},
            expected_version=expected_version,
        )
        summary = f"closed {project.code}"
        if left_open := open_work_text(*open_work(tx.session, project_id)):
            summary += f" with {left_open}"
        if override:
            summary += f" with override: {override} (open then: {blockers_text(blockers)})"
        tx.log("project", project_id, "close", project_id=project_id, summary=summary)
        return changed


def reopen_project(ctx: Context, project_id: int, *, expected_version: int) -> list[str]:
    """Closed → active again (more work turned up); logged, and the override reason cleared."""
    with ctx.transaction() as tx:
        project: Project = tx.get(Project, project_id)
        if project.status != CLOSED:
            raise ValidationError("status", f"{project.code} is not closed")
        changes = {"status": ProjectStatus.ACTIVE.value, **reopen_changes(tx, project)}
        return tx.update(project, changes, expected_version=expected_version)
