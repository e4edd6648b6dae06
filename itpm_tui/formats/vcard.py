"""One project's stakeholders as vCard 4.0 (RFC 6350), for an address book or a phone.

Each card carries the name (FN as typed, and N split into prefix, given, middle and family
name and suffix by the rule of `split_name`),
organisation, job title, the role on this project, e-mail, phone (a ``tel:`` URI when the
number is international) and a NOTE saying the stakeholder's type, preferred channel and
cadence — what the PM needs when picking up the phone. Lines are escaped, folded at 75
octets and end in CRLF, as in iCalendar.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import NamedTuple

from itpm_tui.errors import NotFoundError
from itpm_tui.formats.icalendar import content_lines, escape_text
from itpm_tui.queries.database_identity import database_uid
from itpm_tui.queries.portfolio import project_detail
from itpm_tui.queries.stakeholders import Contact, contacts
from itpm_tui.reports.clean import one_line
from itpm_tui.storage.database import Database

PRODID = "-//itpm//itpm//EN"
#: Words before a name that are honorifics, not given names.
PREFIXES = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx"})
#: Words after a name that are generations or degrees, not family names.
SUFFIXES = frozenset(
    {
        "jr",
        "jr.",
        "sr",
        "sr.",
        "ii",
        "iii",
        "iv",
        "phd",
        "ph.d.",
        "md",
        "m.d.",
        "mba",
        "esq",
        "esq.",
    }
)
#: Lower-case words before the last one that belong to the family name ("van Dijk").
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos",
     "das", "ter", "ten", "zu", "bin", "binti", "al"}
)  # fmt: skip


class Name(NamedTuple):
    """The structured name of a vCard (RFC 6350 §6.2.2: N), in its order."""

    family: str
    given: str
    additional: str
    prefixes: str
    suffixes: str


def split_name(full: str) -> Name:
    """The parts of a name as typed; the rule, in this order (docs/reports.md):

    1. honorifics in front (Dr., Prof., Mr., Mrs., Ms., Mx) are prefixes; generations and
       degrees at the end, after a comma or not (Jr., Sr., II, III, IV, PhD, MD, MBA, Esq.),
       are suffixes, as long as two words of name remain;
    2. "Family, Given Middle": the part before a comma is the family name;
    3. family name first in capitals ("TANAKA Hiroshi", "NGUYEN Van An"): the leading words
       in capitals are the family name (a name all in capitals is not read this way);
    4. otherwise the last word is the family name, with the lower-case particles before it
       ("Anna Maria van Dijk": "van Dijk"), the first word the given name and the words
       between additional names.
    FN always keeps the name as typed, so an address book shows it whatever N says.
    """
    pieces = [p for p in (part.split() for part in one_line(full).split(",")) if p]
    suffixes: list[str] = []
    while len(pieces) > 1 and all(_is(w, SUFFIXES) for w in pieces[-1]):  # "Smith, John, Jr."
        suffixes[:0] = pieces.pop()
    while pieces and _size(pieces) > 2 and len(pieces[-1]) > 1 and _is(pieces[-1][-1], SUFFIXES):
        suffixes.insert(0, pieces[-1].pop())  # "Martin Luther King Jr."
    prefixes: list[str] = []
    while pieces and _size(pieces) > 1 and _is(pieces[0][0], PREFIXES):
        prefixes.append(pieces[0].pop(0))
        pieces = [p for p in pieces if p]
    before, after = " ".join(prefixes), " ".join(suffixes)
    if len(pieces) == 2:
        family, given = pieces
        return Name(" ".join(family), given[0], " ".join(given[1:]), before, after)
    words = [w for p in pieces for w in p]
    if len(words) < 2:
        return Name(" ".join(words), "", "", before, after)
    capitals = 0
    while capitals < len(words) and _capitals(words[capitals]):
        capitals += 1
    if 0 < capitals < len(words):
        rest = words[capitals:]
        return Name(" ".join(words[:capitals]), rest[0], " ".join(rest[1:]), before, after)
    first_family = len(words) - 1
    while first_family > 1 and words[first_family - 1] in PARTICLES:
        first_family -= 1
    family, middle = words[first_family:], words[1:first_family]
    return Name(" ".join(family), words[0], " ".join(middle), before, after)


def _size(pieces: list[list[str]]) -> int:
    return sum(len(p) for p in pieces)


def _is(word: str, words: frozenset[str]) -> bool:
    return word.casefold() in words


def _capitals(word: str) -> bool:
    """A word written in capitals (two letters or more), as a family name put first is."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _tel(phone: str) -> str:
    """TEL as a tel: URI (RFC 3966 global number) when it starts with +, else as text.

    A trunk prefix written "(0)" after the country code ("+44 (0)20 7946 0000") is not
    dialled from abroad, so it is left out of the URI: keeping it would call another number.
    """
    number = one_line(phone)
    if number.startswith("+") and re.fullmatch(r"\+[0-9 ().\-]+", number):
        digits = re.sub(r"\(\s*0\s*\)", " ", number)
        digits = re.sub(r"[ ()]+", "-", digits).strip("-")
        digits = re.sub(r"-{2,}", "-", digits)
        return f"TEL;VALUE=uri;TYPE=work,voice:tel:{digits}"
    return f"TEL;VALUE=text;TYPE=work,voice:{escape_text(number)}"


def card_uid(database: uuid.UUID, stakeholder_id: int) -> str:
    """The card's UID: a UUID made from the database's own (`database_uid`) and the
    stakeholder's id, so it is the same on every export of this database and an address book
    holding cards of two databases never merges two people."""
    return f"urn:uuid:{uuid.uuid5(database, f'stakeholder-{stakeholder_id}')}"


def card_lines(person: Contact, role: str, code: str, database: uuid.UUID) -> list[str]:
    structured = ";".join(escape_text(part) for part in split_name(person.name))
    note = [f"Type: {person.kind}."]
    if role:
        note.append(f"Role on {code}: {one_line(role)}.")
    note.append(f"Preferred channel: {person.channel}; update cadence: {person.cadence}.")
    if person.notes:
        note.append(person.notes)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"PRODID:{PRODID}",
        f"UID:{card_uid(database, person.id)}",
        "KIND:individual",
        f"FN:{escape_text(one_line(person.name))}",
        f"N:{structured}",
    ]
    if person.organisation:
        lines.append(f"ORG:{escape_text(one_line(person.organisation))}")
    if person.title:
        lines.append(f"TITLE:{escape_text(one_line(person.title))}")
    if role:
        lines.append(f"ROLE:{escape_text(one_line(role))}")
    if person.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(one_line(person.email))}")
    if person.phone:
        lines.append(_tel(person.phone))
    lines.append(f"CATEGORIES:{escape_text(person.kind)}")
    lines.append(f"NOTE:{escape_text(chr(10).join(note))}")
    lines.append("END:VCARD")
    return lines


def export_vcard(db: Database, project_id: int, today: date) -> str:
    """Every stakeholder of the project, one card each by name, as text with CRLF line ends."""
    project = project_detail(db, project_id)
    if project is None:
        raise NotFoundError(f"project {project_id} does not exist")
    database = database_uid(db)
    lines: list[str] = []
    for person in contacts(db, today):
        for link in person.projects:
            if link.project_id == project_id:
                lines += card_lines(person, link.role, project.code, database)
                break
    return content_lines(lines)
