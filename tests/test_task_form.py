"""The task form's fields, driven by keys as a PM types them, and what the database holds
afterwards; then pictures of the form at 80×24 and 160×48."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from conftest import make_app, settle
from test_timeline import chart, open_timeline, sample_project, screen_text
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select

from itpm_tui.queries.timeline import load_timeline
from itpm_tui.screens.task_form import TOP_LEVEL, TaskForm
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Task


async def type_into(pilot: Pilot[None], widget_id: str, text: str) -> None:
    """Clear the one-line field and type `text`, key by key."""
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    await pilot.press("end", *["backspace"] * len(field.value))
    await pilot.press(*text)


async def choose(pilot: Pilot[None], widget_id: str, label: str) -> None:
    """Open the drop-down and move to `label` with the arrow keys, as a user does."""
    select = pilot.app.screen.query_one(f"#{widget_id}", Select)
    options = [str(prompt) for prompt, _ in select._options]
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    current = next(i for i, (_, v) in enumerate(select._options) if v == select.value)
    target = next(i for i, text in enumerate(options) if text.strip() == label)
    step = "down" if target > current else "up"
    await pilot.press(*[step] * abs(target - current), "enter")
    await pilot.pause()


async def open_form(pilot: Pilot[None], task_id: int) -> TaskForm:
    await open_timeline(pilot)
    chart(pilot.app).select_key(task_id)
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TaskForm)
    return form


def stored(ctx: Context, task_id: int) -> Task:
    with ctx.db.read() as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task


async def test_every_new_field_is_edited_by_keys_and_stored(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2.2"])
        assert form.query_one("#blocked-reason", Input).disabled  # not blocked: nothing to say
        await choose(pilot, "parent", "1 Design")
        await type_into(pilot, "estimate", "1.5d")
        await type_into(pilot, "remaining", "10h")
        await choose(pilot, "status", "blocked")
        assert not form.query_one("#blocked-reason", Input).disabled
        await type_into(pilot, "blocked-reason", "rack [not] delivered")
        form.query_one("#downtime").focus()
        await pilot.press("space")
        form.query_one("#notes").focus()
        await pilot.press(*"Bring the ", "enter", *"label printer")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    task = stored(ctx, ids["2.2"])
    assert task.parent_id == ids["1"]
    assert (task.estimate_hours, task.remaining_hours) == (D(12), D(10))
    assert (task.status, task.blocked_reason) == ("blocked", "rack [not] delivered")
    assert task.needs_downtime is True
    assert task.description == "Bring the \nlabel printer"
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    assert next(t.wbs for t in timeline.tasks if t.id == ids["2.2"]) == "1.4"  # last under 1


async def test_leaving_blocked_forgets_the_reason(ctx: Context) -> None:
    ids = sample_project(ctx)
    with ctx.transaction() as tx:
        task = tx.get(Task, ids["2.2"])
        tx.update(task, {"status": "blocked", "blocked_reason": "no rack"}, expected_version=None)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2.2"])
        assert form.query_one("#blocked-reason", Input).value == "no rack"
        await choose(pilot, "status", "in progress")
        assert form.query_one("#blocked-reason", Input).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    task = stored(ctx, ids["2.2"])
    assert (task.status, task.blocked_reason) == ("in progress", "")


async def test_blocked_without_a_reason_and_bad_hours_are_shown_beside_their_fields(
    ctx: Context,
) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2.2"])
        await type_into(pilot, "estimate", "two days")
        await choose(pilot, "status", "blocked")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)
        shown = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert set(shown) == {"err-estimate", "err-blocked-reason"}
        assert "is required when the status is blocked" in shown["err-blocked-reason"]
        assert "not a number of hours" in shown["err-estimate"]
    assert stored(ctx, ids["2.2"]).status == "todo"


async def test_the_parent_list_leaves_out_the_tasks_own_subtree(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2"])
        values = [v for _, v in form.query_one("#parent", Select)._options]
        assert values[0] == TOP_LEVEL
        assert ids["1"] in values and ids["3"] in values
        assert not {ids["2"], ids["2.1"], ids["2.2"], ids["2.3"]} & set(values)


async def test_a_new_task_can_be_put_under_another_parent(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_timeline(pilot)
        chart(app).select_key(ids["2.1"])
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        assert form.query_one("#parent", Select).value == ids["2"]  # beside the selected task
        await type_into(pilot, "name", "Label cables")
        await choose(pilot, "parent", "(top level)")
        await type_into(pilot, "estimate", "4")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    last = timeline.tasks[-1]
    assert (last.name, last.level, last.wbs) == ("Label cables", 0, "5")
    with ctx.db.read() as session:
        task = session.get(Task, last.id)
        assert task is not None and task.remaining_hours == D(4)


# -- pictures ---------------------------------------------------------------------------------


def _edit(task: str) -> object:
    async def run(pilot: Pilot[None]) -> None:
        ids = pilot.app.ids  # type: ignore[attr-defined]
        await open_form(pilot, ids[task])

    return run


async def _blocked(pilot: Pilot[None]) -> None:
    ids = pilot.app.ids  # type: ignore[attr-defined]
    await open_form(pilot, ids["2.2"])
    await choose(pilot, "status", "blocked")
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_task_form_edit(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ctx)
    app.ids = sample_project(ctx)  # type: ignore[attr-defined]
    assert snap_compare(app, terminal_size=size, run_before=_edit("2.3"))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_task_form_blocked(snap_compare, ctx: Context, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ctx)
    app.ids = sample_project(ctx)  # type: ignore[attr-defined]
    assert snap_compare(app, terminal_size=size, run_before=_blocked)


def test_task_form_blocked_no_color(snap_compare, ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ctx)
    app.ids = sample_project(ctx)  # type: ignore[attr-defined]
    assert snap_compare(app, terminal_size=(80, 24), run_before=_blocked)


async def test_a_summary_shows_its_rolled_up_progress_and_keeps_its_own(ctx: Context) -> None:
    """A summary's percent and status come from its tasks: the form shows the roll-up the
    Timeline draws, read-only, and saving a new name leaves the stored progress alone."""
    ids = sample_project(ctx)
    before = stored(ctx, ids["1"])
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["1"])
        timeline = load_timeline(ctx.db, ids["project"])
        assert timeline is not None
        rolled = next(t for t in timeline.tasks if t.id == ids["1"])
        percent = form.query_one("#percent", Input)
        assert percent.disabled and percent.value == str(rolled.percent)
        assert form.query_one("#status", Select).disabled
        await type_into(pilot, "name", "Design and survey")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    after = stored(ctx, ids["1"])
    assert after.name == "Design and survey"
    assert (after.percent_complete, after.status) == (before.percent_complete, before.status)


async def test_a_task_made_manual_keeps_its_dates_and_shows_it(ctx: Context) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, ids["2.2"])
        form.query_one("#manual").focus()
        await pilot.press("space")
        assert "yes — manual (✎)" in str(form.query_one("#manual", Checkbox).label)
        # before its predecessor (Order hardware) finishes on the 20th: kept, not pushed
        await type_into(pilot, "start", "2026-03-18")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        chart(app).select_key(ids["2.2"])
        await pilot.pause()
        assert "✎ Rack and cable" in screen_text(app)
        assert "✎ manual" in str(app.screen.query_one("#info").render())
    assert stored(ctx, ids["2.2"]).is_manual is True
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    task = next(t for t in timeline.tasks if t.id == ids["2.2"])
    assert (task.is_manual, task.start, task.finish) == (True, date(2026, 3, 18), date(2026, 3, 24))


async def test_an_elapsed_duration_is_typed_shown_and_drawn_over_the_weekend(
    ctx: Context,
) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2.2"])
        assert form.query_one("#duration", Input).value == "5"
        await type_into(pilot, "duration", "10x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused beside the field, the typing kept
        shown = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert set(shown) == {"err-duration"} and "calendar days (10ed)" in shown["err-duration"]
        assert form.query_one("#duration", Input).value == "10x"
        # Rack and cable starts Monday the 23rd: ten calendar days end Wednesday 1 April
        await type_into(pilot, "duration", "10ed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        gantt = chart(app)
        gantt.select_key(ids["2.2"])
        await pilot.pause()
        info = str(app.screen.query_one("#info").render())
        assert "2026-03-23 → 2026-04-01" in info and " · 10ed · " in info
        row = next(r for r in gantt.rows if r.key == ids["2.2"])
        first, last = gantt.cells_of(date(2026, 3, 28), date(2026, 3, 29))
        weekend = "".join(s.text for s in gantt._row_chart(row, False, first, last - first))
        assert weekend and set(weekend) <= {"█", "▒"}, weekend  # the bar, not the gap
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#duration", Input).value == "10ed"
    task = stored(ctx, ids["2.2"])
    assert (task.is_elapsed, task.planned_start, task.planned_finish) == (
        True,
        date(2026, 3, 23),
        date(2026, 4, 1),
    )


async def test_a_constraint_and_a_deadline_are_set_checked_and_cleared_by_keys(
    ctx: Context,
) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2.2"])
        assert form.query_one("#constraint", Select).value == ""
        await choose(pilot, "constraint", "MSO Must Start On")
        await type_into(pilot, "deadline", "2026-03-2x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # both refused beside their fields, the typing kept
        shown = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert set(shown) == {"err-constraint-date", "err-deadline"}
        assert "is required for Must Start On" in shown["err-constraint-date"]
        assert "2026-03-2x" in shown["err-deadline"]
        assert form.query_one("#deadline", Input).value == "2026-03-2x"
        assert form.query_one("#constraint", Select).value == "MSO"
        # held on Wednesday the 25th, past its predecessor; due by the 26th, which it misses
        await type_into(pilot, "constraint-date", "2026-03-25")
        await type_into(pilot, "deadline", "2026-03-26")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        chart(app).select_key(ids["2.2"])
        await pilot.pause()
        info = str(app.screen.query_one("#info").render())
        assert "2026-03-25 → 2026-03-31" in info
        assert "⚠ misses its deadline 2026-03-26" in info
        task = stored(ctx, ids["2.2"])
        assert (task.constraint_kind, task.constraint_date, task.deadline) == (
            "MSO",
            date(2026, 3, 25),
            date(2026, 3, 26),
        )

        form = await open_form(pilot, ids["2.2"])
        await choose(pilot, "constraint", "none")
        await type_into(pilot, "constraint-date", "")
        await type_into(pilot, "deadline", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        chart(app).select_key(ids["2.2"])
        await pilot.pause()
        info = str(app.screen.query_one("#info").render())
        # no longer held nor flagged; it keeps the start the form showed it with
        assert "⚠" not in info and "2026-03-25 → 2026-03-31" in info
    task = stored(ctx, ids["2.2"])
    assert (task.constraint_kind, task.constraint_date, task.deadline) == ("", None, None)


async def test_a_summary_given_a_predecessor_holds_back_its_tasks(ctx: Context) -> None:
    """Build waits three working days after the change plan: its tasks start then; a
    predecessor under Build itself would be a cycle, named beside the field."""
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, ids["2"])
        await type_into(pilot, "predecessors", "2.1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)
        shown = {e.id: str(e.render()) for e in form.query(".field-error.shown")}
        assert (
            "a dependency cycle: 2 Build → 2.1 Order hardware → 2 Build"
            in shown["err-predecessors"]
        )
        await type_into(pilot, "predecessors", "1.2FS+3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    by_id = timeline.by_id()
    # 1.2 finishes Fri 13th: Build's tasks start Thu 19th, three working days later.
    assert by_id[ids["2.1"]].start == date(2026, 3, 19)
    assert by_id[ids["2.3"]].start == date(2026, 3, 19)
    assert [p.wbs for p in by_id[ids["2"]].predecessors] == ["1.2"]
