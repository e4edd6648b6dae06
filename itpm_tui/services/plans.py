"""Writes of whole plans: a plan read from a file becomes one new project in one transaction.

The file formats read and check everything first and hand over plain data; this adds the
project, its tasks level by level, their links, the assignees (matched to people already on
the team by e-mail or name, else added) and the day's progress snapshot (where the burn-down
starts), with one activity entry, so a failure leaves no trace.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, col, select

from itpm_tui.domain.enums import Phase
from itpm_tui.domain.holidays import DayOff
from itpm_tui.domain.people import PersonDraft, validate_person
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.schedule import Link
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.domain.validation import EMAIL_RE, ValidationError
from itpm_tui.services.context import Context
from itpm_tui.services.tasks import record_progress
from itpm_tui.storage.models import Dependency, Holiday, Person, Project, Task


@dataclass(frozen=True)
class NewResource:
    """A person a plan assigns work to, by the file's resource UID."""

    uid: int
    name: str
    email: str = ""


@dataclass(frozen=True)
class NewTask:
    """A checked task of a plan; `uid` and `parent` are the file's ids, not itpm's."""

    uid: int
    draft: TaskDraft
    parent: int | None = None  # listed before its children
    position: int = 0
    wbs: str = ""
    baseline_start: date | None = None
    baseline_finish: date | None = None
    resource: int | None = None  # the assignee's NewResource.uid


@dataclass(frozen=True)
class NewPlan:
    name: str
    source: str  # the file name, for the activity log
    tasks: list[NewTask]
    links: list[Link]  # between NewTask uids
    resources: list[NewResource] = field(default_factory=list)  # the assignees, in order
    start: date | None = None
    end: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    #: The plan's own non-working days, made the project's holidays (those every project
    #: already has off are left out).
    holidays: list[DayOff] = field(default_factory=list)
    #: The plan calendar's working hours, as `project.work_hours` stores them ("" standard).
    work_hours: str = ""


@dataclass(frozen=True)
class AddedPlan:
    project_id: int
    code: str
    name: str
    people_matched: int = 0
    people_created: int = 0
    invalid_emails: list[str] = field(default_factory=list)  # resource names
    holidays: int = 0  # the plan's non-working days added to the project's calendar


def add_plan(ctx: Context, plan: NewPlan, *, code: str | None = None) -> AddedPlan:
    """Add `plan` as one new project in phase planning; `code` names it, else a unique code is
    derived from its name. Refused codes raise `ValidationError` and nothing is written."""
    if code is not None:
        validate_project(ProjectDraft(code=code, name=plan.name))
    invalid: list[str] = []
    with ctx.transaction() as tx:
        session = tx.session
        chosen = _choose_code(session, code, plan.name)
        draft = validate_project(
            ProjectDraft(
                code=chosen,
                name=plan.name,
                phase=Phase.PLANNING.value,
                start_date=plan.start,
                end_date=plan.end,
                currency="EUR",
            )
        )
        project = Project(
            **draft.__dict__,
            baseline_start=plan.baseline_start,
            baseline_end=plan.baseline_finish,
            work_hours=plan.work_hours,
        )
        session.add(project)
        session.flush()
        project_id = _id(project)
        people, matched, created = _people(session, plan.resources, invalid)
        ids = _insert_tasks(session, plan.tasks, project_id, people)
        session.add_all(
            Dependency(
                predecessor_id=ids[link.predecessor],
                successor_id=ids[link.successor],
                kind=link.kind,
                lag_days=link.lag,
                lag_minutes=link.lag_minutes,
            )
            for link in plan.links
        )
        common = set(
            session.exec(select(col(Holiday.day)).where(col(Holiday.project_id).is_(None))).all()
        )
        own = {d.day: d for d in plan.holidays if d.day not in common}
        session.add_all(
            Holiday(project_id=project_id, day=d.day, name=d.name)
            for d in sorted(own.values(), key=lambda d: d.day)
        )
        session.flush()
        if plan.tasks:  # the burn-down starts from the plan as imported, with its progress
            record_progress(tx, project_id, ctx.today())
        tx.log(
            "project",
            project_id,
            "import",
            project_id=project_id,
            summary=f"imported {len(plan.tasks)} tasks, {len(plan.links)} links"
            + (f", {len(own)} non-working day{'s' if len(own) > 1 else ''}" if own else "")
            + f" from {plan.source}",
        )
    return AddedPlan(project_id, draft.code, draft.name, matched, created, invalid, len(own))


