"""Column types that keep decimals exact in every database."""

from __future__ import annotations

from decimal import Decimal
from itertools import repeat
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class FixedPoint(TypeDecorator[Decimal]):
    """A `Decimal` stored as a scaled integer, so SQL `SUM` stays exact and portable.

    SQLite has no exact decimal type (NUMERIC is stored as a float); an integer of
    ten-thousandths is exact there and in PostgreSQL alike.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 4) -> None:
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("FixedPoint refuses binary floats; pass a Decimal")
        scaled = Decimal(value) * self._factor
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return int(scaled)

    def bind_column(self, values: list[Decimal]) -> list[int]:
        """`process_bind_param` of many decimals (none null) at once, in C: an import
        writes tens of thousands of amounts."""
        scaled = list(map(Decimal.scaleb, values, repeat(self.scale)))
        whole = list(map(int, scaled))
        if whole != scaled:  # an int equals a Decimal of the same value
            wrong = next(v for v, s, w in zip(values, scaled, whole, strict=True) if s != w)
            raise ValueError(f"{wrong} has more than {self.scale} decimal places")
        return whole

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self
