"""MS Project XML import and export against hand-written MSPDI plans in tests/data/mspdi."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from itpm_tui.domain.work_hours import parse_working_hours
from itpm_tui.errors import ItpmError
from itpm_tui.formats.mspdi.exporter import export_mspdi
from itpm_tui.formats.mspdi.importer import MspdiReport, import_mspdi
from itpm_tui.formats.mspdi.schema import NS, MspdiError
from itpm_tui.queries.schedule import project_schedule
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.services.context import Context
from itpm_tui.storage.database import open_database, sqlite_url
from itpm_tui.storage.models import Activity, Dependency, Holiday, Person, Project, Task

DATA = Path(__file__).parent / "data" / "mspdi"
Q = f"{{{NS}}}"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    db = open_database(sqlite_url(tmp_path / "t.db"))
    yield Context(db, "tester", clock=lambda: date(2026, 4, 8))
    db.dispose()


def tasks_of(ctx: Context, project_id: int) -> dict[str, Task]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(Task).where(Task.project_id == project_id).order_by(col(Task.sort_order))
        ).all()
    return {t.name: t for t in rows}


def links_of(ctx: Context, project_id: int) -> set[tuple[str, str, str, int]]:
    """(predecessor, successor, kind, lag) by task name."""
    names = {t.id: name for name, t in tasks_of(ctx, project_id).items()}
    with ctx.db.read() as session:
        deps = session.exec(select(Dependency)).all()
    return {
        (names[d.predecessor_id], names[d.successor_id], d.kind, d.lag_days)
        for d in deps
        if d.successor_id in names
    }


def lag_minutes_of(ctx: Context, project_id: int) -> dict[tuple[str, str], int]:
    """(predecessor, successor) → the lag in working minutes, of links lagging part of a day."""
    names = {t.id: name for name, t in tasks_of(ctx, project_id).items()}
    with ctx.db.read() as session:
        deps = session.exec(select(Dependency)).all()
    return {
        (names[d.predecessor_id], names[d.successor_id]): d.lag_minutes
        for d in deps
        if d.successor_id in names and d.lag_minutes is not None
    }


def assignees_of(ctx: Context, project_id: int) -> dict[str, str]:
    with ctx.db.read() as session:
        people = {p.id: p.name for p in session.exec(select(Person)).all()}
    return {
        name: people[t.assignee_id]
        for name, t in tasks_of(ctx, project_id).items()
        if t.assignee_id is not None
    }


def tree(ctx: Context, project_id: int) -> list[tuple[object, ...]]:
    """Every task field a round trip must keep, in outline order, parents by name; the
    percent as the Timeline shows it (a summary's is its children's)."""
    tasks = tasks_of(ctx, project_id)
    by_id = {t.id: name for name, t in tasks.items()}
    people = assignees_of(ctx, project_id)
    schedule = project_schedule(ctx.db, project_id)
    assert schedule is not None
    shown = {t.id: t.percent for t in schedule.tasks}
    return [
        (
            t.wbs,
            t.name,
            by_id.get(t.parent_id),
            t.is_milestone,
            t.planned_start,
            t.planned_finish,
            t.baseline_start,
            t.baseline_finish,
            t.actual_start,
            t.actual_finish,
            shown[t.id],
            t.status,
            t.estimate_hours,
            t.remaining_hours,
            t.description,
            people.get(t.name),
        )
        for t in tasks.values()
    ]


def row_counts(ctx: Context) -> dict[str, int]:
    with ctx.db.read() as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Project, Task, Dependency, Person, Activity)
        }


def warning(report: MspdiReport, topic: str) -> str:
    found = [w for w in report.warnings if w.startswith(topic)]
    assert found, f"no warning starting {topic!r} in {report.warnings}"
    return found[0]


# --- import -----------------------------------------------------------------------------


def test_import_reads_hierarchy_dates_progress_and_baselines(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "office_move.xml")

    assert (report.tasks, report.summary_tasks, report.milestones, report.links) == (11, 3, 2, 7)
    assert (report.project_code, report.project_name) == ("OFFICE-MOVE", "Office move")
    assert report.resources == 4  # the nameless UID 0 placeholder is not a resource
    assert (report.people_created, report.people_matched) == (2, 0)
    assert "imported 11 tasks" in str(report)
    with ctx.db.read() as session:
        project = session.get(Project, report.project_id)
    assert project is not None
    assert (project.phase, project.currency, project.status) == ("planning", "EUR", "active")
    assert (project.start_date, project.end_date) == (date(2026, 4, 6), date(2026, 4, 22))
    assert (project.baseline_start, project.baseline_end) == (date(2026, 4, 6), date(2026, 4, 21))

    tasks = tasks_of(ctx, report.project_id)
    assert list(tasks) == [
        "Preparation",
        "Site survey",
        "Network design",
        "LAN design",
        "WLAN design",
        "Design approved",
        "Move",
        "Order hardware",
        "Install cabling",
        "Go live",
        "Old site support",
    ]
    parent = {name: t.parent_id for name, t in tasks.items()}
    ids = {name: t.id for name, t in tasks.items()}
    # Three outline levels: Preparation > Network design > LAN design.
    assert parent["Preparation"] is None
    assert parent["Network design"] == ids["Preparation"]
    assert parent["LAN design"] == ids["Network design"]
    assert parent["WLAN design"] == ids["Network design"]
    assert parent["Design approved"] == ids["Preparation"]
    assert parent["Order hardware"] == ids["Move"]
    assert parent["Old site support"] is None
    assert tasks["LAN design"].wbs == "1.2.1"
    assert [t.sort_order for t in tasks.values()] == sorted(t.sort_order for t in tasks.values())

    survey = tasks["Site survey"]
    # PT16H0M0S from Monday 08:00 to Tuesday 17:00: two working days, 16 hours of work.
    assert (survey.planned_start, survey.planned_finish) == (date(2026, 4, 6), date(2026, 4, 7))
    assert (survey.actual_start, survey.actual_finish) == (date(2026, 4, 6), date(2026, 4, 7))
    assert (survey.estimate_hours, survey.remaining_hours) == (Decimal(16), Decimal(0))
    assert (survey.percent_complete, survey.status) == (100, "done")
    assert survey.description == "Walk both floors with facilities."
    lan = tasks["LAN design"]
    assert (lan.percent_complete, lan.status, lan.remaining_hours) == (50, "in progress", 12)
    assert (tasks["WLAN design"].percent_complete, tasks["WLAN design"].status) == (0, "todo")
    # Without RemainingWork the remaining hours follow the percent complete.
    assert tasks["Old site support"].remaining_hours == Decimal(18)

    approved = tasks["Design approved"]
    assert approved.is_milestone
    assert approved.planned_start == approved.planned_finish == date(2026, 4, 10)
    assert tasks["Go live"].planned_start == date(2026, 4, 22)
    assert not tasks["Move"].is_milestone

    cabling = tasks["Install cabling"]
    assert (cabling.baseline_start, cabling.baseline_finish) == (
        date(2026, 4, 16),
        date(2026, 4, 20),
    )
    assert tasks["Go live"].baseline_finish == date(2026, 4, 21)


def test_import_maps_every_link_type_and_lags(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "office_move.xml")

    assert links_of(ctx, report.project_id) == {
        ("Site survey", "LAN design", "FS", 0),  # Type 1
        ("LAN design", "WLAN design", "SS", 0),  # Type 3
        ("LAN design", "Design approved", "FF", 0),  # Type 0
        ("Design approved", "Order hardware", "FS", 2),  # LinkLag 9600 = 2 days
        ("Order hardware", "Install cabling", "FS", -1),  # LinkLag -4800 = 1 day lead
        ("Install cabling", "Go live", "FS", 0),
        ("Go live", "Old site support", "SF", 0),  # Type 2
    }


def test_import_assigns_first_resource_and_reports_the_rest(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "office_move.xml")

    assert assignees_of(ctx, report.project_id) == {
        "Site survey": "Anna Berg",
        "LAN design": "Bob Chen",  # the first of its two assignments
        "WLAN design": "Anna Berg",
        "Old site support": "Bob Chen",
    }
    with ctx.db.read() as session:
        people = {p.name: p for p in session.exec(select(Person)).all()}
    assert set(people) == {"Anna Berg", "Bob Chen"}  # Carla has no task, Projector is material
    assert (people["Anna Berg"].handle, people["Anna Berg"].email) == (
        "anna.berg",
        "anna.berg@example.com",
    )
    assert "'Anna Berg' not kept" in warning(report, "tasks with several resources")
    assert "'Projector'" in warning(report, "material and cost resources")
    assert "'Carla Diaz'" in warning(report, "resources without a task")


def test_import_reports_what_it_cannot_map(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "office_move.xml")

    assert "Install cabling" in warning(report, "constraints not imported")
    assert "Must Finish On" in warning(report, "constraints not imported")
    # Start No Earlier Than its own start loses nothing, so it is not reported.
    assert "Order hardware" not in warning(report, "constraints not imported")
    # the project calendar's exception is the project's holiday; nothing else differs
    assert not [w for w in report.warnings if w.startswith("calendars not imported")]
    with ctx.db.read() as session:
        days = session.exec(select(Holiday).where(Holiday.project_id == report.project_id)).all()
    assert [(d.day, d.name) for d in days] == [(date(2026, 4, 3), "Good Friday")]
    assert report.holidays == 1 and "1 non-working day and 7 links" in str(report)
    costs = warning(report, "costs not imported")
    assert "Order hardware" in costs and "Bob Chen" in costs
    assert "Baseline1" in warning(report, "baselines other than Baseline (0)")
    assert "Site survey" in warning(report, "baseline work not imported")


def test_import_skips_unmappable_links_and_rows_with_warnings(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "unmapped.xml")

    assert report.project_name == "Lab rebuild"
    assert list(tasks_of(ctx, report.project_id)) == [
        "Order parts",
        "Build racks",
        "Cure floor coating",
        "Cable racks",
    ]
    assert links_of(ctx, report.project_id) == {
        ("Order parts", "Build racks", "SS", 2),  # 50 % of a 4-day predecessor
        ("Build racks", "Cure floor coating", "FS", 2),  # 2 elapsed days (LagFormat 8)
        ("Build racks", "Cable racks", "FS", 0),  # 4 h (LagFormat 5): below, in minutes
    }
    assert lag_minutes_of(ctx, report.project_id) == {("Build racks", "Cable racks"): 240}
    assert "UID 99" in warning(report, "links to missing task UIDs skipped")
    assert "(Type 9)" in warning(report, "links of unknown type skipped")
    assert "UID 7" in warning(report, "links to other projects skipped")
    assert "Network core ready" in warning(report, "external tasks")
    assert "UID 2" in warning(report, "blank rows skipped")
    assert "Cure floor coating" in warning(report, "elapsed lags")
    assert not [w for w in report.warnings if "part of a day" in w]
    assert "(50%)" in warning(report, "lags in %")
    assert tasks_of(ctx, report.project_id)["Order parts"].deadline == date(2026, 6, 5)
    assert "Build racks" in warning(report, "task calendars not imported")
    assert "Cure floor coating" in warning(report, "custom fields")


def test_import_schedules_summary_links_and_skips_ff_into_a_summary(
    ctx: Context, tmp_path: Path
) -> None:
    def task(uid: int, name: str, level: int, start: str, finish: str, links: str = "") -> str:
        return (
            f"<Task><UID>{uid}</UID><Name>{name}</Name><OutlineLevel>{level}</OutlineLevel>"
            f"<Start>2026-04-{start}T08:00:00</Start><Finish>2026-04-{finish}T17:00:00</Finish>"
            f"{links}</Task>"
        )

    def link(pred: int, type_code: int) -> str:
        return (
            f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID>"
            f"<Type>{type_code}</Type></PredecessorLink>"
        )

    body = (
        f'<Project xmlns="{NS}"><StartDate>2026-04-06T08:00:00</StartDate><Tasks>'
        + task(1, "Prepare", 1, "06", "08")
        + task(2, "Order", 2, "06", "08")
        + task(3, "Build", 1, "06", "07", link(1, 1) + link(2, 0))  # FS and FF into a summary
        + task(4, "Rack", 2, "06", "07")
        + task(5, "Cable", 2, "06", "06")
        + task(6, "Check", 1, "06", "06", link(3, 1))  # FS from a summary
        + "</Tasks></Project>"
    )
    report = import_mspdi(ctx, write(tmp_path, body))

    assert links_of(ctx, report.project_id) == {
        ("Prepare", "Build", "FS", 0),
        ("Build", "Check", "FS", 0),
    }
    assert "UID 2 → task UID 3 'Build' (FF)" in warning(report, "FF and SF links into summary")
    assert not [w for w in report.warnings if "links on summary" in w]
    dates = scheduled(ctx, report.project_id)
    assert dates["Rack"] == (date(2026, 4, 9), date(2026, 4, 10))  # after all of Prepare
    assert dates["Check"] == (date(2026, 4, 13), date(2026, 4, 13))  # after all of Build


def test_import_without_namespace_and_durations_in_hours_or_days(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "no_namespace.xml")

    assert (report.project_code, report.project_name) == ("SERVER-REFRESH", "Server refresh")
    assert report.warnings == []
    tasks = tasks_of(ctx, report.project_id)
    # No <Finish>: PT16H0M0S is two working days, P3D three (Friday → Tuesday).
    assert tasks["Rack servers"].planned_finish == date(2026, 5, 5)
    assert tasks["Migrate VMs"].planned_finish == date(2026, 5, 12)
    assert tasks["Migrate VMs"].estimate_hours == Decimal("24.5")
    assert tasks["Old servers retired"].is_milestone
    assert links_of(ctx, report.project_id) == {
        ("Rack servers", "Migrate VMs", "FS", 1),
        ("Migrate VMs", "Old servers retired", "FS", 0),  # no <Type>: finish-to-start
    }


def test_import_writes_one_activity_entry_in_one_project(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "office_move.xml")

    with ctx.db.read() as session:
        entries = session.exec(select(Activity)).all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.user, entry.entity, entry.action) == ("tester", "project", "import")
    assert (entry.entity_id, entry.project_id) == (report.project_id, report.project_id)
    assert entry.summary == "imported 11 tasks, 7 links, 1 non-working day from office_move.xml"


def test_import_codes_are_derived_unique_or_as_given(ctx: Context) -> None:
    first = import_mspdi(ctx, DATA / "office_move.xml")
    second = import_mspdi(ctx, DATA / "office_move.xml")
    third = import_mspdi(ctx, DATA / "office_move.xml", code="om-26")

    assert (first.project_code, second.project_code, third.project_code) == (
        "OFFICE-MOVE",
        "OFFICE-MOVE-2",
        "OM-26",
    )
    # Assignees are matched to the people the first import created, not duplicated.
    assert (second.people_matched, second.people_created) == (2, 0)
    before = row_counts(ctx)
    with pytest.raises(ItpmError, match="'OM-26' is already used"):
        import_mspdi(ctx, DATA / "office_move.xml", code="OM-26")
    with pytest.raises(ItpmError, match="code"):
        import_mspdi(ctx, DATA / "office_move.xml", code="1 bad code")
    assert row_counts(ctx) == before


def test_import_matches_existing_people_and_keeps_handles_unique(ctx: Context) -> None:
    with ctx.transaction() as tx:
        # Same e-mail as Anna in the file, another name: she is matched by e-mail.
        tx.session.add(Person(name="A. Berg", handle="aberg", email="ANNA.BERG@example.com"))
        # Someone else already has the handle Bob Chen would get.
        tx.session.add(Person(name="Robert Smith", handle="bob.chen"))

    report = import_mspdi(ctx, DATA / "office_move.xml")

    assert (report.people_matched, report.people_created) == (1, 1)
    assert assignees_of(ctx, report.project_id)["Site survey"] == "A. Berg"
    with ctx.db.read() as session:
        bob = session.exec(select(Person).where(Person.name == "Bob Chen")).one()
    assert bob.handle == "bob.chen-2"


# --- malformed files: a clear MspdiError and nothing written ------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_xml.xml", r"not_xml\.xml: not XML \(line 1"),
        ("doctype_entity.xml", r"refused: the file declares a DOCTYPE or ENTITY"),
        ("missing_uid.xml", r"<Task> number 2 \('Lost its UID'\): has no <UID>"),
        (
            "cycle.xml",
            r"cycle: task UID 1 'Design' → task UID 2 'Build' → task UID 3 'Test' → "
            r"task UID 1 'Design'",
        ),
        ("bad_date.xml", r"task UID 2 'Procurement': <Start> '2026-04-31T08:00:00' is not a date"),
    ],
)
def test_malformed_files_are_refused_without_writing(ctx: Context, name: str, message: str) -> None:
    import_mspdi(ctx, DATA / "no_namespace.xml")  # something already in the database
    before = row_counts(ctx)

    with pytest.raises(MspdiError, match=message):
        import_mspdi(ctx, DATA / name)

    assert row_counts(ctx) == before


def write(tmp_path: Path, text: str, name: str = "plan.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<?xml version="1.0"?><Plan><Tasks/></Plan>', r"root element is <Plan>"),
        (f'<Project xmlns="{NS}"><Name>Empty</Name><Tasks/></Project>', r"has no tasks"),
        (
            f'<Project xmlns="{NS}"><Tasks><Task><UID>0</UID><OutlineLevel>0</OutlineLevel>'
            "</Task></Tasks></Project>",
            r"has no tasks",
        ),
        (
            f'<Project xmlns="{NS}"><Tasks><Task><UID>1</UID><Name>A</Name>'
            "<Start>2026-04-08T08:00:00</Start><Finish>2026-04-06T17:00:00</Finish>"
            "</Task></Tasks></Project>",
            r"task UID 1 'A': finish: must not be before start",
        ),
        (
            f'<Project xmlns="{NS}"><Tasks><Task><UID>1</UID><Name>A</Name>'
            "<Work>sixteen hours</Work></Task></Tasks></Project>",
            r"task UID 1 'A': <Work> 'sixteen hours' is not a duration",
        ),
        (
            f'<Project xmlns="{NS}"><Tasks><Task><UID>1</UID><Name>A</Name></Task>'
            "<Task><UID>1</UID><Name>B</Name></Task></Tasks></Project>",
            r"task UID 1 'B': <UID> 1 is used by two tasks",
        ),
        (
            f'<Project xmlns="{NS}"><Tasks><Task><UID>1</UID><Name>A</Name>'
            "<PercentComplete>150</PercentComplete></Task></Tasks></Project>",
            r"task UID 1 'A': percent complete: must be between 0 and 100",
        ),
        (
            f'<Project xmlns="{NS}"><Tasks>'
            "<Task><UID>1</UID><Name>Phase</Name><OutlineLevel>1</OutlineLevel></Task>"
            "<Task><UID>2</UID><Name>A</Name><OutlineLevel>2</OutlineLevel><PredecessorLink>"
            "<PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>"
            "</Tasks></Project>",
            r"the links form a cycle: task UID 2 'A' → task UID 1 'Phase' → task UID 2 'A'",
        ),
        (
            f'<Project xmlns="{NS}"><Tasks>'
            "<Task><UID>1</UID><Name>Phase</Name><OutlineLevel>1</OutlineLevel></Task>"
            "<Task><UID>2</UID><Name>A</Name><OutlineLevel>2</OutlineLevel></Task>"
            "<Task><UID>3</UID><Name>B</Name><OutlineLevel>1</OutlineLevel><PredecessorLink>"
            "<PredecessorUID>1</PredecessorUID><Type>3</Type></PredecessorLink></Task>"
            "<Task><UID>4</UID><Name>C</Name><OutlineLevel>2</OutlineLevel><PredecessorLink>"
            "<PredecessorUID>3</PredecessorUID><Type>1</Type></PredecessorLink></Task>"
            "</Tasks></Project>",
            r"cycle: task UID 4 'C' → task UID 3 'B' → task UID 4 'C'",
        ),
        ("", r"the file is empty"),
    ],
)
def test_other_malformed_plans(ctx: Context, tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(MspdiError, match=message):
        import_mspdi(ctx, write(tmp_path, body))
    assert row_counts(ctx) == dict.fromkeys(
        ("Project", "Task", "Dependency", "Person", "Activity"), 0
    )


def test_doctype_is_refused_in_any_encoding(ctx: Context, tmp_path: Path) -> None:
    """UTF-16 hides "<!DOCTYPE" from a byte search; the parser pass still refuses it."""
    path = tmp_path / "wide.xml"
    path.write_bytes(
        (DATA / "doctype_entity.xml").read_text().replace("UTF-8", "UTF-16").encode("utf-16")
    )
    with pytest.raises(MspdiError, match="DOCTYPE"):
        import_mspdi(ctx, path)


def test_missing_file_is_an_mspdi_error(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(MspdiError, match=r"cannot import .*nowhere\.xml: the file does not exist"):
        import_mspdi(ctx, tmp_path / "nowhere.xml")


# --- export ---------------------------------------------------------------------------------


def test_export_writes_mspdi(ctx: Context, tmp_path: Path) -> None:
    report = import_mspdi(ctx, DATA / "office_move.xml")

    data = export_mspdi(ctx.db, "office-move", ctx.today())  # codes are case-insensitive

    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = ET.fromstring(data)
    assert root.tag == f"{Q}Project"
    assert root.findtext(f"{Q}SaveVersion") == "14"
    assert root.findtext(f"{Q}Title") == root.findtext(f"{Q}Name") == "Office move"
    assert root.findtext(f"{Q}StartDate") == "2026-04-06T08:00:00"
    assert root.findtext(f"{Q}FinishDate") == "2026-04-22T17:00:00"
    tasks = root.findall(f"{Q}Tasks/{Q}Task")
    top, by_name = tasks[0], {t.findtext(f"{Q}Name"): t for t in tasks[1:]}
    assert (top.findtext(f"{Q}UID"), top.findtext(f"{Q}OutlineLevel")) == ("0", "0")
    assert top.findtext(f"{Q}Summary") == "1"
    assert [t.findtext(f"{Q}ID") for t in tasks[1:]] == [str(n) for n in range(1, 12)]
    lan = by_name["LAN design"]
    assert (lan.findtext(f"{Q}OutlineNumber"), lan.findtext(f"{Q}OutlineLevel")) == ("1.2.1", "3")
    assert lan.findtext(f"{Q}Start") == "2026-04-08T08:00:00"
    assert lan.findtext(f"{Q}Finish") == "2026-04-10T17:00:00"
    assert lan.findtext(f"{Q}Duration") == "PT24H0M0S"
    assert lan.findtext(f"{Q}Work") == "PT24H0M0S"
    assert lan.findtext(f"{Q}PercentComplete") == "50"
    assert by_name["Network design"].findtext(f"{Q}Summary") == "1"
    assert by_name["Go live"].findtext(f"{Q}Milestone") == "1"
    assert by_name["Go live"].findtext(f"{Q}Duration") == "PT0H0M0S"
    baseline = by_name["Install cabling"].find(f"{Q}Baseline")
    assert baseline is not None
    assert baseline.findtext(f"{Q}Number") == "0"
    assert baseline.findtext(f"{Q}Start") == "2026-04-16T08:00:00"
    link = by_name["Install cabling"].find(f"{Q}PredecessorLink")
    assert link is not None
    assert link.findtext(f"{Q}PredecessorUID") == by_name["Order hardware"].findtext(f"{Q}UID")
    assert (link.findtext(f"{Q}Type"), link.findtext(f"{Q}LinkLag")) == ("1", "-4800")
    assert link.findtext(f"{Q}LagFormat") == "7"
    sf = by_name["Old site support"].find(f"{Q}PredecessorLink")
    assert sf is not None and sf.findtext(f"{Q}Type") == "2"
    resources = {r.findtext(f"{Q}Name"): r for r in root.findall(f"{Q}Resources/{Q}Resource")}
    assert set(resources) == {"Anna Berg", "Bob Chen"}
    assert resources["Anna Berg"].findtext(f"{Q}EmailAddress") == "anna.berg@example.com"
    assignments = root.findall(f"{Q}Assignments/{Q}Assignment")
    assert len(assignments) == len(assignees_of(ctx, report.project_id)) == 4


def test_export_unknown_project_is_an_error(ctx: Context) -> None:
    with pytest.raises(ItpmError, match="no project with code 'NOPE'"):
        export_mspdi(ctx.db, "NOPE", ctx.today())


def test_export_pins_unlinked_tasks_and_spans_summaries(ctx: Context, tmp_path: Path) -> None:
    """MS Project recalculates on open: a free task keeps its date only with a constraint."""
    with ctx.transaction() as tx:
        project = Project(code="PIN", name="Pinned <&> plan", start_date=date(2026, 4, 6))
        tx.session.add(project)
        tx.session.flush()
        pid = project.id
        assert pid is not None
        parent = Task(project_id=pid, name="Phase", sort_order=1)
        tx.session.add(parent)
        tx.session.flush()
        tx.session.add_all(
            [
                Task(
                    project_id=pid,
                    parent_id=parent.id,
                    sort_order=2,
                    name="Late start",
                    planned_start=date(2026, 4, 13),
                    planned_finish=date(2026, 4, 14),
                    estimate_hours=Decimal("12.25"),
                ),
                Task(project_id=pid, parent_id=parent.id, sort_order=3, name="Undated"),
                Task(
                    project_id=pid,
                    sort_order=4,
                    name="Start only",
                    planned_start=date(2026, 4, 7),
                ),
            ]
        )

    root = ET.fromstring(export_mspdi(ctx.db, "PIN", ctx.today()))

    assert root.findtext(f"{Q}Name") == "Pinned <&> plan"
    by_name = {t.findtext(f"{Q}Name"): t for t in root.findall(f"{Q}Tasks/{Q}Task")}
    late = by_name["Late start"]
    assert late.findtext(f"{Q}ConstraintType") == "4"
    assert late.findtext(f"{Q}ConstraintDate") == "2026-04-13T08:00:00"
    assert late.findtext(f"{Q}Work") == "PT12H15M0S"
    phase = by_name["Phase"]
    assert (phase.findtext(f"{Q}Start"), phase.findtext(f"{Q}Finish")) == (
        "2026-04-13T08:00:00",
        "2026-04-14T17:00:00",
    )
    assert phase.findtext(f"{Q}ConstraintType") == "0"
    assert by_name["Undated"].find(f"{Q}Start") is None
    start_only = by_name["Start only"]
    assert start_only.findtext(f"{Q}Start") == "2026-04-07T08:00:00"
    assert start_only.find(f"{Q}Finish") is None

    path = tmp_path / "pin.xml"
    path.write_bytes(export_mspdi(ctx.db, "PIN", ctx.today()))
    report = import_mspdi(ctx, path)
    assert report.warnings == []  # its own pinning constraint is not reported back
    tasks = tasks_of(ctx, report.project_id)
    assert tasks["Late start"].estimate_hours == Decimal("12.25")
    assert (tasks["Start only"].planned_start, tasks["Start only"].planned_finish) == (
        date(2026, 4, 7),
        None,
    )
    assert tasks["Undated"].planned_start is None


def test_export_writes_what_a_recalculation_keeps(ctx: Context, tmp_path: Path) -> None:
    """Start rules, fixed durations with consistent units, progress as durations, rolled-up
    summary percent and "1 day?" for a task without a duration; read back as they were."""
    with ctx.transaction() as tx:
        ana = Person(name="Ana Silva", handle="ana")
        project = Project(code="REC", name="Recalc", start_date=date(2026, 4, 6))
        tx.session.add_all([ana, project])
        tx.session.flush()
        pid = project.id
        assert pid is not None
        phase = Task(project_id=pid, name="Phase", sort_order=1, percent_complete=90)
        tx.session.add(phase)
        tx.session.flush()
        design = Task(
            project_id=pid,
            parent_id=phase.id,
            sort_order=2,
            name="Design",
            planned_start=date(2026, 4, 6),
            planned_finish=date(2026, 4, 9),  # 4 days
            estimate_hours=Decimal(10),
            remaining_hours=Decimal(4),
            percent_complete=50,
            assignee_id=ana.id,
        )
        build = Task(
            project_id=pid,
            parent_id=phase.id,
            sort_order=3,
            name="Build",
            planned_start=date(2026, 4, 7),  # pushed to 10 April by the link
            planned_finish=date(2026, 4, 8),
            estimate_hours=Decimal(40),
            assignee_id=ana.id,
        )
        undated = Task(project_id=pid, sort_order=4, name="Undated", estimate_hours=Decimal(2))
        tx.session.add_all([design, build, undated])
        tx.session.flush()
        tx.session.add(Dependency(predecessor_id=design.id, successor_id=build.id))

    data = export_mspdi(ctx.db, "REC", ctx.today())

    root = ET.fromstring(data)
    by_name = {t.findtext(f"{Q}Name"): t for t in root.findall(f"{Q}Tasks/{Q}Task")}
    design_el, build_el = by_name["Design"], by_name["Build"]
    for el in (design_el, build_el, by_name["Phase"]):
        assert (el.findtext(f"{Q}Type"), el.findtext(f"{Q}EffortDriven")) == ("1", "0")
    assert build_el.findtext(f"{Q}Start") == "2026-04-10T08:00:00"
    assert build_el.findtext(f"{Q}Finish") == "2026-04-13T17:00:00"
    assert build_el.findtext(f"{Q}ConstraintType") == "4"
    assert build_el.findtext(f"{Q}ConstraintDate") == "2026-04-07T08:00:00"  # the stored rule
    assert design_el.findtext(f"{Q}ConstraintDate") == "2026-04-06T08:00:00"
    assert design_el.findtext(f"{Q}ActualDuration") == "PT16H0M0S"  # 50 % of 4 days
    assert design_el.findtext(f"{Q}RemainingDuration") == "PT16H0M0S"
    assert by_name["Phase"].findtext(f"{Q}ConstraintType") == "0"
    # 50 % of 4 days and 0 % of 2 days: the Timeline's 33 %, not the stored 90 %
    assert by_name["Phase"].findtext(f"{Q}PercentComplete") == "33"
    undated_el = by_name["Undated"]
    assert undated_el.find(f"{Q}Start") is None
    assert undated_el.findtext(f"{Q}Duration") == "PT8H0M0S"
    assert undated_el.findtext(f"{Q}DurationFormat") == "39"
    assert undated_el.findtext(f"{Q}Estimated") == "1"
    assignments = {
        a.findtext(f"{Q}TaskUID"): a for a in root.findall(f"{Q}Assignments/{Q}Assignment")
    }
    for el, hours in ((design_el, 10), (build_el, 40)):
        asg = assignments[el.findtext(f"{Q}UID")]
        units = Decimal(asg.findtext(f"{Q}Units") or "")
        duration = Decimal(int((el.findtext(f"{Q}Duration") or "").split("H")[0][2:]))
        assert asg.findtext(f"{Q}Work") == f"PT{hours}H0M0S"
        assert abs(units * duration - hours) < Decimal("0.001")  # Work = Units × Duration
    assert assignments[design_el.findtext(f"{Q}UID")].findtext(f"{Q}ActualWork") == "PT6H0M0S"

    path = tmp_path / "rec.xml"
    path.write_bytes(data)
    report = import_mspdi(ctx, path)
    assert report.warnings == []
    tasks = tasks_of(ctx, report.project_id)
    assert (tasks["Build"].planned_start, tasks["Build"].planned_finish) == (
        date(2026, 4, 7),
        date(2026, 4, 8),
    )
    assert (tasks["Undated"].planned_start, tasks["Undated"].planned_finish) == (None, None)

    # Without the link that pushes it, the earlier constraint is not the plan: dates kept.
    link = build_el.find(f"{Q}PredecessorLink")
    assert link is not None
    build_el.remove(link)
    path.write_bytes(ET.tostring(root))
    unlinked = import_mspdi(ctx, path, code="REC-3")
    assert warning(unlinked, "constraints not imported").endswith(
        "'Build' (Start No Earlier Than 2026-04-07)"
    )
    build = tasks_of(ctx, unlinked.project_id)["Build"]
    assert (build.planned_start, build.planned_finish) == (date(2026, 4, 10), date(2026, 4, 13))


# --- round trip ---------------------------------------------------------------------------


def test_round_trip_keeps_tasks_links_and_assignees(ctx: Context, tmp_path: Path) -> None:
    first = import_mspdi(ctx, DATA / "office_move.xml")
    exported = tmp_path / "exported.xml"
    exported.write_bytes(export_mspdi(ctx.db, first.project_code, ctx.today()))

    second = import_mspdi(ctx, exported, code="COPY")

    assert tree(ctx, second.project_id) == tree(ctx, first.project_id)
    assert links_of(ctx, second.project_id) == links_of(ctx, first.project_id)
    assert assignees_of(ctx, second.project_id) == assignees_of(ctx, first.project_id)
    assert (second.tasks, second.links, second.milestones) == (11, 7, 2)
    assert (second.people_matched, second.people_created) == (2, 0)
    assert second.warnings == []  # what itpm writes, it reads back without loss
    with ctx.db.read() as session:
        a = session.get(Project, first.project_id)
        b = session.get(Project, second.project_id)
    assert a is not None and b is not None
    assert (b.name, b.start_date, b.end_date) == (a.name, a.start_date, a.end_date)
    assert (b.baseline_start, b.baseline_end) == (a.baseline_start, a.baseline_end)


def test_round_trip_of_the_plan_without_namespace(ctx: Context, tmp_path: Path) -> None:
    first = import_mspdi(ctx, DATA / "no_namespace.xml")
    exported = tmp_path / "exported.xml"
    exported.write_bytes(export_mspdi(ctx.db, first.project_code, ctx.today()))

    second = import_mspdi(ctx, exported)

    assert second.project_code == "SERVER-REFRESH-2"
    assert tree(ctx, second.project_id) == tree(ctx, first.project_id)
    assert links_of(ctx, second.project_id) == links_of(ctx, first.project_id)


# --- meaning kept from other planners' files ----------------------------------------------


def scheduled(ctx: Context, project_id: int) -> dict[str, tuple[date | None, date | None]]:
    """Each task's dates as the Timeline schedules them, by name."""
    schedule = project_schedule(ctx.db, project_id)
    assert schedule is not None
    return {t.name: (t.start, t.finish) for t in schedule.tasks}


