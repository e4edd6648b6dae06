"""Status reports and the weekly digest by e-mail, against a real SMTP server on loopback
(aiosmtpd started by the test): messages parsed back, contacts logged, due dates moved,
the daily run's once-a-day rule over simulated days, refused recipients and dead servers,
TLS and STARTTLS against a throw-away CA, and the password kept in the system keyring."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import keyring
import pytest
from aiosmtpd.controller import Controller
from conftest import TODAY, run_cli
from hypothesis import given
from hypothesis import strategies as st
from keyring.backend import KeyringBackend

from itpm_tui.domain.mail import digest_due, week_start
from itpm_tui.queries.stakeholders import communication_log, contacts
from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database, open_database, sqlite_url

#: A Monday after the demo's today: FW-26's two e-mail stakeholders are due then.
MONDAY = TODAY + timedelta(days=5)
STEFAN = "s.brandt@nordwind-logistics.de"  # client decision maker: the executive report
TOBIAS = "t.lang@netshield-systems.de"  # vendor: the technical report
EVIL = "Firewall <script>alert('x')</script> & more"


@dataclass
class Mailbox:
    """What the loopback server received: (envelope recipients, parsed message) each."""

    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    sessions: int = 0
    #: What `mail.security` the server wants (the TLS tests' servers).
    security: str = "none"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.messages if address in rcpt]


class Handler:
    """aiosmtpd hooks: count sessions, refuse some recipients with 550, keep the rest."""

    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.box.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.box.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.box.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def configure(tmp_path: Path, port: int, security: str = "none", **more: str) -> None:
    """The [mail] table of the test's config file (ITPM_CONFIG, set by conftest)."""
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = "".join(f'{key} = "{value}"\n' for key, value in more.items())
    path.write_text(
        f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n'
        f'from = "pm@example.org"\n{extra}',
        encoding="utf-8",
    )


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Mailbox]:
    """A real SMTP server on a free loopback port, and the config pointing at it."""
    box = Mailbox(free_port())
    controller = Controller(Handler(box), hostname="127.0.0.1", port=box.port)
    controller.start()
    configure(tmp_path, box.port)
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def demo_db(demo_ctx: Context, db_path: Path) -> tuple[str, str]:
    """The demo file (FW-26 renamed to hold markup) as `--db` arguments."""
    demo_ctx.db.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE project SET name = ? WHERE code = 'FW-26'", (EVIL,))
    conn.close()
    return ("--db", str(db_path))


