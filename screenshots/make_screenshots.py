"""Regenerate the SVG screenshots shown in the README.

    python screenshots/make_screenshots.py

Uses the demo portfolio on a throw-away database and a fixed "today", so the pictures
change only when the screens do.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from itpm_tui.app import ItpmApp
from itpm_tui.config import Settings
from itpm_tui.demo.builder import build_demo
from itpm_tui.screens.live import LiveScreen
from itpm_tui.services.context import Context
from itpm_tui.storage.database import open_database, sqlite_url

TODAY = date(2026, 3, 18)
OUT = Path(__file__).parent


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(200):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        screen = pilot.app.screen
        if not isinstance(screen, LiveScreen) or not screen.is_stale:
            break
    await pilot.pause()


async def detail(pilot: Pilot[None]) -> None:
    await pilot.press("enter")
    await settle(pilot)


async def form(pilot: Pilot[None]) -> None:
    await pilot.press("e")
    await settle(pilot)


async def timeline(pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)


async def roadmap(pilot: Pilot[None]) -> None:
    await timeline(pilot)
    await pilot.press("m")
    await settle(pilot)


async def budget(pilot: Pilot[None]) -> None:
    await pilot.press("down", "down", "down", "down")  # FW-26, a baselined project
    await pilot.press("3")
    await settle(pilot)


async def s_curve(pilot: Pilot[None]) -> None:
    await budget(pilot)
    await pilot.press("c")
    await settle(pilot)


async def risks(pilot: Pilot[None]) -> None:
    await pilot.press("4")
    await settle(pilot)


async def stakeholders(pilot: Pilot[None]) -> None:
    await pilot.press("5")
    await settle(pilot)
    await pilot.press("p", *"VOIP-25", "enter")  # an overdue update, three quadrants
    await settle(pilot)


async def closeout(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"FW-26", "enter")  # one deliverable accepted, two not
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)


async def downtime(pilot: Pilot[None]) -> None:
    await pilot.press("down", "down", "down", "down")  # FW-26: cut-overs with windows
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


async def team(pilot: Pilot[None]) -> None:
    await pilot.press("7")
    await settle(pilot)


async def changes(pilot: Pilot[None]) -> None:
    await pilot.press("8")
    await settle(pilot)


async def task_form(pilot: Pilot[None]) -> None:
    await pilot.press("down", "down", "down", "down")  # FW-26: a plan with links
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("down", "down", "e")
    await settle(pilot)


SHOTS: list[tuple[str, tuple[int, int], Callable[[Pilot[None]], Awaitable[None]] | None]] = [
    ("projects-80x24", (80, 24), None),
    ("projects-160x36", (160, 36), None),
    ("projects-detail-160x36", (160, 36), detail),
    ("projects-200x60", (200, 60), None),
    ("project-form-80x24", (80, 24), form),
    ("timeline-80x24", (80, 24), timeline),
    ("timeline-160x48", (160, 48), timeline),
    ("roadmap-160x48", (160, 48), roadmap),
    ("downtime-80x24", (80, 24), downtime),
    ("task-form-80x24", (80, 24), task_form),
    ("budget-80x24", (80, 24), budget),
    ("budget-160x48", (160, 48), budget),
    ("budget-s-curve-160x48", (160, 48), s_curve),
    ("risks-80x24", (80, 24), risks),
    ("risks-160x48", (160, 48), risks),
    ("stakeholders-80x24", (80, 24), stakeholders),
    ("stakeholders-160x48", (160, 48), stakeholders),
    ("closeout-80x24", (80, 24), closeout),
    ("team-80x24", (80, 24), team),
    ("team-160x48", (160, 48), team),
    ("changes-80x24", (80, 24), changes),
    ("changes-160x48", (160, 48), changes),
]


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(sqlite_url(Path(tmp) / "demo.db"))
        ctx = Context(db, "ana", clock=lambda: TODAY)
        build_demo(ctx)
        for name, size, steps in SHOTS:
            app = ItpmApp(ctx, Settings(user="ana"))
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                if steps:
                    await steps(pilot)
                app.save_screenshot(str(OUT / f"{name}.svg"))
            print(f"wrote screenshots/{name}.svg")
        # The stand-up kiosk, read-only, on a wall screen and a laptop: each page shown.
        from dataclasses import replace

        from itpm_tui.screens.standup import PAGES, StandupApp

        kiosk = replace(ctx, read_only="the stand-up kiosk writes nothing")
        for size in ((200, 60), (80, 24)):
            for place, page in enumerate(PAGES, start=1):
                name = f"standup-{page.slug}-{size[0]}x{size[1]}"
                standup = StandupApp(kiosk, Settings(user="ana"), first_page=place)
                async with standup.run_test(size=size) as pilot:
                    await settle(pilot)
                    await pilot.pause(0.3)
                    standup.save_screenshot(str(OUT / f"{name}.svg"))
                print(f"wrote screenshots/{name}.svg")
        db.dispose()
        # What a new user sees first: an empty database, and the guide to the first project.
        empty = open_database(sqlite_url(Path(tmp) / "empty.db"))
        app = ItpmApp(Context(empty, "ana", clock=lambda: TODAY), Settings(user="ana"))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.save_screenshot(str(OUT / "first-run-80x24.svg"))
        print("wrote screenshots/first-run-80x24.svg")
        empty.dispose()


if __name__ == "__main__":
    asyncio.run(main())