def test_zero_duration_tasks_are_milestones_without_the_flag(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "projectlibre_milestone.xml")

    assert report.milestones == 2
    tasks = tasks_of(ctx, report.project_id)
    assert tasks["Design approved"].is_milestone and tasks["Live"].is_milestone
    # Each milestone is an instant on its predecessor's finish: Build is not pushed a day.
    assert scheduled(ctx, report.project_id) == {
        "Design": (date(2026, 5, 4), date(2026, 5, 5)),
        "Design approved": (date(2026, 5, 5), date(2026, 5, 5)),
        "Build": (date(2026, 5, 6), date(2026, 5, 8)),
        "Live": (date(2026, 5, 8), date(2026, 5, 8)),
    }
    assert report.warnings == []


def test_manual_tasks_keep_their_dates_and_push_their_successors(
    ctx: Context, tmp_path: Path
) -> None:
    report = import_mspdi(ctx, DATA / "manual_tasks.xml")

    tasks = tasks_of(ctx, report.project_id)
    assert {name for name, t in tasks.items() if t.is_manual} == {
        "Vendor site visit",
        "Change board",
    }
    # As MS Project saved them: the visit stays on the 5th though the order ends on the 6th;
    # the installation follows the visit, the change board stays on Monday the 11th and the
    # cut-over follows it.
    assert scheduled(ctx, report.project_id) == {
        "Order switches": (date(2026, 5, 4), date(2026, 5, 6)),
        "Vendor site visit": (date(2026, 5, 5), date(2026, 5, 5)),
        "Install switches": (date(2026, 5, 6), date(2026, 5, 7)),
        "Change board": (date(2026, 5, 11), date(2026, 5, 11)),
        "Cut-over": (date(2026, 5, 12), date(2026, 5, 12)),
    }
    assert report.warnings == []

    out = write(tmp_path, export_mspdi(ctx.db, report.project_code, ctx.today()).decode())
    manual = {
        el.findtext(f"{Q}Name"): el.findtext(f"{Q}Manual")
        for el in ET.parse(out).getroot().iter(f"{Q}Task")
    }
    assert manual["Vendor site visit"] == manual["Change board"] == "1"
    assert manual["Order switches"] is None  # automatic: MS Project's default before 2010
    again = import_mspdi(ctx, out)
    assert scheduled(ctx, again.project_id) == scheduled(ctx, report.project_id)