@pytest.fixture
def on_monday(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setenv("ITPM_TODAY", MONDAY.isoformat())
    return MONDAY


def opened(db_path: Path) -> Database:
    return open_database(sqlite_url(db_path))


def by_email(db: Database, day: date) -> dict[str, Any]:
    return {c.email: c for c in contacts(db, day)}


def due_by_email(db: Database, day: date) -> set[tuple[str, str]]:
    """(project code, address) of every update due by e-mail on `day`, by the contacts."""
    return {
        (link.code, c.email)
        for c in contacts(db, day)
        if c.channel == "e-mail" and c.email and c.due.needs_update
        for link in c.projects
        if link.live
    }


def alternatives(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    text, html = (p.get_content() for p in parts)  # type: ignore[attr-defined]
    return str(text), str(html)


# -- itpm send ------------------------------------------------------------------------------------


def test_dry_run_lists_the_due_email_recipients_and_sends_nothing(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
    db_path: Path,
) -> None:
    code, out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due", "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        f"FW-26: would send the executive report to Stefan Brandt <{STEFAN}>",
        f"FW-26: would send the technical report to Tobias Lang <{TOBIAS}>",
        "FW-26: 2 would be sent (dry run: nothing was sent)",
    ]  # Karin (meeting) and Jana (phone) are on FW-26 too, but not by e-mail
    assert smtp_server.messages == [] and smtp_server.sessions == 0
    db = opened(db_path)
    assert all(
        e.logged_on < on_monday for e in communication_log(db, by_email(db, on_monday)[STEFAN].id)
    )
    db.dispose()


def test_send_reaches_the_server_with_both_alternatives_and_logs_each_contact(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
    db_path: Path,
) -> None:
    db = opened(db_path)
    before = by_email(db, on_monday)
    assert before[STEFAN].due.needs_update and before[TOBIAS].due.needs_update
    code, out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")
    assert code == 0, err
    assert out.splitlines()[-1] == "FW-26: 2 sent, 0 failed"
    assert smtp_server.sessions == 1  # one connection for the whole run
    assert sorted(r for rcpt, _m in smtp_server.messages for r in rcpt) == [STEFAN, TOBIAS]
    (stefan,) = smtp_server.to(STEFAN)
    assert stefan["To"] == f"Stefan Brandt <{STEFAN}>" and stefan["From"] == "pm@example.org"
    subject = str(stefan["Subject"])
    assert subject.startswith("FW-26 — Firewall") and MONDAY.isoformat() in subject
    assert "(executive)" in subject
    text, html = alternatives(stefan)
    assert EVIL in text  # the plain text holds the name as typed
    assert "<script>" not in html and "&lt;script&gt;" in html  # the HTML escapes it
    assert "Status report (executive)" in text
    (tobias,) = smtp_server.to(TOBIAS)
    assert "(technical)" in str(tobias["Subject"])
    after = by_email(db, on_monday)
    for address, audience, message in (
        (STEFAN, "executive", stefan),
        (TOBIAS, "technical", tobias),
    ):
        newest = communication_log(db, after[address].id)[0]
        assert newest.logged_on == on_monday and newest.channel == "e-mail"
        assert newest.project_code == "FW-26" and newest.by == "tester"
        assert newest.summary == f"E-mailed {audience} status report to {address}"
        assert not after[address].due.needs_update  # the next update moved on
        assert after[address].next_due is not None and after[address].next_due > on_monday
        body = _body(db, newest.id)
        assert body == alternatives(message)[0]  # the text sent, kept with the contact
    db.dispose()


def _body(db: Database, entry_id: int) -> str:
    from itpm_tui.storage.models import CommunicationEntry

    with db.read() as session:
        entry = session.get(CommunicationEntry, entry_id)
        assert entry is not None
        assert entry.kind == "update"
        return entry.body


def test_send_to_named_stakeholders_with_one_audience(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
) -> None:
    code, _out, err = run_cli(
        capsys, *demo_db, "send", "fw-26", "--to", "jana keller", "--to", TOBIAS.upper(),
        "--audience", "executive",
    )  # fmt: skip
    assert code == 0, err
    assert {r for rcpt, _m in smtp_server.messages for r in rcpt} == {
        "j.keller@nordwind-logistics.de",
        TOBIAS,
    }
    assert all("(executive)" in str(m["Subject"]) for _r, m in smtp_server.messages)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--to", "nobody@example.org"), "--to: 'nobody@example.org' is no stakeholder of FW-26"),
        ((), "say who gets the report"),
        (("--due", "--to", STEFAN), "say who gets the report"),
        (("--due", "--audience", "board"), "'board' is not one of"),
    ],
)
def test_bad_input_is_one_line_status_2_and_sends_nothing(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
    args: tuple[str, ...],
    needle: str,
) -> None:
    code, _out, err = run_cli(capsys, *demo_db, "send", "FW-26", *args)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and smtp_server.sessions == 0


def test_a_refused_recipient_is_reported_and_logs_nothing(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
    db_path: Path,
) -> None:
    smtp_server.refuse.add(TOBIAS)
    code, out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")
    assert code == 1
    assert f"FW-26: NOT sent to Tobias Lang <{TOBIAS}>" in err and "550" in err
    assert "Traceback" not in err
    assert out.splitlines()[-1] == "FW-26: 1 sent, 1 failed"
    assert [r for r, _m in smtp_server.messages] == [[STEFAN]]
    db = opened(db_path)
    after = by_email(db, on_monday)
    assert communication_log(db, after[STEFAN].id)[0].logged_on == on_monday
    assert all(e.logged_on < on_monday for e in communication_log(db, after[TOBIAS].id))
    assert after[TOBIAS].due.needs_update  # still due: the next run tries again
    db.dispose()


