"""Whole-portfolio JSON: lossless round trip, and bad files refused whole with every problem."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.errors import ItpmError
from itpm_tui.formats.portfolio_json import (
    ImportReport,
    RowProblem,
    TransferError,
    export_json,
    import_json,
    write_json,
)
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.database import Database, open_database, sqlite_url
from itpm_tui.storage.models import (
    ALL_TABLES,
    Activity,
    BudgetLine,
    ChangeRequest,
    CommunicationEntry,
    Deliverable,
    Dependency,
    DowntimeWindow,
    Holiday,
    LedgerEntry,
    Person,
    ProgressSnapshot,
    Project,
    ProjectStakeholder,
    Risk,
    Stakeholder,
    Task,
)

MARKUP = "[bold]x[/] & <b>ü — 日本</b>"


def fresh(tmp_path: Path, name: str) -> Context:
    return Context(open_database(sqlite_url(tmp_path / name)), "tester")


def build_portfolio(db: Database) -> None:
    """At least one row in every table, with the awkward values a lossy export would break."""
    at = datetime(2026, 3, 18, 9, 30, 15, 123456, tzinfo=UTC)
    with db.write() as s:
        ann = Person(
            name="Ann Ådahl",
            handle="ann",
            email="ann@example.com",
            weekly_capacity_hours=Decimal("37.5"),
            cost_rate=Decimal("95.1234"),
        )
        bob = Person(name=MARKUP, handle="bob", active=False, cost_currency="JPY")
        s.add_all([ann, bob])
        s.flush()
        fw = Project(
            code="FW-26",
            name=f"Firewall {MARKUP}",
            manager_id=ann.id,
            phase="execution",
            start_date=date(2026, 1, 5),
            end_date=date(2026, 6, 30),
            baseline_start=date(2026, 1, 5),
            baseline_end=date(2026, 6, 1),
            lessons='line one\nline two\t"quoted"',
            created_at=at,
            work_hours="07:00-11:00,11:30-15:00",  # a 7.5-hour day with a half-hour break
        )
        voip = Project(code="VOIP", name="VoIP", status="on hold", currency="CHF", archived=True)
        s.add_all([fw, voip])
        s.flush()
        # The child is created before its parent: its parent has the higher id.
        child = Task(
            project_id=fw.id,
            name="Rack the boxes",
            estimate_hours=Decimal("7.25"),
            remaining_hours=Decimal("0.5"),
            percent_complete=40,
            status="in progress",
            assignee_id=bob.id,
            planned_start=date(2026, 2, 2),
            planned_finish=date(2026, 2, 6),
            is_manual=True,  # manually scheduled: travels in the file, as its constraint
            is_elapsed=True,  # lasts calendar days (10ed): travels too
            constraint_kind="FNLT",
            constraint_date=date(2026, 2, 6),
            deadline=date(2026, 2, 5),
        )
        s.add(child)
        s.flush()
        parent = Task(project_id=fw.id, name="Install", wbs="1", sort_order=1)
        milestone = Task(
            project_id=fw.id,
            name="Go live",
            is_milestone=True,
            planned_start=date(2026, 3, 2),
            planned_finish=date(2026, 3, 2),
            status="done",
            percent_complete=100,
            needs_downtime=True,
        )
        # part-day work: 4 hours from 13:30, on the project's hours
        cut_over = Task(
            project_id=fw.id,
            name="Cut over",
            planned_start=date(2026, 3, 2),
            planned_finish=date(2026, 3, 3),
            work_minutes=240,
            start_time=time(13, 30),
        )
        s.add_all([parent, milestone, cut_over])
        s.flush()
        child.parent_id = parent.id
        s.add(
            Dependency(
                predecessor_id=child.id,
                successor_id=milestone.id,
                kind="SS",
                lag_days=-2,
                lag_minutes=-1000,  # a lead of 2 days and 40 minutes
            )
        )
        s.add(
            DowntimeWindow(
                project_id=fw.id,
                title="Cut-over",
                starts_at=datetime(2026, 3, 1, 22, 0),
                ends_at=datetime(2026, 3, 2, 4, 30),
                approved=True,
            )
        )
        s.add_all(
            [
                Holiday(day=date(2026, 12, 25), name="Xmas"),
                Holiday(project_id=voip.id, day=date(2026, 5, 1)),
            ]
        )
        s.add(
            Deliverable(
                project_id=fw.id, name="Runbook", due_date=None, accepted_on=date(2026, 3, 3)
            )
        )
        s.add_all(
            [
                BudgetLine(project_id=fw.id, category="hardware", amount=Decimal("1234.56")),
                BudgetLine(project_id=fw.id, category="contingency", amount=Decimal("-12.50")),
            ]
        )
        s.add(
            LedgerEntry(
                project_id=fw.id,
                entry_date=date(2026, 2, 1),
                vendor="Acme & Co",
                category="hardware",
                amount=Decimal("999999999.99"),  # EUR: 2 decimals, as every import reads it
                kind="committed",
            )
        )
        s.add(Risk(project_id=fw.id, title="Late delivery", owner_id=ann.id, residual_impact=2))
        s.add(
            ChangeRequest(
                project_id=fw.id,
                title="Add a VPN",
                requested_on=date(2026, 2, 10),
                cost_impact=Decimal("5000"),
                schedule_impact_days=5,
                status="approved",
            )
        )
        # Three stakeholders, the middle one removed: ids keep their gap.
        sh = [Stakeholder(name=f"S{i}", kind="sponsor", influence=5) for i in range(3)]
        s.add_all(sh)
        s.flush()
        s.delete(sh[1])
        s.flush()
        s.add(ProjectStakeholder(project_id=fw.id, stakeholder_id=sh[2].id, role="approver"))
        s.add(
            CommunicationEntry(
                stakeholder_id=sh[2].id, project_id=None, logged_on=date(2026, 3, 1), summary=MARKUP
            )
        )
        s.add(
            ProgressSnapshot(
                project_id=fw.id, day=date(2026, 3, 17), remaining_hours=Decimal("7.75")
            )
        )
        s.add(
            Activity(
                at=at,
                user="ann",
                project_id=fw.id,
                entity="task",
                entity_id=child.id,
                action="update",
                field="percent_complete",
                old_value="0",
                new_value="40",
            )
        )
        s.add(Activity(at=at, user="bob", entity="person", entity_id=999, action="delete"))


def without_stamp(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            m.__tablename__: s.exec(select(func.count()).select_from(m)).one() for m in ALL_TABLES
        }  # type: ignore[call-overload]


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Database]:
    db = open_database(sqlite_url(tmp_path / "a.db"))
    build_portfolio(db)
    yield db
    db.dispose()


@pytest.fixture
def export_file(source: Database, tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.json"
    write_json(source, path)
    return path


def edited(path: Path, change: Any, tmp_path: Path) -> Path:
    """A copy of the export with `change(document)` applied."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


