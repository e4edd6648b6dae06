"""Where the database is and whether its file can be used — standard library only, so the
CLI can refuse a bad file before the heavier database modules load.

A file that is not an itpm database, a corrupt one, or one written by a newer release is
refused with a `DatabaseError` before anything touches it, so it stays byte-for-byte as it was.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from itpm_tui.errors import DatabaseError

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).with_name("migrations")


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("itpm") / "itpm.db"


def resolve_url(
    db_path: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> str:
    """`--db PATH` wins, then `ITPM_DB`, then config `database_url`, then the default file.
    `--db` and `ITPM_DB` take a file or a URL (`postgresql://…`)."""
    for given in (os.fspath(db_path) if db_path else "", os.environ.get("ITPM_DB", "")):
        if given:
            return named_database(given)
    if database_url:
        return database_url_of(database_url)
    return sqlite_url(default_db_path())


#: A URL, not a file name: `scheme://…` (a file name with `://` in it is not worth a guess).
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: PostgreSQL URLs without a driver: libpq's own spelling, served by psycopg 3.
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def named_database(argument: str) -> str:
    """A database named on the command line: a URL (`postgresql://…`, `sqlite:///…`) as
    SQLAlchemy opens it, anything else the path of a SQLite file."""
    return database_url_of(argument) if _URL_SCHEME.match(argument) else sqlite_url(Path(argument))


def shown(url: str) -> str:
    """A database as a message names it: a SQLite file by its path, a server by its URL
    with the password masked."""
    path = sqlite_path(url)
    return str(path) if path is not None else redact_url(url)


def database_url_of(url: str) -> str:
    """`url` as SQLAlchemy opens it: `postgresql://` (and `postgres://`) mean psycopg 3,
    which SQLAlchemy would otherwise take for psycopg2."""
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


#: `user:password@` after a scheme (or where one was mistyped): the password runs to the last
#: `@` before a quote or line end, so a password holding `@`, `?` or `/` is masked whole.
_USER_PASSWORD = re.compile(
    r"""(?P<user>(?:\b[A-Za-z][\w+.-]*:?//)?[^\s:/@'"]*):(?!//)(?!\s)[^'"\n]*@"""
)
#: Query parameters of a database URL that carry a password.
_SECRET_PARAMETER = re.compile(r"(?i)([?&;](?:password|passwd|pwd|pass)=)[^&;#'\"\s]*")


def redact_url(text: str) -> str:
    """A database URL, or a message quoting one, as it may be shown: a password masked
    (`postgresql://u:***@host/db`, `?password=***`). Text that does not parse as a URL (a
    mistyped value quoted in an error) is masked too; a SQLite URL is a path, left as is."""
    if text.startswith("sqlite:"):
        return text
    text = _USER_PASSWORD.sub(r"\g<user>:***@", text)
    return _SECRET_PARAMETER.sub(r"\1***", text)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().absolute()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another database or an in-memory one."""
    if url.startswith("sqlite:///"):
        name = url.removeprefix("sqlite:///")
        return None if name in ("", ":memory:") else Path(name)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(
            f"database_url '{redact_url(url)}' is not a database URL: {redact_url(str(exc))}"
        ) from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def head_revision() -> str:
    """The newest schema revision this release knows, read from the migration files."""
    return max(known_revisions())


def known_revisions() -> list[str]:
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def inspect_sqlite_file(path: Path) -> str | None:
    """Check a database file without changing it; return its schema revision (None if new).

    Raises `DatabaseError` for a file that is not SQLite, has a damaged header, is some
    other application's database, or has a schema this release does not know (newer, or an
    unknown older one) — and, naming the real cause, for a sound file that cannot be opened
    (a read-only folder, a full disk, a lock, a name too long).

    Only what is cheap is read: the header, the schema and the revision (a few pages,
    whatever the file's size). Damage deeper in the file is found by `itpm doctor`
    (`check_whole_file`); a read that meets it first is refused in one line that says to
    run it (`storage.failures`).
    """
    if not exists(path) or path.stat().st_size == 0:
        return None
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(HEADER_SIZE)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a SQLite database (no SQLite header); left untouched")
    if problem := header_problem(header):
        raise DatabaseError(
            f"{path} is corrupt ({problem}); left untouched — restore it from a backup"
        )
    try:
        with read_only(path) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise DatabaseError(
                    f"{path} is a SQLite database but not an itpm one; left untouched"
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(cannot_open(path, exc)) from None
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(unknown_revision(path, str(revision)))
    return revision


def read_only(path: Path) -> closing[sqlite3.Connection]:
    """A plain sqlite3 connection to `path` that cannot write, closed on leaving `with`: the
    checks made before (or beside) the database layer."""
    return closing(connect_read_only(path))


def connect_read_only(path: Path, **options: Any) -> sqlite3.Connection:
    """A sqlite3 connection to `path` that SQLite itself refuses to write through (`mode=ro`):
    whatever reads it — a check, a copy, a backup — cannot change the file."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, **options)


#: The bytes of the header `header_problem` reads.
HEADER_SIZE = 100


def header_problem(header: bytes) -> str:
    """What is wrong with the 100-byte header of a SQLite file ("" when nothing): the fields
    SQLite fixes (page size, format versions, payload fractions) — a wrecked first page
    shows there, and SQLite itself may read such a file wrongly rather than refuse it."""
    if len(header) < HEADER_SIZE:
        return "its header is cut short"
    size = int.from_bytes(header[16:18], "big")
    size = 65536 if size == 1 else size
    if size < 512 or size & (size - 1):
        return f"its header gives a page size of {size}"
    if header[18] not in (1, 2) or header[19] not in (1, 2):
        return "its header gives an unknown file format"
    if header[21:24] != bytes((64, 32, 32)):
        return "its header gives impossible payload fractions"
    return ""


def check_whole_file(path: Path) -> str:
    """`PRAGMA quick_check` of the whole file, read-only: "ok", or SQLite's first finding.
    It reads every page (about a second per gigabyte), so only `itpm doctor` asks it."""
    try:
        with read_only(path) as conn:
            found = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return str(found[0]) if found else "no answer"


def exists(path: Path) -> bool:
    """Whether `path` exists; a name the file system cannot hold (too long, say) is said in
    one line instead of an `OSError`."""
    try:
        return path.exists()
    except OSError as exc:
        raise DatabaseError(f"cannot use {short(str(path))}: {exc.strerror}") from None


def require_existing(path: Path) -> None:
    """For a command that only reads: a mistyped path is said, not created."""
    if not exists(path):
        raise DatabaseError(f"no database at {path}")


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[: limit - 21]}…{text[-20:]}"


