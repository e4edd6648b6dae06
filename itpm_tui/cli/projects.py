"""`itpm project add` and `set`: start a project, or set its working hours, from a script,
checked as the project form checks it."""

from __future__ import annotations

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo

_HOURS_HELP = (
    "Working hours of each working day, e.g. 07:00-11:30,12:00-15:30; standard (the default) "
    "is 08:00-12:00,13:00-17:00."
)


@click.group()
def project() -> None:
    """Add a project or set its working hours (the dashboard's Projects screen edits,
    archives and closes them)."""


@project.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--start", help="Start date (YYYY-MM-DD); tasks without one begin here.")
@click.option("--end", help="Planned end date (YYYY-MM-DD).")
@click.option("--client", default="", help="The client organisation.")
@click.option("--sponsor", default="", help="Who sponsors it on the client side.")
@click.option("--manager", metavar="HANDLE", help="Login handle of the project manager.")
@click.option("--currency", help="ISO 4217 code of its money (default: the config's currency).")
@click.option("--objective", default="", help="What the project is for, in a sentence.")
@click.option("--hours", default="", help=_HOURS_HELP)
@db_option
@click.pass_context
def project_add(
    click_ctx: click.Context,
    code: str,
    name: str,
    start: str | None,
    end: str | None,
    client: str,
    sponsor: str,
    manager: str | None,
    currency: str | None,
    objective: str,
    hours: str,
    db_path: str | None,
) -> None:
    """Add project CODE (2–20 letters, digits or dashes) called NAME, in identification."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.projects import ProjectDraft, validate_project
    from itpm_tui.domain.validation import Problem, ValidationError, parse_date

    problems: list[Problem] = []
    dates = {}
    for key, field, text in (("start", "start date", start), ("end", "end date", end)):
        try:
            dates[key] = parse_date(text, field)
        except ValidationError as exc:
            problems.extend(exc.problems)
            dates[key] = None
    draft = ProjectDraft(
        code=code,
        name=name,
        client=client,
        sponsor=sponsor,
        start_date=dates["start"],
        end_date=dates["end"],
        objective=objective,
        currency=currency or load_settings().currency,
        work_hours=hours,
    )
    try:
        draft = validate_project(draft)
    except ValidationError as exc:
        found = {p.field for p in problems}
        problems.extend(p for p in exc.problems if p.field not in found)
    if problems:
        raise ValidationError.of(problems)
    ctx = open_context(chosen_db(click_ctx, db_path))
    if manager:
        from itpm_tui.queries.lookup import person_by_handle

        draft.manager_id = person_by_handle(ctx.db, manager, "manager")
    from itpm_tui.services.projects import create_project

    project_id = create_project(ctx, draft)
    echo(f"added project {draft.code} — {draft.name} (id {project_id})")


@project.command("set")
@click.argument("code")
@click.option("--hours", required=True, help=_HOURS_HELP)
@db_option
@click.pass_context
def project_set(click_ctx: click.Context, code: str, hours: str, db_path: str | None) -> None:
    """Set the working hours of project CODE: its tasks are scheduled within them.

    Saved as the project form saves (an activity entry); "standard" or "" resets them.
    """
    from dataclasses import replace

    from itpm_tui.domain.validation import ValidationError
    from itpm_tui.queries.lookup import project_by_code
    from itpm_tui.queries.portfolio import project_detail
    from itpm_tui.services.projects import update_project

    ctx = open_context(chosen_db(click_ctx, db_path))
    detail = project_detail(ctx.db, project_by_code(ctx.db, code).id)
    if detail is None:  # removed between the two reads
        raise ValidationError("project", f"no project with code '{code}'")
    changed = update_project(
        ctx, detail.id, replace(detail.draft(), work_hours=hours), detail.version
    )
    echo(f"{detail.code}: working hours {hours_text(hours)}" + ("" if changed else " (unchanged)"))


def hours_text(stored: str) -> str:
    """A project's working hours in words: the spans, "(standard)" after the default day."""
    from itpm_tui.domain.projects import stored_hours

    return stored_hours(stored) or "08:00-12:00,13:00-17:00 (standard)"
