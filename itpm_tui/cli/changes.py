"""`itpm changes`: what changed since a day (the last stand-up by default), printed for the
minutes of the meeting — the same feed as the What changed screen (key 8).

Reads `queries.changes` (wording in `domain.changes`); never imports Textual. `--format md`
escapes user text for Markdown; `--format json` is the stable shape in docs/changes.md.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo
from itpm_tui.domain.text import json_controls_escaped

if TYPE_CHECKING:
    from itpm_tui.domain.changes import Feed

#: The "format" key of the JSON output; a new major number means a key changed or went.
JSON_FORMAT = "itpm-changes/1"
FORMATS = ("txt", "md", "json")


@click.command("changes")
@click.option("--since", metavar="DATE", help="From this day (default: the last stand-up).")
@click.option("--project", "code", metavar="CODE", help="Only this project.")
@click.option("--person", "handle", metavar="HANDLE", help="Only what this person did or owns.")
@click.option(
    "--format", "fmt", default="txt", metavar="txt|md|json", help="txt (default), md or json."
)
@db_option
@click.pass_context
def changes(
    click_ctx: click.Context,
    since: str | None,
    code: str | None,
    handle: str | None,
    fmt: str,
    db_path: str | None,
) -> None:
    """Print what changed since the last stand-up (else the last 7 days), by project.

    Tasks finished, started, blocked and unblocked; dates that slipped; milestones reached
    or missed; risks, change requests, money booked per category, contacts; and who.
    """
    from itpm_tui.domain.validation import ValidationError, parse_date
    from itpm_tui.queries.changes import load_changes

    if fmt not in FORMATS:
        raise ValidationError("--format", f"must be one of {', '.join(FORMATS)}, not '{fmt}'")
    day = parse_date(since, "--since") if since is not None else None
    if since is not None and day is None:
        raise ValidationError("--since", "needs a date (YYYY-MM-DD)")
    ctx = open_context(chosen_db(click_ctx, db_path))
    today = ctx.today()
    if day is not None and day > today:
        raise ValidationError("--since", f"must be today ({today.isoformat()}) or earlier")
    project_id = None
    if code is not None:
        from itpm_tui.queries.lookup import project_by_code

        project_id = project_by_code(ctx.db, code).id
    if handle is not None and not handle.strip():
        raise ValidationError("person", "needs a handle")
    feed = load_changes(ctx.db, today, since=day, project_id=project_id, person=handle)
    if fmt == "json":
        echo(json_controls_escaped(json.dumps(as_document(feed), indent=2, ensure_ascii=False)))
    elif fmt == "md":
        echo(as_markdown(feed))
    else:
        for line in as_lines(feed):
            echo(line)


def heading(feed: Feed) -> str:
    """ "What changed since Mon 2026-03-09 (last stand-up) · FW · by ana"."""
    why = " (last stand-up)" if feed.since == feed.last_standup else ""
    out = f"What changed since {feed.since:%a} {feed.since.isoformat()}{why}"
    out += f" to {feed.today.isoformat()}"
    if feed.project:
        out += f" · {feed.project}"
    if feed.person:
        out += f" · by or for {feed.person}"
    return out


def _one_line(text: str) -> str:
    # User text printed as typed but on one line, and without control characters that would
    # drive the reader's terminal.
    return "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))


def as_lines(feed: Feed) -> list[str]:
    lines = [heading(feed)]
    for group in feed.projects:
        lines.append("")
        title = f"{group.code} {group.name}" if group.code else group.name
        lines.append(_one_line(title))
        for line in group.lines:
            by = f" — {_one_line(', '.join(line.who))}" if line.who else ""
            lines.append(f"  {line.kind.symbol} {line.kind.word:<9} {_one_line(line.text)}{by}")
    if not feed.projects:
        lines.append("nothing changed")
    return lines


def as_markdown(feed: Feed) -> str:
    from itpm_tui.reports.markdown import escape

    out = [f"# {escape(heading(feed))}"]
    for group in feed.projects:
        title = f"{group.code} {group.name}" if group.code else group.name
        out += ["", f"## {escape(title)}", ""]
        for line in group.lines:
            by = f" — {escape(', '.join(line.who))}" if line.who else ""
            out.append(f"- {line.kind.symbol} **{line.kind.word}** {escape(line.text)}{by}")
    if not feed.projects:
        out += ["", "Nothing changed."]
    return "\n".join(out)


def as_document(feed: Feed) -> dict[str, Any]:
    """The JSON shape (docs/changes.md): dates ISO 8601, kinds by their word."""
    return {
        "format": JSON_FORMAT,
        "since": feed.since.isoformat(),
        "today": feed.today.isoformat(),
        "last_standup": feed.last_standup.isoformat() if feed.last_standup else None,
        "project": feed.project,
        "person": feed.person,
        "people": list(feed.people),
        "projects": [
            {
                "code": group.code or None,
                "name": group.name,
                "currency": group.currency or None,
                "changes": [
                    {
                        "kind": line.kind.word,
                        "symbol": line.kind.symbol,
                        "text": line.text,
                        "who": list(line.who),
                        "day": line.day.isoformat() if line.day else None,
                    }
                    for line in group.lines
                ],
            }
            for group in feed.projects
        ],
    }