# --- export ------------------------------------------------------------------------------


def test_every_table_is_exported_exactly(source: Database) -> None:
    doc = export_json(source)
    assert doc["format"] == "itpm-portfolio" and doc["version"] == 1
    assert datetime.fromisoformat(doc["exported_at"]).tzinfo is not None
    sections = [k for k in doc if k not in ("format", "version", "exported_at")]
    assert len(sections) == len(ALL_TABLES) == 16
    assert all(doc[k] for k in sections), "the fixture fills every table"
    assert [b["amount"] for b in doc["budget_lines"]] == ["1234.56", "-12.50"]
    assert doc["ledger_entries"][0]["amount"] == "999999999.99"
    assert doc["people"][0]["weekly_capacity_hours"] == "37.50"
    assert doc["people"][0]["cost_rate"] == "95.1234"
    assert doc["tasks"][0]["estimate_hours"] == "7.25"
    assert doc["tasks"][0]["is_manual"] is True and doc["tasks"][1]["is_manual"] is False
    assert doc["tasks"][0]["is_elapsed"] is True and doc["tasks"][1]["is_elapsed"] is False
    assert doc["tasks"][0]["parent_id"] == 2
    assert (doc["tasks"][0]["work_minutes"], doc["tasks"][0]["start_time"]) == (None, None)
    assert (doc["tasks"][3]["work_minutes"], doc["tasks"][3]["start_time"]) == (240, "13:30")
    assert doc["projects"][0]["work_hours"] == "07:00-11:00,11:30-15:00"
    assert doc["projects"][1]["work_hours"] == ""  # the standard day
    assert (doc["dependencies"][0]["lag_days"], doc["dependencies"][0]["lag_minutes"]) == (
        -2,
        -1000,
    )
    assert doc["projects"][0]["created_at"] == "2026-03-18T09:30:15.123456+00:00"
    assert doc["downtime_windows"][0]["starts_at"] == "2026-03-01T22:00:00"  # wall clock
    assert doc["deliverables"][0]["due_date"] is None
    assert doc["people"][1]["active"] is False
    assert [s["id"] for s in doc["stakeholders"]] == [1, 3]
    assert doc["project_stakeholders"] == [
        {"project_id": 1, "stakeholder_id": 3, "role": "approver"}
    ]
    assert doc["communications"][0]["summary"] == MARKUP


