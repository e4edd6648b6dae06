"""Real processes writing one database at once through the services, as a team does.

Shared by the concurrency tests (`tests/test_concurrency.py`, small numbers, asserted) and
the benchmark (`tests/benchmarks/bench_concurrency.py`, large numbers, printed). Every
process opens the database by its URL on its own — nothing is shared but the database — and
waits at a barrier so that all of them write at once.

`shared_records` makes the records everyone edits; `mixed_writes` is one writer's share of
edits of them, each made from the version it read and retried from a fresh read when a
colleague saved first (`ConflictError`), as a user reloading would; `lost_updates` then
compares what the records hold with what the writers say they saved. `add_link` is a writer
that tries to make one task wait for another, the check that reads then writes.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import select

from itpm_tui.domain.closing import DeliverableDraft
from itpm_tui.domain.ledger import BudgetLineDraft
from itpm_tui.domain.predecessors import PredecessorRef
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import ValidationError
from itpm_tui.errors import ConflictError, ItpmError
from itpm_tui.services.budget_lines import add_budget_line, update_budget_line
from itpm_tui.services.closing import accept_deliverable, add_deliverable, unaccept_deliverable
from itpm_tui.services.context import Context
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.projects import create_project, set_archived
from itpm_tui.services.tasks import _draft_of, update_task
from itpm_tui.storage.database import open_database
from itpm_tui.storage.models import BudgetLine, Deliverable, Dependency, Project, Task

START = date(2026, 3, 2)
TODAY = date(2026, 3, 16)
#: The kinds of edit `mixed_writes` makes, each of a record every writer edits.
KINDS = ("budget", "archive", "accept")


@dataclass(frozen=True)
class Shared:
    """The records every writer edits."""

    project_id: int
    line_id: int  # its amount is a counter: +1 per saved increment
    deliverable_id: int  # accepted / withdrawn in turn
    first_task: int  # two plain tasks to link either way
    second_task: int


@dataclass
class Tally:
    """What one writer did: saves per kind, conflicts met, refusals, errors shown."""

    saved: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    conflicts: int = 0
    refused: int = 0  # a rule said no (a link closing a cycle): the user's answer, not a bug
    errors: list[str] = field(default_factory=list)  # anything else a user would be shown
    commits: list[tuple[float, int]] = field(default_factory=list)  # (monotonic, token after)

    def add(self, other: Tally) -> None:
        for kind, count in other.saved.items():
            self.saved[kind] = self.saved.get(kind, 0) + count
        self.conflicts += other.conflicts
        self.refused += other.refused
        self.errors += other.errors
        self.commits += other.commits


def context(url: str, user: str) -> Context:
    return Context(open_database(url), user, clock=lambda: TODAY)


def shared_records(url: str) -> Shared:
    """The project, budget line, deliverable and two tasks the writers share."""
    ctx = context(url, "setup")
    try:
        pid = create_project(ctx, ProjectDraft(code="RACE", name="Race", start_date=START))
        line = add_budget_line(ctx, pid, BudgetLineDraft("labour", "counter", "0"))
        deliverable = add_deliverable(ctx, pid, DeliverableDraft("As-built", due_date=TODAY))
        first = add_task(ctx, pid, TaskDraft(name="First"))
        second = add_task(ctx, pid, TaskDraft(name="Second"))
    finally:
        ctx.db.dispose()
    return Shared(pid, line, deliverable, first, second)


def _read(ctx: Context, model: type[Any], row_id: int) -> Any:
    with ctx.db.read() as session:
        row = session.get(model, row_id)
        assert row is not None
        return row


def _increment(ctx: Context, shared: Shared) -> None:
    line = _read(ctx, BudgetLine, shared.line_id)
    time.sleep(random.uniform(0, 0.002))  # the user typing: a colleague may save meanwhile
    draft = BudgetLineDraft(line.category, line.description, str(line.amount + 1))
    update_budget_line(ctx, shared.line_id, draft, line.version)


def _toggle_archive(ctx: Context, shared: Shared) -> None:
    project = _read(ctx, Project, shared.project_id)
    time.sleep(random.uniform(0, 0.002))
    set_archived(ctx, shared.project_id, not project.archived, expected_version=project.version)


def _toggle_acceptance(ctx: Context, shared: Shared) -> None:
    item = _read(ctx, Deliverable, shared.deliverable_id)
    time.sleep(random.uniform(0, 0.002))
    if item.accepted_by:
        unaccept_deliverable(ctx, shared.deliverable_id, expected_version=item.version)
    else:
        accept_deliverable(
            ctx, shared.deliverable_id, ctx.user, TODAY, expected_version=item.version
        )


EDITS: dict[str, Callable[[Context, Shared], None]] = {
    "budget": _increment,
    "archive": _toggle_archive,
    "accept": _toggle_acceptance,
}


def _retrying(ctx: Context, edit: Callable[[], None], tally: Tally) -> bool:
    """Make `edit` until it saves, counting conflicts; False when anything else refused it."""
    while True:
        try:
            edit()
        except ConflictError:
            tally.conflicts += 1
            continue
        except ItpmError as exc:
            tally.errors.append(str(exc))
            return False
        tally.commits.append((time.monotonic(), ctx.db.change_token()))
        return True


def mixed_writes(
    url: str, shared: Shared, writes: int, user: str, seed: int, start: Any = None
) -> Tally:
    """`writes` edits of the shared records (kinds in turn, from `seed`), each retried on a
    conflict; waits at `start` (a barrier) first when given."""
    ctx = context(url, user)
    tally = Tally()
    chooser = random.Random(seed)
    try:
        if start is not None:
            start.wait()
        for _ in range(writes):
            kind = chooser.choice(KINDS)
            if _retrying(ctx, lambda k=kind: EDITS[k](ctx, shared), tally):  # type: ignore[misc]
                tally.saved[kind] += 1
    finally:
        ctx.db.dispose()
    return tally


def lost_updates(url: str, shared: Shared, tally: Tally) -> int:
    """How many saved edits the records do not show: the counter's shortfall, plus one for
    each toggled flag whose state is not what the number of saved toggles makes it."""
    ctx = context(url, "check")
    try:
        line = _read(ctx, BudgetLine, shared.line_id)
        project = _read(ctx, Project, shared.project_id)
        item = _read(ctx, Deliverable, shared.deliverable_id)
    finally:
        ctx.db.dispose()
    lost = abs(tally.saved["budget"] - int(Decimal(line.amount)))
    lost += int(project.archived != (tally.saved["archive"] % 2 == 1))
    lost += int(bool(item.accepted_by) != (tally.saved["accept"] % 2 == 1))
    return lost


def add_link(url: str, successor: int, predecessor: int, start: Any = None) -> Tally:
    """Make `successor` wait for `predecessor`, from the task as read; a conflict (another
    writer saved the task) is retried, a refusal (it would close a cycle) counted."""
    ctx = context(url, f"link-{successor}-{predecessor}")
    tally = Tally()

    def save() -> None:
        task = _read(ctx, Task, successor)
        refs = [PredecessorRef(predecessor, "FS", 0)]
        update_task(ctx, successor, _draft_of(task), refs, expected_version=task.version)

    try:
        if start is not None:
            start.wait()
        while True:
            try:
                save()
            except ConflictError:
                tally.conflicts += 1
                continue
            except ValidationError:
                tally.refused += 1
            except ItpmError as exc:
                tally.errors.append(str(exc))
            else:
                tally.saved["link"] = tally.saved.get("link", 0) + 1
            break
    finally:
        ctx.db.dispose()
    return tally


def links(url: str, shared: Shared) -> set[tuple[int, int]]:
    """The links between the two shared tasks, as (predecessor, successor)."""
    ctx = context(url, "check")
    try:
        with ctx.db.read() as session:
            rows = session.exec(select(Dependency)).all()
            return {(d.predecessor_id, d.successor_id) for d in rows}
    finally:
        ctx.db.dispose()


def run_processes(
    jobs: Iterable[tuple[Callable[..., Tally], tuple[Any, ...]]], timeout: float = 600
) -> Tally:
    """Run each (function, args) in a process of its own, all released at once by a
    barrier passed as the last argument; the sum of their tallies (each waited for at most
    `timeout` seconds: a benchmark's run on a busy machine takes longer than a test's)."""
    work = list(jobs)
    mp = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited open
    with mp.Manager() as manager:
        barrier = manager.Barrier(len(work))
        with mp.Pool(len(work)) as pool:
            pending = [pool.apply_async(fn, (*args, barrier)) for fn, args in work]
            total = Tally()
            for result in pending:
                total.add(result.get(timeout=timeout))
    return total
