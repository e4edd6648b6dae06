"""Validation that names the field and the rule, shared by forms, the CLI and imports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from itpm_tui.domain import limits as _limits
from itpm_tui.domain.problems import Problem as Problem  # where every caller has it from
from itpm_tui.errors import ItpmError


class ValidationError(ItpmError):
    """One or more fields broke a rule; nothing was written."""

    def __init__(self, field: str, rule: str, *, problems: list[Problem] | None = None) -> None:
        self.problems = problems or [Problem(field, rule)]
        first = self.problems[0]
        self.field = first.field
        self.rule = first.rule
        text = "; ".join(str(p) for p in self.problems)
        super().__init__(text)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> ValidationError:
        listed = list(problems)
        return cls(listed[0].field, listed[0].rule, problems=listed)


#: An import reports at most this many problems, then how many more there are.
MAX_REPORTED = 100


def problem_lines(
    problems: Iterable[object], limit: int = MAX_REPORTED, *, more: int = 0
) -> list[str]:
    """The first `limit` problems as lines, then "… and N more problems": the one cap every
    import's message goes through, so 300,000 bad rows print 101 lines, not 38 MB. `more`
    counts problems a caller found but did not keep."""
    lines: list[str] = []
    for problem in problems:
        if len(lines) < limit:
            lines.append(str(problem))
        else:
            more += 1
    if more:
        lines.append(f"… and {more:,} more problem{'s' if more != 1 else ''}")
    return lines


@cache
def _choices(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in vocabulary)


class Checker:
    """Collects every problem of a record so a form can show them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, rule: str) -> None:
        self.problems.append(Problem(field, rule))

    def required(self, field: str, value: str | None, max_length: int = 200) -> None:
        if value is None or not value.strip():
            self.fail(field, "must not be empty")
        else:
            self.text(field, value, max_length)

    def text(self, field: str, value: str | None, max_length: int, multiline: bool = False) -> None:
        """At most `max_length` characters and no control character (`domain.limits`)."""
        if value and (rule := _limits.text_rule(value, max_length, multiline=multiline)):
            self.fail(field, rule)

    def columns(
        self, table: str, values: dict[str, Any], labels: dict[str, str] | None = None
    ) -> None:
        """The text rules of `domain.limits.TEXT_LIMITS` for a `table` row's `values`
        (column → value), each problem named by its label in `labels` or its column; a
        field that already has a problem is not reported twice."""
        found = _limits.text_problems(table, values, labels)
        if found:
            seen = {p.field for p in self.problems}
            self.problems += [p for p in found if p.field not in seen]

    def dates(self, *pairs: tuple[str, date | None]) -> None:
        """Each (field, date) within the years `domain.limits` allows."""
        self.problems += _limits.date_problems(pairs)

    def code(self, field: str, value: str | None) -> None:
        if value is None or not value.strip():
            self.fail(field, "must not be empty")
        elif not CODE_RE.fullmatch(value):
            self.fail(field, "must be 2–20 letters, digits or dashes, starting with a letter")

    def has_problem(self, field: str) -> bool:
        return any(p.field == field for p in self.problems)

    def email(self, field: str, value: str | None) -> None:
        if self.has_problem(field):
            return  # e.g. a control character: not quoted back in a second message
        if value and not EMAIL_RE.fullmatch(value):
            self.fail(field, f"'{value}' is not an e-mail address (name@example.com)")

    def phone(self, field: str, value: str | None) -> None:
        if value and not self.has_problem(field) and not PHONE_RE.fullmatch(value):
            self.fail(field, "may hold only digits, spaces, +, -, ( ) and . (at least 3 digits)")

    def date_order(
        self, start_field: str, start: date | None, end_field: str, end: date | None
    ) -> None:
        if start and end and end < start:
            self.fail(end_field, f"must not be before {start_field} ({start.isoformat()})")

    def between(self, field: str, value: int | float | Decimal | None, low: int, high: int) -> None:
        if value is not None and not low <= value <= high:
            self.fail(field, f"must be between {low} and {high}, got {value}")

    def not_negative(self, field: str, value: int | float | Decimal | None) -> None:
        if value is not None and value < 0:
            self.fail(field, f"must not be negative, got {value}")

    def one_of(self, field: str, value: str | None, allowed: Iterable[str] | type[StrEnum]) -> None:
        """`value` is one of `allowed`: its values, or those of an enum (listed once, not
        for every record an import checks)."""
        if value is None:
            return
        options = _choices(allowed) if isinstance(allowed, type) else tuple(allowed)
        if value not in options:
            self.fail(field, f"must be one of {', '.join(options)}, got '{value}'")

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError.of(self.problems)


CODE_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]{1,19}")
EMAIL_RE = re.compile(
    r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
PHONE_RE = re.compile(r"(?=(?:\D*\d){3})[0-9 +().\-]{3,30}")


def parse_date(text: str | None, field: str, fmt: str = "%Y-%m-%d") -> date | None:
    """Read a typed date (ISO, or the configured format); empty means no date."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    for candidate in dict.fromkeys(("%Y-%m-%d", fmt)):
        try:
            day = datetime.strptime(value, candidate).date()
        except ValueError:
            continue
        if rule := _limits.date_rule(day):
            raise ValidationError(field, rule)
        return day
    example = date(2026, 3, 31).strftime(fmt)
    raise ValidationError(field, f"'{value}' is not a date; use YYYY-MM-DD or {example}")
