"""An import reads only a regular file of a bounded size, and says why not in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_tui.errors import ItpmError
from itpm_tui.formats.input_file import read_input


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b'{"format": "itpm"}')
    assert read_input(path) == b'{"format": "itpm"}'


def test_what_is_not_a_regular_file_is_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # nobody writes: reading it would wait for ever
    device = tmp_path / "zero.json"
    device.symlink_to("/dev/zero")  # reading it would never end
    for path, said in ((fifo, "not a regular file"), (device, "not a regular file")):
        with pytest.raises(ItpmError, match=said):
            read_input(path)
    with pytest.raises(ItpmError, match="directory"):
        read_input(tmp_path)
    with pytest.raises(ItpmError, match="does not exist"):
        read_input(tmp_path / "missing.json")


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 101)
    with pytest.raises(ItpmError, match="101 bytes is more than the 100"):
        read_input(path, limit=100)
    assert read_input(path, limit=101) == b"x" * 101


@pytest.mark.parametrize("command", [["import", "z.json"], ["holidays", "import", "z.ics"]])
def test_the_cli_refuses_a_device_in_one_line(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / command[-1]).symlink_to("/dev/full")
    done = subprocess.run(
        [sys.executable, "-m", "itpm_tui", "--db", str(tmp_path / "x.db"), *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"itpm: cannot import {command[-1]}: it is not a regular file (a device or a pipe)"
    ]
