"""Writes the demo portfolio, so a first run (and every screenshot) has something to show.

The content is declared in :mod:`itpm_tui.demo.data` as plain tables (in the shapes of
:mod:`itpm_tui.demo.shapes`) — people, a work breakdown with durations and links, budget lines,
ledger entries, risks, change requests, deliverables, stakeholders. This module turns them into
rows, and everything dated is computed from ``ctx.today()``:

- Task dates come from the scheduling engine (working days, holidays, link kinds and lags),
  so the plan obeys its own dependencies and the Timeline recomputes the same dates. Cut-overs
  are moved to the eve of a weekend so their downtime windows are weekend nights.
- Anchored on this week's Monday, so which weekday "today" is never changes the story: a
  task's status, percent and remaining hours follow from where its dates fall against today,
  and the same rule replayed for each past weekday gives the burn-down history.
- Labour actuals are the hours those tasks burned each finished week at their assignees' cost
  rates, so the budget, the progress and earned value tell one story.

The rows are written directly, with explicit ids, in the one transaction ``build_demo`` opens:
the services each open their own transaction and log an activity row per change, while the
demo must land (or fail) as a whole and leave one "loaded the demo portfolio" entry — after
the week of activity its own dates tell (`history.past_week`), for the "What changed" feed.

Under the health rules the portfolio shows green, amber and red projects, each for one clear
reason: VOIP-25 is late (number porting blocked by the losing carrier), MOVE-26 has a critical
risk (the electrical contractor), M365-26 is over budget (licence price rise and a change
order), NET-26 has a change request waiting for a decision; FW-26 and LAP-26 are on track and
SRV-25 is closed and signed off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import col

from itpm_tui.demo import shapes
from itpm_tui.demo.data import PROJECTS
from itpm_tui.demo.data.calendar import COMPANY_HOLIDAYS
from itpm_tui.demo.data.people import EMAIL_DOMAIN, PEOPLE
from itpm_tui.demo.data.stakeholders import COMMUNICATIONS, STAKEHOLDERS
from itpm_tui.demo.history import past_week
from itpm_tui.demo.shapes import ACTUAL, LAB
from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import ProjectStatus, TaskStatus
from itpm_tui.domain.progress import LeafWork, project_progress
from itpm_tui.domain.schedule import Link, ScheduleResult, ScheduleTask, schedule
from itpm_tui.errors import ItpmError
from itpm_tui.services.context import Context
from itpm_tui.storage.models import (
    ALL_TABLES,
    Activity,
    BudgetLine,
    ChangeRequest,
    CommunicationEntry,
    Deliverable,
    Dependency,
    DowntimeWindow,
    Holiday,
    LedgerEntry,
    Person,
    ProgressSnapshot,
    Project,
    ProjectStakeholder,
    Risk,
    Stakeholder,
    Task,
)

SNAPSHOT_DAYS = 42  # burn-down history: the last six weeks
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoSummary:
    """What was written, for the CLI's one-line report and for tests."""

    projects: int
    people: int
    tasks: int
    ledger_entries: int
    risks: int
    stakeholders: int

    def __str__(self) -> str:
        return (
            f"{self.projects} projects, {self.people} people, {self.tasks} tasks, "
            f"{self.ledger_entries} ledger entries, {self.risks} risks, "
            f"{self.stakeholders} stakeholders"
        )


# --- building -------------------------------------------------------------------------------


