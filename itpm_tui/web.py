"""The browser side of `itpm serve`: textual-serve's server behind a token gate.

textual-serve starts one `itpm` process per browser tab and streams its terminal over a
websocket. What it lacks for a portfolio is a lock: anyone who reaches the port would see
budgets. So every request (page, websocket, downloads, static files) must carry the token,
either as `?token=` or as the cookie the page sets once the token was right; a wrong or
missing one gets 403 and a line that says nothing about the portfolio. A websocket opened
from another site's page (its Origin names another host) is refused too, so a web page the
user happens to visit cannot read a loopback server that has no token.

The published links (calendar feeds, project pages: `itpm_tui.published.routes`) are the
exception: each URL carries its own secret token, so they pass the gate.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import click
from aiohttp import web
from textual_serve.server import Server, to_int

from itpm_tui.published.routes import PUBLIC_PREFIXES

#: The cookie that carries the token after the first page was opened with `?token=`.
COOKIE = "itpm_token"
REFUSED = "itpm: this address needs its token: open the URL `itpm serve` printed.\n"
FOREIGN = "itpm: refused a connection opened by another site's page.\n"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def token_gate(token: str) -> Any:
    """An aiohttp middleware refusing (403) every request that does not present `token`."""

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(PUBLIC_PREFIXES):  # gated by their own token
            return await handler(request)
        given = request.query.get("token") or request.cookies.get(COOKIE, "")
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise web.HTTPForbidden(text=REFUSED)
        response = await handler(request)
        if "token" in request.query and not response.prepared:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
        return response

    return gate


@web.middleware
async def same_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse a websocket whose page came from another host (cross-site hijacking)."""
    origin = request.headers.get("Origin")
    if request.path == "/ws" and origin and urlsplit(origin).netloc != request.host:
        raise web.HTTPForbidden(text=FOREIGN)
    return await handler(request)


class GatedServer(Server):
    """textual-serve's `Server`, with the token gate, URLs taken from the address the browser
    used (so a server bound to 0.0.0.0 works from another machine) and a quiet console;
    `published` adds the published links' routes to the app (`published.routes`)."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        token: str | None,
        banner: str,
        published: Callable[[web.Application], None] | None = None,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.banner = banner
        self.published = published

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(message)s")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        if self.published is not None:
            self.published(app)
        # aiohttp freezes the middleware list at startup, so adding to it here still counts.
        app.middlewares.append(same_origin)
        if self.token is not None:
            app.middlewares.append(token_gate(self.token))
        return app

    async def on_startup(self, app: web.Application) -> None:
        click.echo(self.banner)

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page, as textual-serve renders it, with its websocket and static URLs on the
        host and scheme the browser used."""
        origin = f"{request.scheme}://{request.host}"
        ws_scheme = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_scheme}://{request.host}/ws",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)
