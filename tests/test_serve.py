"""`itpm serve`: the command each browser tab runs, the token gate, bad input, and the
kiosk rendered in a real headless Chromium."""

from __future__ import annotations

import asyncio
import os
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from itpm_tui.cli import cli
from itpm_tui.cli.serve import READ_ONLY, served_command
from itpm_tui.domain.projects import ProjectDraft
from itpm_tui.errors import NotAllowed
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def itpm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itpm_tui", *args], capture_output=True, text=True, timeout=60
    )


def start_server(db: Path, *args: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "itpm_tui", "--db", str(db), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=db.parent,  # where `$(touch pwned)` in the file name would land if it ran
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"itpm serve did not listen: {server.communicate()[0]}")


def stop(server: subprocess.Popen[str]) -> str:
    server.terminate()
    try:
        return server.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        server.kill()
        return server.communicate()[0]


def status(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def standups(db: Path) -> int:
    """How many stand-ups the file records (`services.standup`)."""
    with closing(sqlite3.connect(db)) as con:
        return int(
            con.execute("SELECT count(*) FROM activity WHERE entity = 'standup'").fetchone()[0]
        )


def written(db: Path) -> tuple[int, ...]:
    """How many activity entries and projects the file holds (every write logs one)."""
    with closing(sqlite3.connect(db)) as con:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)


TABLES = ("activity", "project")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "demo portfolio; $(touch pwned).db"
    done = itpm("--db", str(path), "demo")
    assert done.returncode == 0, done.stderr
    return path


# -- the command each browser tab runs ------------------------------------------------------


def test_a_hostile_path_stays_one_argument() -> None:
    path = "/tmp/a b; rm -rf ~ $(id) `id`.db"
    argv = shlex.split(served_command("standup", db=path, as_handle=None, read_only=True))
    assert argv[-4:] == ["itpm_tui", "--db", path, "standup"]


def test_the_kiosk_options_reach_every_tab() -> None:
    kiosk = ("--cycle", "1m", "--pages", "health,risks")
    argv = shlex.split(
        served_command("standup", db="x.db", as_handle=None, read_only=False, kiosk=kiosk)
    )
    assert argv[-5:] == ["standup", *kiosk]


def test_the_dashboard_read_only_runs_the_viewer_and_passes_as() -> None:
    argv = shlex.split(served_command("dashboard", db="x.db", as_handle="eve", read_only=True))
    assert argv[3:] == ["--db", str(Path("x.db").absolute()), "--as", "eve", "serve-view"]
    argv = shlex.split(served_command("dashboard", db=None, as_handle=None, read_only=False))
    assert argv[1:] == ["-m", "itpm_tui"]  # the plain dashboard, on the configured database


