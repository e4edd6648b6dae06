"""`itpm doctor`: each check against real files and modes, NFS detection from mountinfo text."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from test_task_cli import Run

from itpm_tui.storage import health_checks
from itpm_tui.storage.health_checks import (
    Status,
    check_disk,
    check_file_system,
    check_installation,
    mount_of,
    parse_mountinfo,
)

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 27 0:44 / /srv rw,relatime shared:5 - xfs /dev/sdb1 rw
41 40 0:45 / /srv/itpm rw,relatime - nfs4 fileserver:/export/itpm rw,vers=4.2
42 27 0:46 / /mnt/my\\040share rw - cifs //nas/share rw
43 27 0:47 / /home/ana/remote rw - fuse.sshfs ana@host:/srv rw
44 27 0:48 / /srv/itpm-local rw - ext4 /dev/sdc1 rw
"""


def create(db: Path) -> None:
    """An empty database of this release's schema, as the first writing command leaves it."""
    from itpm_tui.storage.database import open_database, sqlite_url

    open_database(sqlite_url(db)).dispose()


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    return Run(tmp_path / "team" / "team.db", capsys, monkeypatch)


def shared_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o2775)
    return folder


def lines_of(out: str, status: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(status)]


# --- mounts --------------------------------------------------------------------------------


def test_mountinfo_is_read_with_escapes_and_the_longest_mount_point_wins() -> None:
    mounts = parse_mountinfo(MOUNTINFO)
    assert [m.point for m in mounts][-3:] == [
        "/mnt/my share",
        "/home/ana/remote",
        "/srv/itpm-local",
    ]
    assert mount_of("/srv/itpm/team.db", mounts).fs_type == "nfs4"  # type: ignore[union-attr]
    assert mount_of("/srv/itpm-local/team.db", mounts).fs_type == "ext4"  # type: ignore[union-attr]
    assert mount_of("/srv/other.db", mounts).fs_type == "xfs"  # type: ignore[union-attr]
    assert mount_of("/mnt/my share/t.db", mounts).fs_type == "cifs"  # type: ignore[union-attr]
    assert mount_of("/etc/x", mounts).point == "/"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/srv/itpm/team.db", True),
        ("/mnt/my share/team.db", True),
        ("/home/ana/remote/team.db", True),
        ("/srv/itpm-local/team.db", False),
        ("/var/lib/itpm/team.db", False),
    ],
)
def test_a_network_file_system_is_refused_for_wal(path: str, network: bool) -> None:
    found = check_file_system(Path(path), MOUNTINFO)
    assert found.status is (Status.FIX if network else Status.OK)
    if network:
        assert "network file system" in found.what and "WAL" in found.what
    else:
        assert "local" in found.what


def test_9p_and_smb3_count_as_network_and_this_machines_tmp_is_checked() -> None:
    text = "1 0 0:1 / / rw - 9p host0 rw\n2 1 0:2 / /s rw - smb3 //x/y rw\n"
    assert check_file_system(Path("/a.db"), text).status is Status.FIX
    assert check_file_system(Path("/s/a.db"), text).status is Status.FIX
    assert check_file_system(Path("/tmp/a.db")).status in (Status.OK, Status.FIX)


# --- modes and groups ----------------------------------------------------------------------


def test_a_shared_setgid_folder_with_a_group_writable_file_is_fine(
    itpm: Run, tmp_path: Path
) -> None:
    folder = shared_folder(tmp_path)
    create(itpm.db)  # a reading command (whoami) no longer creates it
    for f in folder.iterdir():
        os.chmod(f, 0o664)
    code, out, _ = itpm("doctor")
    assert code == 0, out
    assert "group-writable, setgid" in out
    assert lines_of(out, "fix") == []
    assert out.rstrip().endswith("all fine")


def test_a_file_the_group_cannot_write_names_chmod(itpm: Run, tmp_path: Path) -> None:
    folder = shared_folder(tmp_path)
    create(itpm.db)
    db = folder / "team.db"
    os.chmod(db, 0o644)
    code, out, _ = itpm("doctor")
    assert code == 1
    assert any(f"chmod g+rw {db}" in line for line in lines_of(out, "fix")), out


