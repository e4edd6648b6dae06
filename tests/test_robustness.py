"""The robustness harness of issue 14, short and seeded: each check with a few inputs, and the
instrument itself shown to catch what it is for (a planted traceback, partial write, hang,
raw escape). The full run is `python -m tests.robustness --full`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.robustness import harness

#: Inputs per check in the suite: the whole file stays well under 90 s on one core.
SHORT = {"cli": 30, "json": 20, "csv": 20, "mspdi": 12, "config": 30, "kill": 1}
#: Checks that find failures on main before the issue-14 fixes (escapes, rules, failures,
#: private) are merged. Strict: once the fixes make a check pass, remove it from here.
KNOWN_FAILING: set[str] = set()
SEED = 14


def _figures(name: str) -> dict[str, int]:
    from tests.robustness.__main__ import CHECKS, run_check

    assert name in CHECKS
    figures = run_check(name, False, SEED, SHORT[name], None)
    assert figures is not None
    return figures


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason="issue 14 fixes not merged yet")]
            if name in KNOWN_FAILING
            else [],
        )
        for name in SHORT
    ],
)
def test_check_finds_no_failure(name: str) -> None:
    from tests.robustness.__main__ import FAILING

    figures = _figures(name)
    assert figures["inputs"] >= SHORT[name]
    failures = {k: figures.get(k, 0) for k in FAILING if figures.get(k, 0)}
    found = [
        f"{f.kind}: {f.signature} <- {f.repro}"
        for t in harness.TALLIES
        if t.check == name
        for f in t.findings.values()
    ]
    assert not failures, "\n".join(found)


def test_a_traceback_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import itpm_tui.cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(itpm_tui.cli.cli, "main", broken)
    result = harness.run_inprocess(["person", "list"])
    tally = harness.Tally("planted")
    tally.judge(result, "itpm person list")
    assert result.traceback and tally.figures["tracebacks"] == 1
    assert "RuntimeError" in result.exception or b"(RuntimeError)" in result.stderr


def test_a_hang_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import itpm_tui.cli

    monkeypatch.setattr(itpm_tui.cli.cli, "main", lambda *a, **k: time.sleep(10))
    started = time.monotonic()
    result = harness.run_inprocess(["whoami"], wait=0.3)  # waiting
    assert result.hang and time.monotonic() - started < 5

    def spin(*args: object, **kwargs: object) -> None:
        while True:
            pass

    monkeypatch.setattr(itpm_tui.cli.cli, "main", spin)
    result = harness.run_inprocess(["whoami"], timeout=0.3, wait=30)  # computing
    assert result.hang and time.monotonic() - started < 25


def test_a_partial_write_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """An importer that writes and then refuses is what the partial-write figure counts."""
    from itpm_tui.errors import ItpmError
    from itpm_tui.formats import portfolio_json
    from tests.robustness.imports import FileInput, databases, fuzz_imports

    real = portfolio_json.import_json

    def writes_then_refuses(ctx: object, source: object, progress: object = None) -> object:
        real(ctx, source, progress)  # type: ignore[arg-type]
        raise ItpmError("planted refusal after the write")

    with harness.workspace("planted") as space:
        bases = databases(space, ["empty"])  # even an empty portfolio's import logs a line
        export = space.root / "empty.json"
        harness.run_inprocess(["--db", str(bases["empty"]), "export", "-o", str(export)])
        monkeypatch.setattr(portfolio_json, "import_json", writes_then_refuses)
        tally = harness.Tally("planted")
        good = FileInput("portfolio.json", export.read_bytes(), target="empty")
        fuzz_imports(tally, space, bases, [good])
    assert tally.figures["partial_writes"] == 1


@pytest.mark.parametrize(
    ("data", "raw"),
    [
        (b"plain text\n", False),
        ("caf\u00e9 \u2192 ok\n".encode(), False),
        (b"title \x1b]0;x\x07\n", True),
        ("c1 csi \u009b2J".encode(), True),
        (b"bare byte \x9b", True),
    ],
)
def test_raw_escapes_are_recognised(data: bytes, raw: bool) -> None:
    assert harness.has_raw_escape(data) is raw


@pytest.mark.parametrize("arg", ["FW-1", "a b", "x\x1b]0;t\x07", "caf\udce9", "A" * 300])
def test_a_reproduction_types_the_same_bytes(arg: str, tmp_path: Path) -> None:
    import os

    shown = subprocess.run(
        ["bash", "-c", f"printf %s {harness.shell_quote(arg)}"],
        capture_output=True,
        check=True,
    ).stdout
    assert shown == os.fsencode(arg)


def test_the_runner_prints_the_table_and_fails_on_a_finding(tmp_path: Path) -> None:
    """`python -m tests.robustness` as a user runs it: mspdi attacks only (no finding on
    main), then its exit status."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.robustness",
            "--only",
            "mspdi",
            "--count",
            "3",
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
    )
    assert re.search(r"check +\| inputs \| tracebacks \| partial writes", done.stdout)
    assert "mspdi" in done.stdout
    assert done.returncode == (1 if "distinct failures" in done.stdout else 0)
