"""The architecture holds: layer contracts, and a start-up that loads only what it shows.

The contracts themselves live in pyproject.toml (`[tool.importlinter]`): the rules, storage,
reads, writes and files never import the UI; the domain builds no SQL; screens and widgets
ask queries and services instead of building SQL; widgets never import screens.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import itpm_tui

ROOT = Path(__file__).resolve().parent.parent
LOWER_LAYERS = (
    "itpm_tui.domain",
    "itpm_tui.storage",
    "itpm_tui.queries",
    "itpm_tui.services",
    "itpm_tui.formats",
    "itpm_tui.reports",
    "itpm_tui.demo",
)


def _loaded_after(code: str) -> set[str]:
    """The top-level packages and itpm modules a fresh interpreter holds after `code`."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(out.stdout.split())


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run(
        [str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "BROKEN" not in out.stdout


def test_lower_layers_do_not_import_textual() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages(itpm_tui.__path__, "itpm_tui.")
        if m.name.startswith(LOWER_LAYERS) and ".migrations" not in m.name
    ]
    assert len(modules) > 30
    loaded = _loaded_after("\n".join(f"import {name}" for name in modules))
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_the_app_module_loads_no_database_plotting_or_files() -> None:
    """The first frame waits for nothing it does not draw: SQLAlchemy, plotext, the file
    formats, reports and screens other than the first load when first used."""
    loaded = _loaded_after("import itpm_tui.app")
    heavy = {"sqlalchemy", "sqlmodel", "alembic", "plotext", "textual_plotext"}
    assert not heavy & {m.split(".")[0] for m in loaded}
    deferred = ("itpm_tui.formats", "itpm_tui.reports", "itpm_tui.demo", "itpm_tui.queries")
    assert not [m for m in loaded if m.startswith(deferred)]


def test_the_command_line_loads_no_ui_for_a_one_shot_command() -> None:
    """`itpm --version`, `itpm config …` and the like answer without loading Textual."""
    loaded = _loaded_after("import itpm_tui.cli")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "sqlalchemy", "plotext")}
