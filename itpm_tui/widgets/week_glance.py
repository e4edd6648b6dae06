"""What a PM glances at below the portfolio on a tall screen: this week's milestones across
the projects (late ones first) and the stakeholders whose update is due this week."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from itpm_tui.widgets.formatting import format_date, literal, tone

if TYPE_CHECKING:
    from itpm_tui.queries.standup import MilestoneDue, UpdateDue

#: More lines than the glance ever shows (its height is at most 12, see projects.tcss): the
#: rest are not written, so a portfolio with thousands of updates due does not lay out
#: thousands of hidden lines on every change of the table above.
SHOWN_AT_MOST = 20


def milestones_text(milestones: Sequence[MilestoneDue], date_format: str) -> Text:
    out = Text("Milestones this week\n", style="bold")
    if not milestones:
        out.append("none open this week", style="dim")
    for m in milestones[:SHOWN_AT_MOST]:
        if m.late:  # by mark and word, so it reads without colour
            out.append(f"! late {m.days_late}d ", style=tone("bold red"))
        out.append(format_date(m.finish, date_format) + " ")
        out.append_text(literal(m.project_code))
        out.append(" ")
        out.append_text(literal(m.name))
        if m.owner:
            out.append(" · ", style="dim")
            out.append_text(literal(m.owner))
        out.append("\n")
    out.rstrip()
    return out


def updates_text(updates: Sequence[UpdateDue]) -> Text:
    # imported here: the stakeholder table loads the database layer, which the first frame
    # of Projects (read with the standard library) must not wait for
    from itpm_tui.widgets.stakeholder_table import due_text

    out = Text("Updates due this week\n", style="bold")
    if not updates:
        out.append("none", style="dim")
    for u in updates[:SHOWN_AT_MOST]:
        out.append_text(due_text(u.due))
        out.append(" ")
        out.append_text(literal(u.name))
        out.append(f" · {u.channel}", style="dim")
        if u.projects:
            out.append(" · ")
            out.append_text(literal(u.projects))
        out.append("\n")
    out.rstrip()
    return out


class WeekGlance(Horizontal):
    """Two lists side by side; `show` replaces both."""

    def compose(self) -> ComposeResult:
        yield Static("", id="glance-milestones")
        yield Static("", id="glance-updates")

    def show(
        self,
        milestones: Sequence[MilestoneDue],
        updates: Sequence[UpdateDue],
        date_format: str,
    ) -> None:
        self.query_one("#glance-milestones", Static).update(
            milestones_text(milestones, date_format)
        )
        self.query_one("#glance-updates", Static).update(updates_text(updates))