def test_a_dead_server_is_said_plainly_and_nothing_is_logged(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    demo_db: tuple[str, str],
    on_monday: date,
    db_path: Path,
) -> None:
    configure(tmp_path, free_port())  # nothing listens there
    code, _out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines() == [
        "itpm: cannot connect to the mail server 127.0.0.1:"
        f"{_port(tmp_path)}: connection refused; nothing was sent"
    ]
    db = opened(db_path)
    assert by_email(db, on_monday)[STEFAN].due.needs_update
    db.dispose()


def _port(tmp_path: Path) -> int:
    import tomllib

    data = tomllib.loads((tmp_path / "config" / "config.toml").read_text(encoding="utf-8"))
    return int(data["mail"]["port"])


def test_settings_that_cannot_send_are_refused_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    demo_db: tuple[str, str],
    on_monday: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")  # no [mail] yet
    assert code == 2 and "mail is not set up: set mail.host and mail.from" in err
    configure(tmp_path, free_port(), user="pm")
    monkeypatch.delenv("ITPM_MAIL_PASSWORD", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # not installed
    code, _out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")
    assert code == 2 and "mail.user is set but there is no password" in err


# -- itpm mail test -------------------------------------------------------------------------------


def test_mail_test_sends_one_message(
    capsys: pytest.CaptureFixture[str], smtp_server: Mailbox
) -> None:
    code, out, err = run_cli(capsys, "mail", "test", "me@example.org")
    assert code == 0, err
    assert (
        out.strip() == f"test message sent to me@example.org through 127.0.0.1:{smtp_server.port}"
    )
    ((rcpt, message),) = smtp_server.messages
    assert rcpt == ["me@example.org"] and message["Subject"] == "itpm: test message"


def test_mail_test_failures_say_what_failed(
    capsys: pytest.CaptureFixture[str], smtp_server: Mailbox, tmp_path: Path
) -> None:
    code, _out, err = run_cli(capsys, "mail", "test", "not an address")
    assert code == 2 and "TO: 'not an address' is not an e-mail address" in err
    smtp_server.refuse.add("no@example.org")
    code, _out, err = run_cli(capsys, "mail", "test", "no@example.org")
    assert code == 1 and "550 5.1.1 mailbox unavailable" in err
    configure(tmp_path, smtp_server.port, security="starttls")  # aiosmtpd offers no STARTTLS
    code, _out, err = run_cli(capsys, "mail", "test", "me@example.org")
    assert code == 1 and "does not offer STARTTLS; set mail.security to tls" in err
    configure(tmp_path, smtp_server.port, security="tls")  # a plain server, TLS spoken at it
    code, _out, err = run_cli(capsys, "mail", "test", "me@example.org")
    assert code == 1 and f"TLS with the mail server 127.0.0.1:{smtp_server.port} failed" in err
    for failed in (err,):
        assert "Traceback" not in failed and len(failed.strip().splitlines()) == 1


def test_a_refused_login_names_the_user_never_the_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.smtp import AuthResult

    port = free_port()
    controller = Controller(
        Handler(Mailbox(port)),
        hostname="127.0.0.1",
        port=port,
        auth_require_tls=False,
        authenticator=lambda *_args: AuthResult(success=False, handled=False),
    )
    controller.start()
    try:
        configure(tmp_path, port, user="pm")
        monkeypatch.setenv("ITPM_MAIL_PASSWORD", "s3cret-pass")
        code, out, err = run_cli(capsys, "mail", "test", "me@example.org")
    finally:
        controller.stop()
    assert code == 1 and f"127.0.0.1:{port} refused the login of 'pm' (535" in err
    assert "s3cret-pass" not in out + err
    code, out, _err = run_cli(capsys, "config", "show")
    assert "s3cret-pass" not in out and "mail.user = 'pm'" in out


# -- itpm updates send: the daily run -------------------------------------------------------------


def test_the_daily_run_sends_each_due_update_once_a_day(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = opened(db_path)
    first = TODAY
    expected = due_by_email(db, first)
    assert expected  # the demo has someone due by e-mail today
    monkeypatch.setenv("ITPM_TODAY", first.isoformat())
    code, out, err = run_cli(capsys, *demo_db, "updates", "send")
    assert code == 0, err
    codes = sorted({code for code, _email in expected})
    assert out.splitlines() == [
        f"{c}: {sum(1 for x, _e in expected if x == c)} sent, 0 failed" for c in codes
    ]
    got = {(str(m["Subject"]).split(" ")[0], rcpt[0]) for rcpt, m in smtp_server.messages}
    assert got == expected and smtp_server.sessions == 1
    code, out, err = run_cli(capsys, *demo_db, "updates", "send")  # again, the same day
    assert code == 0 and out.strip() == f"{first.isoformat()}: no e-mail update is due"
    assert len(smtp_server.messages) == len(expected) and smtp_server.sessions == 1
    # Over the next days: each message is sent when due, and never twice on one day.
    seen: set[tuple[str, str, date]] = set()
    for offset in range(1, 15):
        day = first + timedelta(days=offset)
        monkeypatch.setenv("ITPM_TODAY", day.isoformat())
        before = len(smtp_server.messages)
        for _run in range(2):
            code, _out, err = run_cli(capsys, *demo_db, "updates", "send")
            assert code == 0, err
        for rcpt, message in smtp_server.messages[before:]:
            key = (str(message["Subject"]).split(" ")[0], rcpt[0], day)
            assert key not in seen
            seen.add(key)
    assert any(email == STEFAN for _c, email, _d in seen)  # weekly: due again and sent
    assert due_by_email(db, first + timedelta(days=14)) == set()  # all caught up
    db.dispose()


def test_the_daily_run_exits_1_when_a_delivery_failed(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
) -> None:
    smtp_server.refuse.add(TOBIAS)
    code, out, err = run_cli(capsys, *demo_db, "updates", "send")
    assert code == 1 and err == ""  # the project's line says who failed and why
    line = next(line for line in out.splitlines() if line.startswith("FW-26:"))
    assert line.startswith("FW-26: 1 sent, 1 failed (Tobias Lang") and "550" in line
    smtp_server.refuse.clear()
    code, out, _err = run_cli(capsys, *demo_db, "updates", "send")  # a retry sends only his
    assert code == 0 and out.splitlines() == ["FW-26: 1 sent, 0 failed"]
    assert smtp_server.to(TOBIAS)


# -- the weekly digest ----------------------------------------------------------------------------


def test_the_digest_goes_once_a_week_on_its_day_with_a_section_per_live_project(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(tmp_path, smtp_server.port, digest_day="tuesday")
    code, out, err = run_cli(capsys, *demo_db, "digest", "subscribe", STEFAN)
    assert code == 0 and out.strip() == "Stefan Brandt gets the weekly digest", err
    db = opened(db_path)
    stefan = by_email(db, TODAY)[STEFAN]
    assert stefan.digest
    live = sorted(link.code for link in stefan.projects if link.live)
    assert live == ["FW-26"]  # SRV-25 is closed: no section for it
    monday = MONDAY
    digests: list[EmailMessage] = []
    for offset in range(0, 9):  # Monday to the next Tuesday
        day = monday + timedelta(days=offset)
        monkeypatch.setenv("ITPM_TODAY", day.isoformat())
        before = len(smtp_server.messages)
        code, out, err = run_cli(capsys, *demo_db, "updates", "send")
        assert code == 0, err
        new = [m for _r, m in smtp_server.messages[before:] if "digest" in str(m["Subject"])]
        if day.weekday() == 1:  # the Tuesdays
            assert len(new) == 1 and out.splitlines()[0] == "weekly digest: 1 sent, 0 failed"
        else:
            assert new == []
        digests += new
    assert len(digests) == 2
    text, html = alternatives(digests[0])
    assert str(digests[0]["Subject"]).startswith("Weekly digest, week 13 of 2026")
    assert "FW-26" in text and "SRV-25" not in text and "<script>" not in html
    entries = [
        e for e in communication_log(db, stefan.id) if e.summary.startswith("E-mailed weekly")
    ]
    assert [e.logged_on for e in entries] == [
        monday + timedelta(days=8),
        monday + timedelta(days=1),
    ]
    assert entries[0].project_id is None
    db.dispose()


def test_digest_send_on_demand_is_idempotent_per_week(
    capsys: pytest.CaptureFixture[str],
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
) -> None:
    code, out, _err = run_cli(capsys, *demo_db, "digest", "send")
    assert code == 0 and out.strip() == "weekly digest: nobody is due one this week"
    run_cli(capsys, *demo_db, "digest", "subscribe", "karin vogel")
    code, out, _err = run_cli(capsys, *demo_db, "digest", "send", "--dry-run")
    assert out.strip() == (
        "weekly digest: would send FW-26 to Karin Vogel <k.vogel@nordwind-logistics.de>"
    )
    assert smtp_server.messages == []
    code, out, _err = run_cli(capsys, *demo_db, "digest", "send")
    assert code == 0 and out.strip() == "weekly digest: 1 sent, 0 failed"
    code, out, _err = run_cli(capsys, *demo_db, "digest", "send")
    assert out.strip() == "weekly digest: nobody is due one this week"
    code, out, _err = run_cli(capsys, *demo_db, "digest", "unsubscribe", "karin vogel")
    assert out.strip() == "Karin Vogel no longer gets the weekly digest"
    code, _out, err = run_cli(capsys, *demo_db, "digest", "subscribe", "nobody")
    assert code == 2 and "no single stakeholder named or addressed 'nobody'" in err


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 6), st.integers(0, 30))
def test_digest_due_once_per_iso_week_from_its_day(today: date, weekday: int, ago: int) -> None:
    last = today - timedelta(days=ago)
    due = digest_due(today, weekday, last)
    if today.weekday() < weekday or last >= week_start(today):
        assert not due
    else:
        assert due
    assert digest_due(today, weekday, None) == (today.weekday() >= weekday)
    assert week_start(today).weekday() == 0 and 0 <= (today - week_start(today)).days < 7


# -- the report preview's e-mail key --------------------------------------------------------------


async def test_the_preview_emails_the_report_after_naming_the_recipients(
    demo_ctx: Context, smtp_server: Mailbox
) -> None:
    from conftest import make_app, settle
    from test_report_preview import notes, open_preview
    from textual.widgets import SelectionList

    from itpm_tui.config import MailSettings
    from itpm_tui.screens.confirm import ConfirmScreen
    from itpm_tui.screens.report_preview import EmailPicker, ReportPreview

    mail = MailSettings("127.0.0.1", smtp_server.port, "none", sender="pm@example.org")
    app = make_app(demo_ctx, mail=mail)
    uwe = "uwe.schneider@stadtwerke-bergheim.de"  # end user, by e-mail, overdue
    async with app.run_test(size=(100, 30)) as pilot:
        await open_preview(pilot, "M365-26")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, EmailPicker) and picker.email
        on_project = {c.id: c for c in contacts(demo_ctx.db, TODAY) if "M365-26" in c.codes}
        ticked = set(picker.query_one(SelectionList).selected)
        assert {on_project[i].email for i in ticked} == {uwe}  # the chat contact is not
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert f"Uwe Schneider <{uwe}>" in confirm.question and "M365-26" in confirm.question
        assert smtp_server.messages == []  # nothing goes before the answer
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ReportPreview)
        assert any("E-mailed the executive status report of M365-26 to 1 stakeholder" in n
                   for n in notes(app))  # fmt: skip
    ((rcpt, message),) = smtp_server.messages
    assert rcpt == [uwe] and "M365-26" in str(message["Subject"])
    alternatives(message)
    sid = next(i for i in ticked)
    newest = communication_log(demo_ctx.db, sid)[0]
    assert newest.logged_on == TODAY and newest.summary.startswith("E-mailed executive")


