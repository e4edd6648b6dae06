"""Escape payloads on every screen: no stored text reaches the terminal as a control sequence.

The way issue 14 found the leaks, as a script anyone can rerun:

    PYTHONPATH=. python tests/robustness/escapes.py [--short] [--seed N] [--keep DIR]

1. From an EMPTY database, a portfolio is built through the services (people, a project
   with a plan, links, a downtime window, a non-working day, budget lines, ledger entries, a
   risk, a change request, a contact with a log entry, a deliverable, a sign-off, lessons,
   a baseline; a second project for the roadmap and the pickers).
2. Then, as "anyone with access to the database" would, raw SQL writes a payload into every
   text column of every table that holds text a person wrote (`poison`; the columns that
   hold codes of the program — enumerations, currency codes, ids — are listed in `CODED`).
   Each payload holds the sequences of the issue: OSC 52 (clipboard), OSC 0 (window
   title), CSI 2J (clear screen), OSC 8 (hyperlink), a C1 CSI, BEL and backspace — each
   right after the marker ``ZQ``, so a leak in the raw output is unambiguous.
3. The real app runs in tmux at 80×24 (a private tmux server), its raw output captured with
   ``pipe-pane``; every screen is visited (keys 1–8), every dialog and form opened (`VISITS`),
   then the kiosk (``itpm standup``) pages and the command-line text commands run in the
   same terminal.
4. The captured bytes are searched (`leaks`) for a control character right after a marker,
   any raw C1 control, the payloads' OSC 52 / OSC 0 / OSC 8 sequences, and any OSC kind
   that the same visit of the clean portfolio does not emit (the baseline, measured in a
   full run).

`run(full, seed)` returns the figures, ``{"screens": …, "dialogs": …, "commands": …,
"columns": …, "leaks": 0}`` with ``leaks`` 0 when nothing got through; the short version
(``full=False``) is the one the normal suite runs (tests/test_escape_payloads.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 18)  # a Wednesday
USER = "ana"
MARK = "ZQ"
#: Each control sequence of the issue, every control character right after the marker.
SEQUENCES = (
    f"{MARK}\x1b]52;c;UFdORUQ=\x07",  # OSC 52: write the clipboard
    f"{MARK}\x1b]0;PWNED\x07",  # OSC 0: the window title
    f"{MARK}\x1b[2J",  # clear the screen
    f"{MARK}\x1b]8;;http://evil.example/{MARK}\x1b\\",  # OSC 8: a planted hyperlink
    f"{MARK}\x9b31m",  # C1 CSI: red, in one byte
    f"{MARK}\x07",  # BEL
    f"{MARK}\x08",  # backspace
)
#: Columns that hold the program's own codes (an enumeration, a currency code, ids, the
#: schema version): not text a person wrote, and read back through their enumerations.
CODED = frozenset(
    {
        "alembic_version.version_num",
        "activity.entity",
        "activity.action",
        "activity.field",
        "project.phase",
        "project.status",
        "project.currency",
        "person.cost_currency",
        "task.status",
        "task.wbs",
        "dependency.kind",
        "ledgerentry.kind",
        "risk.category",
        "risk.response",
        "risk.status",
        "changerequest.status",
        "stakeholder.kind",
        "stakeholder.channel",
        "stakeholder.cadence",
        "communicationentry.channel",
        "schedulestate.critical_path",
        "schedulestate.schedule_error",
        "taskschedule.wbs",
        "person.role",
    }
)


def payload(seed: int, column: int) -> str:
    """The sequences, starting at a different one for each column (a cell cut short still
    carries a sequence), after a visible tag naming the column."""
    rng = random.Random(seed * 1000 + column)
    start = rng.randrange(len(SEQUENCES))
    return "".join(SEQUENCES[(start + i) % len(SEQUENCES)] for i in range(len(SEQUENCES)))


# --- 1. the portfolio, from an empty database, through the services -------------------------


def build(db_path: Path) -> None:
    """A small portfolio with one row in every table a person fills, written as the app
    writes (the services, one transaction each)."""
    from itpm_tui.domain.change_control import ChangeDraft
    from itpm_tui.domain.closing import DeliverableDraft
    from itpm_tui.domain.downtime import WindowDraft
    from itpm_tui.domain.holidays import DayOff
    from itpm_tui.domain.ledger import BudgetLineDraft, EntryDraft
    from itpm_tui.domain.people import PersonDraft
    from itpm_tui.domain.predecessors import PredecessorRef
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.domain.risk import RiskDraft
    from itpm_tui.domain.stakeholders import ContactDraft, LogDraft
    from itpm_tui.domain.tasks import TaskDraft
    from itpm_tui.services import (
        budget_lines,
        change_requests,
        closing,
        downtime,
        holidays,
        ledger,
        my_work,
        outline_edits,
        people,
        projects,
        risks,
        stakeholders,
        tasks,
    )
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database, sqlite_url
    from itpm_tui.storage.models import Project

    db = open_database(sqlite_url(db_path))

    def shown(project_id: int) -> int:
        """The project's version, as a form would show it before the edit."""
        with db.read() as session:
            project = session.get(Project, project_id)
            assert project is not None
            return project.version

    try:
        ctx = Context(db, USER, clock=lambda: TODAY)
        ana = people.add_person(
            ctx,
            PersonDraft(
                "Ana Berg", USER, role="pm", email="ana@example.com", phone="+44 1", skills="PM"
            ),
        )
        ben = people.add_person(
            ctx, PersonDraft("Ben Okafor", "ben", role="technician", skills="Cisco, VoIP")
        )
        start = TODAY - timedelta(days=14)
        pid = projects.create_project(
            ctx,
            ProjectDraft(
                "ESC-1",
                "Firewall upgrade",
                client="Acme",
                sponsor="Dana",
                manager_id=ana,
                phase="execution",
                start_date=start,
                end_date=TODAY + timedelta(days=60),
                objective="Replace the firewalls",
                scope="Two sites",
                kpis="No outage",
            ),
        )
        projects.create_project(
            ctx,
            ProjectDraft(
                "ESC-2", "Laptop roll-out", client="Acme", manager_id=ana, start_date=TODAY
            ),
        )
        phase = outline_edits.add_task(ctx, pid, TaskDraft("Design", planned_start=start))
        survey = outline_edits.add_task(
            ctx,
            pid,
            TaskDraft(
                "Survey site",
                planned_start=start,
                planned_finish=start + timedelta(days=20),
                estimate_hours=Decimal(16),
                assignee_id=ana,
                description="Walk the racks",
            ),
            parent=phase,
        )
        cutover = outline_edits.add_task(
            ctx,
            pid,
            TaskDraft(
                "Cut-over",
                estimate_hours=Decimal(8),
                assignee_id=ana,
                needs_downtime=True,
                planned_start=TODAY + timedelta(days=2),
            ),
            parent=phase,
            predecessors=[PredecessorRef(survey)],
        )
        outline_edits.add_task(
            ctx,
            pid,
            TaskDraft("Go live", is_milestone=True, planned_start=TODAY + timedelta(days=9)),
            predecessors=[PredecessorRef(cutover)],
        )
        my_work.start_task(ctx, survey, note="on it")
        my_work.block_task(ctx, cutover, reason="waiting for the vendor")
        tasks.set_baseline(ctx, pid)
        downtime.add_window(
            ctx,
            pid,
            WindowDraft(
                "Firewall swap",
                f"{(TODAY + timedelta(days=3)).isoformat()} 22:00",
                f"{(TODAY + timedelta(days=4)).isoformat()} 02:00",
                systems="edge",
                task_id=cutover,
            ),
        )
        holidays.add_holidays(ctx, [DayOff(TODAY + timedelta(days=20), "Office closed")])
        budget_lines.add_budget_line(ctx, pid, BudgetLineDraft("hardware", "Firewalls", "9000"))
        ledger.add_entry(
            ctx,
            pid,
            EntryDraft(
                TODAY - timedelta(days=3),
                "NetShop",
                "hardware",
                "Two firewalls",
                "4200.00",
                invoice_ref="INV-1",
            ),
        )
        risks.add_risk(
            ctx,
            pid,
            RiskDraft(
                "Vendor late",
                4,
                4,
                owner_id=ben,
                description="Stock",
                mitigation="Order early",
                contingency="Rent a box",
                trigger="No ship date",
                review_date=TODAY + timedelta(days=7),
            ),
        )
        change_requests.add_change(
            ctx,
            pid,
            ChangeDraft(
                "Third site",
                TODAY - timedelta(days=1),
                requested_by="Dana",
                description="Add the depot",
                cost_impact="1500",
                schedule_impact_days="3",
            ),
        )
        contact = stakeholders.add_contact(
            ctx,
            ContactDraft(
                "Dana Reyes",
                organisation="Acme",
                title="IT manager",
                kind="sponsor",
                email="dana@example.com",
                phone="+44 2",
                notes="Prefers calls",
                projects="ESC-1: Sponsor",
            ),
        )
        stakeholders.add_log_entry(
            ctx,
            contact,
            LogDraft(TODAY - timedelta(days=2), "phone", "Ana", "Agreed the window", pid),
        )
        closing.add_deliverable(
            ctx,
            pid,
            DeliverableDraft(
                "As-built",
                description="Diagrams",
                acceptance_criteria="Signed",
                due_date=TODAY + timedelta(days=30),
            ),
        )
        closing.record_sign_off(ctx, pid, "Dana Reyes", TODAY, expected_version=shown(pid))
        closing.set_lessons(ctx, pid, "Order hardware early", expected_version=shown(pid))
        del ben
    finally:
        db.dispose()


