"""Fuzz the command line: every non-interactive command with valid arguments, one or two of
them swapped for a hostile value (escapes, controls, non-UTF-8 bytes, long names, odd dates,
huge numbers) or an odd path (a FIFO, a folder, a missing folder, a name longer than the file
system allows, a link to a full device, an existing file).

Read commands also run against a database whose free-text columns hold escape sequences, as
a portfolio imported from someone else's file (or written by anyone with access) would.

Per input: a traceback fails; a refused command (or any read command) must leave the
database as it was; a read command given a --db that does not exist must not create it; no
ESC/C1 byte may reach the output; `-o` must not replace an existing file without --force,
nor replace what is not a regular file.
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from tests.robustness import harness, mutate
from tests.robustness.harness import Snapshot, Tally, Workspace

FULL, SHORT = 2_000, 60
#: The payload appended to every free-text column of the `hostile` database.
STORED = "\x1b]52;c;aXRwbQ==\x07\x1b]0;stored-title\x07\x9b2J"
FREE_TEXT = {
    "person": ("name", "role", "email", "phone", "skills"),
    "stakeholder": ("name", "organisation", "title", "email", "phone", "notes"),
    "project": (
        "name",
        "client",
        "sponsor",
        "objective",
        "scope",
        "kpis",
        "signed_off_by",
        "lessons",
    ),
    "activity": ("summary", "old_value", "new_value"),
    "budgetline": ("description",),
    "changerequest": ("title", "requested_by", "description", "decided_by"),
    "communicationentry": ("summary",),
    "deliverable": ("name", "description", "acceptance_criteria", "accepted_by", "acceptance_note"),
    "holiday": ("name",),
    "ledgerentry": ("vendor", "description", "invoice_ref"),
    "risk": ("title", "description", "mitigation", "contingency", "trigger"),
    "task": ("name", "description", "blocked_reason"),
    "downtimewindow": ("title", "systems"),
}

# A template is a list of tokens: a plain string, or (kind, valid value); an option whose
# value is optional is ("?--flag", kind, valid value) and is given half of the time.
READS: list[list[object]] = [
    ["export"],
    ["export", ("code", "FW-1"), "--format", ("fmt", "mspdi")],
    ["export", ("code", "FW-1"), "--format", ("fmt", "ics"), "-o", ("out", "plan.ics")],
    ["export", "-o", ("out", "portfolio.json")],
    [
        "report",
        ("code", "FW-1"),
        ("?--format", "rfmt", "md"),
        ("?--as-of", "date", "2026-03-18"),
        ("?--audience", "aud", "technical"),
    ],
    ["report", ("code", "FW-1"), "--closing", "-o", ("out", "closing.txt")],
    ["my", ("?--as", "handle", "ravi"), ("?--all", None, None)],
    ["my", "--json", "-o", ("out", "my.json")],
    ["my", "--ics", "-o", ("out", "my.ics")],
    [
        "changes",
        ("?--since", "date", "2026-01-01"),
        ("?--project", "code", "FW-1"),
        ("?--person", "handle", "ana"),
        ("?--format", "cfmt", "md"),
    ],
    ["person", "list", ("?--all", None, None)],
    ["task", "list", ("code", "FW-1"), ("?--mine", "handle", "ravi")],
    ["downtime", "list", ("code", "FW-1")],
    ["holidays", "list", ("?--project", "code", "FW-1")],
    ["whoami"],
    ["doctor"],
    ["config", "show"],
    ["config", "keys"],
]
WRITES: list[list[object]] = [
    [
        "person",
        "add",
        ("text", "Mia Jones"),
        "--handle",
        ("handle", "mia"),
        ("?--role", "text", "pm"),
        ("?--capacity", "number", "32"),
        ("?--rate", "number", "80"),
        ("?--currency", "currency", "GBP"),
        ("?--email", "text", "mia@example.org"),
        ("?--phone", "text", "+44 20 7946 0000"),
        ("?--skills", "text", "Cisco"),
    ],
    [
        "project",
        "add",
        ("newcode", "VO-2"),
        ("text", "VoIP move"),
        ("?--start", "date", "2026-04-01"),
        ("?--end", "date", "2026-06-30"),
        ("?--client", "text", "Acme"),
        ("?--sponsor", "text", "CFO"),
        ("?--manager", "handle", "ana"),
        ("?--currency", "currency", "USD"),
        ("?--objective", "text", "Move the phones"),
    ],
    [
        "task",
        "add",
        ("code", "FW-1"),
        ("text", "Label cables"),
        ("?--duration", "duration", "2d"),
        ("?--start", "date", "2026-03-20"),
        ("?--after", "dep", "2"),
        ("?--assignee", "handle", "ravi"),
        ("?--estimate", "duration", "8h"),
        ("?--parent", "wbs", "1"),
    ],
    [
        "task",
        "set",
        ("code", "FW-1"),
        ("wbs", "1"),
        ("?--name", "text", "Site survey"),
        ("?--percent", "number", "50"),
        ("?--status", "status", "in progress"),
        ("?--remaining", "duration", "4h"),
        ("?--note", "text", "call first"),
        ("?--start", "date", "2026-03-05"),
        ("?--finish", "date", "2026-03-09"),
    ],
    [
        "task",
        "block",
        ("code", "FW-1"),
        ("wbs", "2"),
        "--reason",
        ("text", "no parts"),
        ("?--note", "text", "waiting"),
    ],
    ["task", "start", ("code", "FW-1"), ("wbs", "1")],
    ["task", "done", ("code", "FW-1"), ("wbs", "1")],
    ["task", "rm", ("code", "FW-1"), ("wbs", "3")],
    [
        "budget",
        "set",
        ("code", "FW-1"),
        ("category", "labour"),
        ("number", "5000"),
        ("?--description", "text", "two engineers"),
    ],
    ["baseline", "set", ("code", "FW-1")],
    [
        "downtime",
        "add",
        ("code", "FW-1"),
        ("text", "Core switch swap"),
        ("datetime", "2026-04-18 22:00"),
        ("datetime", "2026-04-19 02:00"),
        ("?--systems", "text", "core switch"),
        ("?--task", "wbs", "2"),
        ("?--approved", None, None),
    ],
    ["downtime", "rm", ("code", "FW-1"), ("number", "1")],
    [
        "holidays",
        "add",
        ("date", "2026-12-24"),
        ("?--name", "text", "Christmas Eve"),
        ("?--project", "code", "FW-1"),
    ],
    ["holidays", "add", "--country", ("country", "GB"), ("?--years", "years", "2026")],
    ["holidays", "rm", ("date", "2026-12-24")],
    ["holidays", "import", ("in", "closures.ics")],
    ["import", ("in", "portfolio.json")],
    ["demo"],
]
ODD_PATH_KINDS = (
    "fifo",
    "dir",
    "missing-dir",
    "long",
    "not-utf8",
    "full-device",
    "existing",
    "escape-name",
)


@dataclass
class Case:
    argv: list[str]
    reads: bool
    base: str  # "small" or "hostile"
    db_kind: str  # "copy" or an odd path kind
    out: Path | None = None  # an -o target that existed before the run
    out_kind: str = ""
    fifo_writer: Path | None = None  # a FIFO input that needs a writer


class Paths:
    """The odd paths, made in a folder of the workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "a-folder.json").mkdir(exist_ok=True)
        full = root / "full.json"
        if not full.is_symlink():
            full.symlink_to("/dev/full")

    def make(self, kind: str, name: str, rng: random.Random) -> str:
        suffix = Path(name).suffix or ".txt"
        if kind == "fifo":
            fifo = self.root / f"fifo-{rng.randrange(10**6)}{suffix}"
            os.mkfifo(fifo)
            return str(fifo)
        if kind == "dir":
            return str(self.root / "a-folder.json")
        if kind == "missing-dir":
            return str(self.root / "no" / "such" / "folder" / name)
        if kind == "long":
            return str(self.root / ("n" * rng.choice([256, 300, 5000]) + suffix))
        if kind == "not-utf8":
            return str(self.root / (os.fsdecode(b"caf\xe9-\xff") + suffix))
        if kind == "full-device":
            return str(self.root / "full.json")
        if kind == "escape-name":
            return str(self.root / f"x\x1b]0;path-title\x07{suffix}")
        existing = self.root / f"existing-{rng.randrange(10**6)}{suffix}"
        existing.write_text("precious\n", encoding="utf-8")
        return str(existing)


