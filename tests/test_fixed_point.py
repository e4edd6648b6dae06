"""`FixedPoint` turns a whole column of decimals into its stored integers as it does one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from itpm_tui.storage.types import FixedPoint

DIALECT = sqlite.dialect()


@given(
    scale=st.integers(0, 4),
    data=st.data(),
)
def test_a_column_is_stored_as_each_value_is(scale: int, data: st.DataObject) -> None:
    places = data.draw(st.integers(0, scale))
    values = data.draw(
        st.lists(
            st.decimals(-(10**13) + 1, 10**13 - 1, places=places, allow_nan=False), max_size=20
        )
    )
    kind = FixedPoint(scale)
    assert kind.bind_column(values) == [kind.process_bind_param(v, DIALECT) for v in values]


def test_a_value_with_more_places_than_the_column_keeps_is_refused() -> None:
    with pytest.raises(ValueError, match=r"12\.345 has more than 2 decimal places"):
        FixedPoint(2).bind_column([Decimal("1.5"), Decimal("12.345")])
