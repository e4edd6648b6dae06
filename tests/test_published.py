"""Published links: calendar feeds and a project's page for the helpdesk and the client.

The links are made as a PM makes them (services, `itpm feeds`/`itpm page`), answered by the
routes `itpm serve` adds (aiohttp's test client, and a real `itpm serve` process), the feeds
parsed back by an independent library (`icalendar`), the page shown in headless Chromium.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import urllib.request
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner
from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select
from test_serve import itpm, start_server, status, stop

from itpm_tui.cli import cli
from itpm_tui.domain.downtime import WindowDraft
from itpm_tui.domain.publishing import (
    LinkKind,
    day_words,
    token_hash,
    when_words,
    window_sentence,
)
from itpm_tui.domain.tasks import TaskDraft
from itpm_tui.errors import ItpmError, NotAllowed
from itpm_tui.formats.icalendar import record_uid
from itpm_tui.published.routes import add_published_routes
from itpm_tui.queries.database_identity import database_uid
from itpm_tui.queries.lookup import person_by_handle
from itpm_tui.queries.my_work import load_my_work
from itpm_tui.queries.published_links import link_rows
from itpm_tui.queries.timeline import load_timeline
from itpm_tui.reports.data import project_id_for_code
from itpm_tui.services.context import Context
from itpm_tui.services.downtime import add_window
from itpm_tui.services.outline_edits import add_task
from itpm_tui.services.published_links import publish_link, revoke_link
from itpm_tui.storage.models import Activity, PublishedLink

# -- downtime windows in words -----------------------------------------------------------------


def test_a_window_within_one_day_reads_as_the_helpdesk_says_it() -> None:
    said = window_sentence(
        "Mail migration",
        "e-mail",
        datetime(2026, 12, 5, 19, 0),
        datetime(2026, 12, 5, 23, 0),
        date(2026, 12, 2),
    )
    assert said == "E-mail will be unavailable Saturday 5 December 19:00–23:00."


def test_a_window_over_midnight_names_both_days() -> None:
    said = when_words(datetime(2026, 3, 20, 22, 0), datetime(2026, 3, 21, 6, 0), TODAY)
    assert said == "from Friday 20 March 22:00 to Saturday 21 March 06:00"


def test_a_window_ending_at_midnight_ends_at_24_00() -> None:
    said = when_words(datetime(2026, 3, 20, 20, 0), datetime(2026, 3, 21, 0, 0), TODAY)
    assert said == "Friday 20 March 20:00–24:00"


def test_another_year_is_named_and_no_systems_means_the_title() -> None:
    said = window_sentence(
        "  core  switch\nreboot ",
        "",
        datetime(2027, 1, 2, 8, 30),
        datetime(2027, 1, 2, 9, 0),
        date(2026, 12, 30),
    )
    assert said == "Core switch reboot will be unavailable Saturday 2 January 2027 08:30–09:00."


def test_day_words_ignore_the_machines_locale() -> None:
    assert day_words(date(2026, 3, 18), TODAY) == "Wednesday 18 March"


@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)),
    minutes=st.integers(min_value=1, max_value=60 * 24 * 10),
)
def test_every_window_names_its_start_and_end_time(start: datetime, minutes: int) -> None:
    from datetime import timedelta

    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=minutes)
    said = when_words(start, end, start.date())
    assert f"{start:%H:%M}" in said
    assert f"{end:%H:%M}" in said or (end.time().hour == 0 == end.minute and "24:00" in said)
    assert day_words(start.date(), start.date()) in said


# -- making and revoking links -----------------------------------------------------------------


def fw26(ctx: Context) -> int:
    return project_id_for_code(ctx.db, "FW-26")


@pytest.mark.both_backends
def test_a_link_keeps_only_its_tokens_hash_and_is_logged(demo_ctx: Context) -> None:
    link = publish_link(demo_ctx, LinkKind.CLIENT_PAGE, project_id=fw26(demo_ctx))
    with demo_ctx.db.read() as session:
        row = session.get(PublishedLink, link.id)
        assert row is not None
        assert row.token_hash == token_hash(link.token) != link.token
        assert (row.kind, row.created_by, row.revoked_at) == ("client page", "tester", None)
        logged = session.exec(select(Activity).where(Activity.entity == "publishedlink")).all()
    assert [a.summary for a in logged] == ["published the client page of FW-26"]
    revoke_link(demo_ctx, link.id)
    with demo_ctx.db.read() as session:
        assert session.get(PublishedLink, link.id).revoked_at is not None  # type: ignore[union-attr]
        summaries = [
            a.summary
            for a in session.exec(select(Activity).where(Activity.entity == "publishedlink"))
        ]
    assert summaries[-1] == f"revoked the client page of FW-26 (link {link.id})"
    with pytest.raises(ItpmError, match="already"):
        revoke_link(demo_ctx, link.id)
    assert all(link.token not in repr(r) for r in link_rows(demo_ctx.db))


@pytest.mark.both_backends
def test_a_viewer_publishes_and_revokes_nothing(demo_ctx: Context) -> None:
    link = publish_link(demo_ctx, LinkKind.PROJECT_FEED, project_id=fw26(demo_ctx))
    viewer = Context(demo_ctx.db, "tester", clock=lambda: TODAY, read_only="a test viewer")
    with pytest.raises(NotAllowed):
        publish_link(viewer, LinkKind.PROJECT_FEED, project_id=fw26(demo_ctx))
    with pytest.raises(NotAllowed):
        revoke_link(viewer, link.id)
    rows = link_rows(demo_ctx.db)
    assert [(r.id, r.revoked_at) for r in rows] == [(link.id, None)]


@pytest.mark.both_backends
def test_a_link_names_the_right_kind_of_subject(demo_ctx: Context) -> None:
    with pytest.raises(ItpmError, match="person feed is about a person"):
        publish_link(demo_ctx, LinkKind.PERSON_FEED, project_id=fw26(demo_ctx))
    assert link_rows(demo_ctx.db) == []


def test_the_commands_print_the_url_once_and_list_no_token(demo_ctx: Context) -> None:
    db = str(demo_ctx.db.path)
    runner = CliRunner()
    made = runner.invoke(cli, ["--db", db, "feeds", "add", "--project", "fw-26"])
    assert made.exit_code == 0, made.output
    url = re.search(r"http://127\.0\.0\.1:8000/feeds/([A-Za-z0-9_-]{32})\.ics", made.output)
    assert url is not None
    page = runner.invoke(
        cli,
        [
            "--db",
            db,
            "page",
            "add",
            "FW-26",
            "--audience",
            "helpdesk",
            "--base-url",
            "https://x.org/",
        ],
    )
    assert page.exit_code == 0 and "https://x.org/p/" in page.output
    listed = runner.invoke(cli, ["--db", db, "feeds", "list"])
    assert listed.exit_code == 0
    assert "project feed" in listed.output and "helpdesk page" in listed.output
    assert url.group(1) not in listed.output
    revoked = runner.invoke(cli, ["--db", db, "page", "revoke", "1"])
    assert revoked.exit_code == 0 and "revoked link 1 (project feed)" in revoked.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["feeds", "add"], "--person/--project: give exactly one of them"),
        (["feeds", "add", "--person", "nobody"], "--person: no active person has the handle"),
        (["feeds", "add", "--project", "NOPE"], "no project with code 'NOPE'"),
        (["page", "add", "FW-26", "--audience", "client", "--base-url", "ftp://x"], "--base-url"),
        (["feeds", "revoke", "99"], "publishedlink 99 does not exist"),
    ],
)
def test_bad_input_is_one_line_and_status_2(demo_ctx: Context, args: list[str], said: str) -> None:
    done = itpm("--db", str(demo_ctx.db.path), *args)
    assert done.returncode == 2 and not done.stdout
    assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert link_rows(demo_ctx.db) == []


@pytest.mark.both_backends
def test_every_kind_of_link_answers_on_either_backend(demo_ctx: Context) -> None:
    from itpm_tui.published.feeds import answer

    pid = fw26(demo_ctx)
    person = person_by_handle(demo_ctx.db, "ana")
    for kind in LinkKind:
        subject = {"person_id": person} if kind.about_person else {"project_id": pid}
        link = publish_link(demo_ctx, kind, **subject)  # type: ignore[arg-type]
        found = answer(demo_ctx.db, link.token, feed=kind.is_feed, today=TODAY)
        assert found is not None
        if kind.is_feed:
            assert parsed(found.body).walk("VEVENT")
        else:
            assert "HQ live on FortiGate" in found.body
        assert answer(demo_ctx.db, link.token, feed=not kind.is_feed, today=TODAY) is None
        revoke_link(demo_ctx, link.id)
        assert answer(demo_ctx.db, link.token, feed=kind.is_feed, today=TODAY) is None


# -- what the routes answer --------------------------------------------------------------------


@pytest.fixture
async def client(demo_ctx: Context) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    add_published_routes(app, demo_ctx.db, today=lambda: TODAY)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def parsed(text: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(text)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


async def test_a_project_feed_is_valid_icalendar_with_the_milestones_and_windows(
    demo_ctx: Context, client: TestClient[web.Request, web.Application]
) -> None:
    pid = fw26(demo_ctx)
    link = publish_link(demo_ctx, LinkKind.PROJECT_FEED, project_id=pid)
    response = await client.get(f"/feeds/{link.token}.ics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parsed(await response.text())

    timeline = load_timeline(demo_ctx.db, pid)
    assert timeline is not None
    database = database_uid(demo_ctx.db)
    milestones = [t for t in timeline.tasks if t.is_milestone]
    expected = {record_uid(database, "milestone", t.id): f"FW-26: {t.name}" for t in milestones} | {
        record_uid(database, "downtime", w.id): f"FW-26 downtime: {w.title}"
        for w in timeline.downtime
    }
    events = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert events == expected
    assert len(milestones) >= 3 and len(timeline.downtime) >= 1
    for e in calendar.walk("VEVENT"):
        if str(e["UID"]).startswith("downtime-"):
            window = next(
                w for w in timeline.downtime if record_uid(database, "downtime", w.id) == e["UID"]
            )
            assert e.decoded("DTSTART") == window.starts_at


async def test_a_person_feed_holds_their_tasks_and_windows(
    demo_ctx: Context, client: TestClient[web.Request, web.Application]
) -> None:
    person = person_by_handle(demo_ctx.db, "ana")
    link = publish_link(demo_ctx, LinkKind.PERSON_FEED, person_id=person)
    response = await client.get(f"/feeds/{link.token}.ics")
    assert response.status == 200
    calendar = parsed(await response.text())
    work = load_my_work(demo_ctx.db, person, TODAY)
    dated = [t for t in work.tasks if t.start is not None and t.finish is not None]
    assert dated
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    tasks = [s for s in summaries if " downtime: " not in s]
    assert sorted(tasks) == sorted(f"{t.project_code} {t.wbs} {t.name}" for t in dated)
    assert len(summaries) - len(tasks) == sum(len(t.windows) for t in work.tasks)
    assert str(calendar["X-WR-CALNAME"]) == f"itpm: {work.person_name} (ana)"


async def test_the_feed_follows_the_plan_at_each_request(
    demo_ctx: Context, client: TestClient[web.Request, web.Application]
) -> None:
    pid = fw26(demo_ctx)
    link = publish_link(demo_ctx, LinkKind.PROJECT_FEED, project_id=pid)
    before = parsed(await (await client.get(f"/feeds/{link.token}.ics")).text())
    add_window(
        demo_ctx,
        pid,
        WindowDraft("Core switch swap", "2026-04-04 08:00", "2026-04-04 12:00", "LAN"),
    )
    after = parsed(await (await client.get(f"/feeds/{link.token}.ics")).text())
    added = {str(e["SUMMARY"]) for e in after.walk("VEVENT")} - {
        str(e["SUMMARY"]) for e in before.walk("VEVENT")
    }
    assert added == {"FW-26 downtime: Core switch swap"}


async def test_a_revoked_unknown_or_misplaced_token_is_404_and_says_nothing(
    demo_ctx: Context, client: TestClient[web.Request, web.Application]
) -> None:
    feed = publish_link(demo_ctx, LinkKind.PROJECT_FEED, project_id=fw26(demo_ctx))
    page = publish_link(demo_ctx, LinkKind.HELPDESK_PAGE, project_id=fw26(demo_ctx))
    assert (await client.get(f"/feeds/{feed.token}.ics")).status == 200
    revoke_link(demo_ctx, feed.id)
    for path in (
        f"/feeds/{feed.token}.ics",  # revoked
        f"/feeds/{'x' * 32}.ics",  # unknown
        f"/feeds/{page.token}.ics",  # a page's token at a feed's address
        f"/p/{feed.token}",
        "/p/%3Cscript%3E",  # malformed
    ):
        response = await client.get(path)
        body = await response.text()
        assert response.status == 404, path
        assert "FW-26" not in body and "Firewall" not in body
    assert (await client.get(f"/p/{page.token}")).status == 200


async def test_the_client_page_has_the_budget_and_the_helpdesk_page_not(
    demo_ctx: Context, client: TestClient[web.Request, web.Application]
) -> None:
    pid = fw26(demo_ctx)
    pages = {}
    for kind in (LinkKind.CLIENT_PAGE, LinkKind.HELPDESK_PAGE):
        link = publish_link(demo_ctx, kind, project_id=pid)
        response = await client.get(f"/p/{link.token}")
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "script-src" not in response.headers["Content-Security-Policy"]
        pages[kind] = await response.text()
    client_page, helpdesk = pages[LinkKind.CLIENT_PAGE], pages[LinkKind.HELPDESK_PAGE]
    for page in (client_page, helpdesk):
        assert '<meta http-equiv="refresh" content="300">' in page
        assert "@media print" in page and "<script" not in page
        for shown in ("Status", "Health", "Milestones", "Planned downtime", "HQ live on FortiGate"):
            assert shown in page
    assert "<h2>Budget</h2>" in client_page and "Spent so far" in client_page
    assert "Budget" not in helpdesk and "Spent so far" not in helpdesk and "EUR" not in helpdesk


async def test_every_user_text_on_the_page_is_escaped(
    demo_ctx: Context, client: TestClient[web.Request, web.Application]
) -> None:
    pid = fw26(demo_ctx)
    hostile = '<script>alert("x")</script> & <b>co</b>'
    add_task(
        demo_ctx,
        pid,
        TaskDraft(
            hostile,
            is_milestone=True,
            planned_start=date(2026, 3, 25),
            planned_finish=date(2026, 3, 25),
        ),
    )
    add_window(
        demo_ctx, pid, WindowDraft(hostile, "2026-03-28 19:00", "2026-03-28 23:00", "<i>E-mail</i>")
    )
    link = publish_link(demo_ctx, LinkKind.CLIENT_PAGE, project_id=pid)
    page = await (await client.get(f"/p/{link.token}")).text()
    assert "<script" not in page and "<b>co" not in page and "<i>E-mail" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in page
    assert "&lt;i&gt;E-mail&lt;/i&gt; will be unavailable Saturday 28 March 19:00–23:00." in page


# -- a real `itpm serve` and headless Chromium -------------------------------------------------


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("published") / "demo.db"
    done = itpm("--db", str(path), "demo")
    assert done.returncode == 0, done.stderr
    return path


def made_url(db: Path, *args: str) -> str:
    done = itpm("--db", str(db), *args)
    assert done.returncode == 0, done.stderr
    found = re.search(r"^  (http\S+)$", done.stdout, re.MULTILINE)
    assert found is not None, done.stdout
    return found.group(1)


def test_itpm_serve_answers_feeds_past_its_token_gate(served_demo: Path) -> None:
    server, port = start_server(served_demo, "--token", "t0ken")
    try:
        base = f"http://127.0.0.1:{port}"
        url = made_url(served_demo, "feeds", "add", "--project", "FW-26", "--base-url", base)
        with urllib.request.urlopen(url, timeout=20) as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            calendar = parsed(response.read().decode("utf-8"))
        assert any(
            str(e["SUMMARY"]) == "FW-26: HQ live on FortiGate" for e in calendar.walk("VEVENT")
        )
        assert status(f"{base}/")[0] == 403  # the dashboard itself still needs the token
        with sqlite3.connect(served_demo) as conn:
            (link_id,) = conn.execute("SELECT max(id) FROM publishedlink").fetchone()
        CliRunner().invoke(cli, ["--db", str(served_demo), "feeds", "revoke", str(link_id)])
        assert status(url)[0] == 404
    finally:
        stop(server)


def test_the_project_page_shows_in_headless_chromium(served_demo: Path) -> None:
    from chromium import CHROMIUM, Browser

    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (the CI installs it)")
    server, port = start_server(served_demo)
    base = f"http://127.0.0.1:{port}"
    client_url = made_url(
        served_demo, "page", "add", "FW-26", "--audience", "client", "--base-url", base
    )
    helpdesk_url = made_url(
        served_demo, "page", "add", "FW-26", "--audience", "helpdesk", "--base-url", base
    )

    async def look(url: str) -> str:
        async with Browser(1024, 768) as browser:
            await browser.call("Emulation.setScriptExecutionDisabled", value=True)
            await browser.open(url)
            text = ""
            for _ in range(80):
                text = str(
                    await browser.evaluate("document.body ? document.body.innerText : ''") or ""
                )
                if "Milestones" in text:
                    break
                await asyncio.sleep(0.25)
            return text

    try:
        client_text = asyncio.run(look(client_url))
        helpdesk_text = asyncio.run(look(helpdesk_url))
    finally:
        stop(server)
    for text in (client_text, helpdesk_text):
        assert "FW-26 — Firewall upgrade to FortiGate HA" in text
        for milestone in ("Design signed off", "HQ live on FortiGate", "Handover to Nordwind IT"):
            assert milestone in text
        assert "will be unavailable" in text
    assert "Spent so far" in client_text
    assert "Spent so far" not in helpdesk_text and "Budget" not in helpdesk_text


async def test_a_database_that_cannot_be_read_is_503_in_one_line(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itpm_tui.errors import StorageError
    from itpm_tui.published import routes

    def locked(*args: object, **kwargs: object) -> None:
        raise StorageError("the database is locked by another program")

    monkeypatch.setattr(routes, "answer", locked)
    app = web.Application()
    add_published_routes(app, demo_ctx.db, today=lambda: TODAY)
    async with TestClient(TestServer(app)) as test_client:
        response = await test_client.get(f"/p/{'x' * 32}")
        assert response.status == 503
        assert await response.text() == routes.BUSY


def test_a_new_projects_page_from_an_empty_database(ctx: Context) -> None:
    from itpm_tui.domain.projects import ProjectDraft
    from itpm_tui.published.feeds import answer
    from itpm_tui.services.projects import create_project

    pid = create_project(ctx, ProjectDraft(code="MAIL-27", name="Mail <migration>"))
    add_task(ctx, pid, TaskDraft("Mail live", is_milestone=True))
    add_window(
        ctx, pid, WindowDraft("Mailbox move", "2026-03-21 19:00", "2026-03-21 23:00", "e-mail")
    )
    link = publish_link(ctx, LinkKind.HELPDESK_PAGE, project_id=pid)
    found = answer(ctx.db, link.token, feed=False, today=TODAY)
    assert found is not None
    assert "MAIL-27 — Mail &lt;migration&gt;" in found.body
    assert "Mail live" in found.body and "No downtime planned" not in found.body
    assert "Mailbox move: E-mail will be unavailable Saturday 21 March 19:00–23:00." in found.body
    assert "<h2>Phases</h2>" not in found.body  # no summary task, no phases table
