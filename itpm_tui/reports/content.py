"""What each report says: `ReportData` and an audience in, a `Document` out.

The executive report is for a sponsor or client: plain words (no index names, no WBS codes),
a few items per section and long texts shortened, so its text form fits on one page. The
technical report adds the earned value figures by name, the work in progress, late or
blocked, the coming downtime windows and the whole risk register. The closing report is the
record of the project's end: deliverables and their acceptance, the client's sign-off, the
final budget and schedule against the baseline, and the lessons noted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from itpm_tui.domain.closing import sign_off_recorded
from itpm_tui.domain.earned_value import EarnedValue
from itpm_tui.domain.enums import Health, TaskStatus
from itpm_tui.domain.money import format_money
from itpm_tui.queries.budget import BudgetFigures
from itpm_tui.reports.data import ReportData
from itpm_tui.reports.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Heading,
    Para,
    Record,
    Records,
    Table,
)
from itpm_tui.reports.text import render_text

EXECUTIVE = "executive"
TECHNICAL = "technical"

#: How many items the executive report lists before saying "and N more".
TOP_RISKS = 3
TOP_DECISIONS = 3
DONE_MILESTONES = 2
NEXT_MILESTONES = 3
#: How many approved changes the executive report lists, the latest first.
TOP_APPROVED = 3
#: How long a risk or change request title may be before the executive report shortens it:
#: long enough that a title of a usual length is read whole (a cut title loses its point).
TITLE = 80
#: The executive report's plain text fits one page of this many lines.
PAGE_LINES = 60


@dataclass(frozen=True, slots=True)
class _Limits:
    """How many items each list of the executive report shows before "…and N more"."""

    milestones: int = NEXT_MILESTONES
    risks: int = TOP_RISKS
    decisions: int = TOP_DECISIONS
    approved: int = TOP_APPROVED


#: Tried in turn until the executive report fits its page: the approved changes (the past)
#: give way first, then every list.
_SHORTER = (
    _Limits(),
    _Limits(approved=2),
    _Limits(approved=1),
    _Limits(2, 2, 2, 1),
    _Limits(1, 1, 1, 1),
)

_HEALTH = {Health.GREEN: "Green", Health.AMBER: "Amber", Health.RED: "Red"}
_HUNDRED = Decimal(100)


def build(data: ReportData, audience: str, *, closing: bool = False) -> Document:
    """The report's blocks for `audience` (executive or technical)."""
    technical = audience == TECHNICAL
    kind = "Closing report" if closing else "Status report"
    who = "technical" if technical else "executive"
    name, client = (
        (data.name, data.client) if technical else (_short(data.name, 110), _short(data.client, 50))
    )
    subtitle = f"{kind} ({who}) · {client or 'no client'} · as of {_day(data.as_of)}"
    title = f"{data.code} — {name}"
    if closing:
        return Document(title=title, subtitle=subtitle, blocks=tuple(_closing(data, technical)))
    if technical:
        return Document(title=title, subtitle=subtitle, blocks=tuple(_status(data, True)))
    for limits in _SHORTER:  # the longest executive report that still fits one page
        doc = Document(title=title, subtitle=subtitle, blocks=tuple(_status(data, False, limits)))
        if len(render_text(doc).splitlines()) <= PAGE_LINES:
            break
    return doc


# --- small words ------------------------------------------------------------------------------