def test_two_exports_differ_only_in_their_stamp(source: Database) -> None:
    first = json.dumps(without_stamp(export_json(source)))
    assert first == json.dumps(without_stamp(export_json(source)))


def test_write_json_to_a_stream_and_a_bad_path(source: Database, tmp_path: Path) -> None:
    stream = io.StringIO()
    write_json(source, stream)
    assert json.loads(stream.getvalue())["projects"][0]["code"] == "FW-26"
    with pytest.raises(TransferError, match="cannot write"):
        write_json(source, tmp_path / "no-such-dir" / "x.json")


# --- round trip ----------------------------------------------------------------------------


def test_round_trip_into_an_empty_database_is_lossless(
    source: Database, export_file: Path, tmp_path: Path
) -> None:
    target = fresh(tmp_path, "b.db")
    report = import_json(target, export_file)
    assert isinstance(report, ImportReport)
    assert report.counts["tasks"] == 4 and report.counts["stakeholders"] == 2
    assert report.counts["activity"] == 2 and report.total == sum(counts(source).values())
    first = without_stamp(json.loads(export_file.read_text(encoding="utf-8")))
    second = without_stamp(export_json(target.db))
    summary = second["activity"].pop()
    assert second == first  # same ids too: an empty database keeps the file's ids
    assert summary["user"] == "tester" and summary["action"] == "import"
    assert summary["summary"].startswith("imported 2 people, 2 projects, 4 tasks, 1 dependency,")
    assert summary["summary"].endswith(f"2 activity entries from {export_file}")


def test_import_into_a_database_with_data_remaps_ids(export_file: Path, tmp_path: Path) -> None:
    target = fresh(tmp_path, "b.db")
    create_project(target, ProjectDraft(code="OLD", name="Already here"))
    with target.db.write() as s:
        s.add(Person(name="Zed", handle="zed"))
    import_json(target, export_file)
    with target.db.read() as s:
        fw = s.exec(select(Project).where(Project.code == "FW-26")).one()
        ann = s.exec(select(Person).where(Person.handle == "ann")).one()
        assert (fw.id, ann.id) == (2, 2)
        assert fw.manager_id == ann.id
        tasks = s.exec(select(Task).order_by(Task.id)).all()
        assert [t.project_id for t in tasks] == [fw.id] * 4
        assert tasks[0].parent_id == tasks[1].id
        history = s.exec(select(Activity).where(Activity.user == "ann")).one()
        assert history.project_id == fw.id and history.entity_id == tasks[0].id


