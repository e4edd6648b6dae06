"""vCard 4.0 contacts and iCalendar events of a project, read back with a small parser that
follows the RFCs: unfold, split name, parameters and value, unescape."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session, col, select

from itpm_tui.domain.enums import TaskStatus
from itpm_tui.errors import ItpmError, NotFoundError
from itpm_tui.formats.icalendar import escape_text, export_ics, fold, record_uid
from itpm_tui.formats.vcard import _tel, card_uid, export_vcard, split_name
from itpm_tui.queries.database_identity import database_uid
from itpm_tui.reports.clean import clean
from itpm_tui.reports.data import project_id_for_code
from itpm_tui.services.context import Context
from itpm_tui.storage.database import open_database, sqlite_url
from itpm_tui.storage.models import (
    DowntimeWindow,
    Project,
    ProjectStakeholder,
    Stakeholder,
    Task,
)

STAMP = datetime(2026, 3, 18, 9, 30, tzinfo=UTC)

# --- a reader for content lines ------------------------------------------------------------


class Rows:
    """Rows written straight to the file: the payloads below are what every way in refuses."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row


def unfold(data: str) -> list[str]:
    """Physical lines (CRLF) joined back into content lines (RFC 5545 §3.1)."""
    assert data.endswith("\r\n")
    out: list[str] = []
    for line in data[:-2].split("\r\n"):
        if line.startswith(" "):
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            current += value[i : i + 2]
            i += 2
        elif value[i] == sep:
            parts.append(current)
            current = ""
            i += 1
        else:
            current += value[i]
            i += 1
    return [*parts, current]


Prop = tuple[str, dict[str, str], str]  # name, parameters, raw value


def parse(data: str) -> list[list[Prop]]:
    """The components (VCARD or VEVENT) of a file, each a list of its properties."""
    components: list[list[Prop]] = []
    current: list[Prop] | None = None
    for line in unfold(data):
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        parameters = dict(p.split("=", 1) for p in params)
        if name == "BEGIN" and value in ("VCARD", "VEVENT"):
            current = []
        elif name == "END" and value in ("VCARD", "VEVENT"):
            assert current is not None
            components.append(current)
            current = None
        elif current is not None:
            current.append((name, parameters, value))
    return components


def prop(component: list[Prop], name: str) -> str:
    values = [v for n, _, v in component if n == name]
    assert len(values) == 1, (name, values)
    return values[0]


def check_physical_lines(data: str) -> None:
    assert "\n" not in data.replace("\r\n", ""), "bare LF"
    assert "\r" not in data.replace("\r\n", ""), "bare CR"
    for line in data.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line


# --- the content-line rules ------------------------------------------------------------------


def test_escape_text_escapes_the_four_specials() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("x\r\ny\x1b[31m\x07") == "x\\ny[31m"


def test_fold_never_splits_a_character_and_stays_within_75_octets() -> None:
    line = "SUMMARY:" + "Siobhán Kelly — ünïcødé " * 10
    folded = fold(line)
    for physical in folded.split("\r\n"):
        physical.encode("utf-8")  # each piece is whole characters
        assert len(physical.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


@given(st.text(max_size=400))
def test_escape_fold_unfold_unescape_round_trip(text: str) -> None:
    data = fold("DESCRIPTION:" + escape_text(text)) + "\r\n"
    check_physical_lines(data)
    (line,) = unfold(data)
    assert unescape(line.removeprefix("DESCRIPTION:")) == clean(text)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Dr. Jens Albrecht", ("Albrecht", "Jens", "", "Dr.", "")),
        ("Siobhán Kelly", ("Kelly", "Siobhán", "", "", "")),
        ("Anna Maria van Dijk", ("van Dijk", "Anna", "Maria", "", "")),
        ("Prof. Ana de la Cruz III", ("de la Cruz", "Ana", "", "Prof.", "III")),
        ("Martin Luther King Jr.", ("King", "Martin", "Luther", "", "Jr.")),
        ("John Smith, PhD", ("Smith", "John", "", "", "PhD")),
        ("Smith, John Paul", ("Smith", "John", "Paul", "", "")),
        ("Smith, John, Jr.", ("Smith", "John", "", "", "Jr.")),
        ("TANAKA Hiroshi", ("TANAKA", "Hiroshi", "", "", "")),
        ("NGUYEN Van An", ("NGUYEN", "Van", "An", "", "")),
        ("JOHN SMITH", ("SMITH", "JOHN", "", "", "")),  # all in capitals: the usual order
        ("John Jr.", ("Jr.", "John", "", "", "")),  # a suffix needs two words of name left
        ("Cher", ("Cher", "", "", "", "")),
        ("", ("", "", "", "", "")),
    ],
)
def test_split_name(name: str, parts: tuple[str, str, str, str, str]) -> None:
    assert split_name(name) == parts


