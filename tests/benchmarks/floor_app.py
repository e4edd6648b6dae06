"""The floor: the least a Textual + SQLModel app does to show 20 rows of the same SQLite file.

    python tests/benchmarks/floor_app.py DB

A header, a 20-row DataTable of project codes and names read with SQLModel, a footer; no
itpm code is imported. `bench_startup.py` runs it in turn with itpm: itpm's first row should
appear within 1.5× the time this one's does.
"""

from __future__ import annotations

import sys

from sqlalchemy import column, table
from sqlmodel import Session, create_engine, select
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

#: The two columns of itpm's project table the floor shows (no model of its own, so it can
#: be imported beside itpm's models).
PROJECT = table("project", column("code"), column("name"))


class FloorApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

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