# -- the writes and reads behind it, on SQLite and PostgreSQL -------------------------------------


@pytest.mark.both_backends
def test_logged_deliveries_are_what_the_daily_run_reads(demo_ctx: Context) -> None:
    from itpm_tui.queries.stakeholders import emailed_on, last_digests
    from itpm_tui.reports.data import project_id_for_code
    from itpm_tui.services.stakeholders import record_digest_sent, record_email_sent, set_digest

    db = demo_ctx.db
    fw = project_id_for_code(db, "FW-26")
    stefan = by_email(db, TODAY)[STEFAN]
    assert emailed_on(db, TODAY) == set() and last_digests(db) == {}
    long_text = "x" * 30000  # longer than the log keeps
    record_email_sent(demo_ctx, fw, stefan.id, audience="executive", body=long_text)
    assert emailed_on(db, TODAY) == {(stefan.id, fw)}
    assert emailed_on(db, TODAY + timedelta(days=1)) == set()
    kept = _body(db, communication_log(db, stefan.id)[0].id)
    assert len(kept) == 20000 and kept.endswith("(cut here: 30,000 characters were sent)")
    assert set_digest(demo_ctx, stefan.id, True, stefan.version)
    assert by_email(db, TODAY)[STEFAN].digest
    record_digest_sent(demo_ctx, stefan.id, ["FW-26"], "digest text")
    assert last_digests(db) == {stefan.id: TODAY}
    newest = communication_log(db, stefan.id)[0]
    assert newest.project_id is None and newest.summary.startswith("E-mailed weekly digest")


