from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.domain.money import Money, check_currency, format_money, parse_amount
from itpm_tui.domain.validation import ValidationError


def test_parse_exact_amounts() -> None:
    assert parse_amount("1,234.50", "EUR") == Decimal("1234.50")
    assert parse_amount("-12.5", "EUR") == Decimal("-12.50")
    assert parse_amount("1000", "JPY") == Decimal("1000")
    assert parse_amount("1.234", "BHD") == Decimal("1.234")


@pytest.mark.parametrize(
    "text",
    # Misplaced commas, underscores, spaces and non-ASCII digits are refused, not guessed at.
    ["1.234", "abc", "1e5", "NaN", "inf", "", "12,34.5", "1,23", "1_000", "1 000", "٣", "--1"],
)
def test_parse_refuses_with_field_and_rule(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount(text, "EUR", field="amount")
    assert info.value.field == "amount"
    assert str(info.value).startswith("amount: ")


def test_yen_has_no_minor_units() -> None:
    with pytest.raises(ValidationError, match="at most 0 decimal places"):
        parse_amount("10.5", "JPY")


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValidationError, match="ISO 4217"):
        check_currency("EUX")
    assert check_currency(" usd ") == "USD"


def test_money_never_adds_currencies_silently() -> None:
    with pytest.raises(ValueError, match="cannot add"):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")
    assert Money(Decimal("0.10"), "EUR") + Money(Decimal("0.20"), "EUR") == Money(
        Decimal("0.30"), "EUR"
    )


def test_format_money() -> None:
    assert format_money(Decimal("1234.5"), "EUR") == "EUR 1,234.50"
    assert format_money(Decimal("1234"), "JPY") == "JPY 1,234"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_parse_round_trips_two_place_amounts(value: Decimal) -> None:
    assert parse_amount(f"{value:f}", "EUR") == value


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_parse_reads_what_format_money_writes(value: Decimal) -> None:
    assert parse_amount(format_money(value, "EUR", symbol=False), "EUR") == value
