"""The weekly stand-up's plain rules: how long each kiosk page stays up (the weeks it
talks about are `domain.calendar.week_end` and `next_week_end`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from itpm_tui.domain.validation import ValidationError

#: Shortest and longest time a page may stay up: quicker is unreadable, longer is a still.
MIN_CYCLE = 5
MAX_CYCLE = 3600
_CYCLE = re.compile(r"^\s*(\d+)\s*(s|sec|m|min)?\s*$", re.IGNORECASE)


def parse_cycle(text: str) -> int:
    """Seconds per page from `30s`, `1m` or a bare number of seconds; one line naming
    the option and the rule otherwise."""
    match = _CYCLE.match(text or "")
    if match is None:
        raise ValidationError(
            "--cycle", f"'{text}' is not a duration; use seconds or minutes, e.g. 30s or 1m"
        )
    seconds = int(match.group(1)) * (60 if (match.group(2) or "s").lower()[0] == "m" else 1)
    if not MIN_CYCLE <= seconds <= MAX_CYCLE:
        raise ValidationError(
            "--cycle",
            f"{text.strip()} is out of range; a page stays between {MIN_CYCLE}s "
            f"and {MAX_CYCLE // 60}m",
        )
    return seconds


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_pages(text: str | None, valid: Sequence[str]) -> list[str]:
    """The page slugs of `--pages` in the order given (all of `valid` when not given); an
    unknown or repeated slug is one line listing the valid ones."""
    if text is None:
        return list(valid)
    listed = ", ".join(valid)
    chosen = [item.lower() for item in _items(text)]
    if not chosen:
        raise ValidationError("--pages", f"name at least one page: {listed}")
    for slug in chosen:
        if slug not in valid:
            raise ValidationError("--pages", f"there is no page '{slug}'; the pages are {listed}")
    if len(set(chosen)) != len(chosen):
        raise ValidationError("--pages", "name each page once")
    return chosen


def parse_project_codes(text: str) -> list[str]:
    """The project codes of `--projects`, in upper case (codes are compared without case),
    each once and in the order given."""
    codes = list(dict.fromkeys(item.upper() for item in _items(text)))
    if not codes:
        raise ValidationError("--projects", "name at least one project code, e.g. NET,MAIL")
    return codes
