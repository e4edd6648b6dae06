"""The shapes the demo data is declared in: plain rows, so the data modules read as tables.

Nothing here knows about the database. People, stakeholders and projects refer to each other
by handle, key or project code, tasks by a short key, and every date is a number of days (or
working days) from the day the demo is built; the builder turns all of that into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from itpm_tui.domain.enums import BudgetCategory, EntryKind, ProjectStatus

HW, SW, LAB, VS, CONT = (c.value for c in BudgetCategory)
ACTUAL, COMMITTED = EntryKind.ACTUAL.value, EntryKind.COMMITTED.value


class Member(NamedTuple):
    """A member of the delivery team; the e-mail address is made from the name."""

    handle: str
    name: str
    role: str
    phone: str
    skills: str
    weekly_hours: str
    cost_rate: str
    currency: str


class Contact(NamedTuple):
    """A stakeholder, known to the projects and the log by ``key``."""

    key: str
    name: str
    organisation: str
    title: str
    kind: str
    email: str
    phone: str
    channel: str
    cadence: str
    influence: int
    interest: int
    notes: str


class LogEntry(NamedTuple):
    """A contact with a stakeholder about a project, ``days_ago``; ``by`` is a member handle."""

    stakeholder: str
    project: str
    days_ago: int
    channel: str
    by: str
    summary: str


class PublicHoliday(NamedTuple):
    """A holiday every project keeps: a fixed day of the year, or days from Easter Sunday."""

    name: str
    month: int = 0
    day: int = 0
    easter: int | None = None


class BankHoliday(NamedTuple):
    """A holiday of one project only: the ``monday``-th Monday of ``month`` (-1: the last)."""

    month: int
    monday: int
    name: str


class Budget(NamedTuple):
    """A budget line; the internal labour line is computed from the plan, not declared."""

    category: str
    description: str
    amount: str


class Spend(NamedTuple):
    """A ledger entry ``days_ago``; ``"{y}"`` in the reference becomes the entry's year."""

    days_ago: int
    vendor: str
    category: str
    description: str
    amount: str
    kind: str
    reference: str


@dataclass(frozen=True)
class Task:
    """A leaf task (``days`` ≥ 1) or a milestone (``days`` 0).

    ``after`` lists predecessors: ``"a, b SS+2, c FF-1"`` (FS with no lag when not said).
    A task with ``downtime`` (the systems it takes down) is a cut-over: it starts on the last
    working day of a week (a Friday, or the Thursday before a holiday) and gets a downtime
    window from ``window[0]`` o'clock lasting ``window[1]`` hours.
    """

    key: str
    name: str
    days: int = 0
    who: str | None = None
    hours: int = 0
    after: str = ""
    downtime: str = ""
    window: tuple[int, int] = (22, 8)


@dataclass(frozen=True)
class Summary:
    """A summary task: its dates, hours and progress roll up from its children."""

    name: str
    children: tuple[Task | Summary, ...]


def Milestone(key: str, name: str, after: str) -> Task:
    """A milestone: no duration, no assignee."""
    return Task(key, name, 0, after=after)


@dataclass(frozen=True)
class Risk:
    """A risk; ``raised``/``review`` are days before/after today, residual is (p, i)."""

    title: str
    category: str
    p: int
    i: int
    owner: str
    response: str
    mitigation: str
    contingency: str
    trigger: str
    status: str = "open"
    raised: int = 20
    review: int = 7
    residual: tuple[int, int] | None = None
    description: str = ""


@dataclass(frozen=True)
class Change:
    """A change request; ``requested``/``decided`` are days before today."""

    title: str
    by: str
    requested: int
    description: str
    cost: str
    days: int
    status: str = "proposed"
    decided_by: str = ""
    decided: int | None = None


@dataclass(frozen=True)
class Deliverable:
    """A deliverable due when task ``due`` finishes; accepted by ``accepted_by`` once past."""

    name: str
    description: str
    criteria: str
    due: str
    accepted_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class Project:
    """One project; ``start`` is in working days from this week's Monday (negative: past)."""

    code: str
    name: str
    client: str
    sponsor: str
    manager: str
    phase: str
    start: int
    objective: str
    scope: str
    kpis: str
    plan: tuple[Task | Summary, ...]
    budget: tuple[Budget, ...]
    ledger: tuple[Spend, ...]
    risks: tuple[Risk, ...]
    changes: tuple[Change, ...]
    deliverables: tuple[Deliverable, ...]
    stakeholders: tuple[tuple[str, str], ...]  # stakeholder key, role on this project
    currency: str = "EUR"
    status: str = ProjectStatus.ACTIVE.value
    baseline: bool = True  # the plan was approved and saved as the baseline
    delays: dict[str, int] = field(default_factory=dict)  # working days added since then
    blocked: dict[str, str] = field(default_factory=dict)  # task key -> why
    holidays: tuple[BankHoliday, ...] = ()
    signed_off_by: str = ""
    lessons: str = ""