def _insert_tasks(
    session: Session, tasks: list[NewTask], project_id: int, people: dict[int, int]
) -> dict[int, int]:
    """Insert level by level, so each level is one batch and parents have ids already."""
    ids: dict[int, int] = {}
    by_depth: dict[int, list[NewTask]] = {}
    depth: dict[int, int] = {}
    for task in tasks:
        depth[task.uid] = 0 if task.parent is None else depth[task.parent] + 1
        by_depth.setdefault(depth[task.uid], []).append(task)
    for level in sorted(by_depth):
        rows: list[tuple[int, Task]] = []
        for task in by_depth[level]:
            draft = replace(
                task.draft,
                parent_id=None if task.parent is None else ids[task.parent],
                assignee_id=None if task.resource is None else people.get(task.resource),
            )
            row = Task(
                **draft.__dict__,
                project_id=project_id,
                sort_order=task.position,
                wbs=task.wbs,
                baseline_start=task.baseline_start,
                baseline_finish=task.baseline_finish,
            )
            rows.append((task.uid, row))
        session.add_all(row for _, row in rows)
        session.flush()
        ids.update((uid, _id(row)) for uid, row in rows)
    return ids


def _id(row: Project | Task | Person) -> int:
    """The id of a flushed row (SQLModel types it optional until then)."""
    assert row.id is not None
    return row.id


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _people(
    session: Session, used: list[NewResource], invalid: list[str]
) -> tuple[dict[int, int], int, int]:
    """Resource UID → person id for the assignees: an existing person with the same e-mail or
    name, else a new one with a unique handle. Returns (mapping, matched, created); the names
    whose e-mail address was left out as not valid are appended to `invalid`."""
    if not used:
        return {}, 0, 0
    existing = session.exec(select(Person).order_by(col(Person.id))).all()
    by_email: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for person in existing:
        if person.email:
            by_email.setdefault(person.email.casefold(), _id(person))
        by_name.setdefault(_fold(person.name), _id(person))
    handles = {p.handle for p in existing}
    mapping: dict[int, int] = {}
    matched = created = 0
    for resource in used:
        email = resource.email.strip()
        found = by_email.get(email.casefold()) if email else None
        if found is None:
            found = by_name.get(_fold(resource.name))
        if found is not None:
            mapping[resource.uid] = found
            matched += 1
            continue
        if email and not EMAIL_RE.fullmatch(email):
            invalid.append(resource.name)
            email = ""
        handle = _unique(_handle(resource.name), handles, 40, ".")
        clean = validate_person(PersonDraft(name=resource.name, handle=handle, email=email))
        person = Person(**clean.__dict__)
        session.add(person)
        session.flush()
        handles.add(person.handle)
        person_id = _id(person)
        mapping[resource.uid] = person_id
        by_name[_fold(person.name)] = person_id
        if email:
            by_email[email.casefold()] = person_id
        created += 1
    return mapping, matched, created


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _handle(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", _ascii(name).lower())
    return ".".join(words)[:40].strip(".") or "person"


def _unique(base: str, taken: set[str], limit: int, sep: str, fold: bool = False) -> str:
    """`base`, or `base-2`, `base-3`, ... cut to `limit` characters, not yet in `taken`."""
    key = str.upper if fold else (lambda s: s)
    taken_keys = {key(t) for t in taken}
    if key(base) not in taken_keys:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: limit - len(suffix)].rstrip(sep + "-") + suffix
        if key(candidate) not in taken_keys:
            return candidate
        n += 1


def _derive_code(name: str) -> str:
    """OFFICE-MOVE-2026 from "Office move 2026": readable, and valid as a project code."""
    words = re.findall(r"[A-Z0-9]+", _ascii(name).upper())
    code = ""
    for word in words:
        candidate = f"{code}-{word}" if code else word
        if len(candidate) > 16:
            break
        code = candidate
    if not code and words:
        code = words[0][:16]
    code = code.lstrip("0123456789-")
    if len(code) < 2:
        code = f"PLAN-{code}".rstrip("-") if code else "PLAN"
    return code


def _choose_code(session: Session, code: str | None, name: str) -> str:
    taken = set(session.exec(select(Project.code)).all())
    if code is not None:
        wanted = code.strip().upper()
        if wanted in {t.upper() for t in taken}:
            raise ValidationError("code", f"'{wanted}' is already used by another project")
        return wanted
    return _unique(_derive_code(name), taken, 20, "-", fold=True)
