"""The dependency cycles a portfolio import would store, found once its rows are written.

A cycle cannot be scheduled: the dashboard refuses every link that closes one, so an import
refuses them too instead of storing a plan the Timeline can only report as broken. The check
runs once per imported project with links, in the import's transaction, on the rows as
written (the file's rows may come in any order, and a link's cycle can run through a summary
task: `SummaryTree.cycle`, the check the task form and the MS Project import make).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from itpm_tui.domain.schedule import Link, find_cycle
from itpm_tui.domain.summary_links import SummaryTree
from itpm_tui.formats.portfolio_schema import RowProblem
from itpm_tui.storage.models import Dependency, Project, Task


def cycle_problems(connection: Any, offsets: dict[str, int]) -> list[RowProblem]:
    """One problem per imported project whose links form a cycle, naming the project's code
    and the cycle's tasks (with their ids in the file). `offsets` are the highest ids stored
    before the import: every row above them is the file's."""
    task, dep = Task.__table__, Dependency.__table__  # type: ignore[attr-defined]
    task_offset = offsets["task"]
    links: dict[int, list[Link]] = {}  # successor's project → its links
    rows = connection.execute(
        select(dep.c.predecessor_id, dep.c.successor_id, dep.c.kind, task.c.project_id)
        .join(task, task.c.id == dep.c.successor_id)
        .where(dep.c.id > offsets["dependency"])
        .order_by(dep.c.id)  # the file's order: a cycle is named from where the file starts it
    ).all()
    for pred, succ, kind, project_id in rows:
        links.setdefault(project_id, []).append(Link(pred, succ, kind))
    if not links:
        return []
    children: dict[int, dict[int, list[int]]] = {pid: {} for pid in links}
    rows = connection.execute(
        select(task.c.id, task.c.parent_id, task.c.project_id).where(
            task.c.id > task_offset, task.c.parent_id.is_not(None)
        )
    ).all()
    for tid, parent, project_id in rows:
        if project_id in children:
            children[project_id].setdefault(parent, []).append(tid)
    found: dict[int, str] = {}
    for project_id, project_links in links.items():
        tree = SummaryTree({p: tuple(kids) for p, kids in children[project_id].items()})
        if find_cycle((), tree.graph(project_links)):  # named below: rare, and read then
            found[project_id] = tree.cycle(
                project_links, _labels(connection, project_id, task_offset)
            )
    if not found:
        return []
    project = Project.__table__  # type: ignore[attr-defined]
    codes = dict(
        connection.execute(
            select(project.c.id, project.c.code).where(project.c.id.in_(list(found)))
        ).all()
    )
    return [
        RowProblem(
            "dependencies",
            0,
            "",
            f"project {codes.get(pid, pid)}: the links form a dependency cycle: {words}",
        )
        for pid, words in sorted(found.items())
    ]


def _labels(connection: Any, project_id: int, offset: int) -> dict[int, str]:
    """The project's tasks as the file names them: the name on one line, and the file's id."""
    task = Task.__table__  # type: ignore[attr-defined]
    rows = connection.execute(select(task.c.id, task.c.name).where(task.c.project_id == project_id))
    return {tid: f"{' '.join(name.split())} (task {tid - offset})" for tid, name in rows}
