"""The aiohttp routes of the published links: `/feeds/<token>.ics` and `/p/<token>`.

The link's own token is its gate, so these routes are outside `itpm serve`'s `--token`
(a calendar application cannot type one): an unknown, revoked or malformed token, or one
of the other sort, gets the same 404 with a line that says nothing about the portfolio.
Each request reads the database afresh, in a worker thread (the server's loop keeps
serving the browser tabs meanwhile).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date

from aiohttp import web

from itpm_tui.domain.risk import RiskThresholds
from itpm_tui.errors import ItpmError, NotFoundError
from itpm_tui.published.feeds import ICS_TYPE, answer
from itpm_tui.storage.database import Database

#: Paths the serve token gate leaves to these routes.
PUBLIC_PREFIXES = ("/feeds/", "/p/")
UNKNOWN = "itpm: nothing here.\n"
BUSY = "itpm: this page cannot be read just now; try again in a minute.\n"
log = logging.getLogger(__name__)

#: Headers of every answer: not cached on the way, not indexed, no referrer, and (pages)
#: no script, frame, font or image from anywhere: only the page's own inline style.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def add_published_routes(
    app: web.Application,
    db: Database,
    *,
    today: Callable[[], date],
    thresholds: RiskThresholds = RiskThresholds(),
) -> None:
    """Answer the published links of `db` on `app`; `today` is read at each request."""

    async def respond(request: web.Request, *, feed: bool) -> web.Response:
        token = request.match_info["token"]
        try:
            found = await asyncio.to_thread(
                answer, db, token, feed=feed, today=today(), thresholds=thresholds
            )
        except NotFoundError:  # its project or person went away during the read
            found = None
        except ItpmError as exc:  # the database cannot be read now (locked, gone, damaged)
            log.warning("itpm: a published link could not be answered: %s", exc)
            raise web.HTTPServiceUnavailable(text=BUSY, headers=_HEADERS) from None
        if found is None:
            raise web.HTTPNotFound(text=UNKNOWN, headers=_HEADERS)
        headers = dict(_HEADERS)
        if found.content_type == ICS_TYPE:
            headers["Content-Disposition"] = 'inline; filename="itpm.ics"'
        else:
            headers["Content-Security-Policy"] = _PAGE_POLICY
        return web.Response(
            text=found.body, content_type=found.content_type, charset="utf-8", headers=headers
        )

    async def feed(request: web.Request) -> web.Response:
        return await respond(request, feed=True)

    async def page(request: web.Request) -> web.Response:
        return await respond(request, feed=False)

    app.add_routes([web.get("/feeds/{token}.ics", feed), web.get("/p/{token}", page)])