# --- 2. a payload in every text column, by hand -------------------------------------------


def text_columns(con: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    tables = [
        row[0]
        for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in sorted(tables):
        for _cid, name, kind, *_rest in con.execute(f'PRAGMA table_info("{table}")'):
            if ("CHAR" in kind.upper() or "TEXT" in kind.upper() or kind == "") and (
                f"{table}.{name}" not in CODED
            ):
                yield table, name


def poison(db_path: Path, seed: int) -> int:
    """Put a payload in front of every text column of every row (in front, so a cell cut
    short still shows it; the acting user's handle kept, so the dashboard still knows who
    is looking); returns the number of columns."""
    con = sqlite3.connect(db_path)
    try:
        columns = list(text_columns(con))
        with con:
            for number, (table, name) in enumerate(columns):
                tag = f"{MARK}{number}:"
                where = " WHERE handle != ?" if (table, name) == ("person", "handle") else ""
                args: tuple[str, ...] = (USER,) if where else ()
                con.execute(
                    f'UPDATE "{table}" SET "{name}" = ? || "{name}"{where}',
                    (tag + payload(seed, number), *args),
                )
        return len(columns)
    finally:
        con.close()


# --- 3. the real app in a real terminal -------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """Keys pressed in turn (tmux key names); `kind` counts it as a screen, a dialog or a
    key that only changes what a screen shows."""

    keys: tuple[str, ...]
    kind: str = "dialog"
    full_only: bool = False


def _v(keys: str, kind: str = "dialog", full_only: bool = False) -> Visit:
    return Visit(tuple(keys.split()), kind, full_only)


#: Every screen, and on each every dialog and form (new and edit of each record), the help,
#: the palette with a search typed, the report preview and the confirm dialogs. Each visit
#: starts and ends on the screen it names; `Escape` closes what it opened.
VISITS: tuple[Visit, ...] = (
    # the app opens on Projects: its first screen
    _v("Enter", "view"),
    _v("e Escape"),  # edit project
    _v("n Escape", full_only=True),  # new project
    _v("d e Escape Escape", full_only=True),  # deliverables, edit one
    _v("d a Escape Escape", full_only=True),
    _v("c", "dialog"),  # close-out
    _v("e Escape", full_only=True),
    _v("y Escape", full_only=True),  # acceptance
    _v("s Escape", full_only=True),  # sign-off
    _v("l Escape", full_only=True),  # lessons
    _v("c Escape Escape", full_only=True),  # close: the override question
    _v("Escape", "view"),
    _v("a n", "dialog", full_only=True),  # archive: asks
    _v("? Escape"),  # help
    _v("C-p E S C Escape"),  # the palette, a search typed
    _v("C-p Z Q Escape", full_only=True),
    _v("2", "screen"),
    _v("Down e Escape"),  # edit task
    _v("n Escape", full_only=True),
    _v("w", "dialog", full_only=True),  # downtime windows
    _v("e Escape Escape", full_only=True),
    _v("H Escape", full_only=True),  # non-working days
    _v("d", "view", full_only=True),  # burn-down
    _v("d", "view", full_only=True),
    _v("m", "view", full_only=True),  # roadmap
    _v("m", "view", full_only=True),
    _v("b n", full_only=True),  # baseline: asks
    _v("p Escape", full_only=True),  # project picker
    _v("? Escape", full_only=True),
    _v("3", "screen"),
    _v("e Escape", full_only=True),  # edit ledger entry
    _v("a Escape", full_only=True),
    _v("b e Escape Escape", full_only=True),  # budget lines
    _v("c", "view", full_only=True),
    _v("c", "view", full_only=True),
    _v("c", "view", full_only=True),
    _v("d n", full_only=True),  # delete: asks
    _v("4", "screen"),
    _v("e Escape"),  # edit risk
    _v("n Escape", full_only=True),
    _v("o Escape", full_only=True),  # owner filter
    _v("x n", full_only=True),  # close: asks
    _v("g", "view", full_only=True),  # the change-request log
    _v("e Escape", full_only=True),
    _v("a", "view", full_only=True),
    _v("5", "screen"),
    _v("e Escape", full_only=True),  # edit contact
    _v("a Escape", full_only=True),
    _v("l Escape", full_only=True),  # log a contact
    _v("r", "dialog"),  # report preview
    _v("f", "view", full_only=True),
    _v("f", "view", full_only=True),
    _v("a", "view", full_only=True),
    _v("m Escape", full_only=True),
    _v("Escape", "view"),
    _v("d n", full_only=True),  # delete: asks
    _v("*", "view", full_only=True),
    _v("6", "screen"),
    _v("Enter Escape"),  # task detail
    _v("b Escape", full_only=True),  # blocked: why
    _v("l Escape", full_only=True),  # a note
    _v("% Escape", full_only=True),
    _v("p Escape", full_only=True),  # another person
    _v("7", "screen"),
    _v("e Escape", full_only=True),  # edit person
    _v("n Escape", full_only=True),
    _v("x n", full_only=True),  # retire: asks
    _v("8", "screen"),
    _v("s Escape", full_only=True),  # since
    _v("p Escape", full_only=True),  # one project
    _v("w Escape", full_only=True),  # one person
)
#: The kiosk: its pages in turn.
KIOSK_KEYS = ("1", "2", "3", "4", "5", "6", "?", "Escape")
#: Command-line text outputs and one error that quotes a value from a file.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("my",),
    ("changes",),
    ("whoami",),
    ("report", "ESC-1"),
    ("person", "list"),
    ("task", "list", "ESC-1"),
    ("doctor",),
    ("changes", "--format", "md"),
    ("changes", "--format", "json"),
    ("my", "--json"),
    ("report", "ESC-1", "--format", "text"),
    ("report", "ESC-1", "--closing"),
    ("downtime", "list", "ESC-1"),
    ("holidays", "list"),
    ("export",),
    ("export", "ESC-1", "--format", "mspdi"),
    ("export", "ESC-1", "--format", "ics"),
    ("export", "ESC-1", "--format", "vcard"),
    ("my", "--ics"),
    ("project", "add", "ESC-1", "Again"),
)
SHORT_COMMANDS = 2


class Terminal:
    """One private tmux server (never the user's), 80×24, whose raw output is captured."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.socket = workdir / "tmux.sock"
        self.env = env
        self.capture = workdir / "raw.out"
        self.capture.write_bytes(b"")
        self.count = 0
        self.window = ""
        #: How long a key may take to change the screen; what each key left on it.
        self.patience = 10.0
        self.log: list[str] = []

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return done.stdout

    def run(self, argv: list[str]) -> None:
        """Start `argv` in a new window whose output is appended to the capture; the program
        starts only once the pipe is in place."""
        self.count += 1
        name = f"w{self.count}"
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items()))
        line = f"read go; exec env -i {assignments} {shlex.join(argv)}"
        if self.count == 1:  # a window that outlives the programs keeps the server up
            self.tmux("new-session", "-d", "-s", "esc", "-x", "80", "-y", "24", "sleep 86400")
        self.tmux("new-window", "-d", "-t", "esc", "-n", name, line)
        self.tmux(
            "pipe-pane", "-o", "-t", f"esc:{name}", f"cat >> {shlex.quote(str(self.capture))}"
        )
        self.tmux("send-keys", "-t", f"esc:{name}", "Enter")
        self.window = f"esc:{name}"

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.window)

    def keys(self, *keys: str) -> None:
        """Press each key once the screen has answered the one before: changed (a dialog
        opened, a screen switched; a key that changes nothing waits `patience`), then
        still."""
        for key in keys:
            before = self.screen()
            self.tmux("send-keys", "-t", self.window, key)
            deadline = time.monotonic() + self.patience
            while self.screen() == before and time.monotonic() < deadline:
                time.sleep(0.1)
            self.log.append(f"--- after {key}\n{self.settle()}")

    def home(self) -> int:
        """Back on a main screen (its header shows the database's name) before a visit: a
        dialog a slow machine opened late is closed (discarding, if it asks). Returns the
        Escapes it took, 0 when the screen was already there."""
        for pressed in range(5):
            shown = self.screen()
            if "· itpm.db" in shown.split("\n", 1)[0]:
                return pressed
            key = "y" if "Discard the changes" in shown else "Escape"
            self.tmux("send-keys", "-t", self.window, key)
            self.settle()
        return 5

    def settle(self, quiet: float = 1.0, most: float = 10.0) -> str:
        """Wait until the screen has not changed for `quiet` seconds (a loaded machine
        draws a dialog in several frames, its data arriving from a worker)."""
        deadline = time.monotonic() + most
        before, since = self.screen(), time.monotonic()
        while True:
            time.sleep(0.2)
            now = self.screen()
            if now != before:
                before, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet or time.monotonic() > deadline:
                return now

    def wait_for(self, text: str, most: float = 60.0) -> str:
        deadline = time.monotonic() + most
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {text!r}; the screen:\n{shown}")
            time.sleep(0.2)

    def ended(self, most: float = 30.0) -> bool:
        """Wait until the program of the current window exits; a program still running
        after `most` seconds is ended with its window (False), so its redraws cannot mix
        with what the next one writes."""
        deadline = time.monotonic() + most
        while time.monotonic() < deadline:
            live = self.tmux("list-windows", "-a", "-F", "#{session_name}:#{window_name}")
            if self.window not in live.split():
                return True
            time.sleep(0.1)
        self.log.append(f"--- did not end\n{self.screen()}")
        self.tmux("kill-window", "-t", self.window)
        return False

    def close(self) -> None:
        self.tmux("kill-server")


