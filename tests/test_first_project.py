"""A project run from an empty database in the dashboard alone, identification to closing.

"Branch office firewall replacement" is planned, tracked over two weeks and closed only by
keys and forms, the way a project manager would: every row here was written through a screen.
The end checks what a PM looks at: the burn-down and the S-curve show the recorded progress
and the Projects row agrees with them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from conftest import make_app, settle
from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, TextArea

from itpm_tui.queries.timeline import ProjectTimeline
from itpm_tui.screens.budget_lines import NEW_CATEGORY
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    BudgetLine,
    ChangeRequest,
    CommunicationEntry,
    Deliverable,
    DowntimeWindow,
    LedgerEntry,
    Person,
    ProgressSnapshot,
    Project,
    Risk,
    Stakeholder,
    Task,
)
from itpm_tui.widgets.budget_charts import SpendChart
from itpm_tui.widgets.burndown_chart import BurndownChart
from itpm_tui.widgets.gantt import GanttChart

START = date(2026, 3, 2)  # a Monday: the kick-off


async def fill(pilot: Pilot[None], values: dict[str, Any]) -> None:
    """Type into the open form's fields by id, as a user would fill them in."""
    screen = pilot.app.screen
    for wid, value in values.items():
        widget = screen.query_one(f"#{wid}")
        if isinstance(widget, Input):
            widget.value = str(value)
        elif isinstance(widget, TextArea):
            widget.text = str(value)
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, Select):
            widget.value = value
        else:  # pragma: no cover - a field type this test does not know
            raise AssertionError(f"cannot fill #{wid}: {type(widget).__name__}")
    await settle(pilot)


async def save(pilot: Pilot[None], key: str = "ctrl+s") -> None:
    """Save the open form; fail with what the form says if it refuses."""
    form = pilot.app.screen
    await pilot.press(key)
    await settle(pilot)
    if pilot.app.screen is form:
        problems = [str(w.render()) for w in form.query(".problem, .field-error, #form-error")]
        raise AssertionError(f"{type(form).__name__} did not save: {problems}")


async def press(pilot: Pilot[None], *keys: str) -> Screen[Any]:
    await pilot.press(*keys)
    await settle(pilot)
    return pilot.app.screen


async def form_after(pilot: Pilot[None], *keys: str) -> FormScreen[Any]:
    screen = await press(pilot, *keys)
    assert isinstance(screen, FormScreen), type(screen).__name__
    return screen


async def answer_yes(pilot: Pilot[None]) -> None:
    """Confirm the question on screen (its default button)."""
    await press(pilot, "y")


def rows(db: Database, model: type[Any]) -> list[Any]:
    with Session(db.engine) as session:
        return list(session.exec(select(model)).all())


def task_id(db: Database, name: str) -> int:
    with Session(db.engine) as session:
        found = session.exec(select(col(Task.id)).where(col(Task.name) == name)).one()
    assert found is not None
    return found


def timeline(pilot: Pilot[None]) -> ProjectTimeline:
    """What the Timeline on screen has loaded: its scheduled rows."""
    screen = pilot.app.screen
    assert isinstance(screen, TimelineScreen) and screen.data and screen.data.project
    return screen.data.project


def scheduled(pilot: Pilot[None], name: str) -> date:
    """The start the Timeline on screen schedules for the task called `name`."""
    start = next(row.start for row in timeline(pilot).tasks if row.name == name)
    assert start is not None
    return start


