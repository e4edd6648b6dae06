"""The risk register: filter and order rules, the services on a real SQLite file, and the Risks
screen driven by keys and the mouse."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from conftest import TODAY, make_app, settle, version_of
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import func, select
from textual.widgets import Input, Select, Static

from itpm_tui.domain.enums import RiskStatus
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.risk import (
    ACTIVE,
    ALL,
    STATUS_FILTERS,
    UNOWNED,
    RiskBand,
    RiskDraft,
    RiskFilter,
    RiskThresholds,
    band,
    band_range,
    effective_levels,
    heat_map,
    register_key,
)
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError
from itpm_tui.queries.risks import heat_counts, issues, register_rows, risk_owners, top_risks
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.conflict import ConflictDialog
from itpm_tui.screens.risk_form import RiskForm
from itpm_tui.screens.risks import OwnerPicker, RisksScreen
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.services.risks import add_risk, close_risk, update_risk
from itpm_tui.storage.models import Activity, Person, Project, Risk
from itpm_tui.widgets.heat_map import SMALL_CELL, SMALL_LABEL, HeatMap
from itpm_tui.widgets.risk_table import fit_columns

#: A day well before TODAY: risks whose review is already overdue were raised before it.
EARLIER = TODAY - timedelta(days=30)

levels = st.integers(min_value=1, max_value=5)
bands = st.sampled_from(list(RiskBand))
statuses = st.sampled_from([s.value for s in RiskStatus])


@st.composite
def thresholds(draw: st.DrawFn) -> RiskThresholds:
    medium = draw(st.integers(2, 23))
    high = draw(st.integers(medium + 1, 24))
    critical = draw(st.integers(high + 1, 25))
    return RiskThresholds(medium, high, critical)


@dataclass(frozen=True)
class Fake:
    """A risk as `RiskLike` sees it."""

    id: int
    project_id: int = 1
    project_code: str = "P-1"
    owner_id: int | None = None
    probability: int = 3
    impact: int = 3
    residual_probability: int | None = None
    residual_impact: int | None = None
    status: str = "open"
    review_date: date | None = None


@st.composite
def fakes(draw: st.DrawFn, ident: int = 1) -> Fake:
    assessed = draw(st.booleans())
    return Fake(
        id=ident,
        project_id=draw(st.integers(1, 3)),
        project_code=draw(st.sampled_from(["A-1", "B-2", "C-3"])),
        owner_id=draw(st.none() | st.integers(1, 3)),
        probability=draw(levels),
        impact=draw(levels),
        residual_probability=draw(levels) if assessed else None,
        residual_impact=draw(levels) if assessed else None,
        status=draw(statuses),
        review_date=draw(st.none() | st.dates(date(2026, 1, 1), date(2026, 6, 30))),
    )


risk_lists = st.lists(st.integers(), max_size=30).flatmap(
    lambda ids: st.tuples(*(fakes(i) for i in range(1, len(ids) + 1)))
)


# --- domain: bands as ranges, views, filters and order --------------------------------------


@given(thresholds())
def test_band_ranges_cover_the_scale_once_and_agree_with_band(t: RiskThresholds) -> None:
    seen: list[int] = []
    for which in RiskBand:
        scores = band_range(which, t)
        assert all(band(s, t) == which for s in scores)
        seen.extend(scores)
    assert sorted(seen) == list(range(1, 26))


def test_default_band_ranges() -> None:
    assert band_range(RiskBand.LOW) == range(1, 5)
    assert band_range(RiskBand.MEDIUM) == range(5, 10)
    assert band_range(RiskBand.HIGH) == range(10, 16)
    assert band_range(RiskBand.CRITICAL) == range(16, 26)


def test_residual_view_needs_both_residual_levels() -> None:
    assert effective_levels(4, 5, 2, 3, residual=False) == (4, 5)
    assert effective_levels(4, 5, 2, 3, residual=True) == (2, 3)
    assert effective_levels(4, 5, None, None, residual=True) == (4, 5)
    assert effective_levels(4, 5, 2, None, residual=True) == (4, 5)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "forgotten"}, "status"),
        ({"cell": (0, 3)}, "probability"),
        ({"cell": (2, 6)}, "impact"),
    ],
)
def test_a_filter_off_the_vocabulary_is_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RiskFilter(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_narrowed_ignores_the_project_and_the_view() -> None:
    assert not RiskFilter(project_id=4, residual=True).narrowed
    for changed in (
        {"owner_id": UNOWNED},
        {"band": RiskBand.LOW},
        {"status": ALL},
        {"cell": (1, 1)},
    ):
        assert RiskFilter(**changed).narrowed  # type: ignore[arg-type]
    assert RiskFilter(cell=(2, 2)).without_cell() == RiskFilter()


@given(fakes(), thresholds(), st.booleans())
def test_each_risk_is_in_exactly_one_band_and_one_cell(
    risk: Fake, t: RiskThresholds, residual: bool
) -> None:
    every = {"status": ALL, "residual": residual}
    in_bands = [b for b in RiskBand if RiskFilter(band=b, **every).matches(risk, t)]  # type: ignore[arg-type]
    cells = [
        (p, i)
        for p in range(1, 6)
        for i in range(1, 6)
        if RiskFilter(cell=(p, i), **every).matches(risk, t)  # type: ignore[arg-type]
    ]
    levels_now = effective_levels(
        risk.probability, risk.impact, risk.residual_probability, risk.residual_impact, residual
    )
    assert cells == [levels_now]
    assert in_bands == [band(levels_now[0] * levels_now[1], t)]


@given(fakes())
def test_status_filters(risk: Fake) -> None:
    assert RiskFilter(status=ALL).matches(risk)
    assert RiskFilter(status=ACTIVE).matches(risk) == (risk.status != "closed")
    singles = [s for s in STATUS_FILTERS if s not in (ACTIVE, ALL)]
    assert [s for s in singles if RiskFilter(status=s).matches(risk)] == [risk.status]


@given(fakes(), st.integers(1, 3))
def test_owner_filter_and_unowned(risk: Fake, owner: int) -> None:
    assert RiskFilter(owner_id=owner, status=ALL).matches(risk) == (risk.owner_id == owner)
    assert RiskFilter(owner_id=UNOWNED, status=ALL).matches(risk) == (risk.owner_id is None)


@given(risk_lists, st.booleans())
def test_register_order_is_by_score_then_status_then_review(
    risks: tuple[Fake, ...], residual: bool
) -> None:
    ordered = sorted(risks, key=lambda r: register_key(r, residual))
    keys = [register_key(r, residual) for r in ordered]
    scores = [-k[0] for k in keys]
    assert scores == sorted(scores, reverse=True)
    for a, b in itertools.pairwise(ordered):
        ka, kb = register_key(a, residual), register_key(b, residual)
        if ka[0] == kb[0]:
            assert ka[1] <= kb[1]  # occurred, open, watching, closed
            if ka[1] == kb[1]:
                assert ka[2] <= kb[2]  # earliest review first, none last
    assert len(set(keys)) == len(keys)  # a total order: every refresh the same


def test_occurred_comes_first_within_a_score() -> None:
    risks = [
        Fake(1, status="watching"),
        Fake(2, status="occurred", review_date=date(2026, 9, 1)),
        Fake(3, status="open", review_date=date(2026, 4, 1)),
        Fake(4, status="open"),
        Fake(5, probability=4),
    ]
    assert [r.id for r in sorted(risks, key=register_key)] == [5, 2, 3, 4, 1]


# --- services on a real SQLite file ----------------------------------------------------------


def _all_rows(ctx: Context) -> list:  # type: ignore[type-arg]
    return register_rows(ctx.db, TODAY, RiskFilter(status=ALL))


def test_register_rows_carry_code_owner_scores_and_are_ordered(demo_ctx: Context) -> None:
    rows = register_rows(demo_ctx.db, TODAY)
    assert rows and all(r.status != "closed" for r in rows)
    assert [register_key(r) for r in rows] == sorted(register_key(r) for r in rows)
    top = rows[0]
    assert (top.project_code, top.score, top.band) == ("MOVE-26", 16, RiskBand.CRITICAL)
    assert top.owner and top.residual_score == 8 and top.residual_band == RiskBand.MEDIUM
    porting = next(r for r in rows if r.status == "occurred")
    assert porting.project_code == "VOIP-25" and porting.contingency


def test_sql_filters_equal_the_domain_rule(demo_ctx: Context) -> None:
    """Every combination of filters gives in SQL exactly what `RiskFilter.matches` lets through."""
    ctx = demo_ctx
    pid = _project_id(ctx, "MOVE-26")
    add_risk(
        ctx,
        pid,
        RiskDraft(
            "Nobody owns this", 2, 4, raised_on=EARLIER, review_date=TODAY - timedelta(days=3)
        ),
    )
    everything = _all_rows(ctx)
    owners = [None, UNOWNED, everything[0].owner_id]
    strict = RiskThresholds(4, 8, 12)
    for project, owner, which, status, cell, residual in itertools.product(
        [None, pid],
        owners,
        [None, *RiskBand],
        STATUS_FILTERS,
        [None, (3, 3), (2, 4)],
        [False, True],
    ):
        flt = RiskFilter(project, owner, which, status, cell, residual)
        got = [r.id for r in register_rows(ctx.db, TODAY, flt, strict)]
        want = sorted(
            (r for r in everything if flt.matches(r, strict)),
            key=lambda r: register_key(r, residual),
        )
        assert got == [r.id for r in want], flt


def test_heat_counts_are_the_domain_heat_map_of_the_filtered_risks(demo_ctx: Context) -> None:
    everything = _all_rows(demo_ctx)
    for flt in (
        RiskFilter(),
        RiskFilter(residual=True),
        RiskFilter(status=ALL, band=RiskBand.MEDIUM),
        RiskFilter(cell=(3, 3)),  # the cell itself does not blank the rest of the map
    ):
        expected = heat_map(flt.levels(r) for r in everything if flt.without_cell().matches(r))
        assert heat_counts(demo_ctx.db, flt) == expected
    assert sum(heat_counts(demo_ctx.db).values()) == len(register_rows(demo_ctx.db, TODAY))


def test_configured_thresholds_band_the_rows(demo_ctx: Context) -> None:
    rows = register_rows(demo_ctx.db, TODAY, thresholds=RiskThresholds(3, 6, 9))
    assert {r.score: r.band for r in rows}[9] == RiskBand.CRITICAL
    flt = RiskFilter(band=RiskBand.CRITICAL)
    assert {r.score for r in register_rows(demo_ctx.db, TODAY, flt, RiskThresholds(3, 6, 9))} == {
        9,
        10,
        12,
        16,
    }


def test_overdue_reviews_are_flagged_but_never_for_closed_risks(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="NET-9", name="Network"))
    late = add_risk(
        ctx,
        pid,
        RiskDraft("Late review", 2, 2, raised_on=EARLIER, review_date=TODAY - timedelta(1)),
    )
    today = add_risk(ctx, pid, RiskDraft("Due today", 2, 2, review_date=TODAY))
    gone = add_risk(
        ctx,
        pid,
        RiskDraft(
            "Closed", 2, 2, status="closed", raised_on=EARLIER, review_date=TODAY - timedelta(9)
        ),
    )
    flags = {r.id: r.overdue for r in _all_rows(ctx)}
    assert flags == {late: True, today: False, gone: False}


def test_issues_are_the_occurred_risks(demo_ctx: Context) -> None:
    found = issues(demo_ctx.db, TODAY)
    assert [r.title for r in found] == ["Number porting delayed by the losing carrier"]
    assert issues(demo_ctx.db, TODAY, _project_id(demo_ctx, "FW-26")) == []


def test_top_risks_leave_out_closed_risks_and_archived_projects(demo_ctx: Context) -> None:
    ctx = demo_ctx
    top = top_risks(ctx.db, TODAY, limit=3)
    assert [r.score for r in top] == [16, 12, 10]
    with ctx.transaction() as tx:
        move = tx.get(Project, _project_id(ctx, "MOVE-26"))
        tx.update(move, {"archived": True}, expected_version=None)
    assert all(r.project_code != "MOVE-26" for r in top_risks(ctx.db, TODAY, limit=50))
    assert all(r.status != "closed" for r in top_risks(ctx.db, TODAY, limit=50))


def test_risk_owners_list_people_then_the_unowned(demo_ctx: Context) -> None:
    pid = _project_id(demo_ctx, "FW-26")
    add_risk(demo_ctx, pid, RiskDraft("Unowned", 1, 1))
    owners = risk_owners(demo_ctx.db, pid)
    assert owners[-1].id == UNOWNED and owners[-1].risks == 1
    assert [o.name for o in owners[:-1]] == sorted(o.name for o in owners[:-1])
    assert sum(o.risks for o in owners) == 4


def test_add_refuses_a_bad_draft_and_writes_nothing(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="FW-9", name="Firewall"))
    before = _counts(ctx)
    with pytest.raises(ValidationError) as caught:
        add_risk(ctx, pid, RiskDraft(" ", None, 7, residual_probability=2, owner_id=999))
    assert [p.field for p in caught.value.problems] == [
        "title",
        "probability",
        "impact",
        "residual_impact",
        "owner",
    ]
    assert _counts(ctx) == before


def test_a_review_before_the_day_raised_is_refused_when_raised_is_left_empty(
    ctx: Context,
) -> None:
    pid = create_project(ctx, ProjectDraft(code="FW-9", name="Firewall"))
    before = _counts(ctx)
    yesterday = TODAY - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:  # raised today, reviewed yesterday
        add_risk(ctx, pid, RiskDraft("Licence late", 3, 4, review_date=yesterday))
    assert [p.field for p in caught.value.problems] == ["review_date"]
    assert _counts(ctx) == before
    rid = add_risk(ctx, pid, RiskDraft("Licence late", 3, 4, raised_on=date(2026, 3, 10)))
    with pytest.raises(ValidationError) as caught:  # an empty raised date keeps 2026-03-10
        update_risk(ctx, rid, RiskDraft("Licence late", 3, 4, review_date=date(2026, 3, 9)), 1)
    assert [p.field for p in caught.value.problems] == ["review_date"]
    update_risk(ctx, rid, RiskDraft("Licence late", 3, 4, review_date=date(2026, 3, 10)), 1)
    assert _all_rows(ctx)[0].raised_on == date(2026, 3, 10)


def test_add_update_and_close_are_in_the_activity_log(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="FW-9", name="Firewall"))
    with ctx.transaction() as tx:
        owner = tx.create(Person(name="Priya Nair", handle="priya")).id
    draft = RiskDraft("Licence not delivered", 3, 4, category="vendor", owner_id=owner)
    rid = add_risk(ctx, pid, draft)
    row = _all_rows(ctx)[0]
    assert (row.raised_on, row.owner, row.version) == (TODAY, "Priya Nair", 1)
    changed = update_risk(
        ctx, rid, replace(draft, impact=5, contingency="Use the trial licence"), expected_version=1
    )
    assert changed == ["impact", "contingency"]
    assert close_risk(ctx, rid, expected_version=2)
    assert not close_risk(ctx, rid, expected_version=3)  # already closed: nothing written
    log = _log(ctx, rid)
    assert [(a.action, a.field, a.old_value, a.new_value) for a in log] == [
        ("create", "", "", ""),
        ("update", "impact", "4", "5"),
        ("update", "contingency", "", "Use the trial licence"),
        ("update", "status", "open", "closed"),
    ]
    assert {a.user for a in log} == {"tester"} and {a.project_id for a in log} == {pid}


def test_a_stale_edit_is_refused_and_the_colleagues_kept(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="FW-9", name="Firewall"))
    rid = add_risk(ctx, pid, RiskDraft("Licence late", 3, 4))
    update_risk(Context(ctx.db, "bob"), rid, RiskDraft("Licence late (Bob)", 3, 4), 1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        update_risk(ctx, rid, RiskDraft("Licence late (mine)", 3, 4), expected_version=1)
    with pytest.raises(ConflictError):
        close_risk(ctx, rid, expected_version=1)
    assert _all_rows(ctx)[0].title == "Licence late (Bob)"


def _project_id(ctx: Context, code: str) -> int:
    with ctx.db.read() as session:
        return int(session.exec(select(Project.id).where(Project.code == code)).one())  # type: ignore[arg-type]


def _counts(ctx: Context) -> tuple[int, int]:
    with ctx.db.read() as session:
        risks = session.exec(select(func.count()).select_from(Risk)).one()
        log = session.exec(select(func.count()).select_from(Activity)).one()
    return int(risks), int(log)


def _log(ctx: Context, risk_id: int) -> list[Activity]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(Activity)
                .where(Activity.entity == "risk", Activity.entity_id == risk_id)
                .order_by(Activity.id)  # type: ignore[arg-type]
            )
        )


# --- widgets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 78, 88, 120, 158])
@pytest.mark.parametrize("portfolio", [False, True])
def test_register_columns_fit_the_width(width: int, portfolio: bool) -> None:
    columns, widths, _ = fit_columns(width, portfolio=portfolio)
    keys = [c.key for c in columns]
    assert {"score", "title", "status", "review"} <= set(keys)
    assert ("code" in keys) == portfolio
    used = sum(widths[k] + 2 for k in keys)  # each column has a cell of padding either side
    assert used == width or widths["title"] == 12  # the title takes what is left
    optional = [k for k in keys if k not in ("score", "code", "title", "status", "review")]
    assert widths["title"] >= 20 or not optional


def test_more_columns_on_a_wider_table() -> None:
    narrow = [c.key for c in fit_columns(78, portfolio=False)[0]]
    wide = [c.key for c in fit_columns(158, portfolio=False)[0]]
    assert set(narrow) < set(wide) and {"owner", "category", "response"} <= set(wide)


# --- the screen --------------------------------------------------------------------------------


def _screen(app: object) -> RisksScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RisksScreen)
    return screen


def _titles(app: object) -> list[str]:
    return [r.title for r in _screen(app).table.rows_shown]


def _text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def _open(pilot: object, *keys: str) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("4")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    for key in keys:
        await pilot.press(key)  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]


async def test_key_4_shows_the_register_map_detail_and_issues(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")  # every project
        screen = _screen(app)
        table = screen.table
        assert table.row_count == 13 and screen.table.has_focus
        first = table.get_row_at(0)
        assert first[0].plain == "16 CRIT" and first[1].plain == "MOVE-26"
        assert "⚠ ISSUE" in _text(app, "#issues")
        assert "Temporary call divert" in _text(app, "#issues")
        assert "MOVE-26 #10" in _text(app, "#risk-detail")
        assert "Contingency:" in _text(app, "#risk-detail")
        assert "All projects · 13 risks" in _text(app, "#filters")
        grid = str(screen.heat_map.render())
        assert "P4   · L   · M   · H   1 C   · C" in grid  # counts and band letters


async def test_the_project_follows_projects_and_p_picks_another(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        screen = _screen(app)
        code = screen.data.code  # type: ignore[union-attr]
        assert {r.project_code for r in screen.table.rows_shown} <= {code}
        await pilot.press("p", *"VOIP-25", "enter")
        await settle(pilot)
        assert {r.project_code for r in screen.table.rows_shown} == {"VOIP-25"}
        assert "VOIP-25 · 3 risks" in _text(app, "#filters")
        await pilot.press("a")
        await settle(pilot)
        assert len(screen.table.rows_shown) == 13
        await pilot.press("a")
        await settle(pilot)
        assert len(screen.table.rows_shown) == 3


async def test_status_band_and_owner_filters_then_clear(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        await pilot.press("b")  # critical
        await settle(pilot)
        assert [r.score for r in screen.table.rows_shown] == [16]
        assert "band critical" in _text(app, "#filters") and "✕ c clears" in _text(app, "#filters")
        await pilot.press("b")  # high
        await settle(pilot)
        assert [r.score for r in screen.table.rows_shown] == [12, 10]
        await pilot.press("c", "s", "s", "s", "s")  # active → open → watching → occurred → closed
        await settle(pilot)
        assert {r.status for r in screen.table.rows_shown} == {"closed"}
        assert len(screen.table.rows_shown) == 4
        await pilot.press("c", "o")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, OwnerPicker)
        await pilot.press("down", "enter")  # the first owner by name
        await settle(pilot)
        owner = picker.owners[0]
        assert {r.owner for r in screen.table.rows_shown} == {owner.name}
        assert f"owner {owner.name}" in _text(app, "#filters")
        await pilot.press("c")
        await settle(pilot)
        assert len(screen.table.rows_shown) == 13


async def test_heat_map_cell_by_keys_enter_and_escape(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        await pilot.press("m")
        assert screen.heat_map.has_focus and screen.heat_map.cursor == (3, 3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.cell == (3, 3)
        assert len(screen.table.rows_shown) == 5
        assert all((r.probability, r.impact) == (3, 3) for r in screen.table.rows_shown)
        assert "cell P3×I3" in _text(app, "#filters")
        assert "esc: cell" in _text(app, "#filters")
        await pilot.press("up", "right", "enter")  # P4 × I4: the critical risk
        await settle(pilot)
        assert [r.score for r in screen.table.rows_shown] == [16]
        await pilot.press("enter")  # the chosen cell again: shows all
        await settle(pilot)
        assert screen.cell is None and len(screen.table.rows_shown) == 13
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert screen.cell is None and len(screen.table.rows_shown) == 13


async def test_heat_map_cell_by_mouse(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        # Probability 2 is the fourth row under the title; impact 4 the fourth column.
        x = SMALL_LABEL + 3 * SMALL_CELL + 2
        await pilot.click(HeatMap, offset=(x + 1, 4))  # the map has one cell of left padding
        await settle(pilot)
        assert screen.cell == (2, 4)
        assert {(r.probability, r.impact) for r in screen.table.rows_shown} == {(2, 4)}
        assert len(screen.table.rows_shown) == 2


async def test_residual_toggle_redraws_the_map_and_reorders(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        assert screen.heat_map.counts[(4, 4)] == 1
        await pilot.press("r")
        await settle(pilot)
        assert screen.heat_map.residual and screen.heat_map.counts[(4, 4)] == 0
        assert str(screen.heat_map.render()).startswith("Residual · 13 risks")
        shown = screen.table.rows_shown
        residual = [r.residual_score or r.score for r in shown]
        assert residual == sorted(residual, reverse=True)
        assert "residual" in _text(app, "#filters")
        assert "Resid▼" in [str(c.label) for c in screen.table.columns.values()]


async def test_add_with_a_validation_error_then_save(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("p", *"FW-26", "enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RiskForm)
        form.query_one("#probability", Select).value = 4
        form.query_one("#residual-probability", Select).value = 2
        form.query_one("#review-date", Input).value = "next week"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RiskForm)
        assert "must not be empty" in str(form.query_one("#err-title", Static).render())
        assert "is required" in str(form.query_one("#err-impact", Static).render())
        assert "not a date" in str(form.query_one("#err-review-date", Static).render())
        assert "together with" in str(form.query_one("#err-residual-impact", Static).render())
        form.query_one("#title", Input).value = "Firmware bug in the new cluster"
        form.query_one("#impact", Select).value = 5
        form.query_one("#residual-impact", Select).value = 3
        form.query_one("#review-date", Input).value = "2026-03-25"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = _screen(app)
        row = screen.table.selected_row
        assert row is not None and row.title == "Firmware bug in the new cluster"
        assert (row.score, row.band, row.residual_score) == (20, RiskBand.CRITICAL, 6)
        assert row.project_code == "FW-26" and row.raised_on == TODAY


async def test_a_review_before_today_is_reported_with_the_other_problems(ctx: Context) -> None:
    create_project(ctx, ProjectDraft(code="FW-9", name="Firewall"))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RiskForm)
        form.query_one("#title", Input).value = "Licence late"
        form.query_one("#review-date", Input).value = "2026-03-01"  # raised on: empty (today)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "is required" in str(form.query_one("#err-probability", Static).render())
        assert "must not be before" in str(form.query_one("#err-review-date", Static).render())


async def test_edit_saves_and_a_stale_edit_shows_the_conflict(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        row = screen.table.selected_row
        assert row is not None
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RiskForm)
        form.query_one("#status", Select).value = "watching"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _screen(app).table.selected_row.status == "watching"  # type: ignore[union-attr]
        await pilot.press("enter")  # enter edits too
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RiskForm)
        update_risk(
            Context(demo_ctx.db, "bob"),
            row.id,
            replace(row.draft(), title="Bob's"),
            version_of(demo_ctx.db, Risk, row.id),
        )
        form.query_one("#trigger", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)  # what Bob changed, and a choice
        await pilot.press("escape")  # neither: back to the form
        await settle(pilot)
        assert isinstance(app.screen, RiskForm)
        assert "changed by someone else" in str(form.query_one("#form-error").render())
    assert [r.title for r in _all_rows(demo_ctx) if r.id == row.id] == ["Bob's"]


async def test_close_asks_first_then_closes(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        row = screen.table.selected_row
        assert row is not None
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert row.id in [r.id for r in screen.table.rows_shown]
        await pilot.press("x", "y")
        await settle(pilot)
        screen.reload()
        await settle(pilot)
        assert row.id not in [r.id for r in screen.table.rows_shown]
    log = _log(demo_ctx, row.id)
    assert [(a.field, a.new_value) for a in log] == [("status", "closed")]


async def test_changes_swap_in_with_g_on_a_narrow_screen(demo_ctx: Context) -> None:
    from itpm_tui.widgets.change_panel import ChangePanel

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        panel = screen.query_one(ChangePanel)
        assert not panel.display and screen.table.display
        await pilot.press("g")
        await settle(pilot)
        assert panel.display and not screen.table.display and panel.has_focus_within
        assert len(panel.rows) == 8
        await pilot.press("g")
        assert screen.table.display and screen.table.has_focus
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        assert screen.query_one(ChangePanel).display and screen.table.display


async def test_risk_keys_rest_while_the_change_log_hides_the_register(
    demo_ctx: Context,
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        await pilot.press("g")
        await settle(pilot)
        assert not screen.table.display
        shown = {b.binding.action for b in screen.active_bindings.values() if b.node is screen}
        assert "close_risk" not in shown and "portfolio" in shown
        await pilot.press("x")  # no question about a risk the user cannot see
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("g", "x")  # back on the register: x asks again
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)


async def test_configured_bands_show_on_the_screen(demo_ctx: Context) -> None:
    app = make_app(demo_ctx, risk_medium=3, risk_high=6, risk_critical=9)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        cells = [_screen(app).table.get_row_at(i)[0].plain for i in range(4)]
        assert cells == ["16 CRIT", "12 CRIT", "10 CRIT", " 9 CRIT"]


async def test_user_text_is_shown_literally(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="EV-1", name="Evil"))
    title = "[bold]x[/] \x1b]52;c;AAAA\x07"
    rid = add_risk(ctx, pid, RiskDraft("x", 3, 3, contingency="[red]run[/]", status="occurred"))
    with ctx.db.write() as session:  # as anyone with the file could: every way in refuses it
        session.get_one(Risk, rid).title = title
    app = make_app(ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot)
        table = _screen(app).table
        cell = table.get_row_at(0)[1]
        assert cell.plain == "[bold]x[/] \\x1b]52;c;AAAA\\x07"
        assert not cell.spans
        detail = _text(app, "#risk-detail")
        assert "[bold]x[/] \\x1b]52;c;AAAA\\x07" in detail and "\x1b" not in detail
        assert "[red]run[/]" in _text(app, "#issues")


async def test_help_describes_bands_and_keys(ctx: Context) -> None:
    from itpm_tui.screens.help import HelpScreen

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        assert "No projects yet" in _text(app, "#risk-detail")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {key for key, _ in app.screen._key_rows()}
        assert {"n", "e", "x", "a", "r", "m", "g", "s", "b", "o", "c"} <= keys


def test_large_map_cells_are_found_under_the_pointer() -> None:
    from itpm_tui.widgets.heat_map import LARGE_CELL, LARGE_LABEL

    heat = HeatMap()
    heat.large = True
    assert heat.cell_at(LARGE_LABEL, 1) == (5, 1)  # the top line of the top-left cell
    assert heat.cell_at(LARGE_LABEL + 4 * LARGE_CELL + 3, 10) == (1, 5)  # its band-word line
    assert heat.cell_at(LARGE_LABEL - 1, 3) is None  # the level names
    assert heat.cell_at(LARGE_LABEL, 0) is None  # the title
    assert heat.cell_at(LARGE_LABEL, 11) is None  # the impact axis


async def test_overdue_reviews_are_flagged_in_words(ctx: Context) -> None:
    pid = create_project(ctx, ProjectDraft(code="NET-9", name="Network"))
    add_risk(
        ctx,
        pid,
        RiskDraft("Review slipped", 2, 2, raised_on=EARLIER, review_date=TODAY - timedelta(days=2)),
    )
    add_risk(ctx, pid, RiskDraft("Reviewed on time", 2, 2, review_date=TODAY))
    for size, cell in (((80, 24), "⚠ OVERDUE"), ((160, 48), "2026-03-16 ⚠ OVERDUE")):
        app = make_app(ctx)
        async with app.run_test(size=size) as pilot:
            await _open(pilot)
            table = _screen(app).table
            review = [table.get_row_at(i)[-1].plain for i in range(2)]
            assert review == [cell, "2026-03-18"]
            assert "⚠ 1 review overdue" in _text(app, "#filters")
            assert "⚠ OVERDUE" in _text(app, "#risk-detail")


async def test_the_layout_follows_a_resize(demo_ctx: Context) -> None:
    from itpm_tui.widgets.change_panel import ChangePanel

    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "a")
        screen = _screen(app)
        narrow = [str(c.label) for c in screen.table.columns.values()]
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert screen.heat_map.large and screen.query_one(ChangePanel).display
        wide = [str(c.label) for c in screen.table.columns.values()]
        assert "Owner" in wide and "Owner" not in narrow
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not screen.heat_map.large and not screen.query_one(ChangePanel).display


def test_review_dates_beside_the_mark_only_when_a_review_is_overdue() -> None:
    for width in (88, 120, 158):
        _, widths, wide_review = fit_columns(width, portfolio=False, overdue=False)
        assert not wide_review and widths["review"] == 10
    _, widths, wide_review = fit_columns(88, portfolio=False, overdue=True)
    assert wide_review and widths["review"] == 20
