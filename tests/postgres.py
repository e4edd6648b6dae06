"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder.

`Cluster.start` runs initdb and pg_ctl from the installed server binaries (Debian puts them
in /usr/lib/postgresql/VERSION/bin), listening on a Unix socket in the cluster's folder only —
no port is shared with anything else on the machine, so every pytest-xdist worker can run
its own. The server refuses to run as root: as root, the folder is handed to the `postgres`
system user and the binaries run as it (`runuser`). Durability is switched off (`fsync`,
`synchronous_commit`): a crash loses nothing a test needs.

Databases are cloned from migrated templates (`CREATE DATABASE … TEMPLATE`), a file copy on
the server, so a fresh database per test costs milliseconds rather than a migration.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: Set to 0 to skip the PostgreSQL tests on a machine without the server binaries.
SWITCH = "ITPM_TEST_POSTGRES"
#: The cluster's superuser, whom the tests connect as: on a server the acting login is the
#: database's (`SELECT current_user`), so it has the name the tests' config `user` has.
SUPERUSER = "tester"


def server_bin() -> Path | None:
    """The newest installed server's bin folder (with initdb), or None."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def wanted() -> bool:
    return os.environ.get(SWITCH, "1") != "0"


@dataclass
class Cluster:
    folder: Path
    bin: Path
    user: str = field(default="")
    port: int = 5432

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str) -> str:
        """The URL itpm is given (`postgresql://`, mapped to psycopg 3 by itpm itself)."""
        return self.url_as(SUPERUSER, database)

    def url_as(self, login: str, database: str) -> str:
        """The URL of `database` for the login `login` (trusted on the socket: no password)."""
        return f"postgresql://{login}@/{database}?host={self.socket_dir}&port={self.port}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()[-800:]}")

    def start(self) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        self.serve()

    def serve(self) -> None:
        """Start the server on the cluster made by `start` (again, after `stop`)."""
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{self.socket_dir}'",
                f"-p {self.port}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
                "-c shared_buffers=32MB",
            ]
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        """Stop the server, dropping every connection. A fast shutdown, not an immediate
        one: with commits asynchronous (above), a crash loses the last ones, which a test
        that restarts the server would miss depending on timing."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    # --- databases ------------------------------------------------------------------------

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(
            dbname="postgres", user=SUPERUSER, host=str(self.socket_dir), port=self.port
        ) as conn:
            conn.autocommit = True
            conn.execute(sql)  # type: ignore[arg-type]

    def create(self, name: str, template: str = "template0") -> str:
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster(folder: Path) -> Cluster:
    """A running cluster in `folder` (short: a socket path is at most 107 bytes)."""
    found = server_bin()
    if found is None:
        raise RuntimeError(
            "the PostgreSQL tests need the server binaries (initdb, pg_ctl): install the "
            f"Debian package postgresql, or set {SWITCH}=0 to skip them"
        )
    user = "postgres" if os.geteuid() == 0 else ""
    cluster = Cluster(folder=folder, bin=found, user=user)
    cluster.start()
    return cluster


@contextmanager
def throwaway_cluster(prefix: str = "itpm-pg-") -> Iterator[Cluster]:
    """A cluster in a new folder under /tmp for a pytest fixture: the test is skipped when
    switched off, fails in one line without the binaries, and the server is stopped and its
    folder removed at the end whatever happened. /tmp, not pytest's folders: the socket path
    must stay short, and as root the server runs as `postgres`, which cannot enter them."""
    import pytest

    if not wanted():
        pytest.skip(f"PostgreSQL tests switched off ({SWITCH}=0)")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        cluster = start_cluster(folder)
    except RuntimeError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
