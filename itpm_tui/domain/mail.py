"""Rules of the updates itpm e-mails: what a sent one is logged as, when the weekly digest
is due, and the subject line.

A status report e-mailed to a stakeholder is logged as a contact of kind `UPDATE` (with the
text sent), a digest as one of kind `DIGEST`; a contact logged by hand has no kind. The
daily run (`itpm updates send`) reads the log to stay idempotent: a stakeholder gets a
project's update at most once a day, and the digest at most once an ISO week (Monday to
Sunday), on the configured weekday or — when the run was missed that day — on a later day
of the same week.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

#: The environment variable holding the mail server's password (never the config file).
MAIL_PASSWORD_ENV = "ITPM_MAIL_PASSWORD"


class ContactKind(StrEnum):
    """`CommunicationEntry.kind`: what a logged contact was."""

    LOGGED = ""  # logged by hand, or a report marked as sent
    UPDATE = "update"  # a status report e-mailed by itpm
    DIGEST = "digest"  # a weekly digest e-mailed by itpm


UPDATE = ContactKind.UPDATE.value
DIGEST = ContactKind.DIGEST.value


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def digest_due(today: date, weekday: int, last_sent: date | None) -> bool:
    """Whether the daily run sends a digest today: from the configured `weekday` (Monday 0)
    on, once per ISO week — a run missed on the day is made up later in the same week,
    never in the next."""
    if today.weekday() < weekday:
        return False
    return last_sent is None or last_sent < week_start(today)


def report_subject(title: str, today: date, audience: str) -> str:
    """`FW-26 — Firewall refresh: status report 2026-03-18 (executive)`."""
    return f"{title}: status report {today.isoformat()} ({audience})"


def digest_subject(today: date) -> str:
    """`Weekly digest, week 12 of 2026 (2026-03-16)`: the ISO week and its Monday."""
    year, week, _ = today.isocalendar()
    return f"Weekly digest, week {week} of {year} ({week_start(today).isoformat()})"