def build_demo(ctx: Context, *, force: bool = False) -> DemoSummary:
    """Write the demo portfolio in one transaction, dated around ``ctx.today()``.

    Refuses a database that already holds data unless ``force``; with ``force`` the old rows
    are deleted in the same transaction, so a failure leaves them as they were.
    """
    today = ctx.today()
    with ctx.transaction() as tx:
        session = tx.session
        held = _held(session)
        if held and not force:
            raise ItpmError(
                f"the database already holds {held}; use --force to replace "
                f"{'them' if not held.startswith('1 ') else 'it'} with the demo"
            )
        previous_activity = session.scalar(select(func.max(Activity.id))) or 0
        if force:
            for model in reversed(ALL_TABLES):
                if model is not Activity:
                    session.execute(delete(model))
        builder = _Builder(today)
        builder.build()
        for rows in builder.rows():
            session.add_all(rows)
            session.flush()
        summary = builder.summary()
        session.add_all(past_week(session, today))  # so "What changed" reads a real week
        tx.log("portfolio", None, "demo", summary=f"loaded the demo portfolio: {summary}")
        session.flush()
        if force and previous_activity:
            # The old history describes rows that are gone; dropping it after the new entry
            # is written keeps the change token growing, so open dashboards notice the swap.
            session.execute(delete(Activity).where(col(Activity.id) <= previous_activity))
    return summary


