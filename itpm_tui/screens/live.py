"""A screen that keeps itself current by cheap polling.

Each poll runs in a worker thread and asks one indexed number (the change token); only when
it moved and the writes since (the activity rows they logged: `Database.changes_since`) touch
what the screen shows (`touches`: a write to another project does not touch a one-project
screen), or when the context's day is no longer the day last shown (midnight: "due in 3 days"
becomes "due in 2 days" though nobody wrote), does the screen fetch again. The next poll is
armed when the last one has finished, and polling rests while a dialog covers the screen or
another screen is shown. On a server that tells of commits (PostgreSQL's NOTIFY, heard by
the app's listener) the screen shown is also asked to look at once (`look_now`), so a
colleague's commit shows within moments; the polls go on all the same. A poll that fails
shows a one-line banner ("reconnecting…") above the data, which stays, and the next polls
back off until one succeeds and the banner goes.

The screen's own edits go through `write_then_reload`, so every delete, close or archive
reports a refusal the same way and shows the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from textual import on, work
from textual.app import ScreenStackError
from textual.events import ScreenResume
from textual.geometry import Region
from textual.screen import Screen
from textual.timer import Timer

from itpm_tui.errors import DatabaseError, ItpmError
from itpm_tui.screens.rights import RoleKeys
from itpm_tui.widgets.connection_banner import ConnectionBanner

if TYPE_CHECKING:
    from itpm_tui.app import ItpmApp
    from itpm_tui.domain.change_set import ChangeSet

T = TypeVar("T")
R = TypeVar("R")


class LiveScreen(RoleKeys, Screen[None], Generic[T]):
    #: After a failed poll the next waits twice as long as the last wait, within these
    #: bounds (seconds), so a locked or vanished database is not asked (and told) every tick.
    RETRY_MIN = 5.0
    RETRY_MAX = 30.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token: int | None = None
        self._day: date | None = None  # the context's day the data shown was read on
        self._timer: Timer | None = None
        self._stale = True
        self._retry_in: float | None = None
        #: A poll's thread is running; another asked meanwhile waits for it (`_again`), so
        #: two fetches never run at once (cancelling a worker does not stop its thread).
        self._polling = False
        self._again = False
        #: Counts the forced fetches asked for; a delivery clears `_stale` only if no other
        #: was asked while it was fetching (that one then runs after it).
        self._wanted = 0
        self._mount_asked = False
        #: Mounted the first time the database cannot be reached (most screens never need it).
        self._banner: ConnectionBanner | None = None

    @property
    def retry_in(self) -> float | None:
        """Seconds until the next poll while polls are failing; None while they succeed."""
        return self._retry_in

    @property
    def itpm(self) -> ItpmApp:
        return self.app  # type: ignore[return-value]

    @property
    def is_stale(self) -> bool:
        """True until the first fetch (or the one after the user's own edit) has been shown."""
        return self._stale

    def on_mount(self) -> None:
        # Paint the first frame before the worker starts loading the database layer: the
        # two would otherwise share one interpreter lock and the screen would wait.
        # Textual calls this handler for every class of the screen that defines one, and a
        # subclass's own `on_mount` calling `super()` calls it again: fetch once.
        if self._wanted == 0 and not self._mount_asked:
            self._mount_asked = True
            self.call_after_refresh(self.reload)

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Textual repaints the screen a mode switch leaves, which only forgets the lines of
        its background (60 at 200×60, 2–3 ms): it is not shown any more, and when it comes
        back it is drawn whole at once (`ItpmApp.switch_mode`), from the lines it kept."""
        if self.itpm.leaving is not self or regions or layout or recompose:
            super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    @on(ScreenResume)
    def _keep_styles(self, event: ScreenResume) -> None:
        """Textual recomputes every style of a screen switched back to, which empties the
        tables' rendered lines so every visible cell is drawn again. Its stylesheet did not
        change while it rested unless the theme did (the app counts those changes, and a
        switch brings a screen whose count is behind up to date first), so the styles are
        kept then: this handler runs before `Screen._on_screen_resume` reads the flag."""
        if self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False

    def on_screen_resume(self) -> None:
        """Coming back to a screen looks at once whether anything changed while it rested
        (one cheap query when nothing did), instead of showing old rows until the next poll.
        The first showing is not a coming back: `on_mount` fetches after the first frame."""
        if self._token is None and self._stale and self._wanted <= 1:
            return  # the first fetch is asked for (on_mount) or on its way
        self._poll()

    def look_now(self) -> None:
        """Poll now, not at the next tick: another program committed a write, or the
        connection that hears of them dropped or came back."""
        self._poll()

    def reload(self) -> None:
        """Fetch now, whether or not anything changed (after the user's own edit)."""
        self._stale = True
        self._wanted += 1
        self._poll()

    def fetch(self) -> T:
        """Runs in a worker thread: ask the services, return plain data."""
        raise NotImplementedError

    def first_rows(self) -> tuple[int, T] | None:
        """Runs in a worker thread for the first fetch only: the change token and the data,
        read without the database layer when that can be done (None: `fetch` it)."""
        return None

    def show(self, data: T) -> None:
        """Runs on the UI thread with what `fetch` returned."""
        raise NotImplementedError

    #: The kinds of record (activity `entity`: "task", "project"…) this screen shows for
    #: every project, beside those of `watched_projects`; None: it shows everything, so
    #: every write makes it fetch again (the Projects list, the feed).
    WATCHES: ClassVar[frozenset[str] | None] = None

    def watched_projects(self) -> Collection[int] | None:
        """The projects whose every change this screen shows (None: all of them)."""
        return None if self.WATCHES is None else ()

    def touches(self, changes: ChangeSet) -> bool:
        """Runs in the poll's thread: whether the writes a colleague made since the data
        shown was read can change it — the one rule of what a screen fetches again."""
        if self.WATCHES is None:
            return True
        return changes.touches(self.watched_projects(), self.WATCHES)

    def fetch_touched(self, changes: ChangeSet) -> T | None:
        """Runs in the poll's thread when a colleague's writes touch this screen: the data
        with only what they touched read again, or None (the default) to `fetch` it all."""
        return None

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        delay = self._retry_in or self.itpm.settings.refresh_seconds
        self._timer = self.set_timer(delay, self._poll)

    def _poll(self) -> None:
        try:
            shown = self.app.screen
        except ScreenStackError:  # the app is closing: a timer that fires now has no one to tell
            return
        if self._polling:  # one fetch at a time: look again when this one is done
            self._again = True
            return
        if shown is not self and not self._stale:
            self._arm()  # covered by a dialog or not shown: rest, look again later
            return
        self._polling = True
        self._poll_worker(self._stale, self._wanted)

    @work(thread=True, exclusive=True, group="live-poll")
    def _poll_worker(self, force: bool, wanted: int) -> None:
        problem: str | None = None
        try:
            first = self.first_rows() if force and self._token is None else None
            if first is not None:  # shown at once; the database layer loads behind them
                self.app.call_from_thread(self._deliver, first[0], first[1], wanted)
                # ...once they are painted: loading it now would share the interpreter
                # lock with the frame that shows them
                painted = threading.Event()
                self.app.call_from_thread(self.call_after_refresh, painted.set)
                painted.wait(timeout=2)
                who = self.itpm.ctx.identity()  # which keys to offer
                self.app.call_from_thread(self.itpm.set_acting, who)
                self._day = self.itpm.ctx.today()  # the day those rows were read for
                return
            ctx = self.itpm.ctx
            day = ctx.today()
            data: T | None = None
            if force or self._token is None or day != self._day:
                token = ctx.db.change_token()
            else:  # only a colleague's write that touches what is shown is fetched again
                changes = ctx.db.changes_since(self._token)
                token = changes.token
                if not changes.moved:
                    return
                if not self.touches(changes):
                    self.app.call_from_thread(self._passed, token)
                    return
                data = self.fetch_touched(changes)
            if data is None:
                data = self.fetch()
            who = ctx.identity()  # a changed role is a change about no project: fetched
            self.app.call_from_thread(self.itpm.set_acting, who)
            self.app.call_from_thread(self._deliver, token, data, wanted, day)
        except DatabaseError as exc:  # the file cannot be used at all: say why and stop
            self.app.call_from_thread(self.itpm.fail, str(exc))
        except ItpmError as exc:  # refused for now (locked, unreadable): try again later
            problem = str(exc)
        except Exception as exc:  # a broken connection must not kill the dashboard
            problem = f"Could not refresh: {exc}"
        finally:
            self.app.call_from_thread(self._polled, problem)

    def _polled(self, problem: str | None) -> None:
        """Arm the next poll: at the usual pace after a success, backing off after a
        failure, which the banner tells (no message each retry). A poll asked for while this
        one ran runs now."""
        self._polling = False
        self._tell_reachable(problem)
        if problem is None:
            self._retry_in = None
        else:
            last = self._retry_in or self.itpm.settings.refresh_seconds
            self._retry_in = min(max(2 * last, self.RETRY_MIN), self.RETRY_MAX)
        if self._again and problem is None:
            self._again = False
            self._poll()
            return
        self._arm()

    def _tell_reachable(self, problem: str | None) -> None:
        """The one place that decides the banner: shown while polls fail (since the first
        failure, on whichever screen, with the last error), hidden once one succeeds. The
        data shown stays as it was."""
        app = self.itpm
        if problem is None:
            app.unreachable_since = None
            if self._banner is not None:
                self._banner.hide()
            return
        from itpm_tui.services.context import stamp  # the storage stack: on failure only

        # now, on the injected day (`stamp`), shown as local time of day
        since = app.unreachable_since = app.unreachable_since or stamp(app.today()).astimezone()
        if self._banner is None:
            self._banner = ConnectionBanner()
            self.mount(self._banner, before=0)  # first in the flow: the top, below the header
        self._banner.tell(since, problem)

    @property
    def banner(self) -> str | None:
        """What the banner says now; None while it is hidden."""
        if self._banner is None or not self._banner.display:
            return None
        return str(self._banner.content)

    @work(thread=True, group="write")
    def write_then_reload(
        self, change: Callable[[], R], done: str | Callable[[R], str] = ""
    ) -> None:
        """Run the service call `change` off the UI thread, then fetch again either way.

        On success `done` (a message, or a function of the result giving one) is shown; a
        refusal — a rule, a colleague's edit, a vanished record, a locked or read-only
        database — is shown as one line instead, and the reload shows what is stored now.
        """
        try:
            result = change()
        except ItpmError as exc:  # anything else is a bug, not the user's problem: seen as one
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
        else:
            told = done(result) if callable(done) else done
            if told:
                self.app.call_from_thread(self.notify, told, markup=False)
        self.app.call_from_thread(self.reload)

    def _passed(self, token: int) -> None:
        """The writes up to `token` touch nothing shown: looked at, not fetched again."""
        if self._token is not None:
            self._token = token

    @property
    def keys_waiting(self) -> bool:
        """The first data is not shown yet: the footer builds its keys once it is."""
        return self._token is None

    def _deliver(self, token: int, data: T, wanted: int, day: date | None = None) -> None:
        first = self._token is None
        self._token = token
        self._day = day
        if wanted == self._wanted:  # else a reload asked meanwhile is still to come
            self._stale = False
        self.show(data)
        if first:
            self.refresh_bindings()  # the keys the footer waited for (`keys_waiting`)


class OneProjectScreen(LiveScreen[T]):
    """A live screen about one project at a time, following the Projects screen's selection."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project_id: int | None = None
        self._followed: int | None = None  # the Projects selection last taken over

    #: A one-project screen also lists the projects to pick from.
    WATCHES: ClassVar[frozenset[str] | None] = frozenset({"project"})

    def watched_projects(self) -> Collection[int] | None:
        return None if self.project_id is None else (self.project_id,)

    def follow_selected_project(self) -> bool:
        """Take over the project selected on Projects if that changed since we last looked,
        so a project picked here stays until the user picks another there; True if ours
        changed."""
        picked = self.itpm.selected_project
        if picked is None or picked == self._followed:
            return False
        self._followed = picked
        changed = picked != self.project_id
        self.project_id = picked
        return changed

    def follow_again(self) -> None:
        """Take over the Projects selection when next shown, even if it did not change (the
        palette's "Budget of project X" after a project was picked here)."""
        self._followed = None
