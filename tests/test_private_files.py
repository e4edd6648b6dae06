"""Private files: what itpm creates is the user's alone, `-o` writes only regular files and
never clobbers, and a password in `database_url` is never printed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm_tui.cli import main
from itpm_tui.private_files import OutputError, write_private
from itpm_tui.services.context import Context
from itpm_tui.storage.location import redact_url

ROOT = Path(__file__).resolve().parent.parent

#: Run in a child process under the umask given as its first argument: create a default
#: database, a team database, the config and three kinds of output files, and print the
#: mode of everything as JSON — while a connection is open, so the -wal/-shm files exist.
CHILD = r"""
import json, os, sqlite3, sys
from pathlib import Path

os.umask(int(sys.argv[1], 8))
home, team = Path(sys.argv[2]), Path(sys.argv[3])
from itpm_tui.cli import main

main(["person", "add", "Ana Berg", "--handle", "tester", "--role", "pm"])  # the default db
main(["project", "add", "NET-1", "Network", "--start", "2026-03-02"])
main(["config", "set", "theme", "itpm-contrast"])
main(["export", "-o", str(home / "portfolio.json")])
main(["export", "NET-1", "--format", "ics", "-o", str(home / "net.ics")])
main(["report", "NET-1", "--format", "html", "-o", str(home / "net.html")])
main(["my", "--json", "-o", str(home / "my.json")])
main(["--db", str(team / "team.db"), "person", "add", "Tom Reed", "--handle", "tom"])
readers = []
for db in (home / "data" / "itpm" / "itpm.db", team / "team.db"):
    reader = sqlite3.connect(db)  # while a reader is open, SQLite keeps its -wal and -shm
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchall()
    readers.append(reader)
