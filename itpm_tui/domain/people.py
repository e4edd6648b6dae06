"""Rules for people (the team) and stakeholders (contacts outside or beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from itpm_tui.domain.enums import Cadence, Channel, StakeholderType
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


@dataclass
class StakeholderDraft:
    name: str
    organisation: str = ""
    title: str = ""
    kind: str = StakeholderType.END_USER.value
    email: str = ""
    phone: str = ""
    channel: str = Channel.EMAIL.value
    cadence: str = Cadence.WEEKLY.value
    influence: int = 3
    interest: int = 3
    notes: str = ""


def validate_stakeholder(draft: StakeholderDraft) -> StakeholderDraft:
    check = Checker()
    check.required("name", draft.name)
    check.one_of("type", draft.kind, [k.value for k in StakeholderType])
    check.email("email", draft.email.strip())
    check.phone("phone", draft.phone.strip())
    check.one_of("channel", draft.channel, [c.value for c in Channel])
    check.one_of("cadence", draft.cadence, [c.value for c in Cadence])
    check.between("influence", draft.influence, 1, 5)
    check.between("interest", draft.interest, 1, 5)
    check.raise_if_any()
    return draft