def test_a_folder_without_setgid_or_group_write_names_each_command(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    os.chmod(folder, 0o755)
    db = folder / "team.db"
    sqlite3.connect(db).close()
    found, _ = check_installation(db, shared=True)
    fixes = [f.fix for f in found if f.status is Status.FIX]
    assert f"chmod g+w {folder}" in fixes
    assert f"chmod g+s {folder}" in fixes


def test_a_private_folder_is_a_note_not_a_failure(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    os.chmod(tmp_path, 0o755)
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.commit()
    os.chmod(db, 0o644)
    found, opened = check_installation(db)
    folder_lines = [f for f in found if "private to its owner" in f.what]
    assert folder_lines and folder_lines[0].status is Status.NOTE
    assert opened is False  # a SQLite file, but not an itpm one


def test_side_files_are_checked_when_present(tmp_path: Path) -> None:
    folder = shared_folder(tmp_path)
    db = folder / "team.db"
    for name in ("team.db", "team.db-wal", "team.db-shm"):
        (folder / name).write_bytes(b"")
        os.chmod(folder / name, 0o664)
    os.chmod(folder / "team.db-shm", 0o644)
    found, _ = check_installation(db)
    fixes = [f.fix for f in found if f.status is Status.FIX]
    assert fixes == [f"chmod g+rw {folder}/team.db-shm"]


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group to another needs root")
def test_a_file_of_another_group_than_the_folder_names_chgrp(tmp_path: Path) -> None:
    folder = shared_folder(tmp_path)
    db = folder / "team.db"
    db.write_bytes(b"")
    os.chmod(db, 0o664)
    other = 1 if folder.stat().st_gid != 1 else 2
    os.chown(db, -1, other)
    found, _ = check_installation(db)
    group = health_checks.group_name(folder.stat().st_gid)
    assert f"chgrp {group} {db}" in [f.fix for f in found]


def test_a_world_writable_file_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    db.write_bytes(b"")
    os.chmod(db, 0o666)
    found, _ = check_installation(db, shared=False)
    assert f"chmod o-w {db}" in [f.fix for f in found]


def test_low_disk_space_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "team.db"
    assert check_disk(db).status is Status.OK  # this machine's disk has room
    monkeypatch.setattr(
        health_checks.shutil,
        "disk_usage",
        lambda _p: health_checks.shutil._ntuple_diskusage(  # type: ignore[attr-defined]
            10**9, 10**9 - 5 * 2**20, 5 * 2**20
        ),
    )
    found = check_disk(db)
    assert found.status is Status.FIX and "5 MiB free" in found.what


# --- the database, the schema, the config and the user -------------------------------------


def test_journal_mode_other_than_wal_is_a_note(tmp_path: Path) -> None:
    from itpm_tui.storage.health_checks import check_database
    from itpm_tui.storage.location import head_revision

    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:  # a rollback-journal file, as before WAL
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
    found, opened = check_database(db)
    assert opened
    modes = [f for f in found if f.what.startswith("journal mode")]
    assert modes[0].status is Status.NOTE and modes[0].what == "journal mode: delete"
    assert "WAL" in modes[0].fix


def test_an_older_schema_names_the_command_that_migrates(itpm: Run) -> None:
    create(itpm.db)
    with sqlite3.connect(itpm.db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
    code, out, _ = itpm("doctor")
    assert code == 1
    assert any(
        "older" in line and f"itpm --db {itpm.db} whoami" in line for line in out.splitlines()
    )


def test_a_newer_schema_says_upgrade_itpm(itpm: Run) -> None:
    create(itpm.db)
    with sqlite3.connect(itpm.db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, out, _ = itpm("doctor")
    assert code == 1 and "newer release" in out and "upgrade itpm" in out


def test_an_invalid_config_is_reported_and_the_rest_still_checked(
    itpm: Run, tmp_path: Path
) -> None:
    create(itpm.db)
    config = Path(os.environ["ITPM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('theme = "pink"\n')
    code, out, err = itpm("doctor")
    assert code == 1 and err == ""
    assert lines_of(out, "fix")[0].startswith("fix   config:") and "theme" in out
    assert "schema revision" in out


def test_the_config_user_must_match_a_person_once_the_team_has_a_pm(itpm: Run) -> None:
    itpm.ok("person", "add", "Ana Berg", "--handle", "ana", "--role", "pm")
    code, out, _ = itpm("doctor")  # USER is "tester": nobody
    assert code == 1
    assert any("user 'tester' matches no person" in line for line in lines_of(out, "fix"))
    itpm.ok("config", "set", "user", "ana")
    code, out, _ = itpm("doctor")
    assert "ok    user 'ana' is Ana Berg (project manager)" in out
    assert code == 0


# --- files that are not a database: one line each, never a traceback -------------------------


def test_a_missing_file_is_reported_with_the_command_that_creates_it(itpm: Run) -> None:
    itpm.db.parent.mkdir()
    code, out, err = itpm("doctor")
    assert code == 1 and "Traceback" not in out + err
    assert f"fix   {itpm.db} does not exist" in out
    assert not itpm.db.exists()  # the doctor created nothing


def test_a_directory_is_bad_input(itpm: Run, tmp_path: Path) -> None:
    code, _out, err = itpm("--db", str(tmp_path), "doctor")
    assert code == 2 and "is a directory" in err and "Traceback" not in err


def test_a_file_that_is_not_sqlite_is_left_untouched(itpm: Run) -> None:
    itpm.db.parent.mkdir()
    itpm.db.write_text("meeting notes\n")
    code, out, err = itpm("doctor")
    assert code == 1 and "Traceback" not in out + err
    assert "is not a SQLite database" in out
    assert itpm.db.read_text() == "meeting notes\n"


def test_a_path_under_a_file_is_reported_not_raised(itpm: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "plain"
    blocker.write_text("x")
    code, out, err = itpm("--db", str(blocker / "team.db"), "doctor")
    assert code == 1 and "Traceback" not in out + err
    assert lines_of(out, "fix")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_reported(itpm: Run) -> None:
    create(itpm.db)
    os.chmod(itpm.db, 0)
    try:
        code, out, err = itpm("doctor")
    finally:
        os.chmod(itpm.db, stat.S_IRUSR | stat.S_IWUSR)
    assert code == 1 and "Traceback" not in out + err
    assert "cannot read" in out


def test_doctor_never_loads_textual(tmp_path: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\nfrom itpm_tui.cli import main\n"
        f"try:\n    main(['--db', {str(tmp_path / 'x.db')!r}, 'doctor'])\n"
        "except SystemExit:\n    pass\n"
        "print('textual' in sys.modules, 'alembic' in sys.modules)"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip().splitlines()[-1] == "False False"