def test_elapsed_durations_run_through_weekends_and_are_written_back(
    ctx: Context, tmp_path: Path
) -> None:
    report = import_mspdi(ctx, DATA / "elapsed_wait.xml")

    tasks = tasks_of(ctx, report.project_id)
    assert {name for name, t in tasks.items() if t.is_elapsed} == {"Number port"}
    # 10 calendar days from Monday the 11th: the 20th is its last, the switch-over the 21st
    expected = {
        "Order lines": (date(2026, 5, 6), date(2026, 5, 8)),
        "Number port": (date(2026, 5, 11), date(2026, 5, 20)),
        "Switch over": (date(2026, 5, 21), date(2026, 5, 21)),
    }
    assert scheduled(ctx, report.project_id) == expected
    assert report.warnings == []

    out = write(tmp_path, export_mspdi(ctx.db, report.project_code, ctx.today()).decode())
    written = {
        el.findtext(f"{Q}Name"): (
            el.findtext(f"{Q}Duration"),
            el.findtext(f"{Q}DurationFormat"),
            el.findtext(f"{Q}Finish"),
        )
        for el in ET.parse(out).getroot().iter(f"{Q}Task")
    }
    assert written["Number port"] == ("PT240H0M0S", "8", "2026-05-21T08:00:00")
    assert written["Order lines"][:2] == ("PT24H0M0S", "7")
    again = import_mspdi(ctx, out)
    assert scheduled(ctx, again.project_id) == expected
    assert tasks_of(ctx, again.project_id)["Number port"].is_elapsed


