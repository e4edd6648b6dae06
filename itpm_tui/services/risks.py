"""Writes to the risk register: add, edit and close a risk.

Each is one transaction through `Tx`, so every changed field is in the activity log, and an
edit made on a stale copy is refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from itpm_tui.domain.enums import RiskStatus
from itpm_tui.domain.risk import (
    RiskDraft,
    validate_risk,
)
from itpm_tui.domain.validation import Problem, ValidationError
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import Person, Project, Risk

# --- reading ---------------------------------------------------------------------------------


# --- writing ---------------------------------------------------------------------------------


def _fields(draft: RiskDraft) -> dict[str, Any]:
    return {
        "title": draft.title.strip(),
        "description": draft.description,
        "category": draft.category,
        "probability": draft.probability,
        "impact": draft.impact,
        "owner_id": draft.owner_id,
        "response": draft.response,
        "mitigation": draft.mitigation,
        "contingency": draft.contingency,
        "trigger": draft.trigger,
        "status": draft.status,
        "raised_on": draft.raised_on,
        "review_date": draft.review_date,
        "residual_probability": draft.residual_probability,
        "residual_impact": draft.residual_impact,
    }


def _check(tx: Tx, draft: RiskDraft) -> None:
    """The domain's rules, plus the one only the database can answer: does the owner exist."""
    problems: list[Problem] = []
    try:
        validate_risk(draft)
    except ValidationError as exc:
        problems.extend(exc.problems)
    if draft.owner_id is not None and tx.session.get(Person, draft.owner_id) is None:
        problems.append(Problem("owner", f"person {draft.owner_id} does not exist"))
    if problems:
        raise ValidationError.of(problems)


def add_risk(ctx: Context, project_id: int, draft: RiskDraft) -> int:
    """Validate and store a new risk (raised today unless the draft says when); its id."""
    # Raised today when not given: the review date is checked against that day too.
    draft = replace(draft, raised_on=draft.raised_on or ctx.today())
    with ctx.transaction() as tx:
        tx.get(Project, project_id)
        _check(tx, draft)
        row = tx.create(Risk(project_id=project_id, **_fields(draft)))
        return int(row.id)


def update_risk(ctx: Context, risk_id: int, draft: RiskDraft, expected_version: int) -> list[str]:
    """Save an edit, one activity entry per changed field; the changed fields' names.

    An empty `raised_on` keeps the date the risk was raised.

    A risk saved by someone else since `expected_version` was shown is refused
    (`ConflictError`) and their edit kept.
    """
    with ctx.transaction() as tx:
        row = tx.get(Risk, risk_id)
        # An empty raised date keeps the stored one, which the review date must not precede.
        _check(tx, draft if draft.raised_on else replace(draft, raised_on=row.raised_on))
        values = _fields(draft)
        if draft.raised_on is None:  # left empty: when it was raised does not change
            del values["raised_on"]
        return tx.update(row, values, expected_version=expected_version)


def close_risk(ctx: Context, risk_id: int, expected_version: int) -> bool:
    """Mark the risk closed; False when it already was (nothing written)."""
    with ctx.transaction() as tx:
        row = tx.get(Risk, risk_id)
        changed = tx.update(
            row, {"status": RiskStatus.CLOSED.value}, expected_version=expected_version
        )
        return bool(changed)
