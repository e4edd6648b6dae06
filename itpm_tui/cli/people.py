"""`itpm person`: the team, from a script."""

from __future__ import annotations

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo


@click.group()
def person() -> None:
    """Add or list the people tasks are assigned to."""


@person.command("add")
@click.argument("name")
@click.option("--handle", required=True, help="Unique login: lowercase letters, digits, . _ -")
@click.option(
    "--role",
    default="technician/engineer",
    show_default=True,
    help="project manager (pm), technician/engineer, other, or a job title.",
)
@click.option("--capacity", default="40", show_default=True, help="Hours a week (more than 0).")
@click.option("--rate", default="0", show_default=True, help="Cost per hour.")
@click.option("--currency", help="ISO 4217 code of the rate (default: the config's currency).")
@click.option("--email", default="", help="E-mail address.")
@click.option("--phone", default="", help="Phone number.")
@click.option("--skills", default="", help="Skills, free text.")
@db_option
@click.pass_context
def person_add(
    click_ctx: click.Context,
    name: str,
    handle: str,
    role: str,
    capacity: str,
    rate: str,
    currency: str | None,
    email: str,
    phone: str,
    skills: str,
    db_path: str | None,
) -> None:
    """Add NAME to the team, checked as the Team screen's form checks it."""
    from itpm_tui.config import load_settings
    from itpm_tui.domain.people import read_person, role_choice
    from itpm_tui.services.people import add_person

    draft = read_person(
        name=name,
        handle=handle,
        role=role_choice(role),
        email=email,
        phone=phone,
        skills=skills,
        capacity=capacity,
        rate=rate,
        currency=currency or load_settings().currency,
    )
    ctx = open_context(chosen_db(click_ctx, db_path))
    person_id = add_person(ctx, draft)
    echo(f"added {draft.name} ({draft.handle}) as person {person_id}")


@person.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include retired people.")
@db_option
@click.pass_context
def person_list(click_ctx: click.Context, show_all: bool, db_path: str | None) -> None:
    """Print the team as a plain table: capacity, rate, open tasks and this week's load."""
    from itpm_tui.domain.money import format_money
    from itpm_tui.domain.people import hours_text, load_text
    from itpm_tui.queries.team import team

    ctx = open_context(chosen_db(click_ctx, db_path))
    people = team(ctx.db, ctx.today(), 1, retired=show_all).people
    if not people:
        echo("no people yet: itpm person add NAME --handle HANDLE")
        return
    rows = [("HANDLE", "NAME", "ROLE", "H/WK", "RATE/H", "STATE", "TASKS", "THIS WEEK")]
    for p in people:
        load, _over = load_text(p.load[0], p.capacity)
        rows.append(
            (
                p.handle,
                p.name,
                p.role or "-",
                hours_text(p.capacity),
                format_money(p.rate, p.currency),
                "active" if p.active else "retired",
                str(p.open_tasks),
                load,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