def test_constraints_and_deadlines_are_kept_checked_and_written_back(
    ctx: Context, tmp_path: Path
) -> None:
    report = import_mspdi(ctx, DATA / "constraints.xml")

    tasks = tasks_of(ctx, report.project_id)
    assert {n: (t.constraint_kind, t.constraint_date, t.deadline) for n, t in tasks.items()} == {
        "Build": ("", None, None),
        "Rehearsal": ("MSO", date(2026, 5, 5), None),
        "Migration": ("FNLT", date(2026, 5, 8), None),
        "Docs": ("", None, date(2026, 5, 6)),
        "Training": ("", None, date(2026, 5, 7)),
        "Vendor sign-off": ("", None, None),
    }
    dates = scheduled(ctx, report.project_id)
    assert dates["Rehearsal"] == (date(2026, 5, 5), date(2026, 5, 5))  # must start on: held
    assert dates["Migration"] == (date(2026, 5, 7), date(2026, 5, 11))
    broken = warning(report, "dates the schedule breaks")
    assert "3 'Migration' finishes after its Finish No Later Than 2026-05-08" in broken
    assert "5 'Training' misses its deadline 2026-05-07" in broken
    assert "Docs" not in broken
    assert "Vendor sign-off' (As Late As Possible)" in warning(report, "constraints not imported")
    assert not [w for w in report.warnings if w.startswith("deadlines not imported")]

    out = write(tmp_path, export_mspdi(ctx.db, report.project_code, ctx.today()).decode())
    written = {
        el.findtext(f"{Q}Name"): (
            el.findtext(f"{Q}ConstraintType"),
            el.findtext(f"{Q}ConstraintDate"),
            el.findtext(f"{Q}Deadline"),
        )
        for el in ET.parse(out).getroot().iter(f"{Q}Task")
    }
    # each as what it is: the Finish No Later Than takes the place of the start rule
    assert written["Rehearsal"] == ("2", "2026-05-05T08:00:00", None)
    assert written["Migration"] == ("7", "2026-05-08T17:00:00", None)
    assert written["Training"] == ("4", "2026-05-07T08:00:00", "2026-05-07T17:00:00")
    assert written["Docs"] == ("4", "2026-05-04T08:00:00", "2026-05-06T17:00:00")
    again = import_mspdi(ctx, out)
    assert scheduled(ctx, again.project_id) == dates
    assert {
        n: (t.constraint_kind, t.constraint_date, t.deadline)
        for n, t in tasks_of(ctx, again.project_id).items()
    } == {n: (t.constraint_kind, t.constraint_date, t.deadline) for n, t in tasks.items()}
    assert warning(again, "dates the schedule breaks") == broken


