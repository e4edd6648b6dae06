"""`itpm serve`: the stand-up kiosk, or the dashboard, in a browser tab (textual-serve).

Each browser tab runs its own `itpm` process, started from a command line built here with
every value quoted (a database path with spaces or `;` stays one argument). On loopback no
token is needed; on any other address the browser must present one (`itpm_tui.web`).
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path

import click

from itpm_tui.cli.common import acting_as, chosen_db, db_option
from itpm_tui.errors import ItpmError

#: Why the dashboard served with --read-only refuses every write, as a refusal names it.
READ_ONLY = "this dashboard is served read-only"
WHAT = {"standup": "the stand-up kiosk", "dashboard": "the dashboard"}


def served_command(
    show: str,
    *,
    db: str | None,
    as_handle: str | None,
    read_only: bool,
    kiosk: tuple[str, ...] = (),
    python: str = "",
) -> str:
    """The command textual-serve runs for each browser tab, quoted for its shell; `kiosk`
    holds the kiosk's options (`--cycle`, `--projects`, `--pages`), already checked."""
    argv = [python or sys.executable, "-m", "itpm_tui"]
    if db:
        argv += ["--db", str(Path(db).expanduser().absolute())]
    if as_handle:
        argv += ["--as", as_handle]
    if show == "standup":
        argv += ["standup", *kiosk]  # the kiosk writes nothing whatever the flags
    elif read_only:
        argv.append("serve-view")
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is this machine's own (refuses a bad host)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ItpmError(f"--host: cannot listen on {host!r}: {exc}") from None
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def check_free(host: str, port: int) -> None:
    """Refuse, in one line, a port this host cannot listen on (in use, or not allowed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "is in use" if exc.errno == 98 else f"cannot be used: {exc.strerror or exc}"
            raise ItpmError(f"--port: port {port} on {host} {reason}") from None


def open_url(host: str, port: int, token: str | None) -> str:
    """The address to type in the browser (the machine's name when bound to every address)."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port."
)
@click.option(
    "--standup", "show", flag_value="standup", default=True, help="Serve the kiosk (default)."
)
@click.option("--dashboard", "show", flag_value="dashboard", help="Serve the dashboard.")
@click.option(
    "--read-only",
    is_flag=True,
    help="Write nothing: the dashboard acts as a viewer, the kiosk records no stand-up.",
)
@click.option(
    "--token",
    help="The token the browser must present (?token=); generated when listening beyond loopback.",
)
@click.option("--cycle", help="The kiosk: how long each page stays up (30s, 1m).")
@click.option("--projects", metavar="CODE,…", help="The kiosk: only these projects.")
@click.option("--pages", metavar="SLUG,…", help="The kiosk: these pages, in this order.")
@click.pass_context
def serve(
    click_ctx: click.Context,
    db_path: str | None,
    host: str,
    port: int,
    show: str,
    read_only: bool,
    token: str | None,
    cycle: str | None,
    projects: str | None,
    pages: str | None,
) -> None:
    """Serve the stand-up kiosk (or the dashboard) in a browser tab. On loopback by default;
    any other address needs a token, printed once with the URL to open. Ctrl+C stops it."""
    import secrets

    from itpm_tui.config import load_settings
    from itpm_tui.storage.location import (
        inspect_sqlite_file,
        require_existing,
        resolve_url,
        sqlite_path,
    )

    if token is not None and not token.strip():
        raise ItpmError("--token: must not be empty")
    db = chosen_db(click_ctx, db_path)
    settings = load_settings()
    url = resolve_url(db, settings.database_url)
    path = sqlite_path(url)
    if path is not None:  # a mistyped --db is said, not created
        require_existing(path)
        inspect_sqlite_file(path)  # a bad file is refused here, not in every browser tab
    kiosk = kiosk_options(show, url, path, cycle, projects, pages)
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    check_free(host, port)
    if show == "standup":
        from itpm_tui.cli.standup import SERVED, mark_standup

        if not read_only:  # once for the meeting, not once per browser tab
            mark_standup(url, settings.user, acting_as())
        os.environ[SERVED] = "1"  # textual-serve hands its environment to every tab
    command = served_command(show, db=db, as_handle=acting_as(), read_only=read_only, kiosk=kiosk)
    what = WHAT[show] + (" (read-only)" if show == "dashboard" and read_only else "")
    banner = f"itpm: serving {what} on {open_url(host, port, token)}\nPress Ctrl+C to stop."

    from functools import partial

    from itpm_tui.clock import system_today
    from itpm_tui.published.routes import add_published_routes
    from itpm_tui.storage.database import open_database
    from itpm_tui.web import GatedServer

    published = partial(  # the calendar feeds and project pages (`itpm feeds`, `itpm page`)
        add_published_routes,
        db=open_database(url, create=False),
        today=system_today,
        thresholds=settings.risk_thresholds(),
    )
    server = GatedServer(
        command,
        host=host,
        port=port,
        title=f"itpm — {WHAT[show]}",
        token=token,
        banner=banner,
        published=published,
    )
    try:
        server.serve()
    except OSError as exc:
        raise ItpmError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def kiosk_options(
    show: str,
    url: str,
    path: Path | None,
    cycle: str | None,
    projects: str | None,
    pages: str | None,
) -> tuple[str, ...]:
    """The kiosk's options for every tab, checked here with `itpm standup`'s own rules, so a
    mistake is one line now rather than an error in each browser tab."""
    given = {"--cycle": cycle, "--projects": projects, "--pages": pages}
    if show != "standup":
        for name, value in given.items():
            if value is not None:
                raise ItpmError(f"{name}: only for the stand-up kiosk, not with --dashboard")
        return ()
    from itpm_tui.cli.standup import known_projects
    from itpm_tui.domain.standup import parse_cycle, parse_pages
    from itpm_tui.screens.standup import page_slugs

    if cycle is not None:
        parse_cycle(cycle)
    if pages is not None:
        parse_pages(pages, page_slugs())
    if projects is not None:
        known_projects(url, path, projects)
    return tuple(
        part for name, value in given.items() if value is not None for part in (name, value)
    )


@click.command("serve-view", hidden=True)
@click.pass_context
def serve_view(click_ctx: click.Context) -> None:
    """The dashboard acting as a viewer: what `itpm serve --dashboard --read-only` runs."""
    from itpm_tui.cli import _run_app

    _run_app((click_ctx.find_root().obj or {}).get("db"), "", acting_as(), read_only=READ_ONLY)
