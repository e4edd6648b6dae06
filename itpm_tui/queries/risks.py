"""The risk register as the screens read it: rows, heat-map counts, issues, top risks.

Filters are SQL conditions and the heat map is one grouped query, so a portfolio with
thousands of risks is read as cheaply as one project's dozen. `RiskFilter.matches` and
`register_key` in the domain state the same rules in plain Python; the tests hold the two
equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from itpm_tui.domain.enums import RiskStatus
from itpm_tui.domain.risk import (
    ACTIVE,
    ALL,
    LEVELS,
    STATUS_RANK,
    UNOWNED,
    RiskBand,
    RiskDraft,
    RiskFilter,
    RiskThresholds,
    band,
    band_range,
    is_review_overdue,
)
from itpm_tui.storage.database import Database
from itpm_tui.storage.models import Person, Project, Risk


@dataclass(frozen=True, slots=True)
class RiskRow:
    """One risk as the register shows it: scored and banded with the thresholds asked for."""

    id: int
    project_id: int
    project_code: str
    title: str
    description: str
    category: str
    probability: int
    impact: int
    score: int
    band: RiskBand
    residual_probability: int | None
    residual_impact: int | None
    residual_score: int | None
    residual_band: RiskBand | None
    owner_id: int | None
    owner: str
    response: str
    mitigation: str
    contingency: str
    trigger: str
    status: str
    raised_on: date | None
    review_date: date | None
    overdue: bool
    version: int

    def draft(self) -> RiskDraft:
        """The risk's editable values, to fill a form."""
        return RiskDraft(
            title=self.title,
            probability=self.probability,
            impact=self.impact,
            category=self.category,
            response=self.response,
            status=self.status,
            owner_id=self.owner_id,
            description=self.description,
            mitigation=self.mitigation,
            contingency=self.contingency,
            trigger=self.trigger,
            raised_on=self.raised_on,
            review_date=self.review_date,
            residual_probability=self.residual_probability,
            residual_impact=self.residual_impact,
        )


@dataclass(frozen=True, slots=True)
class OwnerChoice:
    """Someone who owns risks in the scope (id `UNOWNED` for risks nobody owns)."""

    id: int
    name: str
    risks: int


# --- reading ---------------------------------------------------------------------------------


def _levels(residual: bool) -> tuple[Any, Any]:
    """The SQL twin of `effective_levels`: residual levels when both were assessed."""
    if not residual:
        return col(Risk.probability), col(Risk.impact)
    assessed = and_(
        col(Risk.residual_probability).is_not(None), col(Risk.residual_impact).is_not(None)
    )
    return (
        case((assessed, col(Risk.residual_probability)), else_=col(Risk.probability)),
        case((assessed, col(Risk.residual_impact)), else_=col(Risk.impact)),
    )


def _conditions(flt: RiskFilter, thresholds: RiskThresholds) -> list[Any]:
    """`RiskFilter.matches` as SQL conditions (the query joins Project)."""
    where: list[Any] = []
    if flt.project_id is not None:
        where.append(col(Risk.project_id) == flt.project_id)
    else:  # the portfolio: archived projects are out of sight
        where.append(col(Project.archived) == False)  # noqa: E712
    if flt.owner_id == UNOWNED:
        where.append(col(Risk.owner_id).is_(None))
    elif flt.owner_id is not None:
        where.append(col(Risk.owner_id) == flt.owner_id)
    if flt.status == ACTIVE:
        where.append(col(Risk.status) != RiskStatus.CLOSED.value)
    elif flt.status != ALL:
        where.append(col(Risk.status) == flt.status)
    p, i = _levels(flt.residual)
    if flt.band is not None:
        scores = band_range(flt.band, thresholds)
        where.append((p * i).between(scores.start, scores.stop - 1))
    if flt.cell is not None:
        where.extend([p == flt.cell[0], i == flt.cell[1]])
    return where


def register_rows(
    db: Database,
    today: date,
    flt: RiskFilter = RiskFilter(),
    thresholds: RiskThresholds = RiskThresholds(),
    *,
    limit: int | None = None,
) -> list[RiskRow]:
    """The risks `flt` lets through in `register_key` order (highest score of the view first)."""
    p, i = _levels(flt.residual)
    rank = case(
        *((col(Risk.status) == status, place) for status, place in STATUS_RANK.items()),
        else_=len(STATUS_RANK),
    )
    query = (
        _with_names()
        .where(*_conditions(flt, thresholds))
        .order_by(
            (p * i).desc(),
            rank,
            col(Risk.review_date).is_(None),
            col(Risk.review_date),
            col(Project.code),
            col(Risk.id),
        )
        .limit(limit)
    )
    with db.read() as session:
        found = session.execute(query).all()
    return [_row(row, today, thresholds) for row in found]


def risk_row(db: Database, risk_id: int, today: date) -> RiskRow | None:
    """One risk as the register shows it (a form reading it again after a conflict)."""
    with db.read() as session:
        found = session.execute(_with_names().where(col(Risk.id) == risk_id)).first()
    return None if found is None else _row(found, today, RiskThresholds())