def test_a_finish_no_later_than_ms_project_met_before_the_links_is_said(
    ctx: Context, tmp_path: Path
) -> None:
    """MS Project, honouring the constraint, saved Migration to finish by its Finish No Later
    Than though Build (its FS predecessor) ends on the 6th; itpm keeps the link, so the task
    starts later than saved, and the report says both."""
    text = (DATA / "constraints.xml").read_text(encoding="utf-8")
    saved = "<Start>2026-05-07T08:00:00</Start>\n      <Finish>2026-05-11T17:00:00</Finish>"
    assert text.count(saved) == 1  # Migration's
    moved = "<Start>2026-05-06T08:00:00</Start>\n      <Finish>2026-05-08T17:00:00</Finish>"
    report = import_mspdi(ctx, write(tmp_path, text.replace(saved, moved)))

    assert scheduled(ctx, report.project_id)["Migration"] == (date(2026, 5, 7), date(2026, 5, 11))
    assert warning(report, "dates the schedule breaks") == (
        "dates the schedule breaks (⚠ in the Timeline): 3 'Migration' finishes after its Finish "
        "No Later Than 2026-05-08 (saved to start 2026-05-06, before its links allow: starts "
        "2026-05-07), 5 'Training' misses its deadline 2026-05-07"
    )


