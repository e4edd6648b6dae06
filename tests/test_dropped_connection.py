"""A dropped SSH connection loses nothing saved and leaves no lock.

The dashboard runs in a real terminal (tmux, on a socket of this test's own); a key writes
through it; then the terminal goes away the way a dropped SSH connection takes it — the
pseudo-terminal is closed and the process gets SIGHUP (`tmux kill-server`). What the
screen showed as saved must be in the file, a new writer must get the lock at once
(`BEGIN IMMEDIATE` with no wait), and `PRAGMA integrity_check` must say ok — also after
hang-ups in the middle of a stream of writes.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-02"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class Terminal:
    """One tmux server of our own (never the user's), 80×24, running one command."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, timeout=30
        )
        return done.stdout

    def start(self, command: str) -> int:
        self.tmux("new-session", "-d", "-x", "80", "-y", "24", command)
        return int(self.tmux("display-message", "-p", "#{pane_pid}").strip())

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def hang_up(self, pid: int) -> None:
        """Drop the terminal as sshd does when the connection dies, and wait for the end."""
        self.tmux("kill-server")
        wait_for(lambda: not alive(pid), "the process to end after SIGHUP")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(ready: Callable[[], object], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def itpm_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ITPM_CONFIG": str(tmp / "config.toml"),
        "ITPM_TODAY": TODAY,
        "NO_COLOR": "1",
    }


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """From an empty file, once for the module: a PM who has one task of her own."""
    tmp = tmp_path_factory.mktemp("planned")
    path, env = tmp / "team.db", itpm_env(tmp)
    itpm(env, path, "config", "set", "user", "ana")
    itpm(env, path, "person", "add", "Ana Berg", "--handle", "ana", "--role", "pm")
    itpm(env, path, "project", "add", "FW-01", "Branch firewall", "--start", "2026-12-01")
    itpm(env, path, "task", "add", "FW-01", "Survey site", "--assignee", "ana", "--duration", "2d")
    return path, env


@pytest.fixture
def env(planned: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return planned[1]


@pytest.fixture
def db(tmp_path: Path, planned: tuple[Path, dict[str, str]]) -> Path:
    """A copy of the planned file for this test (SQLite's backup, so the copy is whole)."""
    path = tmp_path / "team.db"
    source, target = sqlite3.connect(planned[0]), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path / "tmux.sock")
    yield term
    term.tmux("kill-server")  # our own server only


def itpm(env: dict[str, str], db: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def shell_line(env: dict[str, str], argv: list[str]) -> str:
    keep = ("PYTHONPATH", "ITPM_CONFIG", "ITPM_TODAY", "NO_COLOR", "PATH", "HOME")
    assignments = " ".join(f"{k}={shlex.quote(env[k])}" for k in keep if k in env)
    return f"exec env {assignments} {shlex.join(argv)}"


def assert_intact_and_unlocked(db: Path) -> None:
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)  # no waiting for a lock
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.execute("BEGIN IMMEDIATE")  # the write lock, at once
        conn.execute("UPDATE task SET description = description WHERE id = 1")
        conn.execute("COMMIT")
    finally:
        conn.close()


def task_row(db: Path) -> tuple[str, str | None, int]:
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT status, actual_start, percent_complete FROM task").fetchone()
    finally:
        conn.close()
    return row[0], row[1], int(row[2])


def test_a_key_pressed_before_the_connection_drops_is_saved(
    terminal: Terminal, db: Path, env: dict[str, str]
) -> None:
    command = [sys.executable, "-m", "itpm_tui", "--db", str(db), "--screen", "my"]
    pid = terminal.start(shell_line(env, command))
    wait_for(lambda: "· todo" in terminal.screen(), "My work to show the task")
    terminal.tmux("send-keys", "s")
    wait_for(lambda: "▶ in progress" in terminal.screen(), "the started task on screen")
    terminal.hang_up(pid)
    assert task_row(db)[:2] == ("in progress", TODAY)
    assert_intact_and_unlocked(db)
    itpm(env, db, "task", "done", "FW-01", "1")  # and itpm writes again straight away
    assert task_row(db)[0] == "done"


LOOP = """
import sys
from itpm_tui.cli import main
n = 0
while True:
    n += 1
    main(["--db", sys.argv[1], "task", "set", "FW-01", "1", "--percent", str(n % 90 + 1)])
"""


@pytest.mark.parametrize("delay", [0.2, 0.9])
def test_a_hang_up_in_the_middle_of_writes_leaves_an_intact_file(
    terminal: Terminal, db: Path, env: dict[str, str], delay: float
) -> None:
    pid = terminal.start(shell_line(env, [sys.executable, "-c", LOOP, str(db)]))
    wait_for(lambda: task_row(db)[2] > 0, "the first write of the loop")
    time.sleep(delay)  # somewhere in a stream of writes
    terminal.hang_up(pid)
    assert_intact_and_unlocked(db)
    assert 1 <= task_row(db)[2] <= 90  # the last committed write, whole
