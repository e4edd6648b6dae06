from datetime import date
from decimal import Decimal

import pytest

from itpm_tui.domain.people import PersonDraft, validate_person
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.stakeholders import StakeholderDraft, validate_contact
from itpm_tui.domain.tasks import TaskDraft, validate_link, validate_task
from itpm_tui.domain.validation import ValidationError, parse_date


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.field for p in exc.value.problems}


def test_project_lists_every_broken_rule() -> None:
    draft = ProjectDraft(
        code="1x",
        name="  ",
        currency="EUX",
        phase="dreaming",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as info:
        validate_project(draft)
    assert fields_of(info) == {"code", "name", "currency", "phase", "end date"}
    assert "must not be before start date (2026-05-01)" in str(info.value)


def test_project_is_normalised() -> None:
    clean = validate_project(ProjectDraft(code="fw-26", name=" Firewall ", currency="gbp"))
    assert (clean.code, clean.name, clean.currency) == ("FW-26", "Firewall", "GBP")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percent_complete": 101}, "percent complete"),
        ({"percent_complete": -1}, "percent complete"),
        ({"estimate_hours": Decimal("-1")}, "estimate"),
        ({"name": ""}, "name"),
        ({"status": "sleeping"}, "status"),
        ({"planned_start": date(2026, 3, 2), "planned_finish": date(2026, 3, 1)}, "finish"),
    ],
)
def test_task_rules(change: dict[str, object], field: str) -> None:
    draft = TaskDraft(name="Patch [core] switches")
    for key, value in change.items():
        setattr(draft, key, value)
    with pytest.raises(ValidationError) as info:
        validate_task(draft)
    assert field in fields_of(info)


def test_link_rules() -> None:
    validate_link("SS", 2)
    with pytest.raises(ValidationError, match="link type"):
        validate_link("XX", 0)


@pytest.mark.parametrize("email", ["bob", "bob@", "bob@example", "a b@example.com"])
def test_bad_email_is_refused(email: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_person(PersonDraft(name="Bob", handle="bob", email=email))
    assert fields_of(info) == {"email"}


def test_stakeholder_influence_and_interest_are_one_to_five() -> None:
    with pytest.raises(ValidationError) as info:
        validate_contact(StakeholderDraft(name="Ann", influence=0, interest=6))
    assert fields_of(info) == {"influence", "interest"}


def test_parse_date_accepts_iso_and_configured_format() -> None:
    assert parse_date("2026-03-31", "start") == date(2026, 3, 31)
    assert parse_date("31/03/2026", "start", "%d/%m/%Y") == date(2026, 3, 31)
    assert parse_date("  ", "start") is None
    with pytest.raises(ValidationError, match=r"start: '31\.3' is not a date"):
        parse_date("31.3", "start")