PIECES = ["Ana", "ÉVA", "van", "de", "Dr.", "Jr.", "III", "PhD", "Smith", ",", " ", "a.b"]


@given(st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join))
def test_split_name_keeps_every_word(name: str) -> None:
    """The rule only sorts the words into fields: none is lost, none is made up."""
    words = name.replace(",", " ").split()
    assert sorted(" ".join(split_name(name)).split()) == sorted(words)


# --- vCard -----------------------------------------------------------------------------------


def test_vcard_of_the_firewall_project(demo_ctx: Context) -> None:
    data = export_vcard(demo_ctx.db, project_id_for_code(demo_ctx.db, "FW-26"), demo_ctx.today())
    check_physical_lines(data)
    cards = parse(data)
    names = sorted(unescape(prop(c, "FN")) for c in cards)
    assert names == ["Jana Keller", "Karin Vogel", "Stefan Brandt", "Tobias Lang"]
    assert data.count("BEGIN:VCARD\r\n") == data.count("END:VCARD\r\n") == 4
    karin = next(c for c in cards if prop(c, "FN") == "Karin Vogel")
    assert prop(karin, "VERSION") == "4.0"
    assert prop(karin, "N") == "Vogel;Karin;;;"
    assert unescape(prop(karin, "ORG")) == "Nordwind Logistics GmbH"
    assert unescape(prop(karin, "TITLE")) == "CFO"
    assert unescape(prop(karin, "ROLE")) == "Sponsor"
    assert prop(karin, "EMAIL") == "k.vogel@nordwind-logistics.de"
    tel = next(p for p in karin if p[0] == "TEL")
    assert tel[1]["VALUE"] == "uri" and tel[2] == "tel:+49-40-5550-2100"
    note = unescape(prop(karin, "NOTE"))
    assert "Type: sponsor." in note
    assert "Preferred channel: meeting; update cadence: monthly." in note
    assert "Wants cost and risk on one page; no jargon." in note
    assert prop(karin, "UID").startswith("urn:uuid:")
    again = parse(
        export_vcard(demo_ctx.db, project_id_for_code(demo_ctx.db, "FW-26"), demo_ctx.today())
    )
    assert [prop(c, "UID") for c in again] == [prop(c, "UID") for c in cards]


