"""The Budget screen: figures from SQL checked by hand, paging, and the screen driven by keys."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from conftest import TODAY, make_app, settle
from sqlmodel import select
from textual.widgets import Input, Select, Static

from itpm_tui.domain.ledger import EntryDraft
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.queries.budget import (
    budget_burndown,
    budget_summary,
    ledger_count,
    ledger_index_of,
    ledger_page,
    portfolio_budget,
    spend_curve,
)
from itpm_tui.screens.budget import BudgetScreen
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.conflict import ConflictDialog
from itpm_tui.screens.entry_form import EntryForm
from itpm_tui.services.context import Context
from itpm_tui.services.ledger import add_entry, update_entry
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import BudgetLine, LedgerEntry, ProgressSnapshot, Project, Task
from itpm_tui.widgets.budget_charts import BudgetBurndownChart, SpendChart
from itpm_tui.widgets.ledger_table import LedgerTable

D = Decimal


def _project(ctx: Context, code: str, currency: str, lines: dict[str, str]) -> int:
    pid = create_project(ctx, ProjectDraft(code=code, name=f"{code} project", currency=currency))
    with ctx.transaction() as tx:
        for category, amount in lines.items():
            tx.create(BudgetLine(project_id=pid, category=category, amount=D(amount)))
    return pid


def _entry(ctx: Context, pid: int, category: str, amount: str, kind: str = "actual", **kw):  # type: ignore[no-untyped-def]
    draft = EntryDraft(
        entry_date=kw.pop("day", date(2026, 3, 10)),
        vendor=kw.pop("vendor", "Vendor"),
        category=category,
        description="",
        amount=amount,
        kind=kind,
        **kw,
    )
    return add_entry(ctx, pid, draft)


def small_budget(ctx: Context) -> int:
    """10,000.00 EUR in two categories, actual and committed entries, one credit, two
    baselined tasks under a summary task."""
    pid = _project(ctx, "BUD-1", "EUR", {"hardware": "6000.00", "labour": "4000.00"})
    _entry(ctx, pid, "hardware", "2500.00")
    _entry(ctx, pid, "hardware", "4000.00", "committed")
    _entry(ctx, pid, "hardware", "200.00", credit=True, vendor="Refund")
    _entry(ctx, pid, "labour", "1234.56")
    _entry(ctx, pid, "labour", "765.44", "committed")
    with ctx.transaction() as tx:
        parent = tx.create(
            Task(
                project_id=pid,
                name="Phase",
                baseline_start=date(2026, 3, 1),
                baseline_finish=date(2026, 3, 30),
                estimate_hours=D(100),
            )
        )
        common = {"project_id": pid, "parent_id": parent.id}
        tx.create(
            Task(
                name="A",
                baseline_start=date(2026, 3, 1),
                baseline_finish=date(2026, 3, 10),
                estimate_hours=D(30),
                percent_complete=100,
                **common,
            )
        )
        tx.create(
            Task(
                name="B",
                baseline_start=date(2026, 3, 11),
                baseline_finish=date(2026, 3, 30),
                estimate_hours=D(10),
                percent_complete=20,
                **common,
            )
        )
        tx.create(Task(name="Unbaselined", estimate_hours=D(500), **common))
    return pid


def test_category_figures_exact(ctx: Context) -> None:
    pid = small_budget(ctx)
    summary = budget_summary(ctx.db, pid, TODAY)
    by = {c.category: c for c in summary.categories}
    assert list(by) == ["hardware", "labour"]

    hw = by["hardware"]
    assert (hw.budget, hw.committed, hw.actual) == (D("6000"), D("4000"), D("2300"))
    assert hw.remaining == D("-300.00")
    assert hw.forecast == D("6300.00")
    assert hw.variance == D("-300.00")
    assert hw.variance_percent == D("-5.0")
    assert hw.over_budget

    # The budget still to spend is forecast at the project's cost rate so far: AC ÷ EV =
    # 3,534.56 ÷ 8,000 = 0.44182 (EV worked out in the next test), to the cent.
    lab = by["labour"]
    assert (lab.budget, lab.committed, lab.actual) == (D("4000"), D("765.44"), D("1234.56"))
    assert lab.remaining == D("2000.00")
    assert lab.forecast == D("2883.64")  # 1,234.56 + 765.44 + 2,000 × 0.44182
    assert lab.variance == D("1116.36")
    assert lab.variance_percent == D("27.9")
    assert not lab.over_budget

    # The total row is the sum of its categories: hardware's overrun is not hidden by
    # applying the rule to the totals (that gave 9,051.094).
    total = summary.total
    assert total.budget == D("10000.00")
    assert total.committed == D("4765.44")
    assert total.actual == D("3534.56")
    assert total.remaining == D("1700.00")
    assert total.forecast == D("9183.64") == hw.forecast + lab.forecast
    assert total.variance == D("816.36") == hw.variance + lab.variance
    assert summary.entries == 5


def test_forecast_without_a_cost_rate_assumes_the_budget(ctx: Context) -> None:
    """Nothing earned yet: the uncommitted budget is expected to cost what it says."""
    pid = _project(ctx, "NR-1", "EUR", {"hardware": "1000", "labour": "500"})
    _entry(ctx, pid, "hardware", "400.00", "committed")
    summary = budget_summary(ctx.db, pid, TODAY)
    hw = {c.category: c for c in summary.categories}["hardware"]
    assert (hw.forecast, hw.variance) == (D("1000"), D("0"))
    assert summary.total.forecast == D("1500")


def test_earned_value_at_a_past_status_date(ctx: Context) -> None:
    """Progress comes from the day's snapshot, AC from entries booked by then."""
    pid = small_budget(ctx)  # every entry is booked on 10 March
    with ctx.transaction() as tx:
        tx.create(ProgressSnapshot(project_id=pid, day=date(2026, 3, 5), percent_complete=30))
        tx.create(ProgressSnapshot(project_id=pid, day=date(2026, 3, 9), percent_complete=40))
    summary = budget_summary(ctx.db, pid, TODAY, status_date=date(2026, 3, 10))
    ev = summary.ev
    assert ev is not None and summary.status_date == date(2026, 3, 10)
    # A (7,500) is planned over 1–10 March: all of it by the 10th; B starts on the 11th.
    assert ev.pv == D("7500")
    assert ev.ev == D("4000")  # 40% of BAC 10,000, recorded on the 9th
    assert ev.ac == D("3534.56")
    assert ev.cpi == D("1.1317")  # 4,000 ÷ 3,534.56

    before = budget_summary(ctx.db, pid, TODAY, status_date=date(2026, 3, 9)).ev
    assert before is not None
    assert (before.ev, before.ac) == (D("4000"), D("0"))  # nothing booked before the 10th
    assert before.pv == D("6750")  # 9 of A's 10 days
    # The category table stays the ledger as it stands.
    assert summary.total.actual == D("3534.56")


