"""The dashboard application: screens switched by number keys, help, palette, theme."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding

from itpm_tui.commands import ItpmCommands
from itpm_tui.config import Settings
from itpm_tui.screens.projects import ProjectsScreen
from itpm_tui.screens.timeline import TimelineScreen
from itpm_tui.services.context import Context
from itpm_tui.themes import CONTRAST


def styles_dir() -> Path:
    """The installed copy ships `styles/` inside the package; a checkout has it beside it."""
    packaged = Path(str(resources.files("itpm_tui"))) / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "styles"


class ItpmApp(App[None]):
    TITLE = "itpm"
    CSS_PATH: ClassVar = [
        styles_dir() / name for name in ("app.tcss", "projects.tcss", "forms.tcss", "timeline.tcss")
    ]
    COMMANDS = App.COMMANDS | {ItpmCommands}
    MODES: ClassVar = {"projects": ProjectsScreen, "timeline": TimelineScreen}
    DEFAULT_MODE = "projects"
    #: (key, mode, label) of every main screen that exists; the palette lists them too.
    SCREENS_BY_KEY: ClassVar = [("1", "projects", "Projects"), ("2", "timeline", "Timeline")]
    BINDINGS: ClassVar = [
        *(
            Binding(key, f"switch_mode('{mode}')", label, id=f"screen.{mode}", show=False)
            for key, mode, label in SCREENS_BY_KEY
        ),
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, ctx: Context, settings: Settings) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings = settings
        #: (id, code, name) of the projects last loaded, for the command palette.
        self.project_index: list[tuple[int, str, str]] = []

    def on_mount(self) -> None:
        self.register_theme(CONTRAST)
        self.theme = self.settings.theme
        user = self.ctx.user
        where = self.ctx.db.path.name if self.ctx.db.path else "database"
        self.sub_title = f"{user} · {where}"

    def set_theme(self, name: str) -> None:
        self.theme = name

    def action_help(self) -> None:
        from itpm_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_project(self, project_id: int) -> None:
        self.switch_mode("projects")
        screen = self.screen
        if isinstance(screen, ProjectsScreen):
            screen.select_project(project_id, open_detail=True)
