"""Shaping a work breakdown: the outline rules, then add / indent / outdent / move / delete on a
real database — sort order and parents stay valid, WBS numbers follow, every write is logged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import make_app, settle
from sqlmodel import col, select
from test_timeline import sample_project
from textual.pilot import Pilot
from textual.widgets import Input

from itpm_tui.domain.outline import OutlineError, OutlineItem, derived_codes, outline, place
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.queries.tasks import load_task_edit
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.task_form import TaskForm
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task, delete_task, move_task
from itpm_tui.services.projects import create_project
from itpm_tui.services.tasks import update_task
from itpm_tui.storage.models import Activity, Dependency, Task
from itpm_tui.widgets.gantt import GanttChart

pytestmark = pytest.mark.both_backends


def codes(items: list[OutlineItem]) -> dict[int, str]:
    return {row.id: row.code for row in outline(items)}


def test_place_indents_outdents_and_moves_keeping_subtrees_together() -> None:
    # 1 (10) > 1.1 (11), 1.2 (12) ; 2 (20)
    items = [OutlineItem(10, None), OutlineItem(11, 10), OutlineItem(12, 10), OutlineItem(20, None)]
    indented = place(items, 20, "indent")
    assert codes(indented) == {10: "1", 11: "1.1", 12: "1.2", 20: "1.3"}
    assert [i.id for i in indented] == [10, 11, 12, 20]  # depth-first: the position is the order
    out = place(items, 11, "outdent")
    assert codes(out) == {10: "1", 12: "1.1", 11: "2", 20: "3"}
    down = place(items, 10, "down")
    assert [i.id for i in down] == [20, 10, 11, 12]  # the subtree travels with its summary
    with pytest.raises(OutlineError, match="no task above"):
        place(items, 10, "indent")
    with pytest.raises(OutlineError, match="top level"):
        place(items, 20, "outdent")
    with pytest.raises(OutlineError, match="last of its level"):
        place(items, 12, "down")


def test_written_out_numbers_follow_but_codes_set_by_hand_stay() -> None:
    items = [OutlineItem(1, None, "1"), OutlineItem(2, 1, "1.1"), OutlineItem(3, None, "NET-A")]
    assert derived_codes(items) == {1, 2}


def empty_project(ctx: Context) -> int:
    return create_project(ctx, ProjectDraft(code="NEW-1", name="Office move"))


def wbs(ctx: Context, project_id: int) -> dict[str, str]:
    timeline = load_timeline(ctx.db, project_id)
    assert timeline is not None
    return {t.name: t.wbs for t in timeline.tasks}


def test_add_the_first_task_then_after_and_under(ctx: Context) -> None:
    pid = empty_project(ctx)
    first = add_task(ctx, pid, TaskDraft(name="Survey", planned_start=date(2026, 3, 18)))
    assert wbs(ctx, pid) == {"Survey": "1"}
    last = add_task(ctx, pid, TaskDraft(name="Move"), after=first)
    between = add_task(ctx, pid, TaskDraft(name="Pack"), after=first)
    child = add_task(ctx, pid, TaskDraft(name="Count desks"), parent=first)
    assert wbs(ctx, pid) == {"Survey": "1", "Count desks": "1.1", "Pack": "2", "Move": "3"}
    with ctx.db.read() as session:
        rows = session.exec(
            select(Task).where(col(Task.project_id) == pid).order_by(col(Task.sort_order))
        ).all()
        assert [t.id for t in rows] == [first, child, between, last]
        assert [t.sort_order for t in rows] == [1, 2, 3, 4]
        assert session.get(Task, child).parent_id == first  # type: ignore[union-attr]
        logged = session.exec(
            select(Activity).where(col(Activity.entity) == "task", col(Activity.action) == "create")
        ).all()
        assert len(logged) == 4 and all(a.project_id == pid for a in logged)
        assert "Pack" in logged[2].summary and "NEW-1" in logged[2].summary


def test_add_checks_places_assignee_and_predecessors(ctx: Context) -> None:
    ids = sample_project(ctx)
    other = empty_project(ctx)
    with pytest.raises(ValidationError, match="after"):
        add_task(ctx, other, TaskDraft(name="x"), after=ids["1.1"])
    with pytest.raises(ValidationError, match=r"dependency cycle: 1\.4 x → 1 Design → 1\.4 x"):
        add_task(
            ctx,
            ids["project"],
            TaskDraft(name="x"),
            parent=ids["1"],
            predecessors=[PredecessorRef(ids["1"])],
        )
    with pytest.raises(ValidationError, match="name"):
        add_task(ctx, ids["project"], TaskDraft(name="  "))
    new = add_task(
        ctx,
        ids["project"],
        TaskDraft(name="Test rules", planned_start=date(2026, 3, 25)),
        after=ids["2.3"],
        predecessors=[PredecessorRef(ids["2.3"], "FS", 1)],
    )
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    task = timeline.by_id()[new]
    # The sample stores written-out numbers; they follow, and the new task is 2.4.
    assert task.wbs == "2.4" and [p.wbs for p in task.predecessors] == ["2.3"]
    assert [t.wbs for t in timeline.tasks] == sorted(
        (t.wbs for t in timeline.tasks), key=lambda c: [int(n) for n in c.split(".")]
    )
    # A task waiting for a summary starts after its last task.
    after_design = add_task(
        ctx, ids["project"], TaskDraft(name="Review"), predecessors=[PredecessorRef(ids["1"])]
    )
    timeline = load_timeline(ctx.db, ids["project"])
    assert timeline is not None
    design, review = timeline.by_id()[ids["1"]], timeline.by_id()[after_design]
    assert design.finish == date(2026, 3, 13) and review.start == date(2026, 3, 16)
    assert [p.wbs for p in review.predecessors] == ["1"]


def test_an_indent_closing_a_cycle_through_a_summary_is_refused(ctx: Context) -> None:
    ids = sample_project(ctx)
    review = add_task(
        ctx,
        ids["project"],
        TaskDraft(name="Review"),
        after=ids["1"],
        predecessors=[PredecessorRef(ids["1"])],
    )
    assert wbs(ctx, ids["project"])["Review"] == "2"
    with pytest.raises(ValidationError, match=r"dependency cycle: .*Design → .*Review"):
        move_task(ctx, review, "indent", expected_version=None)  # under Design: it waits for it
    assert wbs(ctx, ids["project"])["Review"] == "2"


def test_a_task_with_an_ff_or_sf_predecessor_cannot_become_a_summary(ctx: Context) -> None:
    ids = sample_project(ctx)
    pid = ids["project"]
    report = add_task(
        ctx, pid, TaskDraft(name="Report"), predecessors=[PredecessorRef(ids["2.1"], "FF")]
    )
    spare = add_task(ctx, pid, TaskDraft(name="Spare"), after=report)
    before = wbs(ctx, pid)
    assert (before["Report"], before["Spare"]) == ("5", "6")
    refusal = (
        r"^parent: 5 Report waits for 2\.1 Order hardware by FF, and a summary task waits by "
        r"FS or SS only: remove the FF link from 2\.1 Order hardware first$"
    )
    with pytest.raises(ValidationError, match=refusal):  # a subtask added under it
        add_task(ctx, pid, TaskDraft(name="Draft"), parent=report)
    with pytest.raises(ValidationError, match=refusal):  # a task indented under it
        move_task(ctx, spare, "indent", expected_version=None)
    edit = load_task_edit(ctx.db, spare)
    assert edit is not None
    with pytest.raises(ValidationError, match=r"remove the FF link from .*Order hardware first"):
        update_task(  # a task given it as parent in the form
            ctx, spare, replace(edit.draft, parent_id=report), edit.predecessors, edit.version
        )
    assert wbs(ctx, pid) == before
    with ctx.db.read() as session:
        assert session.exec(select(Task).where(col(Task.parent_id) == report)).all() == []

    # an SF link is refused alike; once the link waits by FS, the task can become a summary
    edit = load_task_edit(ctx.db, report)
    assert edit is not None
    sf = [PredecessorRef(ids["2.1"], "SF")]
    update_task(ctx, report, edit.draft, sf, edit.version)
    with pytest.raises(ValidationError, match=r"remove the SF link from .*Order hardware first"):
        move_task(ctx, spare, "indent", expected_version=None)
    edit = load_task_edit(ctx.db, report)
    assert edit is not None
    update_task(ctx, report, edit.draft, [PredecessorRef(ids["2.1"])], edit.version)
    assert move_task(ctx, spare, "indent", expected_version=None) == "5.1"


def test_indent_outdent_and_move_keep_order_parents_and_versions(ctx: Context) -> None:
    ids = sample_project(ctx)
    pid = ids["project"]
    assert (
        move_task(ctx, ids["3"], "indent", expected_version=None) == "2.4"
    )  # under Build, its last task
    with ctx.db.read() as session:
        cut = session.get(Task, ids["3"])
        assert cut is not None and cut.parent_id == ids["2"] and cut.version == 2
    assert move_task(ctx, ids["3"], "up", expected_version=2) == "2.3"
    assert wbs(ctx, pid)["Migrate rules"] == "2.4"
    assert move_task(ctx, ids["3"], "outdent", expected_version=None) == "3"
    assert (
        move_task(ctx, ids["2"], "up", expected_version=None) == "1"
    )  # Build and its tasks before Design
    assert wbs(ctx, pid) == {
        "Build": "1",
        "Order hardware": "1.1",
        "Rack and cable": "1.2",
        "Migrate rules": "1.3",
        "Design": "2",
        "Survey [rules] 防火墙": "2.1",
        "Write change plan": "2.2",
        "Plan approved": "2.3",
        "Cut-over": "3",
        "Go live": "4",
    }
    with ctx.db.read() as session:
        rows = session.exec(
            select(Task).where(col(Task.project_id) == pid).order_by(col(Task.sort_order))
        ).all()
        assert [t.sort_order for t in rows] == list(range(1, len(rows) + 1))
        assert all(t.parent_id in {None, *(r.id for r in rows)} for t in rows)
        moves = session.exec(
            select(Activity).where(col(Activity.action).in_(["indent", "outdent", "up"]))
        ).all()
        assert [m.action for m in moves] == ["indent", "up", "outdent", "up"]
        assert "now 1" in moves[-1].summary
    with pytest.raises(ConflictError):
        move_task(ctx, ids["3"], "down", expected_version=1)
    with pytest.raises(ValidationError, match="already at the top level"):
        move_task(ctx, ids["3"], "outdent", expected_version=None)
    with pytest.raises(ValidationError, match="no task above"):
        move_task(ctx, ids["2"], "indent", expected_version=None)


def test_delete_takes_subtasks_and_links_with_it(ctx: Context) -> None:
    ids = sample_project(ctx)
    pid = ids["project"]
    with pytest.raises(ConflictError):
        delete_task(ctx, ids["2"], expected_version=7)
    deleted = delete_task(ctx, ids["2"], expected_version=1)
    # Build, its three tasks; links 1.3→2.1, 2.1→2.2, 1.3→2.3, 2.2→3, 2.3→3.
    assert (deleted.label, deleted.subtasks, deleted.links) == ("2 Build", 3, 5)
    assert wbs(ctx, pid) == {
        "Design": "1",
        "Survey [rules] 防火墙": "1.1",
        "Write change plan": "1.2",
        "Plan approved": "1.3",
        "Cut-over": "2",
        "Go live": "3",
    }
    with ctx.db.read() as session:
        left = {t.id for t in session.exec(select(Task)).all()}
        assert not {ids["2"], ids["2.1"], ids["2.2"], ids["2.3"]} & left
        links = session.exec(select(Dependency)).all()
        assert {(d.predecessor_id, d.successor_id) for d in links} == {
            (ids["1.1"], ids["1.2"]),
            (ids["1.2"], ids["1.3"]),
            (ids["3"], ids["4"]),
        }
        logged = session.exec(select(Activity).where(col(Activity.action) == "delete")).all()
        assert sum(a.entity == "task" for a in logged) == 4
        assert sum(a.entity == "dependency" for a in logged) == 5


# -- the keys, from an empty project -----------------------------------------------------------


async def add_by_form(pilot: Pilot[None], key: str, name: str) -> None:
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TaskForm), f"{key} did not open the task form"
    form.query_one("#name", Input).value = name
    await pilot.press("ctrl+s")
    await settle(pilot)
    await settle(pilot)
    assert isinstance(pilot.app.screen, TimelineScreen)


def rows(app: object) -> list[tuple[str, str, int]]:
    gantt = app.screen.query_one(GanttChart)  # type: ignore[attr-defined]
    return [(r.code, r.name, r.level) for r in gantt.rows]


async def test_plan_from_an_empty_project_by_keys(ctx: Context) -> None:
    pid = empty_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_project(pid)
        await settle(pilot)
        await pilot.app.run_action("switch_mode('timeline')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert "press n to add the first" in str(screen.query_one("#info").render())
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        assert form.query_one("#start", Input).value == "2026-03-18"  # today, a Wednesday
        form.query_one("#name", Input).value = "Survey [the] site"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert rows(app) == [("1", "Survey [the] site", 0)]
        await add_by_form(pilot, "n", "Pack")
        assert rows(app) == [("1", "Survey [the] site", 0), ("2", "Pack", 0)]
        # The new task is selected; it starts the working day after the one above finished.
        gantt = screen.query_one(GanttChart)
        assert gantt.selected_row is not None and gantt.selected_row.name == "Pack"
        assert screen.data.project.tasks[1].planned_start == date(2026, 3, 19)  # type: ignore[union-attr]
        await add_by_form(pilot, "N", "Crates")
        assert rows(app)[-1] == ("2.1", "Crates", 1)
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert rows(app) == [
            ("1", "Survey [the] site", 0),
            ("2", "Pack", 0),
            ("3", "Crates", 0),
        ]
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert rows(app)[-1] == ("2.1", "Crates", 1)
        gantt.select_key(screen.data.project.tasks[1].id)  # type: ignore[union-attr]
        await pilot.press("alt+up")
        await settle(pilot)
        assert rows(app) == [
            ("1", "Pack", 0),
            ("1.1", "Crates", 1),
            ("2", "Survey [the] site", 0),
        ]
        await pilot.press("alt+down")
        await settle(pilot)
        assert [r[1] for r in rows(app)] == ["Survey [the] site", "Pack", "Crates"]
        # A move that cannot be made says why and changes nothing.
        await pilot.press("alt+down")
        await settle(pilot)
        assert [r[1] for r in rows(app)] == ["Survey [the] site", "Pack", "Crates"]
        told = [str(n.message) for n in app._notifications]
        assert "outline: cannot move down 'Pack': it is already the last of its level" in told
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert "Delete 2 Pack?" in question and "With it go 1 subtask: 2.1 Crates." in question
        await pilot.press("n")
        assert len(rows(app)) == 3
        await pilot.press("delete", "y")
        await settle(pilot)
        await settle(pilot)
        assert rows(app) == [("1", "Survey [the] site", 0)]
    with ctx.db.read() as session:
        names = session.exec(select(Task.name).where(col(Task.project_id) == pid)).all()
        assert names == ["Survey [the] site"]


async def test_outline_keys_say_why_on_the_roadmap_and_insert_adds_a_subtask(
    ctx: Context,
) -> None:
    ids = sample_project(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.app.run_action("switch_mode('timeline')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        screen.query_one(GanttChart).select_key(ids["3"])
        await add_by_form(pilot, "insert", "Smoke test")
        assert ("3.1", "Smoke test", 1) in rows(app)
        screen.query_one(GanttChart).select_key(ids["2"])
        await pilot.press("delete")
        question = app.screen.question  # type: ignore[attr-defined]
        assert "Delete 2 Build?" in question and "3 subtasks: 2.1 Order hardware" in question
        assert "5 links to or from other tasks" in question
        assert "Assignments lost: Ana Souza, 李小龙 Lee" in question
        await pilot.press("n")
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("n", "delete")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        told = [str(n.message) for n in app._notifications]
        assert "Open a project's timeline to add tasks." in told
        assert "Open a project's timeline to delete tasks." in told
    with ctx.db.read() as session:
        assert len(session.exec(select(Task)).all()) == 11


async def test_the_outline_and_the_form_refuse_a_summary_with_an_ff_link_into_it(
    ctx: Context,
) -> None:
    ids = sample_project(ctx)
    pid = ids["project"]
    report = add_task(
        ctx, pid, TaskDraft(name="Report"), predecessors=[PredecessorRef(ids["2.1"], "FF")]
    )
    spare = add_task(ctx, pid, TaskDraft(name="Spare"), after=report)
    before = wbs(ctx, pid)
    fix = "remove the FF link from 2.1 Order hardware first"
    app = make_app(ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.app.run_action("switch_mode('timeline')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        gantt = screen.query_one(GanttChart)
        gantt.select_key(spare)
        await pilot.press("greater_than_sign")  # indent Spare under Report
        await settle(pilot)
        told = [str(n.message) for n in app._notifications]
        assert any(fix in line and "5 Report waits for" in line for line in told), told
        assert ("6", "Spare", 0) in rows(app)

        gantt.select_key(report)
        await pilot.press("insert")  # a subtask under Report, by the form
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        form.query_one("#name", Input).value = "Draft"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is form  # still open, saying why
        shown = " ".join(str(e.render()) for e in form.query(".error"))
        assert fix in shown, shown
    assert wbs(ctx, pid) == before