def _day(value: date | None, missing: str = "no date") -> str:
    return value.isoformat() if value else missing


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _short(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def health_words(data: ReportData) -> str:
    if data.health is None:
        return f"Not rated ({data.health_reason or data.status})"
    return f"{_HEALTH[data.health]} — {data.health_reason}"


def phase_words(data: ReportData) -> str:
    return f"{data.phase.capitalize()} (project {data.status})"


def _slip(days: int | None, baseline: date | None) -> str:
    if baseline is None:
        return "no baseline saved yet"
    if days is None:
        return "no finish date to compare with the baseline"
    if days == 0:
        return "on the baseline finish date"
    if days > 0:
        return f"{_plural(days, 'working day')} behind the baseline"
    return f"{_plural(-days, 'working day')} ahead of the baseline"


def _days_change(days: int) -> str:
    if days == 0:
        return "no change to the schedule"
    return f"{'+' if days > 0 else '−'}{_plural(abs(days), 'day')} on the schedule"


# --- the status report ------------------------------------------------------------------------


def _status(data: ReportData, technical: bool, limits: _Limits = _Limits()) -> list[Block]:
    blocks: list[Block] = [Heading("Status"), Facts(_people_facts(data, technical))]

    blocks += [Heading("Progress"), Facts(progress_facts(data, technical))]
    blocks += _milestones(data, technical, limits.milestones)
    blocks += budget_blocks(data, technical)
    if technical:
        blocks += _attention(data)
        blocks += _downtime(data)
        blocks += _risk_register(data)
    else:
        blocks += _top_risks(data, limits.risks)
    blocks += _decisions(data, technical, limits.decisions)
    blocks += _approved(data, technical, limits.approved)
    return blocks


def _people_facts(data: ReportData, technical: bool) -> tuple[tuple[str, str], ...]:
    def fit(text: str) -> str:
        return text if technical else _short(text, 60)

    facts = [("Health", health_words(data)), ("Phase", phase_words(data))]
    if data.manager:
        facts.append(("Project manager", fit(data.manager)))
    if data.sponsor:
        facts.append(("Sponsor", fit(data.sponsor)))
    return tuple(facts)


def progress_facts(data: ReportData, technical: bool) -> tuple[tuple[str, str], ...]:
    schedule = _slip(data.slip_days, data.baseline_finish)
    if technical:
        days = data.slip_days
        slip = "—" if days is None else f"{days:+d} working days" if days else "0 working days"
        return (
            ("Percent complete", f"{data.percent_complete}%"),
            ("Baseline finish", _day(data.baseline_finish, "no baseline")),
            ("Forecast finish", _day(data.forecast_finish)),
            ("Slip", f"{slip} ({schedule})"),
        )
    return (
        ("Work done", f"{data.percent_complete}%"),
        ("Schedule", schedule.capitalize()),
        ("Finish", _finish_words(data)),
    )


def _finish_words(data: ReportData) -> str:
    expected = _day(data.forecast_finish, "not known yet")
    if data.baseline_finish is None:
        return f"expected {expected}"
    return f"planned for {_day(data.baseline_finish)}, now expected {expected}"


def _milestone_state(due: date | None, today: date) -> str:
    if due is None:
        return "no date"
    if due < today:
        return "overdue"
    if due == today:
        return "due today"
    return f"due in {_plural((due - today).days, 'day')}"


def _milestones(data: ReportData, technical: bool, shown: int = NEXT_MILESTONES) -> list[Block]:
    head: list[Block] = [Heading("Milestones")]
    if not data.milestones:
        return [*head, Para("No milestones planned.")]
    done = data.done_milestones
    upcoming = data.next_milestones
    if technical:
        ordered = sorted(
            data.milestones, key=lambda m: (m.planned is None, m.planned or date.max, m.id)
        )
        rows = tuple(
            (
                m.wbs,
                m.name,
                _day(m.baseline, "—"),
                _day(m.planned, "—"),
                f"done {_day(m.done_on, '')}".strip()
                if m.done
                else _milestone_state(m.planned, data.as_of),
            )
            for m in ordered
        )
        summary = Para(f"{len(done)} of {len(data.milestones)} done.")
        table = Table(("WBS", "Milestone", "Baseline", "Planned", "State"), rows)
        return [*head, summary, table]
    items = [f"Done: {_short(m.name, 50)} ({_day(m.done_on)})" for m in done[-DONE_MILESTONES:]]
    for m in upcoming[:shown]:
        state = _milestone_state(m.planned, data.as_of)
        items.append(f"Next: {_short(m.name, 40)} — {_day(m.planned)} ({state})")
    if len(upcoming) > shown:
        items.append(f"…and {_plural(len(upcoming) - shown, 'later milestone')}.")
    summary = Para(f"{len(done)} of {len(data.milestones)} milestones done.")
    return [*head, Bullets(tuple(items))]


def _money(data: ReportData, amount: Decimal | None) -> str:
    return format_money(amount, data.currency)


def _plain(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency, symbol=False)


#: `describe()`'s technical phrases and the plain words an executive report uses instead.
_PLAIN_WORDS = (
    ("Earned value is not available", "Value for money cannot be measured yet"),
    ("nothing is baselined", "the plan has not been approved as a baseline yet"),
    ("in value terms", "for the work planned so far"),
)


def _plain_lines(data: ReportData) -> tuple[str, ...]:
    """`describe()`'s sentences, with its technical phrases put in plain words."""
    lines = []
    for line in data.budget.ev_lines:
        for technical, plain in _PLAIN_WORDS:
            line = line.replace(technical, plain)
        lines.append(line)
    return tuple(lines)


def budget_blocks(data: ReportData, technical: bool) -> list[Block]:
    total = data.budget.total
    ev = data.budget.ev
    blocks: list[Block] = [Heading("Budget")]
    if not technical:
        left = total.remaining
        facts = [
            ("Budget", _money(data, total.budget)),
            ("Spent so far", _money(data, total.actual)),
            ("Ordered, not invoiced", _money(data, total.committed)),
            ("Still available" if left >= 0 else "Over budget by", _money(data, abs(left))),
        ]
        if ev is None or ev.eac is None:
            facts.append(("Expected final cost", _money(data, total.forecast)))
        blocks += [Facts(tuple(facts)), Bullets(_plain_lines(data))]
        return blocks
    rows = [_category_row(fig, data.currency) for fig in data.budget.categories]
    rows.append(_category_row(total, data.currency))
    blocks += [
        Para(
            f"Amounts in {data.currency}. Forecast = actual + committed + the budget not yet "
            "committed at the cost rate so far; the total is the sum of the categories and is "
            "the EAC; variance = budget − forecast."
        ),
        Table(
            ("Category", "Budget", "Committed", "Actual", "Forecast", "Variance", "Var %"),
            tuple(rows),
            numeric=(False, True, True, True, True, True, True),
            total=True,
        ),
        Facts((("Not yet committed", _money(data, total.remaining)),)),
        Heading(f"Earned value at {_day(data.budget.status_date or data.as_of)}", 3),
    ]
    if ev is None:
        return [*blocks, Bullets(tuple(data.budget.ev_lines))]
    return [
        *blocks,
        Table(
            ("Metric", "Value", "Meaning"),
            _ev_rows(ev, data.currency),
            numeric=(False, True, False),
        ),
        Bullets(tuple(data.budget.ev_lines)),
    ]


def _category_row(fig: BudgetFigures, currency: str) -> tuple[str, ...]:
    pct = fig.variance_percent
    return (
        fig.category,
        _plain(fig.budget, currency),
        _plain(fig.committed, currency),
        _plain(fig.actual, currency),
        _plain(fig.forecast, currency),
        _plain(fig.variance, currency),
        "—" if pct is None else f"{pct}%",
    )


_EV_METRICS = (
    ("BAC", "bac", True, "budget at completion"),
    ("PV", "pv", True, "planned value: work that should be done by now"),
    ("EV", "ev", True, "earned value: work done, at budget prices"),
    ("AC", "ac", True, "actual cost so far"),
    ("SV", "sv", True, "schedule variance, EV − PV (negative = behind)"),
    ("CV", "cv", True, "cost variance, EV − AC (negative = over)"),
    ("SPI", "spi", False, "schedule performance index, EV ÷ PV"),
    ("CPI", "cpi", False, "cost performance index, EV ÷ AC"),
    ("EAC", "eac", True, "estimate at completion: the forecast, the total above"),
    ("ETC", "etc", True, "estimate to complete, EAC − AC"),
    ("VAC", "vac", True, "variance at completion, BAC − EAC"),
    ("TCPI", "tcpi", False, "efficiency needed to finish within BAC"),
)


def _ev_rows(ev: EarnedValue, currency: str) -> tuple[tuple[str, str, str], ...]:
    rows = []
    for name, attr, is_money, meaning in _EV_METRICS:
        value = getattr(ev, attr)
        if value is None:
            rows.append((name, "n/a", f"{meaning} — not available: {ev.reason(attr) or '?'}"))
        elif is_money:
            rows.append((name, _plain(value, currency), meaning))
        else:
            rows.append((name, f"{value:.2f}", meaning))
    return tuple(rows)


def _attention(data: ReportData) -> list[Block]:
    head: list[Block] = [Heading("Work in progress, late or blocked")]
    if not data.attention:
        return [*head, Para("Nothing is in progress, late or blocked.")]
    rows = []
    reasons = []
    for t in data.attention:
        state = f"{t.status}, late" if t.late else t.status
        if t.blocked_reason:
            reasons.append(f"{t.wbs} {t.name}: {t.blocked_reason}".strip())
        rows.append(
            (
                t.wbs,
                t.name,
                t.assignee or "unassigned",
                _day(t.start, "—"),
                _day(t.finish, "—"),
                f"{t.percent}%",
                state,
            )
        )
    table = Table(
        ("WBS", "Task", "Assignee", "Start", "Finish", "Done", "State"),
        tuple(rows),
        numeric=(False, False, False, False, False, True, False),
    )
    if not reasons:
        return [*head, table]
    return [*head, table, Para("Why work is blocked:"), Bullets(tuple(reasons))]


def _downtime(data: ReportData) -> list[Block]:
    head: list[Block] = [Heading("Upcoming downtime windows")]
    if not data.downtime:
        return [*head, Para("No downtime windows ahead.")]
    rows = tuple(
        (
            w.title,
            _moment(w.starts_at),
            _moment(w.ends_at),
            w.systems or "—",
            "approved" if w.approved else "NOT APPROVED",
        )
        for w in data.downtime
    )
    return [
        *head,
        Para("Times are local time at the site."),
        Table(("Window", "Starts", "Ends", "Systems down", "Approval"), rows),
    ]


def _risk_register(data: ReportData) -> list[Block]:
    head: list[Block] = [Heading("Risks")]
    if not data.risks:
        return [*head, Para("No risks recorded.")]
    open_count = len(data.open_risks)
    records = []
    for r in data.risks:
        residual = "not assessed" if r.residual is None else str(r.residual)
        facts = (
            ("Status", r.status),
            (
                "Score",
                f"{r.score} ({r.band}): probability {r.probability} × impact {r.impact}; "
                f"residual {residual}",
            ),
            ("Category", r.category),
            ("Owner", r.owner or "nobody"),
            ("Response", r.response),
            ("Mitigation", r.mitigation or "—"),
            ("Contingency", r.contingency or "—"),
            ("Trigger", r.trigger or "—"),
            ("Review", _day(r.review_date, "—")),
        )
        records.append(Record(r.title, facts))
    summary = Para(f"{_plural(open_count, 'open risk')} of {len(data.risks)}, highest score first.")
    return [*head, summary, Records(tuple(records))]


def _top_risks(data: ReportData, shown: int = TOP_RISKS) -> list[Block]:
    head: list[Block] = [Heading("Top risks")]
    risks = data.open_risks
    if not risks:
        return [*head, Para("No open risks.")]
    items = []
    for r in risks[:shown]:
        plan = _short(r.mitigation, 60) if r.mitigation else "no plan recorded"
        items.append(
            f"{_short(r.title, TITLE)} — {r.band} ({r.score} of 25, {r.status}). "
            f"Plan ({r.response}): {plan}"
        )
    if len(risks) > shown:
        items.append(f"…and {_plural(len(risks) - shown, 'more open risk')}.")
    return [*head, Bullets(tuple(items))]


def _decisions(data: ReportData, technical: bool, shown: int = TOP_DECISIONS) -> list[Block]:
    head: list[Block] = [Heading("Decisions needed")]
    changes = data.pending_changes
    if not changes:
        return [*head, Para("No change requests are waiting for a decision.")]
    if technical:
        records = tuple(
            Record(
                c.title,
                (
                    ("Requested", f"by {c.requested_by or 'unknown'} on {_day(c.requested_on)}"),
                    ("Cost impact", _money(data, c.cost_impact)),
                    ("Schedule impact", _days_change(c.schedule_impact_days)),
                    ("Description", c.description or "—"),
                ),
            )
            for c in changes
        )
        return [*head, Records(records)]
    items = [
        f"{_short(c.title, TITLE)}: costs {_money(data, c.cost_impact)}, "
        f"{_days_change(c.schedule_impact_days)}; asked by "
        f"{_short(c.requested_by, 25) or 'unknown'}."
        for c in changes[:shown]
    ]
    if len(changes) > shown:
        items.append(f"…and {_plural(len(changes) - shown, 'more change request')}.")
    return [*head, Bullets(tuple(items))]


def _cost_change(data: ReportData, amount: Decimal) -> str:
    if amount == 0:
        return "no change to the budget"
    return f"{'+' if amount > 0 else '−'}{_money(data, abs(amount))} on the budget"


def _approved(data: ReportData, technical: bool, shown: int = TOP_APPROVED) -> list[Block]:
    """The changes approved so far, the latest first; none approved, no section."""
    changes = data.approved_changes
    if not changes:
        return []
    head: list[Block] = [Heading("Changes approved")]
    if technical:
        records = tuple(
            Record(
                c.title,
                (
                    ("Approved", f"by {c.decided_by or 'unknown'} on {_day(c.decided_on)}"),
                    ("Requested", f"by {c.requested_by or 'unknown'} on {_day(c.requested_on)}"),
                    ("Cost impact", _money(data, c.cost_impact)),
                    ("Schedule impact", _days_change(c.schedule_impact_days)),
                    ("Description", c.description or "—"),
                ),
            )
            for c in changes
        )
        return [*head, Records(records)]
    if len(changes) > 1:
        cost = sum((c.cost_impact for c in changes), Decimal(0))
        days = sum(c.schedule_impact_days for c in changes)
        head.append(
            Para(
                f"{len(changes)} changes approved so far: "
                f"{_cost_change(data, cost)}, {_days_change(days)}."
            )
        )
    items = [
        f"{_short(c.title, TITLE)} — approved {_day(c.decided_on)}: "
        f"{_cost_change(data, c.cost_impact)}, {_days_change(c.schedule_impact_days)}."
        for c in changes[:shown]
    ]
    if len(changes) > shown:
        items.append(f"…and {_plural(len(changes) - shown, 'earlier approved change')}.")
    return [*head, Bullets(tuple(items))]


# --- the closing report -----------------------------------------------------------------------


def _closing(data: ReportData, technical: bool) -> list[Block]:
    accepted = sum(1 for d in data.deliverables if d.accepted)
    facts = list(_people_facts(data, technical))
    if data.objective:
        facts.append(("Objective", data.objective if technical else _short(data.objective, 200)))
    blocks: list[Block] = [Heading("Summary"), Facts(tuple(facts))]

    blocks.append(Heading("Deliverables"))
    if data.deliverables:
        rows = tuple(
            (
                d.name,
                _day(d.due_date, "—"),
                d.accepted_by if d.accepted else "NOT ACCEPTED",
                _day(d.accepted_on, "—") if d.accepted else "—",
                d.note or "—",
            )
            for d in data.deliverables
        )
        blocks += [
            Para(f"{accepted} of {len(data.deliverables)} accepted."),
            Table(("Deliverable", "Due", "Accepted by", "Accepted on", "Note"), rows),
        ]
    else:
        blocks.append(Para("No deliverables recorded."))

    blocks += [Heading("Client sign-off"), Para(_sign_off(data))]
    blocks += _final_budget(data)
    blocks += [Heading("Schedule"), Facts(_final_schedule(data))]
    if technical:
        blocks += _still_open(data)
    blocks.append(Heading("Lessons learned"))
    blocks.append(Para(data.lessons.strip() or "No lessons recorded."))
    return blocks


def _sign_off(data: ReportData) -> str:
    if sign_off_recorded(data.signed_off_by, data.signed_off_on):
        return f"Signed off by {data.signed_off_by} on {_day(data.signed_off_on)}."
    if data.signed_off_by.strip() or data.signed_off_on:
        who = data.signed_off_by.strip() or "nobody named"
        when = _day(data.signed_off_on)
        return f"NOT SIGNED OFF: the sign-off record is incomplete ({who}, {when})."
    if data.closing_override.strip():
        return f"No client sign-off. Closed with this reason: {data.closing_override.strip()}"
    return "NOT SIGNED OFF: no client sign-off and no reason to close without one recorded."


def _final_budget(data: ReportData) -> list[Block]:
    currency = data.currency
    categories = list(data.budget.categories)
    total = data.budget.total
    with_committed = any(f.committed for f in categories)

    def row(fig: BudgetFigures) -> tuple[str, ...]:
        spent = fig.actual + fig.committed
        variance = fig.budget - spent
        pct = "—" if not fig.budget else f"{(variance * _HUNDRED / fig.budget):.1f}%"
        cells = [fig.category, _plain(fig.budget, currency), _plain(fig.actual, currency)]
        if with_committed:
            cells.append(_plain(fig.committed, currency))
        return (*cells, _plain(variance, currency), pct)

    headers = ["Category", "Budget", "Actual"]
    if with_committed:
        headers.append("Committed")
    headers += ["Variance", "Var %"]
    spent = total.actual + total.committed
    difference = total.budget - spent
    if not total.budget:
        verdict = "no budget was set"
    elif difference >= 0:
        verdict = f"{_money(data, difference)} under budget"
    else:
        verdict = f"{_money(data, -difference)} over budget"
    cost = "Final cost" if data.actual_finish is not None else "Not finished yet; cost so far"
    summary = (
        f"{cost} {_money(data, spent)} against a budget of {_money(data, total.budget)}: {verdict}."
    )
    if with_committed:
        summary += f" It includes {_money(data, total.committed)} committed but not yet invoiced."
    if data.actual_finish is None:
        summary += f" Forecast at completion: {_money(data, total.forecast)}."
    return [
        Heading("Final budget"),
        Para(summary),
        Para(f"Amounts in {currency}; variance = budget − actual − committed."),
        Table(
            tuple(headers),
            (*[row(f) for f in categories], row(total)),
            numeric=(False, *([True] * (len(headers) - 1))),
            total=True,
        ),
    ]


def _final_schedule(data: ReportData) -> tuple[tuple[str, str], ...]:
    facts = [
        ("Baseline start", _day(data.baseline_start, "no baseline")),
        ("Actual start", _day(data.start)),
        ("Baseline finish", _day(data.baseline_finish, "no baseline")),
    ]
    if data.actual_finish is not None:
        facts.append(("Actual finish", _day(data.actual_finish)))
    else:
        facts.append(
            (
                "Actual finish",
                f"not finished: {_plural(data.open_tasks, 'task')} open, "
                f"forecast {_day(data.forecast_finish)}",
            )
        )
    facts.append(("Against the baseline", _slip(data.finish_variance_days, data.baseline_finish)))
    return tuple(facts)


def _still_open(data: ReportData) -> list[Block]:
    items = []
    open_work = [t for t in data.attention if t.status != TaskStatus.DONE.value]
    if data.open_tasks:
        items.append(f"{_plural(data.open_tasks, 'task')} not done")
    items += [f"Task {t.wbs} {t.name}: {t.status}" for t in open_work]
    items += [
        f"Risk ({r.status}): {r.title} — owner {r.owner or 'nobody'}" for r in data.open_risks
    ]
    items += [f"Change request waiting for a decision: {c.title}" for c in data.pending_changes]
    body: Block = Bullets(tuple(items)) if items else Para("Nothing is left open.")
    return [Heading("Still open"), body]
