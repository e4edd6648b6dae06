"""The whole portfolio as SQLModel tables.

Closed vocabularies are stored as their text values (see `itpm_tui.domain.enums`) and checked
by the domain; money and hours are `FixedPoint` decimals; every editable row carries a
`version` so a save never silently overwrites a colleague's newer edit (`Versioned`).

Every constraint and index is named by `NAMING_CONVENTION`, so a migration can drop or
change one by a name that is the same in every database, whichever engine created it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, UniqueConstraint, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from itpm_tui.storage.types import FixedPoint

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Names are given when a constraint joins its table, so this is set before any table below;
# on SQLModel's own metadata, so every table declared with `table=True` follows it.
SQLModel.metadata.naming_convention = NAMING_CONVENTION
# The tables are rows for SQLAlchemy, never validated by pydantic (SQLModel builds a table
# row without its validator): the validators are built only if ever asked for, not for
# every table as every process starts.
SQLModel.model_config["defer_build"] = True

#: `Column.info` of a column that is this database's bookkeeping, not the portfolio's data:
#: exports and imports leave it out (`formats.portfolio_schema`).
LOCAL = {"portfolio": False}


class Versioned:
    """A table whose `version` column is SQLAlchemy's version counter: every UPDATE or DELETE
    of a row is `... WHERE id = ? AND version = ?` and sets the next version, so a save made
    from an older copy matches no row and fails at flush (`StaleDataError`, which the write
    turns into `ConflictError`) — on any database, whatever else is writing at the time."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def utcnow() -> datetime:
    return datetime.now(UTC)


def partial_index(name: str, *columns: str, where: str) -> Index:
    """An index of only the rows `where` holds, as the migrations create it.

    The predicate is given for SQLite alone: naming it for PostgreSQL (`postgresql_where`)
    makes SQLAlchemy load its whole PostgreSQL dialect to check the argument — 40 ms of CPU
    in every itpm process, on SQLite too. The migrations give PostgreSQL the same predicate
    (0008, 0011), and Alembic compares no index predicate, so the models lose nothing."""
    return Index(name, *columns, sqlite_where=text(where))


def money(nullable: bool = False, default: Decimal | None = Decimal(0)) -> Decimal:
    return Field(default=default, sa_type=FixedPoint(4), nullable=nullable)


def hours(nullable: bool = False, default: Decimal | None = Decimal(0)) -> Decimal:
    return Field(default=default, sa_type=FixedPoint(2), nullable=nullable)