# --- refusals ------------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_written(export_file: Path, tmp_path: Path) -> None:
    def spoil(doc: dict[str, Any]) -> None:
        doc["people"][0]["email"] = "not-an-email"
        doc["tasks"][0]["percent_complete"] = 140
        doc["risks"][0]["probability"] = 9

    target = fresh(tmp_path, "b.db")
    create_project(target, ProjectDraft(code="OLD", name="Already here"))
    before = counts(target.db)
    with pytest.raises(TransferError) as caught:
        import_json(target, edited(export_file, spoil, tmp_path))
    problems = caught.value.problems
    assert [(p.table, p.row, p.field) for p in problems] == [
        ("people", 1, "email"),
        ("tasks", 1, "percent_complete"),
        ("risks", 1, "probability"),
    ]
    message = str(caught.value)
    assert "3 problems, nothing was written" in message
    assert "tasks row 1, field percent_complete: must be between 0 and 100, got 140" in message
    assert "risks row 1, field probability: must be between 1 and 5, got 9" in message
    assert counts(target.db) == before


def test_a_contact_the_form_refuses_the_import_refuses(export_file: Path, tmp_path: Path) -> None:
    """One set of stakeholder rules: what the contact form (through its service) refuses,
    an import refuses on the same fields — nothing gets in by the side door."""
    from itpm_tui.domain.stakeholders import ContactDraft
    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.services.stakeholders import add_contact

    long_text, long_notes = "o" * 201, "n" * 1001
    target = fresh(tmp_path, "b.db")
    with pytest.raises(ValidationError) as refused:
        add_contact(target, ContactDraft(name="Ann", organisation=long_text, notes=long_notes))
    by_form = {p.field: p.rule for p in refused.value.problems}
    assert set(by_form) == {"organisation", "notes"}

    def spoil(doc: dict[str, Any]) -> None:
        doc["stakeholders"][0]["organisation"] = long_text
        doc["stakeholders"][0]["notes"] = long_notes

    with pytest.raises(TransferError) as caught:
        import_json(target, edited(export_file, spoil, tmp_path))
    by_import = {p.field: p.reason for p in caught.value.problems if p.table == "stakeholders"}
    assert by_import == by_form
    assert counts(target.db) == dict.fromkeys(counts(target.db), 0)


def test_shape_problems_are_each_named(export_file: Path, tmp_path: Path) -> None:
    def spoil(doc: dict[str, Any]) -> None:
        doc["projects"][0]["colour"] = "red"
        del doc["projects"][1]["name"]
        doc["projects"][1]["end_date"] = "2026-02-30"
        doc["projects"][0]["end_date"] = "2025-01-01"
        doc["projects"][0]["phase"] = "dreaming"
        doc["tasks"][0]["is_milestone"] = "yes"
        doc["people"][1]["handle"] = "ANN"
        doc["people"][1]["cost_currency"] = "ZZZ"
        doc["stakeholders"][0]["influence"] = 7
        doc["dependencies"][0]["kind"] = "XX"
        doc["activity"][0]["at"] = "2026-03-18T09:30:00"
        doc["ledger_entries"][0]["amount"] = "1.23456"
        doc["change_requests"][0]["cost_impact"] = "1e3"
        doc["tasks"][0]["parent_id"] = 1
        doc["task"] = []

    target = fresh(tmp_path, "b.db")
    with pytest.raises(TransferError) as caught:
        import_json(target, edited(export_file, spoil, tmp_path))
    found = {(p.table, p.row, p.field): p.reason for p in caught.value.problems}
    assert found.pop(("task", 0, "")).endswith("did you mean tasks?")
    assert found.pop(("projects", 1, "colour")).startswith("is not a column of projects")
    assert "before start date" in found.pop(("projects", 1, "end_date"))
    assert "must be one of identification" in found.pop(("projects", 1, "phase"))
    assert found.pop(("projects", 2, "name")) == "is required"
    assert found.pop(("projects", 2, "end_date")) == "'2026-02-30' is not a date (YYYY-MM-DD)"
    assert found.pop(("tasks", 1, "is_milestone")).startswith("must be true or false")
    assert "its own ancestor" in found.pop(("tasks", 1, "parent_id"))
    assert found.pop(("people", 2, "handle")) == "duplicate handle 'ann', already in row 1"
    assert "ISO 4217" in found.pop(("people", 2, "cost_currency"))
    assert found.pop(("stakeholders", 1, "influence")) == "must be between 1 and 5, got 7"
    assert "must be one of FS" in found.pop(("dependencies", 1, "kind"))
    assert "no UTC offset" in found.pop(("activity", 1, "at"))
    assert "more than 4 decimal places" in found.pop(("ledger_entries", 1, "amount"))
    assert "not an exact decimal" in found.pop(("change_requests", 1, "cost_impact"))
    assert found == {}
    assert counts(target.db) == dict.fromkeys(counts(target.db), 0)


