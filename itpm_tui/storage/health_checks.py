"""Whether a database file can be shared by a team on one host: what `itpm doctor` checks.

Standard library only, and nothing is ever changed: the file is opened read-only. Each check
gives a `Finding` — fine, or what to fix with the exact command. A team shares one SQLite
file when its folder belongs to the team's group, is group-writable and setgid (so the
`-wal`/`-shm` side files SQLite creates there get the group), and the file and its side
files are group-readable and writable. SQLite's WAL keeps its lock in shared memory, which
works between processes of one host only: a network file system is refused.
"""

from __future__ import annotations

import grp
import os
import re
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from itpm_tui.errors import DatabaseError
from itpm_tui.storage.location import (
    check_whole_file,
    head_revision,
    inspect_sqlite_file,
    known_revisions,
    read_only,
)
from itpm_tui.storage.project_totals import disagreeing, projects

#: File systems where SQLite's WAL (shared-memory locking on one host) cannot work.
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "sshfs",
        "fuse.sshfs",
        "9p",
        "afs",
        "ceph",
        "fuse.ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.s3fs",
        "ncpfs",
        "coda",
    }
)
#: Less free space than this on the database's disk is reported (a migration copies tables).
LOW_DISK_BYTES = 100 * 1024 * 1024
SIDE_SUFFIXES = ("-wal", "-shm")


class Status(StrEnum):
    OK = "ok"
    FIX = "fix"
    NOTE = "note"  # worth knowing, nothing to fix


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was checked, its status, and what to do (a command)."""

    status: Status
    what: str
    fix: str = ""

    def line(self) -> str:
        return f"{self.status.value:<4}  {self.what}" + (f" — {self.fix}" if self.fix else "")


def ok(what: str) -> Finding:
    return Finding(Status.OK, what)


def fix(what: str, command: str) -> Finding:
    return Finding(Status.FIX, what, command)


def note(what: str, hint: str = "") -> Finding:
    return Finding(Status.NOTE, what, hint)


# --- mounts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mount:
    point: str
    fs_type: str
    source: str


def _unescape_mount(text: str) -> str:
    """/proc mount fields escape space, tab, newline and backslash as \\ooo octal."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a /proc/self/mountinfo text (proc(5)); lines it cannot read are skipped."""
    mounts = []
    for raw in text.splitlines():
        left, sep, right = raw.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or not tail:
            continue
        mounts.append(
            Mount(_unescape_mount(fields[4]), tail[0], _unescape_mount(tail[1]) if tail[1:] else "")
        )
    return mounts


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount holding an absolute, resolved `path`: the longest mount point above it (the
    last one mounted when several share a point)."""
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        inside = point == "/" or path == point or path.startswith(point + "/")
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount
    return best


def is_network(fs_type: str) -> bool:
    kind = fs_type.lower()
    return kind in NETWORK_FS or kind.split(".")[0] in NETWORK_FS


def check_file_system(path: Path, mountinfo: str | None = None) -> Finding:
    """Refuse a network file system for `path` (its folder when the file is not there yet)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return note("file system: not known (no /proc/self/mountinfo on this system)")
    where = path if path.exists() else path.parent
    mount = mount_of(os.path.realpath(where), parse_mountinfo(mountinfo))
    if mount is None:
        return note(f"file system: not known for {where}")
    if is_network(mount.fs_type):
        return fix(
            f"{path} is on a network file system ({mount.fs_type} {mount.source} at "
            f"{mount.point}): SQLite's WAL needs shared memory on one host, so writers on "
            "other machines would corrupt it",
            "keep the file on a local disk of the host the technicians log in to (ssh there)",
        )
    return ok(f"file system: {mount.fs_type} on {mount.point}, local (WAL can work)")


# --- modes and groups ----------------------------------------------------------------------


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def is_shared(folder: os.stat_result, file: os.stat_result | None) -> bool:
    """A folder that is group-writable or setgid, or a group-writable file, is meant to be
    shared with a group; otherwise the installation is one person's."""
    if folder.st_mode & (stat.S_IWGRP | stat.S_ISGID):
        return True
    return file is not None and bool(file.st_mode & stat.S_IWGRP)