def test_the_project_calendars_exceptions_become_its_holidays(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "calendar_exceptions.xml")

    with ctx.db.read() as session:
        days = session.exec(
            select(Holiday).where(Holiday.project_id == report.project_id).order_by(Holiday.day)
        ).all()
    # weekdays only (the weekend is off anyway), each once, named where the file names it
    assert [(d.day, d.name) for d in days] == [
        (date(2026, 5, 6), "Company day"),
        (date(2026, 5, 14), "Bridge days"),
        (date(2026, 5, 15), "Bridge days"),
    ]
    assert report.holidays == 3
    assert "'Christmas'" in warning(report, "recurring calendar exceptions not imported")
    assert "'Release Saturday'" in warning(report, "working days added by the calendar")
    assert not [w for w in report.warnings if w.startswith("calendars not imported")]
    # the dates skip the days off: four days of work in Monday–Friday, a four-day task
    # given only its start runs over the bridge days, and the float is a day smaller
    timeline = load_timeline(ctx.db, report.project_id)
    assert timeline is not None
    by_name = {t.name: t for t in timeline.tasks}
    assert by_name["Move racks"].duration == 4
    assert (by_name["Burn-in"].start, by_name["Burn-in"].finish) == (
        date(2026, 5, 12),
        date(2026, 5, 19),
    )
    assert by_name["Label cables"].total_float == 2
    assert by_name["Move racks"].critical


