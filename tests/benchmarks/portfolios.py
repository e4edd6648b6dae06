"""The portfolios the benchmarks measure, built once into SQLite files and cached.

    python tests/benchmarks/portfolios.py SIZE [--rebuild]     # prints the file's path

Sizes (issue 15): S is the demo (`itpm demo`); M is 200 projects, 10,000 tasks, 50,000
ledger entries, 2,000 risks, 1,000 stakeholders; L is 1,000 / 100,000 / 500,000 / 10,000 /
5,000; "tiny" is for the smoke test. M, L and tiny get a team (project managers and
technicians with login handles and roles), each project phases (summary tasks) of leaf tasks
linked finish-to-start, done, in-progress and blocked tasks, downtime windows, budget lines,
ledger entries, risks, stakeholders and their contact log. One technician, `TECH`, holds a
realistic share: about 100 tasks spread over as many projects.

The rows go in the way a user's would: the generator streams them, row by row, into an
`itpm-portfolio` JSON document (the format of `itpm export --format json`), then runs `itpm
import FILE --db NEW` as its own process, so every row passes itpm's checks and the data is
valid by construction (`write_document` alone writes the file). Everything is seeded, so a
size is the same data on every run; dates are laid around the Monday of the week it is built, so
"late" and "this week" keep their meaning. Built files are cached under the temp dir by
size (`--rebuild`, or `build(..., rebuild=True)`, makes them again).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The technician whose work the benchmarks show (M, L and tiny; in S it is the demo's).
TECH = "tech"
#: The demo's field technician (S).
DEMO_TECH = "pedro"
#: The `itpm-portfolio` format version the generator writes.
VERSION = 1


@dataclass(frozen=True)
class Size:
    name: str
    projects: int
    tasks: int
    ledger: int
    risks: int
    stakeholders: int
    tech_tasks: int  # how many leaf tasks the technician holds


SIZES: dict[str, Size] = {
    "tiny": Size("tiny", 4, 80, 200, 12, 6, 12),
    "M": Size("M", 200, 10_000, 50_000, 2_000, 1_000, 100),
    "L": Size("L", 1_000, 100_000, 500_000, 10_000, 5_000, 100),
}
ALL_SIZES = ("S", *SIZES)
PHASES = ("Survey", "Design", "Procurement", "Build", "Cutover")
VERBS = ("Install", "Configure", "Migrate", "Test", "Patch", "Cable", "Document", "Replace")
THINGS = ("firewall", "switch stack", "mailboxes", "VPN", "laptops", "backup", "UPS", "SIP trunk")


def cache_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "itpm-bench"
    path.mkdir(exist_ok=True)
    return path


def technician(size: str) -> str:
    """The handle whose work is measured at this size."""
    return DEMO_TECH if size == "S" else TECH


def build(size: str, *, rebuild: bool = False, path: Path | None = None) -> Path:
    """The SQLite file of this size: the cached one (brought to this version's schema
    first, as itpm does when it opens a file), else built now (then cached)."""
    if size not in ALL_SIZES:
        raise ValueError(f"size must be one of {', '.join(ALL_SIZES)}")
    target = path or cache_dir() / f"portfolio-{size}.db"
    if target.exists() and not rebuild:
        _upgrade(target)
        return target
    partial = target.with_name(target.name + ".building")
    for leftover in (partial, *(Path(f"{partial}{s}") for s in ("-wal", "-shm", ".json"))):
        leftover.unlink(missing_ok=True)
    if size == "S":
        _build_demo(partial)
    else:
        _build_generated(SIZES[size], partial, anchor=_monday())
    for side in ("-wal", "-shm"):
        Path(f"{target}{side}").unlink(missing_ok=True)
    partial.replace(target)
    return target


def _upgrade(path: Path) -> None:
    """Migrate a file cached by an older version, so no measure counts the upgrade."""
    from itpm_tui.storage.database import open_database, sqlite_url
    from itpm_tui.storage.location import head_revision, inspect_sqlite_file

    if inspect_sqlite_file(path) != head_revision():
        open_database(sqlite_url(path)).dispose()


def _build_demo(path: Path) -> None:
    """S is exactly what users see with `itpm demo` (run as its own process)."""
    subprocess.run(
        [sys.executable, "-m", "itpm_tui", "demo", "--db", str(path)],
        check=True,
        capture_output=True,
        env=_env(),
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _monday() -> date:
    today = date.today()  # the benchmark's data, not itpm's clock
    return today - timedelta(days=today.weekday())


def _build_generated(size: Size, path: Path, anchor: date) -> None:
    """Write the portfolio as an `itpm-portfolio` document, then `itpm import` it (a process),
    so every row passes the checks a user's file would; the import's own transaction stores
    the schedules. The document is kept beside the database only if the import fails."""
    document = path.with_name(path.name + ".json")
    write_document(size, anchor, document)
    env = _env()
    env.pop("ITPM_DB", None)
    env["ITPM_CONFIG"] = str(path.with_name(path.name + ".no-config.toml"))  # defaults only
    done = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "import", str(document), "--db", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        problems = "\n".join((done.stderr or done.stdout).strip().splitlines()[:20])
        raise SystemExit(f"itpm import {document} failed ({done.returncode}):\n{problems}")
    document.unlink()


def write_document(size: Size, anchor: date, target: Path) -> int:
    """The portfolio of `size` as an `itpm-portfolio` JSON document (the format of `itpm
    export --format json`, docs/json-format.md), written row by row: only the dependency
    links and a few per-project dates are held, never the document. Returns the row count."""
    plan = _Plan(size, anchor)
    count = 0
    encode = json.JSONEncoder(default=_json_value, ensure_ascii=False).encode
    with target.open("w", encoding="utf-8") as out:
        out.write(f'{{"format": "itpm-portfolio", "version": {VERSION}')
        for key, rows in plan.sections():
            out.write(f',\n"{key}": [')
            separator = "\n"
            for row in rows:
                out.write(separator)
                out.write(encode(row))
                separator = ",\n"
                count += 1
            out.write("]")
        out.write("}\n")
    return count


def _json_value(value: object) -> str:
    """Dates and wall-clock times in ISO form, money and hours as exact decimal strings."""
    if isinstance(value, date):  # datetime too: downtime windows are naive wall-clock time
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not in the portfolio format")


class _Plan:
    """The generated portfolio, row by row, from one seeded random stream per table."""

    def __init__(self, size: Size, anchor: date) -> None:
        self.size = size
        self.anchor = anchor
        self.managers = max(2, size.projects // 10)
        self.engineers = max(4, size.projects // 4)
        # ids: the technician is 1, then managers, then the other engineers
        self.manager_ids = list(range(2, 2 + self.managers))
        self.engineer_ids = list(range(2 + self.managers, 2 + self.managers + self.engineers))
        self.project_start: dict[int, date] = {}
        self.project_days: dict[int, int] = {}
        self.links: list[tuple[int, int]] = []  # predecessor, successor
        self.tech_task_ids: list[tuple[int, int, date]] = []  # task, project, start

    def sections(self) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
        """Each section of the document with its rows; tasks before the sections made from
        what writing them noted (links, the technician's tasks, project dates)."""
        yield "people", self.people()
        yield "projects", self.projects()
        yield "tasks", self.tasks()
        yield "dependencies", self.dependencies()
        yield "downtime_windows", self.windows()
        yield "holidays", self.holidays()
        yield "budget_lines", self.budget_lines()
        yield "ledger_entries", self.ledger()
        yield "risks", self.risks()
        yield "stakeholders", self.stakeholders()
        yield "project_stakeholders", self.project_stakeholders()
        yield "communications", self.contacts()

    def dependencies(self) -> Iterator[dict[str, Any]]:
        for n, (predecessor, successor) in enumerate(self.links, start=1):
            yield {"id": n, "predecessor_id": predecessor, "successor_id": successor, "lag_days": 0}

    def people(self) -> Iterator[dict[str, Any]]:
        pm, engineer = "project manager", "technician/engineer"
        rows = [(TECH, "Terry Technician", engineer)]
        rows += [(f"pm{i:03d}", f"Manager {i:03d}", pm) for i in range(1, self.managers + 1)]
        rows += [
            (f"eng{i:03d}", f"Engineer {i:03d}", engineer) for i in range(1, 1 + self.engineers)
        ]
        for pid, (handle, name, role) in enumerate(rows, start=1):
            yield {
                "id": pid,
                "name": name,
                "handle": handle,
                "role": role,
                "email": f"{handle}@example.net",
                "phone": f"+49 30 5550 {pid:04d}",
                "cost_rate": Decimal("80.00"),
            }

    def projects(self) -> Iterator[dict[str, Any]]:
        rnd = random.Random(1)
        for p in range(1, self.size.projects + 1):
            start = self.anchor - timedelta(days=rnd.randrange(7, 300))
            end = start + timedelta(days=rnd.randrange(120, 400))
            self.project_start[p] = start
            self.project_days[p] = (end - start).days
            yield {
                "id": p,
                "code": f"P{p:04d}",
                "name": f"{rnd.choice(THINGS).capitalize()} programme {p}",
                "client": f"Client {p % 37}",
                "manager_id": self.manager_ids[p % self.managers],
                "phase": "execution",
                "start_date": start,
                "end_date": end,
                "baseline_start": start,
                "baseline_end": end,
                "baseline_set_on": start,
                "currency": "EUR",
            }

    def tasks(self) -> Iterator[dict[str, Any]]:
        """Per project: phases (summaries) of leaves, half linked to the one before."""
        rnd = random.Random(2)
        per_project = self.size.tasks // self.size.projects
        leaves_total = self.size.tasks - self.size.projects * len(PHASES)
        stride = max(1, leaves_total // self.size.tech_tasks)
        leaf_no = 0
        task_id = 0
        for p in range(1, self.size.projects + 1):
            cursor = self.project_start[p]
            leaves = per_project - len(PHASES)
            step = max(1, self.project_days[p] // max(1, leaves))
            order = 0
            for k, phase in enumerate(PHASES, start=1):
                task_id += 1
                order += 1
                phase_id = task_id
                count = leaves // len(PHASES) + (1 if k <= leaves % len(PHASES) else 0)
                yield self._task(phase_id, p, None, order, str(k), phase, cursor, 1)
                previous: int | None = None
                for j in range(1, count + 1):
                    task_id += 1
                    order += 1
                    days = rnd.randrange(1, 8)
                    leaf_no += 1
                    assignee = (
                        1
                        if leaf_no % stride == 0 and len(self.tech_task_ids) < self.size.tech_tasks
                        else rnd.choice(self.engineer_ids)
                    )
                    name = f"{rnd.choice(VERBS)} {rnd.choice(THINGS)} {p}.{k}.{j}"
                    row = self._task(task_id, p, phase_id, order, f"{k}.{j}", name, cursor, days)
                    row["assignee_id"] = assignee
                    self._progress(row, rnd)
                    if assignee == 1:
                        self.tech_task_ids.append((task_id, p, cursor))
                    if previous is not None and rnd.random() < 0.5:
                        self.links.append((previous, task_id))
                    previous = task_id
                    cursor += timedelta(days=rnd.randrange(0, 2 * step + 1))
                    yield row

    def _task(
        self, tid: int, p: int, parent: int | None, order: int, wbs: str, name: str,
        start: date, days: int,
    ) -> dict[str, Any]:  # fmt: skip
        return {
            "id": tid,
            "project_id": p,
            "parent_id": parent,
            "sort_order": order,
            "wbs": wbs,
            "name": name,
            "planned_start": start,
            "planned_finish": start + timedelta(days=days - 1),
            "baseline_start": start,
            "baseline_finish": start + timedelta(days=days - 1),
            "estimate_hours": Decimal(days * 8),
            "remaining_hours": Decimal(days * 8),
            "percent_complete": 0,
            "status": "todo",
            "assignee_id": None,
            "actual_start": None,
            "actual_finish": None,
            "blocked_reason": "",
            "needs_downtime": False,
        }

    def _progress(self, row: dict[str, Any], rnd: random.Random) -> None:
        """Work past is mostly done, work under way is started, a few tasks are blocked."""
        start, finish = row["planned_start"], row["planned_finish"]
        roll = rnd.random()
        if finish < self.anchor and roll < 0.85:
            row.update(status="done", percent_complete=100, remaining_hours=Decimal(0))
            row.update(actual_start=start, actual_finish=finish)
        elif start <= self.anchor and roll < 0.9:
            row.update(status="in progress", percent_complete=50, actual_start=start)
            row["remaining_hours"] = row["estimate_hours"] / 2
        elif roll > 0.97:
            row.update(status="blocked", blocked_reason="waiting for the vendor's delivery")
        if roll < 0.05:
            row["needs_downtime"] = True

    def windows(self) -> Iterator[dict[str, Any]]:
        """A downtime window on every fifth of the technician's tasks (and on a few others)."""
        for n, (task_id, p, start) in enumerate(self.tech_task_ids[::5], start=1):
            at = datetime(start.year, start.month, start.day, 22, 0)
            yield {
                "id": n,
                "project_id": p,
                "title": f"Maintenance window {n}",
                "starts_at": at,
                "ends_at": at + timedelta(hours=4),
                "systems": "core switches",
                "approved": n % 2 == 0,
                "task_id": task_id,
                "anchor_start": start,
            }

    def holidays(self) -> Iterator[dict[str, Any]]:
        year = self.anchor.year
        for n, (month, day) in enumerate(((1, 1), (5, 1), (10, 3), (12, 25), (12, 26)), 1):
            yield {"id": n, "project_id": None, "day": date(year, month, day), "name": "Holiday"}

    def budget_lines(self) -> Iterator[dict[str, Any]]:
        categories = ("hardware", "software", "labour", "vendor services", "contingency")
        n = 0
        for p in range(1, self.size.projects + 1):
            for category in categories:
                n += 1
                yield {"id": n, "project_id": p, "category": category, "amount": Decimal(50_000)}

    def ledger(self) -> Iterator[dict[str, Any]]:
        rnd = random.Random(3)
        categories = ("hardware", "software", "labour", "vendor services")
        for n in range(1, self.size.ledger + 1):
            p = n % self.size.projects + 1
            span = max(1, (self.anchor - self.project_start[p]).days)
            yield {
                "id": n,
                "project_id": p,
                "entry_date": self.project_start[p] + timedelta(days=rnd.randrange(span)),
                "vendor": f"Vendor {n % 53}",
                "category": rnd.choice(categories),
                "description": f"Invoice line {n}",
                "amount": Decimal(rnd.randrange(100, 500_000)) / 100,
                "kind": "actual" if rnd.random() < 0.8 else "committed",
                "invoice_ref": f"INV-{n:07d}",
            }

    def risks(self) -> Iterator[dict[str, Any]]:
        rnd = random.Random(4)
        categories = ("technical", "vendor", "schedule", "budget", "security")
        for n in range(1, self.size.risks + 1):
            p = n % self.size.projects + 1
            yield {
                "id": n,
                "project_id": p,
                "title": f"Risk {n}: {rnd.choice(THINGS)} {rnd.choice(('late', 'faulty'))}",
                "category": rnd.choice(categories),
                "probability": rnd.randrange(1, 6),
                "impact": rnd.randrange(1, 6),
                "owner_id": self.manager_ids[p % self.managers],
                "status": rnd.choice(("open", "open", "watching", "closed")),
                "raised_on": self.project_start[p],
                "review_date": self.anchor + timedelta(days=rnd.randrange(-20, 40)),
            }

    def stakeholders(self) -> Iterator[dict[str, Any]]:
        rnd = random.Random(5)
        for n in range(1, self.size.stakeholders + 1):
            yield {
                "id": n,
                "name": f"Contact {n:05d}",
                "organisation": f"Client {n % 37}",
                "email": f"contact{n}@client.example",
                "phone": f"+44 20 7946 {n % 10_000:04d}",
                "channel": rnd.choice(("e-mail", "phone", "chat", "meeting")),
                "cadence": rnd.choice(("daily", "weekly", "fortnightly", "monthly")),
                "influence": rnd.randrange(1, 6),
                "interest": rnd.randrange(1, 6),
            }

    def project_stakeholders(self) -> Iterator[dict[str, Any]]:
        for n in range(1, self.size.stakeholders + 1):
            yield {"project_id": n % self.size.projects + 1, "stakeholder_id": n, "role": "client"}

    def contacts(self) -> Iterator[dict[str, Any]]:
        rnd = random.Random(6)
        for n in range(1, self.size.stakeholders * 5 + 1):
            s = n % self.size.stakeholders + 1
            yield {
                "id": n,
                "stakeholder_id": s,
                "project_id": s % self.size.projects + 1,
                "logged_on": self.anchor - timedelta(days=rnd.randrange(1, 60)),
                "channel": "e-mail",
                "summary": f"Status update {n}",
            }


def main() -> None:
    parser = argparse.ArgumentParser(description="Build (or find cached) a benchmark portfolio.")
    parser.add_argument("size", choices=ALL_SIZES)
    parser.add_argument("--rebuild", action="store_true", help="build again even if cached")
    args = parser.parse_args()
    began = time.perf_counter()
    path = build(args.size, rebuild=args.rebuild)
    print(f"{path}  ({time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
