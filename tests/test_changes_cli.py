"""`itpm changes` through `main([...])` from an empty file, days simulated with ITPM_TODAY."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_task_cli import Run

ROOT = Path(__file__).resolve().parent.parent
MON, WED, FRI, NEXT_MON = "2026-03-09", "2026-03-11", "2026-03-13", "2026-03-16"


@pytest.fixture
def itpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    """A week: two tasks of FW worked on, one of WIFI; a stranger's text in a name."""
    run = Run(tmp_path / "plan.db", capsys, monkeypatch)
    run.ok("config", "set", "user", "ana", today=MON)
    run.ok("person", "add", "Ana Tech", "--handle", "ana", today=MON)
    run.ok("project", "add", "FW", "Firewall", "--start", MON, today=MON)
    run.ok("project", "add", "WIFI", "Wi-Fi", "--start", MON, today=MON)
    run.ok("task", "add", "FW", "Rack *the* [b]box[/b]", "--duration", "2d", today=MON)
    run.ok("task", "add", "FW", "Cut over", "--duration", "1d", today=MON)
    run.ok("task", "add", "WIFI", "Survey", "--duration", "3d", today=MON)
    run.ok("task", "start", "FW", "1", today=MON)
    run.ok("task", "done", "FW", "1", today=WED)
    run.ok("task", "block", "FW", "2", "--reason", "no window", today=WED)
    run.ok("task", "start", "WIFI", "1", today=FRI)
    return run


def test_prints_a_week_by_project_in_plain_words(itpm: Run) -> None:
    out = itpm.ok("changes", "--since", MON, today=NEXT_MON)
    lines = out.splitlines()
    assert lines[0] == f"What changed since Mon {MON} to {NEXT_MON}"
    fw = lines.index("FW Firewall")
    wifi = lines.index("WIFI Wi-Fi")
    assert fw < wifi
    block = lines[fw:wifi]
    assert "  ✓ done      finished Rack *the* [b]box[/b] — ana" in block
    assert "  ■ blocked   Cut over blocked: no window — ana" in block
    assert "  ▶ started   started Survey — ana" in lines[wifi:]


def test_since_defaults_to_a_week_and_can_be_narrowed(itpm: Run) -> None:
    out = itpm.ok("changes", today="2026-03-17")
    assert out.startswith("What changed since Tue 2026-03-10 ")
    assert "started Rack" not in out and "finished Rack" in out
    only = itpm.ok("changes", "--since", FRI, today=NEXT_MON)
    assert "FW Firewall" not in only and "started Survey" in only


def test_project_and_person_filters(itpm: Run) -> None:
    out = itpm.ok("changes", "--since", MON, "--project", "wifi", today=NEXT_MON)
    assert "FW Firewall" not in out and "WIFI Wi-Fi" in out and "· WIFI" in out.splitlines()[0]
    nobody = itpm.ok("changes", "--since", MON, "--person", "bob", today=NEXT_MON)
    assert nobody.splitlines()[1:] == ["nothing changed"]


def test_markdown_escapes_user_text(itpm: Run) -> None:
    out = itpm.ok("changes", "--since", MON, "--format", "md", today=NEXT_MON)
    assert out.startswith("# What changed since Mon 2026")
    assert "## FW Firewall" in out
    assert "- ✓ **done** finished Rack \\*the\\* \\[b\\]box\\[/b\\] — ana" in out


def test_json_shape(itpm: Run) -> None:
    doc = json.loads(itpm.ok("changes", "--since", MON, "--format", "json", today=NEXT_MON))
    assert set(doc) == {
        "format", "since", "today", "last_standup", "project", "person", "people", "projects"
    }  # fmt: skip
    assert (doc["format"], doc["since"], doc["today"]) == ("itpm-changes/1", MON, NEXT_MON)
    assert doc["people"] == ["ana"]
    fw = doc["projects"][0]
    assert (fw["code"], fw["name"], fw["currency"]) == ("FW", "Firewall", "EUR")
    done = fw["changes"][0]
    assert set(done) == {"kind", "symbol", "text", "who", "day"}
    assert done == {
        "kind": "done",
        "symbol": "✓",
        "text": "finished Rack *the* [b]box[/b]",
        "who": ["ana"],
        "day": WED,
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--since", "2026-02-30"), "since: "),
        (("--since", "2026-04-01"), "since: must be today (2026-03-16) or earlier"),
        (("--project", "ZZ"), "no project with code 'ZZ'"),
        (("--format", "pdf"), "format: must be one of txt, md, json, not 'pdf'"),
        (("--person", " "), "person: needs a handle"),
    ],
)
def test_bad_input_is_one_line_exit_2(itpm: Run, args: tuple[str, ...], words: str) -> None:
    assert words in itpm.refused("changes", *args, today=NEXT_MON)


def test_itpm_changes_never_loads_textual(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom itpm_tui.cli import main\n"
        f"try:\n    main(['--db', {str(tmp_path / 'x.db')!r}, 'changes'])\n"
        "except SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "itpm_tui.queries.changes" in out.stdout.split()
    assert not {m for m in out.stdout.split() if m.split(".")[0] in ("textual", "rich")}
