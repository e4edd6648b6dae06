"""Marking a stand-up, so the next one's "What changed" starts from it.

The kiosk calls `record_standup` when it starts. It is one activity entry (entity
"standup"), no table of its own. Any role that may write something — a project manager or a
technician — records it; a viewer's kiosk records nothing (it may not write, and a
stand-up shown by a viewer still reads the feed since the last one recorded).
"""

from __future__ import annotations

from itpm_tui.domain.roles import Action
from itpm_tui.errors import NotAllowed
from itpm_tui.services.context import Context


def record_standup(ctx: Context) -> bool:
    """Log that a stand-up is held today; False (nothing written) for a viewer."""
    try:
        with ctx.transaction(Action.LOG_CONTACT) as tx:
            tx.log("standup", None, "hold", summary=f"stand-up held on {ctx.today().isoformat()}")
    except NotAllowed:
        return False
    return True
