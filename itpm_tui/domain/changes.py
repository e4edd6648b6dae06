"""What changed, in plain words: activity entries turned into the lines of the stand-up feed.

The service layer logs one entry per field that changed (`services.context.Tx`). A stand-up
wants sentences — "finished Rack the box", "Cut over slipped 3 working days" — and not ten
entries for ten progress edits of one task. `describe` groups the entries of one project by
what they are about, collapses each group to its first old and last new value, and words it.
Pure Python: the query (`queries.changes`) reads the rows, the screen and `itpm changes` show
the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import ChangeStatus, RiskStatus, TaskStatus
from itpm_tui.domain.money import format_money


class Kind(Enum):
    """What a line is about: its symbol and word (read without colour) and its place in a
    project's list — done work first, then what needs attention, then the rest."""

    FINISHED = ("✓", "done")
    MILESTONE = ("◆", "milestone")
    MISSED = ("◇", "missed")
    STARTED = ("▶", "started")
    BLOCKED = ("■", "blocked")
    UNBLOCKED = ("□", "unblocked")
    SLIPPED = ("▼", "slipped")
    EARLIER = ("▲", "earlier")
    PROGRESS = ("%", "progress")
    RISK = ("!", "risk")
    CHANGE = ("Δ", "change")
    MONEY = ("$", "booked")
    CONTACT = ("☎", "contact")
    OTHER = ("·", "other")

    @property
    def symbol(self) -> str:
        return self.value[0]

    @property
    def word(self) -> str:
        return self.value[1]

    @property
    def order(self) -> int:
        return list(Kind).index(self)


