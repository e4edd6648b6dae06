"""The demo's last week as activity entries, so "What changed" (key 8, `itpm changes`) on the
demo reads like a real week and not like one bulk load.

The demo's rows are written directly (see `builder`), so nothing was logged while they were
made. This replays what their own dates say happened in the seven days before today, in the
words and shapes the services log: a task started or finished on its actual dates by its
assignee, work blocked by the blocker's assignee, progress recorded, a finish that moved off
its baseline, ledger entries booked, risks raised, change requests proposed and decided,
stakeholders contacted. Each entry is stamped on its day at a working hour (local time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from itpm_tui.domain.enums import ChangeStatus, TaskStatus
from itpm_tui.storage.models import (
    Activity,
    ChangeRequest,
    CommunicationEntry,
    LedgerEntry,
    Person,
    Project,
    Risk,
    Stakeholder,
    Task,
)

WINDOW = 7
#: At most this many moved finish dates per project (the first to move carries the rest).
SLIPS_PER_PROJECT = 2


class _Log:
    def __init__(self, today: date) -> None:
        self.today = today
        self.first = today - timedelta(days=WINDOW)
        self.rows: list[Activity] = []

    def within(self, day: date | None) -> bool:
        return day is not None and self.first <= day < self.today

    def add(self, day: date, user: str, project_id: int | None, entity: str, **kw: Any) -> None:
        n = len(self.rows)
        local = datetime.combine(day, time(8 + n % 9, (n * 17) % 60))
        at = local.astimezone(UTC)  # a naive time is read as local time
        self.rows.append(Activity(at=at, user=user, project_id=project_id, entity=entity, **kw))


def _weekday_before(day: date, first: date) -> date:
    """`day`, or the working day before it when it is a weekend, not before `first`."""
    while day.weekday() >= 5 and day > first:
        day -= timedelta(days=1)
    return day


def past_week(session: Session, today: date) -> list[Activity]:
    """The activity entries of the week before `today`, oldest first (not yet added)."""
    log = _Log(today)
    handles = {p.id: p.handle for p in session.exec(select(Person)).all()}
    projects = {p.id: p for p in session.exec(select(Project).order_by(col(Project.id))).all()}

    def manager(project_id: int | None) -> str:
        project = projects.get(project_id)
        return handles.get(project.manager_id, "pm") if project else "pm"

    parents = set(
        session.exec(select(col(Task.parent_id)).where(col(Task.parent_id).is_not(None))).all()
    )
    tasks = session.exec(select(Task).order_by(col(Task.project_id), col(Task.sort_order))).all()
    slips: dict[int, int] = {}
    for t in tasks:
        if t.id in parents:
            continue
        who = handles.get(t.assignee_id) or manager(t.project_id)

        def task(
            day: date, field: str, old: object, new: object, user: str = who, t: Task = t
        ) -> None:
            log.add(day, user, t.project_id, "task", entity_id=t.id, action="update",
                    field=field, old_value=str(old), new_value=str(new))  # fmt: skip

        if log.within(t.actual_start) and not t.is_milestone:
            assert t.actual_start is not None
            task(t.actual_start, "status", TaskStatus.TODO.value, TaskStatus.IN_PROGRESS.value)
        if t.status == TaskStatus.DONE.value and log.within(t.actual_finish):
            assert t.actual_finish is not None
            task(t.actual_finish, "percent_complete", 50, 100)
            task(t.actual_finish, "status", TaskStatus.IN_PROGRESS.value, TaskStatus.DONE.value)
        elif t.status == TaskStatus.BLOCKED.value:
            day = _weekday_before(today - timedelta(days=2), log.first)
            task(day, "status", TaskStatus.IN_PROGRESS.value, TaskStatus.BLOCKED.value)
            task(day, "blocked_reason", "", t.blocked_reason)
        elif t.status == TaskStatus.IN_PROGRESS.value and t.percent_complete >= 20:
            day = _weekday_before(today - timedelta(days=1), log.first)
            task(day, "percent_complete", t.percent_complete - 15, t.percent_complete)
        moved = (
            t.status != TaskStatus.DONE.value
            and t.baseline_finish is not None
            and t.planned_finish is not None
            and t.planned_finish > t.baseline_finish
            and slips.get(t.project_id, 0) < SLIPS_PER_PROJECT
        )
        if moved:
            slips[t.project_id] = slips.get(t.project_id, 0) + 1
            day = _weekday_before(today - timedelta(days=3), log.first)
            assert t.planned_finish is not None and t.baseline_finish is not None
            was = max(t.baseline_finish, t.planned_finish - timedelta(days=7))  # a week's slip
            task(day, "planned_finish", was, t.planned_finish, manager(t.project_id))

    for e in session.exec(
        select(LedgerEntry).order_by(col(LedgerEntry.entry_date), col(LedgerEntry.id))
    ).all():
        if log.within(e.entry_date):
            log.add(
                e.entry_date, manager(e.project_id), e.project_id, "ledgerentry",
                entity_id=e.id, action="create", summary=f"booked {e.category} {e.amount}",
            )  # fmt: skip
    for r in session.exec(select(Risk).order_by(col(Risk.id))).all():
        if log.within(r.raised_on):
            assert r.raised_on is not None
            user = handles.get(r.owner_id) or manager(r.project_id)
            log.add(
                r.raised_on, user, r.project_id, "risk",
                entity_id=r.id, action="create", summary=f"created risk '{r.title}'",
            )  # fmt: skip
    for c in session.exec(select(ChangeRequest).order_by(col(ChangeRequest.id))).all():
        if log.within(c.requested_on):
            log.add(
                c.requested_on, manager(c.project_id), c.project_id, "changerequest",
                entity_id=c.id, action="create", summary=f"created changerequest '{c.title}'",
            )  # fmt: skip
        if log.within(c.decided_on) and c.status != ChangeStatus.PROPOSED.value:
            assert c.decided_on is not None
            verb = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}
            log.add(
                c.decided_on, manager(c.project_id), c.project_id, "changerequest",
                entity_id=c.id, action=verb.get(c.status, "update"),
                summary=f"{c.status} '{c.title}'",
            )  # fmt: skip
    names = {s.id: s.name for s in session.exec(select(Stakeholder)).all()}
    for m in session.exec(select(CommunicationEntry).order_by(col(CommunicationEntry.id))).all():
        if log.within(m.logged_on):
            log.add(
                m.logged_on, manager(m.project_id), m.project_id, "communicationentry",
                entity_id=m.id, action="create",
                summary=f"logged {m.channel} contact with {names.get(m.stakeholder_id, '?')}",
            )  # fmt: skip
    pm = next((handles[p.manager_id] for p in projects.values() if p.manager_id in handles), "pm")
    log.add(log.first, pm, None, "standup", action="hold", summary="stand-up held")
    log.rows.sort(key=lambda a: a.at)
    return log.rows
