"""The last guard: an exception nobody expected becomes one line for the user and a crash
file for whoever fixes it — the code path, never the data.

The file holds the exception's type and the stack (file, line, function, source line) of it
and of its causes. Messages and local variables are left out: they may quote people's names,
e-mails or the SQL parameters of the row being written. Standard library only, so the CLI's
guard costs nothing at start-up.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path


def state_dir() -> Path:
    """Where crash files go: the user's state directory (`~/.local/state/itpm` on Linux)."""
    import platformdirs

    return platformdirs.user_state_path("itpm")


def crash_report(error: BaseException) -> str:
    """The stack of `error` and of the exceptions behind it, without messages or locals."""
    lines = ["itpm crash report: the code path only (messages and data are left out)", ""]
    seen: set[int] = set()
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for depth, exc in enumerate(reversed(chain)):
        if depth:
            lines.append("")
            lines.append("which led to:")
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        lines.append(exception_name(exc))
    return "\n".join(lines) + "\n"


def exception_name(error: BaseException) -> str:
    cls = type(error)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def write_crash_file(error: BaseException, folder: Path | None = None) -> Path:
    """Write the crash report in a new file private to the user (0600, folder 0700)."""
    folder = folder or state_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write(crash_report(error))
    return path


def crash_line(error: BaseException, folder: Path | None = None) -> str:
    """The one line for the user, after writing the crash file (if it can be written)."""
    name = type(error).__name__
    try:
        path = write_crash_file(error, folder)
    except OSError as exc:
        return f"unexpected error ({name}); no crash file could be written: {exc.strerror}"
    return f"unexpected error ({name}); details in {_home_relative(path)}"


def _home_relative(path: Path) -> str:
    home = Path.home()
    try:
        return f"~/{path.relative_to(home)}"
    except ValueError:
        return str(path)