def _with_names() -> Any:
    """`_RISK` with the project's code and the owner's name: what `_row` reads."""
    owner = aliased(Person)
    return (
        select(*_RISK, col(Project.code), col(owner.name))
        .join(Project, col(Project.id) == col(Risk.project_id))
        .join(owner, col(owner.id) == col(Risk.owner_id), isouter=True)
    )


#: The risk's columns a `RiskRow` is made of, read as plain values (no ORM entity per risk).
_RISK = (
    col(Risk.id),
    col(Risk.project_id),
    col(Risk.title),
    col(Risk.description),
    col(Risk.category),
    col(Risk.probability),
    col(Risk.impact),
    col(Risk.residual_probability),
    col(Risk.residual_impact),
    col(Risk.owner_id),
    col(Risk.response),
    col(Risk.mitigation),
    col(Risk.contingency),
    col(Risk.trigger),
    col(Risk.status),
    col(Risk.raised_on),
    col(Risk.review_date),
    col(Risk.version),
)


def _row(row: Any, today: date, thresholds: RiskThresholds) -> RiskRow:
    """One row of `_RISK` + the project's code + the owner's name, scored and banded."""
    (
        rid,
        project_id,
        title,
        description,
        category,
        probability,
        impact,
        rp,
        ri,
        owner_id,
        response,
        mitigation,
        contingency,
        trigger,
        status,
        raised_on,
        review_date,
        version,
        code,
        owner,
    ) = row
    inherent = probability * impact
    residual = rp * ri if rp is not None and ri is not None else None
    return RiskRow(
        id=rid,
        project_id=project_id,
        project_code=code,
        title=title,
        description=description,
        category=category,
        probability=probability,
        impact=impact,
        score=inherent,
        band=band(inherent, thresholds),
        residual_probability=rp,
        residual_impact=ri,
        residual_score=residual,
        residual_band=band(residual, thresholds) if residual is not None else None,
        owner_id=owner_id,
        owner=owner or "",
        response=response,
        mitigation=mitigation,
        contingency=contingency,
        trigger=trigger,
        status=status,
        raised_on=raised_on,
        review_date=review_date,
        overdue=is_review_overdue(review_date, today, status),
        version=version,
    )


def heat_counts(
    db: Database, flt: RiskFilter = RiskFilter(), thresholds: RiskThresholds = RiskThresholds()
) -> dict[tuple[int, int], int]:
    """Risks per (probability, impact) cell in the filter's view, every cell of the 5×5 grid
    present; the filter's own cell is ignored, so the map shows where else to look."""
    flt = flt.without_cell()
    p, i = _levels(flt.residual)
    query = (
        select(p, i, func.count())
        .select_from(Risk)
        .join(Project, col(Project.id) == col(Risk.project_id))
        .where(*_conditions(flt, thresholds))
        .group_by(p, i)
    )
    grid = {(pp, ii): 0 for pp in LEVELS for ii in LEVELS}
    with db.read() as session:
        for pp, ii, count in session.execute(query):
            if (pp, ii) in grid:  # a level off the scale (only by hand in SQL) is not drawn
                grid[(pp, ii)] = int(count)
    return grid


def issues(
    db: Database,
    today: date,
    project_id: int | None = None,
    thresholds: RiskThresholds = RiskThresholds(),
) -> list[RiskRow]:
    """Risks that have happened (status occurred): issues to act on, with their contingency."""
    flt = RiskFilter(project_id=project_id, status=RiskStatus.OCCURRED.value)
    return register_rows(db, today, flt, thresholds)


def top_risks(
    db: Database, today: date, limit: int = 10, thresholds: RiskThresholds = RiskThresholds()
) -> list[RiskRow]:
    """The highest-scored risks not yet closed across all live projects (for the stand-up)."""
    return register_rows(db, today, RiskFilter(), thresholds, limit=limit)


def risk_owners(db: Database, project_id: int | None = None) -> list[OwnerChoice]:
    """Who owns risks in the scope (any status), by name, then the unowned if there are any."""
    where: list[Any] = [
        col(Risk.project_id) == project_id
        if project_id is not None
        else col(Project.archived) == False  # noqa: E712
    ]
    query = (
        select(col(Risk.owner_id), col(Person.name), func.count())
        .select_from(Risk)
        .join(Project, col(Project.id) == col(Risk.project_id))
        .join(Person, col(Person.id) == col(Risk.owner_id), isouter=True)
        .where(*where)
        .group_by(col(Risk.owner_id), col(Person.name))
        .order_by(col(Person.name).is_(None), col(Person.name))
    )
    with db.read() as session:
        found = session.execute(query).all()
    return [
        OwnerChoice(owner_id, name, int(count))
        if owner_id is not None
        else OwnerChoice(UNOWNED, "(no owner)", int(count))
        for owner_id, name, count in found
    ]


# --- writing ---------------------------------------------------------------------------------