#: What SQLite's result code means when a sound file cannot be opened. Only NOTADB and
#: CORRUPT say something about the file itself; the others are about where it lives.
_OPEN_REASONS = {
    "SQLITE_BUSY": "it is locked by another program — try again",
    "SQLITE_LOCKED": "it is locked by another program — try again",
    "SQLITE_FULL": "the disk holding it is full",
    "SQLITE_IOERR_SHMSIZE": "the disk holding it is full (no room for its -shm file)",
    "SQLITE_IOERR": "the disk holding it could not be read or written",
    "SQLITE_READONLY": "it is read-only",
    "SQLITE_PERM": "permission denied",
    "SQLITE_AUTH": "permission denied",
}


def cannot_open(path: Path, exc: sqlite3.Error) -> str:
    """The one line for a database file SQLite refused: corrupt only when SQLite says so."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return f"{path} is corrupt or not a database ({exc}); left untouched"
    if name.startswith("SQLITE_CANTOPEN"):
        folder = path.absolute().parent
        if not os.access(folder, os.W_OK):
            return (
                f"cannot open {path}: its folder is read-only, and SQLite must create "
                f"{path.name}-shm beside it; the file itself is fine"
            )
        return f"cannot open {path}: {exc}; the file is left untouched"
    reason = next((r for code, r in _OPEN_REASONS.items() if name.startswith(code)), str(exc))
    return f"cannot open {path}: {reason}; the file is left untouched"


def unknown_revision(where: Path | str, revision: str) -> str:
    """A schema revision this release does not know: newer (upgrade itpm) or an unknown
    older one (not a release's schema: a development build, or an edited file). `where` is
    a SQLite file's path, or words naming a server database ("the database")."""
    head = head_revision()
    if revision.isdigit() and head.isdigit() and int(revision) > int(head):
        what = "the file" if isinstance(where, Path) else "the database"
        return (
            f"{where} was written by a newer release of itpm (schema {revision}; this "
            f"release knows up to {head}); upgrade itpm to open it — {what} is untouched"
        )
    return (
        f"{where} has schema {revision}, which no release of itpm wrote (this release "
        f"knows {', '.join(known_revisions())}); left untouched — restore it from a backup"
    )
