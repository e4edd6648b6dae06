"""The closed vocabularies of the product, stored by their value."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    IDENTIFICATION = "identification"
    PLANNING = "planning"
    EXECUTION = "execution"
    CLOSING = "closing"


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on hold"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in progress"
    BLOCKED = "blocked"
    DONE = "done"


class DependencyType(StrEnum):
    FINISH_TO_START = "FS"
    START_TO_START = "SS"
    FINISH_TO_FINISH = "FF"
    START_TO_FINISH = "SF"


class BudgetCategory(StrEnum):
    HARDWARE = "hardware"
    SOFTWARE = "software"
    LABOUR = "labour"
    VENDOR_SERVICES = "vendor services"
    CONTINGENCY = "contingency"


class EntryKind(StrEnum):
    COMMITTED = "committed"
    ACTUAL = "actual"


class RiskCategory(StrEnum):
    TECHNICAL = "technical"
    VENDOR = "vendor"
    SCHEDULE = "schedule"
    BUDGET = "budget"
    SECURITY = "security"
    PEOPLE = "people"
    COMPLIANCE = "compliance"


class RiskResponse(StrEnum):
    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class RiskStatus(StrEnum):
    OPEN = "open"
    WATCHING = "watching"
    OCCURRED = "occurred"
    CLOSED = "closed"


class ChangeStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class StakeholderType(StrEnum):
    CLIENT_DECISION_MAKER = "client decision maker"
    SPONSOR = "sponsor"
    END_USER = "end user"
    VENDOR = "vendor"
    HELPDESK = "helpdesk"
    INTERNAL = "internal engineer"


class Channel(StrEnum):
    EMAIL = "e-mail"
    PHONE = "phone"
    CHAT = "chat"
    MEETING = "meeting"


class Cadence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    MILESTONES = "at milestones"


class Health(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class PersonRole(StrEnum):
    """The roles offered for a team member; a person imported with another job title keeps it."""

    PROJECT_MANAGER = "project manager"
    ENGINEER = "technician/engineer"
    OTHER = "other"