def test_who_may_not_log_a_contact_sends_nothing(demo_ctx: Context, smtp_server: Mailbox) -> None:
    from itpm_tui.config import MailSettings
    from itpm_tui.errors import NotAllowed
    from itpm_tui.mail.updates import Run, project_updates

    viewer = Context(demo_ctx.db, "tester", clock=lambda: MONDAY, read_only="a kiosk")
    updates = project_updates(viewer, "FW-26", due=True)
    assert len(updates) == 2  # reading who is due is fine
    run = Run(viewer, MailSettings("127.0.0.1", smtp_server.port, "none", sender="pm@x.org"))
    with pytest.raises(NotAllowed):
        run.send_updates(updates)
    assert smtp_server.sessions == 0 and smtp_server.messages == []


# -- the demo on the day it is built -----------------------------------------------------------


def test_on_the_demos_own_day_fw26_has_its_email_update_due(
    capsys: pytest.CaptureFixture[str], demo_db: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITPM_TODAY", TODAY.isoformat())  # the day the demo was built
    code, out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due", "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        f"FW-26: would send the executive report to Stefan Brandt <{STEFAN}>",
        "FW-26: 1 would be sent (dry run: nothing was sent)",
    ]
    code, out, err = run_cli(capsys, *demo_db, "updates", "send", "--dry-run")
    assert code == 0, err
    planned = out.splitlines()
    assert any(line.startswith("FW-26: would send 1: Stefan Brandt") for line in planned)
    assert not any(line.startswith("MOVE-26") for line in planned)  # Lena was written lately


