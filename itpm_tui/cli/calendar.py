"""`itpm downtime` and `itpm holidays`: a project's downtime windows and the calendars'
non-working days, from a script. Each validates as the Timeline's dialogs do and writes one
activity entry; bad input is one line naming the field and the rule, with nothing written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo
from itpm_tui.errors import ItpmError

if TYPE_CHECKING:
    from itpm_tui.domain.holidays import DayOff

WORKING_WEEK = (
    "The working week is Monday to Friday; each project's working hours per day are set "
    "with itpm project set CODE --hours."
)


def _table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _project(ctx: Any, code: str) -> int:
    from itpm_tui.reports.data import project_id_for_code

    return project_id_for_code(ctx.db, code)


# -- downtime windows -------------------------------------------------------------------------


@click.group()
def downtime() -> None:
    """Add, list or remove a project's downtime windows (local wall-clock times at the site).

    A window given a --task moves with that task: when the task's scheduled start moves, the
    window moves by as many days, on the Timeline, in `itpm export --format ics` and in reports.
    """


@downtime.command("add")
@click.argument("code")
@click.argument("title")
@click.argument("start")
@click.argument("end")
@click.option("--systems", default="", help="The systems taken down, free text.")
@click.option("--task", "wbs", metavar="WBS", help="The task the window belongs to (WBS code).")
@click.option("--approved", is_flag=True, help="The window is approved by the client.")
@db_option
@click.pass_context
def downtime_add(
    click_ctx: click.Context,
    code: str,
    title: str,
    start: str,
    end: str,
    systems: str,
    wbs: str | None,
    approved: bool,
    db_path: str | None,
) -> None:
    """Add a window to project CODE, from START to END ("YYYY-MM-DD HH:MM", quoted)."""
    from itpm_tui.domain.downtime import WindowDraft, format_moment, read_window
    from itpm_tui.services.downtime import add_window

    draft = WindowDraft(title, start, end, systems, approved)
    read_window(draft)  # refused before the database is opened
    ctx = open_context(chosen_db(click_ctx, db_path))
    project_id = _project(ctx, code)
    task_id = _task_by_wbs(ctx, project_id, code, wbs) if wbs else None
    draft = WindowDraft(title, start, end, systems, approved, task_id)
    window_id = add_window(ctx, project_id, draft)
    clean = read_window(draft)
    echo(
        f"added downtime window {window_id}: {clean.title} "
        f"{format_moment(clean.starts_at)} – {format_moment(clean.ends_at)}"
    )


def _task_by_wbs(ctx: Any, project_id: int, code: str, wbs: str) -> int:
    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.queries.timeline import load_timeline

    timeline = load_timeline(ctx.db, project_id)
    index = timeline.wbs_index() if timeline is not None else {}
    found = index.get(wbs.strip())
    if found is None:
        raise ValidationError("--task", f"no task of {code.upper()} has the WBS code '{wbs}'")
    return found


@downtime.command("list")
@click.argument("code")
@db_option
@click.pass_context
def downtime_list(click_ctx: click.Context, code: str, db_path: str | None) -> None:
    """Print project CODE's windows where they lie now (moved with their tasks)."""
    from itpm_tui.domain.downtime import format_moment
    from itpm_tui.queries.timeline import load_timeline

    ctx = open_context(chosen_db(click_ctx, db_path))
    timeline = load_timeline(ctx.db, _project(ctx, code))
    windows = timeline.downtime if timeline is not None else []
    if not windows:
        echo(f"no downtime windows yet: itpm downtime add {code} TITLE START END")
        return
    wbs = {t.id: t.wbs for t in timeline.tasks} if timeline is not None else {}
    rows = [("ID", "START", "END", "TITLE", "SYSTEMS", "TASK", "APPROVED")]
    for w in windows:
        task = f"{wbs.get(w.task_id, '')} {w.task_name}".strip() if w.task_id else "-"
        rows.append(
            (
                str(w.id),
                format_moment(w.starts_at),
                format_moment(w.ends_at),
                w.title,
                w.systems or "-",
                task,
                "yes" if w.approved else "no",
            )
        )
    _table(rows)