def environment(workdir: Path) -> dict[str, str]:
    config = workdir / "config.toml"
    config.write_text(f'user = "{USER}"\n', encoding="utf-8")
    return {
        "PYTHONPATH": str(ROOT),
        "ITPM_CONFIG": str(config),
        "ITPM_TODAY": TODAY.isoformat(),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_STATE_HOME": str(workdir / "state"),
        "HOME": str(workdir),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
    }


def itpm(db_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "itpm_tui", "--db", str(db_path), *args]


@dataclass
class Figures:
    screens: int = 0
    dialogs: int = 0
    views: int = 0
    kiosk_pages: int = 0
    commands: int = 0
    columns: int = 0
    stuck: int = 0  #: programs that did not end when asked (a dialog left open)
    strays: int = 0  #: dialogs found open before a visit (a key the app took late)
    #: (what was done, where its output starts in the capture), in order.
    steps: list[tuple[str, int]] = field(default_factory=list)

    def step(self, label: str, term: Terminal) -> None:
        self.steps.append((label, term.capture.stat().st_size))


def visit(db_path: Path, workdir: Path, full: bool, figures: Figures, ready: str) -> bytes:
    """Every screen, dialog, kiosk page and command of this run; the raw bytes written."""
    term = Terminal(workdir, environment(workdir))
    began = time.monotonic()
    try:
        figures.step("start", term)
        term.run(itpm(db_path))
        term.wait_for(ready)
        term.settle()
        figures.screens += 1  # Projects, where the app opens
        for step in VISITS:
            if step.full_only and not full:
                continue
            figures.step(" ".join(step.keys), term)
            figures.strays += term.home()
            term.log.append(f"=== {' '.join(step.keys)} at {time.monotonic() - began:.1f}s")
            term.keys(*step.keys)
            kind = {"screen": "screens", "dialog": "dialogs", "view": "views"}[step.kind]
            setattr(figures, kind, getattr(figures, kind) + 1)
        term.keys("q")
        figures.stuck += not term.ended()
        figures.step("standup", term)
        term.log.append(f"=== standup at {time.monotonic() - began:.1f}s")
        term.run(itpm(db_path, "standup", "--cycle", "5m"))
        term.wait_for(ready)
        for key in KIOSK_KEYS if full else ():
            figures.step(f"standup {key}", term)
            term.keys(key)
            figures.kiosk_pages += 1
        term.keys("C-q", "C-q")
        figures.stuck += not term.ended()
        bad_csv = workdir / "ledger.csv"
        bad_csv.write_text(
            f"date,vendor,category,description,amount\n2026-03-01,V,hardware,x,12{SEQUENCES[0]}\n",
            encoding="utf-8",
        )
        commands = [*COMMANDS, ("import", str(bad_csv), "--project", "ESC-1")]
        for args in commands if full else commands[:SHORT_COMMANDS] + commands[-1:]:
            figures.step("itpm " + " ".join(args), term)
            term.log.append(f"=== itpm {' '.join(args)} at {time.monotonic() - began:.1f}s")
            term.run(itpm(db_path, *args))
            figures.stuck += not term.ended()
            figures.commands += 1
        time.sleep(0.5)  # pipe-pane's cat writes the last bytes
    finally:
        (workdir / "screens.txt").write_text("\n".join(term.log), encoding="utf-8")
        term.close()
    return (workdir / "raw.out").read_bytes()


