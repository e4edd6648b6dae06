"""Rules for people: the team members tasks are assigned to (stakeholders are in
`itpm_tui.domain.stakeholders`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from itpm_tui.domain.validation import Checker

HANDLE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


@dataclass
class PersonDraft:
    name: str
    handle: str
    role: str = ""
    email: str = ""
    phone: str = ""
    skills: str = ""
    weekly_capacity_hours: Decimal = Decimal(40)
    cost_rate: Decimal = Decimal(0)
    cost_currency: str = "EUR"


def validate_person(draft: PersonDraft) -> PersonDraft:
    check = Checker()
    check.required("name", draft.name)
    handle = draft.handle.strip().lower()
    if not handle:
        check.fail("handle", "must not be empty")
    elif not set(handle) <= HANDLE_CHARS or len(handle) > 40:
        check.fail("handle", "may hold only letters, digits, '.', '_' and '-' (at most 40)")
    check.email("email", draft.email.strip())
    check.phone("phone", draft.phone.strip())
    check.between("weekly capacity", draft.weekly_capacity_hours, 0, 168)
    check.not_negative("cost rate", draft.cost_rate)
    check.raise_if_any()
    draft.handle = handle
    draft.email = draft.email.strip()
    return draft
