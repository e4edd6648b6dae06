"""A project run from an empty database in the dashboard alone, identification to closing.

"Branch office firewall replacement" is planned, tracked over two weeks and closed only by
keys and forms, the way a project manager would: every row here was written through a screen.
The end checks what a PM looks at: the burn-down and the S-curve show the recorded progress
and the Projects row agrees with them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conftest import make_app, settle
from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, TextArea

from itpm_tui.queries.timeline import ProjectTimeline
from itpm_tui.screens.form import FormScreen
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import (
    Person,
    Project,
    Stakeholder,
    Task,
)
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
