"""Where the database is and whether its file can be used — standard library only, so the
CLI can refuse a bad file before the heavier database modules load.

A file that is not an itpm database, a corrupt one, or one written by a newer release is
refused with a `DatabaseError` before anything touches it, so it stays byte-for-byte as it was.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from itpm_tui.errors import DatabaseError

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).with_name("migrations")


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("itpm") / "itpm.db"


def resolve_url(
    db_path: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> str:
    """`--db PATH` wins, then `ITPM_DB`, then config `database_url`, then the default file."""
    if db_path:
        return sqlite_url(Path(db_path))
    if env := os.environ.get("ITPM_DB"):
        return sqlite_url(Path(env))
    if database_url:
        return database_url
    return sqlite_url(default_db_path())


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


def inspect_sqlite_file(path: Path, *, full: bool = True) -> str | None:
    """Check a database file without changing it; return its schema revision (None if new).

    Raises `DatabaseError` for a file that is not SQLite, is corrupt, is some other
    application's database, or was written by a newer release. `full=False` skips
    `PRAGMA quick_check`, which reads the whole file (a reader that falls back to the full
    check on any SQLite error loses nothing by it).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a SQLite database (no SQLite header); left untouched")
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone() if full else ("ok",)
            if not check or check[0] != "ok":
                raise DatabaseError(
                    f"{path} is corrupt ({check[0] if check else 'no answer'}); "
                    "left untouched — restore it from a backup"
                )
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
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path} is corrupt or not a database ({exc}); left untouched"
        ) from None
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"{path} was written by a newer release of itpm (schema {revision}; this release "
            f"knows up to {head_revision()}); upgrade itpm to open it — the file is untouched"
        )
    return revision
