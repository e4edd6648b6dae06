"""The floor: the least a Textual + SQLModel app does to show 20 rows of the same SQLite file.

    python tests/benchmarks/floor_app.py DB

A header, a 20-row DataTable of project codes and names read with SQLModel, a footer; no
itpm code is imported. `bench_startup.py` runs it in turn with itpm: itpm's first row should
appear within 1.5× the time this one's does. For `bench_keys.py` it has a second screen (key
`2`, an installed screen kept between visits; `1` goes back): its first visit and switching
between the two are the floor of a key that shows a screen.
"""

from __future__ import annotations

import sys

from sqlalchemy import column, table
from sqlmodel import Session, create_engine, select
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

#: The two columns of itpm's project table the floor shows (no model of its own, so it can
#: be imported beside itpm's models).
PROJECT = table("project", column("code"), column("name"))


#: What the second screen shows above its table (`bench_keys.py` waits for it).
SECOND = "floor: second screen"


def last_rows(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with Session(engine) as session:
        query = select(PROJECT.c.code, PROJECT.c.name).order_by(PROJECT.c.code.desc()).limit(20)
        rows = [(code, name) for code, name in session.exec(query).all()]
    engine.dispose()
    return rows


class Second(Screen[None]):
    """The other 20 rows (the last codes), read when the screen is first shown."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(SECOND)
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        grid: DataTable[str] = self.query_one(DataTable)
        grid.add_columns("Code", "Name")
        grid.add_rows(last_rows(self.app.url))  # type: ignore[attr-defined]


class FloorApp(App[None]):
    BINDINGS = [
        ("q", "quit", "Quit"),
        ("1", "first", "First"),
        ("2", "second", "Second"),
    ]
    SCREENS = {"second": Second}

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def action_first(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_second(self) -> None:
        if len(self.screen_stack) == 1:
            self.push_screen("second")

    def on_mount(self) -> None:
        engine = create_engine(self.url)
        with Session(engine) as session:
            query = select(PROJECT.c.code, PROJECT.c.name).order_by(PROJECT.c.code).limit(20)
            rows = session.exec(query).all()
        engine.dispose()
        grid: DataTable[str] = self.query_one(DataTable)
        grid.add_columns("Code", "Name")
        grid.add_rows((code, name) for code, name in rows)


if __name__ == "__main__":
    FloorApp(f"sqlite:///{sys.argv[1]}").run()
