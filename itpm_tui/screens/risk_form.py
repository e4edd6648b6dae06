"""The dialog that adds or edits one risk, checked by the domain's risk rules.

Levels are chosen from lists that say what each number means (3 = possible, 4 = major), so
the score is never a guess; the residual pair may stay "not assessed" but not half of it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Select, Static, TextArea

from itpm_tui.domain.enums import RiskCategory, RiskResponse, RiskStatus
from itpm_tui.domain.risk import LEVELS, RiskDraft
from itpm_tui.domain.roles import Action
from itpm_tui.domain.validation import Problem, ValidationError, parse_date
from itpm_tui.screens.form import FormScreen
from itpm_tui.widgets.formatting import input_date, literal
from itpm_tui.widgets.heat_map import IMPACT_WORDS, PROBABILITY_WORDS
from itpm_tui.widgets.text_select import TextSelect

if TYPE_CHECKING:
    from itpm_tui.services.context import Context


class RiskForm(FormScreen[int | None]):
    """Add a risk (to one of `projects`) or edit `risk_id`; dismisses with the risk's id once
    saved, None when cancelled."""

    FIRST_FIELD = "#title"  # the project is usually preset
    WRITES: ClassVar[dict[str, Action]] = {"save": Action.MANAGE}
    RELOADS = True
    FIELD_IDS: ClassVar = {
        "project": "project",
        "title": "title",
        "category": "category",
        "response": "response",
        "probability": "probability",
        "impact": "impact",
        "residual_probability": "residual-probability",
        "residual_impact": "residual-impact",
        "owner": "owner",
        "status": "status",
        "review_date": "review-date",
        "raised_on": "raised-on",
        "trigger": "trigger",
        "description": "description",
        "mitigation": "mitigation",
        "contingency": "contingency",
    }

    def __init__(
        self,
        ctx: Context,
        people: list[tuple[int, str]],
        *,
        projects: list[tuple[int, str]] | None = None,
        project_id: int | None = None,
        draft: RiskDraft | None = None,
        risk_id: int | None = None,
        version: int | None = None,
        label: str = "",
        date_format: str = "%Y-%m-%d",
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.people = people
        self.projects = projects or []
        self.project_id = project_id
        self.draft = draft or RiskDraft(title="", probability=None, impact=None)
        self.risk_id = risk_id
        self.version = version
        self.label = label
        self.date_format = date_format

    def compose(self) -> ComposeResult:
        d = self.draft
        title = literal(f"Edit risk {self.label}" if self.risk_id else "New risk", wrap=True)
        with Vertical(id="form"):
            yield Static(title, id="form-title")
            yield from self.general_error()
            with VerticalScroll(id="fields"):
                if self.risk_id is None:
                    yield from self.field(
                        "project",
                        "Project",
                        TextSelect(
                            [(f"{code}", pid) for pid, code in self.projects],
                            value=self.project_id
                            if self.project_id in {p for p, _ in self.projects}
                            else Select.NULL,
                            id="project",
                            prompt="(choose)",
                        ),
                    )
                yield from self.field("title", "Title", Input(d.title, id="title"))
                with Horizontal(classes="pair"):
                    yield from self.field(
                        "category", "Category", _choice("category", RiskCategory, d.category)
                    )
                    yield from self.field(
                        "response", "Response", _choice("response", RiskResponse, d.response)
                    )
                with Horizontal(classes="pair"):
                    yield from self.field(
                        "probability",
                        "Probability",
                        _level("probability", PROBABILITY_WORDS, d.probability, "(choose)"),
                    )
                    yield from self.field(
                        "impact",
                        "Impact",
                        _level("impact", IMPACT_WORDS, d.impact, "(choose)"),
                    )
                with Horizontal(classes="pair"):
                    yield from self.field(
                        "residual-probability",
                        "Resid. prob.",
                        _level(
                            "residual-probability",
                            PROBABILITY_WORDS,
                            d.residual_probability,
                            "(not assessed)",
                        ),
                    )
                    yield from self.field(
                        "residual-impact",
                        "Resid. imp.",
                        _level(
                            "residual-impact", IMPACT_WORDS, d.residual_impact, "(not assessed)"
                        ),
                    )
                with Horizontal(classes="pair"):
                    yield from self.field(
                        "owner",
                        "Owner",
                        TextSelect(
                            [(name, pid) for pid, name in self.people],
                            value=d.owner_id
                            if d.owner_id in {p for p, _ in self.people}
                            else Select.NULL,
                            id="owner",
                            prompt="(no owner)",
                        ),
                    )
                    yield from self.field(
                        "status", "Status", _choice("status", RiskStatus, d.status)
                    )
                with Horizontal(classes="pair"):
                    yield from self.field(
                        "review-date",
                        "Review on",
                        Input(
                            input_date(d.review_date, self.date_format),
                            id="review-date",
                            placeholder="YYYY-MM-DD",
                        ),
                    )
                    yield from self.field(
                        "raised-on",
                        "Raised on",
                        Input(
                            input_date(d.raised_on, self.date_format),
                            id="raised-on",
                            placeholder="today",
                        ),
                    )
                yield from self.field(
                    "trigger",
                    "Trigger",
                    Input(d.trigger, id="trigger", placeholder="the sign that it is happening"),
                )
                yield from self.field(
                    "description", "Description", TextArea(d.description, id="description")
                )
                yield from self.field(
                    "mitigation", "Mitigation", TextArea(d.mitigation, id="mitigation")
                )
                yield from self.field(
                    "contingency", "Contingency", TextArea(d.contingency, id="contingency")
                )
            yield from self.buttons()

    def reload_record(self) -> None:
        from itpm_tui.errors import NotFoundError
        from itpm_tui.queries.risks import risk_row

        row = (
            None if self.risk_id is None else risk_row(self.ctx.db, self.risk_id, self.ctx.today())
        )
        if row is None:
            raise NotFoundError("the risk no longer exists (removed by someone else)")
        self.draft, self.version = row.draft(), row.version
        if row.owner_id is not None and row.owner_id not in {p for p, _ in self.people}:
            self.people = [*self.people, (row.owner_id, row.owner or f"#{row.owner_id}")]

    def read_draft(self) -> tuple[RiskDraft, list[Problem]]:
        """The form's values, and the problems found reading them (a date that is not one)."""
        problems: list[Problem] = []
        dates: dict[str, date | None] = {}
        for field, widget_id in (("review_date", "review-date"), ("raised_on", "raised-on")):
            try:
                dates[field] = parse_date(self.text(widget_id), field, self.date_format)
            except ValidationError as exc:
                problems.extend(exc.problems)
                dates[field] = None
        if self.risk_id is None and self.selected("project") is None:
            problems.append(Problem("project", "choose the project the risk belongs to"))
        draft = RiskDraft(
            title=self.text("title"),
            probability=self.selected("probability"),
            impact=self.selected("impact"),
            category=str(self.selected("category")),
            response=str(self.selected("response")),
            status=str(self.selected("status")),
            owner_id=self.selected("owner"),
            description=self.text("description"),
            mitigation=self.text("mitigation"),
            contingency=self.text("contingency"),
            trigger=self.text("trigger"),
            raised_on=dates["raised_on"],
            review_date=dates["review_date"],
            residual_probability=self.selected("residual-probability"),
            residual_impact=self.selected("residual-impact"),
        )
        return draft, problems

    def action_save(self) -> None:
        draft, problems = self.read_draft()
        project = self.project_id if self.risk_id is not None else self.selected("project")
        self.write(lambda: self._store(draft, problems, project))

    def _store(self, draft: RiskDraft, problems: list[Problem], project_id: int | None) -> int:
        from itpm_tui.domain.risk import validate_risk
        from itpm_tui.services.risks import add_risk, update_risk

        # A new risk left without a raised date is raised today: check the review too.
        raised = draft.raised_on or (self.ctx.today() if self.risk_id is None else None)
        self.check_together(problems, lambda: validate_risk(replace(draft, raised_on=raised)))
        if self.risk_id is None:
            assert project_id is not None
            return add_risk(self.ctx, project_id, draft)
        assert self.version is not None  # an edit form is opened with the risk's version
        update_risk(self.ctx, self.risk_id, draft, self.version)
        return self.risk_id


def _choice(widget_id: str, vocabulary: Any, value: str) -> Select[str]:
    options = [(item.value, item.value) for item in vocabulary]
    known = {v for _, v in options}
    return TextSelect(
        options,
        value=value if value in known else options[0][1],
        id=widget_id,
        allow_blank=False,
    )


def _level(widget_id: str, words: dict[int, str], value: int | None, prompt: str) -> Select[int]:
    return TextSelect(
        [(f"{level} {words[level]}", level) for level in LEVELS],
        value=value if value is not None and value in LEVELS else Select.NULL,
        id=widget_id,
        prompt=prompt,
    )
