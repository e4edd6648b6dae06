"""Sending status reports and the weekly digest by e-mail.

`message` builds one multipart/alternative message (plain text and HTML, from the report
renderers), `smtp` delivers messages over one SMTP connection and says in plain words what
failed, and `updates` decides who gets what (`--to`, `--due`, the daily run, the digest) and
logs each delivery through `services.stakeholders`. Nothing here loads the UI.
"""
