"""Non-working days: the rules for one typed day, and the span of years a country's public
holidays are filled for. The working week stays Monday to Friday (working hours are a later
issue), so a holiday on a weekend changes nothing in the schedule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from itpm_tui.domain.limits import column_rule
from itpm_tui.domain.validation import ValidationError, parse_date

MAX_NAME = 120
#: Public holidays are filled for at most this many years at once.
MAX_YEARS = 10
YEARS_RE = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?")


@dataclass(frozen=True, slots=True)
class DayOff:
    day: date
    name: str


def read_day(
    text: str | None, name: str = "", field: str = "date", fmt: str = "%Y-%m-%d"
) -> DayOff:
    """A typed day (YYYY-MM-DD, or `fmt`) and its optional name; `ValidationError` naming
    the field."""
    day = parse_date(text, field, fmt)
    if day is None:
        raise ValidationError(field, "is required (YYYY-MM-DD)")
    return DayOff(day, clean_name(name))


def clean_name(name: str | None) -> str:
    text = " ".join((name or "").split())
    if len(text) > MAX_NAME:
        raise ValidationError("name", f"must be at most {MAX_NAME} characters")
    if rule := column_rule("holiday", "name", text):
        raise ValidationError("name", rule)
    return text


def parse_years(text: str | None, field: str = "--years") -> list[int]:
    """`2026` or `2026-2027`: the years, first to last, at most `MAX_YEARS` of them."""
    value = (text or "").strip()
    found = YEARS_RE.fullmatch(value)
    if not found:
        raise ValidationError(field, f"'{value}' is not a year or a span like 2026-2027")
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if not 1900 <= first <= 2200 or not 1900 <= last <= 2200:
        raise ValidationError(field, "years must be between 1900 and 2200")
    if last < first:
        raise ValidationError(field, f"the span must not end before it starts ({value})")
    if last - first + 1 > MAX_YEARS:
        raise ValidationError(field, f"at most {MAX_YEARS} years at once, got {last - first + 1}")
    return list(range(first, last + 1))