def _valid_inputs(root: Path, space: Workspace, bases: dict[str, Path]) -> dict[str, Path]:
    """Input files a command may be given: a portfolio export and an .ics of closures."""
    root.mkdir(parents=True, exist_ok=True)
    portfolio = root / "portfolio.json"
    harness.run_inprocess(["--db", str(bases["small"]), "export", "-o", str(portfolio)])
    ics = root / "closures.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\n"
        "UID:1@fuzz\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227\r\n"
        "SUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return {"portfolio.json": portfolio, "closures.ics": ics}


def poison(path: Path) -> None:
    """Append the escape payload to every free-text value of the database at `path`."""
    with contextlib.closing(sqlite3.connect(path)) as con:
        for table, columns in FREE_TEXT.items():
            for column in columns:
                con.execute(
                    f'UPDATE "{table}" SET "{column}" = "{column}" || ? '
                    f'WHERE "{column}" IS NOT NULL AND "{column}" != \'\'',
                    (STORED,),
                )
        con.commit()
    harness.run_inprocess(["--db", str(path), "task", "list", "FW-1"])  # the stored schedule
    gc.collect()  # catches up with the edit here, not in the first read command fuzzed
    harness.checkpoint(path)


def _fill(
    rng: random.Random, template: list[object], full: bool, paths: Paths, inputs: dict[str, Path]
) -> tuple[list[str], Path | None, str, Path | None]:
    """The argv of one template: valid values, one or two of them hostile."""
    slots: list[tuple[str | None, str | None]] = []
    argv: list[str] = []
    for token in template:
        if isinstance(token, str):
            argv.append(token)
            continue
        assert isinstance(token, tuple)
        if len(token) == 3:
            flag, kind, value = token
            if rng.random() < 0.5:
                continue
            argv.append(str(flag)[1:])
            if kind is None:
                continue
            token = (kind, value)
        slots.append((str(token[0]), str(token[1])))
        argv.append(str(token[1]))
    out: Path | None = None
    out_kind = ""
    fifo: Path | None = None
    places = [i for i, a in enumerate(argv) if not a.startswith("-")][1:]
    values = [
        i
        for i in places
        if argv[i]
        not in ("add", "set", "list", "rm", "block", "start", "done", "show", "keys", "import")
    ]
    for i, arg in enumerate(argv):  # the files named: inputs, outputs
        if arg in inputs:
            argv[i] = str(inputs[arg])
    hits = rng.sample(values, min(len(values), rng.choice([1, 1, 2]))) if values else []
    for i in hits:
        if argv[i - 1] == "-o" or argv[i].startswith(str(paths.root.parent)):
            kind = rng.choice(ODD_PATH_KINDS)
            if kind == "full-device" and argv[i - 1] != "-o":
                kind = "fifo"  # reading /dev/full never ends: see limit_memory()
            name = Path(argv[i]).name
            argv[i] = paths.make(kind, name, rng)
            if argv[i - 1] == "-o" and kind in ("existing", "fifo", "dir", "full-device"):
                out, out_kind = Path(argv[i]), kind
            elif kind == "fifo":
                fifo = Path(argv[i])
        else:
            argv[i] = mutate.hostile(rng, full).replace("\x00", "")  # argv cannot hold NUL
    if not any(a.startswith(str(paths.root)) or a == "-o" for a in argv) and rng.random() < 0.2:
        argv.append("--help")
    return argv, out, out_kind, fifo


