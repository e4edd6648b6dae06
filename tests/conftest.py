"""Shared fixtures: a real database per test — a SQLite file, or for a module marked
`both_backends` each test twice, on a SQLite file and on a PostgreSQL database of a
throwaway server (`tests.postgres`) — a fixed user and a fixed "today"."""

from __future__ import annotations

import inspect
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

from itpm_tui.services.context import Context
from itpm_tui.storage.database import Database, open_database, sqlite_url

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from itpm_tui.app import ItpmApp
    from tests.postgres import Cluster

TODAY = date(2026, 3, 18)  # a Wednesday

# A busy machine slows generating examples, not what the properties check: no test fails
# for it (each test's own `settings` still add what it needs).
settings.register_profile("itpm", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("itpm")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config or database."""
    monkeypatch.setenv("ITPM_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # crash files
    monkeypatch.delenv("ITPM_DB", raising=False)
    monkeypatch.setenv("USER", "tester")


@pytest.fixture(autouse=True)
def _no_cursor_blink(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot never catches a text cursor mid-blink: every Input and TextArea in a test
    that takes a picture starts with its cursor steady."""
    if "snap_compare" not in request.fixturenames:
        return
    from textual.reactive import reactive
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        steady: reactive[bool] = reactive(False, init=False)
        steady.__set_name__(widget, "cursor_blink")
        monkeypatch.setattr(widget, "cursor_blink", steady)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "itpm.db"


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty migrated database and the demo one, made once per test process: migrating
    costs more than most tests, and every test gets its own copy of the file."""
    from itpm_tui.demo.builder import build_demo

    folder = tmp_path_factory.mktemp("templates")
    empty, demo = folder / "empty.db", folder / "demo.db"
    open_database(sqlite_url(empty)).dispose()
    shutil.copyfile(empty, demo)
    database = open_database(sqlite_url(demo))
    build_demo(Context(database, "tester", clock=lambda: TODAY))
    database.dispose()  # the last connection folds the WAL into the file
    return {"empty": empty, "demo": demo}


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: run each test on SQLite and on PostgreSQL (the db fixture)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `both_backends` that uses the database runs once per backend — but a
    test driving a screen (async, Pilot) on SQLite only: the screens ask the same queries and
    services, and the suite's time stays reasonable."""
    marked = metafunc.definition.get_closest_marker
    if "backend_name" in metafunc.fixturenames and marked("both_backends"):
        screen = inspect.iscoroutinefunction(metafunc.function)
        backends = BACKENDS[:1] if screen else BACKENDS
        metafunc.parametrize("backend_name", backends, indirect=True)


@pytest.fixture
def backend_name(request: pytest.FixtureRequest) -> str:
    """Which backend the `db` fixture opens: SQLite unless the test is parametrized."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server of this test process, stopped and removed at the end of the
    session whatever happened (each pytest-xdist worker runs its own). The folder is under
    /tmp, not pytest's: the server's Unix socket path must stay short, and as root the
    server runs as `postgres`, which cannot enter pytest's private folders."""
    from tests.postgres import throwaway_cluster

    with throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def _postgres_templates(postgres_cluster: Cluster) -> dict[str, str]:
    """Template databases, made once per session: `empty` migrated to head by the code of
    `itpm db upgrade`, `demo` that with the demo portfolio built in."""
    from itpm_tui.demo.builder import build_demo
    from itpm_tui.storage.database import upgrade_database

    empty = "itpm_empty"
    upgrade_database(postgres_cluster.create(empty))
    demo = "itpm_demo"
    database = open_database(postgres_cluster.create(demo, template=empty))
    build_demo(Context(database, "tester", clock=lambda: TODAY))
    database.dispose()  # a template is copied only with no one connected
    return {"empty": empty, "demo": demo}


_numbers = itertools.count(1)


@contextmanager
def _postgres_database(cluster: Cluster, templates: dict[str, str], template: str) -> Iterator[str]:
    name = f"t{os.getpid()}_{next(_numbers)}"
    url = cluster.create(name, template=templates[template])
    try:
        yield url
    finally:
        cluster.drop(name)  # WITH (FORCE): a connection a test left open does not stop it


@pytest.fixture
def postgres_url(postgres_cluster: Cluster, _postgres_templates: dict[str, str]) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database at this release's schema (`itpm db upgrade`'s
    code path), dropped after the test."""
    with _postgres_database(postgres_cluster, _postgres_templates, "empty") as url:
        yield url


@pytest.fixture
def postgres_empty_url(postgres_cluster: Cluster) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database with no tables at all."""
    with _postgres_database(postgres_cluster, {"none": "template0"}, "none") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh database at this release's schema: a SQLite file, then a
    PostgreSQL database (the test runs once with each)."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    templates: dict[str, Path] = request.getfixturevalue("_templates")
    path = tmp_path / "any.db"
    shutil.copyfile(templates["empty"], path)
    return sqlite_url(path)


@pytest.fixture
def db(
    db_path: Path, _templates: dict[str, Path], request: pytest.FixtureRequest, backend_name: str
) -> Iterator[Database]:
    demo = "demo_ctx" in request.fixturenames
    if backend_name == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        templates = request.getfixturevalue("_postgres_templates")
        with _postgres_database(cluster, templates, "demo" if demo else "empty") as url:
            database = open_database(url)
            yield database
            database.dispose()
        return
    if not db_path.exists():
        shutil.copyfile(_templates["demo" if demo else "empty"], db_path)
    database = open_database(sqlite_url(db_path))
    yield database
    database.dispose()


@pytest.fixture
def ctx(db: Database) -> Context:
    return Context(db, "tester", clock=lambda: TODAY)


@pytest.fixture
def demo_ctx(ctx: Context) -> Context:
    """The demo portfolio, placed around the fixed TODAY (copied from the one built once)."""
    return ctx


def make_app(ctx: Context, **settings: object) -> ItpmApp:
    from itpm_tui.app import ItpmApp
    from itpm_tui.config import Settings

    values: dict[str, object] = {"user": "tester", "refresh_seconds": 0.5, **settings}
    return ItpmApp(ctx, Settings(**values))  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the screen has its data and no worker is busy."""
    from textual.worker import WorkerCancelled

    from itpm_tui.screens.live import LiveScreen

    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # an exclusive worker was replaced by a newer one: wait for that
        screen = app.screen
        if not isinstance(screen, LiveScreen) or not screen.is_stale:
            break
    await pilot.pause()


def version_of(db: Database, model: type[Any], row_id: int) -> int:
    """The row's stored version: what a test edits from, as a form shows it."""
    with db.read() as session:
        row = session.get(model, row_id)
        assert row is not None, f"{model.__tablename__} {row_id} does not exist"
        return int(row.version)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`itpm ARGS` in this process: its exit status, standard output and standard error."""
    from itpm_tui.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
