"""The main screens, declared once: the app builds its modes, number keys, stylesheets, palette
entries and the help line from `SCREENS`.

Adding a screen means one `ScreenEntry` here, its module and its stylesheet. A screen's module
is imported only when the screen is first shown, so the first frame never waits for them all.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding
    from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class ScreenEntry:
    """One main screen: how it is reached and where it lives."""

    key: str  #: default key; the binding id is `screen.<mode>`, so `[keymap]` can move it
    mode: str
    title: str
    target: str  #: "module:Class", imported on first use
    stylesheet: str  #: a file in styles/
    help: str  #: one line for the palette

    @property
    def binding_id(self) -> str:
        return f"screen.{self.mode}"

    def screen_class(self) -> type[Screen[None]]:
        module, _, name = self.target.partition(":")
        cls: type[Screen[None]] = getattr(importlib.import_module(module), name)
        return cls

    def make(self) -> Screen[None]:
        """The screen, marked as styled by the app's stylesheet as it stands.

        Textual takes a new screen for one whose styles are out of date and parses every
        stylesheet again, twice, on its first showing (`App._init_mode`, `switch_mode`). The
        app loads every screen's stylesheet at start (`stylesheets()`), so nothing is new to
        parse: the screen's widgets are styled as they mount, and a theme change still
        restyles it (the app's count moves past the one set here). The first screen is
        left to Textual: the stylesheet takes the theme's variables then.

        The screen also starts with the classes of its breakpoints at the terminal's size
        (`sized`), so its widgets are styled once, as they mount."""
        from textual._context import active_app

        screen = self.screen_class()()
        app = active_app.get(None)
        if app is not None and any(app._screen_stacks.values()):  # not the first screen
            screen._css_update_count = app._css_update_count
            sized(screen, app)
        return screen


def sized(screen: Screen[Any], app: App[Any]) -> None:
    """Give a screen not yet mounted the breakpoint classes (`HORIZONTAL_BREAKPOINTS`,
    `VERTICAL_BREAKPOINTS`) Textual gives it on its first resize, which comes after its
    widgets have mounted: every widget of the screen was then styled a second time (a
    tenth of a second on Risks or Stakeholders at M). Given before, that resize changes no
    class and restyles nothing."""
    across = (
        app.HORIZONTAL_BREAKPOINTS
        if screen.HORIZONTAL_BREAKPOINTS is None
        else screen.HORIZONTAL_BREAKPOINTS
    ) or []
    down = (
        app.VERTICAL_BREAKPOINTS
        if screen.VERTICAL_BREAKPOINTS is None
        else screen.VERTICAL_BREAKPOINTS
    ) or []
    width, height = app.size
    classes = screen._get_breakpoint_classes(width, across) | screen._get_breakpoint_classes(
        height, down
    )
    if classes:
        screen.add_class(*classes, update=False)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "1",
        "projects",
        "Projects",
        "itpm_tui.screens.projects:ProjectsScreen",
        "projects.tcss",
        "The portfolio: health, slip, budget and risks of every project",
    ),
    ScreenEntry(
        "2",
        "timeline",
        "Timeline",
        "itpm_tui.screens.timeline:TimelineScreen",
        "timeline.tcss",
        "The Gantt chart of the selected project, or the roadmap of all",
    ),
    ScreenEntry(
        "3",
        "budget",
        "Budget",
        "itpm_tui.screens.budget:BudgetScreen",
        "budget.tcss",
        "Categories, earned value and the ledger of the selected project",
    ),
    ScreenEntry(
        "4",
        "risks",
        "Risks",
        "itpm_tui.screens.risks:RisksScreen",
        "risks.tcss",
        "The risk register, the heat map and the change-request log",
    ),
    ScreenEntry(
        "5",
        "stakeholders",
        "Stakeholders",
        "itpm_tui.screens.stakeholders:StakeholdersScreen",
        "stakeholders.tcss",
        "Contacts, the influence grid and the communication log",
    ),
    ScreenEntry(
        "6",
        "my",
        "My work",
        "itpm_tui.screens.my_work:MyWorkScreen",
        "my_work.tcss",
        "My open tasks of every project: start, done, blocked in one key",
    ),
    ScreenEntry(
        "7",
        "team",
        "Team",
        "itpm_tui.screens.team:TeamScreen",
        "team.tcss",
        "People, their capacity and cost rate, and their load in the coming weeks",
    ),
    ScreenEntry(
        "8",
        "changes",
        "What changed",
        "itpm_tui.screens.changes:ChangesScreen",
        "changes.tcss",
        "What changed since the last stand-up, by project and person, in plain words",
    ),
)
#: Stylesheets every screen relies on (app.tcss first: the others refine it).
SHARED_STYLESHEETS = ("app.tcss", "forms.tcss")
#: Packages whose classes may declare key bindings (screens, dialogs, widgets).
BINDING_PACKAGES = ("itpm_tui.screens", "itpm_tui.widgets")


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One binding as `itpm config keys` lists it."""

    id: str
    keys: str
    description: str
    where: str  #: the class that declares it


def stylesheets() -> list[str]:
    return [*SHARED_STYLESHEETS, *(entry.stylesheet for entry in SCREENS)]


def own_bindings(cls: type[Any]) -> list[Binding]:
    """The bindings `cls` declares itself (not those it inherits)."""
    from textual.binding import Binding

    return [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]


def binding_classes() -> list[type[Any]]:
    """The app and every class under `BINDING_PACKAGES` that declares bindings, in a fixed
    order (the app, then by module and position in it). Imports every screen module."""
    from itpm_tui.app import ItpmApp

    found: list[tuple[str, int, type[Any]]] = []
    for package_name in BINDING_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            module = importlib.import_module(info.name)
            # A module's namespace keeps definition order.
            for position, cls in enumerate(vars(module).values()):
                if inspect.isclass(cls) and cls.__module__ == module.__name__ and own_bindings(cls):
                    found.append((module.__name__, position, cls))
    return [ItpmApp, *(cls for _module, _line, cls in sorted(found, key=lambda f: f[:2]))]


@cache
def key_rows() -> tuple[KeyRow, ...]:
    """Every binding id with its default keys and description, one row per id."""
    rows: dict[str, KeyRow] = {}
    for cls in binding_classes():
        for binding in own_bindings(cls):
            if binding.id is not None and binding.id not in rows:
                rows[binding.id] = KeyRow(
                    binding.id,
                    binding.key,
                    binding.tooltip or binding.description,
                    f"{cls.__module__}.{cls.__qualname__}",
                )
    return tuple(rows.values())


def binding_ids() -> frozenset[str]:
    return frozenset(row.id for row in key_rows())