# -- bad input: one line, exit 2 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--port", "0"], "--port"),
        (["--port", "70000"], "--port"),
        (["--host", "no-such-host.invalid"], "--host: cannot listen on"),
        (["--token", " "], "--token: must not be empty"),
        (["--cycle", "fast"], "--cycle: 'fast' is not a duration"),
        (["--pages", "gantt"], "--pages: there is no page 'gantt'"),
        (["--projects", "NOPE"], "--projects: there is no project NOPE"),
        (["--dashboard", "--cycle", "1m"], "--cycle: only for the stand-up kiosk"),
    ],
)
def test_bad_input_is_one_line_and_status_2(demo_db: Path, args: list[str], said: str) -> None:
    done = itpm("--db", str(demo_db), "serve", *args)
    assert done.returncode == 2
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_port_in_use_is_refused(demo_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = itpm("--db", str(demo_db), "serve", "--port", str(port))
    assert done.returncode == 2
    assert done.stderr.strip() == f"itpm: --port: port {port} on 127.0.0.1 is in use"


def test_serve_view_is_hidden_from_help() -> None:
    shown = CliRunner().invoke(cli, ["--help"]).output
    assert "serve " in shown and "serve-view" not in shown


# -- the token gate -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gated(demo_db: Path) -> Iterator[int]:
    server, port = start_server(demo_db, "--token", "s3cret-token")
    yield port
    stop(server)


@pytest.mark.parametrize("query", ["", "?token=wrong", "?token=s3cret-toke", "?token="])
@pytest.mark.parametrize("path", ["/", "/ws", "/static/js/textual.js", "/download/x"])
def test_no_or_a_wrong_token_is_refused(gated: int, path: str, query: str) -> None:
    code, body = status(f"http://127.0.0.1:{gated}{path}{query}")
    assert code == 403
    assert "FW-26" not in body and "token" in body


def test_the_right_token_opens_the_page_and_sets_the_cookie(gated: int) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{gated}/?token=s3cret-token")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        cookie = response.headers["Set-Cookie"]
        assert "itpm_token=s3cret-token" in cookie and "HttpOnly" in cookie
        assert f"ws://127.0.0.1:{gated}/ws" in response.read().decode()
    # the page's own requests (scripts, websocket, downloads) carry the cookie instead
    code, _ = status(
        f"http://127.0.0.1:{gated}/static/js/textual.js", {"Cookie": "itpm_token=s3cret-token"}
    )
    assert code == 200


def test_a_websocket_from_another_sites_page_is_refused(gated: int) -> None:
    code, body = status(
        f"http://127.0.0.1:{gated}/ws?token=s3cret-token",
        {"Origin": "http://evil.example", "Connection": "Upgrade", "Upgrade": "websocket"},
    )
    assert code == 403 and "another site" in body


def test_beyond_loopback_a_token_is_generated_and_printed_once(demo_db: Path) -> None:
    server, port = start_server(demo_db, "--host", "0.0.0.0")
    try:
        code, _ = status(f"http://127.0.0.1:{port}/")
    finally:
        printed = stop(server)
    assert code == 403
    assert printed.count("?token=") == 1
    token = printed.split("?token=")[1].split()[0]
    assert len(token) >= 24


# -- in a real browser ----------------------------------------------------------------------


def test_the_kiosk_renders_the_demo_in_headless_chromium(demo_db: Path) -> None:
    from chromium import CHROMIUM, Browser

    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (the CI installs it)")
    held = standups(demo_db)
    server, port = start_server(demo_db, "--token", "t0ken")

    async def look() -> tuple[str, str]:
        async with Browser(1280, 800) as browser:
            await browser.open(f"http://127.0.0.1:{port}/")  # no token: refused
            await asyncio.sleep(0.5)
            refused = str(await browser.evaluate("document.body.innerText"))
            await browser.open(f"http://127.0.0.1:{port}/?token=t0ken")
            text = await browser.wait_for_text("Firewall upgrade to FortiGate HA", timeout=45)
            if os.environ.get("ITPM_SCREENSHOT"):
                await asyncio.sleep(1)
                await browser.screenshot(Path(os.environ["ITPM_SCREENSHOT"]))
            return refused, text

    try:
        refused, text = asyncio.run(look())
    finally:
        stop(server)
    assert "needs its token" in refused and "FW-26" not in refused
    assert "Portfolio health" in text
    for shown in ("FW-26", "Firewall upgrade to FortiGate HA", "of the work done"):
        assert shown in text
    assert not (demo_db.parent / "pwned").exists()  # the path went through the shell quoted
    assert standups(demo_db) == held + 1  # the server recorded it once; the tab did not


def test_a_read_only_kiosk_records_no_stand_up_however_many_tabs_open(demo_db: Path) -> None:
    import aiohttp

    before = written(demo_db)
    server, port = start_server(demo_db, "--read-only")

    async def open_tabs() -> list[int]:
        sizes = []
        async with aiohttp.ClientSession() as session:
            for _ in range(2):
                async with session.ws_connect(f"http://127.0.0.1:{port}/ws") as ws:
                    received = 0
                    while received < 2000:  # the kiosk has started and drawn
                        message = await asyncio.wait_for(ws.receive(), 20)
                        received += len(message.data or b"")
                    sizes.append(received)
        return sizes

    try:
        assert len(asyncio.run(open_tabs())) == 2
    finally:
        stop(server)
    assert written(demo_db) == before


def test_the_read_only_dashboard_writes_nothing(demo_ctx: Context) -> None:
    viewer = replace(demo_ctx, read_only=READ_ONLY)
    assert READ_ONLY in viewer.identity().how
    draft = ProjectDraft(code="NEW-1", name="New", start_date=TODAY)
    with pytest.raises(NotAllowed):
        create_project(viewer, draft)


def test_no_key_of_the_read_only_dashboard_in_chromium_writes(demo_db: Path) -> None:
    """And a report saved there lands in the browser's downloads, not on the server."""
    from chromium import CHROMIUM, Browser

    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (the CI installs it)")
    before = written(demo_db)
    server_files = set(demo_db.parent.iterdir())
    server, port = start_server(demo_db, "--dashboard", "--read-only")

    async def use() -> tuple[str, str, str, dict[str, str]]:
        async with Browser(1280, 800) as browser:
            await browser.open(f"http://127.0.0.1:{port}/")
            await browser.wait_for_text("FW-26", timeout=45)  # first rows, read from the file
            shown = await browser.wait_for_text("(viewer)", timeout=45)  # then who acts
            await browser.press("n")  # "new project" for a project manager
            await asyncio.sleep(1.5)
            after_n = await browser.screen_text()
            await browser.press("5")  # Stakeholders, then its report preview, then save
            await asyncio.sleep(1.5)
            await browser.press("r")
            preview = await browser.wait_for_text("characters", timeout=30)
            await browser.press("s")
            saved: dict[str, str] = {}
            for _ in range(40):
                done = list(browser.downloads.glob("*-status-*.md"))
                if done and not list(browser.downloads.glob("*.crdownload")):
                    saved = {f.name: f.read_text(encoding="utf-8") for f in done}
                    break
                await asyncio.sleep(0.25)
            return shown, after_n, preview, saved

    try:
        shown, after_n, preview, saved = asyncio.run(use())
    finally:
        stop(server)
    assert "(viewer)" in shown
    assert "New project" not in after_n
    assert "report" in preview
    assert len(saved) == 1, saved
    (name, text), *_ = saved.items()
    assert name.split("-status-")[0] in preview  # the project whose report is shown
    assert text.startswith("#") and len(text) > 200
    assert set(demo_db.parent.iterdir()) == server_files  # nothing saved on the server
    assert written(demo_db) == before  # no activity logged, no project added