def test_past_status_date_without_progress_history_uses_finish_dates(ctx: Context) -> None:
    """No snapshot: a task counts 100% if it actually finished by the status date, else 0%."""
    pid = small_budget(ctx)
    with ctx.transaction() as tx:
        a = tx.session.exec(select(Task).where(Task.name == "A")).one()
        a.actual_finish = date(2026, 3, 12)
        tx.session.add(a)
    before = budget_summary(ctx.db, pid, TODAY, status_date=date(2026, 3, 11)).ev
    after = budget_summary(ctx.db, pid, TODAY, status_date=date(2026, 3, 12)).ev
    assert before is not None and after is not None
    assert before.ev == D("0")
    assert after.ev == D("7500")  # A's share of BAC; B (20% today) has not finished


def test_finished_work_forecasts_no_more_spending(ctx: Context) -> None:
    """Once EV = BAC the uncommitted budget is an underrun, not future spending."""
    pid = _project(ctx, "FIN-1", "EUR", {"hardware": "1000", "labour": "500"})
    _entry(ctx, pid, "hardware", "900.00")
    with ctx.transaction() as tx:
        tx.create(
            Task(
                project_id=pid,
                name="All",
                baseline_start=date(2026, 3, 1),
                baseline_finish=date(2026, 3, 5),
                percent_complete=100,
            )
        )
    summary = budget_summary(ctx.db, pid, TODAY)
    by = {c.category: c for c in summary.categories}
    assert (by["hardware"].forecast, by["hardware"].variance) == (D("900"), D("100"))
    assert (by["labour"].forecast, by["labour"].variance) == (D("0"), D("500"))
    assert summary.total.forecast == D("900")


