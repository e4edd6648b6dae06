"""Every screen and dialog offers a role only the write keys it may use, and pressing a key
that is not offered writes nothing (the service would refuse it anyway)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from conftest import make_app, settle
from sqlmodel import select
from test_roles import Team
from textual.pilot import Pilot

from itpm_tui.domain.closing import DeliverableDraft
from itpm_tui.domain.stakeholders import ContactDraft
from itpm_tui.services.closing import add_deliverable
from itpm_tui.services.context import Context
from itpm_tui.services.stakeholders import add_contact
from itpm_tui.storage.models import Activity


@pytest.fixture
def team(ctx: Context) -> Team:
    made = Team(ctx)
    pat = made.as_["pat"]
    add_contact(pat, ContactDraft(name="Olive", projects="FW-26"))
    add_deliverable(pat, made.pid, DeliverableDraft("Runbook"))
    return made


Steps = Callable[[Pilot[None]], Awaitable[None]]


def _keys(*keys: str) -> Steps:
    async def press(pilot: Pilot[None]) -> None:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return press


async def _offered(team: Team, handle: str, steps: Steps) -> set[str]:
    app = make_app(team.as_[handle], user=handle)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.acting is not None and app.acting.handle == handle
        await steps(pilot)
        return set(app.screen.active_bindings)


QUICK = {"s", "d", "b", "u", "percent_sign", "r", "l"}

#: Where to go, the write keys a PM is offered there, and which of them a technician keeps
#: (a viewer keeps none).
PLACES: dict[str, tuple[Steps, set[str], set[str]]] = {
    "team": (_keys("7"), {"n", "e", "x"}, set()),
    "stakeholders": (_keys("5"), {"a", "e", "d", "l"}, {"l"}),
    "my work": (_keys("6"), QUICK, QUICK),  # a technician's own tasks
    "close-out": (_keys("1", "c"), {"a", "e", "y", "s", "l", "c"}, set()),
    "deliverables": (_keys("1", "d"), {"a", "e", "d"}, set()),
    "downtime": (_keys("2", "w"), {"a"}, set()),
    "holidays": (_keys("2", "H"), {"a"}, set()),
    "budget lines": (_keys("3", "b"), {"a"}, set()),
    "report preview": (_keys("5", "r"), {"m"}, {"m"}),
}


@pytest.mark.parametrize("place", list(PLACES))
async def test_each_place_offers_a_role_only_its_write_keys(team: Team, place: str) -> None:
    steps, writes, kept = PLACES[place]
    assert writes <= await _offered(team, "pat", steps), "the PM is offered every write"
    assert writes & await _offered(team, "tom", steps) == kept
    assert not writes & await _offered(team, "val", steps), "a viewer is offered no write"


async def test_a_technician_gets_the_quick_keys_on_their_own_work_only(team: Team) -> None:
    quick = QUICK
    app = make_app(team.as_["tom"], user="tom")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert quick <= set(app.screen.active_bindings)
        screen: Any = app.screen
        screen.person_id = team.as_["pat"].identity().person_id  # someone else's work (`p`)
        screen.reload()
        await settle(pilot)
        assert not quick & set(app.screen.active_bindings)


def _activity(team: Team) -> int:
    with team.as_["pat"].db.read() as session:
        return len(session.exec(select(Activity)).all())


@pytest.mark.parametrize(
    ("handle", "place", "key"),
    [
        ("tom", "team", "n"),
        ("val", "my work", "d"),
        ("tom", "close-out", "y"),
        ("tom", "downtime", "a"),
        ("tom", "budget lines", "a"),
        ("val", "report preview", "m"),
        ("tom", "stakeholders", "a"),
    ],
)
async def test_a_key_not_offered_opens_nothing_and_writes_nothing(
    team: Team, handle: str, place: str, key: str
) -> None:
    before = _activity(team)
    app = make_app(team.as_[handle], user=handle)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await PLACES[place][0](pilot)
        shown = app.screen
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is shown, f"{key} opened {app.screen!r}"
        await pilot.press("ctrl+s")  # a form, had one opened, would save now
        await settle(pilot)
    assert _activity(team) == before


async def test_the_palette_lists_no_write_a_role_may_not_do(team: Team) -> None:
    from itpm_tui.commands import ItpmCommands

    titles: dict[str, set[str]] = {}
    for handle in ("pat", "tom", "val"):
        app = make_app(team.as_[handle], user=handle)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            provider = ItpmCommands(app.screen)
            titles[handle] = {title for title, *_ in provider._commands()}
    assert {"New project", "Set baseline", "Log a contact"} <= titles["pat"]
    assert "New project" not in titles["tom"] and "Log a contact" in titles["tom"]
    assert not {"New project", "Log a contact", "New risk"} & titles["val"]
    assert "Status report" in titles["val"]  # reading is for everyone


def test_a_technician_may_mark_a_report_as_sent(team: Team) -> None:
    """Marking a report sent logs a contact, which a technician may do (`l` does the same)."""
    from itpm_tui.services.stakeholders import record_report_sent

    sid = _contacts(team)[0]
    assert record_report_sent(team.as_["tom"], team.pid, [sid], "executive", "md") == 1


def _contacts(team: Team) -> list[int]:
    from itpm_tui.storage.models import Stakeholder

    with team.as_["pat"].db.read() as session:
        return [s.id for s in session.exec(select(Stakeholder)).all() if s.id is not None]


async def test_a_form_the_role_may_not_save_opens_read_only(team: Team) -> None:
    """Enter on the risk register opens the risk for anyone; for a technician or a viewer
    the form has no Save, says why in one line, and neither ctrl+s nor enter writes."""
    from textual.widgets import Button, Static

    from itpm_tui.domain.risk import RiskDraft
    from itpm_tui.screens.risk_form import RiskForm
    from itpm_tui.services.risks import add_risk

    add_risk(team.as_["pat"], team.pid, RiskDraft(title="Licence late", probability=3, impact=3))
    said: dict[str, str] = {}
    for handle in ("pat", "tom", "val"):
        before = _activity(team)
        app = make_app(team.as_[handle], user=handle)
        async with app.run_test(size=(80, 24)) as pilot:
            await _keys("4", "enter")(pilot)
            form = app.screen
            assert isinstance(form, RiskForm)
            saves = form.query("#save").results(Button)
            notes = form.query("#form-read-only").results(Static)
            said[handle] = "".join(str(n.render()) for n in notes)
            assert bool(list(saves)) == (handle == "pat")
            form.query_one("#title").focus()
            await pilot.press("end", *" (edited)", "enter", "ctrl+s")
            await settle(pilot)
            if handle != "pat":
                assert app.screen is form  # still open: nothing was saved
        assert (_activity(team) > before) == (handle == "pat")
    assert said["pat"] == ""
    assert said["tom"] == (
        "Read-only for a technician/engineer: only a project manager may save this."
    )
    assert said["val"] == "Read-only for a viewer: only a project manager may save this."


async def test_budget_and_close_out_hints_name_only_the_keys_the_role_has(team: Team) -> None:
    def text(app: Any, selector: str) -> str:
        return str(app.screen.query_one(selector).render())

    seen: dict[str, tuple[str, str, str]] = {}
    for handle in ("pat", "tom"):
        app = make_app(team.as_[handle], user=handle)
        async with app.run_test(size=(160, 48)) as pilot:
            await _keys("3")(pilot)
            ledger = text(app, "#ledger-title")
            await _keys("1", "c")(pilot)
            seen[handle] = (ledger, text(app, "#gate"), text(app, "#lessons-text"))
    ledger, gate, lessons = seen["pat"]
    assert "a add · e edit · d delete · s sort · p project (FW-26)" in ledger
    assert "c offers to close with an override reason" in gate and "(l edits)" in lessons
    ledger, gate, lessons = seen["tom"]
    assert "s sort · p project (FW-26)" in ledger and "a add" not in ledger
    assert "d delete" not in ledger
    assert "NOT READY TO CLOSE" in gate and "c offers" not in gate
    assert "(l edits)" not in lessons
