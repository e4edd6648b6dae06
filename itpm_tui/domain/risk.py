"""Risk scoring on the usual 5×5 grid: probability × impact, banded low to critical.

One place decides what "high" and "critical" mean, so the register, the heat map, the health
rules and the stand-up's top risks all agree. Scores run 1–25; the default bands are low
1–4, medium 5–9, high 10–15 and critical 16–25.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from itpm_tui.domain.enums import RiskCategory, RiskResponse, RiskStatus
from itpm_tui.domain.validation import Checker, ValidationError

LEVEL_MIN = 1
LEVEL_MAX = 5
SCORE_MIN = LEVEL_MIN * LEVEL_MIN
SCORE_MAX = LEVEL_MAX * LEVEL_MAX
LEVELS = range(LEVEL_MIN, LEVEL_MAX + 1)


class RiskBand(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class RiskThresholds:
    """The lowest score of each band above low; must ascend within 2–25."""

    medium: int = 5
    high: int = 10
    critical: int = 16

    def __post_init__(self) -> None:
        values = (self.medium, self.high, self.critical)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            raise ValidationError("thresholds", f"must be whole numbers, got {values}")
        if not SCORE_MIN < self.medium < self.high < self.critical <= SCORE_MAX:
            raise ValidationError(
                "thresholds",
                f"must ascend within {SCORE_MIN + 1}–{SCORE_MAX} (medium < high < critical), "
                f"got {self.medium}, {self.high}, {self.critical}",
            )


def _check_level(check: Checker, field: str, value: object) -> None:
    if value is None:
        check.fail(field, "is required")
    elif isinstance(value, bool) or not isinstance(value, int):
        check.fail(
            field, f"must be a whole number between {LEVEL_MIN} and {LEVEL_MAX}, got {value!r}"
        )
    else:
        check.between(field, value, LEVEL_MIN, LEVEL_MAX)


def score(probability: int, impact: int) -> int:
    """Probability × impact, each 1–5; a value off the scale is a `ValidationError`."""
    check = Checker()
    _check_level(check, "probability", probability)
    _check_level(check, "impact", impact)
    check.raise_if_any()
    return probability * impact


def residual_score(residual_probability: int | None, residual_impact: int | None) -> int | None:
    """The score after the response, or None while it has not been assessed (both empty).

    Half an assessment is refused rather than guessed at.
    """
    if residual_probability is None and residual_impact is None:
        return None
    check = Checker()
    _check_level(check, "residual_probability", residual_probability)
    _check_level(check, "residual_impact", residual_impact)
    check.raise_if_any()
    assert residual_probability is not None and residual_impact is not None
    return residual_probability * residual_impact


def band(score: int, thresholds: RiskThresholds = RiskThresholds()) -> RiskBand:
    """The band a score falls in; scores outside 1–25 are refused."""
    check = Checker()
    if isinstance(score, bool) or not isinstance(score, int):
        check.fail("score", f"must be a whole number between {SCORE_MIN} and {SCORE_MAX}")
    else:
        check.between("score", score, SCORE_MIN, SCORE_MAX)
    check.raise_if_any()
    if score >= thresholds.critical:
        return RiskBand.CRITICAL
    if score >= thresholds.high:
        return RiskBand.HIGH
    if score >= thresholds.medium:
        return RiskBand.MEDIUM
    return RiskBand.LOW


def heat_map(risks: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Counts per (probability, impact) cell of the full 5×5 grid, empty cells included."""
    grid = {(p, i): 0 for p in LEVELS for i in LEVELS}
    for probability, impact in risks:
        score(probability, impact)
        grid[(probability, impact)] += 1
    return grid


def is_review_overdue(review_date: date | None, today: date, status: str | None = None) -> bool:
    """True once the review date has passed; a review due today is not yet overdue.

    No review date, or a closed risk, is never overdue.
    """
    if review_date is None or status == RiskStatus.CLOSED.value:
        return False
    return review_date < today


#: The free-text fields, checked by `domain.limits`.
_TEXTS = ("description", "mitigation", "contingency", "trigger")
_FIELDS = (
    "title",
    *_TEXTS,
    "probability",
    "impact",
    "residual_probability",
    "residual_impact",
    "category",
    "response",
    "status",
    "raised_on",
    "review_date",
)


def validate_risk(draft: Mapping[str, Any] | object) -> None:
    """Check a risk about to be saved (a form's values, an import row or a model instance).

    Every problem is collected and raised together as one `ValidationError`, so a form can
    mark all bad fields at once. Category, response and status may be left out (the stored
    defaults apply), but when given must be one of their vocabularies.
    """
    if isinstance(draft, Mapping):
        values = {name: draft.get(name) for name in _FIELDS}
    else:
        values = {name: getattr(draft, name, None) for name in _FIELDS}
    check = Checker()
    title = values["title"]
    check.required("title", title if isinstance(title, str) or title is None else str(title))
    _check_level(check, "probability", values["probability"])
    _check_level(check, "impact", values["impact"])
    rp, ri = values["residual_probability"], values["residual_impact"]
    if rp is not None or ri is not None:
        if rp is None:
            check.fail("residual_probability", "must be given together with residual_impact")
        else:
            _check_level(check, "residual_probability", rp)
        if ri is None:
            check.fail("residual_impact", "must be given together with residual_probability")
        else:
            _check_level(check, "residual_impact", ri)
    check.one_of("category", _text(values["category"]), RiskCategory)
    check.one_of("response", _text(values["response"]), RiskResponse)
    check.one_of("status", _text(values["status"]), RiskStatus)
    raised, review = values["raised_on"], values["review_date"]
    if isinstance(raised, date) and isinstance(review, date):
        check.date_order("raised_on", raised, "review_date", review)
    check.columns("risk", {k: values[k] for k in ("title", *_TEXTS)})
    check.dates(*((k, v) for k in ("raised_on", "review_date") if isinstance(v := values[k], date)))
    check.raise_if_any()


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# --- the register: drafts, filters and order --------------------------------------------------


