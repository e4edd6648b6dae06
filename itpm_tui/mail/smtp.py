"""One SMTP connection per run, with what went wrong said in plain words.

The password is never in the config file: it is read from ITPM_MAIL_PASSWORD or, when the
optional `keyring` package is installed, from the system keyring (service "itpm", user
`USER@HOST`). It is never printed, not even in an error. The server's TLS certificate is
checked against the system's certificate authorities, or those of `mail.ca_file` (a
company's private CA).
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from itpm_tui.domain.mail import MAIL_PASSWORD_ENV
from itpm_tui.errors import ItpmError

if TYPE_CHECKING:
    from itpm_tui.config import MailSettings

#: Seconds to wait for the server to connect or answer one command.
TIMEOUT = 30.0
#: The keyring service the password may be kept under (`keyring set itpm USER@HOST`).
KEYRING_SERVICE = "itpm"
#: OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and _IP_ADDRESS_MISMATCH: a valid certificate,
#: made out to another name or address than mail.host.
HOST_MISMATCH = frozenset({62, 64})


class MailError(ItpmError):
    """The message could not be delivered (the server, the network, a recipient): the
    input was fine, so a command exits with status 1 rather than 2."""


def check_ready(mail: MailSettings) -> None:
    """Refuse (status 2, nothing sent) settings that cannot send anything."""
    missing = [key for key, value in (("host", mail.host), ("from", mail.sender)) if not value]
    if missing:
        keys = " and ".join(f"mail.{key}" for key in missing)
        raise ItpmError(
            f"mail is not set up: set {keys} (itpm config set mail.host smtp.example.com)"
        )
    if mail.security != "none" and mail.ca_file:
        tls_context(mail)  # a CA file that cannot be read is refused before anything goes
    if mail.user and password(mail) is None:
        raise ItpmError(
            f"mail.user is set but there is no password: set {MAIL_PASSWORD_ENV} or keep it "
            f"in the system keyring (keyring set {KEYRING_SERVICE} {mail.user}@{mail.host})"
        )


def tls_context(mail: MailSettings) -> ssl.SSLContext:
    """Certificates checked, host name matched: against `mail.ca_file`'s CAs when it is set
    (instead of the system's), else the system's. A file that is missing or holds no PEM
    certificate is a settings error (status 2)."""
    if not mail.ca_file:
        return ssl.create_default_context()
    path = Path(mail.ca_file).expanduser()
    try:
        return ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        raise ItpmError(f"mail.ca_file: {path} does not exist") from None
    except ssl.SSLError:
        raise ItpmError(f"mail.ca_file: {path} holds no PEM certificate") from None
    except OSError as exc:
        raise ItpmError(f"mail.ca_file: cannot read {path} ({exc.strerror or exc})") from None


def password(mail: MailSettings) -> str | None:
    """The login password: the environment first, then the system keyring if installed."""
    if (value := os.environ.get(MAIL_PASSWORD_ENV)) is not None:
        return value
    try:
        import keyring  # optional: only where the user installed it
    except ImportError:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, f"{mail.user}@{mail.host}")
    except Exception:  # no keyring backend on this machine: as if none were kept
        return None
    return str(found) if found is not None else None


class RecipientRefused(MailError):
    """The server refused this one message (the others of the run may still go)."""


class Sender:
    """An open SMTP session: `send` each message, then `close` (or use `with`). Opening
    it connects, protects the connection as `mail.security` says and logs in."""

    def __init__(self, mail: MailSettings) -> None:
        check_ready(mail)
        self.mail = mail
        self.where = f"{mail.host}:{mail.port}"
        self._tls = tls_context(mail) if mail.security != "none" else None
        self._smtp = self._connect()
        #: Why the connection is unusable (then every later message fails with it).
        self.broken = ""

    def _connect(self) -> smtplib.SMTP:
        mail = self.mail
        try:
            smtp: smtplib.SMTP
            if mail.security == "tls":
                smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=TIMEOUT, context=self._tls)
            else:
                smtp = smtplib.SMTP(mail.host, mail.port, timeout=TIMEOUT)
            try:
                smtp.ehlo()
                if mail.security == "starttls":
                    smtp.starttls(context=self._tls)
                    smtp.ehlo()
                if mail.user:
                    smtp.login(mail.user, password(mail) or "")
            except BaseException:
                smtp.close()
                raise
        except Exception as exc:
            raise MailError(self._connect_failure(exc)) from None
        return smtp

    def _connect_failure(self, exc: Exception) -> str:
        where, mail = self.where, self.mail
        if isinstance(exc, ConnectionRefusedError):
            return f"cannot connect to the mail server {where}: connection refused"
        if isinstance(exc, socket.gaierror):
            return f"cannot find the mail server '{mail.host}' (mail.host): no such name"
        if isinstance(exc, TimeoutError):
            return f"the mail server {where} did not answer within {TIMEOUT:.0f} seconds"
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return (
                f"the mail server {where} does not offer STARTTLS; set mail.security to tls "
                "(usually port 465) or none"
            )
        if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_code in HOST_MISMATCH:
            return (
                f"the mail server {where} is not trusted: its TLS certificate is not made out "
                f"to '{mail.host}' ({exc.verify_message}); set mail.host to a name the "
                "certificate names"
            )
        if isinstance(exc, ssl.SSLCertVerificationError):
            trusted = f"the CAs of mail.ca_file {mail.ca_file}" if mail.ca_file else "the system"
            return (
                f"the mail server {where} is not trusted: its TLS certificate was refused "
                f"({exc.verify_message}); it is checked against {trusted} — for a private "
                "CA, set mail.ca_file to that CA's certificate (PEM)"
            )
        if isinstance(exc, ssl.SSLError):
            hint = (
                " (does the server speak TLS from the start on this port? mail.security = "
                "starttls is the usual choice for port 587)"
                if mail.security == "tls"
                else ""
            )
            return f"TLS with the mail server {where} failed: {exc.reason or exc}{hint}"
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return (
                f"the mail server {where} refused the login of '{mail.user}' "
                f"({exc.smtp_code} {_said(exc.smtp_error)}); check mail.user and the password"
            )
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return f"the mail server {where} closed the connection before sending"
        if isinstance(exc, smtplib.SMTPResponseException):
            return f"the mail server {where} refused: {exc.smtp_code} {_said(exc.smtp_error)}"
        if isinstance(exc, OSError):
            return f"cannot connect to the mail server {where}: {exc.strerror or exc}"
        return f"the mail server {where} failed: {exc}"

    def send(self, message: EmailMessage) -> None:
        """Deliver one message to the addresses in its To header; `RecipientRefused` when
        the server does not take it (nothing else of the session changes)."""
        if self.broken:
            raise RecipientRefused(self.broken)
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(f"{code} {_said(text)}" for code, text in exc.recipients.values())
            raise RecipientRefused(f"refused by {self.where}: {reasons}") from None
        except smtplib.SMTPResponseException as exc:
            raise RecipientRefused(
                f"refused by {self.where}: {exc.smtp_code} {_said(exc.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.broken = f"the connection to {self.where} was lost ({exc})"
            raise RecipientRefused(self.broken) from None
        if refused:  # several recipients and only some refused: never the case here
            raise RecipientRefused(f"refused by {self.where}: {', '.join(refused)}")

    def close(self) -> None:
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()

    def __enter__(self) -> Sender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _said(text: bytes | str) -> str:
    """The server's reply as one line of text."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(text.split())