#: Entities that are not shown as lines: the stand-up marks and the demo loader.
HIDDEN = frozenset({"standup", "portfolio"})
NOUNS = {
    "task": "task",
    "project": "project",
    "risk": "risk",
    "changerequest": "change request",
    "ledgerentry": "ledger entry",
    "budgetline": "budget line",
    "stakeholder": "stakeholder",
    "communicationentry": "contact",
    "deliverable": "deliverable",
    "downtimewindow": "downtime window",
    "dependency": "link",
    "person": "person",
    "holiday": "non-working day",
    "publishedlink": "published link",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One activity entry with what the query knows of its subject as it is now."""

    day: date
    user: str
    entity: str
    entity_id: int | None
    action: str
    field: str = ""
    old: str = ""
    new: str = ""
    summary: str = ""
    subject: str = ""  #: the task's, risk's, change's or stakeholder's name now ("" if gone)
    milestone: bool = False
    baseline: date | None = None  #: the task's baseline finish (a project's baseline end)
    amount: Decimal | None = None  #: a ledger entry's amount now
    category: str = ""  #: a ledger entry's category, a contact's channel
    score: int | None = None  #: a risk's probability × impact now
    probability: int | None = None
    impact: int | None = None


@dataclass(frozen=True, slots=True)
class Line:
    kind: Kind
    text: str  #: the sentence; user text inside it as typed (escape it where shown)
    who: tuple[str, ...] = ()
    day: date | None = None  #: the last day it happened

    def plain(self) -> str:
        """The line as text: symbol, word, sentence and who."""
        by = f" — {', '.join(self.who)}" if self.who else ""
        return f"{self.kind.symbol} {self.kind.word:<9} {self.text}{by}"


@dataclass(frozen=True, slots=True)
class MissedMilestone:
    name: str
    due: date


@dataclass(frozen=True, slots=True)
class ProjectChanges:
    project_id: int | None
    code: str  #: "" for changes that belong to no project (people, holidays for all)
    name: str
    currency: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    since: date
    today: date
    last_standup: date | None  #: the stand-up the default `since` came from, if any
    project: str | None  #: the project code filtered on
    person: str | None  #: the handle filtered on
    projects: tuple[ProjectChanges, ...] = ()
    people: tuple[str, ...] = field(default=())  #: everyone who did something since

    @property
    def line_count(self) -> int:
        return sum(len(p.lines) for p in self.projects)


def default_since(today: date, standups: Iterable[date]) -> date:
    """The day of the last stand-up before today, else a week ago: a stand-up recorded this
    morning must not hide the week it reviews."""
    earlier = [d for d in standups if d < today]
    return max(earlier) if earlier else today.fromordinal(today.toordinal() - 7)


def _quote(name: str, fallback: str) -> str:
    return name if name else fallback


def _who(entries: Iterable[Entry]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.user for e in entries if e.user))


def _shift(calendar: WorkCalendar, old: date, new: date) -> int:
    return calendar.working_days_between(old, new)


def _days(n: int) -> str:
    return f"{abs(n)} working day{'' if abs(n) == 1 else 's'}"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _moved(name: str, old: str, new: str, baseline: date | None, cal: WorkCalendar) -> Line | None:
    """A finish date that moved: by how many working days, and against the baseline."""
    before, after = _date(old), _date(new)
    if before is None or after is None or before == after:
        return None
    shift = _shift(cal, before, after)
    if shift == 0:
        return None
    way = "slipped" if shift > 0 else "moved"
    text = f"{name} {way} {_days(shift)}{'' if shift > 0 else ' earlier'} ({old} → {new})"
    if baseline is not None:
        behind = _shift(cal, baseline, after)
        if behind > 0:
            text += f", {_days(behind)} behind baseline"
        elif behind < 0:
            text += f", {_days(behind)} ahead of baseline"
        else:
            text += ", on baseline"
    return Line(Kind.SLIPPED if shift > 0 else Kind.EARLIER, text)


def _task_lines(entries: Sequence[Entry], cal: WorkCalendar) -> list[Line]:
    last = entries[-1]
    name = _quote(last.subject, f"task #{last.entity_id}")
    lines: list[Line] = []
    by_field: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.action == "update":
            by_field[e.field].append(e)
        elif e.action == "create":
            what = "milestone" if e.milestone else "task"
            lines.append(Line(Kind.OTHER, f"added {what} {name}", _who([e]), e.day))
        elif e.summary:
            lines.append(Line(Kind.OTHER, e.summary, _who([e]), e.day))
    for status in by_field.pop("status", []):
        lines.append(_status_line(status, name, entries))
    by_field.pop("blocked_reason", None)
    percent = by_field.pop("percent_complete", [])
    finished = any(e.field == "status" and e.new == TaskStatus.DONE.value for e in entries)
    if (
        percent
        and percent[0].old != percent[-1].new
        and not (finished and percent[-1].new == "100")
    ):
        text = f"{name} progress {percent[0].old or 0}% → {percent[-1].new or 0}%"
        lines.append(Line(Kind.PROGRESS, text, _who(percent), percent[-1].day))
    finish = by_field.pop("planned_finish", [])
    if finish:
        moved = _moved(name, finish[0].old, finish[-1].new, last.baseline, cal)
        if moved is not None:
            lines.append(Line(moved.kind, moved.text, _who(finish), finish[-1].day))
    for noise in ("actual_start", "actual_finish", "remaining_hours", "version", "sort_order"):
        by_field.pop(noise, None)
    if by_field:
        edits = [e for group in by_field.values() for e in group]
        what = ", ".join(f.replace("_", " ") for f in by_field)
        lines.append(Line(Kind.OTHER, f"edited {name}: {what}", _who(edits), edits[-1].day))
    return lines


def _status_line(e: Entry, name: str, all_entries: Sequence[Entry]) -> Line:
    who, day = _who([e]), e.day
    if e.new == TaskStatus.DONE.value:
        if e.milestone:
            return Line(Kind.MILESTONE, f"milestone {name} reached", who, day)
        return Line(Kind.FINISHED, f"finished {name}", who, day)
    if e.new == TaskStatus.BLOCKED.value:
        reasons = [r.new for r in all_entries if r.field == "blocked_reason" and r.new]
        reason = f": {reasons[-1]}" if reasons else ""
        return Line(Kind.BLOCKED, f"{name} blocked{reason}", who, day)
    if e.old == TaskStatus.BLOCKED.value:
        return Line(Kind.UNBLOCKED, f"{name} unblocked (now {e.new})", who, day)
    if e.new == TaskStatus.IN_PROGRESS.value:
        return Line(Kind.STARTED, f"started {name}", who, day)
    return Line(Kind.OTHER, f"{name} back to {e.new} (was {e.old})", who, day)


def _score(old: int | None, new: int | None) -> str:
    return "?" if old is None or new is None else str(old * new)


def _risk_lines(entries: Sequence[Entry]) -> list[Line]:
    last = entries[-1]
    name = _quote(last.subject, f"risk #{last.entity_id}")
    lines: list[Line] = []
    scored = [e for e in entries if e.field in ("probability", "impact")]
    now = {"probability": last.probability, "impact": last.impact}
    was = dict(now)
    for e in reversed(scored):  # the value before the first change in the window
        was[e.field] = int(e.old) if e.old.isdigit() else None
    before = _score(was["probability"], was["impact"])
    after = _score(now["probability"], now["impact"])
    for e in entries:
        if e.action == "create":
            score = f" (score {before})" if before != "?" else ""
            lines.append(Line(Kind.RISK, f"risk raised: {name}{score}", _who([e]), e.day))
    if scored and before != after:
        text = f"risk {name} re-scored {before} → {after}"
        lines.append(Line(Kind.RISK, text, _who(scored), scored[-1].day))
    for e in entries:
        if e.field != "status":
            continue
        if e.new == RiskStatus.OCCURRED.value:
            text = f"risk {name} occurred — now an issue"
        elif e.new == RiskStatus.CLOSED.value:
            text = f"risk {name} closed"
        else:
            text = f"risk {name} now {e.new} (was {e.old})"
        lines.append(Line(Kind.RISK, text, _who([e]), e.day))
    return lines


def _change_lines(entries: Sequence[Entry]) -> list[Line]:
    last = entries[-1]
    name = _quote(last.subject, f"change request #{last.entity_id}")
    lines: list[Line] = []
    for e in entries:
        if e.action == "create":
            lines.append(Line(Kind.CHANGE, f"change request proposed: {name}", _who([e]), e.day))
        elif e.action in ("approve", "reject", "withdraw"):
            done = {
                "approve": ChangeStatus.APPROVED,
                "reject": ChangeStatus.REJECTED,
                "withdraw": ChangeStatus.WITHDRAWN,
            }[e.action].value
            lines.append(Line(Kind.CHANGE, f"change request {name} {done}", _who([e]), e.day))
    return lines


def _money_lines(entries: Sequence[Entry], currency: str) -> list[Line]:
    """Ledger entries booked, summed per category (the amounts as they are now)."""
    sums: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.action == "create" and e.amount is not None:
            sums[e.category or "uncategorised"].append(e)
    lines = []
    for category in sorted(sums):
        group = sums[category]
        total = sum((e.amount or Decimal(0) for e in group), Decimal(0))
        count = f"{len(group)} entr{'y' if len(group) == 1 else 'ies'}"
        text = f"{format_money(total, currency)} {category} ({count})"
        lines.append(Line(Kind.MONEY, text, _who(group), group[-1].day))
    return lines


def _contact_line(e: Entry) -> Line:
    if e.action == "create" and e.subject:
        how = f" by {e.category}" if e.category else ""
        return Line(Kind.CONTACT, f"contacted {e.subject}{how}", _who([e]), e.day)
    return Line(Kind.CONTACT, e.summary or f"{e.action} contact", _who([e]), e.day)


def _project_lines(e: Sequence[Entry], cal: WorkCalendar) -> list[Line]:
    lines: list[Line] = []
    ends = [x for x in e if x.field == "end_date"]
    if ends:
        moved = _moved("project end", ends[0].old, ends[-1].new, ends[-1].baseline, cal)
        if moved is not None:
            lines.append(Line(moved.kind, moved.text, _who(ends), ends[-1].day))
    for x in e:
        if x.summary and x.field != "end_date":
            lines.append(Line(Kind.OTHER, x.summary, _who([x]), x.day))
    fields = list(dict.fromkeys(x.field for x in e if x.field and x.field not in ("end_date",)))
    if fields:
        rest = [x for x in e if x.field in fields]
        what = ", ".join(f.replace("_", " ") for f in fields)
        lines.append(Line(Kind.OTHER, f"edited the project: {what}", _who(rest), rest[-1].day))
    return lines


def _generic(entries: Sequence[Entry]) -> list[Line]:
    lines = [Line(Kind.OTHER, e.summary, _who([e]), e.day) for e in entries if e.summary]
    edits = [e for e in entries if not e.summary and e.field]
    if edits:
        last = edits[-1]
        noun = NOUNS.get(last.entity, last.entity)
        name = last.subject or f"#{last.entity_id}"
        what = ", ".join(dict.fromkeys(e.field.replace("_", " ") for e in edits))
        lines.append(Line(Kind.OTHER, f"edited {noun} {name}: {what}", _who(edits), last.day))
    return lines


def describe(
    entries: Sequence[Entry],
    *,
    currency: str,
    calendar: WorkCalendar | None = None,
    missed: Iterable[MissedMilestone] = (),
) -> tuple[Line, ...]:
    """One project's entries (oldest first) as its lines, done work first."""
    cal = calendar or WorkCalendar()
    lines: list[Line] = [
        Line(Kind.MISSED, f"milestone {m.name} missed (due {m.due.isoformat()})", (), m.due)
        for m in missed
    ]
    about: dict[tuple[str, int | None], list[Entry]] = defaultdict(list)
    money: list[Entry] = []
    for e in entries:
        if e.entity in HIDDEN:
            continue
        if e.entity == "ledgerentry" and e.action == "create":
            money.append(e)
            continue
        key = (e.entity, e.entity_id) if e.entity_id is not None else (e.entity, -len(about))
        about[key].append(e)
    for (entity, _id), group in about.items():
        if entity == "task":
            lines.extend(_task_lines(group, cal))
        elif entity == "risk":
            lines.extend(_risk_lines(group))
        elif entity == "changerequest":
            lines.extend(_change_lines(group))
        elif entity == "communicationentry":
            lines.extend(_contact_line(e) for e in group)
        elif entity == "project":
            lines.extend(_project_lines(group, cal))
        else:
            lines.extend(_generic(group))
    lines.extend(_money_lines(money, currency))
    lines.sort(key=lambda line: line.kind.order)  # stable: within a kind, in the order done
    return tuple(lines)
