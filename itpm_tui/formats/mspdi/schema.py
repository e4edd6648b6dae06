"""Names and numbers of MS Project XML (MSPDI) that its reader and writer share."""

from __future__ import annotations

from itpm_tui.errors import ItpmError

NS = "http://schemas.microsoft.com/project"
SAVE_VERSION = 14
HOURS_PER_DAY = 8
#: MSPDI link lags are tenths of a minute; an elapsed day is 24 h (a working day is the
#: project's working hours).
TENTHS_PER_ELAPSED_DAY = 24 * 60 * 10
#: DurationFormat / LagFormat: working hours, working days, and working days marked
#: estimated ("1d?").
HOURS = 5
DAYS = 7
ESTIMATED_DAYS = 39
#: DurationFormat "eh" and "ed": elapsed hours (clock time), and elapsed days, 24 hours
#: each, weekends and holidays included.
ELAPSED_HOURS = 6
ELAPSED_DAYS = 8
#: Task/ConstraintType "Must Start On", "Start No Earlier Than", "Finish No Later Than", and
#: Task/Type "Fixed Duration".
MUST_START_ON_CODE = 2
START_NO_EARLIER_THAN = 4
FINISH_NO_LATER_THAN_CODE = 7
FIXED_DURATION = 1
#: PredecessorLink/Type as MS Project numbers it.
LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
LINK_CODES = {kind: number for number, kind in LINK_TYPES.items()}
#: The resource MS Project puts on an assignment that has none.
UNASSIGNED_RESOURCE = -65535
MAX_LAG_DAYS = 365


class MspdiError(ItpmError):
    """The file is not a plan itpm can read; it names the element and nothing was written."""
