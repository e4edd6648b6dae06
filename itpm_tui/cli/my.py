"""`itpm my`: one person's open tasks across every project, printed, and exits.

The person is `--as HANDLE`, else the config `user` matched to a team member's login handle.
Reads `queries.my_work` (the same read model as the My work screen); never imports Textual.
`--json` prints the stable shape documented in docs/my-work.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.common import (
    FORCE_HELP,
    check_output,
    chosen_db,
    db_option,
    open_context,
    write_file,
)
from itpm_tui.cli.output import echo
from itpm_tui.domain.text import json_controls_escaped
from itpm_tui.errors import ItpmError

if TYPE_CHECKING:
    from itpm_tui.queries.my_work import MyTask, MyWork

#: The "format" key of the JSON output; a new major number means a key changed or went.
JSON_FORMAT = "itpm-my/1"


def person_for(ctx: Any, handle: str | None) -> int:
    """The active person with the `--as` handle, else with the config user as handle."""
    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.queries.lookup import person_by_handle

    wanted = handle if handle is not None else ctx.user
    try:
        return person_by_handle(ctx.db, wanted, field="as" if handle is not None else "user")
    except ValidationError:
        where = "--as" if handle is not None else "the config key 'user'"
        raise ItpmError(
            f"no active person has the handle '{wanted}' ({where}); "
            f"add one with: itpm person add NAME --handle {wanted}"
        ) from None


@click.command("my")
@click.option("--as", "as_handle", metavar="HANDLE", help="Whose work (default: the config user).")
@click.option("--all", "show_all", is_flag=True, help="Also the tasks done in the last 7 days.")
@click.option("--json", "as_json", is_flag=True, help="JSON (docs/my-work.md).")
@click.option(
    "--ics",
    "as_ics",
    is_flag=True,
    help="An iCalendar file: my tasks as all-day events, their downtime windows timed.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to FILE instead of printing (with --ics or --json), 0600; an existing file is "
    "kept unless --force.",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@db_option
@click.pass_context
def my(
    click_ctx: click.Context,
    as_handle: str | None,
    show_all: bool,
    as_json: bool,
    as_ics: bool,
    output: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """Print my open tasks of every project: late first, then due this week, then by start.

    Each line: late mark (!), state, project, WBS and name, scheduled dates, hours left;
    under it, why it waits (blocked reason, predecessors not done, downtime windows).
    """
    if as_json and as_ics:
        raise ItpmError("--json and --ics: choose one")
    if output and not (as_json or as_ics):
        raise ItpmError("--output: give --ics or --json too")
    check_output(output, force)
    chosen = chosen_db(click_ctx, db_path)
    work = None if as_ics else stored_work(chosen, as_handle)
    ctx = None
    if work is None:
        from itpm_tui.queries.my_work import load_my_work

        ctx = open_context(chosen)
        work = load_my_work(ctx.db, person_for(ctx, as_handle), ctx.today())
    tasks = work.tasks if show_all else work.open_tasks
    if as_json or as_ics:
        text = _calendar(ctx, work, tasks) if as_ics else _json(work, tasks)
        if output:
            write_file(Path(output), text.encode("utf-8"), replace=force)
        else:
            echo(text, nl=False)
        return
    for line in as_lines(work, tasks):
        echo(line)


def stored_work(db_path: str | None, handle: str | None) -> MyWork | None:
    """The answer read straight from a current SQLite file with the standard library, when
    every schedule it needs is stored fresh (`queries.my_work.read_first_my_work`, as the
    dashboard's first rows); None for anything else (a new, old or other kind of database,
    an unknown person, a stale schedule), which `open_context` and `load_my_work` then
    handle — with their checks, migrations and messages. Saves loading SQLAlchemy and the
    models: most of the time of a one-shot command."""
    from itpm_tui.clock import system_today
    from itpm_tui.config import load_settings
    from itpm_tui.queries.my_work import read_first_my_work
    from itpm_tui.storage.location import resolve_url, sqlite_path

    settings = load_settings()
    path = sqlite_path(resolve_url(db_path, settings.database_url))
    if path is None:
        return None
    found = read_first_my_work(
        path, handle if handle is not None else settings.user, system_today()
    )
    return None if found is None else found[1]


def _json(work: MyWork, tasks: tuple[MyTask, ...]) -> str:
    document = json.dumps(as_document(work, tasks), indent=2, ensure_ascii=False)
    return json_controls_escaped(document) + "\n"


def _calendar(ctx: Any, work: MyWork, tasks: tuple[MyTask, ...]) -> str:
    from itpm_tui.formats.my_ics import export_my_ics
    from itpm_tui.queries.my_calendar import load_calendar_extras

    return export_my_ics(work, tasks, load_calendar_extras(ctx.db, work))


def as_document(work: MyWork, tasks: tuple[MyTask, ...]) -> dict[str, Any]:
    """The JSON shape (docs/my-work.md): dates ISO 8601, hours a decimal string."""

    def day(value: Any) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "format": JSON_FORMAT,
        "today": work.today.isoformat(),
        "person": {"id": work.person_id, "name": work.person_name, "handle": work.handle},
        "tasks": [
            {
                "id": t.id,
                "project": t.project_code,
                "wbs": t.wbs,
                "name": t.name,
                "status": t.status,
                "late": t.late,
                "group": t.group,
                "start": day(t.start),
                "finish": day(t.finish),
                "actual_finish": day(t.actual_finish),
                "percent": t.percent,
                "remaining_hours": str(t.remaining_hours),
                "blocked_reason": t.blocked_reason,
                "waiting_for": list(t.waiting_for),
                "downtime": [
                    {
                        "title": w.title,
                        "starts_at": w.starts_at.isoformat(timespec="minutes"),
                        "ends_at": w.ends_at.isoformat(timespec="minutes"),
                        "approved": w.approved,
                    }
                    for w in t.windows
                ],
            }
            for t in tasks
        ],
    }


def as_lines(work: MyWork, tasks: tuple[MyTask, ...]) -> list[str]:
    """Plain lines for a terminal of 80 columns (names shortened, whys on their own line)."""
    from itpm_tui.queries.my_work import LATE_MARK

    open_count = sum(1 for t in tasks if not t.done)
    head = f"{work.person_name} ({work.handle}): {open_count} open task"
    lines = [head + ("" if open_count == 1 else "s") + f" · {work.today.isoformat()}"]
    for t in tasks:
        mark = LATE_MARK if t.late else " "
        dates = f"{_short(t.start)}→{_short(t.finish)}"
        hours = f"{t.remaining_hours.normalize():f}h"
        what = _cut(" ".join(f"{t.project_code} {t.wbs} {t.name}".split()), 40)
        lines.append(f"{mark} {t.state():<13} {what:<40} {dates} {hours:>5}")
        why = t.why_waiting()
        if why:
            lines.append(f"    {_cut(why, 76)}")
    if len(lines) == 1:
        lines.append("nothing open: no task assigned is waiting for work")
    return lines


def _short(value: Any) -> str:
    return "—" if value is None else value.strftime("%m-%d")


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())  # one line whatever was typed
    return text if len(text) <= width else text[: width - 1] + "…"