class Person(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    handle: str = Field(unique=True, index=True)
    role: str = ""
    email: str = ""
    phone: str = ""
    skills: str = ""
    weekly_capacity_hours: Decimal = hours(default=Decimal(40))
    cost_rate: Decimal = money()
    cost_currency: str = "EUR"
    active: bool = True
    version: int = 1


class Project(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    client: str = ""
    sponsor: str = ""
    manager_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    phase: str = "identification"
    status: str = "active"
    start_date: date | None = None
    end_date: date | None = None
    baseline_start: date | None = None
    baseline_end: date | None = None
    baseline_set_on: date | None = None
    # the working hours of each working day (domain/work_hours); "" is 08:00-12:00,13:00-17:00
    work_hours: str = ""
    objective: str = ""
    scope: str = ""
    kpis: str = ""
    currency: str = "EUR"
    signed_off_by: str = ""
    signed_off_on: date | None = None
    closing_override: str = ""
    lessons: str = ""
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


#: A milestone not reached (`queries.portfolio_rows.open_milestone` states it in queries).
OPEN_MILESTONE = "is_milestone AND status != 'done'"


class Task(Versioned, SQLModel, table=True):
    __table_args__ = (
        Index("ix_task_project_order", "project_id", "sort_order"),
        # the milestones not reached, read by Projects and the updates due (migration 0008)
        partial_index("ix_task_open_milestone", "project_id", where=OPEN_MILESTONE),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    parent_id: int | None = Field(
        default=None, foreign_key="task.id", ondelete="CASCADE", index=True
    )
    sort_order: int = 0
    wbs: str = ""
    name: str
    description: str = ""
    is_milestone: bool = False
    # manually scheduled (MS Project's "Manual"): held at its planned dates, links do not push it
    is_manual: bool = False
    # elapsed (MS Project's "ed"): lasts calendar days from planned start to finish, weekends too
    is_elapsed: bool = False
    # MS Project's constraint beyond itpm's start rule ("" none, MSO, FNLT; domain/constraints)
    constraint_kind: str = ""
    constraint_date: date | None = None
    deadline: date | None = None  # flagged when the scheduled finish is later
    planned_start: date | None = None
    planned_finish: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    # working minutes of a task lasting part of a day ("4h"); None: the working days of its dates
    work_minutes: int | None = None
    start_time: time | None = None  # when its work starts on its planned start day; None: 08:00
    estimate_hours: Decimal = hours()
    remaining_hours: Decimal = hours()
    percent_complete: int = 0
    status: str = "todo"
    assignee_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True
    )
    needs_downtime: bool = False
    blocked_reason: str = ""
    version: int = 1


class Dependency(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    predecessor_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    successor_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    kind: str = "FS"
    lag_days: int = 0
    # the lag in working minutes when not whole days (FS+4h); lag_days is then rounded to zero
    lag_minutes: int | None = None


class DowntimeWindow(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    title: str
    # Local wall-clock time of the site where the work happens.
    starts_at: datetime = Field(sa_type=DateTime())
    ends_at: datetime = Field(sa_type=DateTime())
    systems: str = ""
    approved: bool = False
    # A window tied to a task moves with it: `anchor_start` is the task's scheduled start when
    # the window was saved, and the window is read shifted by how far that start has moved
    # since (`queries.downtime.effective_windows`).
    task_id: int | None = Field(
        default=None, foreign_key="task.id", ondelete="SET NULL", index=True
    )
    anchor_start: date | None = None
    version: int = 1


class Holiday(SQLModel, table=True):
    """A non-working day: for one project's calendar, or for all when `project_id` is empty."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", ondelete="CASCADE")
    day: date = Field(index=True)
    name: str = ""


class Deliverable(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    name: str
    description: str = ""
    acceptance_criteria: str = ""
    due_date: date | None = None
    accepted_by: str = ""
    accepted_on: date | None = None
    acceptance_note: str = ""
    version: int = 1


class BudgetLine(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    category: str
    description: str = ""
    amount: Decimal = money()
    version: int = 1


class LedgerEntry(Versioned, SQLModel, table=True):
    __table_args__ = (
        # the import finds entries already booked by project, day and amount (migration 0012)
        Index("ix_ledger_project_date_amount", "project_id", "entry_date", "amount"),
        # the Projects screen's spend sums read this index alone (migration 0007)
        Index("ix_ledger_project_kind_amount", "project_id", "kind", "amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    entry_date: date
    vendor: str = ""
    category: str
    description: str = ""
    amount: Decimal = money()
    kind: str = "actual"
    invoice_ref: str = ""
    version: int = 1


class Risk(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    title: str
    description: str = ""
    category: str = "technical"
    probability: int = 3
    impact: int = 3
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    response: str = "mitigate"
    mitigation: str = ""
    contingency: str = ""
    trigger: str = ""
    status: str = "open"
    raised_on: date | None = None
    review_date: date | None = None
    residual_probability: int | None = None
    residual_impact: int | None = None
    version: int = 1


class ChangeRequest(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", index=True)
    title: str
    requested_by: str = ""
    requested_on: date
    description: str = ""
    cost_impact: Decimal = money()
    schedule_impact_days: int = 0
    status: str = "proposed"
    decided_by: str = ""
    decided_on: date | None = None
    version: int = 1


class Stakeholder(Versioned, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    organisation: str = ""
    title: str = ""
    kind: str = "end user"
    email: str = ""
    phone: str = ""
    channel: str = "e-mail"
    cadence: str = "weekly"
    influence: int = 3
    interest: int = 3
    notes: str = ""
    version: int = 1
    #: Opted in to the weekly digest (one message covering all their live projects).
    digest: bool = False


class ProjectStakeholder(SQLModel, table=True):
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", ondelete="CASCADE", primary_key=True)
    role: str = ""


class CommunicationEntry(Versioned, SQLModel, table=True):
    # a stakeholder's entries, and their latest day read from the index alone
    __table_args__ = (
        Index("ix_communicationentry_stakeholder_logged", "stakeholder_id", "logged_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    stakeholder_id: int = Field(foreign_key="stakeholder.id", ondelete="CASCADE")
    project_id: int | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL")
    logged_on: date
    channel: str = "e-mail"
    by: str = ""
    summary: str = ""
    version: int = 1
    #: "" logged by hand or marked as sent; "update" / "digest" e-mailed by itpm
    #: (`domain.mail.ContactKind`): what `itpm updates send` reads to send once a day / week.
    kind: str = ""
    #: The text that was sent (the report as plain text), kept with the contact.
    body: str = ""


class ProgressSnapshot(SQLModel, table=True):
    """One day's remaining work of a project, the series the burn-down is drawn from."""

    __table_args__ = (UniqueConstraint("project_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    day: date
    remaining_hours: Decimal = hours()
    remaining_tasks: int = 0
    percent_complete: int = 0


class Activity(SQLModel, table=True):
    """Who changed what, when: written by the service layer in the same transaction."""

    __table_args__ = (Index("ix_activity_project_at", "project_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user: str
    project_id: int | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL")
    entity: str
    entity_id: int | None = None
    action: str
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    summary: str = ""
    #: The `ChangeCounter` value of the write that logged it: what a dashboard's poll asks
    #: for (`changes_since`). This database's own bookkeeping, so never exported.
    change: int | None = Field(
        default=None, sa_type=BigInteger, index=True, sa_column_kwargs={"info": LOCAL}
    )


class ChangeCounter(SQLModel, table=True):
    """One row counting the committed writes: every write transaction adds one first.

    Its value is the change token the dashboards poll. Taken in commit order (the row is
    locked until the writer commits), unlike an id a sequence hands out at insert time; and
    on a server that row lock makes writers take turns, as `BEGIN IMMEDIATE` does on SQLite.
    Not part of the portfolio (not in `ALL_TABLES`)."""

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_type=BigInteger)


class DatabaseIdentity(SQLModel, table=True):
    """One row naming this database among all others: a random UUID made when the database
    was created (migration 0013), never changed. Exported calendar and address-book entries
    combine it with their record's id, so two databases never hand out the same UID and one
    database hands out the same UID for a record on every export. Not part of the portfolio
    (not in `ALL_TABLES`): a copy imported elsewhere is another database with its own."""

    id: int = Field(default=1, primary_key=True)
    uid: str


class PublishedLink(SQLModel, table=True):
    """A secret link `itpm serve` answers: a person's or a project's calendar feed, or a
    project's page for the helpdesk or the client (`domain.links.LinkKind`). Only the
    SHA-256 of its token is kept, so reading the database does not give the links away; the
    URL is shown once, when made. A revoked link stays listed, answering nothing. This
    server's own publishing, not the portfolio's data (not in `ALL_TABLES`): a copy of the
    portfolio elsewhere publishes its own links."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE")
    project_id: int | None = Field(default=None, foreign_key="project.id", ondelete="CASCADE")
    token_hash: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = ""
    revoked_at: datetime | None = None


class ScheduleState(SQLModel, table=True):
    """Whether a project's stored schedule (`TaskSchedule`) is that of its inputs as they are.

    Derived data, not part of the portfolio (not in `ALL_TABLES`: never exported or imported).
    SQLite triggers (migration 0006) add one to `inputs_revision` whenever an input of the
    project's schedule changes — its task rows, links, holidays (its own and the common ones)
    or its start date — whoever writes them; storing a schedule sets `scheduled_revision` to
    the inputs revision it was computed from. Equal: fresh; otherwise (or no row): stale.
    """

    project_id: int = Field(primary_key=True, foreign_key="project.id", ondelete="CASCADE")
    inputs_revision: int = 1
    scheduled_revision: int = 0
    critical_path: str = ""  # task ids, space-separated, in path order
    schedule_error: str = ""
    # over the leaves, what a Projects row's outlook needs whatever the day (see
    # `queries.portfolio_rows`): the latest finish of those done and of those not, the
    # latest baseline finish
    done_finish: date | None = None
    open_finish: date | None = None
    baseline_finish: date | None = None


class TaskSchedule(SQLModel, table=True):
    """A task's scheduled dates and rolled-up figures as last stored (see `ScheduleState`)."""

    __table_args__ = (
        Index("ix_taskschedule_project_position", "project_id", "position"),
        # the leaves not done, by finish: a day's late tasks without reading the others
        partial_index(
            "ix_taskschedule_open_finish",
            "finish",
            "project_id",
            "open_kind",
            where="open_kind > 0",
        ),
    )

    task_id: int = Field(primary_key=True, foreign_key="task.id", ondelete="CASCADE")
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    position: int  # outline order within the project
    wbs: str
    start: date | None = None
    finish: date | None = None
    baseline_start: date | None = None  # a summary's spans its children
    baseline_finish: date | None = None
    percent: int = 0
    is_summary: bool = False
    critical: bool = False
    open_kind: int = 0  # a leaf not done: 1 a task, 2 a milestone; else 0
    # in a plan scheduled in working minutes, the clock time its work starts when not the
    # day's first hour, and ends when not the day's last hour (`queries.schedule`)
    start_time: time | None = None
    finish_time: time | None = None


class ProjectTotals(SQLModel, table=True):
    """A project's sums as its rows give them (see `storage.project_totals`): budget, actual
    and committed spend in ten-thousandths, and its leaf tasks' count, percents, estimate
    hours (hundredths) and hours × percent. Derived data like `ScheduleState`; SQLite
    triggers (migration 0008) keep it exact on every write to those rows."""

    project_id: int = Field(primary_key=True, foreign_key="project.id", ondelete="CASCADE")
    budget: int = Field(default=0, sa_type=BigInteger)
    actual: int = Field(default=0, sa_type=BigInteger)
    committed: int = Field(default=0, sa_type=BigInteger)
    leaf_count: int = Field(default=0, sa_type=BigInteger)
    leaf_percent: int = Field(default=0, sa_type=BigInteger)
    leaf_hours: int = Field(default=0, sa_type=BigInteger)
    leaf_earned: int = Field(default=0, sa_type=BigInteger)


ALL_TABLES = [
    Person,
    Project,
    Task,
    Dependency,
    DowntimeWindow,
    Holiday,
    Deliverable,
    BudgetLine,
    LedgerEntry,
    Risk,
    ChangeRequest,
    Stakeholder,
    ProjectStakeholder,
    CommunicationEntry,
    ProgressSnapshot,
    Activity,
]
#: Computed from the tables above and stored only to be read fast: never exported.
DERIVED_TABLES = [ScheduleState, TaskSchedule, ProjectTotals]
__all__ = [cls.__name__ for cls in ALL_TABLES + DERIVED_TABLES] + [
    "ALL_TABLES",
    "DERIVED_TABLES",
    "NAMING_CONVENTION",
    "utcnow",
]