def _held(session: Any) -> str:
    """What the database holds already, as words ("3 projects"), or "" when it is empty.

    The activity log does not count: it is history, not a portfolio.
    """

    def rows(model: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    for model, singular, plural in ((Project, "project", "projects"), (Person, "person", "people")):
        if n := rows(model):
            return f"{n} {singular if n == 1 else plural}"
    others = sum(rows(m) for m in ALL_TABLES if m not in (Project, Person, Activity))
    return f"{others} row{'' if others == 1 else 's'} of other data" if others else ""


def _amount(text: str) -> Decimal:
    return Decimal(text).quantize(CENT)


_LINK_RE = re.compile(r"^\s*([\w-]+)(?:\s+(FS|SS|FF|SF)([+-]\d+)?)?\s*$")


def _links(spec: str) -> Iterator[tuple[str, str, int]]:
    """``"a, b SS+2"`` → ``("a", "FS", 0), ("b", "SS", 2)``."""
    for part in filter(str.strip, spec.split(",")):
        match = _LINK_RE.match(part)
        if not match:
            raise ValueError(f"bad predecessor '{part}'")
        key, kind, lag = match.groups()
        yield key, kind or "FS", int(lag or 0)


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _company_holidays(today: date) -> list[tuple[date, str]]:
    """Public holidays common to the clients' countries, from half a year back to a year on."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        easter = _easter(year)
        found += [
            (
                easter + timedelta(days=h.easter)
                if h.easter is not None
                else date(year, h.month, h.day),
                h.name,
            )
            for h in COMPANY_HOLIDAYS
        ]
    low, high = today - timedelta(days=183), today + timedelta(days=365)
    return [(d, name) for d, name in found if low <= d <= high and d.weekday() < 5]


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` given weekday of a month (``nth`` -1 for the last)."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@dataclass
class _Leaf:
    key: str
    spec: shapes.Task
    start: date
    finish: date
    base_start: date | None
    base_finish: date | None


class _Builder:
    """Turns the declared tables into rows, with explicit ids (the tables start empty)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.monday = today - timedelta(days=today.weekday())
        self.holidays = _company_holidays(today)
        self.people: list[Person] = []
        self.projects: list[Project] = []
        self.tasks: list[Task] = []
        self.links: list[Dependency] = []
        self.windows: list[DowntimeWindow] = []
        self.holiday_rows: list[Holiday] = []
        self.deliverables: list[Deliverable] = []
        self.budget: list[BudgetLine] = []
        self.ledger: list[LedgerEntry] = []
        self.risks: list[Risk] = []
        self.changes: list[ChangeRequest] = []
        self.stakeholders: list[Stakeholder] = []
        self.project_stakeholders: list[ProjectStakeholder] = []
        self.communications: list[CommunicationEntry] = []
        self.snapshots: list[ProgressSnapshot] = []
        self.person_id: dict[str, int] = {}
        self.rate: dict[str, tuple[Decimal, str]] = {}
        self.stakeholder_id: dict[str, int] = {}
        self.project_id: dict[str, int] = {}

    # --- dates ---

    def ago(self, days: int, calendar: WorkCalendar) -> date:
        """``days`` calendar days before today, moved back to a working day."""
        return calendar.on_or_before(self.today - timedelta(days=days))

    def ahead(self, days: int, calendar: WorkCalendar) -> date:
        return calendar.on_or_after(self.today + timedelta(days=days))

    def progress(self, leaf: _Leaf, blocked: bool, day: date, cal: WorkCalendar) -> int:
        """Percent complete of a leaf as of the start of ``day``: by where its dates fall."""
        if leaf.finish < day:
            return 100
        if leaf.start >= day or leaf.spec.days == 0:
            return 0
        elapsed = cal.working_days_between(leaf.start, day)
        percent = min(95, 5 * round(20 * elapsed / leaf.spec.days))
        return min(percent, 30) if blocked else percent

    # --- rows ---

    def build(self) -> None:
        for n, member in enumerate(PEOPLE, 1):
            first, _, last = member.name.lower().replace("'", "").partition(" ")
            self.people.append(
                Person(
                    id=n,
                    name=member.name,
                    handle=member.handle,
                    role=member.role,
                    email=f"{first}.{last.replace(' ', '')}@{EMAIL_DOMAIN[member.currency]}",
                    phone=member.phone,
                    skills=member.skills,
                    weekly_capacity_hours=Decimal(member.weekly_hours),
                    cost_rate=_amount(member.cost_rate),
                    cost_currency=member.currency,
                )
            )
            self.person_id[member.handle] = n
            self.rate[member.handle] = (_amount(member.cost_rate), member.currency)
        for n, contact in enumerate(STAKEHOLDERS, 1):
            self.stakeholders.append(
                Stakeholder(
                    id=n,
                    name=contact.name,
                    organisation=contact.organisation,
                    title=contact.title,
                    kind=contact.kind,
                    email=contact.email,
                    phone=contact.phone,
                    channel=contact.channel,
                    cadence=contact.cadence,
                    influence=contact.influence,
                    interest=contact.interest,
                    notes=contact.notes,
                )
            )
            self.stakeholder_id[contact.key] = n
        self.holiday_rows = [
            Holiday(id=n, project_id=None, day=d, name=name)
            for n, (d, name) in enumerate(self.holidays, 1)
        ]
        for n, spec in enumerate(PROJECTS, 1):
            self.project_id[spec.code] = n
            self.add_project(n, spec)
        names = {member.handle: member.name for member in PEOPLE}
        office = WorkCalendar(d for d, _ in self.holidays)
        for n, entry in enumerate(COMMUNICATIONS, 1):
            self.communications.append(
                CommunicationEntry(
                    id=n,
                    stakeholder_id=self.stakeholder_id[entry.stakeholder],
                    project_id=self.project_id[entry.project],
                    logged_on=self.ago(entry.days_ago, office),
                    channel=entry.channel,
                    by=names[entry.by],
                    summary=entry.summary,
                )
            )

    def calendar_for(self, spec: shapes.Project) -> tuple[WorkCalendar, list[tuple[date, str]]]:
        own = []
        for holiday in spec.holidays:
            for year in (self.today.year, self.today.year + 1):
                day = _nth_weekday(year, holiday.month, 0, holiday.monday)
                if abs((day - self.today).days) <= 365:
                    own.append((day, holiday.name))
        return WorkCalendar([d for d, _ in self.holidays] + [d for d, _ in own]), own

    def plan_dates(
        self,
        leaves: list[tuple[str, shapes.Task]],
        start: date,
        cal: WorkCalendar,
        delays: dict[str, int],
    ) -> ScheduleResult:
        """Schedule the leaves, moving each cut-over to the eve of a weekend (usually Friday)."""
        index = {key: n for n, (key, _) in enumerate(leaves)}
        links = [
            Link(index[pred], index[key], kind, lag)
            for key, spec in leaves
            for pred, kind, lag in _links(spec.after)
        ]
        fixed: dict[int, date] = {}
        result = None
        for _ in range(12):
            tasks = [
                ScheduleTask(n, spec.days + delays.get(key, 0), fixed.get(n), spec.name)
                for n, (key, spec) in enumerate(leaves)
            ]
            result = schedule(tasks, links, start, cal)
            moved = False
            for n, (_, spec) in enumerate(leaves):
                begin = result[n].early_start
                # The last working day of its week: Friday, or Thursday before a holiday.
                last = cal.on_or_before(begin + timedelta(days=4 - begin.weekday()))
                if spec.downtime and begin != last:
                    fixed[n] = last
                    moved = True
            if not moved:
                break
        assert result is not None
        return result

    def add_project(self, pid: int, spec: shapes.Project) -> None:
        cal, own_holidays = self.calendar_for(spec)
        start = (
            cal.on_or_after(self.monday)
            if spec.start == 0
            else cal.add_working_days(self.monday, spec.start)
        )
        leaves: list[tuple[str, shapes.Task]] = []
        # item, parent row, wbs, row
        outline: list[tuple[shapes.Task | shapes.Summary, int | None, str, int]] = []

        def walk(
            items: tuple[shapes.Task | shapes.Summary, ...], parent: int | None, prefix: str
        ) -> None:
            for number, item in enumerate(items, 1):
                wbs = f"{prefix}.{number}" if prefix else str(number)
                outline.append((item, parent, wbs, len(outline)))
                if isinstance(item, shapes.Summary):
                    walk(item.children, len(outline) - 1, wbs)
                else:
                    leaves.append((item.key, item))

        walk(spec.plan, None, "")
        current = self.plan_dates(leaves, start, cal, spec.delays)
        baseline = self.plan_dates(leaves, start, cal, {}) if spec.baseline else None
        leaf_of: dict[str, _Leaf] = {}
        for n, (key, task) in enumerate(leaves):
            b = baseline[n] if baseline else None
            leaf_of[key] = _Leaf(
                key,
                task,
                current[n].early_start,
                current[n].early_finish,
                b.early_start if b else None,
                b.early_finish if b else None,
            )
        blocked = set(spec.blocked)

        # Tasks, parents before children, with explicit ids.
        first_id = len(self.tasks) + 1
        row_id = {row: first_id + row for row in range(len(outline))}
        task_rows: list[Task] = []
        spans: dict[int, list[_Leaf]] = {}
        for item, parent, _, _row in outline:
            if isinstance(item, shapes.Task):
                up = parent
                while up is not None:
                    spans.setdefault(up, []).append(leaf_of[item.key])
                    up = outline[up][1]
        for item, parent, wbs, row in outline:
            common = {
                "id": row_id[row],
                "project_id": pid,
                "parent_id": row_id[parent] if parent is not None else None,
                "sort_order": row + 1,
                "wbs": wbs,
                "name": item.name,
            }
            if isinstance(item, shapes.Task):
                task_rows.append(
                    self.leaf_row(leaf_of[item.key], item.key in blocked, spec, cal, common)
                )
            else:
                task_rows.append(self.summary_row(spans[row], blocked, cal, common))
        self.tasks += task_rows
        key_id = {
            item.key: row_id[row] for item, _, _, row in outline if isinstance(item, shapes.Task)
        }
        for key, item in leaves:
            for pred, kind, lag in _links(item.after):
                self.links.append(
                    Dependency(
                        id=len(self.links) + 1,
                        predecessor_id=key_id[pred],
                        successor_id=key_id[key],
                        kind=kind,
                        lag_days=lag,
                    )
                )
            if item.downtime:
                leaf = leaf_of[key]
                begins = datetime.combine(leaf.start, time(item.window[0]))
                self.windows.append(
                    DowntimeWindow(
                        id=len(self.windows) + 1,
                        project_id=pid,
                        title=item.name,
                        starts_at=begins,
                        ends_at=begins + timedelta(hours=item.window[1]),
                        systems=item.downtime,
                        approved=spec.baseline and leaf.start <= self.today + timedelta(days=28),
                        task_id=key_id[key],  # the cut-over it is for: moves when it moves
                        anchor_start=leaf.start,
                    )
                )
        for day, name in own_holidays:
            self.holiday_rows.append(
                Holiday(id=len(self.holiday_rows) + 1, project_id=pid, day=day, name=name)
            )

        finish = max(leaf.finish for leaf in leaf_of.values())
        last_milestone = max(
            (leaf.finish for leaf in leaf_of.values() if leaf.spec.days == 0), default=finish
        )
        closed = spec.status == ProjectStatus.CLOSED.value
        base_starts = [x.base_start for x in leaf_of.values() if x.base_start]
        base_finishes = [x.base_finish for x in leaf_of.values() if x.base_finish]
        self.projects.append(
            Project(
                id=pid,
                code=spec.code,
                name=spec.name,
                client=spec.client,
                sponsor=spec.sponsor,
                manager_id=self.person_id[spec.manager],
                phase=spec.phase,
                status=spec.status,
                start_date=start,
                end_date=finish,
                baseline_start=min(base_starts, default=None),
                baseline_end=max(base_finishes, default=None),
                baseline_set_on=cal.add_working_days(start, -2) if baseline else None,
                objective=spec.objective,
                scope=spec.scope,
                kpis=spec.kpis,
                currency=spec.currency,
                signed_off_by=spec.signed_off_by,
                signed_off_on=cal.add_working_days(last_milestone, 3) if closed else None,
                lessons=spec.lessons,
                created_at=datetime.combine(cal.add_working_days(start, -5), time(9), tzinfo=UTC),
            )
        )
        self.add_money(pid, spec, leaf_of, blocked, cal)
        self.add_registers(pid, spec, leaf_of, cal)
        if spec.status == ProjectStatus.ACTIVE.value:
            self.add_snapshots(pid, leaf_of, blocked, cal, start)

    def leaf_row(
        self,
        leaf: _Leaf,
        blocked: bool,
        spec: shapes.Project,
        cal: WorkCalendar,
        common: dict[str, Any],
    ) -> Task:
        item = leaf.spec
        percent = self.progress(leaf, blocked, self.today, cal)
        hours = Decimal(item.hours)
        status = (
            TaskStatus.DONE
            if percent == 100
            else TaskStatus.BLOCKED
            if blocked
            else TaskStatus.IN_PROGRESS
            if percent or (leaf.start <= self.today and item.days)
            else TaskStatus.TODO
        )
        started = status != TaskStatus.TODO
        return Task(
            **common,
            description=f"Needs a downtime window: {item.downtime}." if item.downtime else "",
            is_milestone=item.days == 0,
            planned_start=leaf.start,
            planned_finish=leaf.finish,
            baseline_start=leaf.base_start,
            baseline_finish=leaf.base_finish,
            actual_start=leaf.start if started else None,
            actual_finish=leaf.finish if status == TaskStatus.DONE else None,
            estimate_hours=hours,
            remaining_hours=(hours * (100 - percent) / 100).quantize(CENT),
            percent_complete=percent,
            status=status.value,
            assignee_id=self.person_id[item.who] if item.who else None,
            needs_downtime=bool(item.downtime),
            blocked_reason=spec.blocked.get(leaf.key, ""),
        )

    def summary_row(
        self, kids: list[_Leaf], blocked: set[str], cal: WorkCalendar, common: dict[str, Any]
    ) -> Task:
        percents = [self.progress(k, k.key in blocked, self.today, cal) for k in kids]
        hours = [Decimal(k.spec.hours) for k in kids]
        total = sum(hours, Decimal(0))
        done = sum((h * p / 100 for h, p in zip(hours, percents, strict=True)), Decimal(0))
        percent = int(done * 100 / total) if total else 0
        status = (
            TaskStatus.DONE
            if all(p == 100 for p in percents)
            else TaskStatus.IN_PROGRESS
            if any(p for p in percents)
            else TaskStatus.TODO
        )
        base_starts = [k.base_start for k in kids if k.base_start]
        base_finishes = [k.base_finish for k in kids if k.base_finish]
        return Task(
            **common,
            planned_start=min(k.start for k in kids),
            planned_finish=max(k.finish for k in kids),
            baseline_start=min(base_starts, default=None),
            baseline_finish=max(base_finishes, default=None),
            actual_start=min(k.start for k in kids) if status != TaskStatus.TODO else None,
            actual_finish=max(k.finish for k in kids) if status == TaskStatus.DONE else None,
            estimate_hours=total,
            remaining_hours=(total - done).quantize(CENT),
            percent_complete=100 if status == TaskStatus.DONE else min(percent, 99),
            status=status.value,
        )

    def add_money(
        self,
        pid: int,
        spec: shapes.Project,
        leaves: dict[str, _Leaf],
        blocked: set[str],
        cal: WorkCalendar,
    ) -> None:
        """Budget lines, the declared ledger, and weekly labour actuals from the hours burned."""
        labour_hours = Decimal(0)
        labour_cost = Decimal(0)
        for leaf in leaves.values():
            if leaf.spec.who:
                rate, currency = self.rate[leaf.spec.who]
                assert currency == spec.currency, f"{leaf.spec.who} is paid in {currency}"
                labour_hours += leaf.spec.hours
                labour_cost += leaf.spec.hours * rate
        lines = [(b.category, b.description, _amount(b.amount)) for b in spec.budget]
        labour_line = (labour_cost / 500).to_integral_value(ROUND_CEILING) * 500
        lines.insert(
            -1, (LAB, f"Internal team: {labour_hours} h at cost rates", _amount(str(labour_line)))
        )
        for category, description, amount in lines:
            self.budget.append(
                BudgetLine(
                    id=len(self.budget) + 1,
                    project_id=pid,
                    category=category,
                    description=description,
                    amount=amount,
                )
            )
        entries: list[tuple[date, str, str, str, Decimal, str, str]] = []
        for spend in spec.ledger:
            day = self.ago(spend.days_ago, cal)
            entries.append(
                (
                    day,
                    spend.vendor,
                    spend.category,
                    spend.description,
                    _amount(spend.amount),
                    spend.kind,
                    spend.reference.format(y=day.year),
                )
            )
        # Labour: each finished week (Monday to Friday before this week) at cost rates.
        friday = self.monday - timedelta(days=3)
        weeks = []
        while friday >= min(leaf.start for leaf in leaves.values()) - timedelta(days=4):
            weeks.append(friday)
            friday -= timedelta(days=7)
        for friday in reversed(weeks):
            week_end, week_start = friday + timedelta(days=1), friday - timedelta(days=6)
            hours = Decimal(0)
            cost = Decimal(0)
            for leaf in leaves.values():
                if not leaf.spec.who or not leaf.spec.hours:
                    continue
                blocked_leaf = leaf.key in blocked
                burned = self.progress(leaf, blocked_leaf, week_end, cal) - self.progress(
                    leaf, blocked_leaf, week_start, cal
                )
                worked = Decimal(leaf.spec.hours * burned) / 100
                hours += worked
                cost += worked * self.rate[leaf.spec.who][0]
            if hours:
                iso = friday.isocalendar()
                entries.append(
                    (
                        cal.on_or_before(friday),
                        "Internal team",
                        LAB,
                        f"Timesheets week {iso.week}: {hours.quantize(Decimal('0.1'))} h",
                        cost.quantize(CENT),
                        ACTUAL,
                        f"TS-{iso.year}-W{iso.week:02d}",
                    )
                )
        entries.sort(key=lambda e: e[0])
        for day, vendor, category, description, amount, kind, ref in entries:
            self.ledger.append(
                LedgerEntry(
                    id=len(self.ledger) + 1,
                    project_id=pid,
                    entry_date=day,
                    vendor=vendor,
                    category=category,
                    description=description,
                    amount=amount,
                    kind=kind,
                    invoice_ref=ref,
                )
            )

    def add_registers(
        self, pid: int, spec: shapes.Project, leaves: dict[str, _Leaf], cal: WorkCalendar
    ) -> None:
        """Risks, change requests, deliverables and the project's stakeholders."""
        for r in spec.risks:
            rp, ri = r.residual if r.residual else (None, None)
            self.risks.append(
                Risk(
                    id=len(self.risks) + 1,
                    project_id=pid,
                    title=r.title,
                    description=r.description,
                    category=r.category,
                    probability=r.p,
                    impact=r.i,
                    owner_id=self.person_id[r.owner],
                    response=r.response,
                    mitigation=r.mitigation,
                    contingency=r.contingency,
                    trigger=r.trigger,
                    status=r.status,
                    raised_on=self.ago(r.raised, cal),
                    review_date=(
                        self.ahead(r.review, cal) if r.review >= 0 else self.ago(-r.review, cal)
                    ),
                    residual_probability=rp,
                    residual_impact=ri,
                )
            )
        for c in spec.changes:
            self.changes.append(
                ChangeRequest(
                    id=len(self.changes) + 1,
                    project_id=pid,
                    title=c.title,
                    requested_by=c.by,
                    requested_on=self.ago(c.requested, cal),
                    description=c.description,
                    cost_impact=_amount(c.cost),
                    schedule_impact_days=c.days,
                    status=c.status,
                    decided_by=c.decided_by,
                    decided_on=self.ago(c.decided, cal) if c.decided is not None else None,
                )
            )
        for d in spec.deliverables:
            due = leaves[d.due].finish
            accepted = bool(d.accepted_by) and due < self.today
            self.deliverables.append(
                Deliverable(
                    id=len(self.deliverables) + 1,
                    project_id=pid,
                    name=d.name,
                    description=d.description,
                    acceptance_criteria=d.criteria,
                    due_date=due,
                    accepted_by=d.accepted_by if accepted else "",
                    accepted_on=(
                        min(cal.add_working_days(due, 2), cal.on_or_before(self.today))
                        if accepted
                        else None
                    ),
                    acceptance_note=d.note if accepted else "",
                )
            )
        for key, role in spec.stakeholders:
            self.project_stakeholders.append(
                ProjectStakeholder(
                    project_id=pid, stakeholder_id=self.stakeholder_id[key], role=role
                )
            )

    def add_snapshots(
        self,
        pid: int,
        leaves: dict[str, _Leaf],
        blocked: set[str],
        cal: WorkCalendar,
        start: date,
    ) -> None:
        """One snapshot per weekday of the last weeks, replaying the progress rule each day;
        computed as every write to a task computes it (`domain.progress.project_progress`)."""
        day = max(start, self.today - timedelta(days=SNAPSHOT_DAYS))
        work = list(leaves.values())
        while day <= self.today:
            if day.weekday() < 5:
                # Progress as of the morning, the rule the tasks' own values follow today.
                progress = project_progress(
                    LeafWork(Decimal(x.spec.hours), self.progress(x, x.key in blocked, day, cal))
                    for x in work
                )
                self.snapshots.append(
                    ProgressSnapshot(
                        id=len(self.snapshots) + 1,
                        project_id=pid,
                        day=day,
                        remaining_hours=progress.remaining_hours,
                        remaining_tasks=progress.remaining_tasks,
                        percent_complete=progress.percent_complete,
                    )
                )
            day += timedelta(days=1)

    def rows(self) -> list[list[Any]]:
        """Row groups in an order that satisfies every foreign key."""
        return [
            self.people,
            self.stakeholders,
            self.projects,
            self.tasks,
            self.links,
            self.windows,
            self.holiday_rows,
            self.deliverables,
            self.budget,
            self.ledger,
            self.risks,
            self.changes,
            self.project_stakeholders,
            self.communications,
            self.snapshots,
        ]

    def summary(self) -> DemoSummary:
        return DemoSummary(
            projects=len(self.projects),
            people=len(self.people),
            tasks=len(self.tasks),
            ledger_entries=len(self.ledger),
            risks=len(self.risks),
            stakeholders=len(self.stakeholders),
        )
