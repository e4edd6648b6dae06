"""What makes a project record acceptable, independent of any form or file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itpm_tui.domain.enums import Phase, ProjectStatus
from itpm_tui.domain.money import CURRENCY_DIGITS
from itpm_tui.domain.validation import Checker, ValidationError
from itpm_tui.domain.work_hours import STANDARD_HOURS, parse_working_hours


@dataclass
class ProjectDraft:
    """The editable fields of a project, as a form or an import supplies them."""

    code: str
    name: str
    client: str = ""
    sponsor: str = ""
    manager_id: int | None = None
    phase: str = Phase.IDENTIFICATION.value
    status: str = ProjectStatus.ACTIVE.value
    start_date: date | None = None
    end_date: date | None = None
    objective: str = ""
    scope: str = ""
    kpis: str = ""
    currency: str = "EUR"
    #: The working hours of each working day as typed (`07:00-11:30,12:00-15:30`); "" or
    #: "standard" is 08:00-12:00,13:00-17:00.
    work_hours: str = ""

    def normalised(self) -> ProjectDraft:
        return ProjectDraft(
            **{
                **self.__dict__,
                "code": self.code.strip().upper(),
                "name": self.name.strip(),
                "client": self.client.strip(),
                "sponsor": self.sponsor.strip(),
                "currency": self.currency.strip().upper(),
            }
        )


def validate_project(draft: ProjectDraft) -> ProjectDraft:
    """Return the normalised draft or raise `ValidationError` listing every broken rule."""
    d = draft.normalised()
    check = Checker()
    check.code("code", d.code)
    check.required("name", d.name)
    check.one_of("phase", d.phase, Phase)
    check.one_of("status", d.status, ProjectStatus)
    check.date_order("start date", d.start_date, "end date", d.end_date)
    check.columns(
        "project",
        {k: getattr(d, k) for k in ("name", "client", "sponsor", "objective", "scope", "kpis")},
    )
    check.dates(("start date", d.start_date), ("end date", d.end_date))
    if d.currency not in CURRENCY_DIGITS:
        check.fail("currency", f"'{d.currency}' is not an ISO 4217 currency code (e.g. EUR, USD)")
    try:
        d.work_hours = stored_hours(d.work_hours)
    except ValidationError as exc:
        check.problems.extend(exc.problems)
    check.raise_if_any()
    return d


def stored_hours(text: str) -> str:
    """Working hours as stored: "" for the standard day (typed "", "standard" or spelled
    out), else the spans in order as `parse_working_hours` reads them back."""
    if text.strip().lower() == "standard":
        return ""
    hours = parse_working_hours(text)
    return "" if hours == STANDARD_HOURS else str(hours)