@downtime.command("rm")
@click.argument("code")
@click.argument("window_id", metavar="ID", type=int)
@db_option
@click.pass_context
def downtime_rm(click_ctx: click.Context, code: str, window_id: int, db_path: str | None) -> None:
    """Remove window ID (as `itpm downtime list` shows it) from project CODE."""
    from itpm_tui.queries.timeline import load_timeline
    from itpm_tui.services.downtime import remove_window

    ctx = open_context(chosen_db(click_ctx, db_path))
    timeline = load_timeline(ctx.db, _project(ctx, code))
    shown = next((w for w in timeline.downtime if w.id == window_id), None) if timeline else None
    if shown is None:
        raise ItpmError(f"ID: {code.upper()} has no downtime window {window_id}")
    # The window as this command read it: a colleague's save since is refused, not removed.
    title = remove_window(ctx, window_id, shown.version)
    echo(f"removed downtime window {window_id}: {title}")


# -- non-working days -------------------------------------------------------------------------


@click.group(help=f"Add, list, remove or import non-working days (holidays). {WORKING_WEEK}")
def holidays() -> None:
    pass


@holidays.command("add")
@click.argument("day", metavar="[DATE]", required=False)
@click.option("--name", default="", help="What the day is (with DATE).")
@click.option("--country", help="Fill the public holidays of this country (ISO code, e.g. GB).")
@click.option("--subdiv", help="With --country: a region of it (e.g. ENG, SCT).")
@click.option(
    "--years", help="With --country: a year or a span, e.g. 2026-2027 (default: this year)."
)
@click.option("--project", "code", metavar="CODE", help="Only this project's calendar.")
@db_option
@click.pass_context
def holidays_add(
    click_ctx: click.Context,
    day: str | None,
    name: str,
    country: str | None,
    subdiv: str | None,
    years: str | None,
    code: str | None,
    db_path: str | None,
) -> None:
    """Add one non-working DATE (YYYY-MM-DD), or with --country a country's public holidays.

    Without --project the days are in every project's calendar. Days already there are
    skipped, so running it again adds nothing twice.
    """
    from itpm_tui.domain.holidays import read_day
    from itpm_tui.services.holidays import add_holidays

    if (day is None) == (country is None):
        raise click.UsageError("give either a DATE or --country (not both)")
    days: list[DayOff]
    if day is not None:
        if subdiv or years:
            raise click.UsageError("--subdiv and --years go with --country")
        days = [read_day(day, name)]
    else:
        if name:
            raise click.UsageError("--name goes with a DATE; --country names each day")
        days = _public_holidays(str(country), subdiv, years)
    ctx = open_context(chosen_db(click_ctx, db_path))
    project_id = _project(ctx, code) if code else None
    added = add_holidays(ctx, days, project_id)
    where = f"{code.upper()}'s calendar" if code else "every project's calendar"
    skipped = len({d.day for d in days}) - added
    echo(
        f"added {added} non-working day{'s' if added != 1 else ''} to {where}"
        + (f" ({skipped} already there)" if skipped else "")
    )


def _public_holidays(country: str, subdiv: str | None, years: str | None) -> list[DayOff]:
    """The country's public holidays from the `holidays` library, loaded only here."""
    from itpm_tui.domain.holidays import DayOff, clean_name, parse_years
    from itpm_tui.domain.validation import ValidationError

    if not years:
        raise ValidationError("--years", "is required with --country (e.g. 2026-2027)")
    span = parse_years(years)
    try:
        import holidays as holidays_lib
    except ImportError:  # pragma: no cover - a dependency, but say so plainly if missing
        raise ItpmError("--country needs the 'holidays' package: pip install holidays") from None
    code = country.strip().upper()
    region = subdiv.strip().upper() if subdiv else None
    supported = holidays_lib.list_supported_countries()
    if code not in supported:
        raise ValidationError(
            "--country", f"'{country}' is not a country code the holidays library knows (e.g. GB)"
        )
    regions = list(supported[code])
    if region is not None and region not in regions:
        known = ", ".join(regions[:20]) + (", …" if len(regions) > 20 else "")
        raise ValidationError(
            "--subdiv", f"'{subdiv}' is not a region of {code}; one of {known or 'none'}"
        )
    found = holidays_lib.country_holidays(code, subdiv=region, years=span)
    return [DayOff(d, clean_name(n)[:120]) for d, n in sorted(found.items())]


