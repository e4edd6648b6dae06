"""The Projects rows read in plain SQL: the same through SQLAlchemy's session and through the
standard library, scheduled or stored, and the first read never loads SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from conftest import TODAY

from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.queries.portfolio import portfolio
from itpm_tui.queries.portfolio_rows import read_first_portfolio
from itpm_tui.services.context import Context


def make_stale(ctx: Context, every: int = 2) -> None:
    """Another program's raw write: some projects' stored schedules are no longer theirs."""
    with ctx.db.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE schedulestate SET inputs_revision = inputs_revision + 1"
            f" WHERE project_id % {every} = 0"
        )


def test_the_first_read_gives_the_rows_the_full_path_gives(
    demo_ctx: Context, db_path: Path
) -> None:
    for day in (TODAY, TODAY + timedelta(days=40), TODAY - timedelta(days=60)):
        full = portfolio(demo_ctx.db, day)
        first = read_first_portfolio(db_path, day, RiskThresholds())
        assert first is not None
        assert first[1] == full
        assert len(full) > 3
    token = first[0]
    assert token == demo_ctx.db.change_token()


def test_every_figure_of_the_demo_comes_through_the_plain_read(demo_ctx: Context) -> None:
    rows = portfolio(demo_ctx.db, TODAY)
    assert len({r.health for r in rows}) >= 2
    assert any(r.actual for r in rows) and any(r.budget for r in rows)
    assert any(r.next_milestone for r in rows) and any(r.slip_days for r in rows)
    assert any(r.updates_due for r in rows) and any(r.open_high_risks for r in rows)
    one = rows[2]
    assert portfolio(demo_ctx.db, TODAY, project_id=one.id) == [one]


def test_a_stale_schedule_is_scheduled_by_the_full_path_and_skipped_by_the_first_read(
    demo_ctx: Context, db_path: Path
) -> None:
    fresh = portfolio(demo_ctx.db, TODAY)
    make_stale(demo_ctx)
    assert read_first_portfolio(db_path, TODAY, RiskThresholds()) is None
    assert portfolio(demo_ctx.db, TODAY) == fresh  # scheduled now: the same dates


def test_archived_projects_are_left_out_unless_asked(demo_ctx: Context) -> None:
    from itpm_tui.services.projects import set_archived

    rows = portfolio(demo_ctx.db, TODAY)
    set_archived(demo_ctx, rows[0].id, True, expected_version=rows[0].version)
    assert rows[0].id not in {r.id for r in portfolio(demo_ctx.db, TODAY)}
    shown = portfolio(demo_ctx.db, TODAY, include_archived=True)
    assert [r.id for r in shown] == [r.id for r in rows]
    assert next(r for r in shown if r.id == rows[0].id).archived


def test_the_first_read_loads_no_sqlalchemy(demo_ctx: Context, db_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from itpm_tui.domain.risk import RiskThresholds\n"
        "from itpm_tui.queries.portfolio_rows import read_first_portfolio\n"
        f"path = Path({str(db_path)!r})\n"
        "found = read_first_portfolio(path, date(2026, 3, 18), RiskThresholds())\n"
        "assert found is not None and found[1], found\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_an_empty_file_reads_no_rows(ctx: Context, db_path: Path) -> None:
    assert read_first_portfolio(db_path, date(2026, 3, 18), RiskThresholds()) == (0, [])
    assert portfolio(ctx.db, date(2026, 3, 18)) == []
