"""The benchmark scripts keep working: each imports, and the builder makes a valid portfolio.

Times are never asserted here (speed is printed by the scripts themselves); this checks the
instruments: the tiny portfolio has the shape the benchmarks rely on, itpm reads it, the
taskwarrior copy holds the same tasks and the floor app shows its 20 rows.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent / "benchmarks"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    sys.path.insert(0, str(BENCHMARKS))
    import portfolios

    yield portfolios.build("tiny", path=tmp_path_factory.mktemp("bench") / "tiny.db")
    sys.path.remove(str(BENCHMARKS))


@pytest.fixture
def on_path() -> Iterator[None]:
    sys.path.insert(0, str(BENCHMARKS))
    yield
    sys.path.remove(str(BENCHMARKS))


def counts(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute(sql).fetchone()[0])


def test_tiny_portfolio_has_the_shape_the_benchmarks_rely_on(tiny: Path) -> None:
    import portfolios

    size = portfolios.SIZES["tiny"]
    assert counts(tiny, "SELECT count(*) FROM project") == size.projects
    assert counts(tiny, "SELECT count(*) FROM task") == size.tasks
    assert counts(tiny, "SELECT count(*) FROM ledgerentry") == size.ledger
    assert counts(tiny, "SELECT count(*) FROM risk") == size.risks
    assert counts(tiny, "SELECT count(*) FROM stakeholder") == size.stakeholders
    tech = "FROM task t JOIN person p ON p.id = t.assignee_id WHERE p.handle = 'tech'"
    assert counts(tiny, f"SELECT count(*) {tech}") == size.tech_tasks
    assert counts(tiny, f"SELECT count(DISTINCT t.project_id) {tech}") == size.projects
    assert counts(tiny, "SELECT count(*) FROM task WHERE parent_id IS NULL") == 5 * size.projects
    assert counts(tiny, "SELECT count(*) FROM dependency") > 0
    assert counts(tiny, "SELECT count(*) FROM task WHERE status = 'done'") > 0
    assert counts(tiny, "SELECT count(DISTINCT role) FROM person") == 2


def test_itpm_reads_the_technicians_work_from_it(tiny: Path) -> None:
    from itpm_tui.queries.lookup import person_by_handle
    from itpm_tui.queries.my_work import load_my_work
    from itpm_tui.storage.database import open_database, sqlite_url

    db = open_database(sqlite_url(tiny))
    try:
        work = load_my_work(db, person_by_handle(db, "tech", field="as"), date.today())
    finally:
        db.dispose()
    assert work.open_tasks
    assert {t.project_code for t in work.tasks} <= {f"P{p:04d}" for p in range(1, 5)}


def test_the_taskwarrior_copy_holds_the_same_tasks(tiny: Path) -> None:
    import bench_my_work

    tasks = bench_my_work._tasks_as_taskwarrior(tiny)
    assert len(tasks) == counts(tiny, "SELECT count(*) FROM task")
    assert sum(1 for t in tasks if t.get("assignee") == "tech") == 12
    done = counts(tiny, "SELECT count(*) FROM task WHERE status = 'done'")
    assert sum(1 for t in tasks if t["status"] == "completed") == done


def test_the_startup_benchmark_knows_a_project_row_when_it_sees_one(tiny: Path) -> None:
    import bench_startup

    shown = bench_startup.any_of(bench_startup.project_codes(tiny))
    assert shown(" │ P0003  Vpn programme 3 │")
    assert not shown(" Loading…  P9999 ")


async def test_the_floor_app_shows_the_projects_of_the_file(tiny: Path) -> None:
    import floor_app
    from textual.widgets import DataTable

    app = floor_app.FloorApp(f"sqlite:///{tiny}")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.query_one(DataTable)
        assert grid.row_count == 4
        assert grid.get_row_at(0)[0] == "P0001"


def test_the_schedule_benchmark_runs_on_a_small_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_schedule
        import portfolios

        monkeypatch.setattr(portfolios, "cache_dir", lambda: tmp_path)
        figures = bench_schedule.main(["--size", "tiny", "--runs", "1"])
    finally:
        sys.path.remove(str(BENCHMARKS))
    assert (tmp_path / "project-tiny.db").exists()
    assert [f.target_ms for f in figures] == [200, None, 100, None, 1000, 1000]
    assert all(f.wall_ms > 0 and f.cpu_ms >= 0 for f in figures)
    shown = capsys.readouterr().out
    assert "schedule of 200 tasks (domain.plan)" in shown
    assert "status report of 200 tasks (txt)" in shown


def test_the_key_benchmark_knows_each_screen_by_its_title_and_data(on_path: None) -> None:
    import bench_keys

    projects, timeline = bench_keys.SCREENS[0], bench_keys.SCREENS[1]
    loaded = " ⭘   Projects — tech · portfolio-M.db\n P0001 …\n 200 of 200 projects  ✖ 200 red"
    assert projects.shown(loaded)
    assert not projects.shown(" ⭘   Projects — tech · portfolio-M.db\n ● ● ● ● ●")
    assert not timeline.shown(loaded)  # another screen's title
    assert timeline.shown(" ⭘  Timeline — tech · m.db\nP0001 Net\n  1.1       Survey  Ana")


def test_the_key_benchmark_reads_the_filter_from_the_summary(on_path: None) -> None:
    import bench_keys

    typed = " 1 of 200 projects  ✖ 1 red  ▲ 0 amber  ● 0 green   sorted by health   filter: P09"
    assert bench_keys.filtered("P09")(typed)
    assert not bench_keys.filtered("P0")(typed)
    assert not bench_keys.filtered("")(typed)
    assert bench_keys.filtered("")(" 200 of 200 projects  ✖ 200 red   sorted by health")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="the key benchmark drives tmux")
def test_a_quick_key_pass_on_the_demo_measures_every_key(tmp_path: Path, on_path: None) -> None:
    """Every screen, a return to each and the filter, on S (the demo), keys 0.2 s apart."""
    import argparse

    import bench_keys
    import bench_startup
    import portfolios

    db = portfolios.build("S", path=tmp_path / "demo.db")
    config = tmp_path / "config.toml"
    config.write_text(f'user = "{portfolios.technician("S")}"\n')
    args = argparse.Namespace(width=160, height=48, rounds=1, filter="NE", settle=0.2)
    terminals = bench_startup.Terminals(poll=0)
    try:
        found = bench_keys.measure_file(db, config, "S", args, terminals)
    finally:
        terminals.close()
    assert len(found["first visit"]) == len(bench_keys.SCREENS) - 1
    assert len(found["switch back"]) == len(bench_keys.SCREENS)
    assert len(found["filter key"]) == 2 * len("NE")
    assert all(t > 0 for times in found.values() for t in times)


def test_the_transfer_benchmark_runs_on_the_tiny_portfolio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export, import, the stdlib floor and the table: the instrument works (no timing)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_transfer
        import portfolios

        monkeypatch.setattr(portfolios, "cache_dir", lambda: tmp_path)
        figures = bench_transfer.main(["--sizes", "tiny", "--runs", "1"])
    finally:
        sys.path.remove(str(BENCHMARKS))
    assert [f.what for f in figures] == [
        "itpm import (tiny)",
        "itpm export --format json (tiny)",
    ]
    assert all(f.itpm_s > 0 and f.peak_mb > 0 for f in figures)
    assert figures[0].floor_s is not None and figures[0].floor_s > 0
    shown = capsys.readouterr().out
    assert "≤ 2× floor, ≤ 1024 MB" in shown and "≤ 300 MB" in shown
