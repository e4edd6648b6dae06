"""Running `itpm` on one fuzzed input and judging what it did.

Most inputs run in-process through `itpm_tui.cli.main(argv)`: it is the very function
`python -m itpm_tui` calls, a run costs milliseconds instead of the seconds an interpreter
start costs on this machine, and every exception that escapes `main` is what the interpreter
would print as a traceback. The captured streams claim to be a terminal (click strips CSI
sequences from a pipe, a user's terminal gets them raw) and encode strictly as UTF-8, as a
UTF-8 locale's stdout does. A share of inputs also runs as real subprocesses on a pty
(`run_subprocess`): that is where argv bytes are decoded by the interpreter, where the locale
is plain C, where a traceback printed at shut-down shows, and where a hang is a real process
that gets killed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HANG_SECONDS = 20.0
#: A run waiting (on a lock, a FIFO) rather than computing is a hang after this long on the
#: wall clock; one computing, after HANG_SECONDS of CPU time. On a machine shared with other
#: work (this one's load reaches 14 on 2 cores) 20 s of wall time is not 20 s of work.
WAIT_SECONDS = 120.0
UNEXPECTED = b"itpm: unexpected error ("
FIGURES = ("inputs", "tracebacks", "partial_writes", "raw_escapes", "hangs", "other")
#: ESC and the C1 controls (U+0080–U+009F), and the same bytes when they are not valid UTF-8.
_RAW_ESCAPE = re.compile("[\x1b\x80-\x9f\udc9b\udc9d\udc90\udc9e\udc9f]")


@dataclass
class Result:
    """What one run of `itpm` did."""

    argv: list[str]
    code: int
    stdout: bytes
    stderr: bytes
    seconds: float
    hang: bool = False
    exception: str = ""  # "Type at file:line" of the innermost itpm frame, when one escaped

    @property
    def traceback(self) -> bool:
        return (
            bool(self.exception)
            or b"Traceback (most recent call last)" in self.stderr
            or UNEXPECTED in self.stderr  # the guard's one line for a bug: still a bug
        )

    @property
    def raw_escape(self) -> bool:
        return has_raw_escape(self.stdout) or has_raw_escape(self.stderr)


def has_raw_escape(data: bytes) -> bool:
    return bool(_RAW_ESCAPE.search(data.decode("utf-8", "surrogateescape")))


@dataclass
class Finding:
    """One distinct failure: its kind, a signature, and the smallest input that shows it."""

    check: str
    kind: str
    signature: str
    repro: str
    size: int
    count: int = 1


@dataclass
class Tally:
    """The figures of one check, and its distinct findings."""

    check: str
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add(self, kind: str, signature: str, repro: str) -> None:
        self.figures[kind] = self.figures.get(kind, 0) + 1
        signature, repro = printable(signature), printable(repro)
        key = (kind, signature)
        known = self.findings.get(key)
        if known is None:
            self.findings[key] = Finding(self.check, kind, signature, repro, len(repro))
            return
        known.count += 1
        if len(repro) < known.size:
            known.repro, known.size = repro, len(repro)

    def judge(self, result: Result, repro: str, *, escapes_from_input: bool = True) -> None:
        """Count the failures every run can show: a traceback, a hang, a raw escape."""
        self.figures["inputs"] += 1
        if self.figures["inputs"] % 100 == 0:  # a long run shows where it is
            print(f"  {self.check}: {self.figures}", file=sys.stderr, flush=True)
        if result.hang:
            self.add("hangs", command_of(result.argv), repro)
        elif result.traceback:
            self.add("tracebacks", result.exception or _last_line(result.stderr), repro)
        if escapes_from_input and result.raw_escape:
            self.add("raw_escapes", _escape_context(result), repro)


def harness_error(tally: Tally, argv: Sequence[str], exc: BaseException) -> None:
    """An input the harness itself could not run: counted apart, never as itpm's failure."""
    tally.figures["harness_errors"] = tally.figures.get("harness_errors", 0) + 1
    print(f"  harness error on {command_of(argv)}: {exc!r}"[:300], file=sys.stderr, flush=True)