def test_earned_value_from_leaf_baselined_tasks(ctx: Context) -> None:
    pid = small_budget(ctx)
    ev = budget_summary(ctx.db, pid, TODAY).ev
    assert ev is not None
    # BAC 10,000 split 30:10 by hours → A 7,500, B 2,500. By 18 March A is all planned,
    # B 8 of its 20 days: PV 7,500 + 1,000. EV = 7,500 + 20% of 2,500.
    assert ev.bac == D("10000")
    assert ev.pv == D("8500")
    assert ev.ev == D("8000")
    assert ev.ac == D("3534.56")
    assert ev.sv == D("-500")
    assert ev.cv == D("4465.44")
    assert ev.spi == D("0.9412")
    assert ev.cpi == D("2.2634")
    # EAC is the category table's forecast (BAC ÷ CPI = 4,418.20 would forecast the
    # 4,765.44 already ordered away).
    assert ev.eac == D("9183.64")
    assert ev.etc == D("5649.08")
    assert ev.vac == D("816.36")
    assert ev.tcpi == D("0.3093")


def test_no_baseline_gives_a_reason(ctx: Context) -> None:
    pid = _project(ctx, "NB-1", "EUR", {"hardware": "100"})
    summary = budget_summary(ctx.db, pid, TODAY)
    assert summary.ev is not None and summary.ev.spi is None
    assert summary.ev_lines == ["Earned value is not available: nothing is baselined."]


def test_portfolio_budget_never_mixes_currencies(ctx: Context) -> None:
    a = _project(ctx, "EU-1", "EUR", {"hardware": "1000.00"})
    b = _project(ctx, "EU-2", "EUR", {"software": "500.50"})
    g = _project(ctx, "UK-1", "GBP", {"hardware": "700.00"})
    _entry(ctx, a, "hardware", "100.25")
    _entry(ctx, b, "software", "50.00", "committed")
    _entry(ctx, g, "hardware", "99.99")
    totals = portfolio_budget(ctx.db)
    assert set(totals) == {"EUR", "GBP"}
    eur, gbp = totals["EUR"], totals["GBP"]
    assert (eur.projects, eur.budget, eur.committed, eur.actual) == (
        2,
        D("1500.50"),
        D("50.00"),
        D("100.25"),
    )
    assert (gbp.projects, gbp.budget, gbp.committed, gbp.actual) == (
        1,
        D("700.00"),
        D("0"),
        D("99.99"),
    )
    assert gbp.remaining == D("600.01")


def test_ledger_pages_are_the_right_window(ctx: Context) -> None:
    pid = _project(ctx, "BIG-1", "EUR", {"hardware": "1"})
    start = date(2025, 1, 1)
    with ctx.transaction() as tx:
        tx.session.add_all(
            LedgerEntry(
                project_id=pid,
                entry_date=start + timedelta(days=(i * 37) % 400),
                vendor=f"V{i:04d}",
                category="hardware",
                amount=D(i) + D("0.01"),
            )
            for i in range(1000)
        )
    assert ledger_count(ctx.db, pid) == 1000
    with ctx.db.read() as session:
        everything = session.exec(select(LedgerEntry).where(LedgerEntry.project_id == pid)).all()
    by_date = sorted(everything, key=lambda e: (e.entry_date, e.id))
    page = ledger_page(ctx.db, pid, 500, 20, "date")
    assert [r.id for r in page] == [e.id for e in by_date[500:520]]
    newest = ledger_page(ctx.db, pid, 990, 50, "-date")
    assert [r.id for r in newest] == [e.id for e in reversed(by_date)][990:]
    largest = ledger_page(ctx.db, pid, 0, 3, "-amount")
    assert [r.amount for r in largest] == [D("999.01"), D("998.01"), D("997.01")]
    assert ledger_index_of(ctx.db, pid, int(by_date[123].id or 0), "date") == 123


