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