def test_json_floats_for_money_are_refused(export_file: Path, tmp_path: Path) -> None:
    def spoil(doc: dict[str, Any]) -> None:
        doc["budget_lines"][0]["amount"] = 1234.56
        doc["tasks"][0]["estimate_hours"] = 7.25
        doc["budget_lines"][1]["amount"] = -12  # a JSON integer is exact: accepted

    with pytest.raises(TransferError) as caught:
        import_json(fresh(tmp_path, "b.db"), edited(export_file, spoil, tmp_path))
    assert [(p.table, p.field) for p in caught.value.problems] == [
        ("tasks", "estimate_hours"),
        ("budget_lines", "amount"),
    ]
    assert 'write exact decimals as strings, e.g. "1234.56"' in str(caught.value)


def test_dangling_reference_is_refused(export_file: Path, tmp_path: Path) -> None:
    def spoil(doc: dict[str, Any]) -> None:
        doc["tasks"][1]["project_id"] = 99

    with pytest.raises(TransferError) as caught:
        import_json(fresh(tmp_path, "b.db"), edited(export_file, spoil, tmp_path))
    assert caught.value.problems == [
        RowProblem("tasks", 2, "project_id", "refers to projects id 99, which is not in the file")
    ]


def test_code_or_handle_already_in_the_database_is_refused(
    export_file: Path, tmp_path: Path
) -> None:
    target = fresh(tmp_path, "b.db")
    create_project(target, ProjectDraft(code="fw-26", name="Someone else's firewall"))
    with target.db.write() as s:
        s.add(Person(name="Another Bob", handle="bob"))
    before = counts(target.db)
    with pytest.raises(TransferError) as caught:
        import_json(target, export_file)
    assert [(p.table, p.row, p.field) for p in caught.value.problems] == [
        ("people", 2, "handle"),
        ("projects", 1, "code"),
    ]
    assert "project code 'FW-26' already exists in the database" in str(caught.value)
    assert counts(target.db) == before


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "itpm-portfolio",\n "version": 1,\n "people": [}\n')
    with pytest.raises(TransferError, match=r"not valid JSON .* line 3, column 13"):
        import_json(fresh(tmp_path, "b.db"), path)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"format": "trello", "version": 1}, "not an itpm portfolio export"),
        ({"version": 1}, "no format marker"),
        ([1, 2], "not an itpm portfolio export"),
        ({"format": "itpm-portfolio", "version": 2}, "newer itpm"),
        ({"format": "itpm-portfolio", "version": "1"}, "version must be a whole number"),
    ],
)
def test_wrong_format_marker_or_version_is_refused(
    document: Any, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(document))
    with pytest.raises(TransferError, match=expected):
        import_json(fresh(tmp_path, "b.db"), path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ItpmError, match=r"does-not-exist\.json: the file does not exist"):
        import_json(fresh(tmp_path, "b.db"), tmp_path / "does-not-exist.json")