# -- TLS and STARTTLS against a certificate of a private CA ----------------------------------------


@dataclass(frozen=True)
class Certificates:
    """A throw-away CA, a server certificate it signed for 127.0.0.1, one it signed for
    another name, and another CA."""

    ca: Path
    cert: Path
    key: Path
    other_ca: Path
    other_name: Path

    def server_context(self, cert: Path | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert or self.cert, self.key)
        return context


def _openssl(*args: str | Path, cwd: Path) -> None:
    subprocess.run(["openssl", *map(str, args)], cwd=cwd, check=True, capture_output=True)


def _make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl program makes the test certificates")
    folder = tmp_path_factory.mktemp("tls")
    ca, ca_key = _make_ca(folder, "itpm-test-ca")
    other_ca, _ = _make_ca(folder, "another-ca")
    for name, where in (("server", "IP:127.0.0.1, DNS:localhost"), ("other", "DNS:mail.example")):
        (folder / f"{name}.ext").write_text(
            f"subjectAltName = {where}\nbasicConstraints = CA:FALSE\n"
            "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n",
            encoding="utf-8",
        )
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        cwd=folder,
    )  # fmt: skip
    for name in ("server", "other"):
        _openssl(
            "x509", "-req", "-in", "server.csr", "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
            cwd=folder,
        )  # fmt: skip
    return Certificates(
        ca, folder / "server.pem", folder / "server.key", other_ca, folder / "other.pem"
    )


