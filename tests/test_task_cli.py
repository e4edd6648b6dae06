"""`itpm project add`, `itpm task add/set/rm/list`, `itpm budget set` and `itpm baseline set`
run through the real `main([...])` against a real SQLite file, from an empty database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itpm_tui.cli import main


class Run:
    """`itpm --db FILE ...` in this process: exit status, stdout and stderr."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch):
        self.db, self.capsys, self.mp = db, capsys, mp

    def __call__(self, *args: str, today: str = "2026-03-02") -> tuple[int, str, str]:
        self.mp.setenv("ITPM_TODAY", today)
        try:
            main(["--db", str(self.db), *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str, today: str = "2026-03-02") -> str:
        code, out, err = self(*args, today=today)
        assert code == 0, err
        return out

    def refused(self, *args: str, today: str = "2026-03-02") -> str:
        """A one-line refusal (exit 2) that wrote nothing."""
        before = dump(self.db)
        code, out, err = self(*args, today=today)
        assert code == 2, (out, err)
        assert "Traceback" not in err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("itpm: "), err
        assert dump(self.db) == before
        return lines[0].removeprefix("itpm: ")


def dump(db: Path) -> list[str]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    return Run(tmp_path / "plan.db", capsys, monkeypatch)


def planned(itpm: Run) -> None:
    """A small firewall replacement planned from an empty database."""
    itpm.ok("project", "add", "FW-01", "Branch office firewall", "--start", "2026-03-02")
    itpm.ok("person", "add", "Ana Berg", "--handle", "ana", "--role", "pm", "--rate", "85")
    itpm.ok("person", "add", "Tom Reed", "--handle", "tom", "--rate", "60")
    assert itpm.ok("task", "add", "FW-01", "Design") == "1\n"
    survey = ["Survey site", "--parent", "1", "--duration", "2d", "--estimate", "16h"]
    assert itpm.ok("task", "add", "FW-01", *survey, "--assignee", "tom") == "1.1\n"
    order = ["Order firewall", "--parent", "1", "--after", "1.1", "--estimate", "1.5d"]
    assert itpm.ok("task", "add", "FW-01", *order, "--assignee", "ana") == "1.2\n"
    cut = ["Cut-over", "--after", "1.2FS+2d", "--start", "2026-03-02", "--finish", "2026-03-03"]
    assert itpm.ok("task", "add", "FW-01", *cut, "--estimate", "16") == "2\n"
    assert itpm.ok("task", "add", "FW-01", "Go live", "--milestone", "--after", "2") == "3\n"


def rows(itpm: Run, *extra: str) -> dict[str, list[str]]:
    lines = itpm.ok("task", "list", "FW-01", *extra).splitlines()
    assert lines[0].split() == ["WBS", "NAME", "START", "FINISH", "%", "STATUS", "ASSIGNEE"]
    return {line.split()[0]: line.split() for line in lines[1:]}


def test_tasks_added_with_links_show_the_scheduled_dates(itpm: Run) -> None:
    planned(itpm)
    table = rows(itpm)
    assert list(table) == ["1", "1.1", "1.2", "2", "3"]
    # 1.1 works Mon 2nd–Tue 3rd; 1.2 follows on Wed 4th (one day by default);
    # Cut-over waits two working days after it: Mon 9th–Tue 10th; Go live on its finish.
    assert table["1.1"][3:5] == ["2026-03-02", "2026-03-03"]
    assert table["1.2"][3:5] == ["2026-03-04", "2026-03-04"]
    assert table["2"][2:4] == ["2026-03-09", "2026-03-10"]
    assert table["3"][1:5] == ["Go", "live", "◆", "2026-03-10"]
    assert table["1"][-2:] == ["summary", "-"]
    mine = rows(itpm, "--mine", "tom")
    assert list(mine) == ["1.1"]


def test_a_task_added_after_a_summary_waits_for_its_last_task(itpm: Run) -> None:
    planned(itpm)
    # Design (1) spans 1.1 and 1.2, ending Wed 4th: the new task starts Thu 5th.
    assert itpm.ok("task", "add", "FW-01", "Handover", "--after", "1", "--duration", "2d") == "4\n"
    assert rows(itpm)["4"][2:4] == ["2026-03-05", "2026-03-06"]
    # SS+1 from Design's start, its first task's Mon 2nd: Tue 3rd.
    assert itpm.ok("task", "add", "FW-01", "Notify", "--after", "1SS+1d") == "5\n"
    assert rows(itpm)["5"][1:4] == ["Notify", "2026-03-03", "2026-03-03"]
    cycle = itpm.refused("task", "add", "FW-01", "Check", "--parent", "1", "--after", "1")
    assert (
        cycle == "predecessors: would create a dependency cycle: 1.3 Check → 1 Design → 1.3 Check"
    )


def test_add_refuses_bad_input_naming_every_field(itpm: Run) -> None:
    planned(itpm)
    line = itpm.refused(
        "task", "add", "FW-01", "x", "--parent", "7", "--assignee", "bob", "--estimate", "abc",
        "--duration", "2x", "--after", "9.9",
    )  # fmt: skip
    for words in (
        "parent: there is no task 7 in FW-01",
        "assignee: no active person has the handle 'bob'",
        "estimate: 'abc' is not a number of hours",
        "duration: '2x' is not a duration: working days (3d)",
    ):
        assert words in line
    assert "no task with WBS code 9.9" in itpm.refused(
        "task", "add", "FW-01", "x", "--after", "9.9"
    )
    assert itpm.refused("task", "add", "FW-01", " ") == "name: must not be empty"
    assert itpm.refused("task", "add", "NOPE", "x") == "no project with code 'NOPE'"
    finish = itpm.refused(
        "task", "add", "FW-01", "x", "--start", "2026-03-05", "--finish", "2026-03-02"
    )
    assert finish == "finish: must not be before start (2026-03-05)"


def test_set_changes_only_what_is_given_and_checks_like_the_form(itpm: Run) -> None:
    planned(itpm)
    out = itpm.ok("task", "set", "FW-01", "1.1", "--percent", "50")
    assert out.startswith("1.1 Survey site:") and "percent complete" in out
    assert itpm.refused("task", "set", "FW-01", "1.2", "--status", "blocked") == (
        "blocked reason: is required when the status is blocked"
    )
    assert itpm.refused("task", "set", "FW-01", "1.2", "--blocked-reason", "x") == (
        "blocked reason: only a blocked task has one (the status is todo)"
    )
    itpm.ok("task", "set", "FW-01", "1.2", "--status", "blocked", "--blocked-reason", "quote late")
    assert "between 0 and 100" in itpm.refused("task", "set", "FW-01", "1.1", "--percent", "101")
    assert itpm.refused("task", "set", "FW-01", "1.1", "--remaining", "-2") == (
        "remaining: must not be negative, got -2"
    )
    assert itpm.refused("task", "set", "FW-01", "9", "--percent", "1") == (
        "WBS: there is no task 9 in FW-01"
    )
    assert itpm.refused("task", "set", "FW-01", "1.1", "--assignee", "zed") == (
        "assignee: no active person has the handle 'zed'"
    )
    assert itpm.refused("task", "set", "FW-01", "1", "--start", "2026-03-09") == (
        "start: a summary's dates come from its tasks"
    )
    itpm.ok("task", "set", "FW-01", "2", "--duration", "3d", "--assignee", "none",
            "--note", "Weekend [window]", "--estimate", "1d", "--name", "Cut over")  # fmt: skip
    with sqlite3.connect(itpm.db) as conn:
        stored = conn.execute(
            "select name, planned_start, planned_finish, estimate_hours, remaining_hours,"
            " assignee_id, description from task where name like 'Cut%'"
        ).fetchone()
        reason = conn.execute(
            "select status, blocked_reason from task where name = 'Order firewall'"
        ).fetchone()
    # A new duration counts from where the schedule puts the task (its links push it to
    # 03-09), the date the Timeline and `task list` show, not the stored default start.
    assert stored[:3] == ("Cut over", "2026-03-09", "2026-03-11")
    # Hours are stored in hundredths; the remaining hours follow the new estimate.
    assert (stored[3], stored[4]) == (800, 800)
    assert stored[5:] == (None, "Weekend [window]")
    assert reason == ("blocked", "quote late")
    assert itpm.ok("task", "set", "FW-01", "2").endswith(": nothing changed\n")


def test_rm_asks_by_naming_what_goes_then_deletes_with_yes(itpm: Run) -> None:
    planned(itpm)
    line = itpm.refused("task", "rm", "FW-01", "1")
    assert line == (
        "Delete 1 Design? With it go 2 subtasks: 1.1 Survey site, 1.2 Order firewall. "
        "2 links to or from other tasks go too. Assignments lost: Ana Berg, Tom Reed "
        "(they stay on the team). Nothing deleted: add --yes to delete."
    )
    out = itpm.ok("task", "rm", "FW-01", "1", "--yes")
    assert out == "deleted 1 Design with 2 subtasks and 2 links\n"
    assert list(rows(itpm)) == ["1", "2"]  # WBS numbers follow


def test_budget_set_adds_then_changes_the_line(itpm: Run) -> None:
    planned(itpm)
    assert itpm.ok("budget", "set", "FW-01", "hardware", "12000") == (
        "added FW-01 budget hardware: EUR 12,000.00\n"
    )
    assert itpm.ok("budget", "set", "FW-01", "Hardware", "12500.50") == (
        "changed FW-01 budget hardware: EUR 12,500.50\n"
    )
    assert itpm.refused("budget", "set", "FW-01", "labour", "-5").startswith("amount: must be 0")
    assert itpm.refused("budget", "set", "FW-01", "labour", "12,5,0").startswith("amount:")
    assert itpm.refused("budget", "set", "XX", "labour", "5") == "no project with code 'XX'"
    with sqlite3.connect(itpm.db) as conn:
        assert conn.execute("select count(*) from budgetline").fetchone() == (1,)


def test_project_add_checks_like_the_form_and_writes_nothing_when_bad(itpm: Run) -> None:
    assert itpm.refused("project", "add", "1X", "Name") == (
        "code: must be 2–20 letters, digits or dashes, starting with a letter"
    )
    assert "end date: must not be before start date" in itpm.refused(
        "project", "add", "FW-01", "Name", "--start", "2026-03-05", "--end", "2026-03-01"
    )
    assert not itpm.db.exists()
    itpm.ok("project", "add", "fw-01", "Firewall", "--client", "Acme")
    assert "FW-01" in itpm.refused("project", "add", "FW-01", "Again")


def test_a_plan_run_from_a_script_moves_the_report(itpm: Run) -> None:
    """Plan, budget and baseline on day one; progress on two later days; the report and the
    progress snapshots show what happened."""
    planned(itpm)
    itpm.ok("budget", "set", "FW-01", "hardware", "9000")
    itpm.ok("budget", "set", "FW-01", "labour", "3000")
    assert (
        itpm.ok("baseline", "set", "FW-01") == "baseline set for 5 tasks of FW-01 on 2026-03-02\n"
    )
    itpm.ok("task", "set", "FW-01", "1.1", "--percent", "50", today="2026-03-02")
    itpm.ok("task", "set", "FW-01", "1.1", "--status", "done", today="2026-03-03")
    itpm.ok("task", "set", "FW-01", "1.2", "--status", "in progress", "--remaining", "4",
            today="2026-03-03")  # fmt: skip
    with sqlite3.connect(itpm.db) as conn:
        days = conn.execute(
            "select day, remaining_hours, percent_complete from progresssnapshot order by day"
        ).fetchall()
        actual = conn.execute(
            "select actual_start, actual_finish from task where name = 'Survey site'"
        ).fetchone()
    # 16 + 12 + 16 hours estimated; day one ends with half of the survey done.
    assert days == [("2026-03-02", 3600, 18), ("2026-03-03", 2800, 36)]  # hours in 1/100
    assert actual == ("2026-03-02", "2026-03-03")
    report = itpm.ok("report", "FW-01", today="2026-03-03")
    assert "Work done: 36%" in report
    assert "EUR 12,000.00" in report


def test_list_prints_user_text_without_control_characters(itpm: Run) -> None:
    itpm.ok("project", "add", "FW-01", "Firewall")
    refusal = itpm.refused("task", "add", "FW-01", "Evil\x1b[2J [red]name\nnext")
    assert refusal == "name: control character U+001B (escape) is not allowed"
    itpm.ok("task", "add", "FW-01", "Evil")
    itpm.ok("task", "set", "FW-01", "1", "--status", "in-progress")
    with sqlite3.connect(itpm.db) as conn:  # as anyone with the file could: itpm refuses it
        conn.execute("UPDATE task SET name = ?", ("Evil\x1b[2J [red]name\nnext",))
    listed = itpm.ok("task", "list", "FW-01")
    assert "\x1b" not in listed and len(listed.splitlines()) == 2
    assert "[red]name next" in listed and "in progress" in listed


def test_an_elapsed_duration_runs_through_the_weekend(itpm: Run) -> None:
    planned(itpm)
    # Order firewall (1.2) ends Wednesday the 4th: the 10-day wait runs Thursday the 5th to
    # Saturday the 14th, and the task after it starts on Monday the 16th.
    wait = ["Carrier porting", "--after", "1.2", "--duration", "10ed"]
    assert itpm.ok("task", "add", "FW-01", *wait) == "4\n"
    assert itpm.ok("task", "add", "FW-01", "Switch lines", "--after", "4") == "5\n"
    table = rows(itpm)
    assert table["4"][3:5] == ["2026-03-05", "2026-03-14"]
    assert table["5"][3:5] == ["2026-03-16", "2026-03-16"]

    itpm.ok("task", "set", "FW-01", "4", "--duration", "12ed")
    assert rows(itpm)["4"][3:5] == ["2026-03-05", "2026-03-16"]
    assert rows(itpm)["5"][3:5] == ["2026-03-17", "2026-03-17"]
    itpm.ok("task", "set", "FW-01", "4", "--start", "2026-03-06")  # keeps its 12 days
    assert rows(itpm)["4"][3:5] == ["2026-03-06", "2026-03-17"]
    with sqlite3.connect(itpm.db) as conn:
        assert conn.execute(
            "select is_elapsed from task where name = 'Carrier porting'"
        ).fetchone() == (1,)

    assert itpm.refused("task", "set", "FW-01", "4", "--duration", "0ed") == (
        "duration: must be at least 1 calendar day (tick Milestone for 0)"
    )
    assert itpm.refused("task", "set", "FW-01", "4", "--duration", "10e") == (
        "duration: '10e' is not a duration: working days (3d), hours or minutes (4h, 30m, "
        "1.5d), calendar days (10ed) or clock hours (4eh)"
    )
    itpm.ok("task", "set", "FW-01", "4", "--duration", "3")  # working days again
    assert rows(itpm)["4"][3:5] == ["2026-03-06", "2026-03-10"]
    with sqlite3.connect(itpm.db) as conn:
        assert conn.execute(
            "select is_elapsed from task where name = 'Carrier porting'"
        ).fetchone() == (0,)


def test_set_and_clear_a_constraint_and_a_deadline(itpm: Run) -> None:
    planned(itpm)

    def stored() -> tuple[str, str | None, str | None]:
        with sqlite3.connect(itpm.db) as conn:
            return conn.execute(
                "select constraint_kind, constraint_date, deadline from task"
                " where name = 'Cut-over'"
            ).fetchone()

    # Cut-over (2) runs Mon 9th–Tue 10th: held on Thursday the 12th, due by Friday the 13th
    out = itpm.ok("task", "set", "FW-01", "2", "--constraint", "mso",
                  "--constraint-date", "2026-03-12", "--deadline", "2026-03-13")  # fmt: skip
    assert "constraint kind" in out and "deadline" in out
    assert stored() == ("MSO", "2026-03-12", "2026-03-13")
    assert rows(itpm)["2"][2:4] == ["2026-03-12", "2026-03-13"]
    with sqlite3.connect(itpm.db) as conn:
        logged = conn.execute(
            "select field, old_value, new_value from activity where entity = 'task'"
            " and field in ('constraint_kind', 'constraint_date', 'deadline') order by id"
        ).fetchall()
    assert [(f, new) for f, _, new in logged] == [
        ("constraint_kind", "MSO"),
        ("constraint_date", "2026-03-12"),
        ("deadline", "2026-03-13"),
    ]
    itpm.ok("task", "set", "FW-01", "2", "--deadline", "2026-03-12")

    for args, message in (
        (("--constraint", "SNET"), "constraint: must be none or one of MSO (Must Start On), "
         "FNLT (Finish No Later Than), got 'SNET'"),
        (("--constraint-date", "2026-02-30"), "constraint date: '2026-02-30' is not a date"),
        (("--deadline", "soon"), "deadline: 'soon' is not a date"),
        (("--constraint", "none", "--constraint-date", "2026-03-12"),
         "constraint date: is only kept with a constraint (MSO or FNLT)"),
    ):  # fmt: skip
        assert itpm.refused("task", "set", "FW-01", "2", *args).startswith(message)
    assert stored() == ("MSO", "2026-03-12", "2026-03-12")

    itpm.ok("task", "set", "FW-01", "2", "--constraint", "FNLT")  # keeps its date
    assert stored() == ("FNLT", "2026-03-12", "2026-03-12")
    itpm.ok("task", "set", "FW-01", "2", "--constraint", "none", "--deadline", "none")
    assert stored() == ("", None, None)
    assert itpm.refused("task", "set", "FW-01", "2", "--constraint", "MSO") == (
        "constraint date: is required for Must Start On"
    )
