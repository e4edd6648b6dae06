"""Reading a file someone asked itpm to import — one place for what can go wrong.

A name that is a FIFO, a device (`/dev/zero`, `/dev/full`) or a folder would have an import
read forever or fail deep inside; it is refused before a byte is read, and so is a file
larger than any portfolio itpm could hold in memory to check it whole.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from itpm_tui.errors import ItpmError

#: The largest file an import reads: ten times the 100,000-task benchmark portfolio.
MAX_IMPORT_BYTES = 2 * 1024**3


def open_input(
    path: Path, error: type[ItpmError] = ItpmError, *, limit: int = MAX_IMPORT_BYTES
) -> BinaryIO:
    """The regular file `path` open for reading, or `error` saying in one line why not. The
    caller reads it (a streamed import stops itself past `limit`, as the size may be out of
    date) and closes it."""
    label = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO does not block the open
    except FileNotFoundError:
        raise error(f"cannot import {label}: the file does not exist") from None
    except OSError as exc:
        raise error(f"cannot import {label}: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    problem = ""
    if stat.S_ISDIR(info.st_mode):
        problem = "it is a directory, not a file"
    elif not stat.S_ISREG(info.st_mode):
        problem = "it is not a regular file (a device or a pipe)"
    elif info.st_size > limit:
        problem = f"{info.st_size:,} bytes is more than the {limit:,} an import may hold"
    if problem:
        os.close(fd)
        raise error(f"cannot import {label}: {problem}")
    return os.fdopen(fd, "rb")


def read_input(
    path: Path, error: type[ItpmError] = ItpmError, *, limit: int = MAX_IMPORT_BYTES
) -> bytes:
    """The bytes of the regular file `path`, or `error` saying in one line why not."""
    label = str(path)
    with open_input(path, error, limit=limit) as handle:
        try:
            data = handle.read(limit + 1)  # the size said may be out of date: read no more
        except OSError as exc:
            raise error(f"cannot import {label}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"cannot import {label}: it holds more than the {limit:,} bytes an import may")
    return data
