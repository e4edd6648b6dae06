"""The domain, storage and services never load Textual: a test can call them without an App."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import itpm_tui

LOWER_LAYERS = ("itpm_tui.domain", "itpm_tui.storage", "itpm_tui.services")


def test_lower_layers_do_not_import_textual() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages(itpm_tui.__path__, "itpm_tui.")
        if m.name.startswith(LOWER_LAYERS) and ".migrations" not in m.name
    ]
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_widgets_do_not_import_screens() -> None:
    """Widgets sit below screens: a widget needing a dialog gets it from its host screen."""
    import ast
    from pathlib import Path

    widgets = Path(itpm_tui.__file__).parent / "widgets"
    upward = []
    for path in sorted(widgets.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            upward += [f"{path.name}: {n}" for n in names if n.startswith("itpm_tui.screens")]
    assert upward == []