def test_vcard_escapes_and_folds_awkward_text(ctx: Context) -> None:
    awkward = "Smith, John; Jr\\ the \u00fcber-long name of a person with a very long name indeed"
    notes = "First line, with comma; semicolon\nSecond line \x1b]52;c;x\x07 end"
    with ctx.db.write() as session:  # as anyone with the file could: itpm refuses it
        tx = Rows(session)
        project = tx.create(Project(code="VC-1", name="Cards"))
        person = tx.create(
            Stakeholder(
                name=awkward,
                organisation="A;B, C",
                title="Head\\of IT",
                kind="vendor",
                phone="030 1234 567",
                notes=notes,
            )
        )
        tx.create(ProjectStakeholder(project_id=project.id, stakeholder_id=person.id, role="x,y"))
    data = export_vcard(ctx.db, int(project.id), ctx.today())
    check_physical_lines(data)
    assert any(line.startswith(" ") for line in data.split("\r\n"))  # something was folded
    (card,) = parse(data)
    assert unescape(prop(card, "FN")) == awkward
    assert unescape(prop(card, "ORG")) == "A;B, C"
    assert unescape(prop(card, "TITLE")) == "Head\\of IT"
    assert unescape(prop(card, "ROLE")) == "x,y"
    family, given_name, additional, prefixes, suffixes = (
        unescape(p) for p in split_unescaped(prop(card, "N"), ";")
    )
    assert (family, given_name, prefixes, suffixes) == ("Smith", "John;", "", "")
    assert additional.startswith("Jr\\ the über-long")
    note = unescape(prop(card, "NOTE"))
    assert "First line, with comma; semicolon\nSecond line ]52;c;x end" in note
    assert "\x1b" not in data and "\x07" not in data
    tel = next(p for p in card if p[0] == "TEL")
    assert tel[1]["VALUE"] == "text" and tel[2] == "030 1234 567"


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("+33 4 72 55 01 10", "tel:+33-4-72-55-01-10"),
        ("+44 (0)20 7946 0000", "tel:+44-20-7946-0000"),
        ("+49 (0) 7531 555-200", "tel:+49-7531-555-200"),
        ("+1 (212) 555-0100", "tel:+1-212-555-0100"),
    ],
)
def test_vcard_tel_uri_dials_the_number_written(phone: str, uri: str) -> None:
    """The "(0)" trunk prefix of an international number is not dialled from abroad."""
    assert _tel(phone) == f"TEL;VALUE=uri;TYPE=work,voice:{uri}"


def _one_of_each(db_path: Path) -> tuple[str, str]:
    """A new database with one project, milestone, window and stakeholder: its vCard and
    iCalendar text."""
    db = open_database(sqlite_url(db_path))
    with db.write() as session:
        tx = Rows(session)
        project = tx.create(Project(code="UID", name="Same ids", start_date=TODAY))
        tx.create(Task(project_id=project.id, name="Live", is_milestone=True, planned_start=TODAY))
        start = datetime(2026, 3, 20, 22)
        tx.create(
            DowntimeWindow(
                project_id=project.id, title="Cut", starts_at=start, ends_at=start.replace(hour=23)
            )
        )
        person = tx.create(Stakeholder(name="Karin Vogel", kind="sponsor"))
        tx.create(ProjectStakeholder(project_id=project.id, stakeholder_id=person.id))
    pid = int(project.id)
    texts = export_vcard(db, pid, TODAY), export_ics(db, pid, now=STAMP)
    db.dispose()
    return texts


def test_two_databases_never_share_a_uid_and_each_keeps_its_own(tmp_path: Path) -> None:
    """Both databases number their first records 1: the UIDs still differ, because each
    database has its own identity; exporting one database again gives the same UIDs."""
    first = _one_of_each(tmp_path / "a.db")
    second = _one_of_each(tmp_path / "b.db")

    def uids(texts: tuple[str, str]) -> set[str]:
        return {prop(item, "UID") for text in texts for item in parse(text)}

    assert len(uids(first)) == len(uids(second)) == 3
    assert uids(first).isdisjoint(uids(second))
    db = open_database(sqlite_url(tmp_path / "a.db"))
    again = export_vcard(db, 1, TODAY), export_ics(db, 1, now=STAMP)
    db.dispose()
    assert uids(again) == uids(first)
    database = uuid.UUID(re.sub(r"^milestone-1-(.*)@itpm$", r"\1", prop(parse(first[1])[0], "UID")))
    assert database.version == 4  # random, made when the database was created
    assert uids(first) == {
        card_uid(database, 1),
        record_uid(database, "milestone", 1),
        record_uid(database, "downtime", 1),
    }


def test_uids_need_the_database_identity(ctx: Context) -> None:
    """A database whose schema predates the identity is told to upgrade, not exported with
    UIDs that could collide."""
    with ctx.db.write() as session:
        session.execute(text("DELETE FROM databaseidentity"))
        tx = Rows(session)
        project = tx.create(Project(code="OLD", name="Old"))
    with pytest.raises(ItpmError, match="itpm db upgrade"):
        export_ics(ctx.db, int(project.id), now=STAMP)


def test_vcard_of_unknown_project(demo_ctx: Context) -> None:
    with pytest.raises(NotFoundError):
        export_vcard(demo_ctx.db, 9999, demo_ctx.today())


