"""Command palette (ctrl+p): jump to any screen or project, switch theme.

The provider reads the project list itself when the palette opens (in a thread worker), so
no screen has to keep a copy for it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from itpm_tui.screens.registry import SCREENS

if TYPE_CHECKING:
    from itpm_tui.app import ItpmApp
    from itpm_tui.queries.timeline import ProjectChoice


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

    def _commands(self) -> list[tuple[str, str, object]]:
        app: ItpmApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, str, object]] = [
            (
                f"Go to {entry.title}",
                f"{entry.help} (key {app.settings.keymap.get(entry.binding_id, entry.key)})",
                partial(app.switch_mode, entry.mode),
            )
            for entry in SCREENS
        ]
        commands += [
            ("Help", "Keys and rules of this screen (? or F1)", app.action_help),
            (
                "High-contrast theme",
                "Strong colours for projectors and poor terminals",
                partial(app.set_theme, "itpm-contrast"),
            ),
            (
                "ANSI theme",
                "The terminal's own 16 colours (good over SSH)",
                partial(app.set_theme, "ansi-dark"),
            ),
        ]
        for project in self.projects:
            commands.append(
                (
                    f"Open project {project.code} — {project.name}",
                    "Select it on the Projects screen and show its detail",
                    partial(app.open_project, project.id),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            if not title.startswith("Open project"):
                yield DiscoveryHit(title, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, title),
                    callback,  # type: ignore[arg-type]
                    text=title,
                    help=help_text,
                )


def _highlight(matcher: Matcher, candidate: str) -> Content:
    """Like `Matcher.highlight`, but the candidate (a project name) is text, not markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