def _text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)  # type: ignore[attr-defined]


async def test_key_3_shows_categories_and_earned_value(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        categories = _text(app, "#categories")
        assert "Total" in categories and "Budget" in categories
        assert "Earned value" in _text(app, "#ev")
        # A baselined project: the plain-language lines are there.
        fw = next(c.id for c in screen.choices if c.code == "FW-26")
        screen.show_project(fw)
        await settle(pilot)
        ev = _text(app, "#ev")
        assert "TCPI" in ev and "in value terms" in ev
        assert screen.query_one(LedgerTable).count > 0

        await pilot.press("c")  # the S-curve in place of the ledger
        await settle(pilot)
        chart = screen.query_one(SpendChart)
        assert chart.display and not screen.query_one(LedgerTable).display
        assert chart.curve is not None and not chart.curve.is_empty
        assert chart.curve.pv[-1] == chart.curve.bac
        await pilot.press("c")  # then the budget burn-down
        await settle(pilot)
        burndown = screen.query_one(BudgetBurndownChart)
        assert burndown.display and not chart.display
        assert burndown.burndown is not None and not burndown.burndown.is_empty
        await pilot.press("c")  # and back to the ledger
        await settle(pilot)
        assert screen.query_one(LedgerTable).display and not chart.display
        assert not burndown.display


async def test_add_with_a_bad_amount_then_save_then_delete(ctx: Context) -> None:
    pid = small_budget(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen) and screen.project_id == pid
        ledger = screen.query_one(LedgerTable)
        assert ledger.count == 5

        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntryForm)
        form.query_one("#vendor", Input).value = "Cables & Co [bulk]"
        form.query_one("#category", Select).value = "hardware"
        form.query_one("#amount", Input).value = "12.345"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#err-amount", Static).content)
        assert "2 decimal places" in error

        form.query_one("#amount", Input).value = "12.34"
        form.query_one("#entry-date", Input).value = "2026-03-01"  # older than the rest
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert ledger.count == 6
        assert ledger.cursor == 5  # newest first: the saved entry is last, and selected
        saved = ledger.selected_row
        assert saved is not None
        assert (saved.vendor, saved.amount, saved.entry_date) == (
            "Cables & Co [bulk]",
            D("12.34"),
            date(2026, 3, 1),
        )

        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is screen
        assert ledger.count == 5
        with ctx.db.read() as session:
            vendors = session.exec(select(LedgerEntry.vendor)).all()
        assert "Cables & Co [bulk]" not in vendors


def _colleague_edits(ctx: Context, entry_id: int, vendor: str) -> None:
    """Another user saves the entry (as from another terminal), bumping its version."""
    colleague = Context(ctx.db, "colleague", ctx.clock)
    with ctx.db.read() as session:
        entry = session.get(LedgerEntry, entry_id)
        assert entry is not None
    draft = EntryDraft(
        entry_date=entry.entry_date,
        vendor=vendor,
        category=entry.category,
        description=entry.description,
        amount="777.00",
        kind=entry.kind,
    )
    update_entry(colleague, entry_id, draft, expected_version=entry.version)


def _stored(ctx: Context, entry_id: int) -> LedgerEntry | None:
    with ctx.db.read() as session:
        return session.get(LedgerEntry, entry_id)


def test_ledger_page_rows_carry_the_version(ctx: Context) -> None:
    pid = small_budget(ctx)
    first = ledger_page(ctx.db, pid, 0, 1)[0]
    assert first.version == 1
    _colleague_edits(ctx, first.id, "Someone")
    again = next(r for r in ledger_page(ctx.db, pid, 0, 10) if r.id == first.id)
    assert again.version == 2 and again.vendor == "Someone"


