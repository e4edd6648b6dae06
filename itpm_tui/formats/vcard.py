"""One project's stakeholders as vCard 4.0 (RFC 6350), for an address book or a phone.

Each card carries the name (FN, and N split into prefix, given, middle and family name),
organisation, job title, the role on this project, e-mail, phone (a ``tel:`` URI when the
number is international) and a NOTE saying the stakeholder's type, preferred channel and
cadence — what the PM needs when picking up the phone. Lines are escaped, folded at 75
octets and end in CRLF, as in iCalendar.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from itpm_tui.errors import NotFoundError
from itpm_tui.formats.icalendar import content_lines, escape_text
from itpm_tui.queries.portfolio import project_detail
from itpm_tui.queries.stakeholders import Contact, contacts
from itpm_tui.reports.clean import one_line
from itpm_tui.storage.database import Database

PRODID = "-//itpm//itpm//EN"
#: Words before a name that are honorifics, not given names.
PREFIXES = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx"})
#: A namespace for the cards' UIDs: the same stakeholder gets the same UID on every export.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://itpm.invalid/stakeholder")


def split_name(full: str) -> tuple[str, str, str, str]:
    """(family, given, additional, prefixes) of a name written "Dr. Jens Albrecht"."""
    words = one_line(full).split()
    prefixes = []
    while len(words) > 1 and words[0].casefold() in PREFIXES:
        prefixes.append(words.pop(0))
    if not words:
        return "", "", "", " ".join(prefixes)
    if len(words) == 1:
        return words[0], "", "", " ".join(prefixes)
    return words[-1], words[0], " ".join(words[1:-1]), " ".join(prefixes)


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


def card_lines(person: Contact, role: str, code: str) -> list[str]:
    family, given, additional, prefixes = split_name(person.name)
    structured = ";".join(escape_text(part) for part in (family, given, additional, prefixes, ""))
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
        f"UID:urn:uuid:{uuid.uuid5(_NAMESPACE, str(person.id))}",
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
    lines: list[str] = []
    for person in contacts(db, today):
        for link in person.projects:
            if link.project_id == project_id:
                lines += card_lines(person, link.role, project.code)
                break
    return content_lines(lines)
