"""Real faults, real processes: each refusal is one line on stderr, exit status 2, never a
traceback, never the data (names, e-mails, SQL parameters), the database file byte-for-byte
as it was and no temporary file left behind.

The faults are the machine's own, made without privileges: a full disk and a read-only
file system are a small tmpfs in a user namespace (`unshare -rm`), a read-only file is the
user `nobody` (`setpriv`) given only the right to read, a lock is a second process holding
`BEGIN IMMEDIATE`. A test is skipped only when the tool it needs is missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from itpm_tui.services.context import Context

PYTHON = [sys.executable, "-m", "itpm_tui"]
Result = subprocess.CompletedProcess[str]


def itpm(
    *args: str | bytes, env: dict[str, str] | None = None, prefix: list[str] | None = None
) -> Result:
    """`itpm ARGS` as a user runs it (bytes arguments reach it as they are)."""
    done = subprocess.run(
        [*(prefix or []), *PYTHON, *args],
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def people_data(path: Path) -> list[str]:
    """Every name, e-mail and phone number of the team: none may appear in a message."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, email, phone FROM person").fetchall()
    finally:
        conn.close()
    return [value for row in rows for value in row if value]


def assert_refused(result: Result, *needles: str, secrets: Sequence[str] = ()) -> str:
    """Exit 2, exactly one line on stderr holding every needle, no traceback, no secret."""
    assert result.returncode == 2, result
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    for secret in secrets:
        assert secret not in output
    assert "SELECT" not in output and "INSERT" not in output
    return lines[0]


def no_temporary_files(folder: Path) -> None:
    assert [p.name for p in folder.rglob("*.tmp")] == []


@pytest.fixture
def portfolio(demo_ctx: Context, db_path: Path) -> Path:
    """The demo portfolio in a file no process holds open (its WAL folded in)."""
    demo_ctx.db.dispose()
    return db_path


@pytest.fixture
def exported(portfolio: Path, tmp_path: Path) -> Path:
    """The demo portfolio as a JSON file: people's names, e-mails and phones."""
    path = tmp_path / "portfolio.json"
    assert itpm("--db", str(portfolio), "export", "-o", str(path)).returncode == 0
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config naming the demo's project manager (written by hand: no itpm code)."""
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text('user = "ana"\n', encoding="utf-8")
    return path


def _works(*command: str) -> bool:
    if shutil.which(command[0]) is None:
        return False
    return subprocess.run([*command, "true"], capture_output=True).returncode == 0


NAMESPACES = _works("unshare", "-rm")
NOBODY = [
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    # to read the interpreter and the code wherever they are (e.g. under /root), not to write
    "--inh-caps=+dac_read_search",
    "--ambient-caps=+dac_read_search",
]
needs_namespaces = pytest.mark.skipif(
    not NAMESPACES, reason="unshare -rm (user and mount namespaces) is not available"
)
needs_nobody = pytest.mark.skipif(
    os.geteuid() != 0 or not _works(*NOBODY),
    reason="setpriv to the user nobody needs root and setpriv",
)


def in_namespace(setup: str, *args: str, after: str = "") -> Result:
    """`itpm ARGS` after the shell `setup` ran as root of a new user and mount namespace
    (its mounts vanish with it; `after` runs before they do, with `$rc` set)."""
    script = f'set -e\n{setup}\nset +e\n"$@"\nrc=$?\n{after}\nexit $rc'
    return itpm(*args, prefix=["unshare", "-rm", "sh", "-c", script, "sh"])


