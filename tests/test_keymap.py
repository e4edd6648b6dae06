"""Keys are the user's: the `[keymap]` table of the config, `itpm config keys`, the registry."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from conftest import make_app, settle

from itpm_tui.config import config_path, load_settings, set_value
from itpm_tui.errors import ConfigError
from itpm_tui.screens.registry import SCREENS, binding_classes, key_rows, own_bindings
from itpm_tui.services.context import Context


def write_config(text: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_every_binding_has_an_id_and_no_id_is_shared() -> None:
    """A keymap entry moves every binding carrying its id, so each id names one binding."""
    bindings = [(cls.__name__, b) for cls in binding_classes() for b in own_bindings(cls)]
    assert [f"{name}: {b.key}" for name, b in bindings if not b.id] == []
    shared = [i for i, n in Counter(b.id for _name, b in bindings).items() if n > 1]
    assert shared == []
    assert [row.id for row in key_rows()][: len(SCREENS)] == [e.binding_id for e in SCREENS]


def test_keymap_from_the_file() -> None:
    write_config('[keymap]\n"screen.projects" = "f2"\n"risks.add" = "ctrl+n, insert"\n')
    assert load_settings().keymap == {"screen.projects": "f2", "risks.add": "ctrl+n,insert"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[keymap]\n"screen.nowhere" = "f2"\n', 'keymap."screen.nowhere": unknown binding id'),
        ('[keymap]\n"screen.projects" = "f99"\n', "keymap.\"screen.projects\": 'f99' is not a key"),
        ('[keymap]\n"screen.projects" = "hyperx+a"\n', "'hyperx\\+a' is not a key"),
        ('[keymap]\n"screen.projects" = "f2,,f3"\n', "'' is not a key"),
        ('[keymap]\n"screen.projects" = ""\n', 'keymap."screen.projects": must be text'),
        ('[keymap]\n"screen.projects" = 2\n', 'keymap."screen.projects": must be text'),
        ('keymap = "f2"\n', "keymap: must be a \\[keymap\\] table"),
    ],
)
def test_bad_keymap_in_the_file_names_the_key(toml: str, message: str) -> None:
    write_config(toml)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings()
    assert str(caught.value).startswith(str(config_path()))


def test_keymap_is_not_set_from_the_command_line_and_file_unchanged() -> None:
    write_config('[keymap]\n"quit" = "ctrl+x"\n')
    before = config_path().read_bytes()
    with pytest.raises(ConfigError, match="keymap: must be a"):
        set_value("keymap", "f2")
    set_value("currency", "GBP")  # other keys keep the table
    assert load_settings().keymap == {"quit": "ctrl+x"}
    assert before != config_path().read_bytes()


def test_config_keys_lists_every_binding_with_the_users_keys() -> None:
    write_config('[keymap]\n"screen.timeline" = "f3"\n')
    result = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "config", "keys"],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [row.id for row in key_rows()]
    by_id = {line.split()[0]: line.split(maxsplit=1)[1] for line in lines}
    assert by_id["screen.timeline"].split()[0] == "f3"
    assert by_id["screen.timeline"].endswith("(default 2)")
    assert by_id["screen.projects"].split()[0] == "1"
    assert by_id["risks.add"].split() == ["n", "Add", "a", "risk"]
    assert by_id["help"].split()[0] == "question_mark,f1"


async def test_a_remapped_key_switches_screen(ctx: Context) -> None:
    from itpm_tui.screens.help import HelpScreen
    from itpm_tui.screens.projects import ProjectsScreen
    from itpm_tui.screens.timeline import TimelineScreen

    app = make_app(ctx, keymap={"screen.timeline": "f2", "screen.projects": "f5"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        await pilot.press("2")  # the key it had is free now
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "`f2` Timeline" in app.screen.query_one("Markdown").source  # type: ignore[attr-defined]
        await pilot.press("escape", "f5")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