# --- part-day working time --------------------------------------------------------------


def test_part_day_tasks_import_with_ms_projects_times_and_calendar_hours(ctx: Context) -> None:
    report = import_mspdi(ctx, DATA / "part_day.xml")

    with ctx.db.read() as session:
        project = session.get(Project, report.project_id)
    assert project is not None and project.work_hours == "07:00-11:00,11:30-15:00"
    assert "working hours 07:00-11:00,11:30-15:00" in report.summary
    tasks = tasks_of(ctx, report.project_id)
    got = {
        name: (t.planned_start, t.start_time, t.planned_finish, t.work_minutes)
        for name, t in tasks.items()
    }
    june = lambda day: date(2026, 6, day)  # noqa: E731
    assert got == {
        # 4h, 2h and 1.5d (675 minutes of a 450-minute day) in a row
        "Prepare cut-over": (june(1), None, june(1), 240),
        "Cut over": (june(1), time(11, 30), june(1), 120),
        "Migrate data": (june(1), time(13, 30), june(3), 675),
        "Vendor call": (june(2), time(13), june(2), 60),  # manual, at 13:00
        "Write minutes": (june(3), time(8), june(3), 120),  # 2 hours after the call
        "Check reports": (june(3), time(9, 15), june(3), 180),
        "Go-live": (june(3), None, june(3), None),
        # a whole day from 12:45 runs to 12:45 two working days on (Thursday is off): kept in
        # minutes, as its dates alone would count two days of work
        "Hypercare": (june(3), time(12, 45), june(5), 450),
        "Change window": (june(2), time(9), june(2), 240),  # Must Start On 09:00
    }
    assert tasks["Vendor call"].is_manual
    assert (tasks["Change window"].constraint_kind, tasks["Change window"].constraint_date) == (
        "MSO",
        june(2),
    )
    assert report.holidays == 1
    # the 2-hour lag is kept in working minutes
    assert lag_minutes_of(ctx, report.project_id) == {("Vendor call", "Write minutes"): 120}
    assert report.warnings == []


def calendar_plan(days: dict[int, str], minutes_per_day: int = 480) -> str:
    """A one-task plan whose Standard calendar works `days` (DayType → "08:00-12:00,...")."""
    weekdays = ""
    for day_type in range(1, 8):
        spans = days.get(day_type, "")
        times = "".join(
            f"<WorkingTime><FromTime>{a}:00</FromTime><ToTime>{b}:00</ToTime></WorkingTime>"
            for a, b in (span.split("-") for span in spans.split(",") if span)
        )
        weekdays += (
            f"<WeekDay><DayType>{day_type}</DayType><DayWorking>{int(bool(spans))}</DayWorking>"
            f"<WorkingTimes>{times}</WorkingTimes></WeekDay>"
        )
    return (
        f'<Project xmlns="{NS}"><Name>Hours</Name><CalendarUID>1</CalendarUID>'
        f"<MinutesPerDay>{minutes_per_day}</MinutesPerDay><Calendars><Calendar><UID>1</UID>"
        f"<Name>Standard</Name><WeekDays>{weekdays}</WeekDays></Calendar></Calendars><Tasks>"
        "<Task><UID>1</UID><Name>A</Name><Start>2026-06-01T08:00:00</Start>"
        "<Finish>2026-06-01T12:00:00</Finish><Duration>PT4H0M0S</Duration></Task>"
        "</Tasks></Project>"
    )


def test_weekday_hours_that_differ_keep_the_most_common_days_and_are_reported(
    ctx: Context, tmp_path: Path
) -> None:
    week = dict.fromkeys(range(2, 6), "08:00-12:00,12:30-16:30")
    week[6] = "08:00-12:00"  # a short Friday
    report = import_mspdi(ctx, write(tmp_path, calendar_plan(week)))

    with ctx.db.read() as session:
        project = session.get(Project, report.project_id)
    assert project is not None and project.work_hours == "08:00-12:00,12:30-16:30"
    assert warning(report, "working hours that differ by weekday").endswith(
        "(08:00-12:00,12:30-16:30): calendar 'Standard': Friday 08:00-12:00"
    )
    assert tasks_of(ctx, report.project_id)["A"].work_minutes == 240