def cases(
    rng: random.Random, count: int, full: bool, paths: Paths, inputs: dict[str, Path]
) -> list[Case]:
    made: list[Case] = []
    for _ in range(count):
        reads = rng.random() < 0.5
        template = rng.choice(READS if reads else WRITES)
        argv, out, out_kind, fifo = _fill(rng, template, full, paths, inputs)
        base = "hostile" if reads and rng.random() < 0.6 else "small"
        db_kind = (
            "copy"
            if rng.random() < 0.88
            else rng.choice(["missing-dir", "dir", "long", "not-utf8", "not-sqlite", "escape-name"])
        )
        made.append(Case(argv, reads, base, db_kind, out, out_kind, fifo))
    return made


def _db_path(
    case: Case, work: Path, number: int, bases: dict[str, Path], paths: Paths, rng: random.Random
) -> Path:
    if case.db_kind == "copy":
        db = work / f"db-{number}.db"
        shutil.copyfile(bases[case.base], db)
        return db
    if case.db_kind == "not-sqlite":
        db = work / f"text-{number}.db"
        db.write_text("these are not the bytes of a database\n", encoding="utf-8")
        return db
    return Path(paths.make(case.db_kind, "itpm.db", rng))


def _feed(fifo: Path) -> threading.Thread:
    """Write a small portfolio into a FIFO, as `itpm import <(…)` would get it."""

    def write() -> None:
        with contextlib.suppress(OSError), open(fifo, "wb") as handle:
            handle.write(b'{"format": "itpm-portfolio", "version": 1}')

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def check_case(
    tally: Tally,
    case: Case,
    result: harness.Result,
    db: Path,
    before: Snapshot | None,
    existed: bool,
) -> None:
    repro = "itpm --db <{} db> {}".format(
        case.base if case.db_kind == "copy" else case.db_kind,
        " ".join(_quote(a) for a in case.argv),
    )
    tally.judge(result, repro)
    if before is not None and not result.hang:
        changed = before.changed()
        if changed and result.code != 0:
            tally.add("partial_writes", f"`{_command(case.argv)}` refused after writing", repro)
        elif changed and case.reads:
            tally.add("other", f"read command `{_command(case.argv)}` changed the database", repro)
    if (
        case.db_kind in ("missing-dir",)
        and case.reads
        and not existed
        and (harness.exists(db) or harness.exists(db.parent))
    ):
        tally.add("other", "a read command given a missing --db created it", repro)
    if case.out is not None and result.code == 0 and "--force" not in case.argv:
        if case.out_kind == "existing" and case.out.read_bytes() != b"precious\n":
            tally.add(
                "other",
                f"`{_command(case.argv)} -o` replaced an existing file without --force",
                repro,
            )
        elif case.out_kind in ("fifo", "dir", "full-device") and (
            case.out.is_file() and not case.out.is_symlink()
        ):
            tally.add(
                "other",
                f"`{_command(case.argv)} -o` replaced a {case.out_kind} by a regular file",
                repro,
            )
    if result.code not in (0, 1, 2) and not result.hang and not result.traceback:
        tally.add("other", f"exit status {result.code}", repro)
    if result.code == 1 and not result.traceback and _command(case.argv) != "doctor":
        tally.add("other", f"exit status 1 from `{_command(case.argv)}`", repro)


