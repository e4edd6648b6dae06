"""My work on key 6, driven by keys: every quick key writes, enter shows the detail, p picks
someone else; and pictures at 80×24 with and without colour."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_app, settle
from test_my_work import Plan, build
from textual.pilot import Pilot

from itpm_tui.screens.my_work import MyWorkScreen, QuickPrompt, TaskDetailScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Task


def _task(ctx: Context, task_id: int) -> Task:
    with ctx.db.read() as session:
        found = session.get(Task, task_id)
        assert found is not None
        session.expunge(found)
        return found


async def _open(pilot: Pilot[None]) -> MyWorkScreen:
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MyWorkScreen)
    return screen


async def _on(pilot: Pilot[None], screen: MyWorkScreen, task_id: int) -> None:
    assert screen.table.select_id(task_id)
    await pilot.pause()


async def _key_then_settle(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


@pytest.fixture
def plan(ctx: Context) -> Plan:
    return build(ctx)


async def test_the_config_users_tasks_in_order(ctx: Context, plan: Plan) -> None:
    async with make_app(ctx, user="ana").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        names = [t.name for t in screen.table.rows_shown]
        assert names[0] == "Rack the box" and names[-1] == "Order APs"
        assert "Cabling" not in names


async def test_nobody_matches_the_login(ctx: Context, plan: Plan) -> None:
    async with make_app(ctx, user="zed").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        message = str(screen.query_one("#my-empty").render())
        assert "'zed'" in message and "itpm person add" in message


@pytest.mark.parametrize(
    ("key", "typed", "which", "expect"),
    [
        ("s", "", "week", {"status": "in progress", "actual_start": TODAY}),
        ("d", "", "late", {"status": "done", "percent_complete": 100, "actual_finish": TODAY}),
        ("b", "no badge", "week", {"status": "blocked", "blocked_reason": "no badge"}),
        ("percent_sign", "40", "later", {"percent_complete": 40, "status": "in progress"}),
        ("r", "3", "later", {"remaining_hours": 3}),
        ("l", "called the site", "week", {"description": "2026-03-18 tester: called the site"}),
    ],
)
async def test_each_quick_key_writes(
    ctx: Context, plan: Plan, key: str, typed: str, which: str, expect: dict[str, object]
) -> None:
    tid = plan.ids[which]
    async with make_app(ctx, user="ana").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _on(pilot, screen, tid)
        await pilot.press(key)
        await settle(pilot)
        if typed:
            prompt = pilot.app.screen
            assert isinstance(prompt, QuickPrompt)
            if key in ("percent_sign", "r"):
                await pilot.press("ctrl+a", "ctrl+k")  # the field holds the current value
            await pilot.press(*typed, "enter")
        await _key_then_settle(pilot)
        task = _task(ctx, tid)
        for field, value in expect.items():
            assert getattr(task, field) == value, field


async def test_unblock_key(ctx: Context, plan: Plan) -> None:
    from itpm_tui.services.my_work import block_task

    tid = plan.ids["week"]
    block_task(ctx, tid, "waiting")
    async with make_app(ctx, user="ana").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _on(pilot, screen, tid)
        await _key_then_settle(pilot, "u")
        assert _task(ctx, tid).status == "todo"
        assert "■ blocked" not in str(screen.query_one("#my-summary").render())


async def test_blocked_without_a_reason_is_not_saved(ctx: Context, plan: Plan) -> None:
    tid = plan.ids["week"]
    async with make_app(ctx, user="ana").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _on(pilot, screen, tid)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, QuickPrompt)  # still asking
        assert "required" in str(pilot.app.screen.query_one("#err-prompt").render())
        await pilot.press("escape")
        await settle(pilot)
    assert _task(ctx, tid).status == "todo"


async def test_enter_shows_the_detail(ctx: Context, plan: Plan) -> None:
    async with make_app(ctx, user="ana").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await _on(pilot, screen, plan.ids["cutover"])
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, TaskDetailScreen)
        shown = str(detail.query_one("#my-detail Static").render())
        assert "2 Cabling · todo · Bob Net" in shown
        assert "Core switch off 2026-03-19 22:00–23:30" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen


async def test_p_shows_someone_elses_work(ctx: Context, plan: Plan) -> None:
    async with make_app(ctx, user="ana").run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press(*"bob", "enter")
        await settle(pilot)
        assert [t.name for t in screen.table.rows_shown] == ["Cabling"]


async def _my(pilot: Pilot[None]) -> None:
    await _open(pilot)


def test_my_work_80x24(snap_compare, ctx: Context, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(ctx, user="ana"), terminal_size=(80, 24), run_before=_my)


def test_my_work_no_color_80x24(snap_compare, ctx: Context, plan: Plan, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(ctx, user="ana"), terminal_size=(80, 24), run_before=_my)


async def test_the_dashboard_can_open_on_my_work(ctx: Context, plan: Plan) -> None:
    """`itpm --screen my`: the app's first screen is My work (a technician's ForceCommand)."""
    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings

    app = ItpmApp(ctx, Settings(user="ana", refresh_seconds=0.5), first_screen="my")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, MyWorkScreen)
        assert pilot.app.screen.table.rows_shown


def test_an_unknown_screen_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from itpm_tui.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--screen", "nope"])
    assert exc.value.code == 2
    assert "'nope' is not one of" in capsys.readouterr().err
