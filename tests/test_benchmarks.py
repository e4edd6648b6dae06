"""The benchmark scripts keep working: each imports, and the builder makes a valid portfolio.

Times are never asserted here (speed is printed by the scripts themselves); this checks the
instruments: the tiny portfolio has the shape the benchmarks rely on and went in through
`itpm import`, itpm reads it, the taskwarrior copy holds the same tasks, the floor app shows
its rows and its second screen, the figures say "meets" and "misses" right, and one quick
run of `python -m tests.benchmarks` on the tiny portfolio gives a figure of every script.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
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


def test_the_tiny_portfolio_went_in_through_itpm_import(tiny: Path) -> None:
    """One import (its activity entry), and the import's transaction stored every schedule."""
    assert counts(tiny, "SELECT count(*) FROM activity") == 1
    assert counts(tiny, "SELECT count(*) FROM activity WHERE action = 'import'") == 1
    stale = "SELECT count(*) FROM schedulestate WHERE inputs_revision != scheduled_revision"
    assert counts(tiny, stale) == 0
    assert counts(tiny, "SELECT count(*) FROM schedulestate") == 4
    assert counts(tiny, "SELECT count(*) FROM taskschedule") == 80


def test_the_document_is_the_export_format_written_row_by_row(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import portfolios
    finally:
        sys.path.remove(str(BENCHMARKS))
    size = portfolios.SIZES["tiny"]
    target = tmp_path / "tiny.json"
    rows = portfolios.write_document(size, date(2026, 3, 16), target)
    text = target.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["format"] == "itpm-portfolio"
    assert document["version"] == 1
    sections = {k: v for k, v in document.items() if isinstance(v, list)}
    assert sum(len(v) for v in sections.values()) == rows
    assert len(sections["tasks"]) == size.tasks
    assert len(sections["ledger_entries"]) == size.ledger
    assert document["ledger_entries"][0]["amount"].replace(".", "").isdigit()  # exact text
    assert document["downtime_windows"][0]["starts_at"].endswith("T22:00:00")  # wall-clock
    assert text.count("\n") > rows  # one row a line: streamed, not one dumped document


def test_a_row_itpm_would_refuse_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows pass itpm's own checks: a bad one is refused by the import, which names it;
    the document is kept to look at."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import portfolios
    finally:
        sys.path.remove(str(BENCHMARKS))
    real = portfolios._Plan.tasks

    def tasks(self: object) -> Iterator[dict[str, object]]:
        for row in real(self):  # type: ignore[arg-type]
            yield {**row, "percent_complete": 150} if row["id"] == 7 else row

    monkeypatch.setattr(portfolios._Plan, "tasks", tasks)
    size = portfolios.Size("bad", 1, 10, 2, 1, 1, 1)
    with pytest.raises(
        SystemExit, match="tasks row 7, field percent_complete: must be between 0 and 100"
    ):
        portfolios._build_generated(size, tmp_path / "bad.db", anchor=date(2026, 3, 16))
    assert counts_or_none(tmp_path / "bad.db") in (None, 0)  # nothing imported
    assert (tmp_path / "bad.db.json").exists()


def counts_or_none(db: Path) -> int | None:
    if not db.exists():
        return None
    with sqlite3.connect(db) as con:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
        return (
            int(con.execute("SELECT count(*) FROM task").fetchone()[0]) if "task" in tables else 0
        )


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
        await pilot.press("2")  # the second screen: the floor of a key that shows a screen
        await pilot.pause()
        second = app.screen.query_one(DataTable)
        assert second is not grid
        assert second.get_row_at(0)[0] == "P0004"
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.query_one(DataTable) is grid


def test_the_key_benchmark_knows_each_screen_by_its_title_and_data(on_path: None) -> None:
    import bench_keys

    projects, timeline = bench_keys.SCREENS[0], bench_keys.SCREENS[1]
    loaded = " ⭘   Projects — tech · portfolio-M.db\n P0001 …\n 200 of 200 projects  ✖ 200 red"
    assert projects.shown(loaded)
    assert not projects.shown(" ⭘   Projects — tech · portfolio-M.db\n ● ● ● ● ●")
    assert not timeline.shown(loaded)  # another screen's title
    assert timeline.shown(" ⭘  Timeline — tech · m.db\nP0001 Net\n  1.1       Survey  Ana")


def test_the_key_benchmark_measures_only_the_screens_named(on_path: None) -> None:
    """`--screens team my-work`: Projects (where it opens), then those, in the keys' order;
    a name that is no screen's is refused before anything runs."""
    import bench_keys

    assert [m.title for m in bench_keys.picked(["team", "my-work"])] == [
        "Projects",
        "My work",
        "Team",
    ]
    assert bench_keys.picked(None) == bench_keys.SCREENS
    with pytest.raises(SystemExit, match="no screen nope"):
        bench_keys.picked(["team", "nope"])
    figures = bench_keys.figures_of(
        "M", {"first visit": [0.2], "switch back": [0.04, 0.05], "filter key": []}, ["team"]
    )
    assert [f.what for f in figures] == ["first visit: Team", "switch back to a screen"]


def test_the_key_benchmark_reads_the_filter_from_the_summary(on_path: None) -> None:
    import bench_keys

    typed = " 1 of 200 projects  ✖ 1 red  ▲ 0 amber  ● 0 green   sorted by health   filter: P09"
    assert bench_keys.filtered("P09")(typed)
    assert not bench_keys.filtered("P0")(typed)
    assert not bench_keys.filtered("")(typed)
    assert bench_keys.filtered("")(" 200 of 200 projects  ✖ 200 red   sorted by health")


def test_a_figure_says_meets_or_misses_against_a_value_or_a_ratio(on_path: None) -> None:
    from figures import Figure, table

    first_row = Figure("launch", "M", 0.9, unit="s", floor=0.5, target=1.5, per_floor=True)
    assert first_row.ratio == pytest.approx(1.8)
    assert (first_row.verdict, first_row.target_text()) == ("misses", "≤ 1.5× floor")
    key = Figure("first visit", "M", 250.0, floor=100.0, target=300.0)
    assert (key.verdict, key.target_text()) == ("meets", "≤ 300 ms")
    assert Figure("no floor", "M", 1.0, target=0.5, per_floor=True).verdict == ""
    assert Figure("no target", "M", 1.0).verdict == ""
    markdown = table([first_row, key], markdown=True).splitlines()
    assert markdown[0] == "| figure | size | floor | itpm | ratio | target | verdict |"
    assert markdown[2] == "| launch | M | 0.500 s | 0.900 s | 1.80× | ≤ 1.5× floor | misses |"
    plain = table([first_row, key]).splitlines()
    assert len(plain) == 4 and "1.80×" in plain[2] and plain[3].endswith("meets")


def test_one_quick_run_of_every_benchmark_prints_one_table(tiny: Path, tmp_path: Path) -> None:
    """`python -m tests.benchmarks --sizes tiny --quick` as a user runs it, on its own cache
    (the tiny portfolio already built); each script gives its figures, the machine is named."""
    cache = tmp_path / "itpm-bench"
    cache.mkdir()
    shutil.copyfile(tiny, cache / "portfolio-tiny.db")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    env.pop("ITPM_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--sizes", "tiny", "--quick"],
        cwd=BENCHMARKS.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "machine: " in out and " cores, " in out and "load average" in out
    assert "| figure |" not in out  # plain text unless --markdown
    expected = [
        "itpm my --as tech, whole process",  # bench_my_work, beside taskwarrior if installed
        "schedule of 200 tasks (domain.plan)",  # bench_schedule, its tiny project
        "status report of 200 tasks (txt)",
        "Projects rows, 4 projects",  # bench_portfolio
        "itpm import, wall",  # bench_transfer, beside the stdlib floor
        "itpm export --format json, peak memory",
        # bench_poll: another project's change is not fetched again on the Budget screen
        "poll finding another project's change, budget (CPU) (wall",
        "fetches 0/1)",
        "open_database (start)",
        "lost updates",  # bench_concurrency
        "commit → second dashboard shows it, SQLite, polling every 0.5 s, max",  # live
    ]
    from tests.postgres import server_bin, wanted

    if wanted() and server_bin() is not None:  # bench_live_refresh on its own server
        expected.append("commit → second dashboard shows it, PostgreSQL, NOTIFY (polling every")
    if shutil.which("tmux"):
        expected += ["launch → first row, Projects 200×60", "first visit: Timeline", "`/` filter"]
    else:
        expected += ["startup: skipped", "keys: skipped"]
    for line in expected:
        assert line in out, f"{line!r} not in:\n{out}"
    backends = (
        ["SQLite"] if os.environ.get("ITPM_TEST_POSTGRES") == "0" else ["SQLite", "PostgreSQL"]
    )
    for backend in backends:  # bench_concurrency, with the dashboard polling: nothing lost
        for figure in ("lost updates", "errors shown to a user"):
            row = next(
                r for r in out.splitlines() if r.startswith(figure) and f"{backend} 2×10" in r
            )
            assert row.endswith("meets"), row
    assert "FAILED" not in out
    assert (cache / "project-tiny.db").exists()  # the schedule benchmark's, in this cache


def test_a_benchmark_that_fails_is_said_and_the_run_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other benchmarks still give their figures; a missing script is a line, not a failure."""
    from tests.benchmarks import __main__ as runner

    (tmp_path / "bench_boom.py").write_text(
        "def results(sizes, quick=False):\n"
        "    print('# boom: starting')\n"
        "    print('its own table')\n"
        "    raise SystemExit('no terminal to measure in')\n"
    )
    (tmp_path / "bench_fine.py").write_text(
        "from figures import Figure\n\n"
        "def results(sizes, quick=False):\n"
        "    return [Figure('fine figure', s, 12.0, floor=6.0, target=2, per_floor=True)"
        " for s in sizes]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(runner, "HERE", tmp_path)
    benchmarks = {"boom": "bench_boom", "fine": "bench_fine", "gone": "bench_gone"}
    monkeypatch.setattr(runner, "BENCHMARKS", benchmarks)
    assert runner.main(["--sizes", "M", "L", "--only", "boom,fine,gone"]) == 1
    out = capsys.readouterr().out
    assert "# boom: starting" in out and "its own table" not in out
    assert "boom: FAILED — no terminal to measure in" in out
    assert "gone: skipped, bench_gone.py is not in this checkout" in out
    fine = [line for line in out.splitlines() if line.startswith("fine figure")]
    assert len(fine) == 2 and all("2.00×" in line and "meets" in line for line in fine)


async def test_the_visit_benchmark_splits_a_first_visit_on_the_tiny_portfolio(
    tiny: Path, on_path: None, tmp_path: Path
) -> None:
    import bench_visits

    from itpm_tui.screens.team import TeamScreen

    fetch, show = TeamScreen.fetch, TeamScreen.show
    found = await bench_visits.visit(tiny, "tech", "team", tmp_path)
    assert found["fetch"] > 0 and found["show"] > 0
    assert found["show"] <= found["drawn"] <= found["ui"]  # the frame with the data came
    assert found["ui calls"] > 1000
    assert (tmp_path / "team-ui.prof").stat().st_size and (tmp_path / "team-fetch.prof").exists()
    assert (TeamScreen.fetch, TeamScreen.show) == (fetch, show)  # put back once measured
    floor = await bench_visits.visit(tiny, "tech", "floor", None)
    assert floor["fetch"] == 0 and floor["drawn"] > 0