def test_minimal_hand_written_file_uses_defaults(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    path.write_text(
        json.dumps(
            {
                "format": "itpm-portfolio",
                "version": 1,
                "projects": [{"id": 7, "code": "net-1", "name": "Network"}],
                "budget_lines": [{"id": 1, "project_id": 7, "category": "labour", "amount": 100}],
                # as a file from before elapsed durations: no is_elapsed
                "tasks": [{"id": 3, "project_id": 7, "name": "Order lines"}],
            }
        )
    )
    target = fresh(tmp_path, "b.db")
    report = import_json(target, path)
    assert report.summary == f"imported 1 project, 1 task, 1 budget line from {path}"
    with target.db.read() as s:
        project = s.exec(select(Project)).one()
        assert (project.id, project.code, project.phase) == (7, "NET-1", "identification")
        assert s.exec(select(BudgetLine)).one().amount == Decimal("100")
        assert s.exec(select(Task)).one().is_elapsed is False


def test_parent_task_in_another_project_is_refused(export_file: Path, tmp_path: Path) -> None:
    def spoil(doc: dict[str, Any]) -> None:
        doc["tasks"][1]["project_id"] = 2  # the parent of task 1 moves to the other project

    with pytest.raises(TransferError) as caught:
        import_json(fresh(tmp_path, "b.db"), edited(export_file, spoil, tmp_path))
    assert [str(p) for p in caught.value.problems] == [
        "tasks row 1, field parent_id: task 2 belongs to another project (project id 2)"
    ]


def test_a_category_the_pm_named_survives_the_round_trip(export_file: Path, tmp_path: Path) -> None:
    """The Budget screen lets a PM name categories beyond the five standard ones; the export
    of such a portfolio must import again, and an empty category is still refused."""

    def rename(document: dict[str, Any]) -> None:
        document["budget_lines"][0]["category"] = "Site travel"
        document["ledger_entries"][0]["category"] = "Site travel"

    target = fresh(tmp_path, "b.db")
    import_json(target, edited(export_file, rename, tmp_path))
    with target.db.read() as s:
        assert "Site travel" in s.exec(select(BudgetLine.category)).all()
        assert s.exec(select(LedgerEntry.category)).first() == "Site travel"

    def empty(document: dict[str, Any]) -> None:
        document["budget_lines"][0]["category"] = " "

    with pytest.raises(ItpmError, match="category"):
        import_json(fresh(tmp_path, "c.db"), edited(export_file, empty, tmp_path))


def planned_file(tmp_path: Path, links: list[tuple[int, int, str]]) -> Path:
    """Two projects: NET with a phase (2) over two tasks (3, 4) and a task after it (5), and
    OPS with two tasks (11, 12); `links` are (predecessor, successor, kind) by file id."""
    tasks = [
        {"id": 2, "project_id": 7, "name": "Build"},
        {"id": 3, "project_id": 7, "parent_id": 2, "name": "Order lines"},
        {"id": 4, "project_id": 7, "parent_id": 2, "name": "Port numbers"},
        {"id": 5, "project_id": 7, "name": "Go live"},
        {"id": 11, "project_id": 8, "name": "Patch"},
        {"id": 12, "project_id": 8, "name": "Reboot"},
    ]
    path = tmp_path / "plan.json"
    path.write_text(
        json.dumps(
            {
                "format": "itpm-portfolio",
                "version": 1,
                "projects": [
                    {"id": 7, "code": "NET", "name": "Network"},
                    {"id": 8, "code": "OPS", "name": "Operations"},
                ],
                # links first: the file's sections and rows come in any order
                "dependencies": [
                    {"id": n, "predecessor_id": p, "successor_id": s, "kind": k}
                    for n, (p, s, k) in enumerate(links, 1)
                ],
                "tasks": tasks,
            }
        )
    )
    return path


@pytest.mark.parametrize(
    ("links", "cycle"),
    [
        (
            [(3, 4, "FS"), (4, 5, "FS"), (5, 3, "SS")],
            "Order lines (task 3) → Port numbers (task 4) → Go live (task 5) → Order lines "
            "(task 3)",
        ),
        (
            [(5, 2, "FS"), (4, 5, "FF")],
            "Go live (task 5) → Build (task 2) → Port numbers (task 4) → Go live (task 5)",
        ),
        ([(3, 2, "FS")], "Order lines (task 3) → Build (task 2) → Order lines (task 3)"),
    ],
    ids=["direct", "through-a-summary", "into-its-own-summary"],
)
def test_links_that_form_a_cycle_are_refused_naming_project_and_tasks(
    tmp_path: Path, links: list[tuple[int, int, str]], cycle: str
) -> None:
    target = fresh(tmp_path, "b.db")
    path = planned_file(tmp_path, [*links, (11, 12, "FS")])
    with pytest.raises(TransferError) as caught:
        import_json(target, path)
    assert [str(p) for p in caught.value.problems] == [
        f"dependencies: project NET: the links form a dependency cycle: {cycle}"
    ]
    assert "1 problem, nothing was written" in str(caught.value)
    assert set(counts(target.db).values()) == {0}


def test_a_cycle_in_each_of_two_projects_is_named_and_a_plan_without_one_imports(
    tmp_path: Path,
) -> None:
    with pytest.raises(TransferError) as caught:
        import_json(
            fresh(tmp_path, "b.db"),
            planned_file(tmp_path, [(3, 4, "FS"), (4, 3, "FS"), (12, 11, "SS"), (11, 12, "FS")]),
        )
    assert [str(p).split(":")[1] for p in caught.value.problems] == [" project NET", " project OPS"]

    # a link into the phase, one from it and one between its own tasks: no cycle
    target = fresh(tmp_path, "c.db")
    import_json(target, planned_file(tmp_path, [(11, 2, "FS"), (2, 5, "FS"), (3, 4, "SS")]))
    assert counts(target.db)["dependency"] == 3


def test_working_time_fields_are_checked_by_name(export_file: Path, tmp_path: Path) -> None:
    def spoil(doc: dict[str, Any]) -> None:
        doc["projects"][0]["work_hours"] = "13:00-12:00"
        doc["projects"][1]["work_hours"] = "nine to five"
        doc["tasks"][3]["work_minutes"] = 0
        doc["tasks"][3]["start_time"] = "25:00"
        doc["tasks"][2]["start_time"] = 780
        doc["dependencies"][0]["lag_minutes"] = "4h"

    target = fresh(tmp_path, "b.db")
    with pytest.raises(TransferError) as caught:
        import_json(target, edited(export_file, spoil, tmp_path))
    assert [str(p) for p in caught.value.problems] == [
        "projects row 1, field work_hours: 13:00-12:00 ends before it starts (no span crosses "
        "midnight)",
        "projects row 2, field work_hours: 'nine to five' is not a span of hours like 08:00-12:00",
        "tasks row 3, field start_time: must be a time of day (HH:MM, e.g. 13:00), got the "
        "number 780",
        "tasks row 4, field work_minutes: must be between 1 and 5256000, got 0",
        "tasks row 4, field start_time: must be a time of day (HH:MM, e.g. 13:00), got '25:00'",
        "dependencies row 1, field lag_minutes: must be a whole number, got '4h'",
    ]
    assert counts(target.db) == dict.fromkeys(counts(target.db), 0)


def test_a_file_from_before_working_time_imports_with_whole_days(
    export_file: Path, tmp_path: Path
) -> None:
    def older(doc: dict[str, Any]) -> None:
        for project in doc["projects"]:
            del project["work_hours"]
        for task in doc["tasks"]:
            del task["work_minutes"], task["start_time"]
        for link in doc["dependencies"]:
            del link["lag_minutes"]

    target = fresh(tmp_path, "b.db")
    import_json(target, edited(export_file, older, tmp_path))
    with target.db.read() as s:
        assert {p.work_hours for p in s.exec(select(Project))} == {""}
        assert {(t.work_minutes, t.start_time) for t in s.exec(select(Task))} == {(None, None)}
        assert {d.lag_minutes for d in s.exec(select(Dependency))} == {None}