# --- 4. what reached the terminal -------------------------------------------------------------

#: What a leak looks like in the raw bytes.
LEAK_PATTERNS = {
    # The payloads' own controls. Textual's SGR, cursor moves and line ends after a cell
    # that ends in a marker are not leaks, so ESC counts only before an OSC, ST, DCS, PM,
    # APC or SOS introducer or as the payload's CSI 2J.
    "control right after a marker": re.compile(
        rb"ZQ(?:\x1b[\]\\P^_X]|\x1b\[2J|[\x00-\x09\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]|\xc2[\x80-\x9f])"
    ),
    "raw C1 control": re.compile(rb"\xc2[\x80-\x9f]"),
    "OSC 52 clipboard": re.compile(rb"\x1b\]52;c;UFdORUQ="),
    "OSC 0 title": re.compile(rb"\x1b\]0;PWNED"),
    "OSC 8 hyperlink": re.compile(rb"\x1b\]8;;http://evil"),
}
OSC = re.compile(rb"\x1b\](\d*)")


def leaks(raw: bytes, baseline_osc: set[bytes] | None) -> dict[str, int]:
    """Count each kind of leak; an OSC of a kind the clean run never emits counts too."""
    found = {name: len(pattern.findall(raw)) for name, pattern in LEAK_PATTERNS.items()}
    if baseline_osc is not None:
        found["OSC not in the baseline"] = sum(
            1 for kind in OSC.findall(raw) if kind not in baseline_osc
        )
    return found


