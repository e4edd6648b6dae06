"""Change requests on a real database: the log, proposing and editing, and deciding them —
approval moving the budget and the schedule by the stated impact, with its activity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

import pytest
from conftest import TODAY, make_app, settle
from sqlmodel import col, select
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static

from itpm_tui.app import styles_dir
from itpm_tui.config import Settings
from itpm_tui.domain.change_control import ChangeDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, ItpmError, NotFoundError
from itpm_tui.queries.budget import budget_summary
from itpm_tui.queries.change_requests import (
    approval_preview,
    change_row,
    change_rows,
    change_target,
)
from itpm_tui.queries.portfolio import portfolio, projects_by_code
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.screens.approve_change import ApproveChangeScreen
from itpm_tui.screens.change_request_form import ChangeRequestForm
from itpm_tui.screens.confirm import ConfirmScreen
from itpm_tui.screens.risks import CHANGE_DIALOGS
from itpm_tui.services.change_requests import (
    add_change,
    approve_change,
    reject_change,
    update_change,
    withdraw_change,
)
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Activity, BudgetLine, ChangeRequest, Project, Task
from itpm_tui.widgets.change_panel import ChangePanel, ChangeTable

pytestmark = pytest.mark.both_backends

if TYPE_CHECKING:
    from textual.pilot import Pilot

FW, VOIP, NET = "FW-26", "VOIP-25", "NET-26"


def pid(ctx: Context, code: str) -> int:
    return projects_by_code(ctx.db)[code]


def draft(**changes: object) -> ChangeDraft:
    values: dict[str, object] = {
        "title": "Reseller engineer for a second cut-over night",
        "requested_on": date(2026, 3, 16),
        "requested_by": "Stefan Brandt",
        "description": "Depot Süd needs its own night.",
        "cost_impact": "4,000.00",
        "schedule_impact_days": "5",
    }
    values.update(changes)
    return ChangeDraft(**values)  # type: ignore[arg-type]


def activity(ctx: Context, since: int) -> list[tuple[str, str, str, str, str]]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(Activity).where(col(Activity.id) > since).order_by(col(Activity.id))
        ).all()
    return [(a.entity, a.action, a.field, a.old_value, a.new_value) for a in rows]


def last_activity_id(ctx: Context) -> int:
    with ctx.db.read() as session:
        return max(a.id or 0 for a in session.exec(select(Activity)).all())


def task(ctx: Context, project_id: int, name: str) -> Task:
    with ctx.db.read() as session:
        return session.exec(
            select(Task).where(col(Task.project_id) == project_id, col(Task.name) == name)
        ).one()


def project(ctx: Context, project_id: int) -> Project:
    with ctx.db.read() as session:
        found = session.get(Project, project_id)
    assert found is not None
    return found


def budget_total(ctx: Context, project_id: int) -> Decimal:
    return budget_summary(ctx.db, project_id, TODAY).total.budget


# --- the log ---------------------------------------------------------------------------------


def test_rows_list_pending_first_then_newest(demo_ctx: Context) -> None:
    rows = change_rows(demo_ctx.db, None)
    assert len(rows) == 8
    assert [r.status for r in rows[:1]] == ["proposed"]
    assert rows[0].title == "Add Wi-Fi 6 access points in the wards"
    assert (rows[0].project_code, rows[0].currency) == (NET, "EUR")
    assert rows[0].cost_impact == Decimal("46800.00")
    assert rows[0].schedule_impact_days == 15
    decided = rows[1:]
    assert all(r.status != "proposed" for r in decided)
    keys = [(r.requested_on, r.id) for r in decided]
    assert keys == sorted(keys, reverse=True)


def test_rows_of_one_project(demo_ctx: Context) -> None:
    rows = change_rows(demo_ctx.db, pid(demo_ctx, FW))
    assert [(r.title, r.status, r.decided_by) for r in rows] == [
        ("Add SSL inspection for guest Wi-Fi", "rejected", "Karin Vogel"),
        ("Extra FortiToken licences for 15 contractors", "approved", "Karin Vogel"),
    ]
    assert rows[1].cost_impact == Decimal("620.00")
    assert str(rows[1].cost_impact) == "620.00"  # the currency's minor units, not 4 places


def test_rows_of_a_project_without_changes(demo_ctx: Context) -> None:
    assert change_rows(demo_ctx.db, pid(demo_ctx, "MOVE-26")) == []


def test_change_target(demo_ctx: Context) -> None:
    target = change_target(demo_ctx.db, pid(demo_ctx, VOIP))
    assert (target.code, target.currency) == (VOIP, "GBP")
    with pytest.raises(NotFoundError):
        change_target(demo_ctx.db, 999)


# --- proposing and editing -------------------------------------------------------------------


def test_add_change_is_proposed_and_logged(demo_ctx: Context) -> None:
    before = last_activity_id(demo_ctx)
    new_id = add_change(demo_ctx, pid(demo_ctx, FW), draft())
    row = change_row(demo_ctx.db, new_id)
    assert row is not None
    assert (row.status, row.cost_impact, row.schedule_impact_days) == (
        "proposed",
        Decimal("4000.00"),
        5,
    )
    assert (row.decided_by, row.decided_on, row.version) == ("", None, 1)
    with demo_ctx.db.read() as session:
        logged = session.exec(select(Activity).where(col(Activity.id) > before)).all()
    assert [(a.entity, a.action, a.user) for a in logged] == [("changerequest", "create", "tester")]
    assert logged[0].summary == (
        "proposed change 'Reseller engineer for a second cut-over night': +EUR 4,000.00, +5 wd"
    )


def test_bad_change_writes_nothing(demo_ctx: Context) -> None:
    before = last_activity_id(demo_ctx)
    with pytest.raises(ValidationError) as exc:
        add_change(demo_ctx, pid(demo_ctx, FW), draft(title="", cost_impact="4.001"))
    assert {p.field for p in exc.value.problems} == {"title", "cost impact"}
    assert activity(demo_ctx, before) == []
    assert len(change_rows(demo_ctx.db, pid(demo_ctx, FW))) == 2


def test_update_logs_old_and_new(demo_ctx: Context) -> None:
    new_id = add_change(demo_ctx, pid(demo_ctx, FW), draft())
    before = last_activity_id(demo_ctx)
    changed = update_change(
        demo_ctx, new_id, draft(cost_impact="4500", schedule_impact_days="-2"), expected_version=1
    )
    assert changed == ["cost_impact", "schedule_impact_days"]
    assert activity(demo_ctx, before) == [
        ("changerequest", "update", "cost_impact", "4000.00", "4500.00"),
        ("changerequest", "update", "schedule_impact_days", "5", "-2"),
    ]
    row = change_row(demo_ctx.db, new_id)
    assert row is not None and row.version == 2


def test_stale_edit_is_refused(demo_ctx: Context) -> None:
    new_id = add_change(demo_ctx, pid(demo_ctx, FW), draft())
    update_change(demo_ctx, new_id, draft(title="Second night"), expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        update_change(demo_ctx, new_id, draft(title="Third night"), expected_version=1)
    row = change_row(demo_ctx.db, new_id)
    assert row is not None and row.title == "Second night"


def test_a_decided_change_cannot_be_edited(demo_ctx: Context) -> None:
    approved = change_rows(demo_ctx.db, pid(demo_ctx, FW))[1]
    with pytest.raises(ValidationError, match="is approved; only a proposed change can be"):
        update_change(demo_ctx, approved.id, draft(), expected_version=approved.version)


# --- approval --------------------------------------------------------------------------------


def test_approval_moves_budget_and_schedule_over_the_easter_holidays(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    new_id = add_change(demo_ctx, fw, draft())
    handover = task(demo_ctx, fw, "Handover to Nordwind IT")
    # The demo plan as it stands: a total budget of 84,200.00, finishing Wednesday 1 April.
    assert budget_total(demo_ctx, fw) == Decimal("84200.00")
    assert project(demo_ctx, fw).end_date == date(2026, 4, 1)
    assert handover.planned_finish == date(2026, 4, 1)
    before = last_activity_id(demo_ctx)

    approve_change(demo_ctx, new_id, expected_version=1, category="vendor services")

    # +4,000.00 exactly; +5 working days from Wed 1 April: Thu 2, (Good Friday, the weekend,
    # Easter Monday off), Tue 7, Wed 8, Thu 9, Fri 10.
    assert budget_total(demo_ctx, fw) == Decimal("88200.00")
    after = project(demo_ctx, fw)
    assert after.end_date == date(2026, 4, 10)
    assert (after.baseline_start, after.baseline_end) == (date(2026, 2, 9), date(2026, 4, 1))
    # The delay falls on the first open task of the critical path; the work after it moves
    # through its links, so the handover (stored dates untouched) is scheduled 5 days later.
    delayed = task(demo_ctx, fw, "Swap depot firewalls (Nord & Süd)")
    assert (delayed.planned_start, delayed.planned_finish) == (date(2026, 4, 7), date(2026, 4, 7))
    timeline = load_timeline(demo_ctx.db, fw)
    assert timeline is not None
    handover = next(t for t in timeline.tasks if t.name == "Handover to Nordwind IT")
    assert handover.finish == date(2026, 4, 10)
    assert (handover.baseline_start, handover.baseline_finish) == (date(2026, 4, 1),) * 2
    assert handover.slip_days == 5
    # Work before it keeps its date.
    assert next(t for t in timeline.tasks if t.name == "HQ live on FortiGate").finish == date(
        2026, 3, 20
    )

    row = change_row(demo_ctx.db, new_id)
    assert row is not None
    assert (row.status, row.decided_by, row.decided_on, row.version) == (
        "approved",
        "tester",
        TODAY,
        2,
    )
    with demo_ctx.db.read() as session:
        line = session.exec(
            select(BudgetLine).where(col(BudgetLine.description).startswith("Change #"))
        ).one()
    assert (line.project_id, line.category, line.amount) == (fw, "vendor services", 4000)
    assert line.description == f"Change #{new_id}: Reseller engineer for a second cut-over night"

    assert activity(demo_ctx, before) == [
        ("changerequest", "update", "status", "proposed", "approved"),
        ("changerequest", "update", "decided_by", "", "tester"),
        ("changerequest", "update", "decided_on", "", "2026-03-18"),
        ("budgetline", "create", "", "", ""),
        ("project", "update", "end_date", "2026-04-01", "2026-04-10"),
        ("task", "update", "planned_start", "2026-03-27", "2026-04-07"),
        ("task", "update", "planned_finish", "2026-03-27", "2026-04-07"),
        ("changerequest", "approve", "", "", ""),
    ]
    with demo_ctx.db.read() as session:
        summary = session.exec(
            select(Activity.summary).where(col(Activity.action) == "approve")
        ).one()
    assert summary == (
        f"approved change #{new_id} 'Reseller engineer for a second cut-over night': "
        "Budget +EUR 4,000.00 (vendor services: EUR 6,000.00 → EUR 10,000.00), "
        "total EUR 84,200.00 → EUR 88,200.00; End date 2026-04-01 → 2026-04-10; "
        "3.3 Swap depot firewalls (Nord & Süd) delayed +5 wd, and the work after it:; "
        "3.3 Swap depot firewalls (Nord & Süd): finish 2026-03-27 → 2026-04-07; "
        "4.1 As-built documentation & runbook: finish 2026-04-01 → 2026-04-10; "
        "4.3 Handover to Nordwind IT: finish 2026-04-01 → 2026-04-10"
    )


def test_project_holidays_count_and_a_saving_lowers_the_budget(demo_ctx: Context) -> None:
    voip = pid(demo_ctx, VOIP)
    new_id = add_change(demo_ctx, voip, draft(cost_impact="-500.00", schedule_impact_days=20))
    assert budget_total(demo_ctx, voip) == Decimal("52400.00")
    assert project(demo_ctx, voip).end_date == date(2026, 4, 7)

    approve_change(demo_ctx, new_id, expected_version=1, category="Contingency")

    # 20 working days from Tue 7 April: 8–10 (3), 13–17 (8), 20–24 (13), 27–30 (17), Labour
    # Day (global) and the Early May bank holiday (this project's) off, 5–7 May (20).
    assert project(demo_ctx, voip).end_date == date(2026, 5, 7)
    assert budget_total(demo_ctx, voip) == Decimal("51900.00")


def test_another_projects_holiday_does_not_count(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    new_id = add_change(demo_ctx, fw, draft(cost_impact="0", schedule_impact_days=22))
    approve_change(demo_ctx, new_id, expected_version=1, category=None)
    # From Wed 1 April: 2 (1), 7–10 (5), 13–17 (10), 20–24 (15), 27–30 (19), Labour Day off,
    # Mon 4 May is a holiday of VOIP-25 only: 4 (20), 5 (21), 6 (22).
    assert project(demo_ctx, fw).end_date == date(2026, 5, 6)


def test_the_preview_says_what_approval_does(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    change = change_rows(demo_ctx.db, net)[0]
    preview = approval_preview(demo_ctx.db, change.id, None)
    assert preview.category == "contingency"  # the default when the project has it
    assert preview.categories == (
        "hardware",
        "software",
        "vendor services",
        "labour",
        "contingency",
    )
    assert preview.lines() == [
        "Budget +EUR 46,800.00 (contingency: EUR 15,000.00 → EUR 61,800.00), "
        "total EUR 218,500.00 → EUR 265,300.00",
        "End date 2026-05-15 → 2026-06-05",
        "3.1 Core cut-over night delayed +15 wd, and the work after it:",
        "  3.1 Core cut-over night: finish 2026-04-30 → 2026-05-22",
        "  3.2 Swap access switches, building by building: finish 2026-05-13 → 2026-06-03",
        "  3.3 Network access control for medical devices: finish 2026-05-12 → 2026-06-02",
        "  3.4 Network refreshed: finish 2026-05-13 → 2026-06-03",
        "  4.1 Update NetBox & as-built documents: finish 2026-05-15 → 2026-06-05",
        "  4.2 Handover to clinical IT: finish 2026-05-15 → 2026-06-05",
    ]
    assert preview.lines("hardware")[0].startswith(
        "Budget +EUR 46,800.00 (hardware: EUR 148,000.00 → EUR 194,800.00)"
    )
    done = approve_change(demo_ctx, change.id, expected_version=change.version, category=None)
    assert done.lines() == preview.lines()
    assert project(demo_ctx, net).end_date == date(2026, 6, 5)
    assert budget_total(demo_ctx, net) == Decimal("265300.00")


def test_approving_clears_the_pending_change_from_health(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)

    def row() -> tuple[int, str | None, str]:
        found = next(r for r in portfolio(demo_ctx.db, TODAY) if r.id == net)
        return found.pending_changes, found.health, found.health_reason

    assert row() == (1, "amber", "1 change pending")
    change = change_rows(demo_ctx.db, net)[0]
    approve_change(demo_ctx, change.id, expected_version=change.version, category=None)
    pending, health, reason = row()
    assert pending == 0
    assert "pending" not in reason
    assert health == "green"


def test_deciding_twice_is_refused_and_writes_nothing(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    change = change_rows(demo_ctx.db, net)[0]
    approve_change(demo_ctx, change.id, expected_version=change.version, category=None)
    before = last_activity_id(demo_ctx)
    for decide in (
        lambda: approve_change(demo_ctx, change.id, expected_version=2, category=None),
        lambda: reject_change(demo_ctx, change.id, expected_version=2),
        lambda: withdraw_change(demo_ctx, change.id, expected_version=None),
    ):
        with pytest.raises(ValidationError) as exc:
            decide()
        assert str(exc.value) == (
            f"status: change #{change.id} 'Add Wi-Fi 6 access points in the wards' was "
            "already approved by tester on 2026-03-18; only a proposed change can be decided"
        )
    assert activity(demo_ctx, before) == []
    assert budget_total(demo_ctx, net) == Decimal("265300.00")


def test_a_stale_approval_is_refused(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    new_id = add_change(demo_ctx, fw, draft())
    update_change(demo_ctx, new_id, draft(cost_impact="9000"), expected_version=1)
    before = last_activity_id(demo_ctx)
    with pytest.raises(ConflictError, match="changed by someone else since you opened it"):
        approve_change(demo_ctx, new_id, expected_version=1, category="contingency")
    assert activity(demo_ctx, before) == []
    assert budget_total(demo_ctx, fw) == Decimal("84200.00")
    assert project(demo_ctx, fw).end_date == date(2026, 4, 1)


def test_the_category_must_be_the_projects(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    new_id = add_change(demo_ctx, fw, draft())
    with pytest.raises(ValidationError) as exc:
        approve_change(demo_ctx, new_id, expected_version=1, category="travel")
    assert exc.value.field == "category"
    assert "must be one of hardware, software, vendor services, labour, contingency" in str(
        exc.value
    )
    row = change_row(demo_ctx.db, new_id)
    assert row is not None and row.status == "proposed"


def test_any_standard_category_takes_an_approved_cost(ctx: Context) -> None:
    """A project with one budget line may still book a change to contingency (the default)
    or to any other standard category it has no line for."""
    with ctx.transaction() as tx:
        tx.create(Project(code="LAB-1", name="Lab", currency="EUR"))
        lab = tx.session.exec(select(Project.id).where(Project.code == "LAB-1")).one()
        tx.create(BudgetLine(project_id=lab, category="hardware", amount=Decimal(1000)))
    new_id = add_change(ctx, lab, draft(schedule_impact_days=0))
    preview = approval_preview(ctx.db, new_id, None)
    assert preview.category == "contingency"
    assert preview.categories[:2] == ("hardware", "software")
    assert preview.lines() == [
        "Budget +EUR 4,000.00 (contingency: EUR 0.00 → EUR 4,000.00), "
        "total EUR 1,000.00 → EUR 5,000.00"
    ]
    approve_change(ctx, new_id, expected_version=1, category="software")
    summary = budget_summary(ctx.db, lab, TODAY)
    assert summary.total.budget == Decimal(5000)
    assert {c.category: c.budget for c in summary.categories}["software"] == Decimal(4000)


def test_nothing_to_move_is_said(ctx: Context) -> None:
    with ctx.transaction() as tx:
        tx.create(Project(code="LAB-2", name="Lab", currency="EUR"))
        lab = tx.session.exec(select(Project.id).where(Project.code == "LAB-2")).one()
    new_id = add_change(ctx, lab, draft(cost_impact="0"))
    assert approval_preview(ctx.db, new_id).lines() == [
        "The project has no end date to move",
        "No open task to move",
    ]
    zero = add_change(ctx, lab, draft(cost_impact="", schedule_impact_days=""))
    assert approval_preview(ctx.db, zero).lines() == [
        "No budget or schedule impact: only the decision is recorded"
    ]


def test_an_earlier_finish_may_not_precede_the_start(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)  # 2026-03-10 to 2026-05-15
    new_id = add_change(demo_ctx, net, draft(cost_impact="0", schedule_impact_days=-60))
    with pytest.raises(ValidationError, match="before the project's start 2026-03-10"):
        approve_change(demo_ctx, new_id, expected_version=1, category=None)
    earlier = add_change(demo_ctx, net, draft(cost_impact="0", schedule_impact_days=-5))
    approve_change(demo_ctx, earlier, expected_version=1, category=None)
    assert project(demo_ctx, net).end_date == date(2026, 5, 8)


# --- rejecting and withdrawing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("decide", "status", "verb"),
    [(reject_change, "rejected", "reject"), (withdraw_change, "withdrawn", "withdraw")],
)
def test_reject_and_withdraw_only_record_the_decision(
    demo_ctx: Context, decide: object, status: str, verb: str
) -> None:
    net = pid(demo_ctx, NET)
    change = change_rows(demo_ctx.db, net)[0]
    before = last_activity_id(demo_ctx)
    decide(demo_ctx, change.id, expected_version=change.version)  # type: ignore[operator]
    assert activity(demo_ctx, before) == [
        ("changerequest", "update", "status", "proposed", status),
        ("changerequest", "update", "decided_by", "", "tester"),
        ("changerequest", "update", "decided_on", "", "2026-03-18"),
        ("changerequest", verb, "", "", ""),
    ]
    assert budget_total(demo_ctx, net) == Decimal("218500.00")
    assert project(demo_ctx, net).end_date == date(2026, 5, 15)
    row = change_row(demo_ctx.db, change.id)
    assert row is not None and (row.status, row.decided_by, row.decided_on) == (
        status,
        "tester",
        TODAY,
    )
    with demo_ctx.db.read() as session:
        assert session.get(ChangeRequest, change.id) is not None


def test_a_stale_rejection_is_refused(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    change = change_rows(demo_ctx.db, net)[0]
    with pytest.raises(ConflictError):
        reject_change(demo_ctx, change.id, expected_version=change.version + 1)


def test_deciding_a_missing_change(demo_ctx: Context) -> None:
    with pytest.raises(NotFoundError):
        approve_change(demo_ctx, 999, expected_version=1, category=None)
    with pytest.raises(NotFoundError):
        approval_preview(demo_ctx.db, 999)


# --- the panel, in a small host like the Risks screen ------------------------------------------


class PanelHost(Screen[None]):
    """What a host screen does: mount the panel, fetch the rows, and reload after writes."""

    BINDINGS: ClassVar = [Binding("n", "host_new", "Host new", id="host.new")]

    def __init__(self, project_id: int | None) -> None:
        super().__init__()
        self.project_id = project_id
        self.reloads = 0

    def compose(self) -> ComposeResult:
        yield ChangePanel(CHANGE_DIALOGS, id="changes")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(ChangeTable).focus()

    def reload(self) -> None:
        self.reloads += 1
        ctx = self.app.ctx  # type: ignore[attr-defined]
        self.query_one(ChangePanel).show(change_rows(ctx.db, self.project_id), self.project_id)

    def action_host_new(self) -> None:
        self.notify("the host's own n")

    @on(ChangePanel.WriteRequested)
    def _write(self, event: ChangePanel.WriteRequested) -> None:
        """As the Risks screen does: the write runs in a worker, then the rows are fetched."""
        self._run_write(event.change)

    @work(thread=True)
    def _run_write(self, change: Callable[[], str]) -> None:
        try:
            told = change()
        except ItpmError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            self.app.call_from_thread(self.notify, told, markup=False)
        self.app.call_from_thread(self.reload)


class PanelApp(App[None]):
    CSS_PATH: ClassVar = [styles_dir() / "app.tcss", styles_dir() / "forms.tcss"]

    def __init__(self, ctx: Context, project_id: int | None) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings = Settings(user="tester")
        self.project_id = project_id

    def on_mount(self) -> None:
        self.push_screen(PanelHost(self.project_id))


async def idle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cells(app: App[None]) -> list[list[str]]:
    table = app.screen.query_one(ChangeTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def line(app: App[None], widget_id: str) -> str:
    static = app.screen.query_one(f"#{widget_id}", Static)
    return str(static.render().plain)  # type: ignore[union-attr]


def notices(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_panel_at_80_columns(demo_ctx: Context) -> None:
    app = PanelApp(demo_ctx, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        rows = cells(app)
        assert rows[0][:2] == ["#7", "NET-26"]
        assert rows[0][3:] == ["? proposed", "+46.8k EUR", "+15 wd"]
        assert rows[0][2].startswith("Add Wi-Fi 6")
        statuses = {r[3] for r in rows}
        assert statuses == {"? proposed", "✔ approved", "✖ rejected"}
        softphones = next(r for r in rows if r[0] == "#4")
        assert softphones[4:] == ["none", "none"]
        assert line(app, "changes-title") == "Change requests · all projects · 1 pending, 7 decided"
        assert line(app, "changes-detail").startswith(
            "#7 NET-26 · requested 2026-03-16 by Dr. Hannah Weiss · Replace 64 ward"
        )


async def test_panel_at_160_columns_shows_exact_amounts_and_decisions(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    app = PanelApp(demo_ctx, fw)
    async with app.run_test(size=(160, 48)) as pilot:
        await idle(pilot)
        table = app.screen.query_one(ChangeTable)
        labels = [c.label.plain for c in table.columns.values()]
        assert labels == [
            "#",
            "Requested",
            "Title",
            "By",
            "Status",
            "Cost impact",
            "Schedule",
            "Decided",
        ]
        assert cells(app)[1] == [
            "#2",
            "2026-02-20",
            "Extra FortiToken licences for 15 contractors",
            "Stefan Brandt",
            "✔ approved",
            "+EUR 620.00",
            "none",
            "2026-02-24 Karin Vogel",
        ]
        assert line(app, "changes-title") == "Change requests · FW-26 · 0 pending, 2 decided"


async def test_new_needs_a_project(demo_ctx: Context) -> None:
    app = PanelApp(demo_ctx, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("n")
        await idle(pilot)
        assert notices(app) == ["Pick a project first: a change request belongs to one project."]
        assert not isinstance(app.screen, ChangeRequestForm)


async def test_propose_a_change_through_the_form(demo_ctx: Context) -> None:
    move = pid(demo_ctx, "MOVE-26")
    app = PanelApp(demo_ctx, move)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        assert cells(app) == []
        assert "none yet — n proposes one" in line(app, "changes-title")
        await pilot.press("n")
        await idle(pilot)
        form = app.screen
        assert isinstance(form, ChangeRequestForm)
        assert "New change request · MOVE-26 · EUR" in line(app, "form-title")
        await pilot.press(*"[bold]Extra floor[/]")
        form.query_one("#cr-cost", Input).value = "12.345"
        form.query_one("#cr-days", Input).value = "three"
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert app.screen is form  # nothing saved: the rules are shown beside the fields
        assert "at most 2 decimal places" in line(app, "err-cr-cost")
        assert "not a whole number of working days" in line(app, "err-cr-days")
        assert change_rows(demo_ctx.db, move) == []
        form.query_one("#cr-cost", Input).value = "-1,500.00"
        form.query_one("#cr-days", Input).value = "+3"
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert isinstance(app.screen, PanelHost)
        assert app.screen.reloads == 2
        assert cells(app) == [["#9", "[bold]Extra floor[/]", "? proposed", "-1,500 EUR", "+3 wd"]]
        assert "Change request #9 saved." in notices(app)


async def test_a_new_change_is_selected_once_saved(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    app = PanelApp(demo_ctx, fw)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        panel = app.screen.query_one(ChangePanel)
        panel.table.focus()
        await pilot.press("end")  # the oldest decided change
        before = panel.selected
        await pilot.press("n")
        await idle(pilot)
        form = app.screen
        assert isinstance(form, ChangeRequestForm)
        await pilot.press(*"Second VPN gateway")
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert panel.selected is not None and before is not None
        assert panel.selected.title == "Second VPN gateway" != before.title


async def test_edit_only_while_proposed(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    app = PanelApp(demo_ctx, fw)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("e")
        await idle(pilot)
        assert notices(app) == ["Change #1 is rejected: only a proposed change can be edited."]
        assert isinstance(app.screen, PanelHost)
        for key in ("A", "R", "W"):
            await pilot.press(key)
        await idle(pilot)
        assert isinstance(app.screen, PanelHost)
        assert notices(app)[1:] == [
            "Change #1 is rejected: only a proposed change can be approved.",
            "Change #1 is rejected: only a proposed change can be rejected.",
            "Change #1 is rejected: only a proposed change can be withdrawn.",
        ]


async def test_edit_a_proposed_change(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    app = PanelApp(demo_ctx, net)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("e")
        await idle(pilot)
        form = app.screen
        assert isinstance(form, ChangeRequestForm)
        assert form.query_one("#cr-cost", Input).value == "46800.00"
        assert form.query_one("#cr-days", Input).value == "+15"
        form.query_one("#cr-days", Input).value = "12"
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert isinstance(app.screen, PanelHost)
        assert cells(app)[0][-1] == "+12 wd"


async def test_approve_from_the_panel(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    app = PanelApp(demo_ctx, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("A")
        await idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ApproveChangeScreen)
        moves = line(app, "approve-moves")
        assert moves.splitlines() == [
            "This will move:",
            "• Budget +EUR 46,800.00 (contingency: EUR 15,000.00 → EUR 61,800.00), total "
            "EUR 218,500.00 → EUR 265,300.00",
            "• End date 2026-05-15 → 2026-06-05",
            "• 3.1 Core cut-over night delayed +15 wd, and the work after it:",
            "  – 3.1 Core cut-over night: finish 2026-04-30 → 2026-05-22",
            "  – 3.2 Swap access switches, building by building: finish 2026-05-13 → 2026-06-03",
            "  – 3.3 Network access control for medical devices: finish 2026-05-12 → 2026-06-02",
            "  – 3.4 Network refreshed: finish 2026-05-13 → 2026-06-03",
            "  – 4.1 Update NetBox & as-built documents: finish 2026-05-15 → 2026-06-05",
            "  – 4.2 Handover to clinical IT: finish 2026-05-15 → 2026-06-05",
        ]
        dialog.query_one("#approve-category", Select).value = "hardware"
        await pilot.pause()
        assert "(hardware: EUR 148,000.00 → EUR 194,800.00)" in line(app, "approve-moves")
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert isinstance(app.screen, PanelHost)
        rows = cells(app)
        assert rows[0][0] == "#7"  # no change pending: the newest first
        assert rows[0][3] == "✔ approved"
        panel = app.screen.query_one(ChangePanel)
        assert panel.selected is not None and panel.selected.id == 7
        assert "approved 2026-03-18 by tester" in line(app, "changes-detail")
        assert notices(app)[-1].startswith("Change #7 approved: Budget +EUR 46,800.00 (hardware")
    with demo_ctx.db.read() as session:
        added = session.exec(
            select(BudgetLine).where(
                col(BudgetLine.description) == "Change #7: Add Wi-Fi 6 access points in the wards"
            )
        ).one()
    assert added.category == "hardware"
    assert project(demo_ctx, net).end_date == date(2026, 6, 5)


async def test_the_cursor_follows_a_decided_change_down_the_log(demo_ctx: Context) -> None:
    older = add_change(demo_ctx, pid(demo_ctx, FW), draft(requested_on=date(2026, 3, 2)))
    app = PanelApp(demo_ctx, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        assert [r[0] for r in cells(app)[:3]] == ["#7", f"#{older}", "#6"]
        await pilot.press("down", "R", "y")
        await idle(pilot)
        order = [r[0] for r in cells(app)]
        assert order[:5] == ["#7", "#6", "#5", "#4", f"#{older}"]  # 16, 10, 6, 3 and 2 March
        panel = app.screen.query_one(ChangePanel)
        assert panel.selected is not None and panel.selected.id == older
        assert panel.table.cursor_row == 4


async def test_cancelled_approval_moves_nothing(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    app = PanelApp(demo_ctx, net)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("A")
        await idle(pilot)
        assert isinstance(app.screen, ApproveChangeScreen)
        await pilot.press("escape")
        await idle(pilot)
        assert isinstance(app.screen, PanelHost)
    row = change_row(demo_ctx.db, change_rows(demo_ctx.db, net)[0].id)
    assert row is not None and row.status == "proposed"
    assert budget_total(demo_ctx, net) == Decimal("218500.00")


async def test_a_stale_approval_is_told(demo_ctx: Context) -> None:
    net = pid(demo_ctx, NET)
    app = PanelApp(demo_ctx, net)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        # A colleague edits the change while this dashboard still shows version 1.
        change = change_rows(demo_ctx.db, net)[0]
        update_change(
            demo_ctx,
            change.id,
            draft(title=change.title, cost_impact="40000", schedule_impact_days=15),
            expected_version=1,
        )
        await pilot.press("A")
        await idle(pilot)
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert "changed by someone else since you opened it" in notices(app)[-1]
    assert budget_total(demo_ctx, net) == Decimal("218500.00")


@pytest.mark.parametrize(("key", "status"), [("R", "✖ rejected"), ("W", "– withdrawn")])
async def test_reject_and_withdraw_ask_first(demo_ctx: Context, key: str, status: str) -> None:
    net = pid(demo_ctx, NET)
    app = PanelApp(demo_ctx, net)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press(key)
        await idle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = line(app, "question")
        assert question.startswith("Reject change #7" if key == "R" else "Withdraw change #7")
        assert "by tester on 2026-03-18; the budget and the schedule stay as they are" in question
        await pilot.press("n")
        await idle(pilot)
        assert cells(app)[0][2] == "? proposed"
        await pilot.press(key, "y")
        await idle(pilot)
        assert cells(app)[0][2] == status
    assert budget_total(demo_ctx, net) == Decimal("218500.00")


async def test_panel_keys_show_in_the_footer_when_it_has_focus(demo_ctx: Context) -> None:
    app = PanelApp(demo_ctx, pid(demo_ctx, NET))
    async with app.run_test(size=(160, 48)) as pilot:
        await idle(pilot)
        active = {b.binding.id: b.binding for b in app.screen.active_bindings.values()}
        assert {
            "changes.new",
            "changes.edit",
            "changes.approve",
            "changes.reject",
            "changes.withdraw",
        } <= set(active)
        assert all(active[i].tooltip for i in active if i and i.startswith("changes."))
        footer = " ".join(
            str(k.render().plain)
            for k in app.screen.query("FooterKey")  # type: ignore[union-attr]
        )
        for label in ("New", "Approve", "Reject", "Withdraw"):
            assert label in footer
        # The panel's `n` wins over the host's own while the log has the focus.
        await pilot.press("n")
        await idle(pilot)
        assert isinstance(app.screen, ChangeRequestForm)


async def test_user_text_is_shown_literally(demo_ctx: Context) -> None:
    fw = pid(demo_ctx, FW)
    cid = add_change(
        demo_ctx, fw, draft(title="[red]Boom[/]", requested_by="[b]Eve[/b]", description="[i]x")
    )
    with demo_ctx.db.write() as session:  # as anyone with the file could: every way in refuses it
        session.get_one(ChangeRequest, cid).title = "[red]Boom[/] \x1b[2J"
    app = PanelApp(demo_ctx, fw)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        assert cells(app)[0][1] == "[red]Boom[/] \\x1b[2J"
        detail = line(app, "changes-detail")
        assert "by [b]Eve[/b]" in detail and "[i]x" in detail
        await pilot.press("R")
        await idle(pilot)
        assert "'[red]Boom[/] \\x1b[2J'" in line(app, "question")


async def test_the_risks_screen_hosts_the_panel(demo_ctx: Context) -> None:
    pytest.importorskip("itpm_tui.screens.risks")
    app = make_app(demo_ctx)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        panel = app.screen.query_one(ChangePanel)
        assert panel.rows == change_rows(demo_ctx.db, panel.project_id)
        panel.table.focus()
        await pilot.pause()
        ids = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {"changes.new", "changes.approve", "changes.reject", "changes.withdraw"} <= ids