def test_the_standard_calendar_stays_the_standard_hours(ctx: Context, tmp_path: Path) -> None:
    week = dict.fromkeys(range(2, 7), "08:00-12:00,13:00-17:00")
    report = import_mspdi(ctx, write(tmp_path, calendar_plan(week, minutes_per_day=420)))

    with ctx.db.read() as session:
        project = session.get(Project, report.project_id)
    assert project is not None and project.work_hours == ""  # the standard day
    assert "working hours" not in report.summary
    assert "08:00-12:00,13:00-17:00, 480 minutes" in warning(report, "<MinutesPerDay> 420")
    # half of the calendar's 8-hour day, whatever MinutesPerDay says
    assert tasks_of(ctx, report.project_id)["A"].work_minutes == 240


def test_elapsed_hours_are_kept_as_clock_time(ctx: Context, tmp_path: Path) -> None:
    """A cut-over from 19:00 to 23:00 (`4eh`) and a 36-hour wait from 08:00: clock time,
    ending on the day their clock time ends; whole elapsed days stay days."""

    def task(uid: int, name: str, start: str, hours: int) -> str:
        return (
            f"<Task><UID>{uid}</UID><Name>{name}</Name><Start>{start}</Start>"
            f"<Duration>PT{hours}H0M0S</Duration><DurationFormat>6</DurationFormat></Task>"
        )

    body = (
        f'<Project xmlns="{NS}"><Name>Wait</Name><Tasks>'
        + task(1, "Cut-over", "2026-06-01T19:00:00", 4)
        + task(2, "Port", "2026-06-01T08:00:00", 36)
        + task(3, "Settle", "2026-06-01T08:00:00", 48)
        + task(4, "To midnight", "2026-06-01T20:00:00", 4)
        + "</Tasks></Project>"
    )
    report = import_mspdi(ctx, write(tmp_path, body))

    got = {
        name: (t.is_elapsed, t.planned_start, t.start_time, t.planned_finish, t.work_minutes)
        for name, t in tasks_of(ctx, report.project_id).items()
    }
    june = lambda day: date(2026, 6, day)  # noqa: E731
    assert got == {
        "Cut-over": (True, june(1), time(19), june(1), 240),
        "Port": (True, june(1), None, june(2), 36 * 60),
        "Settle": (True, june(1), None, june(2), None),  # 2ed
        "To midnight": (True, june(1), time(20), june(1), 240),
    }
    # held where it is only when manual or Must Start On, as the schedule places clock time
    assert warning(report, "clock-time tasks starting outside working hours").endswith(
        "task UID 1 'Cut-over' (19:00), task UID 4 'To midnight' (20:00)"
    )


def test_part_day_plan_round_trips_through_its_export(ctx: Context, tmp_path: Path) -> None:
    """Exported and imported again, the plan keeps its working hours, every task's minutes,
    start time and dates, and the 2-hour lag."""
    first = import_mspdi(ctx, DATA / "part_day.xml")
    exported = tmp_path / "again.xml"
    exported.write_bytes(export_mspdi(ctx.db, first.project_code, ctx.today()))
    second = import_mspdi(ctx, exported, code="AGAIN")

    def kept(project_id: int) -> dict[str, tuple[object, ...]]:
        return {
            name: (t.planned_start, t.start_time, t.planned_finish, t.work_minutes, t.is_manual)
            for name, t in tasks_of(ctx, project_id).items()
        }

    assert kept(second.project_id) == kept(first.project_id)
    assert "working hours 07:00-11:00,11:30-15:00" in second.summary
    assert links_of(ctx, second.project_id) == links_of(ctx, first.project_id)
    assert lag_minutes_of(ctx, second.project_id) == {("Vendor call", "Write minutes"): 120}
    assert second.warnings == []


def test_a_calendar_working_to_midnight_ends_at_23_59(ctx: Context, tmp_path: Path) -> None:
    """MS Project's "24 Hours" calendar (00:00 to 00:00) becomes hours a project can keep,
    and says so."""
    week = dict.fromkeys(range(2, 7), "00:00-00:00")
    report = import_mspdi(ctx, write(tmp_path, calendar_plan(week, minutes_per_day=1440)))

    with ctx.db.read() as session:
        project = session.get(Project, report.project_id)
    assert project is not None and project.work_hours == "00:00-23:59"
    assert parse_working_hours(project.work_hours).minutes_per_day == 1439
    assert "Monday" in warning(report, "working hours to midnight end at 23:59")
    assert export_mspdi(ctx.db, report.project_code, ctx.today())  # written back whole


def test_pushed_part_day_tasks_come_back_with_their_own_start_rule(
    ctx: Context, tmp_path: Path
) -> None:
    """A 2h task planned for 09:00 but pushed to 13:00 by a morning's work, and a whole day
    after it pushed into the afternoon: the export says where each is and why ("Start No
    Earlier Than" its own start), and imported again each keeps its own start, its time of
    day and its length, whole days as whole days."""
    monday = date(2026, 6, 1)
    with ctx.transaction() as tx:
        s = tx.session
        project = Project(code="PUSH", name="Pushed", start_date=monday)
        s.add(project)
        s.flush()
        rows = [
            Task(project_id=project.id, name="Back up", sort_order=1, planned_start=monday,
                 planned_finish=monday, work_minutes=240),
            Task(project_id=project.id, name="Patch", sort_order=2, planned_start=monday,
                 planned_finish=monday, work_minutes=120, start_time=time(9)),
            Task(project_id=project.id, name="Watch", sort_order=3, planned_start=monday,
                 planned_finish=monday),
        ]  # fmt: skip
        s.add_all(rows)
        s.flush()
        s.add_all(Dependency(predecessor_id=a.id, successor_id=b.id) for a, b in pairwise(rows))
    exported = ET.fromstring(export_mspdi(ctx.db, "PUSH", ctx.today()))
    written = {
        t.findtext(f"{Q}Name"): (t.findtext(f"{Q}Start"), t.findtext(f"{Q}ConstraintDate"))
        for t in exported.iter(f"{Q}Task")
    }
    assert written["Patch"] == ("2026-06-01T13:00:00", "2026-06-01T09:00:00")
    assert written["Watch"] == ("2026-06-01T15:00:00", "2026-06-01T08:00:00")

    path = write(tmp_path, ET.tostring(exported, encoding="unicode"))
    report = import_mspdi(ctx, path, code="AGAIN")
    got = {
        name: (t.planned_start, t.start_time, t.planned_finish, t.work_minutes)
        for name, t in tasks_of(ctx, report.project_id).items()
    }
    assert got == {
        "Back up": (monday, None, monday, 240),
        "Patch": (monday, time(9), monday, 120),
        "Watch": (monday, None, monday, None),
    }
    assert report.warnings == []
