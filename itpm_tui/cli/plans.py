"""`itpm budget set` and `itpm baseline set`: a project's budget lines and baseline from a
script, checked by the same rules and written by the same services as the dashboard."""

from __future__ import annotations

import click

from itpm_tui.cli.common import chosen_db, db_option, open_context
from itpm_tui.cli.output import echo
from itpm_tui.domain.validation import ValidationError


@click.group()
def budget() -> None:
    """Set a project's budget lines."""


@budget.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("code")
@click.argument("category")
@click.argument("amount")
@click.option("--description", help="What the line is for (kept as it is when not given).")
@db_option
@click.pass_context
def budget_set(
    click_ctx: click.Context,
    code: str,
    category: str,
    amount: str,
    description: str | None,
    db_path: str | None,
) -> None:
    """Set the budget of CATEGORY in project CODE to AMOUNT (in the project's currency).

    Adds the line, or changes the category's one line; a category with several lines is
    changed on the Budget screen (b), where each line is named.
    """
    from itpm_tui.domain.ledger import BudgetLineDraft
    from itpm_tui.domain.money import format_money
    from itpm_tui.queries.ledger import budget_lines
    from itpm_tui.queries.lookup import project_by_code
    from itpm_tui.services.budget_lines import add_budget_line, update_budget_line

    ctx = open_context(chosen_db(click_ctx, db_path))
    project = project_by_code(ctx.db, code)
    wanted = " ".join(category.split()).casefold()
    lines = [row for row in budget_lines(ctx.db, project.id) if row.category.casefold() == wanted]
    if len(lines) > 1:
        raise ValidationError(
            "category",
            f"{lines[0].category} has {len(lines)} budget lines in {project.code}; "
            "change them on the Budget screen (b)",
        )
    if lines:
        line = lines[0]
        draft = BudgetLineDraft(
            line.category, line.description if description is None else description, amount
        )
        update_budget_line(ctx, line.id, draft, line.version)
        verb = "changed"
    else:
        add_budget_line(ctx, project.id, BudgetLineDraft(category, description or "", amount))
        verb = "added"
    stored = next(
        row for row in budget_lines(ctx.db, project.id) if row.category.casefold() == wanted
    )
    echo(
        f"{verb} {project.code} budget {stored.category}: "
        f"{format_money(stored.amount, project.currency)}"
    )


@click.group()
def baseline() -> None:
    """Save a project's plan as its baseline."""


@baseline.command("set")
@click.argument("code")
@db_option
@click.pass_context
def baseline_set(click_ctx: click.Context, code: str, db_path: str | None) -> None:
    """Save the current plan of project CODE as its baseline (replacing any before)."""
    from itpm_tui.queries.lookup import project_by_code
    from itpm_tui.services.tasks import set_baseline

    ctx = open_context(chosen_db(click_ctx, db_path))
    project = project_by_code(ctx.db, code)
    tasks = set_baseline(ctx, project.id)
    echo(f"baseline set for {tasks} tasks of {project.code} on {ctx.today().isoformat()}")
