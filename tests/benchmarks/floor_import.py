"""The floor an `itpm import` is measured against: the standard library alone.

    python tests/benchmarks/floor_import.py FILE.json DB

`json.load` the whole file, then `sqlite3` `executemany` each section's rows into the table
of the same name in DB (an empty itpm database), in one transaction, foreign keys off and
no checks of any kind: what importing the file cannot be faster than.
"""

from __future__ import annotations

import json
import sqlite3
import sys

#: section key in the file -> table (as `formats.portfolio_json` names them).
TABLES = {
    "people": "person",
    "projects": "project",
    "tasks": "task",
    "dependencies": "dependency",
    "downtime_windows": "downtimewindow",
    "holidays": "holiday",
    "deliverables": "deliverable",
    "budget_lines": "budgetline",
    "ledger_entries": "ledgerentry",
    "risks": "risk",
    "change_requests": "changerequest",
    "stakeholders": "stakeholder",
    "project_stakeholders": "projectstakeholder",
    "communications": "communicationentry",
    "progress_snapshots": "progresssnapshot",
    "activity": "activity",
}


def main(argv: list[str]) -> None:
    source, target = argv
    with open(source, encoding="utf-8") as handle:
        document = json.load(handle)
    con = sqlite3.connect(target)
    with con:
        for key, table in TABLES.items():
            rows = document.get(key) or []
            if not rows:
                continue
            names = list(rows[0])
            sql = (
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
            )
            con.executemany(sql, (tuple(row[n] for n in names) for row in rows))
    con.close()


if __name__ == "__main__":
    main(sys.argv[1:])
