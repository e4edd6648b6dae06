"""The detail panel of one project: objective, scope, KPIs and deliverables, shown literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from itpm_tui.domain.text import printable
from itpm_tui.widgets.formatting import format_date, health_text, literal

if TYPE_CHECKING:
    from itpm_tui.queries.closing import ClosingState
    from itpm_tui.queries.portfolio import PortfolioRow, ProjectDetail


def closing_line(state: ClosingState, date_format: str) -> Text:
    """One line of close-out: "Deliverables 3/5 accepted · sign-off: not recorded"."""
    total = len(state.deliverables)
    out = Text(f"Deliverables {state.accepted_count}/{total} accepted · sign-off: ")
    if state.signed_off:
        out.append(
            f"{printable(state.signed_off_by)}, {format_date(state.signed_off_on, date_format)}"
        )
    else:
        out.append("not recorded")
    if state.closed and state.closing_override:
        out.append(" · closed with override")
    elif state.can_close:
        out.append(" · ready to close (c)")
    return out


def _section(title: str, body: str) -> Group:
    return Group(
        Text(title, style="bold underline"), literal(body or "—", multiline=True), Text("")
    )


class ProjectDetailPanel(Static):
    """Shows a `ProjectDetail`; every user-typed value goes in as `Text`, never markup."""

    shown: Group | Text = Text("")

    def show(
        self,
        detail: ProjectDetail | None,
        row: PortfolioRow | None,
        date_format: str,
        *,
        closing: ClosingState | None = None,
    ) -> None:
        if detail is None:
            self.shown = Text("No project selected.")
            self.update(self.shown)
            return
        head = Text()
        head.append(f"{printable(detail.code)}  ", style="bold")
        head.append(printable(detail.name), style="bold")
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_row("Client", literal(detail.client or "—", wrap=True))
        facts.add_row("Sponsor", literal(detail.sponsor or "—", wrap=True))
        facts.add_row("Manager", literal(detail.manager or "—", wrap=True))
        facts.add_row(
            "Phase",
            Text(f"{detail.phase} ({detail.status})" + (", archived" if detail.archived else "")),
        )
        facts.add_row(
            "Dates",
            Text(
                f"{format_date(detail.start_date, date_format)} → "
                f"{format_date(detail.end_date, date_format)}"
                f"  (baseline end {format_date(detail.baseline_end, date_format)})"
            ),
        )
        if detail.work_hours:  # the standard 08:00-12:00,13:00-17:00 goes without saying
            facts.add_row("Hours", Text(detail.work_hours))
        if row is not None:
            facts.add_row("Health", health_text(row.health, row.health_reason))
        if closing is not None and closing.project_id == detail.id:
            facts.add_row("Closing", closing_line(closing, date_format))
        deliverables = Table(
            box=None, show_header=True, header_style="bold", expand=True, pad_edge=False
        )
        deliverables.add_column("Deliverable", ratio=3)
        deliverables.add_column("Due", no_wrap=True)
        deliverables.add_column("Accepted", ratio=2)
        for d in detail.deliverables:
            accepted = (
                literal(f"✔ {d.accepted_by}, {format_date(d.accepted_on, date_format)}", wrap=True)
                if d.accepted_on
                else Text("✗ not yet", style="dim")
            )
            deliverables.add_row(
                literal(d.name, wrap=True), Text(format_date(d.due_date, date_format)), accepted
            )
        if not detail.deliverables:
            deliverables.add_row(Text("none recorded", style="dim"))
        self.shown = Group(
            head,
            Text(""),
            facts,
            Text(""),
            _section("Objective", detail.objective),
            _section("Scope", detail.scope),
            _section("KPIs", detail.kpis),
            Text("Deliverables", style="bold underline"),
            deliverables,
        )
        self.update(self.shown)
