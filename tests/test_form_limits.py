"""A form refuses what every import refuses — a control character pasted into a field, a
text over its limit, a date outside 1970–2200 — beside the field, and stores nothing."""

from __future__ import annotations

from conftest import make_app, settle
from sqlmodel import select
from textual.widgets import Input, Static, TextArea

from itpm_tui.screens.project_form import ProjectForm
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Project


async def test_new_project_form_refuses_control_characters_and_long_text(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "F", "W", "minus", "2", "6")
        form = app.screen
        assert isinstance(form, ProjectForm)
        # As a paste would put it there: the keyboard cannot type ESC into a field.
        form.query_one("#name", Input).value = "Edge\x1b]52;c;aGk=\x07"
        form.query_one("#scope", TextArea).text = "first line\nsecond line" + "x" * 4000
        form.query_one("#start_date", Input).value = "9999-01-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "the form stays open with what was typed"
        shown = {
            key: str(form.query_one(f"#err-{key}", Static).render())
            for key in ("name", "scope", "start_date")
        }
        assert shown == {
            "name": "✖ control character U+001B (escape) is not allowed",
            "scope": "✖ must be at most 4000 characters",
            "start_date": "✖ must be between 1970 and 2200, got 9999-01-01",
        }
        form.query_one("#name", Input).value = "Edge"
        form.query_one("#scope", TextArea).text = "first line\nsecond line"
        form.query_one("#start_date", Input).value = "2026-04-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ProjectForm)
    with ctx.db.read() as session:
        stored = session.exec(select(Project)).one()
    assert (stored.name, stored.scope) == ("Edge", "first line\nsecond line")
