"""What any stored value may hold, whoever typed or imported it: one table, one rule.

Every text column of the portfolio has a maximum length here (`TEXT_LIMITS`, table → column
→ characters), and no text may hold a control character (C0, DEL, C1 and the bidirectional
overrides: `domain.text.is_control`) other than tab — nor a line break outside the
multi-line fields (`MULTILINE`). A control character in stored text is how a file someone sent
would reach the user's terminal as an escape sequence, and an unbounded field is how one
import fills a disk; so forms, the command line and every import (JSON, ledger CSV, MS
Project XML) ask the same functions here, and a service write is checked against them once
more before it is stored (`services.context`).

Dates are years 1970–2200: wide enough for any plan, narrow enough that a typo
(`0226-03-01`, `9999-12-31`) is caught, not scheduled. Day counts have their own ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from itpm_tui.domain.problems import Problem
from itpm_tui.domain.text import BIDI_CODES, controls_but, is_control

#: Short vocabulary values (a status, a kind, a channel) are stored as text this long.
WORD = 40
#: Names, titles and one-line references.
NAME = 200
#: Descriptions and plans typed in a multi-line box.
LONG = 4000

TEXT_LIMITS: dict[str, dict[str, int]] = {
    "person": {
        "name": NAME,
        "handle": 40,
        "role": 80,
        "email": 254,
        "phone": 40,
        "skills": 1000,
        "cost_currency": 3,
    },
    "project": {
        "code": 20,
        "name": NAME,
        "client": NAME,
        "sponsor": NAME,
        "phase": WORD,
        "status": WORD,
        "objective": LONG,
        "scope": LONG,
        "kpis": LONG,
        "currency": 3,
        "signed_off_by": NAME,
        "closing_override": 2000,
        "lessons": 20000,
        "work_hours": NAME,  # spans of a day, `08:00-12:00,13:00-17:00`
    },
    "task": {
        "wbs": NAME,
        "name": NAME,
        "description": LONG,
        "status": WORD,
        "blocked_reason": 500,
        "constraint_kind": 4,  # MSO, FNLT (domain/constraints)
    },
    "dependency": {"kind": 2},
    "downtimewindow": {"title": 120, "systems": 300},
    "holiday": {"name": 120},
    "deliverable": {
        "name": NAME,
        "description": 2000,
        "acceptance_criteria": 2000,
        "accepted_by": NAME,
        "acceptance_note": 2000,
    },
    "budgetline": {"category": WORD, "description": NAME},
    "ledgerentry": {
        "vendor": NAME,
        "category": WORD,
        "description": NAME,
        "kind": WORD,
        "invoice_ref": NAME,
    },
    "risk": {
        "title": NAME,
        "description": LONG,
        "category": WORD,
        "response": WORD,
        "mitigation": LONG,
        "contingency": LONG,
        "trigger": 1000,
        "status": WORD,
    },
    "changerequest": {
        "title": NAME,
        "requested_by": NAME,
        "description": LONG,
        "status": WORD,
        "decided_by": NAME,
    },
    "stakeholder": {
        "name": NAME,
        "organisation": NAME,
        "title": NAME,
        "kind": WORD,
        "email": 254,
        "phone": 40,
        "channel": WORD,
        "cadence": WORD,
        "notes": 1000,
    },
    "projectstakeholder": {"role": NAME},
    "communicationentry": {
        "channel": WORD,
        "by": NAME,
        "summary": 1000,
        "kind": WORD,
        "body": 20000,  # the report (or digest) text that was e-mailed, cut to this
    },
    # Written by itpm itself; old and new values copy whole fields (lessons are the longest).
    "activity": {
        "user": NAME,
        "entity": WORD,
        "action": WORD,
        "field": 100,
        "old_value": 20000,
        "new_value": 20000,
        "summary": 20000,
    },
}

#: The fields typed in a multi-line box (and the activity values that copy them).
MULTILINE: frozenset[tuple[str, str]] = frozenset(
    {
        ("project", "objective"),
        ("project", "scope"),
        ("project", "kpis"),
        ("project", "closing_override"),
        ("project", "lessons"),
        ("task", "description"),
        ("deliverable", "description"),
        ("deliverable", "acceptance_criteria"),
        ("risk", "description"),
        ("risk", "mitigation"),
        ("risk", "contingency"),
        ("changerequest", "description"),
        ("communicationentry", "body"),
        ("activity", "old_value"),
        ("activity", "new_value"),
        ("activity", "summary"),
    }
)

#: The first and last day any stored date may be.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2200, 12, 31)
#: Working days a task may last, and a link's lag either way.
MAX_DURATION_DAYS = 3650
MAX_LAG_DAYS = 365

_NAMES = {0x09: "tab", 0x0A: "line break", 0x0D: "carriage return", 0x1B: "escape"}
#: The control characters refused: all but tab (and line break in a multi-line field).
CONTROLS = controls_but("\t")
MULTILINE_CONTROLS = controls_but("\t\n")


def _clean_run(controls: re.Pattern[str], ascii_only: bool) -> re.Pattern[str]:
    """The longest run from the start of a text with no character `controls` finds (of an
    ASCII text: a class of the few ASCII characters allowed, which is cheaper to run)."""
    if ascii_only:
        allowed = "".join(chr(c) for c in range(128) if not controls.match(chr(c)))
        return re.compile("[" + re.escape(allowed) + "]*")
    return re.compile("[^" + controls.pattern.removeprefix("[") + "*")


#: (one-line, multi-line) × (ASCII text, any text): `_clean_run` of the rule's controls.
_CLEAN = {
    (multiline, ascii_only): _clean_run(MULTILINE_CONTROLS if multiline else CONTROLS, ascii_only)
    for multiline in (False, True)
    for ascii_only in (False, True)
}


def has_control(value: str, *, multiline: bool = False) -> bool:
    """Whether `value` holds a control character `control_rule` refuses: one greedy run in C,
    several times cheaper than a search over a long text (a batch's texts joined)."""
    found = _CLEAN[multiline, value.isascii()].match(value)
    return found is None or found.end() != len(value)


def control_rule(value: str, *, multiline: bool = False) -> str | None:
    """The rule `value` breaks by holding a control character, or None.

    Tab is allowed everywhere; a line break (U+000A) only in a multi-line field.
    """
    found = (MULTILINE_CONTROLS if multiline else CONTROLS).search(value)
    if found is None:
        return None
    character = found.group()
    assert is_control(character)
    code = ord(character)
    name = _NAMES.get(code) or ("bidirectional override" if code in BIDI_CODES else None)
    shown = f"U+{code:04X}" + (f" ({name})" if name else "")
    where = " in a one-line field" if character == "\n" else ""
    return f"control character {shown} is not allowed{where}"


def text_rule(value: str, limit: int, *, multiline: bool = False) -> str | None:
    """The rule a text breaks (control character, then length), or None if it is fine."""
    if len(value) > limit:
        return f"must be at most {limit} characters"
    return control_rule(value, multiline=multiline)


def limit_of(table: str, column: str) -> int:
    """The most characters `table.column` may hold (KeyError: the column is not text)."""
    return TEXT_LIMITS[table][column]


def column_rule(table: str, column: str, value: object) -> str | None:
    """The text rule `value` breaks as the value of `table.column`; None when it is fine or
    the column is not a text column of the table."""
    limit = TEXT_LIMITS.get(table, {}).get(column)
    if limit is None or not isinstance(value, str):
        return None
    return text_rule(value, limit, multiline=(table, column) in MULTILINE)


def text_problems(
    table: str, values: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> list[Problem]:
    """Every text rule the `values` (column → value) of a `table` row break, each named by
    its label in `labels` (a form's field name) or by its column."""
    limits = TEXT_LIMITS.get(table, {})
    found = []
    for column, value in values.items():
        limit = limits.get(column)
        if limit is None or not isinstance(value, str):
            continue
        if len(value) <= limit and CONTROLS.search(value) is None:
            continue  # fine either way: `CONTROLS` finds all `MULTILINE_CONTROLS` does
        rule = column_rule(table, column, value)
        if rule is not None:
            found.append(Problem((labels or {}).get(column, column), rule))
    return found


def date_rule(value: date | datetime | None) -> str | None:
    """The rule a date breaks by lying outside `FIRST_DAY`–`LAST_DAY`, or None."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"must be between {FIRST_DAY.year} and {LAST_DAY.year}, got {day.isoformat()}"


def date_problems(values: Iterable[tuple[str, date | datetime | None]]) -> list[Problem]:
    """Every date of (field, value) pairs outside the years 1970–2200."""
    return [
        Problem(name, rule)
        for name, value in values
        if value is not None
        and not (type(value) is date and FIRST_DAY <= value <= LAST_DAY)  # plainly fine
        and (rule := date_rule(value))
    ]
