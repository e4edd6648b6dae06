"""A report as one e-mail: multipart/alternative, the plain text first and the HTML second,
both written by the report renderers from the same document (every user text escaped by the
HTML renderer)."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from itpm_tui.reports import render_document
from itpm_tui.reports.document import Document


def address(name: str, email: str) -> Address:
    """`Name <local@domain>` for a header (the address was checked when it was stored)."""
    local, _, domain = email.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def build_message(sender: str, to: Address, subject: str, text: str, html: str) -> EmailMessage:
    """One message to `to`: a text/plain and a text/html alternative of the same report."""
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def rendered(doc: Document) -> tuple[str, str]:
    """`doc` as (plain text, HTML): the two alternatives of a message."""
    return render_document(doc, "txt"), render_document(doc, "html")
