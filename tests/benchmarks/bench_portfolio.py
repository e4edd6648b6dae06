"""Figures for a large portfolio: 300 projects, 100,000 tasks, 100,000 ledger entries,
3,000 risks, 3,000 stakeholders with 100,000 communication log entries.

    python tests/benchmarks/bench_portfolio.py [DB]

Prints how long it takes to build the data, to compute the Projects screen's rows (all
aggregates in SQL), the risk register and heat map, the stakeholder list with next updates
due, a status report, to poll for changes, and to start the CLI. Not part of the test run:
speed is measured here, not asserted.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from itpm_tui.domain.risk import ALL, RiskFilter
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.queries.risks import heat_counts, register_rows
from itpm_tui.queries.stakeholders import contacts
from itpm_tui.reports import render_report
from itpm_tui.storage.database import open_database, sqlite_url
from itpm_tui.storage.models import (
    BudgetLine,
    CommunicationEntry,
    LedgerEntry,
    Project,
    ProjectStakeholder,
    Risk,
    Stakeholder,
    Task,
)

PROJECTS, TASKS, ENTRIES = 300, 100_000, 100_000
CONTACTS, LOG_ENTRIES = 3_000, 100_000
TODAY = date(2026, 3, 18)


def build(path: Path) -> None:
    rnd = random.Random(7)
    db = open_database(sqlite_url(path))
    start = TODAY - timedelta(days=200)
    with db.write() as session:
        session.execute(
            insert(Project),
            [
                {
                    "code": f"P-{i:04d}",
                    "name": f"Project {i}",
                    "currency": "EUR",
                    "baseline_end": start + timedelta(days=300),
                }
                for i in range(1, PROJECTS + 1)
            ],
        )
        session.execute(
            insert(BudgetLine),
            [
                {"project_id": i, "category": "hardware", "amount": Decimal("250000.00")}
                for i in range(1, PROJECTS + 1)
            ],
        )
        tasks = []
        for n in range(TASKS):
            s = start + timedelta(days=rnd.randrange(300))
            tasks.append(
                {
                    "project_id": n % PROJECTS + 1,
                    "name": f"Task {n}",
                    "sort_order": n,
                    "planned_start": s,
                    "planned_finish": s + timedelta(days=rnd.randrange(1, 15)),
                    "baseline_finish": s + timedelta(days=10),
                    "estimate_hours": Decimal(rnd.randrange(4, 80)),
                    "percent_complete": rnd.choice((0, 25, 50, 100)),
                    "is_milestone": n % 40 == 0,
                }
            )
        session.execute(insert(Task), tasks)
        session.execute(
            insert(LedgerEntry),
            [
                {
                    "project_id": n % PROJECTS + 1,
                    "entry_date": start + timedelta(days=n % 300),
                    "category": "hardware",
                    "amount": Decimal(rnd.randrange(100, 900000)) / 100,
                    "kind": rnd.choice(("actual", "committed")),
                }
                for n in range(ENTRIES)
            ],
        )
        session.execute(
            insert(Risk),
            [
                {
                    "project_id": n % PROJECTS + 1,
                    "title": f"Risk {n}",
                    "probability": rnd.randrange(1, 6),
                    "impact": rnd.randrange(1, 6),
                }
                for n in range(PROJECTS * 10)
            ],
        )
        session.execute(
            insert(Stakeholder),
            [
                {
                    "name": f"Contact {n}",
                    "cadence": rnd.choice(("daily", "weekly", "fortnightly", "monthly")),
                }
                for n in range(CONTACTS)
            ],
        )
        session.execute(
            insert(ProjectStakeholder),
            [{"project_id": n % PROJECTS + 1, "stakeholder_id": n + 1} for n in range(CONTACTS)],
        )
        session.execute(
            insert(CommunicationEntry),
            [
                {
                    "stakeholder_id": n % CONTACTS + 1,
                    "logged_on": start + timedelta(days=rnd.randrange(200)),
                    "summary": f"Update {n}",
                }
                for n in range(LOG_ENTRIES)
            ],
        )
    db.dispose()


def timed(label: str, func: object, repeat: int = 5) -> None:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        func()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    print(f"{label:<46} {best * 1000:9.1f} ms (best of {repeat})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "big.db"
        t = time.perf_counter()
        build(path)
        print(
            f"{'build ' + str(TASKS) + ' tasks + ' + str(ENTRIES) + ' entries':<46} "
            f"{(time.perf_counter() - t) * 1000:9.1f} ms"
        )
        db = open_database(sqlite_url(path))
        rows: list[object] = []
        timed(f"portfolio rows for {PROJECTS} projects", lambda: rows.append(portfolio(db, TODAY)))
        timed("change token (one poll)", db.change_token, repeat=50)
        timed(
            f"risk register, all {PROJECTS * 10} risks",
            lambda: register_rows(db, TODAY, RiskFilter(status=ALL)),
        )
        timed("heat map counts, all projects", lambda: heat_counts(db, RiskFilter()))
        timed(f"{CONTACTS} contacts with next update due", lambda: contacts(db, TODAY))
        timed(
            "executive status report (txt) of one project",
            lambda: render_report(db, 1, today=TODAY, audience="executive", fmt="txt"),
        )
        db.dispose()
        timed(
            "itpm --version (process start)",
            lambda: subprocess.run(
                [sys.executable, "-m", "itpm_tui", "--version"], check=True, capture_output=True
            ),
        )
        timed(
            "itpm config show (process start)",
            lambda: subprocess.run(
                [sys.executable, "-m", "itpm_tui", "config", "show"],
                check=True,
                capture_output=True,
            ),
        )


if __name__ == "__main__":
    main()
