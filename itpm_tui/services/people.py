"""Writes to the team: add, edit, retire and reactivate people.

A person is never deleted from here: retiring keeps their tasks, risks and history, and only
stops them being offered for new assignments (`services.tasks` refuses inactive assignees).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from itpm_tui.domain.money import check_currency
from itpm_tui.domain.people import PersonDraft, validate_person
from itpm_tui.domain.validation import ValidationError
from itpm_tui.services.context import Context, Tx
from itpm_tui.storage.models import Person


def _fields(clean: PersonDraft) -> dict[str, Any]:
    clean.cost_currency = check_currency(clean.cost_currency, "currency")
    return {
        "name": clean.name,
        "handle": clean.handle,
        "role": clean.role,
        "email": clean.email,
        "phone": clean.phone,
        "skills": clean.skills,
        "weekly_capacity_hours": clean.weekly_capacity_hours,
        "cost_rate": clean.cost_rate,
        "cost_currency": clean.cost_currency,
    }


def _refuse_taken_handle(tx: Tx, handle: str, person_id: int | None) -> None:
    """A handle names one person; say who has it rather than let the index refuse it."""
    owner = tx.session.exec(select(Person).where(col(Person.handle) == handle)).first()
    if owner is not None and owner.id != person_id:
        state = "" if owner.active else " (retired)"
        raise ValidationError("handle", f"'{handle}' is already used by {owner.name}{state}")


def add_person(ctx: Context, draft: PersonDraft) -> int:
    """Validate and store a new team member; return their id."""
    clean = validate_person(draft)
    with ctx.transaction() as tx:
        _refuse_taken_handle(tx, clean.handle, None)
        row = tx.create(
            Person(**_fields(clean)), summary=f"added person {clean.name} ({clean.handle})"
        )
        return int(row.id)


def update_person(
    ctx: Context, person_id: int, draft: PersonDraft, expected_version: int
) -> list[str]:
    """Save an edit; refused if someone saved the person since `expected_version` was read.
    Returns the fields that changed."""
    clean = validate_person(draft)
    with ctx.transaction() as tx:
        row: Person = tx.get(Person, person_id)
        tx.check_version(row, expected_version)
        _refuse_taken_handle(tx, clean.handle, person_id)
        return tx.update(row, _fields(clean), expected_version=expected_version)


def set_active(ctx: Context, person_id: int, active: bool, expected_version: int) -> None:
    """Retire (False) or reactivate (True) a person; their history stays either way."""
    with ctx.transaction() as tx:
        row: Person = tx.get(Person, person_id)
        tx.check_version(row, expected_version)
        if row.active == active:
            return
        tx.update(row, {"active": active}, expected_version=expected_version)
        tx.log(
            "person",
            row.id,
            "reactivate" if active else "retire",
            summary=f"{'reactivated' if active else 'retired'} {row.name} ({row.handle})",
        )
