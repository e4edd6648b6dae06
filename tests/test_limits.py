"""One rule for stored text, dates and day counts (`domain.limits`), for forms, services and
imports alike; and the cap on how many problems an import lists."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import String
from sqlmodel import select

from itpm_tui.domain.limits import (
    LAST_DAY,
    MULTILINE,
    TEXT_LIMITS,
    column_rule,
    control_rule,
    date_rule,
    has_control,
    text_rule,
)
from itpm_tui.domain.projects import ProjectDraft, validate_project
from itpm_tui.domain.tasks import TaskDraft, validate_task
from itpm_tui.domain.text import is_control
from itpm_tui.domain.validation import (
    Checker,
    ValidationError,
    parse_date,
    problem_lines,
)
from itpm_tui.services.context import Context
from itpm_tui.services.projects import create_project
from itpm_tui.storage.models import ALL_TABLES, Holiday, Project

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + BIDI
BAD = [c for c in CONTROLS if c not in "\t\n"]
clean_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=""),
    max_size=60,
)


def test_the_control_characters_are_c0_del_and_c1() -> None:
    assert [c for c in map(chr, range(0x2100)) if is_control(c)] == CONTROLS
    assert not is_control("é") and not is_control("\u00a0") and not is_control("€")
    assert not is_control("\u200f") and not is_control("\u200d")  # RTL mark, emoji joiner


@pytest.mark.parametrize("multiline", [False, True])
def test_has_control_says_what_the_control_rule_says(multiline: bool) -> None:
    """The quick test (a run of allowed characters; ASCII text by the ASCII ones) and the
    rule that words the message agree on every character, in ASCII and other text."""
    for code in range(0x2100):
        for text in (chr(code), f"ab{chr(code)}c", f"é{chr(code)}", "x" * 300 + chr(code)):
            broken = control_rule(text, multiline=multiline) is not None
            assert has_control(text, multiline=multiline) == broken, (hex(code), text[:3])
    assert not has_control("") and not has_control("plain text\tand a tab")


@given(st.text(max_size=40))
def test_has_control_agrees_with_the_control_rule_on_any_text(text: str) -> None:
    for multiline in (False, True):
        broken = control_rule(text, multiline=multiline) is not None
        assert has_control(text, multiline=multiline) == broken


@pytest.mark.parametrize("character", BAD)
def test_every_control_character_but_tab_and_line_break_is_refused(character: str) -> None:
    rule = control_rule(f"a{character}b", multiline=True)
    names = {"\x1b": " (escape)", "\r": " (carriage return)"}
    names.update((c, " (bidirectional override)") for c in BIDI)
    assert rule == (
        f"control character U+{ord(character):04X}{names.get(character, '')} is not allowed"
    )


def test_tab_everywhere_and_line_break_only_in_multi_line_fields() -> None:
    assert control_rule("a\tb") is None
    assert control_rule("a\nb", multiline=True) is None
    assert control_rule("a\nb") == (
        "control character U+000A (line break) is not allowed in a one-line field"
    )


@given(clean_text)
def test_text_without_control_characters_within_its_limit_passes(text: str) -> None:
    assert text_rule(text, 60) is None
    assert text_rule(text + "x", len(text)) == f"must be at most {len(text)} characters"


@given(clean_text, st.sampled_from(BAD), st.integers(min_value=0, max_value=60))
def test_a_control_character_anywhere_is_named(text: str, bad: str, at: int) -> None:
    spoiled = text[:at] + bad + text[at:]
    rule = text_rule(spoiled, 100, multiline=True)
    assert rule is not None and f"U+{ord(bad):04X}" in rule


def test_the_message_names_the_field_and_the_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_project(ProjectDraft(code="FW-26", name="Edge\x1b]52;c;aGk=\x07"))
    assert str(caught.value) == "name: control character U+001B (escape) is not allowed"


def test_every_text_column_of_the_portfolio_has_a_limit() -> None:
    """A text column added to the models without a limit fails here, not in production."""
    columns = {
        (model.__table__.name, column.name)  # type: ignore[attr-defined]
        for model in ALL_TABLES
        for column in model.__table__.columns  # type: ignore[attr-defined]
        if isinstance(getattr(column.type, "impl_instance", column.type), String)
    }
    limited = {(table, name) for table, names in TEXT_LIMITS.items() for name in names}
    assert columns - limited == set(), "text columns without a limit in domain.limits"
    assert limited - columns == set(), "limits for columns the models do not have"
    assert limited >= MULTILINE
    assert all(0 < limit <= 20000 for names in TEXT_LIMITS.values() for limit in names.values())


@pytest.mark.parametrize(
    ("table", "column", "limit"),
    [
        ("project", "code", 20),
        ("project", "name", 200),
        ("person", "email", 254),
        ("person", "phone", 40),
        ("risk", "mitigation", 4000),
    ],
)
def test_limits_are_enforced_at_the_limit(table: str, column: str, limit: int) -> None:
    assert column_rule(table, column, "x" * limit) is None
    assert column_rule(table, column, "x" * (limit + 1)) == f"must be at most {limit} characters"


def test_multi_line_fields_keep_their_lines_and_one_line_fields_refuse_them() -> None:
    draft = TaskDraft(name="Cut over", description="first\nsecond")
    assert validate_task(draft).description == "first\nsecond"
    with pytest.raises(ValidationError) as caught:
        validate_task(TaskDraft(name="Cut\nover"))
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        validate_task(TaskDraft(name="Cut over", description="x" * 4001))
    assert [str(p) for p in caught.value.problems] == ["notes: must be at most 4000 characters"]


def test_dates_are_years_1970_to_2200() -> None:
    assert date_rule(date(1970, 1, 1)) is None and date_rule(LAST_DAY) is None
    assert date_rule(date(9999, 12, 31)) == "must be between 1970 and 2200, got 9999-12-31"
    assert date_rule(date(1969, 12, 31)) is not None
    with pytest.raises(ValidationError, match="start: must be between 1970 and 2200"):
        parse_date("9999-12-31", "start")
    with pytest.raises(ValidationError) as caught:
        validate_task(TaskDraft(name="A", planned_start=date(226, 3, 1)))
    assert caught.value.field == "start"


def test_checker_columns_reports_a_field_once() -> None:
    check = Checker()
    check.required("name", "x" * 201)
    check.columns("project", {"name": "x" * 201, "client": "a\x9bb"})
    assert [str(p) for p in check.problems] == [
        "name: must be at most 200 characters",
        "client: control character U+009B is not allowed",
    ]


def test_an_import_lists_the_first_100_problems_and_counts_the_rest() -> None:
    lines = problem_lines(f"line {n}, amount: bad" for n in range(300_000))
    assert len(lines) == 101
    assert lines[99] == "line 99, amount: bad"
    assert lines[100] == "… and 299,900 more problems"
    assert problem_lines(["one"]) == ["one"]
    assert problem_lines(str(n) for n in range(101))[-1] == "… and 1 more problem"


def test_no_service_write_stores_what_the_limits_refuse(ctx: Context) -> None:
    """The last check, on every flush of a service's transaction, whoever forgot the first."""
    with (
        pytest.raises(ValidationError, match=r"name: must be at most 120 characters"),
        ctx.transaction() as tx,
    ):
        tx.session.add(Holiday(day=date(2026, 5, 1), name="x" * 121))
    with (
        pytest.raises(ValidationError, match=r"day: must be between 1970 and 2200"),
        ctx.transaction() as tx,
    ):
        tx.session.add(Holiday(day=date(2999, 5, 1), name="May Day"))
    with ctx.db.read() as session:
        assert session.exec(select(Holiday)).all() == []


