"""Files and folders itpm creates are private to the user, whatever the umask.

A portfolio holds people's names, phones and budgets: the database, the config, exports and
reports are created 0600 in folders created 0700. One exception is the team set-up of the
README ("Serving technicians over SSH"): a new database in a folder that is group-writable
and setgid is created 0660, so the group can use it. What already exists is never chmod-ed;
a file replaced on purpose (`--force`) keeps the mode of the file it replaces, so it is
never made wider. Standard library only: the CLI, the config, formats and screens use it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from itpm_tui.errors import ItpmError

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
#: A new database in a team folder (group-writable and setgid): the group reads and writes.
TEAM_FILE = 0o660


class OutputError(ItpmError):
    """An output file that itpm will not write (not a regular file, or exists without
    --force), or a write that failed; nothing was written."""


def make_private_folders(folder: Path) -> None:
    """Create `folder` and any missing parent, each 0700 (what exists is left as it is)."""
    missing: list[Path] = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for step in reversed(missing):
        try:
            os.mkdir(step, PRIVATE_FOLDER)
        except FileExistsError:
            continue  # another process made it meanwhile: not ours to change
        os.chmod(step, PRIVATE_FOLDER)  # exact, whatever the umask


def is_team_folder(folder: Path) -> bool:
    """The README's team set-up (`install -d -m 2775 -g itpm`): group-writable and setgid."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return bool(mode & stat.S_IWGRP and mode & stat.S_ISGID)


def create_database_file(path: Path) -> None:
    """Create an empty database file (SQLite takes a 0-byte file for a new database) 0600 —
    0660 in a team folder — before SQLite would create it with the umask's mode; its
    -wal/-shm side files then get the same mode from SQLite. An existing file is untouched."""
    make_private_folders(path.parent)
    mode = TEAM_FILE if is_team_folder(path.parent) else PRIVATE_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def prepare_private(path: Path, *, like: Path) -> None:
    """Create `path` empty with the mode of the file `like` it will replace (0600 if there
    is none), so what is then written into it is never readable by more people."""
    try:
        mode = stat.S_IMODE(os.stat(like).st_mode)
    except OSError:
        mode = PRIVATE_FILE
    path.unlink(missing_ok=True)  # a left-over may have any mode
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def output_target(path: Path, *, replace: bool) -> tuple[Path, int | None]:
    """Where writing `path` goes and the mode of the file it replaces (None: a new file).

    Refuses, without opening anything, what is not a regular file (a FIFO, a device, a
    directory, or a symlink to one) and an existing file unless `replace` (`--force`). A
    symlink counts as existing; with `replace` the file it points to is replaced.
    """
    if not os.path.lexists(path):
        return path, None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None  # a symlink to nothing
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        link = "a symlink to " if os.path.islink(path) else ""
        raise OutputError(
            f"{path} is {link}{_kind(info.st_mode)}, not a regular file; itpm writes only files"
        )
    if not replace:
        raise OutputError(f"{path} already exists; use --force to replace it")
    target = Path(os.path.realpath(path))
    return target, None if info is None else stat.S_IMODE(info.st_mode)


def check_output(path: Path, *, replace: bool) -> None:
    """Refuse now, before any work, an output that `write_private` would refuse."""
    output_target(path, replace=replace)


def write_private(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write `data` to `path`: 0600 when new; replacing (only with `replace`) keeps the mode
    of the file it replaces. Written to a temporary file in the same folder, then renamed into
    place, so a reader never sees half a file and the target itself is never opened."""
    write_private_with(path, lambda handle: handle.write(data), replace=replace)


def write_private_with(
    path: Path, write: Callable[[BinaryIO], object], *, replace: bool = False
) -> None:
    """`write_private` for output made piece by piece: `write(handle)` streams it into the
    private temporary file, renamed into place only once it has returned (what it raises
    leaves no file behind)."""

    def fill(tmp: Path) -> None:
        with tmp.open("r+b") as handle:
            write(handle)

    write_private_file(path, fill, replace=replace)


def write_private_file(
    path: Path, fill: Callable[[Path], object], *, replace: bool = False
) -> None:
    """`write_private` for a writer that wants a file name (SQLite's backup, say): `fill(tmp)`
    writes the private, empty temporary file `tmp` beside `path`, which is renamed into place
    only once it has returned (what it raises leaves no file behind)."""
    target, mode = output_target(path, replace=replace)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            os.fchmod(fd, PRIVATE_FILE if mode is None else mode)
        finally:
            os.close(fd)
        fill(Path(tmp))
        if mode is not None:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # refuses if the file appeared meanwhile: never clobbered
            except FileExistsError:
                raise OutputError(f"{path} already exists; use --force to replace it") from None
            os.unlink(tmp)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
