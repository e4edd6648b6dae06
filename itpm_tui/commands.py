"""Command palette (ctrl+p): jump to any screen or project, do the everyday actions (new
project, task, risk, ledger entry, contact, baseline, status report), go to one project's
Timeline, Budget or Risks, switch theme.

The actions are the screens' own (`ItpmApp.run_on_screen` shows the screen and runs its
action as its key would), so the palette opens the very same forms.

The provider reads the project list itself when the palette opens (in a thread worker), so
no screen has to keep a copy for it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from itpm_tui.domain.text import printable
from itpm_tui.screens.registry import SCREENS

if TYPE_CHECKING:
    from itpm_tui.app import ItpmApp
    from itpm_tui.queries.timeline import ProjectChoice

#: The palette's actions: title, what it does, screen (mode), the screen's action, and the
#: binding (id, default key) that does the same on that screen.
ACTIONS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("New project", "Create a project", "projects", "new", "projects.new", "n"),
    (
        "New task in the current project",
        "Add a task below the selected one on the Timeline",
        "timeline",
        "add",
        "timeline.add",
        "n",
    ),
    ("New risk", "Add a risk to the current project", "risks", "add", "risks.add", "n"),
    (
        "New ledger entry",
        "Book actual or committed spend on the current project",
        "budget",
        "add",
        "budget.add",
        "a",
    ),
    (
        "Log a contact",
        "Log a call, meeting or e-mail with the selected stakeholder",
        "stakeholders",
        "log",
        "stakeholders.log",
        "l",
    ),
    (
        "Set baseline",
        "Save the current project's scheduled plan as its baseline",
        "timeline",
        "baseline",
        "timeline.baseline",
        "b",
    ),
    (
        "Status report",
        "Preview, save or send the current project's status report",
        "stakeholders",
        "report",
        "stakeholders.report",
        "r",
    ),
)
#: The right (`domain.roles.Action` member) each palette action writes with; an action the
#: acting role may not do is not listed, as its key is not offered on the screen.
NEEDS: dict[str, str] = {
    "projects.new": "MANAGE",
    "timeline.add": "MANAGE",
    "risks.add": "MANAGE",
    "budget.add": "MANAGE",
    "stakeholders.log": "LOG_CONTACT",
    "timeline.baseline": "MANAGE",
}
#: The one-project screens the palette offers per project ("Budget of FW-26").
PROJECT_SCREENS = ("timeline", "budget", "risks")


class ItpmCommands(Provider):
    """Screens and app actions, always listed; projects by code and name as you type."""

    projects: tuple[ProjectChoice, ...] = ()

    async def startup(self) -> None:
        worker = self.app.run_worker(self._load_projects, thread=True, group="palette")
        self.projects = await worker.wait()

    def _load_projects(self) -> tuple[ProjectChoice, ...]:
        from itpm_tui.queries.timeline import project_choices

        app: ItpmApp = self.app  # type: ignore[assignment]
        try:
            return tuple(project_choices(app.ctx.db))
        except Exception:  # the screens say what is wrong; the palette still offers the rest
            return ()

    def _commands(self) -> list[tuple[str, str, object, bool]]:
        """(title, help, callback, listed before typing) for every command."""
        app: ItpmApp = self.app  # type: ignore[assignment]
        keymap = app.settings.keymap
        commands: list[tuple[str, str, object, bool]] = [
            (
                f"Go to {entry.title}",
                f"{entry.help} (key {keymap.get(entry.binding_id, entry.key)})",
                partial(app.switch_mode, entry.mode),
                True,
            )
            for entry in SCREENS
        ]
        titles = {entry.mode: entry.title for entry in SCREENS}
        from itpm_tui.domain.roles import Action
        from itpm_tui.screens.rights import offered

        for title, help_text, mode, action, binding_id, key in ACTIONS:
            needed = Action[NEEDS[binding_id]] if binding_id in NEEDS else None
            if not offered(app, needed):
                continue
            where = f"{keymap.get(binding_id, key)} on {titles[mode]}"
            commands.append(
                (title, f"{help_text} ({where})", partial(app.run_on_screen, mode, action), True)
            )
        commands += [
            ("Help", "Keys and rules of this screen (? or F1)", app.action_help, True),
            (
                "High-contrast theme",
                "Strong colours for projectors and poor terminals",
                partial(app.set_theme, "itpm-contrast"),
                True,
            ),
            (
                "ANSI theme",
                "The terminal's own 16 colours (good over SSH)",
                partial(app.set_theme, "itpm-ansi"),
                True,
            ),
        ]
        for project in self.projects:
            named = printable(f"{project.code} — {project.name}")  # shown, never obeyed
            commands.append(
                (
                    f"Open project {named}",
                    "Select it on the Projects screen and show its detail",
                    partial(app.open_project, project.id),
                    False,
                )
            )
            for mode in PROJECT_SCREENS:
                if mode == "timeline" == app.current_mode:
                    continue  # the Timeline offers its own "Timeline of …", shown in place
                commands.append(
                    (
                        f"{titles[mode]} of {named}",
                        f"Go to the {titles[mode]} screen of this project",
                        partial(app.run_on_screen, mode, "", project.id),
                        False,
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback, listed in self._commands():
            if listed:
                yield DiscoveryHit(title, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, _listed in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, title),
                    callback,  # type: ignore[arg-type]
                    text=title,
                    help=help_text,
                )


def highlighted(matcher: Matcher, candidate: str) -> Content:
    """Like `Matcher.highlight`, but the candidate (a project name) is text, not markup, and
    its control characters are visible marks (`domain.text.printable`)."""
    candidate = printable(candidate)
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