def test_a_value_stored_before_the_rules_does_not_block_fixing_another_field(
    ctx: Context,
) -> None:
    project_id = create_project(ctx, ProjectDraft(code="FW-26", name="Edge"))
    with ctx.db.write() as session:  # as an older release could have stored it
        row = session.get(Project, project_id)
        assert row is not None
        row.scope = "old\x1b[2Jscope"
    with ctx.transaction() as tx:
        row = tx.get(Project, project_id)
        tx.update(row, {"client": "ACME"}, expected_version=None)
    with (
        pytest.raises(ValidationError, match=r"scope: control character U\+001B"),
        ctx.transaction() as tx,
    ):
        row = tx.get(Project, project_id)
        tx.update(row, {"scope": "new\x1b[2Jscope"}, expected_version=None)


def test_the_demo_portfolio_is_within_every_limit(demo_ctx: Context) -> None:
    """The limits are sized for real portfolios: the demo's text and dates all fit."""
    broken = []
    with demo_ctx.db.read() as session:
        for model in ALL_TABLES:
            table = model.__table__  # type: ignore[attr-defined]
            for row in session.execute(select(*table.columns)).mappings():
                for name, value in row.items():
                    rule = column_rule(table.name, name, value) or (
                        date_rule(value) if isinstance(value, date) else None
                    )
                    if rule:
                        broken.append(f"{table.name}.{name}: {rule}")
    assert broken == []


def test_a_bad_e_mail_with_a_control_character_is_told_once_and_not_quoted() -> None:
    from itpm_tui.domain.people import PersonDraft, validate_person

    with pytest.raises(ValidationError) as caught:
        validate_person(PersonDraft(name="Ann", handle="ann", email="ann\x1b[2J"))
    assert [str(p) for p in caught.value.problems] == [
        "email: control character U+001B (escape) is not allowed"
    ]
