"""Closing a project: the gate, and what makes an acceptance, a sign-off or an override valid.

A project is closed only when every deliverable has been accepted (by someone, on a day) and
the client's formal sign-off is recorded (who, when) — or when the project manager closes it
anyway and writes down why (the override reason, kept with the project and in the activity
log). The rules live here so the close-out screen, the project form and the services agree.

Dates: an acceptance or a sign-off cannot be in the future, and cannot be before the
project's start date (nothing was delivered before the work began). An acceptance may come
before the deliverable's due date: early delivery is good news, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from itpm_tui.domain.validation import Checker, Problem, ValidationError

MAX_NAME = 200
MAX_TEXT = 2000
MAX_LESSONS = 20000
#: An override reason shorter than this is not a reason ("ok", "done").
MIN_OVERRIDE = 10

#: Problem fields of the gate, so a screen can tell the kinds of blocker apart.
DELIVERABLES = "deliverables"
SIGN_OFF = "sign-off"
OVERRIDE = "override"


class Acceptable(Protocol):
    """Anything with a deliverable's name and acceptance: a table row or a read model."""

    @property
    def name(self) -> str: ...
    @property
    def accepted_by(self) -> str: ...
    @property
    def accepted_on(self) -> date | None: ...


def is_accepted(deliverable: Acceptable) -> bool:
    """Accepted means both who and when are recorded; one without the other is not enough."""
    return bool((deliverable.accepted_by or "").strip()) and deliverable.accepted_on is not None


def sign_off_recorded(signed_off_by: str, signed_off_on: date | None) -> bool:
    return bool((signed_off_by or "").strip()) and signed_off_on is not None


def override_given(override: str | None) -> bool:
    """True when the override is a usable reason (what `validate_override` accepts: not
    blank, at least `MIN_OVERRIDE` long, within its limit and free of control characters)."""
    try:
        validate_override(override)
    except ValidationError:
        return False
    return True


def closing_problems(
    deliverables: Iterable[Acceptable],
    signed_off_by: str,
    signed_off_on: date | None,
    override: str | None = None,
) -> list[Problem]:
    """What stops the project from closing; empty when it may close.

    Each unaccepted deliverable is named, then the missing part of the sign-off. A usable
    override reason opens the gate whatever else is missing.
    """
    if override_given(override):
        return []
    problems = [
        Problem(DELIVERABLES, f"deliverable '{d.name}' not accepted")
        for d in deliverables
        if not is_accepted(d)
    ]
    who = bool((signed_off_by or "").strip())
    if not who and signed_off_on is None:
        problems.append(Problem(SIGN_OFF, "client sign-off not recorded"))
    elif not who:
        problems.append(Problem(SIGN_OFF, "client sign-off has no name (who signed off)"))
    elif signed_off_on is None:
        problems.append(Problem(SIGN_OFF, "client sign-off has no date"))
    return problems


def blockers_text(problems: Iterable[Problem]) -> str:
    """The blockers as one line: "deliverable 'X' not accepted; client sign-off not recorded"."""
    return "; ".join(p.rule for p in problems)


class ClosingBlocked(ValidationError):
    """The project cannot close yet; `problems` names every blocker, the message lists them."""

    def __init__(self, code: str, problems: list[Problem]) -> None:
        super().__init__(problems[0].field, problems[0].rule, problems=problems)
        self.args = (f"{code} cannot be closed: {blockers_text(problems)}",)


# --- the records of closing ---------------------------------------------------------------


@dataclass
class DeliverableDraft:
    """The editable fields of a deliverable, as a form or an import supplies them."""

    name: str
    description: str = ""
    acceptance_criteria: str = ""
    due_date: date | None = None


def validate_deliverable(draft: DeliverableDraft) -> DeliverableDraft:
    """Return the trimmed draft or raise `ValidationError` listing every broken rule."""
    clean = DeliverableDraft(
        name=(draft.name or "").strip(),
        description=(draft.description or "").strip(),
        acceptance_criteria=(draft.acceptance_criteria or "").strip(),
        due_date=draft.due_date,
    )
    check = Checker()
    check.required("name", clean.name, MAX_NAME)
    for field, value in (
        ("description", clean.description),
        ("acceptance criteria", clean.acceptance_criteria),
    ):
        if len(value) > MAX_TEXT:
            check.fail(field, f"must be at most {MAX_TEXT} characters")
    check.columns(
        "deliverable",
        {"description": clean.description, "acceptance_criteria": clean.acceptance_criteria},
        {"acceptance_criteria": "acceptance criteria"},
    )
    check.dates(("due date", clean.due_date))
    check.raise_if_any()
    return clean


@dataclass(frozen=True, slots=True)
class Acceptance:
    """Who accepted a deliverable, on which day, and what they said."""

    by: str
    on: date
    note: str = ""


def _dated(
    check: Checker, field: str, on: date | None, today: date, not_before: date | None, what: str
) -> None:
    if on is None:
        check.fail(field, "is required")
    elif on > today:
        check.fail(field, f"must not be in the future (today is {today.isoformat()})")
    elif not_before is not None and on < not_before:
        check.fail(field, f"must not be before {what} ({not_before.isoformat()})")


def validate_acceptance(
    by: str | None,
    on: date | None,
    note: str | None = "",
    *,
    today: date,
    not_before: date | None = None,
) -> Acceptance:
    """`not_before` is the project's start date: a deliverable is not accepted before that."""
    who = (by or "").strip()
    text = (note or "").strip()
    check = Checker()
    check.required("accepted by", who, MAX_NAME)
    _dated(check, "accepted on", on, today, not_before, "the project's start")
    check.columns("deliverable", {"acceptance_note": text}, {"acceptance_note": "note"})
    check.dates(("accepted on", on))
    check.raise_if_any()
    assert on is not None
    return Acceptance(who, on, text)


@dataclass(frozen=True, slots=True)
class SignOff:
    by: str
    on: date


def validate_sign_off(
    by: str | None, on: date | None, *, today: date, not_before: date | None = None
) -> SignOff:
    """The client's formal sign-off: who signed (required) and when (not in the future)."""
    who = (by or "").strip()
    check = Checker()
    check.required("signed off by", who, MAX_NAME)
    _dated(check, "signed off on", on, today, not_before, "the project's start")
    check.dates(("signed off on", on))
    check.raise_if_any()
    assert on is not None
    return SignOff(who, on)


def validate_override(reason: str | None) -> str:
    """The reason for closing without the full evidence, trimmed; it is kept for good."""
    text = (reason or "").strip()
    check = Checker()
    if not text:
        check.fail(OVERRIDE, "give the reason for closing without the full evidence")
    elif len(text) < MIN_OVERRIDE:
        check.fail(OVERRIDE, f"must be at least {MIN_OVERRIDE} characters: say why")
    else:
        check.columns("project", {"closing_override": text}, {"closing_override": OVERRIDE})
    check.raise_if_any()
    return text


def validate_lessons(text: str | None) -> str:
    lessons = (text or "").strip()
    check = Checker()
    check.columns("project", {"lessons": lessons})
    check.raise_if_any()
    return lessons