_command = harness.command_of
_quote = harness.shell_quote


def run(
    full: bool, seed: int, *, count: int | None = None, keep: Path | None = None
) -> dict[str, int]:
    tally = harness.new_tally("cli")
    rng = random.Random(f"cli-{seed}")
    with harness.workspace("cli") as space:
        from tests.robustness.imports import databases

        bases = databases(space, ["small"])
        hostile = space.root / "bases" / "hostile.db"
        shutil.copyfile(bases["small"], hostile)
        poison(hostile)
        bases["hostile"] = hostile
        paths = Paths(space.root / "paths")
        inputs = _valid_inputs(space.root / "inputs", space, bases)
        work = space.root / "work"
        work.mkdir()
        n = count if count is not None else (FULL if full else SHORT)
        every = 25 if full else 0
        snapshots = {name: Snapshot.of(path) for name, path in bases.items()}
        for number, case in enumerate(cases(rng, n, full, paths, inputs), start=1):
            db = work / "unmade.db"
            try:
                db = _db_path(case, work, number, bases, paths, rng)
                existed = harness.exists(db) or harness.exists(db.parent)
                before = None
                if case.db_kind == "copy":
                    made = snapshots[case.base]
                    before = Snapshot(db, made.files, made.content)
                feeder = _feed(case.fifo_writer) if case.fifo_writer else None
                for i, arg in enumerate(case.argv[:-1]):  # each plain -o file is the run's own
                    if arg == "-o" and not os.path.isabs(case.argv[i + 1]):
                        case.argv[i + 1] = str(work / f"{number}-{case.argv[i + 1]}")
                argv = ["--db", str(db), *case.argv]
                if every and number % every == 0 and harness.fits_a_process(argv):
                    result = harness.run_subprocess(
                        [os.fsencode(a) for a in argv],
                        env=space.env(locale=rng.choice(["C.UTF-8", "C"])),
                    )
                else:
                    result = harness.run_inprocess(argv)
                if feeder is not None and case.fifo_writer is not None:
                    with contextlib.suppress(OSError):  # unblock a writer nobody read from
                        os.close(os.open(case.fifo_writer, os.O_RDONLY | os.O_NONBLOCK))
                    feeder.join(timeout=5)
                check_case(tally, case, result, db, before, existed)
            except Exception as exc:  # the harness failed, not itpm: say so, go on
                harness.harness_error(tally, case.argv, exc)
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{db}{suffix}").unlink()
            shutil.rmtree(paths.root / "no", ignore_errors=True)
            for leftover in os.listdir(work):
                with contextlib.suppress(OSError):
                    (work / leftover).unlink()
            if number % 20 == 0:
                gc.collect()
    return tally.figures
