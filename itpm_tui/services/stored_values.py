"""The last check before anything a service wrote is stored: the rules of `domain.limits`.

Forms, the command line and the importers check their fields against the same rules first,
naming the field as the user knows it; this check runs on every flush of a service's
transaction so that no way in — a form, a command, an import, a service written tomorrow —
can store an over-long text, a control character or a date outside 1970–2200. A row being
edited is checked only on the columns that change, so a value stored before these rules
existed does not stop the user from fixing another field of its row. The activity log is
itpm's own record of what changed (its old values copy what was stored before) and is not
checked here; an imported activity log is checked by the importer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session

from itpm_tui.domain.limits import TEXT_LIMITS, column_rule, date_rule
from itpm_tui.domain.validation import Problem, ValidationError

_UNCHECKED = {"activity"}


def _problems(row: Any, new: bool) -> list[Problem]:
    table = getattr(type(row), "__tablename__", None)
    if table not in TEXT_LIMITS or table in _UNCHECKED:
        return []
    state = inspect(row)
    found = []
    for attribute in state.mapper.column_attrs:
        name = attribute.key
        if not new and not state.attrs[name].history.has_changes():
            continue
        value = getattr(row, name)
        if isinstance(value, str):
            rule = column_rule(table, name, value)
        elif isinstance(value, date):
            rule = date_rule(value)
        else:
            continue
        if rule is not None:
            found.append(Problem(name.replace("_", " "), rule))
    return found


def check_before_flush(session: Session, _context: object, _instances: object) -> None:
    """Refuse the flush (`ValidationError`, so the transaction rolls back) when a new or
    changed row breaks a rule of `domain.limits`."""
    problems = [p for row in session.new for p in _problems(row, new=True)]
    problems += [p for row in session.dirty for p in _problems(row, new=False)]
    if problems:
        raise ValidationError.of(problems)


def watch(session: Session) -> None:
    """Check every flush of `session` (a service's write transaction)."""
    from sqlalchemy import event

    if not event.contains(session, "before_flush", check_before_flush):
        event.listen(session, "before_flush", check_before_flush)
