"""Public holidays common to the clients' countries, kept by every project."""

from __future__ import annotations

from itpm_tui.demo.shapes import PublicHoliday

# fmt: off

COMPANY_HOLIDAYS: tuple[PublicHoliday, ...] = (
    PublicHoliday("New Year's Day", month=1, day=1),
    PublicHoliday("Good Friday", easter=-2),
    PublicHoliday("Easter Monday", easter=1),
    PublicHoliday("Labour Day", month=5, day=1),
    PublicHoliday("Christmas Day", month=12, day=25),
    PublicHoliday("St Stephen's Day", month=12, day=26),
)

# fmt: on