paths = [home, *home.rglob("*"), team, *team.rglob("*")]
print(json.dumps({str(p): oct(os.stat(p).st_mode & 0o7777) for p in paths}))
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def modes_under(umask: str, home: Path, team: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ITPM_CONFIG": str(home / "config" / "itpm" / "config.toml"),
        "XDG_DATA_HOME": str(home / "data"),
        "ITPM_TODAY": "2026-03-02",
        "USER": "tester",
    }
    env.pop("ITPM_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, umask, str(home), str(team)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modes: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return {str(Path(p).relative_to(home.parent)): m for p, m in modes.items()}


def team_folder(tmp_path: Path) -> Path:
    """The README's team set-up: `install -d -m 2775 -g itpm /srv/itpm`."""
    team = tmp_path / "team"
    team.mkdir()
    os.chmod(team, 0o2775)
    return team


# --- 1. created private, whatever the umask ------------------------------------------------


@pytest.mark.parametrize("umask", ["000", "022"])
def test_what_itpm_creates_is_private_whatever_the_umask(
    umask: str, tmp_path: Path, home: Path
) -> None:
    modes = modes_under(umask, home, team_folder(tmp_path))
    private = {
        "home": "0o700",  # folders itpm made on its way to the data and config folders
        "home/data": "0o700",
        "home/data/itpm": "0o700",
        "home/data/itpm/itpm.db": "0o600",
        "home/data/itpm/itpm.db-wal": "0o600",  # SQLite gives the side files the db's mode
        "home/data/itpm/itpm.db-shm": "0o600",
        "home/config": "0o700",
        "home/config/itpm": "0o700",
        "home/config/itpm/config.toml": "0o600",
        "home/portfolio.json": "0o600",
        "home/net.ics": "0o600",
        "home/net.html": "0o600",
        "home/my.json": "0o600",
    }
    assert {name: modes.get(name) for name in private} == private
    team = {  # the team folder keeps its mode; a new database there is the group's too
        "team": "0o2775",
        "team/team.db": "0o660",
        "team/team.db-wal": "0o660",
        "team/team.db-shm": "0o660",
    }
    assert {name: modes.get(name) for name in team} == team
    assert not [name for name in modes if name.endswith(".tmp")], modes


def test_an_existing_database_and_config_keep_their_modes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "mine.db"
    assert run(["--db", str(db), "person", "add", "Ana", "--handle", "ana"])[0] == 0
    os.chmod(db, 0o640)  # the owner's choice: itpm never chmods what exists
    config = Path(os.environ["ITPM_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text('theme = "textual-dark"\n', encoding="utf-8")
    os.chmod(config, 0o644)
    leftover = config.with_suffix(".toml.tmp")
    leftover.write_text("old", encoding="utf-8")
    os.chmod(leftover, 0o666)
    assert run(["--db", str(db), "person", "add", "Tom", "--handle", "tom"])[0] == 0
    assert run(["config", "set", "theme", "itpm-contrast"])[0] == 0
    capsys.readouterr()
    assert mode(db) == 0o640
    assert mode(config) == 0o644  # the file it replaced had 0644, the new one too
    assert 'theme = "itpm-contrast"' in config.read_text(encoding="utf-8")


def test_a_new_database_in_a_setgid_folder_that_is_not_group_writable_is_private(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    os.chmod(folder, 0o2755)  # setgid alone is no team set-up
    assert run(["--db", str(folder / "x.db"), "person", "add", "Ana", "--handle", "ana"])[0] == 0
    assert mode(folder / "x.db") == 0o600


# --- 2. -o writes files only, never clobbers ------------------------------------------------

#: Every command with `-o FILE`, as run against the demo portfolio.
OUTPUTS = {
    "export json": ("export",),
    "export mspdi": ("export", "FW-26", "--format", "mspdi"),
    "export vcard": ("export", "FW-26", "--format", "vcard"),
    "export ics": ("export", "FW-26", "--format", "ics"),
    "report": ("report", "FW-26", "--format", "md"),
    "my --ics": ("my", "--as", "priya", "--ics"),
    "my --json": ("my", "--as", "priya", "--json"),
}


def run(args: list[str]) -> tuple[int, str]:
    """`itpm ARGS` in this process: the exit status and what went to standard error."""
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0), ""
    return 0, ""


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Itpm:
    """`itpm --db DEMO ...` in this process, for the -o tests."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code, _ = run(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def refused(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 2, (out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        return lines[0]


@pytest.fixture
def itpm(demo_ctx: Context, db_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Itpm]:
    demo_ctx.db.dispose()
    yield Itpm(db_path, capsys)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A FIFO with its reading end open (non-blocking): a writer would not block, so a test
    that wrote into it fails instead of hanging; what reached it can be read back."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    yield path, reader
    os.close(reader)


@pytest.mark.parametrize("command", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_o_refuses_a_fifo_a_device_and_a_directory(
    command: tuple[str, ...], itpm: Itpm, tmp_path: Path, fifo: tuple[Path, int]
) -> None:
    pipe, reader = fifo
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "to-pipe").symlink_to(pipe)
    (tmp_path / "to-folder").symlink_to(folder)
    for force in ((), ("--force",)):
        line = itpm.refused(*command, "-o", str(pipe), *force)
        assert "is a FIFO, not a regular file" in line
        assert "is a symlink to a FIFO, not a regular file" in itpm.refused(
            *command, "-o", str(tmp_path / "to-pipe"), *force
        )
        assert "is a device" in itpm.refused(*command, "-o", os.devnull, *force)
        assert "is a directory" in itpm.refused(*command, "-o", str(folder), *force)
        assert "is a directory" in itpm.refused(*command, "-o", str(tmp_path / "to-folder"), *force)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # still the FIFO, never replaced
    assert os.read(reader, 4096) == b""  # nothing was ever written into it
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert list(folder.iterdir()) == []
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_o_keeps_an_existing_file_unless_force_and_never_widens_its_mode(
    command: tuple[str, ...], itpm: Itpm, tmp_path: Path
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep me", encoding="utf-8")
    os.chmod(target, 0o640)
    line = itpm.refused(*command, "-o", str(target))
    assert f"{target} already exists; use --force to replace it" in line
    assert target.read_text(encoding="utf-8") == "keep me" and mode(target) == 0o640
    code, _, err = itpm(*command, "-o", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8") != "keep me"
    assert mode(target) == 0o640  # the mode of the file it replaced, never wider
    os.chmod(target, 0o400)
    assert itpm(*command, "-o", str(target), "--force")[0] == 0
    assert mode(target) == 0o400
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_o_through_a_symlink_needs_force_and_replaces_the_file_it_points_to(
    itpm: Itpm, tmp_path: Path
) -> None:
    real = tmp_path / "reports" / "fw.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o600)
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    assert "already exists" in itpm.refused("report", "FW-26", "-o", str(link))
    dangling = tmp_path / "planted.md"
    dangling.symlink_to(tmp_path / "nowhere.md")  # a link planted to make itpm create a file
    assert "already exists" in itpm.refused("report", "FW-26", "-o", str(dangling))
    assert not (tmp_path / "nowhere.md").exists()
    assert itpm("report", "FW-26", "--format", "md", "-o", str(link), "--force")[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# FW-26")


def test_o_refusals_come_before_the_database_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep", encoding="utf-8")
    never = tmp_path / "never" / "itpm.db"
    code, _ = run(["--db", str(never), "export", "-o", str(target)])
    assert code == 2 and "already exists" in capsys.readouterr().err
    assert not never.parent.exists()


def test_a_new_output_is_created_exclusively(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_private(target, b"one")
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_private(target, b"two")
    assert target.read_bytes() == b"one" and mode(target) == 0o600


# --- 3. a password in database_url is never printed ----------------------------------------

SECRET_URL = "postgresql://ana:s3cr%21t@db.example.org:5432/itpm"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (SECRET_URL, "postgresql://ana:***@db.example.org:5432/itpm"),
        ("postgresql+psycopg://u:p@ss/w?rd@h/db", "postgresql+psycopg://u:***@h/db"),
        ("mysql://h/db?user=u&password=pw&ssl=1", "mysql://h/db?user=u&password=***&ssl=1"),
        ("postgresql://ana@h/db", "postgresql://ana@h/db"),
        ("postgresql//ana:pw@h/db", "postgresql//ana:***@h/db"),  # mistyped, still masked
        ("sqlite:////srv/a:b@c/team.db", "sqlite:////srv/a:b@c/team.db"),  # a path, as is
        (
            "database_url 'postgresql://u:pw@h/db' is not",
            "database_url 'postgresql://u:***@h/db' is not",
        ),
    ],
)
def test_redact_url_masks_the_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@given(
    user=st.text(
        st.characters(exclude_characters=":/@'\"\n?&;#", exclude_categories=["Cs"])
    ).filter(lambda u: not any(c.isspace() for c in u)),
    password=st.text(
        st.characters(exclude_characters="'\"\n", exclude_categories=["Cs"]), min_size=1
    ).filter(lambda p: not p.startswith("//") and not p[0].isspace()),
)
def test_any_password_is_masked(user: str, password: str) -> None:
    url = f"postgresql+psycopg://{user}:{password}@db.example.org/itpm"
    assert redact_url(url) == f"postgresql+psycopg://{user}:***@db.example.org/itpm"


def test_config_show_doctor_and_errors_never_print_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["config", "set", "database_url", SECRET_URL])[0] == 0
    capsys.readouterr()
    assert run(["config", "show"])[0] == 0
    out = capsys.readouterr().out
    assert "database_url = 'postgresql://ana:***@db.example.org:5432/itpm'" in out
    assert "s3cr" not in out
    run(["doctor"])
    out = capsys.readouterr().out
    shown = "postgresql+psycopg://ana:***@db.example.org:5432/itpm"  # psycopg 3 named
    assert f"database {shown} is not a SQLite file" in out
    assert "s3cr" not in out
    code, _ = run(["config", "set", "database_url", "postgresql//ana:s3cr3t@db.example.org"])
    err = capsys.readouterr().err
    assert code == 2 and "ana:***@db.example.org" in err and "s3cr" not in err, err


# --- the report preview saves the same way ---------------------------------------------------


async def test_the_report_preview_saves_privately_and_never_into_a_fifo(
    demo_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fifo: tuple[Path, int]
) -> None:
    from conftest import make_app, settle
    from test_report_preview import notes, open_preview

    from itpm_tui.screens.confirm import ConfirmScreen

    monkeypatch.chdir(tmp_path)
    old = os.umask(0)  # the most open umask: the file is 0600 all the same
    app = make_app(demo_ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_preview(pilot)
            await pilot.press("s", "enter")
            await settle(pilot)
            saved = tmp_path / "FW-26-status-2026-03-18.md"
            assert saved.read_text(encoding="utf-8").startswith("# FW-26")
            assert mode(saved) == 0o600
            os.chmod(saved, 0o400)
            await pilot.press("s", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert mode(saved) == 0o400  # replaced, never wider than it was
            pipe, reader = fifo
            await pilot.press("s")
            app.screen.query_one("#save-path").value = str(pipe)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)  # it exists: Replace it?
            await pilot.press("y")
            await settle(pilot)
            assert any("is a FIFO, not a regular file" in n for n in notes(app)), notes(app)
            assert stat.S_ISFIFO(os.stat(pipe).st_mode) and os.read(reader, 4096) == b""
    finally:
        os.umask(old)


def test_the_dashboard_header_shows_the_url_with_its_password_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `itpm` hands the dashboard as `where` (its header's sub-title) for a server
    database; the App itself is replaced, as no server database is installed here."""
    import itpm_tui.app
    from itpm_tui.cli import _run_app

    seen: list[str] = []

    class Header:
        fatal_error = ""

        def __init__(self, *args: object, where: str, **kwargs: object) -> None:
            seen.append(where)

        def run(self) -> None:
            return None

    monkeypatch.setattr(itpm_tui.app, "ItpmApp", Header)
    assert run(["config", "set", "database_url", SECRET_URL])[0] == 0
    _run_app(None)
    assert seen == ["postgresql+psycopg://ana:***@db.example.org:5432/itpm"]