async def test_a_firewall_replacement_runs_from_an_empty_database(db: Database) -> None:
    days = [START]
    ctx = Context(db, "pm", clock=lambda: days[0])
    app = make_app(ctx, user="pm")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)

        # -- identification: the project, its team and its stakeholders --------------------
        await form_after(pilot, "n")
        await fill(
            pilot,
            {
                "code": "BR-FW",
                "name": "Branch office firewall replacement",
                "client": "Northwind Branch Leeds",
                "sponsor": "Dana Whitfield",
                "start_date": START.isoformat(),
                "objective": "Replace the end-of-life firewall without a business-day outage.",
                "scope": "Firewall pair, rule migration, VPN to HQ; not the Wi-Fi.",
            },
        )
        await save(pilot)
        project = rows(db, Project)[0]
        assert (project.code, project.phase) == ("BR-FW", "identification")

        await press(pilot, "7")
        team = [
            ("Sam Patel", "s.patel", "technician/engineer", "40", "85"),
            ("Ana Costa", "a.costa", "technician/engineer", "32", "78"),
            ("Lee Moss", "l.moss", "project manager", "20", "95"),
        ]
        for name, handle, role, capacity, rate in team:
            await form_after(pilot, "n")
            await fill(
                pilot,
                {"name": name, "handle": handle, "role": role, "capacity": capacity, "rate": rate},
            )
            await save(pilot)
        assert sorted(p.handle for p in rows(db, Person)) == ["a.costa", "l.moss", "s.patel"]

        await press(pilot, "5")
        contacts = [
            ("Dana Whitfield", "client decision maker", "BR-FW: Decision maker"),
            ("Sam Patel", "internal engineer", "BR-FW: Lead technician"),
            ("FibreLink support", "vendor", "BR-FW: Internet provider"),
        ]
        for name, kind, projects in contacts:
            await form_after(pilot, "a")
            await fill(pilot, {"name": name, "kind": kind, "projects": projects})
            await save(pilot)
        assert len(rows(db, Stakeholder)) == 3

        # The deliverables are agreed during identification, from Projects.
        await press(pilot, "1")
        deliverables = await press(pilot, "d")
        for name in ("Firewall pair in service", "As-built rule base"):
            await form_after(pilot, "a")
            await fill(pilot, {"d-name": name, "d-criteria": "Client's IT manager confirms."})
            await save(pilot)
            assert pilot.app.screen is deliverables
        await press(pilot, "escape")
        assert sorted(d.name for d in rows(db, Deliverable)) == [
            "As-built rule base",
            "Firewall pair in service",
        ]

        # -- planning: the work breakdown, with links, a milestone and the people -----------
        people = {p.handle: p.id for p in rows(db, Person)}
        await press(pilot, "2")
        gantt = pilot.app.screen.query_one(GanttChart)
        # (key, the task to select first, name, fields): what the PM types, row by row.
        plan: list[tuple[str, str, str, dict[str, Any]]] = [
            ("n", "", "Design", {}),
            ("N", "Design", "Site survey", dict(duration="2", estimate="16", assignee="s.patel")),
            (
                "n",
                "Site survey",
                "Rule-base review",
                dict(duration="3", estimate="3d", assignee="a.costa", predecessors="1.1"),
            ),
            ("n", "Design", "Build", {}),
            (
                "N",
                "Build",
                "Order the firewall pair",
                dict(duration="1", estimate="4h", assignee="l.moss"),
            ),
            (
                "n",
                "Order the firewall pair",
                "Stage and configure",
                dict(duration="3", estimate="24", assignee="s.patel", predecessors="1.2, 2.1"),
            ),
            (
                "n",
                "Stage and configure",
                "Migrate the VPN to HQ",
                dict(duration="2", estimate="16", assignee="a.costa", predecessors="2.2"),
            ),
            ("n", "Build", "Cut-over", {}),
            (
                "N",
                "Cut-over",
                "Cut-over night",
                dict(
                    duration="1",
                    estimate="8",
                    downtime=True,
                    assignee="s.patel",
                    predecessors="2.3FS+1",
                ),
            ),
            ("n", "Cut-over night", "Go-live", dict(milestone=True, predecessors="3.1")),
        ]
        for key, where, name, fields in plan:
            if where:
                gantt.select_key(task_id(db, where))
                await settle(pilot)
            await form_after(pilot, key)
            if "assignee" in fields:
                fields = {**fields, "assignee": people[fields["assignee"]]}
            await fill(pilot, {"name": name, **fields})
            await save(pilot)
        outline = [(row.wbs, row.name) for row in timeline(pilot).tasks]
        assert outline == [
            ("1", "Design"),
            ("1.1", "Site survey"),
            ("1.2", "Rule-base review"),
            ("2", "Build"),
            ("2.1", "Order the firewall pair"),
            ("2.2", "Stage and configure"),
            ("2.3", "Migrate the VPN to HQ"),
            ("3", "Cut-over"),
            ("3.1", "Cut-over night"),
            ("3.2", "Go-live"),
        ]
        tasks = {t.name: t for t in rows(db, Task)}
        assert tasks["Go-live"].is_milestone and tasks["Cut-over night"].needs_downtime
        assert tasks["Rule-base review"].estimate_hours == Decimal(24)

        # -- the cut-over night's downtime window, tied to its task ---------------------------
        night = next(row for row in timeline(pilot).tasks if row.name == "Cut-over night")
        assert night.start is not None
        windows = await press(pilot, "w")
        await form_after(pilot, "a")
        await fill(
            pilot,
            {
                "title": "Branch internet and VPN down",
                "start": f"{night.start.isoformat()} 19:00",
                "end": f"{night.start.isoformat()} 23:00",
                "systems": "firewall, VPN to HQ, guest Wi-Fi",
                "task": task_id(db, "Cut-over night"),
                "approved": True,
            },
        )
        await save(pilot)
        assert pilot.app.screen is windows
        await press(pilot, "escape")
        (window,) = rows(db, DowntimeWindow)
        assert (window.task_id, window.starts_at.hour) == (task_id(db, "Cut-over night"), 19)

        # -- the budget: four categories, one of them named by the PM -------------------------
        await press(pilot, "3")
        dialog = await press(pilot, "b")
        lines = [
            ("hardware", "", "Firewall pair and licences", "14000"),
            ("labour", "", "Engineering days", "9600"),
            ("vendor services", "", "Second line install", "1800"),
            ("other: name a new category…", "cabling", "Patch panel rework", "600"),
        ]
        for category, new_name, description, amount in lines:
            await form_after(pilot, "a")
            category_value = NEW_CATEGORY if category.startswith("other") else category
            await fill(pilot, {"category": category_value, "description": description})
            if new_name:
                await fill(pilot, {"new-category": new_name})
            await fill(pilot, {"amount": amount})
            await save(pilot)
            assert pilot.app.screen is dialog
        await press(pilot, "escape")
        budget = {line.category: line.amount for line in rows(db, BudgetLine)}
        assert budget == {
            "hardware": Decimal(14000),
            "labour": Decimal(9600),
            "vendor services": Decimal(1800),
            "cabling": Decimal(600),
        }

        # -- the baseline, then two weeks of work -------------------------------------------
        await press(pilot, "2")
        await press(pilot, "b")
        await answer_yes(pilot)
        assert all(t.baseline_finish is not None for t in rows(db, Task))
        # The baseline is the schedule the links made: nothing is late the day it is set.
        assert all(row.slip_days in (None, 0) for row in timeline(pilot).tasks)

        week = [
            (0, "Site survey", 50),
            (1, "Site survey", 100),
            (2, "Rule-base review", 30),
            (3, "Order the firewall pair", 100),
            (4, "Rule-base review", 70),
            (7, "Rule-base review", 100),
            (8, "Stage and configure", 40),
            (9, "Stage and configure", 80),
        ]
        for offset, name, percent in week:
            days[0] = START + timedelta(offset)
            gantt.select_key(task_id(db, name))
            await settle(pilot)
            await form_after(pilot, "e")
            await fill(pilot, {"percent": str(percent)})
            await save(pilot)
        snapshots = {s.day: s.remaining_hours for s in rows(db, ProgressSnapshot)}
        assert sorted(snapshots) == sorted({START + timedelta(o) for o, _n, _p in week})
        # 92 h of work planned; 16 + 24×0.7 + 4 done at day 4; 16 + 24 + 4 + 24×0.8 at day 9.
        assert snapshots[START + timedelta(4)] == Decimal("55.2")
        assert snapshots[START + timedelta(9)] == Decimal("28.8")

        # -- money spent and ordered, and a risk --------------------------------------------
        days[0] = START + timedelta(9)
        await press(pilot, "3")
        entries = [
            ("hardware", "Firewall pair", "12850.00", "committed"),
            ("hardware", "Licences, year one", "1150.00", "actual"),
            ("labour", "Week 1 engineering", "2280.00", "actual"),
        ]
        for category, description, amount, kind in entries:
            await form_after(pilot, "a")
            await fill(
                pilot,
                {
                    "vendor": "Northwind IT",
                    "category": category,
                    "description": description,
                    "amount": amount,
                    "kind": kind,
                },
            )
            await save(pilot)
        assert len(rows(db, LedgerEntry)) == 3

        await press(pilot, "4")
        await form_after(pilot, "n")
        await fill(
            pilot,
            {
                "title": "ISP misses the second-line install date",
                "category": "vendor",
                "probability": 3,
                "impact": 4,
                "owner": people["l.moss"],
                "mitigation": "Book the install now; keep the old line until cut-over.",
            },
        )
        await save(pilot)
        assert [r.title for r in rows(db, Risk)] == ["ISP misses the second-line install date"]

        # -- a change, approved: the second internet line costs money and two days --------
        await press(pilot, "2")
        night_before = scheduled(pilot, "Cut-over night")
        (window_before,) = timeline(pilot).downtime
        await press(pilot, "4")
        await press(pilot, "g")
        await form_after(pilot, "n")
        await fill(
            pilot,
            {
                "cr-title": "Add a second internet line",
                "cr-by": "Dana Whitfield",
                "cr-cost": "1200",
                "cr-days": "2",
                "cr-description": "Resilience the client asked for after the survey.",
            },
        )
        await save(pilot)
        approval = await press(pilot, "A")
        await fill(pilot, {"approve-category": "vendor services"})
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is not approval
        change = rows(db, ChangeRequest)[0]
        assert (change.status, change.cost_impact) == ("approved", Decimal(1200))
        # The two days move the work after the change through its links, the cut-over
        # night's window with its task.
        await press(pilot, "2")
        calendar = timeline(pilot).calendar()
        night = scheduled(pilot, "Cut-over night")
        assert night == calendar.add_working_days(night_before, 2)
        assert scheduled(pilot, "Go-live") >= night
        (window_after,) = timeline(pilot).downtime
        assert window_after.starts_at.date() == night != window_before.starts_at.date()
        assert window_after.starts_at.time() == window_before.starts_at.time()

        # -- the status report goes to the client ------------------------------------------
        await press(pilot, "5")
        preview = await press(pilot, "r")
        await press(pilot, "m")
        await press(pilot, "ctrl+s")
        await press(pilot, "escape")
        assert pilot.app.screen is not preview
        told = {entry.stakeholder_id for entry in rows(db, CommunicationEntry)}
        client = next(s for s in rows(db, Stakeholder) if s.name == "Dana Whitfield")
        assert client.id in told

        # -- what the PM sees: burn-down, S-curve and the Projects row tell one story -------
        await press(pilot, "2")
        await press(pilot, "d")
        chart = pilot.app.screen.query_one(BurndownChart)
        assert chart.burndown is not None
        burnt = dict(chart.burndown.actual)
        assert {day: burnt[day] for day in snapshots} == snapshots
        assert chart.burndown.latest == (START + timedelta(9), Decimal("28.8"))
        await press(pilot, "d")

        latest = max(rows(db, ProgressSnapshot), key=lambda s: s.day)
        await press(pilot, "3")
        await press(pilot, "c")
        curve = pilot.app.screen.query_one(SpendChart).curve
        assert curve is not None
        earned = dict(zip(curve.days, curve.ev, strict=True))
        assert earned[START] is not None and earned[START] > 0  # EV from the first day's work
        day4 = next(s for s in rows(db, ProgressSnapshot) if s.day == START + timedelta(4))
        assert earned[START + timedelta(4)] == curve.bac * day4.percent_complete / 100
        # Today's EV is earned value proper: the share of the 92 h done, unrounded.
        today_ev = earned[START + timedelta(9)]
        assert today_ev is not None
        assert round(today_ev, 2) == round(curve.bac * Decimal("63.2") / 92, 2)
        await press(pilot, "c")
        await press(pilot, "c")

        projects = await press(pilot, "1")
        assert isinstance(projects, ProjectsScreen)
        (row,) = projects.rows
        assert row.percent_complete == latest.percent_complete > 0

        # -- closing: deliverables accepted, signed off, lessons, closed --------------------
        days[0] = START + timedelta(14)
        await press(pilot, "1")
        await press(pilot, "c")
        for _ in range(2):
            await form_after(pilot, "y")
            await save(pilot)
            await press(pilot, "down")
        assert all(d.accepted_on == days[0] for d in rows(db, Deliverable))
        await form_after(pilot, "s")
        await fill(pilot, {"s-by": "Dana Whitfield"})
        await save(pilot)
        await form_after(pilot, "l")
        await fill(pilot, {"lessons": "Book carrier work before the hardware arrives."})
        await save(pilot)
        await press(pilot, "c")
        await answer_yes(pilot)
        closed = rows(db, Project)[0]
        assert (closed.status, closed.signed_off_by) == ("closed", "Dana Whitfield")
