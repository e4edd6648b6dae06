"""What day it is: the one place the real clock is read (standard library only, so a
one-shot command can know today without loading the database layer)."""

from __future__ import annotations

import os
from datetime import date

from itpm_tui.errors import ItpmError


def system_today() -> date:
    """Today — or the day the environment variable ITPM_TODAY names (YYYY-MM-DD), so a
    script can replay a plan over several days and a demo can be shown as of a date.
    The one place the real clock is read."""
    text = os.environ.get("ITPM_TODAY", "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ItpmError(f"ITPM_TODAY: '{text}' is not a date; use YYYY-MM-DD") from None