#: Every tally made in this process, for the runner's list of findings.
TALLIES: list[Tally] = []


def new_tally(check: str) -> Tally:
    tally = Tally(check)
    TALLIES.append(tally)
    return tally


def _last_line(stderr: bytes) -> str:
    lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    # the guard's line names a crash file per run: the error alone is the signature
    return lines[-1].split("; details in ")[0][:120] if lines else "?"


def _escape_context(result: Result) -> str:
    """Which stream, and the first word of the line around the escape (the signature)."""
    for name, data in (("stdout", result.stdout), ("stderr", result.stderr)):
        text = data.decode("utf-8", "surrogateescape")
        hit = _RAW_ESCAPE.search(text)
        if hit:
            line = text[: hit.start()].rsplit("\n", 1)[-1]
            words = re.findall(r"[A-Za-z_]+", line)
            after = " ".join(words[:3]) or "(line start)"
            return f"{name} of `{command_of(result.argv)}` after {after!r}"
    return "?"


class _Terminal(io.TextIOWrapper):
    """A captured stream that says it is a terminal, so click leaves escapes in (as a user's
    terminal would get them)."""

    def isatty(self) -> bool:
        return True


class _Hang(BaseException):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Hang


def _innermost(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "itpm_tui" in f.filename] or frames
    where = f"{ours[-1].filename.split('itpm_tui/')[-1]}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def run_inprocess(
    argv: Sequence[str], *, timeout: float = HANG_SECONDS, wait: float = WAIT_SECONDS
) -> Result:
    """Run `itpm ARGV` through `itpm_tui.cli.main`, as `python -m itpm_tui` would."""
    from itpm_tui.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout = _Terminal(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = _Terminal(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = stdout, stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    previous_prof = signal.signal(signal.SIGPROF, _on_alarm)
    signal.setitimer(signal.ITIMER_PROF, timeout)  # CPU time of this process
    signal.setitimer(signal.ITIMER_REAL, wait)
    started = time.monotonic()
    code, hang, exception = 0, False, ""
    try:
        main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except _Hang:
        code, hang = -9, True
    except BaseException as exc:  # what the interpreter would print as a traceback
        code, exception = 1, _innermost(exc)
        with contextlib.suppress(Exception):
            stderr.write("".join(traceback.format_exception(exc)))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGALRM, previous)
        signal.signal(signal.SIGPROF, previous_prof)
        with contextlib.suppress(Exception):
            stdout.flush()
            stderr.flush()
        sys.stdout, sys.stderr, sys.stdin = saved
    return Result(
        list(argv),
        code,
        out.getvalue(),
        err.getvalue(),
        time.monotonic() - started,
        hang,
        exception,
    )


def _limits() -> None:
    """In the child: the memory cap, and HANG_SECONDS of CPU time (then SIGXCPU)."""
    import resource

    limit_memory()
    cpu = int(HANG_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


#: The longest argument the kernel passes to a new process (MAX_ARG_STRLEN); a longer one
#: cannot be typed into a shell either, so such inputs run in-process only.
MAX_ARG = 131_072 - 1


def fits_a_process(argv: Sequence[str | bytes]) -> bool:
    sizes = [len(a if isinstance(a, bytes) else os.fsencode(a)) for a in argv]
    return max(sizes, default=0) < MAX_ARG and sum(sizes) < 1_000_000


def run_subprocess(
    argv: Sequence[str | bytes], *, env: dict[str, str], timeout: float = WAIT_SECONDS
) -> Result:
    """Run `python -m itpm_tui ARGV` as a real process whose stdout and stderr are terminals
    (ptys); bytes arguments reach it as the raw bytes a shell would pass. It hangs when it
    computes for HANG_SECONDS of CPU time or waits `timeout` seconds."""
    import selectors

    masters, slaves = zip(*(os.openpty() for _ in range(2)), strict=True)
    command: list[str | bytes] = [sys.executable, "-m", "itpm_tui", *argv]
    started = time.monotonic()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=slaves[0],
        stderr=slaves[1],
        env=env,
        close_fds=True,
        start_new_session=True,
        preexec_fn=_limits,
    )
    for fd in slaves:
        os.close(fd)
    chunks: dict[int, list[bytes]] = {fd: [] for fd in masters}
    selector = selectors.DefaultSelector()
    for fd in masters:
        selector.register(fd, selectors.EVENT_READ)
    hang = False
    open_fds = set(masters)
    while open_fds:
        left = timeout - (time.monotonic() - started)
        if left <= 0:
            hang = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            break
        for key, _ in selector.select(min(left, 1.0)):
            fd = int(key.fd)
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if data:
                chunks[fd].append(data)
            else:
                selector.unregister(fd)
                open_fds.discard(fd)
    selector.close()
    for fd in masters:
        os.close(fd)
    try:
        code = proc.wait(timeout=max(1.0, timeout - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        hang = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        code = proc.wait()
    shown = [os.fsdecode(a) if isinstance(a, bytes) else a for a in argv]
    out, err = (b"".join(chunks[fd]).replace(b"\r\n", b"\n") for fd in masters)
    hang = hang or code == -signal.SIGXCPU
    return Result(shown, code, out, err, time.monotonic() - started, hang)


def limit_memory(gigabytes: float = 4.0) -> None:
    """Cap this process's address space, so an input that makes `itpm` read without end
    (a device, a decompression bomb) ends in MemoryError, not in the machine's OOM killer."""
    import resource

    cap = int(gigabytes * 2**30)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


# -- the place each run works in -----------------------------------------------------------


@dataclass
class Workspace:
    """A private folder with a config file and a data folder, set as the environment that
    `itpm` reads (ITPM_CONFIG, XDG_*), so no run touches the user's own files."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config" / "config.toml"

    def env(self, *, locale: str = "C.UTF-8") -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ITPM_", "LC_"))}
        env.update(
            ITPM_CONFIG=str(self.config),
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_STATE_HOME=str(self.root / "state"),
            XDG_CONFIG_HOME=str(self.root / "xdg-config"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            USER="fuzzer",
            LANG=locale,
            PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
        )
        if locale == "C":
            env["LC_ALL"] = "C"
        return env


@contextlib.contextmanager
def workspace(check: str) -> Iterator[Workspace]:
    """A fresh workspace, made the process's environment while it is open."""
    root = Path(tempfile.mkdtemp(prefix=f"itpm-robust-{check}-"))
    space = Workspace(root)
    saved = dict(os.environ)
    saved_cwd = os.getcwd()
    os.environ.clear()
    os.environ.update(space.env())
    os.chdir(root)
    try:
        yield space
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved)
        gc.collect()
        shutil.rmtree(root, ignore_errors=True)


# -- databases: made once, copied per input, compared after -------------------------------


def build_demo_db(path: Path) -> None:
    """The demo portfolio, at a fixed 'today' so a seed always gives the same file."""
    from datetime import date

    from itpm_tui.demo.builder import build_demo
    from itpm_tui.services.context import Context
    from itpm_tui.storage.database import open_database, sqlite_url

    database = open_database(sqlite_url(path))
    try:
        build_demo(Context(database, "fuzzer", clock=lambda: date(2026, 3, 18)))
    finally:
        database.dispose()
    checkpoint(path)


def build_small_db(path: Path) -> None:
    """A small portfolio built from empty, the way a new user starts: through the CLI."""
    db = ["--db", str(path)]
    steps = [
        [
            "person",
            "add",
            "Ana Ferreira",
            "--handle",
            "ana",
            "--role",
            "pm",
            "--rate",
            "95",
            "--email",
            "ana@example.org",
        ],
        ["person", "add", "Ravi Patel", "--handle", "ravi", "--capacity", "32"],
        [
            "project",
            "add",
            "FW-1",
            "Firewall upgrade",
            "--start",
            "2026-03-02",
            "--end",
            "2026-05-29",
            "--client",
            "Acme GmbH",
            "--manager",
            "ana",
        ],
        [
            "task",
            "add",
            "FW-1",
            "Survey",
            "--duration",
            "3d",
            "--assignee",
            "ravi",
            "--estimate",
            "16",
        ],
        ["task", "add", "FW-1", "Install", "--duration", "5d", "--after", "1"],
        ["task", "add", "FW-1", "Cut-over", "--milestone", "--after", "2"],
        ["budget", "set", "FW-1", "hardware", "12000", "--description", "two firewalls"],
        ["downtime", "add", "FW-1", "Cut-over window", "2026-04-11 22:00", "2026-04-12 04:00"],
    ]
    for step in steps:
        result = run_inprocess([*db, *step], timeout=300)  # the first run migrates
        if result.code != 0:
            raise RuntimeError(
                f"building the small portfolio: {step}: exit {result.code} "
                f"after {result.seconds:.1f} s: {result.stderr!r}"
            )
    checkpoint(path)


def checkpoint(path: Path) -> None:
    """Fold any WAL into the file so that one file is the whole database."""
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def file_digest(path: Path) -> str:
    """The bytes of the database file and its side files, as one hash."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal", "-journal"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            digest.update(suffix.encode() + side.read_bytes())
    return digest.hexdigest()


def content_digest(path: Path) -> str:
    """Every row of every table (read through SQLite, so a checkpoint does not count)."""
    digest = hashlib.sha256()
    with contextlib.closing(sqlite3.connect(path)) as con:
        for line in con.iterdump():
            digest.update(line.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass
class Snapshot:
    """A database file as it was before an input, to tell whether a refused run wrote."""

    path: Path
    files: str
    content: str

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        return cls(path, file_digest(path), content_digest(path))

    def changed(self) -> bool:
        if not self.path.exists():
            return True
        if file_digest(self.path) == self.files:
            return False
        return content_digest(self.path) != self.content


def exists(path: Path) -> bool:
    """`path.exists()`, but False for a name the file system refuses (too long)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def leftovers(folder: Path, before: set[str]) -> list[str]:
    """Files that appeared in `folder` (temporary files left behind by a refused write)."""
    if not folder.exists():
        return []
    return sorted(set(os.listdir(folder)) - before)


FAMILIES = ("person", "task", "budget", "baseline", "downtime", "holidays", "config", "project")


def command_of(argv: Sequence[str]) -> str:
    """The command an argv runs, e.g. `task add` (the root --db/--as values skipped)."""
    words: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--db", "--as", "--screen"):
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    if words and words[0] in FAMILIES:
        return " ".join(words[:2])
    return words[0] if words else ""


def shell_quote(arg: str) -> str:
    """`arg` as bash would need it typed: plain, or $'…' with each odd byte as \\xHH (so
    bytes that are not UTF-8 reproduce exactly), or a python3 one-liner for a long run."""
    if len(arg) > 60 and len(set(arg)) == 1:
        return f'"$(python3 -c "print({arg[0]!r} * {len(arg)}, end=\'\')")"'
    if arg and all(c.isascii() and (c.isalnum() or c in "-_./:=,+@%") for c in arg):
        return arg
    data = os.fsencode(arg)
    if len(data) > 200:
        return shell_quote(arg[:60]) + f"…(+{len(arg) - 60} characters)"
    out = "".join(chr(b) if 32 <= b < 127 and b not in (39, 92) else f"\\x{b:02x}" for b in data)
    return f"$'{out}'"


def printable(text: str) -> str:
    """`text` with every control, C1 and lone-surrogate character shown as an escape."""
    return "".join(
        c
        if c.isprintable() or c == " "
        else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


def shorten(text: str, limit: int = 160) -> str:
    """An input as one printable line for a reproduction (escapes shown, long runs cut)."""
    shown = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    shown = re.sub(
        r"(.{8,}?)\1{3,}", lambda m: f"{m.group(1)}…×{len(m.group(0)) // len(m.group(1))}", shown
    )
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