@dataclass(frozen=True, slots=True)
class RiskDraft:
    """What a form or an import holds before it is checked by `validate_risk` and saved."""

    title: str
    probability: int | None
    impact: int | None
    category: str = RiskCategory.TECHNICAL.value
    response: str = RiskResponse.MITIGATE.value
    status: str = RiskStatus.OPEN.value
    owner_id: int | None = None
    description: str = ""
    mitigation: str = ""
    contingency: str = ""
    trigger: str = ""
    raised_on: date | None = None
    review_date: date | None = None
    residual_probability: int | None = None
    residual_impact: int | None = None


#: Status filter values: every risk not yet closed, one status, or everything.
ACTIVE = "active"
ALL = "all"
STATUS_FILTERS = (ACTIVE, *(s.value for s in RiskStatus), ALL)
#: Owner filter value for risks nobody owns (no person has id 0).
UNOWNED = 0
#: Within one score, what needs the reader first: a risk that happened, then the open ones.
STATUS_RANK = {
    RiskStatus.OCCURRED.value: 0,
    RiskStatus.OPEN.value: 1,
    RiskStatus.WATCHING.value: 2,
    RiskStatus.CLOSED.value: 3,
}


def band_range(which: RiskBand, thresholds: RiskThresholds = RiskThresholds()) -> range:
    """The scores that fall in `which`, so a band can be asked of SQL as a BETWEEN."""
    bounds = {
        RiskBand.LOW: (SCORE_MIN, thresholds.medium - 1),
        RiskBand.MEDIUM: (thresholds.medium, thresholds.high - 1),
        RiskBand.HIGH: (thresholds.high, thresholds.critical - 1),
        RiskBand.CRITICAL: (thresholds.critical, SCORE_MAX),
    }
    low, high = bounds[RiskBand(which)]
    return range(low, high + 1)


def effective_levels(
    probability: int,
    impact: int,
    residual_probability: int | None,
    residual_impact: int | None,
    residual: bool,
) -> tuple[int, int]:
    """Where a risk sits on the map: its inherent levels, or in the residual view its levels
    after the response — a risk whose residual was not assessed stays where it is, since
    nothing is known to have reduced it."""
    if residual and residual_probability is not None and residual_impact is not None:
        return residual_probability, residual_impact
    return probability, impact


class RiskLike(Protocol):
    """The facts of a risk the register filters and orders by."""

    id: int
    project_id: int
    project_code: str
    owner_id: int | None
    probability: int
    impact: int
    residual_probability: int | None
    residual_impact: int | None
    status: str
    review_date: date | None


@dataclass(frozen=True, slots=True)
class RiskFilter:
    """Which risks the register shows; every field left at its default lets all through.

    `band` and `cell` are read in the current view (inherent, or residual when `residual`).
    """

    project_id: int | None = None
    owner_id: int | None = None
    band: RiskBand | None = None
    status: str = ACTIVE
    cell: tuple[int, int] | None = None
    residual: bool = False

    def __post_init__(self) -> None:
        check = Checker()
        check.one_of("status", self.status, STATUS_FILTERS)
        if self.cell is not None:
            _check_level(check, "probability", self.cell[0])
            _check_level(check, "impact", self.cell[1])
        check.raise_if_any()

    def without_cell(self) -> RiskFilter:
        return replace(self, cell=None)

    @property
    def narrowed(self) -> bool:
        """True when anything beyond the project hides risks the default view would show."""
        return (
            self.owner_id is not None
            or self.band is not None
            or self.status != ACTIVE
            or self.cell is not None
        )

    def levels(self, risk: RiskLike) -> tuple[int, int]:
        return effective_levels(
            risk.probability,
            risk.impact,
            risk.residual_probability,
            risk.residual_impact,
            self.residual,
        )

    def matches(self, risk: RiskLike, thresholds: RiskThresholds = RiskThresholds()) -> bool:
        """The rule the register's SQL implements, in plain Python (the tests hold them equal)."""
        if self.project_id is not None and risk.project_id != self.project_id:
            return False
        if self.owner_id is not None:
            owner = risk.owner_id if risk.owner_id is not None else UNOWNED
            if owner != self.owner_id:
                return False
        if self.status == ACTIVE:
            if risk.status == RiskStatus.CLOSED.value:
                return False
        elif self.status != ALL and risk.status != self.status:
            return False
        p, i = self.levels(risk)
        if self.band is not None and band(p * i, thresholds) != self.band:
            return False
        return self.cell is None or (p, i) == self.cell


def register_key(risk: RiskLike, residual: bool = False) -> tuple[int, int, date, str, int]:
    """Highest score first; within a score, occurred before open before watching before
    closed, the earliest review first (none last), then by project code and id, so the
    order is total and the same on every refresh."""
    p, i = effective_levels(
        risk.probability, risk.impact, risk.residual_probability, risk.residual_impact, residual
    )
    return (
        -(p * i),
        STATUS_RANK.get(risk.status, len(STATUS_RANK)),
        risk.review_date or date.max,
        risk.project_code,
        risk.id,
    )
