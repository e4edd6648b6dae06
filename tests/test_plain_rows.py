"""The register and the contacts, read as plain rows, carry every stored value as it is.

`register_rows` and `contacts` used to build an ORM entity per risk and per stakeholder;
they now select the columns. Each row is checked field by field against the entity the
ORM loads for the same id, on the demo portfolio.
"""

from __future__ import annotations

from conftest import TODAY
from sqlmodel import select

from itpm_tui.domain.risk import ALL, RiskFilter
from itpm_tui.queries.risks import register_rows
from itpm_tui.queries.stakeholders import contacts
from itpm_tui.services.context import Context
from itpm_tui.storage.models import Risk, Stakeholder

RISK_FIELDS = (
    "project_id",
    "title",
    "description",
    "category",
    "probability",
    "impact",
    "residual_probability",
    "residual_impact",
    "owner_id",
    "response",
    "mitigation",
    "contingency",
    "trigger",
    "status",
    "raised_on",
    "review_date",
    "version",
)
CONTACT_FIELDS = (
    "name",
    "organisation",
    "title",
    "kind",
    "email",
    "phone",
    "channel",
    "cadence",
    "influence",
    "interest",
    "notes",
    "version",
)


def test_register_rows_carry_the_stored_risk(demo_ctx: Context) -> None:
    rows = register_rows(demo_ctx.db, TODAY, RiskFilter(status=ALL))
    with demo_ctx.db.read() as session:
        stored = {r.id: r for r in session.exec(select(Risk)).all()}
    assert rows and {r.id for r in rows} <= set(stored)
    for row in rows:
        risk = stored[row.id]
        assert [getattr(row, f) for f in RISK_FIELDS] == [getattr(risk, f) for f in RISK_FIELDS]
        assert row.score == risk.probability * risk.impact
        assert row.raised_on is None or type(row.raised_on) is type(TODAY)


def test_contacts_carry_the_stored_stakeholder(demo_ctx: Context) -> None:
    found = contacts(demo_ctx.db, TODAY)
    with demo_ctx.db.read() as session:
        stored = {s.id: s for s in session.exec(select(Stakeholder)).all()}
    assert {c.id for c in found} == set(stored)
    assert [c.name for c in found] == sorted(c.name for c in found)
    for contact in found:
        person = stored[contact.id]
        got = [getattr(contact, f) for f in CONTACT_FIELDS]
        assert got == [getattr(person, f) for f in CONTACT_FIELDS]