def on_full_disk(
    tmp_path: Path, files: list[Path], *args: str, room_kb: int = 0, own_config: bool = False
) -> tuple[Result, Path]:
    """`itpm ARGS` with `files` copied onto a 700 kB tmpfs filled to the last block but
    `room_kb` (room for SQLite to open a file, not to write to it); what the disk holds
    afterwards is copied to the folder returned. `own_config`: ITPM_CONFIG is the
    config.toml among `files`, on the full disk."""
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir(exist_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    setup = [
        f"mount -t tmpfs -o size=700k tmpfs {disk}",
        *(f"cp {file} {disk}/" for file in files),
        f"head -c {room_kb}k /dev/zero > {disk}/room",
        f"dd if=/dev/zero of={disk}/fill bs=1k 2>/dev/null || true",
        f"dd if=/dev/zero of={disk}/fill2 bs=64 2>/dev/null || true",
        f"rm {disk}/room",
    ]
    if own_config:
        setup.append(f"export ITPM_CONFIG={disk}/config.toml")
    result = in_namespace("\n".join(setup), *args, after=f"cp -a {disk}/. {out}/")
    return result, out


# --- names the file system cannot hold -------------------------------------------------


def test_file_names_too_long_are_one_line(portfolio: Path, tmp_path: Path) -> None:
    long_db = tmp_path / ("a" * 300 + ".db")
    for args in (["my"], ["project", "add", "FW4", "Firewall"]):
        assert_refused(itpm("--db", str(long_db), *args), "File name too long")
    long_json = tmp_path / ("b" * 300 + ".json")
    before = digest(portfolio)
    assert_refused(itpm("--db", str(portfolio), "export", "-o", str(long_json)), "too long")
    assert_refused(itpm("--db", str(portfolio), "import", str(long_json)), "too long")
    assert digest(portfolio) == before
    no_temporary_files(tmp_path)
    assert not any(p.name.startswith("a" * 20) for p in tmp_path.iterdir())


# --- bytes that are not UTF-8 -----------------------------------------------------------


def test_arguments_that_are_not_utf8_are_refused(portfolio: Path, tmp_path: Path) -> None:
    before = digest(portfolio)
    line = assert_refused(
        itpm("--db", str(portfolio), "project", "add", "FW4", b"\xff\xfe"), "not valid UTF-8"
    )
    assert "argument 6" in line and "\\xff\\xfe" in line
    assert digest(portfolio) == before
    assert_refused(itpm("config", "set", "user", b"Ana \xe9"), "not valid UTF-8")
    assert not (tmp_path / "config").exists()


def test_json_and_config_files_that_are_not_utf8(
    portfolio: Path, exported: Path, tmp_path: Path
) -> None:
    data = exported.read_bytes()
    at = data.index(b'"name": "') + 9
    bad = tmp_path / "bad.json"
    bad.write_bytes(data[:at] + b"\xff\xfe" + data[at:])
    fresh = tmp_path / "new" / "itpm.db"
    assert_refused(
        itpm("--db", str(fresh), "import", str(bad)), "UTF-8", secrets=people_data(portfolio)
    )
    assert not (tmp_path / "new").exists()  # the failed first command left no database
    escaped = tmp_path / "surrogate.json"  # valid UTF-8, but a JSON escape of no character
    escaped.write_bytes(data.replace(b'"Ana Ferreira"', b'"Ana \\ud800"', 1))
    assert_refused(itpm("--db", str(fresh), "import", str(escaped)), "UTF-8")
    assert not (tmp_path / "new").exists()
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_bytes(b'user = "\xff"\n')
    assert_refused(itpm("--db", str(portfolio), "my"), "config.toml")
    assert_refused(itpm("config", "set", "theme", "nord"), "config.toml")
    assert config.read_bytes() == b'user = "\xff"\n'
    no_temporary_files(tmp_path)


# --- the right diagnosis ----------------------------------------------------------------


def test_mistyped_db_for_a_reading_command_is_not_created(tmp_path: Path, config: Path) -> None:
    missing = tmp_path / "typo" / "deeper" / "itpm.db"
    for args in (
        ["my"],
        ["changes"],
        ["export"],
        ["report", "FW-26"],
        ["whoami"],
        ["standup"],
        ["serve"],
        ["person", "list"],
        ["task", "list", "FW-26"],
        ["downtime", "list", "FW-26"],
        ["holidays", "list"],
        ["--as", "ana"],  # the dashboard looking as someone
    ):
        assert_refused(itpm("--db", str(missing), *args), f"no database at {missing}")
    assert itpm("--db", str(missing), "doctor").returncode == 1  # says so in its findings
    assert not (tmp_path / "typo").exists()
    added = itpm("--db", str(missing), "person", "add", "Ana", "--handle", "ana")
    assert added.returncode == 0, added.stderr  # a command that writes still creates it
    assert missing.exists()


def test_unknown_older_schema_is_not_called_newer(portfolio: Path) -> None:
    with sqlite3.connect(portfolio) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.close()
    before = digest(portfolio)
    line = assert_refused(itpm("--db", str(portfolio), "my"), "schema 0000", "no release")
    assert "newer" not in line
    assert digest(portfolio) == before


def test_postgresql_url_without_its_driver(config: Path, tmp_path: Path) -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("psycopg is installed here")
    config.write_text(
        'user = "ana"\ndatabase_url = "postgresql://ana:s3cret@db.example/itpm"\n',
        encoding="utf-8",
    )
    for args in (["my"], ["person", "add", "Ana", "--handle", "ana"]):
        line = assert_refused(itpm(*args), "psycopg", "not installed", secrets=["s3cret"])
        assert "postgresql://" in line


# --- a lock held longer than the busy timeout ---------------------------------------------


@pytest.fixture
def held(portfolio: Path) -> Iterator[Path]:
    """Another process holding the write lock until the test ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(portfolio)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('holding', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    try:
        yield portfolio
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_lock_held_longer_than_the_busy_timeout(held: Path, exported: Path, config: Path) -> None:
    secrets = people_data(held)
    before = digest(held)
    quick = {"ITPM_BUSY_TIMEOUT": "0.3"}
    for args in (
        ["person", "add", "Zed Quinn", "--handle", "zed"],
        ["demo", "--force"],
        ["task", "add", "FW-26", "Cabling"],
    ):
        assert_refused(
            itpm("--db", str(held), *args, env=quick), "locked by another program", secrets=secrets
        )
    assert digest(held) == before


# --- a read-only database file (the user nobody) -----------------------------------------


@needs_nobody
def test_read_only_file_is_said_without_the_data(
    portfolio: Path, exported: Path, request: pytest.FixtureRequest
) -> None:
    shared = Path(tempfile.mkdtemp(prefix="itpm-nobody-"))  # pytest's tmp is root's alone
    request.addfinalizer(lambda: shutil.rmtree(shared, ignore_errors=True))
    shared.chmod(0o777)  # nobody may create the -wal and -shm files, not write the database
    exported = Path(shutil.copy(exported, shared / exported.name))
    empty = shared / "empty.db"
    assert itpm("--db", str(empty), "person", "list").returncode == 2  # not created
    with sqlite3.connect(portfolio) as source, sqlite3.connect(empty) as target:
        source.backup(target)
    target.close()
    with sqlite3.connect(empty) as conn:  # the schema only: the import would fill it
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
        ).fetchall():
            conn.execute(f'DELETE FROM "{table}"')
    conn.close()
    full = shared / "itpm.db"
    shutil.copy(portfolio, full)
    config = shared / "config.toml"
    config.write_text('user = "ana"\n', encoding="utf-8")
    for path in (empty, full, config, exported):
        path.chmod(0o444)
    env = {"ITPM_CONFIG": str(config), "HOME": str(shared), "XDG_STATE_HOME": str(shared)}
    secrets = people_data(portfolio)
    before = {p: digest(p) for p in (empty, full)}
    for db, args in (
        (empty, ["import", str(exported)]),  # bound parameters: ten people's names
        (full, ["person", "add", "Zed Quinn", "--handle", "zed"]),
        (full, ["demo", "--force"]),
    ):
        result = itpm("--db", str(db), *args, env=env, prefix=NOBODY)
        assert_refused(result, "read-only", secrets=secrets)
    reading = itpm("--db", str(full), "whoami", env=env, prefix=NOBODY)
    assert reading.returncode == 0, reading.stderr  # reading it is fine
    assert {p: digest(p) for p in (empty, full)} == before
    no_temporary_files(shared)


# --- a read-only file system and a full disk (tmpfs in a user namespace) -------------------


@needs_namespaces
def test_healthy_database_in_a_read_only_folder_is_not_called_corrupt(
    portfolio: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(portfolio, folder / "itpm.db")
    before = digest(folder / "itpm.db")
    read_only = f"mount --bind {folder} {folder}\nmount -o remount,bind,ro {folder}"
    for args in (["my"], ["person", "add", "Zed", "--handle", "zed"]):
        line = assert_refused(
            in_namespace(read_only, "--db", str(folder / "itpm.db"), *args), "read-only"
        )
        assert "corrupt" not in line and "not a database" not in line
    assert digest(folder / "itpm.db") == before


@needs_namespaces
def test_full_disk_is_said_and_nothing_is_written(
    portfolio: Path, exported: Path, tmp_path: Path, config: Path
) -> None:
    from itpm_tui.storage.database import open_database, sqlite_url

    secrets = people_data(portfolio)
    empty = tmp_path / "empty.db"  # the schema, no rows
    open_database(sqlite_url(empty)).dispose()
    full = tmp_path / "full.db"
    shutil.copy(portfolio, full)
    disk = tmp_path / "disk"
    for source, args in (
        (empty, ["import", str(exported)]),
        (empty, ["demo"]),
        (full, ["demo", "--force"]),
        (full, ["person", "add", "Zed Quinn", "--handle", "zed"]),
    ):
        before = digest(source)
        result, out = on_full_disk(
            tmp_path, [source], "--db", str(disk / source.name), *args, room_kb=40
        )
        assert_refused(result, "full", secrets=secrets)
        assert digest(out / source.name) == before
        no_temporary_files(out)
    # no room at all, not even to open it: still "full", never "corrupt"
    result, out = on_full_disk(tmp_path, [full], "--db", str(disk / "full.db"), "my")
    line = assert_refused(result, "full", secrets=secrets)
    assert "corrupt" not in line
    # config set: the file stays as it was and no config.toml.tmp is left
    result, out = on_full_disk(
        tmp_path, [config], "config", "set", "theme", "nord", own_config=True
    )
    assert_refused(result, "cannot save", "config.toml")
    assert (out / "config.toml").read_text(encoding="utf-8") == 'user = "ana"\n'
    no_temporary_files(out)


# --- the guards: anything unexpected is one line and a private crash file ------------------


def test_cli_guard_writes_a_private_crash_file_without_the_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import itpm_tui.config
    from itpm_tui.cli import main

    email = "@".join(["ana.ferreira", "northbridge-it.eu"])  # only the raising line is shown

    def broken(*_args: object, **_kwargs: object) -> object:
        raise ValueError(email)

    monkeypatch.setattr(itpm_tui.config, "load_settings", broken)
    with pytest.raises(SystemExit) as ended:
        main(["whoami"])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("itpm: unexpected error (ValueError); details in ")
    assert "ana.ferreira" not in err
    (crash,) = (tmp_path / "state" / "itpm").glob("crash-*.txt")
    assert str(crash.name) in err
    assert stat.S_IMODE(crash.stat().st_mode) == 0o600
    report = crash.read_text(encoding="utf-8")
    assert "ValueError" in report and "in broken" in report
    assert "ana.ferreira" not in report


async def test_app_guard_ends_in_one_line_and_a_crash_file(
    demo_ctx: Context, tmp_path: Path
) -> None:
    from conftest import make_app

    app = make_app(demo_ctx)

    name = " ".join(["Ana", "Ferreira"])  # data: only the raising line is in the report

    def broken() -> None:
        raise KeyError(name)

    with pytest.raises(KeyError):  # run_test hands the exception on to the test
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.call_later(broken)
            await pilot.pause()
            await pilot.pause()
    assert app.return_code == 2
    assert app.fatal_error is not None
    assert app.fatal_error.startswith("unexpected error (KeyError); details in ")
    (crash,) = (tmp_path / "state" / "itpm").glob("crash-*.txt")
    assert stat.S_IMODE(crash.stat().st_mode) == 0o600
    assert "Ana Ferreira" not in crash.read_text(encoding="utf-8")
    assert "in broken" in crash.read_text(encoding="utf-8")


def test_engine_errors_never_quote_parameters(db_path: Path, ctx: Context) -> None:
    assert ctx.db.engine.hide_parameters


def test_schema_revisions_are_told_apart() -> None:
    from itpm_tui.storage.location import head_revision, unknown_revision

    newer = f"{int(head_revision()) + 1:04d}"
    assert "newer release" in unknown_revision(Path("f.db"), newer)
    assert unknown_revision(Path("f.db"), newer).endswith("the file is untouched")
    # A server database (PostgreSQL) is named in words and is no file.
    said = unknown_revision("the database", newer)
    assert said.startswith("the database was written") and "file" not in said
    for odd in ("0000", "abc"):
        said = unknown_revision("f.db", odd)
        assert "newer" not in said and "no release of itpm wrote" in said


def test_crash_report_follows_the_causes_without_their_messages() -> None:
    from itpm_tui.crash import crash_report

    secret = "+".join(["49 30", "5557 1201"])
    try:
        try:
            raise LookupError(secret)
        except LookupError as first:
            raise RuntimeError(secret) from first
    except RuntimeError as error:
        report = crash_report(error)
    assert "LookupError" in report and "RuntimeError" in report and "which led to:" in report
    assert report.index("LookupError") < report.index("RuntimeError")
    assert secret not in report


def test_a_damaged_page_met_by_a_command_is_one_line_and_doctor_finds_it(
    portfolio: Path, tmp_path: Path
) -> None:
    """The start reads only the header and the schema: a wrecked table is met by the
    command that reads it, which says in one line to run `itpm doctor` — and doctor does."""
    with sqlite3.connect(portfolio) as conn:
        roots = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'ledgerentry' AND rootpage > 0"
        ).fetchall()
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    data = bytearray(portfolio.read_bytes())
    for (page,) in roots:
        data[(page - 1) * size : page * size] = b"\xff" * size
    portfolio.write_bytes(bytes(data))
    out = tmp_path / "out.json"
    assert_refused(itpm("--db", str(portfolio), "export", "-o", str(out)), "damaged", "itpm doctor")
    assert not out.exists()
    checked = itpm("--db", str(portfolio), "doctor")
    assert checked.returncode == 1, checked
    assert "damaged: PRAGMA quick_check says" in checked.stdout
    assert "Traceback" not in checked.stdout + checked.stderr
