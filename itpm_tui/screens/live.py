"""A screen that keeps itself current by cheap polling.

Each poll runs in a worker thread and asks one indexed number (`change_token`); only when it
moved does the screen fetch again. The next poll is armed when the last one has finished,
and polling rests while a dialog covers the screen or another screen is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import work
from textual.screen import Screen
from textual.timer import Timer

from itpm_tui.errors import DatabaseError

if TYPE_CHECKING:
    from itpm_tui.app import ItpmApp

T = TypeVar("T")


class LiveScreen(Screen[None], Generic[T]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._token: int | None = None
        self._timer: Timer | None = None
        self._stale = True

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
        self.call_after_refresh(self.reload)

    def on_screen_resume(self) -> None:
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Fetch now, whether or not anything changed (after the user's own edit)."""
        self._stale = True
        self._poll()

    def fetch(self) -> T:
        """Runs in a worker thread: ask the services, return plain data."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Runs on the UI thread with what `fetch` returned."""
        raise NotImplementedError

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.itpm.settings.refresh_seconds, self._poll)

    def _poll(self) -> None:
        if self.app.screen is not self and not self._stale:
            self._arm()  # covered by a dialog or not shown: rest, look again later
            return
        self._poll_worker(self._stale)

    @work(thread=True, exclusive=True, group="live-poll")
    def _poll_worker(self, force: bool) -> None:

        try:
            token = self.itpm.ctx.db.change_token()
            if force or token != self._token:
                data = self.fetch()
                self.app.call_from_thread(self._deliver, token, data)
        except DatabaseError as exc:  # the file cannot be used at all: say why and stop
            self.app.call_from_thread(self.itpm.fail, str(exc))
        except Exception as exc:  # a broken connection must not kill the dashboard
            self.app.call_from_thread(
                self.notify, f"Could not refresh: {exc}", severity="error", markup=False
            )
        finally:
            self.app.call_from_thread(self._arm)

    def _deliver(self, token: int, data: T) -> None:
        self._token = token
        self._stale = False
        self.show(data)


class OneProjectScreen(LiveScreen[T]):
    """A live screen about one project at a time, following the Projects screen's selection."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project_id: int | None = None
        self._followed: int | None = None  # the Projects selection last taken over

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