@pytest.fixture(params=["tls", "starttls"])
def tls_server(request: pytest.FixtureRequest, certificates: Certificates) -> Iterator[Mailbox]:
    """A loopback server speaking TLS from the first byte (`tls`) or after STARTTLS, which
    it then requires before any mail (`starttls`)."""
    box = Mailbox(free_port())
    if request.param == "tls":
        controller = Controller(
            Handler(box), hostname="127.0.0.1", port=box.port,
            ssl_context=certificates.server_context(),
        )  # fmt: skip
    else:
        controller = Controller(
            Handler(box), hostname="127.0.0.1", port=box.port,
            tls_context=certificates.server_context(), require_starttls=True,
        )  # fmt: skip
    controller.start()
    box.security = request.param
    try:
        yield box
    finally:
        controller.stop()


def test_a_server_certified_by_the_ca_of_mail_ca_file_gets_the_report(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tls_server: Mailbox,
    certificates: Certificates,
    demo_db: tuple[str, str],
    on_monday: date,
    db_path: Path,
) -> None:
    configure(tmp_path, tls_server.port, tls_server.security, ca_file=str(certificates.ca))
    code, out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--to", STEFAN)
    assert code == 0, err
    assert out.splitlines()[-1] == "FW-26: 1 sent, 0 failed"
    ((rcpt, message),) = tls_server.messages
    assert rcpt == [STEFAN] and "(executive)" in str(message["Subject"])
    db = opened(db_path)
    assert communication_log(db, by_email(db, on_monday)[STEFAN].id)[0].logged_on == on_monday
    db.dispose()
    code, out, err = run_cli(capsys, "mail", "test", "me@example.org")
    assert code == 0 and "test message sent to me@example.org" in out, err


@pytest.mark.parametrize("trusted", ["system", "another CA"])
def test_an_untrusted_certificate_is_refused_plainly_and_nothing_is_logged(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tls_server: Mailbox,
    certificates: Certificates,
    demo_db: tuple[str, str],
    on_monday: date,
    db_path: Path,
    trusted: str,
) -> None:
    more = {"ca_file": str(certificates.other_ca)} if trusted == "another CA" else {}
    configure(tmp_path, tls_server.port, tls_server.security, **more)
    db = opened(db_path)
    before = len(communication_log(db, by_email(db, on_monday)[STEFAN].id))
    code, _out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")
    assert code == 1 and "Traceback" not in err, err
    (line,) = err.strip().splitlines()
    where = f"127.0.0.1:{tls_server.port}"
    assert line.startswith(f"itpm: the mail server {where} is not trusted: its TLS certificate")
    assert "set mail.ca_file to that CA's certificate" in line
    assert line.endswith("; nothing was sent")
    if trusted == "another CA":
        assert f"checked against the CAs of mail.ca_file {certificates.other_ca}" in line
    assert tls_server.messages == []
    after = by_email(db, on_monday)[STEFAN]
    assert len(communication_log(db, after.id)) == before and after.due.needs_update
    db.dispose()