def run(full: bool, seed: int, keep: Path | None = None) -> dict[str, int]:
    """Build, poison, visit, count. `keep` keeps the files (the raw capture among them)."""
    if shutil.which("tmux") is None:
        raise RuntimeError("needs tmux")
    workdir = Path(tempfile.mkdtemp(prefix="itpm-escapes-")) if keep is None else keep
    workdir.mkdir(parents=True, exist_ok=True)
    figures = Figures()
    baseline_osc: set[bytes] | None = None
    if full:  # the clean portfolio, the same visit: the OSC kinds Textual itself emits
        clean = workdir / "clean"
        clean.mkdir(exist_ok=True)
        build(clean / "itpm.db")
        raw = visit(clean / "itpm.db", clean, full, Figures(), "ESC-1")
        baseline_osc = set(OSC.findall(raw))
    poisoned = workdir / "poisoned"
    poisoned.mkdir(exist_ok=True)
    build(poisoned / "itpm.db")
    figures.columns = poison(poisoned / "itpm.db", seed)
    raw = visit(poisoned / "itpm.db", poisoned, full, figures, MARK)
    found = leaks(raw, baseline_osc)
    ends = [start for _label, start in figures.steps[1:]] + [len(raw)]
    by_step = {
        f"{n:02d} {label}": total
        for n, ((label, start), end) in enumerate(zip(figures.steps, ends, strict=True))
        if (total := sum(leaks(raw[start:end], baseline_osc).values()))
    }
    (poisoned / "leaks_by_step.json").write_text(json.dumps(by_step, indent=2), encoding="utf-8")
    shown = raw.count(b"\\x1b")  # payloads shown as visible marks: proof they were on screen
    if keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "screens": figures.screens,
        "dialogs": figures.dialogs,
        "views": figures.views,
        "kiosk_pages": figures.kiosk_pages,
        "commands": figures.commands,
        "columns": figures.columns,
        "stuck": figures.stuck,
        "strays": figures.strays,
        "marks_shown": shown,
        "baseline_osc_kinds": len(baseline_osc or ()),
        **{f"leaks: {name}": count for name, count in found.items()},
        "leaks": sum(found.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the normal suite's short visit")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", type=Path, help="keep the databases and the raw capture here")
    options = parser.parse_args()
    figures = run(not options.short, options.seed, options.keep)
    print(json.dumps(figures, indent=2))
    sys.exit(1 if figures["leaks"] else 0)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