@holidays.command("list")
@click.option("--project", "code", metavar="CODE", help="Also this project's own days.")
@db_option
@click.pass_context
def holidays_list(click_ctx: click.Context, code: str | None, db_path: str | None) -> None:
    """Print the non-working days of every project's calendar (and of --project's, with
    its working hours)."""
    from itpm_tui.cli.projects import hours_text
    from itpm_tui.queries.holidays import holiday_rows
    from itpm_tui.queries.portfolio import project_detail

    ctx = open_context(chosen_db(click_ctx, db_path))
    project_id = _project(ctx, code) if code else None
    if project_id is not None and (detail := project_detail(ctx.db, project_id)) is not None:
        echo(f"working hours: {hours_text(detail.work_hours)}")
    rows = holiday_rows(ctx.db, project_id)
    if not rows:
        echo("no non-working days yet: itpm holidays add DATE, or --country GB")
        return
    table = [("DATE", "DAY", "NAME", "CALENDAR")]
    for r in rows:
        scope = "all projects" if r.everywhere else str(code).upper()
        table.append((r.day.isoformat(), f"{r.day:%a}", r.name or "-", scope))
    _table(table)


@holidays.command("rm")
@click.argument("day", metavar="DATE")
@click.option("--project", "code", metavar="CODE", help="From this project's calendar.")
@db_option
@click.pass_context
def holidays_rm(click_ctx: click.Context, day: str, code: str | None, db_path: str | None) -> None:
    """Remove the non-working DATE from every project's calendar (or --project's)."""
    from itpm_tui.domain.holidays import read_day
    from itpm_tui.services.holidays import remove_holiday_on

    when = read_day(day).day
    ctx = open_context(chosen_db(click_ctx, db_path))
    project_id = _project(ctx, code) if code else None
    gone = remove_holiday_on(ctx, when, project_id)
    echo(f"removed {gone.day.isoformat()}{f' ({gone.name})' if gone.name else ''}")


@holidays.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--project", "code", metavar="CODE", help="Into this project's calendar.")
@db_option
@click.pass_context
def holidays_import(
    click_ctx: click.Context, file: Path, code: str | None, db_path: str | None
) -> None:
    """Add the days closed by FILE, an iCalendar (.ics) file of closures.

    Every day an event covers is added (multi-day events expanded); days already there are
    skipped. A file that breaks the rules is refused whole, naming the line and the field.
    """
    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.formats.ics_closures import read_closures
    from itpm_tui.formats.input_file import read_input
    from itpm_tui.services.holidays import add_holidays

    try:
        text = read_input(file).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ItpmError(f"{file}: is not UTF-8 text; an .ics file is") from None
    try:
        days = read_closures(text)
    except ValidationError as exc:
        raise ItpmError(f"{file}: {exc}") from None
    if not days:
        raise ItpmError(f"{file}: has no events (VEVENT) to import")
    ctx = open_context(chosen_db(click_ctx, db_path))
    project_id = _project(ctx, code) if code else None
    added = add_holidays(ctx, days, project_id)
    where = f"{code.upper()}'s calendar" if code else "every project's calendar"
    skipped = len({d.day for d in days}) - added
    echo(
        f"added {added} non-working day{'s' if added != 1 else ''} from {file.name} to {where}"
        + (f" ({skipped} already there)" if skipped else "")
    )
