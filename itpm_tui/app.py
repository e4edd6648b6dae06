"""The dashboard application: the screens of `screens.registry` switched by their keys, help,
palette, theme, and the project selected on Projects that the one-project screens follow."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.events import Key
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widget import AwaitMount

from itpm_tui.commands import ItpmCommands
from itpm_tui.config import Settings
from itpm_tui.domain.bulk import freeze_loaded
from itpm_tui.screens.registry import SCREENS, stylesheets
from itpm_tui.themes import THEMES, choose_theme
from itpm_tui.widgets.formatting import show_controls_as_marks

if TYPE_CHECKING:
    from itpm_tui.domain.roles import Identity
    from itpm_tui.services.context import Context
    from itpm_tui.storage.notifications import ChangeListener


class DatabaseChanged(Message):
    """Another program committed a write (or the connection that hears of them dropped or
    came back): the screen shown looks at once instead of at its next poll."""


def styles_dir() -> Path:
    """The installed copy ships `styles/` inside the package; a checkout has it beside it."""
    packaged = Path(str(resources.files("itpm_tui"))) / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "styles"


class ItpmApp(App[None]):
    TITLE = "itpm"
    #: The project selected on Projects; the one-project screens take it over when it changes.
    selected_project: var[int | None] = var(None)
    CSS_PATH: ClassVar = [styles_dir() / name for name in stylesheets()]
    COMMANDS = App.COMMANDS | {ItpmCommands}
    # Screens are imported when first shown, so the first frame does not wait for them all.
    MODES: ClassVar = {entry.mode: entry.make for entry in SCREENS}
    DEFAULT_MODE = SCREENS[0].mode
    BINDINGS: ClassVar = [
        *(
            Binding(
                entry.key,
                f"switch_mode('{entry.mode}')",
                entry.title,
                id=entry.binding_id,
                show=False,
            )
            for entry in SCREENS
        ),
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        ctx: Context | Callable[[], Context],
        settings: Settings,
        *,
        where: str = "",
        first_screen: str = "",
        env: Mapping[str, str] | None = None,
        first_read_path: Path | None = None,
    ) -> None:
        """`ctx` may be a function that opens the database: it then runs on first use, in a
        worker, so the screen appears before the database layer has loaded. `first_screen`
        is the mode shown first (`itpm --screen my`), instead of Projects. `env` is the
        environment the theme `auto` reads the terminal's colours from (`os.environ` when
        run; none in tests, whose snapshots must not depend on the runner's terminal).
        `first_read_path`: the SQLite file `ctx` opens, when a screen may read its first rows
        from it directly (`LiveScreen.first_rows`): only as the config user, on the system
        clock."""
        if first_screen:
            self.DEFAULT_MODE = first_screen  # type: ignore[misc]  # read by App.__init__
        show_controls_as_marks()  # stored text never reaches the terminal as a command
        super().__init__()
        self._ctx: Context | None = None if callable(ctx) else ctx
        self._open_ctx = ctx if callable(ctx) else None
        self._ctx_lock = threading.Lock()
        self.settings = settings
        self.first_read_path = first_read_path
        if not where and self._ctx is not None and self._ctx.db.path is not None:
            where = self._ctx.db.path.name
        self.where = where or "database"
        #: Set when the app ended because the database could not be used.
        self.fatal_error: str | None = None
        #: Who the dashboard acts as (`domain.roles.Identity`), known after the first fetch.
        self.acting: Identity | None = None
        #: When the database stopped answering the polls (None while it answers): the
        #: banner says since when, whichever screen is shown (`LiveScreen._polled`).
        self.unreachable_since: datetime | None = None
        #: Hears other programs' commits on a server that tells of them (`_listen`).
        self._listener: ChangeListener | None = None
        self.set_keymap(settings.keymap)
        looks = env if env is not None else {"COLORTERM": "truecolor"}
        self._theme_name = choose_theme(looks, settings.theme)

    #: True while switching to a screen already built (see `switch_mode`).
    _switching_back = False
    #: The screen a mode switch is leaving, while it switches (`LiveScreen.refresh`).
    leaving: Screen[object] | None = None

    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual holds the frames of a mode switch for 50 ms (`delay_update`) to hide a new
        screen mounting, then draws the screen when it has resumed — once its resume handler
        has started a poll's thread, which then shares the interpreter lock with the frame.
        A screen shown before has nothing to mount: it is drawn whole, from the lines its
        widgets keep, and written within the key's own handling."""
        back = mode != self.current_mode and mode in self._screen_stacks
        self._switching_back = back
        self.leaving = self.screen if mode != self.current_mode else None
        try:
            mounted = super().switch_mode(mode)
        finally:
            self._switching_back = False
            self.leaving = None
        if back and not self._batch_count:
            screen = self.screen
            self._display(
                screen,
                screen._compositor.render_update(full=True, screen_stack=self._background_screens),
            )
        return mounted

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching_back:
            super().delay_update(delay)

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self._theme_name
        self.sub_title = f"{self.settings.user} · {self.where}"
        self.call_after_refresh(self._first_screen_styled)
        if self._ctx is not None:
            self._listen(self._ctx)

    def _first_screen_styled(self) -> None:
        """The first screen was styled at start, before it was on the screen stack, so
        Textual never marked it up to date, and the first return to it would parse every
        stylesheet again and restyle it (the tables drawn anew). Mark it now, as a later
        screen is marked when made (`ScreenEntry.make`); a theme change since has marked it."""
        from textual.app import ScreenStackError

        try:
            screen = self.screen
        except ScreenStackError:  # closing already
            return
        if screen._css_update_count < 0:
            screen._css_update_count = self._css_update_count

    def on_unmount(self) -> None:
        gc.unfreeze()  # what `set_acting` froze may be collected again once the app is gone
        if self._listener is not None:  # it ends by itself within half a second: quit now
            self._listener.stop(timeout=0)

    @property
    def listener(self) -> ChangeListener | None:
        """What hears other programs' commits (None on a SQLite file: polling only)."""
        return self._listener

    def _listen(self, ctx: Context) -> None:
        """Hear other programs' commits where the database tells of them (PostgreSQL's
        NOTIFY), so the screen shows them at once; the polls go on whatever happens to it."""
        if self._listener is None:
            self._listener = ctx.db.listen(self._heard)

    def _heard(self) -> None:
        """Runs in the listener's thread: hand over to the UI thread, never wait for it."""
        with contextlib.suppress(RuntimeError):  # the app's loop has closed: no one to tell
            self.post_message(DatabaseChanged())

    def on_database_changed(self, _message: DatabaseChanged) -> None:
        from textual.app import ScreenStackError

        from itpm_tui.screens.live import LiveScreen

        try:
            screen = self.screen
        except ScreenStackError:  # closing
            return
        if isinstance(screen, LiveScreen):  # a dialog on top: it looks when uncovered
            screen.look_now()

    def set_acting(self, who: Identity) -> None:
        """Show who the dashboard acts as in the header (with the role when it limits what
        they may do), and offer only the keys their role may use."""
        from itpm_tui.domain.roles import Role

        if who == self.acting:
            return
        if self.acting is None:  # the database layer is loaded now: the first fetch asked
            freeze_loaded()
        self.acting = who
        name = who.handle or self.settings.user
        if who.looking_as:
            name = f"looking as {name} ({who.role.value} rights)"
        elif who.role is not Role.PROJECT_MANAGER:  # a limit worth saying; a PM has none
            name = f"{name} ({who.role.value})"
        self.sub_title = f"{name} · {self.where}"
        self.screen.refresh_bindings()

    def today(self) -> date:
        """The context's day once it is open, else the day its clock will give (the
        dashboard opens the database in a worker, after the first frame)."""
        if self._ctx is not None:
            return self._ctx.today()
        from itpm_tui.clock import system_today

        return system_today()

    @property
    def ctx(self) -> Context:
        with self._ctx_lock:
            if self._ctx is None:
                assert self._open_ctx is not None
                self._ctx = self._open_ctx()
                self._listen(self._ctx)
            return self._ctx

    def fail(self, message: str) -> None:
        """End with a one-line message and status 2: the database cannot be used."""
        self.fatal_error = message
        self.exit(return_code=2)

    def _handle_exception(self, error: Exception) -> None:
        """The app's last guard (Textual calls it for any exception a handler, worker or
        timer let through): instead of Textual's traceback with local variables — the rows
        on screen, people's names — the app ends with one line and status 2, and the code
        path goes to a crash file (`itpm_tui.crash`). Tests still see the exception:
        `run_test` re-raises the one recorded here."""
        from textual.worker import WorkerFailed

        from itpm_tui.crash import crash_line
        from itpm_tui.errors import ItpmError

        cause = error.error if isinstance(error, WorkerFailed) else error
        if self._exception is None:  # what Textual's own handler records for run_test
            self._exception = error
            self._exception_event.set()
        if self.fatal_error is None:  # a refusal the user can act on is said as it is
            known = isinstance(cause, ItpmError)
            said = (str(cause).splitlines() or [type(cause).__name__])[0]
            self.fatal_error = said if known else crash_line(cause)
        self._return_code = 2
        self._close_messages_no_wait()

    def on_key(self, event: Key) -> None:
        """A character that reaches the app while a form is open was typed just after the
        key that opened it, and Textual had queued it for the screen below: the form takes
        it, so fast typing after `n` is not lost (see `FormScreen.take_typed`)."""
        take = getattr(self.screen, "take_typed", None)
        if take is not None and event.is_printable and event.character and take(event.character):
            event.stop()
            event.prevent_default()

    def set_theme(self, name: str) -> None:
        self.theme = name

    def action_help(self) -> None:
        from itpm_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_project(self, project_id: int) -> None:
        self.switch_mode(SCREENS[0].mode)
        screen = self.screen
        from itpm_tui.screens.projects import ProjectsScreen

        if isinstance(screen, ProjectsScreen):
            screen.select_project(project_id, open_detail=True)

    def run_on_screen(self, mode: str, action: str = "", project_id: int | None = None) -> None:
        """Show the main screen `mode` (about `project_id`, when given) and, once it shows its
        data, run its `action` as its key would: the palette reuses the screens' own actions
        and forms instead of keeping copies."""
        from textual.events import ScreenResume

        from itpm_tui.screens.live import OneProjectScreen

        if project_id is not None:
            self.selected_project = project_id  # the one-project screens follow it
        already = self.current_mode == mode
        self.switch_mode(mode)
        screen = self.screen
        if isinstance(screen, OneProjectScreen) and project_id not in (None, screen.project_id):
            screen.follow_again()  # even if a project was picked there with p
            if already:  # no switch, so no resume: ask it to look again now
                screen.post_message(ScreenResume())
        if action:
            self.run_worker(self._when_shown(action, project_id), group="palette-action")

    async def _when_shown(self, action: str, project_id: int | None) -> None:
        from itpm_tui.screens.live import LiveScreen

        await asyncio.sleep(0)  # let the screen take over the selection first
        screen = self.screen
        for _ in range(400):  # at most ~20 s, for a very slow disk
            ready = not isinstance(screen, LiveScreen) or not screen.is_stale
            shows = project_id is None or getattr(screen, "project_id", project_id) == project_id
            if ready and shows:
                break
            await asyncio.sleep(0.05)
        if self.screen is screen:  # the user has not moved on meanwhile
            await screen.run_action(action)
