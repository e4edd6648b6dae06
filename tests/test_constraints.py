"""Constraints and deadlines from MS Project plans: how they hold a task, what they flag, and
the rules a stored one follows."""

from __future__ import annotations

from datetime import date

import pytest

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.constraints import date_warnings, held_start
from itpm_tui.domain.plan import PlanTask, plan_project
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.tasks import TaskDraft, validate_task
from itpm_tui.domain.validation import ValidationError

CAL = WorkCalendar()


def day(n: int) -> date:
    """A day of March 2026 (the 2nd is a Monday)."""
    return date(2026, 3, n)


def dates_of(tasks: list[PlanTask], links: list[Link]) -> dict[str, tuple[object, object]]:
    plan = plan_project(tasks, links, day(2), CAL)
    names = {t.id: t.name for t in tasks}
    return {names[p.id]: (p.start, p.finish) for p in plan.tasks}


def test_must_start_on_holds_a_task_its_links_would_push() -> None:
    build = PlanTask(1, None, "Build", planned_start=day(2), planned_finish=day(4))
    rehearsal = PlanTask(
        2, None, "Rehearsal", planned_start=day(3), planned_finish=day(3),
        constraint_kind="MSO", constraint_date=day(3),
    )  # fmt: skip
    after = PlanTask(3, None, "After", planned_start=day(2), planned_finish=day(2))
    links = [Link(1, 2), Link(2, 3)]
    assert dates_of([build, rehearsal, after], links) == {
        "Build": (day(2), day(4)),
        "Rehearsal": (day(3), day(3)),  # not the 5th: held on its date
        "After": (day(4), day(4)),  # its successors still wait for it
    }
    # without the constraint the link pushes it
    free = PlanTask(2, None, "Rehearsal", planned_start=day(3), planned_finish=day(3))
    assert dates_of([build, free, after], links)["Rehearsal"] == (day(5), day(5))


def test_finish_no_later_than_and_deadlines_only_flag() -> None:
    build = PlanTask(1, None, "Build", planned_start=day(2), planned_finish=day(4))
    migrate = PlanTask(
        2, None, "Migrate", planned_start=day(2), planned_finish=day(3),
        constraint_kind="FNLT", constraint_date=day(5), deadline=day(5),
    )  # fmt: skip
    assert dates_of([build, migrate], [Link(1, 2)])["Migrate"] == (day(5), day(6))
    assert date_warnings("FNLT", day(5), day(5), day(6)) == [
        "finishes after its Finish No Later Than 2026-03-05",
        "misses its deadline 2026-03-05",
    ]
    assert date_warnings("FNLT", day(5), day(6), day(5)) == []  # on the day is in time
    assert date_warnings("MSO", day(5), None, day(9)) == []
    assert date_warnings("", None, day(5), None) == []  # no finish: nothing to compare
    assert held_start("MSO", day(5)) == day(5)
    assert held_start("FNLT", day(5)) is None


@pytest.mark.parametrize(
    ("kind", "on", "message"),
    [
        (
            "SNLT",
            day(5),
            r"constraint: must be none or one of MSO \(Must Start On\), "
            r"FNLT \(Finish No Later Than\), got .SNLT.",
        ),
        ("MSO", None, r"constraint date: is required for Must Start On"),
        ("", day(5), r"constraint date: is only kept with a constraint"),
    ],
)
def test_a_stored_constraint_is_checked(kind: str, on: date | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_task(TaskDraft(name="Task", constraint_kind=kind, constraint_date=on))


def test_constraint_and_deadline_dates_are_within_the_years_allowed() -> None:
    with pytest.raises(ValidationError, match="deadline"):
        validate_task(TaskDraft(name="Task", deadline=date(1, 1, 1)))
