"""The Projects rows as plain SQL over any DB-API cursor: one grouped query per figure.

One implementation serves both ways in: `queries.portfolio.portfolio` (SQLAlchemy's own
driver connection, inside a read session) and `read_first_portfolio` (the standard
library's `sqlite3`, so the dashboard's first rows do not wait for SQLAlchemy and the models
to load). Rows come back as tuples, never ORM entities; every figure is aggregated in SQL —
budget, spend and percent complete from the stored per-project totals that SQLite's triggers
keep exact (`storage.project_totals`; summed from the rows on other databases), the schedule
outlook (forecast finish, late work, next milestone) from the stored schedules — so 1,000
projects with 100,000 tasks and 500,000 ledger entries cost a handful of scans and no object
per task.

A project whose stored schedule is stale (or a database that keeps none: not SQLite) is
handed to the caller's `schedule` function; the stdlib reader has none and answers None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import (
    ChangeStatus,
    Health,
    ProjectStatus,
    RiskStatus,
    TaskStatus,
)
from itpm_tui.domain.health import HealthSignals, assess
from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.domain.schedule import Finishes, schedule_variance_days
from itpm_tui.domain.stakeholders import due_state, next_due
from itpm_tui.storage import project_totals

Run = project_totals.Run

DONE = TaskStatus.DONE.value
CLOSED = ProjectStatus.CLOSED.value
LIVE_STATUS = (ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value)
OPEN_RISK = (RiskStatus.OPEN.value, RiskStatus.WATCHING.value, RiskStatus.OCCURRED.value)
#: Money is stored as integers of ten-thousandths (`storage.types.FixedPoint`).
MONEY_SCALE = 4


@dataclass(frozen=True)
class PortfolioRow:
    id: int
    code: str
    name: str
    client: str
    phase: str
    status: str
    manager: str
    currency: str
    archived: bool
    version: int
    health: Health | None
    health_reason: str
    percent_complete: int
    slip_days: int | None  # working days late against the baseline; negative = ahead
    budget: Decimal
    actual: Decimal
    committed: Decimal
    open_high_risks: int
    open_critical_risks: int
    pending_changes: int
    next_milestone: str
    next_milestone_date: date | None
    #: Stakeholders of this project whose update is due today or overdue (not a health rule).
    updates_due: int = 0
    late_tasks: int = 0  # leaf tasks past their scheduled finish, not done (milestones apart)
    late_milestones: int = 0  # milestones past their scheduled date, not reached
    next_milestone_overdue: bool = False  # its date has passed and it is not reached

    @property
    def variance(self) -> Decimal:
        """Budget left after actual and committed spend; negative means over budget."""
        return self.budget - self.actual - self.committed


@dataclass(frozen=True, slots=True)
class Outlook:
    """What a Projects row takes from a project's schedule (`ProjectSchedule.outlook`'s rules)."""

    forecast_finish: date | None
    baseline_finish: date | None
    late_tasks: int
    late_milestones: int
    next_milestone: str
    next_milestone_date: date | None
    holidays: tuple[date, ...]


#: Schedules the stale projects (ids) and gives their outlook for `today`.
Schedule = Callable[[list[int], date], dict[int, Outlook]]


def read_portfolio(
    run: Run,
    today: date,
    *,
    include_archived: bool = False,
    thresholds: RiskThresholds = RiskThresholds(),
    project_id: int | None = None,
    trusted: bool = True,
    schedule: Schedule | None = None,
) -> list[PortfolioRow] | None:
    """One row per project (or only `project_id`'s), in code order. The stored schedules
    are read when `trusted` (SQLite keeps them fresh); a stale or untrusted one goes to
    `schedule`; without one the answer is None (the caller takes the full path)."""
    one = "" if project_id is None else " AND p.id = :pid"
    projects = run(
        "SELECT p.id, p.code, p.name, p.client, p.phase, p.status, p.currency, p.archived,"
        " p.version, p.baseline_end, m.name"
        " FROM project p LEFT JOIN person m ON m.id = p.manager_id"
        f" WHERE (:all OR NOT p.archived){one} ORDER BY p.code",
        {"all": include_archived, "pid": project_id},
    )
    ids = [int(p[0]) for p in projects]
    fresh = _fresh(run, project_id) if trusted else set()
    stale = [pid for pid in ids if pid not in fresh]
    outlooks: dict[int, Outlook] = {}
    if stale:
        if schedule is None:
            return None
        outlooks.update(schedule(stale, today))
    if len(stale) < len(ids):
        outlooks.update(_stored_outlooks(run, today, project_id, [i for i in ids if i in fresh]))
    scope = {"pid": project_id}
    per = "" if project_id is None else " AND project_id = :pid"
    totals = project_totals.stored(run, project_id) if trusted else {}
    if any(pid not in totals for pid in ids):  # not SQLite (no triggers), or a row missing
        totals = project_totals.computed(run, project_id)
    risks = _grouped(
        run,
        "SELECT project_id,"
        " sum(CASE WHEN probability * impact >= :high THEN 1 ELSE 0 END),"
        " sum(CASE WHEN probability * impact >= :critical THEN 1 ELSE 0 END)"
        f" FROM risk WHERE status IN (:s0, :s1, :s2){per} GROUP BY project_id",
        {
            **scope,
            "high": thresholds.high,
            "critical": thresholds.critical,
            **{f"s{i}": s for i, s in enumerate(OPEN_RISK)},
        },
    )
    changes = _grouped(
        run,
        "SELECT project_id, count(*) FROM changerequest"
        f" WHERE status = :proposed{per} GROUP BY project_id",
        {**scope, "proposed": ChangeStatus.PROPOSED.value},
    )
    updates = updates_due_counts(run, today, project_id)

    calendars: dict[tuple[date, ...], WorkCalendar] = {}
    rows = []
    for pid, code, name, client, phase, status, currency, archived, version, *rest in projects:
        baseline_end, manager = _day(rest[0]), rest[1]
        outlook = outlooks[pid]
        calendar = calendars.get(outlook.holidays)
        if calendar is None:
            calendar = calendars[outlook.holidays] = WorkCalendar(outlook.holidays)
        baseline_finish = baseline_end or outlook.baseline_finish
        slip = schedule_variance_days(baseline_finish, outlook.forecast_finish, calendar)
        sums = totals[pid]
        budget_total, actual, committed = (
            _money(sums.budget),
            _money(sums.actual),
            _money(sums.committed),
        )
        # a closed project's risks are its history, not exposure: none counts as open
        live_risks = risks.get(pid) if status != CLOSED else None
        high = int(live_risks[1]) if live_risks else 0
        critical = int(live_risks[2]) if live_risks else 0
        pending = int(changes[pid][1]) if pid in changes else 0
        result = assess(
            HealthSignals(
                status=status,
                slip_days=slip,
                budget=budget_total,
                forecast_spend=actual + committed,
                open_high_risks=high,
                open_critical_risks=critical,
                pending_changes=pending,
                late_tasks=outlook.late_tasks,
                late_milestones=outlook.late_milestones,
            )
        )
        milestone_date = outlook.next_milestone_date
        rows.append(
            PortfolioRow(
                id=int(pid),
                code=code,
                name=name,
                client=client,
                phase=phase,
                status=status,
                manager=manager or "",
                currency=currency,
                archived=bool(archived),
                version=int(version),
                health=result.health,
                health_reason=result.reason,
                percent_complete=_percent(sums),
                slip_days=slip,
                budget=budget_total,
                actual=actual,
                committed=committed,
                open_high_risks=high,
                open_critical_risks=critical,
                pending_changes=pending,
                next_milestone=outlook.next_milestone,
                next_milestone_date=milestone_date,
                updates_due=updates.get(pid, 0),
                late_tasks=outlook.late_tasks,
                late_milestones=outlook.late_milestones,
                next_milestone_overdue=milestone_date is not None and milestone_date < today,
            )
        )
    return rows


def _fresh(run: Run, project_id: int | None) -> set[int]:
    one = "" if project_id is None else " AND project_id = :pid"
    return {
        int(pid)
        for (pid,) in run(
            f"SELECT project_id FROM schedulestate WHERE inputs_revision = scheduled_revision{one}",
            {"pid": project_id},
        )
    }


def _stored_outlooks(
    run: Run, today: date, project_id: int | None, fresh: Collection[int]
) -> dict[int, Outlook]:
    """The outlook of the `fresh` projects from their stored schedules: the leaves' latest
    finishes kept per project, the day's late leaves counted from the index of those not
    done, the soonest milestone (the rules of `queries.schedule.ProjectSchedule.outlook`)."""
    one = "" if project_id is None else " AND project_id = :pid"
    params = {"pid": project_id, "today": today.isoformat()}
    finishes = {
        int(pid): Finishes(_day(done), _day(open_), _day(baseline))
        for pid, done, open_, baseline in run(
            "SELECT project_id, done_finish, open_finish, baseline_finish FROM schedulestate"
            f" WHERE true{one}",
            params,
        )
    }
    late: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # tasks, milestones
    for pid, kind, count in run(
        "SELECT project_id, open_kind, count(*) FROM taskschedule"
        f" WHERE open_kind > 0 AND finish < :today{one} GROUP BY project_id, open_kind",
        params,
    ):
        late[int(pid)][int(kind) - 1] = int(count)
    one = "" if project_id is None else " AND s.project_id = :pid"
    # the soonest milestone not reached; the outline order breaks a tie
    upcoming = {
        int(pid): (name, _day(finish))
        for pid, name, finish in run(
            "SELECT project_id, name, finish FROM ("
            " SELECT s.project_id, t.name, s.finish, row_number() OVER"
            "  (PARTITION BY s.project_id ORDER BY s.finish, s.position) AS n"
            " FROM taskschedule s JOIN task t ON t.id = s.task_id"
            f" WHERE NOT s.is_summary AND {open_milestone('t.')}"
            f"  AND s.finish IS NOT NULL{one}"
            ") WHERE n = 1",
            params,
        )
    }
    holidays = project_holidays(run, project_id)
    common = holidays.get(None, ())
    out: dict[int, Outlook] = {}
    for pid in fresh:
        days = _merged(common, holidays.get(pid, ()))
        known = finishes.get(pid, Finishes(None, None, None))
        late_tasks, late_milestones = late.get(pid, (0, 0))
        name, finish = upcoming.get(pid, ("", None))
        out[pid] = Outlook(
            known.forecast(today, late_tasks + late_milestones),
            known.baseline,
            late_tasks,
            late_milestones,
            name,
            finish,
            days,
        )
    return out


def project_holidays(run: Run, project_id: int | None) -> dict[int | None, tuple[date, ...]]:
    """Holidays by project id (None: those of every project), of `project_id` and the
    common ones, or all."""
    one = "" if project_id is None else " WHERE project_id IS NULL OR project_id = :pid"
    found: dict[int | None, list[date]] = defaultdict(list)
    for pid, day in run(f"SELECT project_id, day FROM holiday{one}", {"pid": project_id}):
        parsed = _day(day)
        if parsed is not None:
            found[pid].append(parsed)
    return {pid: tuple(days) for pid, days in found.items()}


def _merged(common: tuple[date, ...], own: tuple[date, ...]) -> tuple[date, ...]:
    return tuple(sorted(set(common) | set(own)))


def updates_due_counts(run: Run, today: date, project_id: int | None = None) -> dict[int, int]:
    """Per live project: how many of its stakeholders are due or overdue an update — the
    rules of `queries.stakeholders.due_counts`, from three grouped queries and no object per
    contact."""
    one = (
        ""
        if project_id is None  # that project's stakeholders, with all their live projects
        else " AND ps.stakeholder_id IN"
        " (SELECT stakeholder_id FROM projectstakeholder WHERE project_id = :pid)"
    )
    live: dict[int, list[int]] = defaultdict(list)  # stakeholder → live projects
    cadence: dict[int, str] = {}
    for sid, pid, every in run(
        "SELECT ps.stakeholder_id, p.id, s.cadence FROM projectstakeholder ps"
        " JOIN project p ON p.id = ps.project_id JOIN stakeholder s ON s.id = ps.stakeholder_id"
        f" WHERE p.status IN (:a, :b) AND NOT p.archived{one}",
        {"a": LIVE_STATUS[0], "b": LIVE_STATUS[1], "pid": project_id},
    ):
        live[int(sid)].append(int(pid))
        cadence[int(sid)] = every
    if not live:
        return {}
    last = {
        int(sid): _day(day)
        for sid, day in run(
            "SELECT stakeholder_id, max(logged_on) FROM communicationentry GROUP BY stakeholder_id",
            {},
        )
    }
    milestones: dict[int, list[date]] = defaultdict(list)
    for pid, day in run(
        f"SELECT DISTINCT project_id, planned_finish FROM task WHERE {open_milestone()}"
        " AND planned_finish IS NOT NULL",
        {},
    ):
        parsed = _day(day)
        if parsed is not None:
            milestones[int(pid)].append(parsed)
    counts: dict[int, int] = defaultdict(int)
    for sid, projects in live.items():
        due_on = next_due(
            cadence[sid],
            last.get(sid),
            today=today,
            milestones=(d for pid in projects for d in milestones.get(pid, ())),
        )
        if due_state(due_on, today).needs_update:
            for pid in projects:
                counts[pid] += 1
    return dict(counts)


def read_first_portfolio(
    path: Path, today: date, thresholds: RiskThresholds
) -> tuple[int, list[PortfolioRow]] | None:
    """The Projects rows straight from a current SQLite file with the standard library, with
    the change token of the same snapshot (the change counter): the dashboard's first
    rows, shown before SQLAlchemy has loaded. None whenever the full path must answer:
    another revision, a stale schedule, a file SQLite refuses."""
    import sqlite3

    from itpm_tui.errors import ItpmError
    from itpm_tui.storage.location import head_revision, inspect_sqlite_file

    try:
        if inspect_sqlite_file(path) != head_revision():
            return None
    except ItpmError:
        return None
    try:
        connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot for every read below; never committed

        def run(sql: str, params: dict[str, Any]) -> list[Any]:
            return connection.execute(sql, params).fetchall()

        found = connection.execute("SELECT value FROM changecounter WHERE id = 1").fetchone()
        token = found[0] if found else 0
        rows = read_portfolio(run, today, thresholds=thresholds)
        return None if rows is None else (int(token), rows)
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def open_milestone(table: str = "") -> str:
    """The SQL condition of a milestone not reached, on `table` ("t." or none). The partial
    index `ix_task_open_milestone` holds just those tasks, so they are read without scanning
    every task — SQLite uses it only when the query states its condition, literally."""
    return f"{table}is_milestone AND {table}status != '{DONE}'"


def _grouped(run: Run, sql: str, params: dict[str, Any]) -> dict[int, Sequence[Any]]:
    return {int(row[0]): row for row in run(sql, params)}


def _percent(sums: project_totals.Totals) -> int:
    """Leaf percent complete weighted by estimate; the plain average when nothing is
    estimated; 0 without tasks."""
    if sums.leaf_hours:  # floor: 99.6% is not done
        return int(Decimal(sums.leaf_earned) / Decimal(sums.leaf_hours))
    if not sums.leaf_count:
        return 0
    return int((Decimal(sums.leaf_percent) / Decimal(sums.leaf_count)).to_integral_value())


def _money(raw: Any) -> Decimal:
    return Decimal(0) if raw is None else Decimal(int(raw)).scaleb(-MONEY_SCALE)


def _day(value: Any) -> date | None:
    """A date as the driver gives it (SQLite: ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