def test_a_certificate_made_out_to_another_name_is_refused_naming_the_host(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, certificates: Certificates
) -> None:
    box = Mailbox(free_port())
    controller = Controller(
        Handler(box), hostname="127.0.0.1", port=box.port,
        tls_context=certificates.server_context(certificates.other_name), require_starttls=True,
    )  # fmt: skip
    controller.start()
    try:
        configure(tmp_path, box.port, "starttls", ca_file=str(certificates.ca))
        code, _out, err = run_cli(capsys, "mail", "test", "me@example.org")
    finally:
        controller.stop()
    assert code == 1 and "Traceback" not in err, err
    assert f"127.0.0.1:{box.port} is not trusted: its TLS certificate is not made out to " in err
    assert "'127.0.0.1'" in err and "set mail.host to a name the certificate names" in err
    assert box.messages == []


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "does not exist"),
        ("not a certificate\n", "holds no PEM certificate"),
    ],
)
def test_a_ca_file_that_cannot_be_used_is_status_2_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    smtp_server: Mailbox,
    demo_db: tuple[str, str],
    on_monday: date,
    content: str | None,
    needle: str,
) -> None:
    ca_file = tmp_path / "company-ca.pem"
    if content is not None:
        ca_file.write_text(content, encoding="utf-8")
    configure(tmp_path, smtp_server.port, "starttls", ca_file=str(ca_file))
    code, _out, err = run_cli(capsys, *demo_db, "send", "FW-26", "--due")
    assert code == 2 and err.strip() == f"itpm: mail.ca_file: {ca_file} {needle}", err
    assert smtp_server.sessions == 0


def test_mail_ca_file_is_validated_like_the_other_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run_cli(capsys, "config", "set", "mail.ca_file", "certs/ca.pem")
    assert code == 2 and "mail.ca_file: must be an absolute path" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, _out, err = run_cli(capsys, "config", "set", "mail.ca_file", "~/certs/ca.pem")
    assert code == 0, err
    code, out, _err = run_cli(capsys, "config", "show")
    assert "mail.ca_file = '~/certs/ca.pem'" in out


# -- the password from the system keyring ----------------------------------------------------------


class MemoryKeyring(KeyringBackend):  # type: ignore[misc]
    """A keyring held in memory: the real `keyring` API, no desktop service needed."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("ITPM_MAIL_PASSWORD", raising=False)
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    try:
        yield kept
    finally:
        keyring.set_keyring(before)


def test_the_password_kept_in_the_system_keyring_logs_in(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"pm",
            b"from-the-keyring",
        )
        return AuthResult(success=ok, handled=False)

    box = Mailbox(free_port())
    controller = Controller(
        Handler(box), hostname="127.0.0.1", port=box.port,
        auth_require_tls=False, authenticator=check,
    )  # fmt: skip
    controller.start()
    try:
        configure(tmp_path, box.port, user="pm")
        code, _out, err = run_cli(capsys, "mail", "test", "me@example.org")
        assert code == 2 and "mail.user is set but there is no password" in err
        assert "keyring set itpm pm@127.0.0.1" in err
        keyring.set_password("itpm", "pm@127.0.0.1", "from-the-keyring")  # as the user would
        code, out, err = run_cli(capsys, "mail", "test", "me@example.org")
        assert code == 0, err
        assert "from-the-keyring" not in out + err
        ((rcpt, _message),) = box.messages
        assert rcpt == ["me@example.org"]
        memory_keyring.kept[("itpm", "pm@127.0.0.1")] = "an-old-one"
        code, out, err = run_cli(capsys, "mail", "test", "me@example.org")
        assert code == 1 and "refused the login of 'pm'" in err
        assert "an-old-one" not in out + err and len(box.messages) == 1
        monkeypatch.setenv("ITPM_MAIL_PASSWORD", "from-the-keyring")  # the environment wins
        code, _out, err = run_cli(capsys, "mail", "test", "me@example.org")
        assert code == 0, err
        assert len(box.messages) == 2
    finally:
        controller.stop()


def test_a_keyring_without_a_backend_counts_as_no_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from keyring.backends.fail import Keyring as NoBackend

    keyring.set_keyring(NoBackend())  # what a server without a desktop keyring has
    configure(tmp_path, free_port(), user="pm")
    code, _out, err = run_cli(capsys, "mail", "test", "me@example.org")
    assert code == 2 and "mail.user is set but there is no password" in err
    assert "Traceback" not in err
