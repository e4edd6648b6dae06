"""Secret links and the plain words a published page uses (no storage, no web server).

A published link — a calendar feed or a project page — is a URL carrying a random token;
whoever has the URL may read what it shows, nobody else. Only the token's SHA-256 is
stored, so the database (or a backup of it) does not give the links away; the URL is shown
once, when made, and a lost one is revoked and made again.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime, time, timedelta
from enum import StrEnum


class LinkKind(StrEnum):
    """What a link shows, stored as its text value."""

    PERSON_FEED = "person feed"
    PROJECT_FEED = "project feed"
    HELPDESK_PAGE = "helpdesk page"
    CLIENT_PAGE = "client page"

    @property
    def is_feed(self) -> bool:
        return self in (LinkKind.PERSON_FEED, LinkKind.PROJECT_FEED)

    @property
    def about_person(self) -> bool:
        return self is LinkKind.PERSON_FEED


#: The page audiences `itpm page add --audience` takes, and the kind each makes.
PAGE_AUDIENCES = {"helpdesk": LinkKind.HELPDESK_PAGE, "client": LinkKind.CLIENT_PAGE}

#: Bytes of randomness in a token (`secrets.token_urlsafe`: 32 URL-safe characters).
TOKEN_BYTES = 24
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,128}")


def new_token() -> str:
    """A fresh random token for a URL."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of `token`: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible_token(token: str) -> bool:
    """Whether `token` could be one of ours (anything else is refused before any lookup)."""
    return _TOKEN_SHAPE.fullmatch(token) is not None


# --- downtime windows in words -----------------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_words(day: date, today: date) -> str:
    """ "Saturday 5 December", with the year when it is not this year's (English whatever
    the machine's locale: the page is read by people, not parsed)."""
    words = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return words if day.year == today.year else f"{words} {day.year}"


def when_words(starts_at: datetime, ends_at: datetime, today: date) -> str:
    """A window's time span in words: "Saturday 5 December 19:00–23:00" within one day
    (an end at midnight reads 24:00), else "from Saturday 5 December 22:00 to Sunday
    6 December 02:00"."""
    start_day = starts_at.date()
    ends_at_midnight = ends_at.time() == time(0, 0) and ends_at.date() == start_day + timedelta(1)
    if ends_at.date() == start_day or ends_at_midnight:
        end = "24:00" if ends_at_midnight else f"{ends_at:%H:%M}"
        return f"{day_words(start_day, today)} {starts_at:%H:%M}–{end}"
    return (
        f"from {day_words(start_day, today)} {starts_at:%H:%M} "
        f"to {day_words(ends_at.date(), today)} {ends_at:%H:%M}"
    )


def window_sentence(
    title: str, systems: str, starts_at: datetime, ends_at: datetime, today: date
) -> str:
    """What a caller is told about a downtime window: "E-mail will be unavailable Saturday
    5 December 19:00–23:00." — the systems named by the window, or its title when none are."""
    subject = " ".join((systems or title).split()) or "Some services"
    subject = subject[0].upper() + subject[1:]
    verb = "will be unavailable"
    return f"{subject} {verb} {when_words(starts_at, ends_at, today)}."
