"""Risk scoring: the 5×5 grid, the bands, the heat map and whole-draft validation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.risk import (
    RiskBand,
    RiskThresholds,
    band,
    heat_map,
    is_review_overdue,
    residual_score,
    score,
    validate_risk,
)
from itpm_tui.domain.validation import ValidationError

levels = st.integers(min_value=1, max_value=5)
scores = st.integers(min_value=1, max_value=25)
ORDER = [RiskBand.LOW, RiskBand.MEDIUM, RiskBand.HIGH, RiskBand.CRITICAL]


def test_score_is_probability_times_impact() -> None:
    assert score(1, 1) == 1
    assert score(3, 4) == 12
    assert score(5, 5) == 25


def test_score_off_the_scale_names_the_field_and_the_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        score(7, 3)
    assert caught.value.field == "probability"
    assert caught.value.rule == "must be between 1 and 5, got 7"
    assert str(caught.value) == "probability: must be between 1 and 5, got 7"


def test_both_bad_levels_are_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        score(0, 6)
    assert [(p.field, p.rule) for p in caught.value.problems] == [
        ("probability", "must be between 1 and 5, got 0"),
        ("impact", "must be between 1 and 5, got 6"),
    ]


@pytest.mark.parametrize("value", [2.5, "3", True, None])
def test_score_refuses_non_whole_numbers(value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        score(value, 3)
    assert caught.value.field == "probability"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (15, "high"),
        (16, "critical"),
        (25, "critical"),
    ],
)
def test_default_bands(value: int, expected: str) -> None:
    assert band(value) == expected
    assert isinstance(band(value), str)


def test_custom_thresholds() -> None:
    strict = RiskThresholds(medium=3, high=6, critical=12)
    assert [band(s, strict) for s in (2, 3, 6, 12)] == ["low", "medium", "high", "critical"]


@pytest.mark.parametrize(
    ("medium", "high", "critical"),
    [(5, 5, 16), (10, 5, 16), (1, 5, 16), (5, 10, 26), (5, 16, 10)],
)
def test_thresholds_must_ascend_within_the_scale(medium: int, high: int, critical: int) -> None:
    with pytest.raises(ValidationError) as caught:
        RiskThresholds(medium, high, critical)
    assert caught.value.field == "thresholds"


@pytest.mark.parametrize("value", [0, 26, -3])
def test_band_refuses_scores_off_the_grid(value: int) -> None:
    with pytest.raises(ValidationError) as caught:
        band(value)
    assert caught.value.field == "score"


@given(levels, levels)
def test_score_stays_on_the_grid(probability: int, impact: int) -> None:
    assert 1 <= score(probability, impact) <= 25


@given(scores, scores)
def test_band_is_monotone_in_score(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert ORDER.index(band(low)) <= ORDER.index(band(high))


@given(
    st.tuples(st.integers(2, 23), st.integers(1, 10), st.integers(1, 10)).filter(
        lambda t: t[0] + t[1] + t[2] <= 25
    ),
    scores,
    scores,
)
def test_band_is_monotone_under_any_valid_thresholds(
    steps: tuple[int, int, int], a: int, b: int
) -> None:
    medium, gap1, gap2 = steps
    thresholds = RiskThresholds(medium, medium + gap1, medium + gap1 + gap2)
    low, high = sorted((a, b))
    assert ORDER.index(band(low, thresholds)) <= ORDER.index(band(high, thresholds))


def test_residual_score() -> None:
    assert residual_score(None, None) is None
    assert residual_score(2, 3) == 6
    with pytest.raises(ValidationError) as caught:
        residual_score(2, None)
    assert caught.value.field == "residual_impact"
    with pytest.raises(ValidationError) as caught:
        residual_score(6, 1)
    assert caught.value.field == "residual_probability"


def test_heat_map_counts_every_cell_of_the_grid() -> None:
    grid = heat_map([(5, 5), (5, 5), (1, 3), (3, 1)])
    assert len(grid) == 25
    assert grid[(5, 5)] == 2
    assert grid[(1, 3)] == 1
    assert grid[(3, 1)] == 1
    assert sum(grid.values()) == 4
    assert heat_map([]) == {(p, i): 0 for p in range(1, 6) for i in range(1, 6)}


def test_heat_map_refuses_a_risk_off_the_grid() -> None:
    with pytest.raises(ValidationError):
        heat_map([(2, 2), (0, 4)])


def test_review_overdue() -> None:
    today = date(2026, 3, 18)
    assert is_review_overdue(date(2026, 3, 17), today)
    assert not is_review_overdue(today, today)
    assert not is_review_overdue(date(2026, 3, 19), today)
    assert not is_review_overdue(None, today)
    assert not is_review_overdue(date(2026, 1, 1), today, status="closed")
    assert is_review_overdue(date(2026, 1, 1), today, status="watching")


GOOD: dict[str, Any] = {
    "title": "Vendor ships the firewall late",
    "probability": 3,
    "impact": 4,
    "residual_probability": 2,
    "residual_impact": 2,
    "category": "vendor",
    "response": "mitigate",
    "status": "open",
}


def test_a_good_draft_passes() -> None:
    validate_risk(GOOD)
    validate_risk({**GOOD, "residual_probability": None, "residual_impact": None})
    validate_risk({"title": "Minimal", "probability": 1, "impact": 1})


def test_a_model_like_object_is_validated_by_attribute() -> None:
    @dataclass
    class Row:
        title: str = "Mail cut-over overruns the window"
        probability: int = 4
        impact: int = 5
        category: str = "schedule"
        response: str = "avoid"
        status: str = "watching"
        residual_probability: int | None = None
        residual_impact: int | None = None

    validate_risk(Row())
    with pytest.raises(ValidationError) as caught:
        validate_risk(Row(impact=9))
    assert caught.value.field == "impact"


def test_a_bad_draft_lists_every_problem() -> None:
    draft = {
        "title": "  ",
        "probability": 0,
        "impact": 6,
        "residual_probability": 2,
        "residual_impact": None,
        "category": "weather",
        "response": "pray",
        "status": "forgotten",
        "raised_on": date(2026, 3, 10),
        "review_date": date(2026, 3, 1),
    }
    with pytest.raises(ValidationError) as caught:
        validate_risk(draft)
    problems = {p.field: p.rule for p in caught.value.problems}
    assert list(problems) == [
        "title",
        "probability",
        "impact",
        "residual_impact",
        "category",
        "response",
        "status",
        "review_date",
    ]
    assert problems["title"] == "must not be empty"
    assert problems["residual_impact"] == "must be given together with residual_probability"
    assert problems["category"].startswith("must be one of technical, vendor")
    assert problems["category"].endswith("got 'weather'")
    assert problems["review_date"] == "must not be before raised_on (2026-03-10)"


def test_missing_levels_are_required() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_risk({"title": "No levels"})
    assert [(p.field, p.rule) for p in caught.value.problems] == [
        ("probability", "is required"),
        ("impact", "is required"),
    ]
