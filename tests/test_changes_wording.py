"""`domain.changes.describe`: activity entries worded and collapsed, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.changes import Entry, Kind, MissedMilestone, default_since, describe

MON = date(2026, 3, 9)


def task(
    field: str, old: str, new: str, *, day: date = MON, user: str = "ana", **kw: object
) -> Entry:
    values: dict[str, object] = {"subject": "Cut over", **kw}
    return Entry(MON if day is None else day, user, "task", 7, "update", field, old, new, **values)  # type: ignore[arg-type]


def texts(entries: list[Entry], **kw: object) -> list[str]:
    return [line.plain() for line in describe(entries, currency="EUR", **kw)]  # type: ignore[arg-type]


def test_status_changes_read_as_what_happened() -> None:
    assert texts([task("status", "todo", "in progress")]) == ["▶ started   started Cut over — ana"]
    assert texts([task("status", "in progress", "done")]) == ["✓ done      finished Cut over — ana"]
    blocked = [task("status", "todo", "blocked"), task("blocked_reason", "", "no badge")]
    assert texts(blocked) == ["■ blocked   Cut over blocked: no badge — ana"]
    assert texts([task("status", "blocked", "in progress", user="bob")]) == [
        "□ unblocked Cut over unblocked (now in progress) — bob"
    ]
    reached = texts([task("status", "todo", "done", milestone=True)])
    assert reached == ["◆ milestone milestone Cut over reached — ana"]


def test_a_slip_counts_working_days_and_the_baseline() -> None:
    # Fri 13 → Tue 17 is 2 working days; with a holiday on Mon 16 only 1.
    entry = task("planned_finish", "2026-03-13", "2026-03-17", baseline=date(2026, 3, 12))
    assert texts([entry]) == [
        "▼ slipped   Cut over slipped 2 working days (2026-03-13 → 2026-03-17), "
        "3 working days behind baseline — ana"
    ]
    holiday = WorkCalendar([date(2026, 3, 16)])
    assert "slipped 1 working day " in texts([entry], calendar=holiday)[0]
    earlier = task("planned_finish", "2026-03-17", "2026-03-13", baseline=date(2026, 3, 13))
    assert texts([earlier]) == [
        "▲ earlier   Cut over moved 2 working days earlier (2026-03-17 → 2026-03-13), "
        "on baseline — ana"
    ]
    # Moved over a weekend only: no working day lost, no line.
    assert texts([task("planned_finish", "2026-03-14", "2026-03-15")]) == []


@given(st.lists(st.integers(0, 100), min_size=1, max_size=12))
def test_progress_edits_of_one_task_are_one_line_first_to_last(values: list[int]) -> None:
    olds = [0, *values[:-1]]
    entries = [task("percent_complete", str(o), str(n)) for o, n in zip(olds, values, strict=True)]
    lines = [line for line in describe(entries, currency="EUR") if line.kind is Kind.PROGRESS]
    if values[-1] == 0:
        assert lines == []
    else:
        assert [line.text for line in lines] == [f"Cut over progress 0% → {values[-1]}%"]


def test_money_is_summed_per_category_in_the_projects_currency() -> None:
    def booked(amount: str, category: str, user: str) -> Entry:
        return Entry(
            MON, user, "ledgerentry", 1, "create", amount=Decimal(amount), category=category
        )

    lines = texts(
        [
            booked("0.10", "hardware", "ana"),
            booked("0.20", "hardware", "bob"),
            booked("5", "labour", "ana"),
        ],
    )
    assert lines == [
        "$ booked    EUR 0.30 hardware (2 entries) — ana, bob",
        "$ booked    EUR 5.00 labour (1 entry) — ana",
    ]
    chf = describe([booked("1", "software", "ana")], currency="CHF")
    assert chf[0].text.startswith("CHF 1.00 software")


def test_missed_milestones_come_before_work_started_and_standups_are_hidden() -> None:
    standup = Entry(MON, "pat", "standup", None, "hold", summary="stand-up held")
    lines = describe(
        [task("status", "todo", "in progress"), standup],
        currency="EUR",
        missed=[MissedMilestone("Go live", MON)],
    )
    assert [line.kind for line in lines] == [Kind.MISSED, Kind.STARTED]
    assert lines[0].text == "milestone Go live missed (due 2026-03-09)"


def test_edits_without_a_story_are_one_line_per_thing() -> None:
    lines = texts([task("name", "a", "b"), task("estimate_hours", "8", "16")])
    assert lines == ["· other     edited Cut over: name, estimate hours — ana"]


def test_default_since_is_the_last_standup_before_today_else_a_week() -> None:
    today = date(2026, 3, 18)
    assert default_since(today, []) == date(2026, 3, 11)
    assert default_since(today, [date(2026, 3, 9), date(2026, 3, 16), today]) == date(2026, 3, 16)