async def test_saving_an_edit_a_colleague_overtook_shows_theirs(ctx: Context) -> None:
    small_budget(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        row = screen.query_one(LedgerTable).selected_row
        assert row is not None and row.version == 1
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntryForm)

        _colleague_edits(ctx, row.id, "Colleague Ltd")  # while the form is open
        form.query_one("#vendor", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog), "a refused save shows what they changed"
        assert [(c.field, c.value, c.user) for c in dialog.changes] == [
            ("vendor", "Colleague Ltd", "colleague"),
            ("amount", "777.00", "colleague"),
        ]
        assert dialog.both == {"vendor"}
        await pilot.press("t")  # keep theirs: the form shows the stored entry
        await settle(pilot)
        assert app.screen is form, "the form stays open"
        assert form.query_one("#vendor", Input).value == "Colleague Ltd"
        assert form.query_one("#amount", Input).value == "777.00"
        assert not form.changed()
        stored = _stored(ctx, row.id)
        assert stored is not None
        assert (stored.vendor, stored.amount, stored.version) == (
            "Colleague Ltd",
            D("777.00"),
            2,
        )


async def test_deleting_an_entry_a_colleague_edited_is_refused(ctx: Context) -> None:
    small_budget(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        ledger = screen.query_one(LedgerTable)
        row = ledger.selected_row
        assert row is not None
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)

        _colleague_edits(ctx, row.id, "Colleague Ltd")  # while the question is asked
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is screen
        messages = [str(n.message) for n in app._notifications]
        assert any("changed by someone else" in m for m in messages), messages
        assert "Ledger entry deleted." not in messages
        stored = _stored(ctx, row.id)
        assert stored is not None and stored.vendor == "Colleague Ltd"
        assert ledger.count == 5
        shown = next(r for i in range(5) if (r := ledger.row_at(i)) and r.id == row.id)
        assert shown.vendor == "Colleague Ltd" and shown.version == 2


def test_spend_curve_ends_at_the_budget_and_the_spend(ctx: Context) -> None:
    pid = small_budget(ctx)
    curve = spend_curve(ctx.db, pid, TODAY)
    assert curve.days[0] == date(2026, 3, 1) and curve.days[-1] == date(2026, 3, 30)
    assert curve.pv[-1] == D("10000")
    at_today = curve.days.index(TODAY)
    assert curve.ac[at_today] == D("3534.56")
    assert curve.ev[at_today] == D("8000")
    assert curve.ac[at_today + 1] is None and curve.ev[at_today + 1] is None