def check_folder(folder: Path, info: os.stat_result, shared: bool) -> list[Finding]:
    mode, group = stat.S_IMODE(info.st_mode), group_name(info.st_gid)
    found = []
    if not os.access(folder, os.W_OK | os.X_OK):
        found.append(
            fix(
                f"folder {folder}: you cannot create files in it (mode {mode:04o}, group "
                f"{group}), so SQLite cannot make its -wal/-shm side files",
                f"ask its owner to add you to the group {group}, or: chmod g+wx {folder}",
            )
        )
    if not shared:
        found.append(
            note(
                f"folder {folder}: mode {mode:04o}, private to its owner",
                "to share with a team see README 'Serving technicians over SSH' "
                "(or run itpm doctor --shared)",
            )
        )
        return found
    if not info.st_mode & stat.S_IWGRP:
        found.append(
            fix(f"folder {folder}: not group-writable ({mode:04o})", f"chmod g+w {folder}")
        )
    if not info.st_mode & stat.S_ISGID:
        found.append(
            fix(
                f"folder {folder}: not setgid ({mode:04o}), so new -wal/-shm files get the "
                f"creator's group instead of {group}",
                f"chmod g+s {folder}",
            )
        )
    if info.st_mode & stat.S_IWGRP and info.st_mode & stat.S_ISGID:
        found.append(
            ok(f"folder {folder}: group {group}, mode {mode:04o} (group-writable, setgid)")
        )
    return found


def check_shared_file(
    path: Path, info: os.stat_result, folder: os.stat_result, shared: bool
) -> list[Finding]:
    """A database file or side file: readable and writable by the group when shared."""
    mode, group = stat.S_IMODE(info.st_mode), group_name(info.st_gid)
    found = []
    if info.st_mode & stat.S_IWOTH:
        found.append(
            fix(f"{path}: anyone on the host can write it (mode {mode:04o})", f"chmod o-w {path}")
        )
    if not shared:
        if not os.access(path, os.R_OK | os.W_OK):
            found.append(
                fix(
                    f"{path}: you cannot read and write it (mode {mode:04o}, group {group})",
                    f"ask its owner: chmod g+rw {path}, and add you to the group {group}",
                )
            )
        else:
            found.append(ok(f"{path}: mode {mode:04o}, you can read and write it"))
        return found
    folder_group = group_name(folder.st_gid)
    if info.st_gid != folder.st_gid:
        found.append(
            fix(
                f"{path}: group {group}, not the folder's group {folder_group}",
                f"chgrp {folder_group} {path}",
            )
        )
    if (info.st_mode & (stat.S_IRGRP | stat.S_IWGRP)) != (stat.S_IRGRP | stat.S_IWGRP):
        found.append(
            fix(f"{path}: not group-readable and writable (mode {mode:04o})", f"chmod g+rw {path}")
        )
    if not found:
        found.append(ok(f"{path}: group {group}, mode {mode:04o} (the group reads and writes)"))
    return found


# --- the database --------------------------------------------------------------------------


def check_database(path: Path) -> tuple[list[Finding], bool]:
    """Exists, opens, every page sound (`PRAGMA quick_check`), journal mode, schema
    revision; True with the findings when it opened."""
    try:
        return _check_database(path)
    except OSError as exc:
        return [fix(f"{path}: {exc.strerror or exc}", f"check the modes of {path}")], False


