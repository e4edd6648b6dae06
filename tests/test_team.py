"""People: the one validator, the weekly load, the services and the Team screen."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import TODAY, make_app, settle
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.people import (
    LoadTask,
    PersonDraft,
    coming_weeks,
    load_text,
    read_person,
    role_choice,
    spread_hours,
    validate_person,
    weekly_load,
)
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.services.context import Context
from itpm_tui.services.people import add_person, set_active, update_person
from itpm_tui.storage.models import Activity, Person, Project, Task

MONDAY = date(2026, 3, 16)  # the week of TODAY


# -- validation ---------------------------------------------------------------------------------


def test_valid_person_is_normalised() -> None:
    clean = validate_person(
        PersonDraft(
            " Ana Berg ",
            " A.Berg ",
            "project manager",
            " ana@example.com ",
            "",
            "x",
            Decimal("37.5"),
            Decimal("85.00"),
            "eur",
        )
    )
    assert (clean.name, clean.handle, clean.email) == ("Ana Berg", "a.berg", "ana@example.com")


@pytest.mark.parametrize(
    ("field", "changes", "rule"),
    [
        ("name", {"name": " "}, "must not be empty"),
        ("handle", {"handle": ""}, "must not be empty"),
        ("handle", {"handle": "ana berg"}, "lowercase letters, digits"),
        ("handle", {"handle": "x" * 41}, "at most 40"),
        ("email", {"email": "ana@"}, "not an e-mail"),
        ("weekly capacity", {"weekly_capacity_hours": Decimal(0)}, "more than 0"),
        ("weekly capacity", {"weekly_capacity_hours": Decimal("168.5")}, "at most 168"),
        ("weekly capacity", {"weekly_capacity_hours": Decimal("37.555")}, "2 decimal places"),
        ("cost rate", {"cost_rate": Decimal("-1")}, "must not be negative"),
    ],
)
def test_each_rule_names_its_field(field: str, changes: dict[str, object], rule: str) -> None:
    draft = PersonDraft("Ana", "ana")
    for name, value in changes.items():
        setattr(draft, name, value)
    with pytest.raises(ValidationError) as err:
        validate_person(draft)
    assert err.value.field == field
    assert rule in err.value.rule


def test_typed_numbers_are_read_and_every_problem_told() -> None:
    draft = read_person(name="Ana", handle="ana", capacity="37.5", rate="1,085.50")
    assert draft.weekly_capacity_hours == Decimal("37.5")
    assert draft.cost_rate == Decimal("1085.50")
    with pytest.raises(ValidationError) as err:
        read_person(name="", handle="Ana!", capacity="lots", rate="8.123")
    fields = [p.field for p in err.value.problems]
    assert fields == ["weekly capacity", "cost rate", "name", "handle"]


@given(st.text(max_size=50))
def test_a_handle_is_accepted_exactly_when_it_follows_the_rule(handle: str) -> None:
    wanted = handle.strip().lower()
    ok = (
        bool(wanted)
        and len(wanted) <= 40
        and set(wanted) <= set("abcdefghijklmnopqrstuvwxyz0123456789._-")
    )
    try:
        clean = validate_person(PersonDraft("Ana", handle))
    except ValidationError as exc:
        assert not ok
        assert exc.field == "handle"
    else:
        assert ok
        assert clean.handle == wanted


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-500, max_value=500))
def test_capacity_must_be_a_working_week(hours: Decimal) -> None:
    draft = PersonDraft("Ana", "ana", weekly_capacity_hours=hours)
    if 0 < hours <= 168:  # the strategy gives at most 2 decimal places
        assert validate_person(draft).weekly_capacity_hours == hours
    else:
        with pytest.raises(ValidationError, match="weekly capacity"):
            validate_person(draft)


def test_roles_typed_loosely_become_the_offered_ones() -> None:
    assert role_choice("PM") == "project manager"
    assert role_choice("Technician") == "technician/engineer"
    assert role_choice("Network architect") == "Network architect"
    assert read_person(name="Dan", handle="dan", role=" pm ").role == "project manager"


# -- load ---------------------------------------------------------------------------------------

CAL = WorkCalendar()


def test_hours_spread_evenly_over_working_days_only() -> None:
    # Thu 19 Mar → Wed 25 Mar: Thu, Fri | Mon, Tue, Wed = 5 working days, 8 h each.
    task = LoadTask(date(2026, 3, 19), date(2026, 3, 25), Decimal(40))
    spread = spread_hours(task, CAL, TODAY)
    assert spread == {MONDAY: Decimal(16), MONDAY + timedelta(7): Decimal(24)}


def test_holidays_take_no_hours() -> None:
    holiday = WorkCalendar([date(2026, 3, 20)])  # the Friday
    task = LoadTask(date(2026, 3, 19), date(2026, 3, 25), Decimal(40))
    spread = spread_hours(task, holiday, TODAY)
    assert spread == {MONDAY: Decimal(10), MONDAY + timedelta(7): Decimal(30)}


def test_remaining_hours_spread_from_today_and_late_work_lands_now() -> None:
    started = LoadTask(date(2026, 3, 9), date(2026, 3, 20), Decimal(80), Decimal(9))
    # Wed 18 → Fri 20: 3 days of the 9 remaining hours.
    assert spread_hours(started, CAL, TODAY) == {MONDAY: Decimal(9)}
    late = LoadTask(date(2026, 3, 2), date(2026, 3, 6), Decimal(20), percent_complete=50)
    assert spread_hours(late, CAL, TODAY) == {MONDAY: Decimal(10)}
    undated = LoadTask(None, None, Decimal(20))
    assert spread_hours(undated, CAL, TODAY) == {}


def test_weekly_load_sums_tasks_into_the_asked_weeks() -> None:
    weeks = coming_weeks(TODAY, 3)
    assert weeks == [MONDAY, MONDAY + timedelta(7), MONDAY + timedelta(14)]
    tasks = [
        (LoadTask(date(2026, 3, 23), date(2026, 3, 27), Decimal(40)), CAL),
        (LoadTask(date(2026, 3, 23), date(2026, 3, 24), Decimal(12)), CAL),
        (LoadTask(date(2026, 5, 4), date(2026, 5, 8), Decimal(40)), CAL),  # beyond the weeks
    ]
    assert weekly_load(tasks, weeks, TODAY) == [Decimal(0), Decimal(52), Decimal(0)]


@given(
    st.integers(0, 60),
    st.integers(0, 40),
    st.decimals(min_value=1, max_value=500, places=2, allow_nan=False),
)
def test_spreading_keeps_every_hour(offset: int, length: int, hours: Decimal) -> None:
    start = TODAY + timedelta(days=offset)
    task = LoadTask(start, start + timedelta(days=length), hours)
    total = sum(spread_hours(task, CAL, TODAY).values(), Decimal(0))
    assert abs(total - hours) < Decimal("0.0001")


def test_over_capacity_is_written_not_coloured() -> None:
    assert load_text(Decimal(52), Decimal(40)) == ("▲ 52/40", True)
    assert load_text(Decimal("32.4"), Decimal("37.5")) == ("32/37.5", False)


# -- services -----------------------------------------------------------------------------------


def _activity(ctx: Context) -> list[tuple[str, str, str]]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(Activity).where(col(Activity.entity) == "person").order_by(col(Activity.id))
        ).all()
        return [(a.action, a.field, a.new_value) for a in rows]


def test_add_edit_retire_each_logged(ctx: Context) -> None:
    pid = add_person(ctx, read_person(name="Ana Berg", handle="a.berg", rate="85"))
    assert _activity(ctx) == [("create", "", "")]
    changed = update_person(
        ctx, pid, read_person(name="Ana Berg", handle="a.berg", capacity="32", rate="85"), 1
    )
    assert changed == ["weekly_capacity_hours"]
    set_active(ctx, pid, False, 2)
    with ctx.db.read() as session:
        person = session.get(Person, pid)
        assert person is not None
        assert (person.active, person.version, person.weekly_capacity_hours) == (
            False,
            3,
            Decimal(32),
        )
    assert [a for a, *_ in _activity(ctx)] == ["create", "update", "update", "retire"]
    set_active(ctx, pid, True, 3)
    assert _activity(ctx)[-1][0] == "reactivate"


def test_a_taken_handle_is_refused_with_who_has_it(ctx: Context) -> None:
    add_person(ctx, read_person(name="Ana Berg", handle="ana"))
    with pytest.raises(ValidationError, match="already used by Ana Berg") as err:
        add_person(ctx, read_person(name="Ana Other", handle="ANA"))
    assert err.value.field == "handle"
    other = add_person(ctx, read_person(name="Bo", handle="bo"))
    with pytest.raises(ValidationError, match="already used"):
        update_person(ctx, other, read_person(name="Bo", handle="ana"), 1)
    with ctx.db.read() as session:
        assert len(session.exec(select(Person)).all()) == 2


def test_a_stale_edit_is_refused_and_theirs_kept(ctx: Context) -> None:
    pid = add_person(ctx, read_person(name="Ana", handle="ana"))
    update_person(ctx, pid, read_person(name="Ana B", handle="ana"), 1)
    with pytest.raises(ConflictError):
        update_person(ctx, pid, read_person(name="Ana C", handle="ana"), 1)
    with pytest.raises(ConflictError):
        set_active(ctx, pid, False, 1)
    with ctx.db.read() as session:
        person = session.get(Person, pid)
        assert person is not None and (person.name, person.active) == ("Ana B", True)


# -- the Team screen ----------------------------------------------------------------------------


async def test_from_an_empty_database_add_edit_retire(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        from textual.widgets import Input, Static

        from itpm_tui.screens.person_form import PersonForm
        from itpm_tui.screens.team import EMPTY, TeamScreen

        screen = app.screen
        assert isinstance(screen, TeamScreen)
        empty = screen.query_one("#team-empty", Static)
        assert empty.display and str(empty.render()) == EMPTY
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PersonForm)
        form.query_one("#name", Input).value = "Ana Berg"
        form.query_one("#handle", Input).value = "Ana Berg"
        form.query_one("#capacity", Input).value = "200"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.is_current  # refused: both rules shown beside their fields
        assert "lowercase" in str(form.query_one("#err-handle", Static).render())
        assert "168" in str(form.query_one("#err-capacity", Static).render())
        form.query_one("#handle", Input).value = "a.berg"
        form.query_one("#capacity", Input).value = "32"
        form.query_one("#rate", Input).value = "85"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.is_current
        assert not empty.display
        [row] = screen.table.rows_shown
        assert (row.name, row.handle, row.capacity) == ("Ana Berg", "a.berg", Decimal(32))

        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PersonForm)
        assert form.query_one("#handle", Input).value == "a.berg"
        form.query_one("#name", Input).value = "Ana Berg-Lund"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.table.rows_shown[0].name == "Ana Berg-Lund"

        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert screen.table.rows_shown == []
        assert "1 retired hidden" in str(screen.query_one("#team-summary", Static).render())
        await pilot.press("v")
        await settle(pilot)
        [retired] = screen.table.rows_shown
        assert not retired.active
    with ctx.db.read() as session:
        person = session.exec(select(Person)).one()
        assert (person.name, person.active) == ("Ana Berg-Lund", False)


def overloaded_team(ctx: Context) -> None:
    """Two people; Priya has 52 hours planned next week against 40."""
    priya = add_person(
        ctx, read_person(name="Priya Nair", handle="priya", role="engineer", rate="98")
    )
    add_person(
        ctx,
        read_person(
            name="Sofia Patel",
            handle="sofia",
            role="VoIP engineer",
            capacity="37.5",
            rate="72",
            currency="GBP",
        ),
    )
    add_person(ctx, read_person(name="Dan Hughes", handle="dan", role="pm", rate="45"))
    with ctx.transaction() as tx:
        project = tx.create(Project(code="FW-26", name="Firewall"))
        for name, start, finish, hours in (
            ("Cut-over", date(2026, 3, 23), date(2026, 3, 27), 40),
            ("Rules review", date(2026, 3, 23), date(2026, 3, 24), 12),
            ("Clean-up", date(2026, 3, 18), date(2026, 4, 10), 72),
        ):
            tx.create(
                Task(
                    project_id=project.id,
                    name=name,
                    planned_start=start,
                    planned_finish=finish,
                    estimate_hours=Decimal(hours),
                    assignee_id=priya,
                )
            )


async def test_an_over_allocated_week_is_marked_in_words(ctx: Context) -> None:
    overloaded_team(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        from textual.widgets import Static

        from itpm_tui.screens.team import TeamScreen

        screen = app.screen
        assert isinstance(screen, TeamScreen)
        assert screen.data is not None and len(screen.data.team.weeks) == 4
        table = screen.table
        priya = next(p for p in table.rows_shown if p.handle == "priya")
        cells = [str(c) for c in table.get_row(str(priya.id))]
        # Clean-up: 72 h over 18 working days = 4 h a day; next week also 40 + 12 h.
        assert cells[-4:] == ["12/40", "▲ 72/40", "20/40", "20/40"]
        summary = str(screen.query_one("#team-summary", Static).render())
        assert "▲ 1 over capacity in the next 4 weeks" in summary


def test_team_query_leaves_out_done_summary_and_closed_work(ctx: Context) -> None:
    from itpm_tui.queries.team import team

    overloaded_team(ctx)
    with ctx.transaction() as tx:
        closed = tx.create(Project(code="OLD-1", name="Old", status="closed"))
        priya = tx.session.exec(select(Person).where(col(Person.handle) == "priya")).one()
        tx.create(
            Task(
                project_id=closed.id,
                name="Old work",
                planned_start=date(2026, 3, 23),
                planned_finish=date(2026, 3, 27),
                estimate_hours=Decimal(40),
                assignee_id=priya.id,
            )
        )
        tx.create(Task(project_id=closed.id, name="Undated", assignee_id=priya.id))
    result = team(ctx.db, TODAY, 2)
    row = next(p for p in result.people if p.handle == "priya")
    assert row.open_tasks == 3
    assert row.load == (Decimal(12), Decimal(72))
    assert row.over() == [1]
    assert [p.name for p in result.people] == ["Dan Hughes", "Priya Nair", "Sofia Patel"]


async def test_a_wide_screen_shows_a_quarter_of_weeks(ctx: Context) -> None:
    overloaded_team(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        from itpm_tui.screens.team import TeamScreen

        screen = app.screen
        assert isinstance(screen, TeamScreen)
        assert screen.data is not None and len(screen.data.team.weeks) == 12
        labels = [str(c.label) for c in screen.table.columns.values()]
        assert labels[:6] == ["Name", "Handle", "Role", "h/wk", "Rate/h", "Active"]
        assert labels[6].strip() == "16 Mar" and labels[-1].strip() == "1 Jun"
        priya = next(p for p in screen.table.rows_shown if p.handle == "priya")
        cells = [str(c) for c in screen.table.get_row(str(priya.id))]
        assert cells[2:6] == ["tech/engineer", "40", "EUR 98.00", "✓ yes"]


async def test_help_explains_the_load(ctx: Context) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        from textual.widgets import Markdown

        from itpm_tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert "how loaded they are" in text and "`7` Team" in text


# -- the load as the Team screen reads it: the same figures as `weekly_load` -----------------

_DAYS = st.integers(min_value=-60, max_value=400).map(lambda n: TODAY + timedelta(days=n))
_HOURS = st.decimals(min_value=0, max_value=500, places=2)
_TASKS = st.lists(
    st.tuples(
        st.one_of(st.none(), _DAYS),
        st.integers(min_value=0, max_value=200),
        _HOURS,
        _HOURS,
        st.integers(min_value=0, max_value=100),
        st.integers(min_value=0, max_value=2),
    ),
    max_size=30,
)
_CALENDARS = [
    WorkCalendar(),
    WorkCalendar([date(2026, 3, 19), date(2026, 4, 6), date(2026, 12, 25)]),
    WorkCalendar([TODAY + timedelta(days=n) for n in range(0, 40, 3)]),
]


@given(tasks=_TASKS, weeks=st.integers(min_value=0, max_value=12))
def test_load_in_the_weeks_shown_is_the_domain_load_exactly(
    tasks: list[tuple[date | None, int, Decimal, Decimal, int, int]], weeks: int
) -> None:
    """The screen's load (only the weeks shown, spans counted once) equals `weekly_load` of
    the same tasks Decimal for Decimal: undated, late, long, holiday-only and empty tasks."""
    from itpm_tui.queries.team import Span, load_in_weeks

    mondays = coming_weeks(TODAY, weeks)
    loads = [
        (
            LoadTask(start, None if start is None else start + timedelta(days=length), e, r, pct),
            _CALENDARS[which],
        )
        for start, length, e, r, pct, which in tasks
    ]
    spans: dict[tuple[int, date, date], Span] = {}
    assert load_in_weeks(loads, mondays, TODAY, spans) == weekly_load(loads, mondays, TODAY)
    assert load_in_weeks(loads, mondays, TODAY) == weekly_load(loads, mondays, TODAY)


def test_team_load_matches_the_domain_spread_of_every_open_task(ctx: Context) -> None:
    """On generated work (people, projects with and without their own holidays, tasks late,
    current, long and far ahead), the team's load is `weekly_load` of every open leaf task
    read whole — though the query reads only tasks starting in the weeks shown."""
    import random

    from itpm_tui.domain.calendar import WorkCalendar as Calendar
    from itpm_tui.queries.team import team
    from itpm_tui.storage.models import Holiday

    rng = random.Random(15)
    with ctx.transaction() as tx:
        people = [
            tx.create(Person(name=f"P{i}", handle=f"p{i}", weekly_capacity_hours=Decimal(40)))
            for i in range(6)
        ]
        tx.create(Holiday(day=date(2026, 4, 6), name="Easter Monday"))
        projects = []
        for i in range(4):
            project = tx.create(Project(code=f"G-{i}", name=f"G {i}", status="active"))
            projects.append(project)
            if i % 2:
                tx.create(Holiday(project_id=project.id, day=date(2026, 3, 25), name="Own"))
        for _ in range(150):
            start = TODAY + timedelta(days=rng.randint(-90, 200))
            tx.create(
                Task(
                    project_id=rng.choice(projects).id,
                    name="Work",
                    planned_start=start,
                    planned_finish=start + timedelta(days=rng.choice([0, 2, 4, 11, 30, 120])),
                    estimate_hours=Decimal(rng.randint(1, 4000)) / 10,
                    remaining_hours=Decimal(rng.choice([0, 0, rng.randint(1, 900)])) / 10,
                    percent_complete=rng.randint(0, 100),
                    status=rng.choice(["todo", "in progress", "blocked", "done"]),
                    assignee_id=rng.choice(people).id,
                )
            )
    with ctx.db.read() as session:
        holidays = list(session.exec(select(Holiday)).all())
        tasks = list(session.exec(select(Task).where(col(Task.status) != "done")).all())
    for weeks in (1, 4, 12):
        mondays = coming_weeks(TODAY, weeks)
        shown = {p.id: p.load for p in team(ctx.db, TODAY, weeks).people}
        for person in people:
            mine = []
            for t in tasks:
                if t.assignee_id == person.id:
                    own = [h.day for h in holidays if h.project_id in (None, t.project_id)]
                    load = LoadTask(
                        t.planned_start,
                        t.planned_finish,
                        t.estimate_hours,
                        t.remaining_hours,
                        t.percent_complete,
                    )
                    mine.append((load, Calendar(own)))
            expected = tuple(weekly_load(mine, mondays, TODAY))
            assert shown[person.id] == expected
            assert any(expected) or weeks == 1