def test_over_budget_lines_say_so_in_words(ctx: Context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from itpm_tui.widgets.budget_panels import category_table

    monkeypatch.setenv("NO_COLOR", "1")
    summary = budget_summary(ctx.db, small_budget(ctx), TODAY)
    lines = category_table(summary, 78).plain.splitlines()
    hardware = next(line for line in lines if line.startswith("hardware"))
    labour = next(line for line in lines if line.startswith("labour"))
    assert hardware.endswith("✖ over -5.0%") and "-300.00" in hardware
    assert "over" not in labour
    assert all(len(line) <= 78 for line in lines)


def _baselined(ctx: Context, pid: int, start: date, finish: date) -> None:
    with ctx.transaction() as tx:
        tx.create(
            Task(
                project_id=pid,
                name="Build",
                baseline_start=start,
                baseline_finish=finish,
                estimate_hours=D(10),
            )
        )


def test_budget_burndown_against_plan_by_hand(ctx: Context) -> None:
    pid = _project(ctx, "BD-1", "EUR", {"hardware": "1000.00"})
    _baselined(ctx, pid, date(2026, 3, 11), date(2026, 3, 20))  # 10 days: PV 100.00 a day
    _entry(ctx, pid, "hardware", "100.00", day=date(2026, 3, 12))
    _entry(ctx, pid, "hardware", "50.00", day=date(2026, 3, 12))  # same day: summed
    _entry(ctx, pid, "hardware", "500.00", "committed", day=date(2026, 3, 13))  # not spent
    _entry(ctx, pid, "hardware", "300.00", day=date(2026, 3, 14))
    _entry(ctx, pid, "hardware", "40.00", day=date(2026, 3, 15), credit=True)  # a refund
    bd = budget_burndown(ctx.db, pid, TODAY)  # 18 March
    assert bd.bac == D("1000.00")
    assert bd.days == [date(2026, 3, 11) + timedelta(days=i) for i in range(10)]
    assert bd.plan == [D(900 - 100 * i) for i in range(10)]
    assert bd.remaining == [
        D("1000.00"),  # 11th: nothing spent yet
        D("850.00"),  # 12th: 100 + 50
        D("850.00"),  # 13th: the commitment is not spend
        D("550.00"),  # 14th: 300
        D("590.00"),  # 15th: the 40.00 credit lowers the spend
        D("590.00"),
        D("590.00"),
        D("590.00"),  # 18th: today
        None,  # no actuals in the future
        None,
    ]
    assert bd.today_index == 7 and bd.days[7] == TODAY
    assert bd.spend_days == 3 and not bd.is_empty


def test_budget_burndown_runs_to_today_after_the_baseline(ctx: Context) -> None:
    pid = _project(ctx, "BD-2", "GBP", {"labour": "300.00"})
    _baselined(ctx, pid, date(2026, 3, 1), date(2026, 3, 3))
    _entry(ctx, pid, "labour", "120.50", day=date(2026, 3, 2))
    bd = budget_burndown(ctx.db, pid, TODAY)
    assert bd.days[0] == date(2026, 3, 1) and bd.days[-1] == TODAY
    assert bd.plan[:3] == [D("200.00"), D("100.00"), D("0.00")]
    assert bd.plan[-1] == 0
    assert bd.remaining[0] == D("300.00") and bd.remaining[-1] == D("179.50")


def test_budget_burndown_with_an_empty_ledger(ctx: Context) -> None:
    pid = _project(ctx, "BD-3", "EUR", {"hardware": "500.00"})
    assert budget_burndown(ctx.db, pid, TODAY).days == []
    assert budget_burndown(ctx.db, pid, TODAY).is_empty
    _baselined(ctx, pid, date(2026, 3, 16), date(2026, 3, 20))
    bd = budget_burndown(ctx.db, pid, TODAY)
    assert bd.is_empty and bd.spend_days == 0  # the plan exists, but nothing was spent
    assert bd.plan[-1] == 0 and bd.remaining[:3] == [D("500.00")] * 3


async def test_no_spending_yet_message(ctx: Context) -> None:
    _project(ctx, "BD-4", "EUR", {"hardware": "500.00"})
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("c", "c")
        await settle(pilot)
        chart = app.screen.query_one(BudgetBurndownChart)
        assert chart.display
        message = chart.query_one("#budget-burndown-empty", Static)
        assert message.display and "No spending yet" in str(message.content)


async def test_portfolio_roll_up_per_currency(demo_ctx: Context) -> None:
    totals = portfolio_budget(demo_ctx.db)
    assert {"EUR", "GBP"} <= set(totals)
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        narrow = _text(app, "#rollup")
        assert narrow.startswith(" Portfolio:") and "\n" not in narrow
        segments = narrow.removeprefix(" Portfolio:").split(" | ")
        # One segment per currency, each naming exactly one currency: nothing is mixed.
        assert [s.split()[0] for s in segments] == sorted(totals)
        for seg in segments:
            assert sum(code in seg for code in totals) == 1
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        wide = _text(app, "#rollup").splitlines()
        assert len(wide) == len(totals)
        for line, code in zip(wide, sorted(totals), strict=True):
            assert sum(c in line for c in totals) == 1 and f"{code} budget" in line
            assert "Total" not in line
        eur = next(line for line in wide if "EUR budget" in line)
        assert f"budget {totals['EUR'].budget:,.2f}" in eur


def test_demo_closed_project_by_hand(demo_ctx: Context) -> None:
    """SRV-25 in the demo: lines 58,000 + 14,500 + 1,000 + 5,000 + labour 10,500 (the tasks'
    hours at their people's rates) = 89,000; invoices 54,870 + 13,980 + 640 + timesheets
    10,138 = 79,628; all work done, so EV = BAC and nothing more is forecast."""
    db = demo_ctx.db
    with db.read() as session:
        pid = session.exec(select(Project.id).where(Project.code == "SRV-25")).one()
    summary = budget_summary(db, pid, TODAY)
    by = {c.category: c for c in summary.categories}
    assert by["hardware"].budget == D("58000") and by["hardware"].actual == D("54870")
    assert by["labour"].budget == D("10500") and by["labour"].actual == D("10138")
    assert (summary.total.budget, summary.total.actual) == (D("89000"), D("79628"))
    assert summary.total.forecast == D("79628")
    assert summary.total.variance == D("9372")
    assert summary.total.variance_percent == D("10.5")  # 9,372 ÷ 89,000
    ev = summary.ev
    assert ev is not None
    assert (ev.pv, ev.ev, ev.ac) == (D("89000"), D("89000"), D("79628"))
    assert ev.cpi == D("1.1177")  # 89,000 ÷ 79,628
    assert (ev.eac, ev.vac) == (D("79628"), D("9372"))
    assert ev.tcpi is None and ev.reason("tcpi") == "no work remains"


def test_demo_budgets_agree_with_the_rows(demo_ctx: Context) -> None:
    """Every demo project's SQL figures equal sums over its rows done in plain Python."""
    db = demo_ctx.db
    with db.read() as session:
        projects = session.exec(select(Project)).all()
        lines = session.exec(select(BudgetLine)).all()
        entries = session.exec(select(LedgerEntry)).all()
    for project in projects:
        assert project.id is not None
        summary = budget_summary(db, project.id, TODAY)
        by = {c.category: c for c in summary.categories}
        for category, fig in by.items():
            mine = [e for e in entries if e.project_id == project.id and e.category == category]
            budget = sum(
                (b.amount for b in lines if b.project_id == project.id and b.category == category),
                D(0),
            )
            assert fig.budget == budget, (project.code, category)
            assert fig.actual == sum((e.amount for e in mine if e.kind == "actual"), D(0))
            assert fig.committed == sum((e.amount for e in mine if e.kind == "committed"), D(0))
        assert summary.total.budget == sum(
            (b.amount for b in lines if b.project_id == project.id), D(0)
        )


async def test_status_date_keys_move_earned_value(demo_ctx: Context) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        screen.show_project(next(c.id for c in screen.choices if c.code == "FW-26"))
        await settle(pilot)
        assert "Earned value at 2026-03-18" in _text(app, "#ev")

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.status_date == TODAY - timedelta(days=7)
        assert "Earned value at 2026-03-11 (status date" in _text(app, "#ev")

        await pilot.press("t")
        await pilot.pause()
        prompt = app.screen
        field = prompt.query_one("#status-date", Input)
        field.value = "not a date"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # refused, with the rule beside the field
        assert "date" in str(prompt.query_one("#err-status-date", Static).render()).lower()
        field.value = "2026-03-04"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.status_date == date(2026, 3, 4)
        summary = screen.data.summary if screen.data else None
        assert summary is not None and summary.ev is not None
        assert (
            summary.ev
            == budget_summary(demo_ctx.db, summary.project_id, TODAY, date(2026, 3, 4)).ev
        )

        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#status-date", Input).value = ""
        await pilot.press("enter")  # empty: back to today
        await settle(pilot)
        assert screen.status_date is None
        assert "(status date" not in _text(app, "#ev")


async def test_a_scrolling_ledger_keeps_every_row_for_entries_at_80x24(ctx: Context) -> None:
    pid = small_budget(ctx)
    for day in range(1, 21):
        _entry(ctx, pid, "labour", "10.00", day=date(2026, 2, day))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        ledger = app.screen.query_one(LedgerTable)
        assert ledger.count == 25 and ledger.show_vertical_scrollbar
        # No horizontal scrollbar eating a line: every line below the header is an entry.
        assert not ledger.show_horizontal_scrollbar
        assert ledger.scrollable_size.height == ledger.size.height
        await pilot.press("end")
        await settle(pilot)
        assert ledger.scroll_x == 0 and ledger.cursor == 24


async def test_ledger_dates_follow_the_configured_date_format(ctx: Context) -> None:
    small_budget(ctx)
    app = make_app(ctx, date_format="%d %b %Y")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        ledger = app.screen.query_one(LedgerTable)
        first = ledger.render_line(1).text
        assert first.startswith(" 10 Mar 2026 ") and "2026-03-10" not in first
        assert ledger.render_line(0).text.startswith(" Date        Vendor")  # still aligned
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "entry of 10 Mar 2026:" in app.screen.question