# --- iCalendar -------------------------------------------------------------------------------


def test_ics_of_the_firewall_project(demo_ctx: Context) -> None:
    pid = project_id_for_code(demo_ctx.db, "FW-26")
    data = export_ics(demo_ctx.db, pid, now=STAMP)
    check_physical_lines(data)
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:-//itpm//") for line in lines)
    events = parse(data)
    with demo_ctx.db.read() as session:
        milestones = session.exec(
            select(Task).where(col(Task.project_id) == pid, col(Task.is_milestone) == True)  # noqa: E712
        ).all()
        windows = session.exec(
            select(DowntimeWindow).where(col(DowntimeWindow.project_id) == pid)
        ).all()
    assert len(events) == len(milestones) + len(windows) == 3 + 2
    by_uid = {prop(e, "UID"): e for e in events}
    assert len(by_uid) == len(events)
    database = database_uid(demo_ctx.db)
    for event in events:
        assert prop(event, "DTSTAMP") == "20260318T093000Z"
        assert unescape(prop(event, "SUMMARY")).startswith("FW-26")
    for task in milestones:
        event = by_uid[record_uid(database, "milestone", int(task.id))]  # type: ignore[arg-type]
        assert task.planned_finish is not None
        day = (task.actual_finish if task.status == TaskStatus.DONE.value else None) or (
            task.planned_finish
        )
        start = next(p for p in event if p[0] == "DTSTART")
        end = next(p for p in event if p[0] == "DTEND")
        assert start[1] == {"VALUE": "DATE"} and start[2] == day.strftime("%Y%m%d")
        assert end[2] == date.fromordinal(day.toordinal() + 1).strftime("%Y%m%d")
        assert unescape(prop(event, "SUMMARY")) == f"FW-26: {task.name}"
    hq = by_uid[record_uid(database, "downtime", int(windows[0].id))]  # type: ignore[arg-type]
    assert prop(hq, "DTSTART") == windows[0].starts_at.strftime("%Y%m%dT%H%M%S")  # floating
    assert prop(hq, "DTEND") == windows[0].ends_at.strftime("%Y%m%dT%H%M%S")
    assert prop(hq, "STATUS") == "CONFIRMED"
    description = unescape(prop(hq, "DESCRIPTION"))
    assert "Systems down: Internet, site-to-site VPN, warehouse scanners (HQ)." in description
    assert "local time at the site" in description
    # The same items keep their UIDs on the next export.
    later = export_ics(demo_ctx.db, pid, now=datetime(2026, 4, 1, tzinfo=UTC))
    assert sorted(prop(e, "UID") for e in parse(later)) == sorted(by_uid)


def test_ics_escapes_user_text(ctx: Context) -> None:
    title = "Cut-over; core, edge \\ and\nthe rest"
    with ctx.db.write() as session:  # as anyone with the file could: itpm refuses it
        tx = Rows(session)
        project = tx.create(Project(code="ICS-1", name="Calendar, test; one"))
        pid = int(project.id)
        tx.create(
            Task(
                project_id=pid,
                name="Go-live \x1b[2J, at last",
                is_milestone=True,
                planned_start=TODAY,
                planned_finish=TODAY,
            )
        )
        tx.create(
            DowntimeWindow(
                project_id=pid,
                title=title,
                starts_at=datetime(2026, 3, 20, 22),
                ends_at=datetime(2026, 3, 21, 2),
                systems="mail; web",
            )
        )
    data = export_ics(ctx.db, pid, now=STAMP)
    check_physical_lines(data)
    milestone, window = parse(data)
    assert unescape(prop(milestone, "SUMMARY")) == "ICS-1: Go-live [2J, at last"
    assert unescape(prop(window, "SUMMARY")) == f"ICS-1 downtime: {title}"
    assert prop(window, "STATUS") == "TENTATIVE"
    assert "Calendar, test; one" in unescape(prop(window, "DESCRIPTION"))
    assert "\x1b" not in data


def test_ics_of_unknown_project(demo_ctx: Context) -> None:
    with pytest.raises(NotFoundError):
        export_ics(demo_ctx.db, 9999, now=STAMP)
