"""Exact money: `Decimal` amounts with an ISO 4217 currency, never binary floats."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from itpm_tui.domain.validation import ValidationError

# Active ISO 4217 codes and the number of minor-unit digits each uses.
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
    "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN "
    "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES "
    "WST XCD YER ZAR ZMW ZWG"
)
CURRENCY_DIGITS: dict[str, int] = {
    **{code: 2 for code in _TWO.split()},
    **{code: 0 for code in _ZERO.split()},
    **{code: 3 for code in _THREE.split()},
}

#: Amounts are stored as integers of this many decimal places, whatever the currency.
STORAGE_SCALE = 4


def check_currency(code: str, field: str = "currency") -> str:
    """Return the upper-cased ISO code, or refuse one that is not an active ISO 4217 code."""
    normalised = (code or "").strip().upper()
    if normalised not in CURRENCY_DIGITS:
        raise ValidationError(field, f"'{code}' is not an ISO 4217 currency code (e.g. EUR, USD)")
    return normalised


def minor_digits(currency: str) -> int:
    return CURRENCY_DIGITS[check_currency(currency)]


#: A sign, ASCII digits grouped by commas in threes (or not grouped at all), a decimal part.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)


def parse_amount(text: str | Decimal | int, currency: str, field: str = "amount") -> Decimal:
    """Read an amount typed by a user or found in a file, exactly, in `currency`'s minor units.

    Accepts ASCII digits with a leading sign, a decimal point and commas that group thousands
    (``1,234.50``, ``-1234.5``); refuses misplaced commas (``12,34.5``), other digits and
    separators, more decimals than the currency has, exponents, NaN and infinity.
    """
    digits = minor_digits(currency)
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = str(text).strip()
        if not cleaned:
            raise ValidationError(field, "is required")
        if not _AMOUNT.fullmatch(cleaned):
            raise ValidationError(field, f"'{text}' is not a decimal amount (e.g. 1,234.50 or -80)")
        try:
            value = Decimal(cleaned.replace(",", ""))
        except InvalidOperation:
            raise ValidationError(field, f"'{text}' is not a decimal amount") from None
    if not value.is_finite():
        raise ValidationError(field, f"'{text}' is not a decimal amount")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > digits and value != value.quantize(Decimal(1).scaleb(-digits)):
        raise ValidationError(
            field, f"{currency} amounts have at most {digits} decimal places, got '{text}'"
        )
    if abs(value) >= Decimal(10) ** 13:
        raise ValidationError(field, "must be less than 10,000,000,000,000")
    return value.quantize(Decimal(1).scaleb(-digits))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount with its currency; adding two currencies is an error, never a silent sum."""

    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot subtract {other.currency} from {self.currency}")
        return Money(self.amount - other.amount, self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: Decimal | None, currency: str, *, symbol: bool = True) -> str:
    """`1234.5`, `EUR` → `EUR 1,234.50`; rounding half-even to the currency's minor units."""
    if amount is None:
        return "—"
    digits = CURRENCY_DIGITS.get(currency, 2)
    quantised = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    text = f"{quantised:,.{digits}f}"
    return f"{currency} {text}" if symbol else text


def format_compact(amount: Decimal | None, currency: str | None = None) -> str:
    """Short form for narrow columns: `12.3k`, `1.20M`; exact figures live in the ledger."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 1_000_000:
        text = f"{(value / 1_000_000).quantize(Decimal('0.01'))}M"
    elif value >= 10_000:
        text = f"{(value / 1000).quantize(Decimal('0.1'))}k"
    else:
        text = f"{value.quantize(Decimal(1)):,}"
    return f"{sign}{text}" if currency is None else f"{sign}{text} {currency}"