def _check_database(path: Path) -> tuple[list[Finding], bool]:
    if not path.exists():
        return [
            fix(
                f"{path} does not exist",
                f"check --db / ITPM_DB, or create it by adding yourself to the team: "
                f"itpm --db {path} person add NAME --handle HANDLE",
            )
        ], False
    if path.is_dir():
        return [fix(f"{path} is a directory, not a database file", "give --db a file")], False
    if path.stat().st_size == 0:
        return [note(f"{path} is empty: itpm makes the tables when it first opens it")], False
    try:
        revision = inspect_sqlite_file(path)
    except DatabaseError as exc:
        command = "upgrade itpm" if "newer release" in str(exc) else "check --db / ITPM_DB"
        return [fix(str(exc), command)], False
    whole = check_whole_file(path)  # the one place that reads every page (never at start)
    if whole != "ok":
        return [
            fix(
                f"{path} is damaged: PRAGMA quick_check says {whole}",
                "restore it from a backup (itpm refuses what it cannot read)",
            )
        ], False
    found = [ok(f"{path} opens: a SQLite database, integrity quick check ok (every page read)")]
    found.append(_journal_mode(path))
    newest = head_revision()
    if revision is None:
        found.append(note("schema: no tables yet; itpm creates them when it first opens it"))
    elif revision == newest:
        found.append(ok(f"schema revision {revision}: the newest this release knows"))
        found.append(check_totals(path))
    elif revision in known_revisions():
        found.append(
            fix(
                f"schema revision {revision} is older than this release's {newest}",
                f"itpm migrates it when it opens it; do it now with: itpm --db {path} whoami",
            )
        )
    return found, True


def check_totals(path: Path) -> Finding:
    """Whether every project's stored totals (`storage.project_totals`) are the sums of its
    rows: the triggers keep them so, a program that dropped or bypassed them would not."""
    try:
        with read_only(path) as conn:
            wrong = disagreeing(lambda sql, params: conn.execute(sql, params).fetchall())
    except sqlite3.Error as exc:
        return fix(f"stored totals: cannot be read ({exc})", f"check the modes of {path}")
    if not wrong:
        return ok("stored totals: every project's are the sums of its rows")
    ids = ", ".join(str(i) for i in wrong[:5]) + (", …" if len(wrong) > 5 else "")
    return fix(
        f"stored totals of {projects(len(wrong))} disagree with their rows (ids {ids})",
        f"itpm --db {path} doctor --repair",
    )


def _journal_mode(path: Path) -> Finding:
    try:
        with read_only(path) as conn:
            row = conn.execute("PRAGMA journal_mode").fetchone()
    except sqlite3.Error as exc:
        return fix(f"journal mode: cannot be read ({exc})", f"check the modes of {path}")
    mode = str(row[0]).lower() if row else "unknown"
    if mode == "wal":
        return ok("journal mode: wal (readers never wait for the writer)")
    return note(
        f"journal mode: {mode}",
        "itpm switches the file to WAL when it next opens it for writing",
    )


def check_disk(path: Path) -> Finding:
    folder = path.parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return note(f"free disk space: not known ({exc.strerror})")
    size = sum(
        p.stat().st_size
        for p in (path, *(Path(f"{path}{s}") for s in SIDE_SUFFIXES))
        if p.is_file()
    )
    need = max(LOW_DISK_BYTES, 2 * size)
    free = f"{usage.free / 2**20:,.0f} MiB free"
    if usage.free < need:
        return fix(
            f"free disk space low on {folder}: {free}, want at least {need / 2**20:,.0f} MiB",
            "free some space (writes and migrations fail on a full disk)",
        )
    return ok(f"free disk space: {free}")


def check_installation(path: Path, *, shared: bool | None = None) -> tuple[list[Finding], bool]:
    """Every file check of `path` in order; `shared` None decides from the modes (see
    `is_shared`). Returns the findings and whether the database opened."""
    path = Path(os.path.abspath(path))
    folder = path.parent
    found, opened = check_database(path)
    try:
        folder_info = folder.stat()
        file_info = path.stat() if path.is_file() else None
    except OSError as exc:
        found.append(fix(f"folder {folder}: {exc.strerror}", f"install -d -m 2775 {folder}"))
        return found, opened
    if shared is None:
        shared = is_shared(folder_info, file_info)
    found += check_folder(folder, folder_info, shared)
    if file_info is not None:
        found += check_shared_file(path, file_info, folder_info, shared)
        for suffix in SIDE_SUFFIXES:
            side = Path(f"{path}{suffix}")
            try:
                found += check_shared_file(side, side.stat(), folder_info, shared)
            except OSError:
                continue  # not there: SQLite creates them when it opens the file
    found.append(check_file_system(path))
    found.append(check_disk(path))
    return found, opened
