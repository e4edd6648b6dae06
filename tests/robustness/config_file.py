"""Fuzz the settings: `itpm config set KEY VALUE` with hostile keys and values, and hand-written
config files (TOML bent by `mutate`, damaged bytes, bytes that are not UTF-8) read by the
commands that load them.

Per input: no traceback; a refused `config set` leaves the file byte-identical and no
temporary file beside it; a read never changes the file; no ESC/C1 byte in what is printed
(`config show` prints stored values); a password in `database_url` is never printed.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path
from typing import Any

from tests.robustness import harness, mutate
from tests.robustness.harness import Tally, Workspace

FULL, SHORT = 2_000, 40
PASSWORD = "pa55-w0rd-fuzz"
VALID: dict[str, Any] = {
    "user": "ana",
    "theme": "nord",
    "refresh_seconds": 2.0,
    "currency": "EUR",
    "date_format": "%d.%m.%Y",
    "database_url": "",
    "risk_medium": 5,
    "risk_high": 10,
    "risk_critical": 16,
    "keymap": {"screen.projects": "f2"},
}
URLS = (
    f"postgresql://itpm:{PASSWORD}@db.example.invalid/itpm",
    f"postgresql+psycopg://itpm:{PASSWORD}@127.0.0.1:1/itpm",
    "sqlite:///{db}",
    "sqlite://",
    "mysql://root@localhost/x",
    "not a url",
    "sqlite:////no/such/folder/x.db",
)
READERS = (
    ["config", "show"],
    ["config", "keys"],
    ["config", "path"],
    ["whoami"],
    ["person", "list"],
    ["my"],
    ["changes"],
)


def _toml(value: Any) -> str:
    """A TOML value written by hand (tomli-w refuses what the fuzzer wants to write)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 32 else c for c in escaped)
        return f'"{escaped}"'
    if isinstance(value, list):
        depth = 0
        while isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            value, depth = value[0], depth + 1  # deep nesting is written flat, not recursed
        if depth:
            return "[" * depth + _toml(value) + "]" * depth
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    return '""'


def config_text(rng: random.Random, full: bool, db: Path, *, bent: bool = True) -> bytes:
    settings = dict(VALID)
    if not bent:
        return "\n".join(f'"{k}" = {_toml(v)}' for k, v in settings.items()).encode() + b"\n"
    settings["database_url"] = rng.choice(["", "", rng.choice(URLS).format(db=db)])
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        key = rng.choice([*settings, "unknown_key", mutate.hostile(rng, full, kinds="ecu")])
        settings[key] = mutate.mutate_value(rng, settings.get(key, ""), full)
    keymap = settings.pop("keymap", {})
    lines = [f'"{k}" = {_toml(v)}' for k, v in settings.items()]
    if isinstance(keymap, dict):
        lines.append("[keymap]")
        lines += [f'"{k}" = {_toml(v)}' for k, v in keymap.items()]
    else:
        lines.append(f"keymap = {_toml(keymap)}")
    data = "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n"
    if rng.random() < 0.25:
        data = mutate.mutate_bytes(rng, data)
    return data


def _one_set(rng: random.Random, full: bool, db: Path) -> list[str]:
    key = rng.choice(
        [*VALID, *VALID, "keymap.screen.projects", "nope", mutate.hostile(rng, full, kinds="ecul")]
    )
    value: str = rng.choice(
        [
            mutate.hostile(rng, full),
            str(VALID.get(key, "x")),
            rng.choice(URLS).format(db=db),
            rng.choice(["auto", "ansi-dark", "0.5", "600", "601", "%Y-%m-%d", "GBP", "XXX", "25"]),
        ]
    )
    return ["config", "set", key.replace("\x00", ""), value.replace("\x00", "")]  # no NUL in argv


def run(
    full: bool, seed: int, *, count: int | None = None, keep: Path | None = None
) -> dict[str, int]:
    tally = harness.new_tally("config")
    rng = random.Random(f"config-{seed}")
    with harness.workspace("config") as space:
        from tests.robustness.imports import databases

        small = databases(space, ["small"])["small"]
        n = count if count is not None else (FULL if full else SHORT)
        for number in range(1, n + 1):
            try:
                _one(
                    tally,
                    space,
                    rng,
                    full,
                    small,
                    number,
                    keep,
                    as_process=full and number % 50 == 0,
                )
            except Exception as exc:  # the harness failed, not itpm: say so, go on
                harness.harness_error(tally, ["config"], exc)
    return tally.figures


def _one(
    tally: Tally,
    space: Workspace,
    rng: random.Random,
    full: bool,
    small: Path,
    number: int,
    keep: Path | None,
    *,
    as_process: bool,
) -> None:
    folder = space.config.parent
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = space.root / "work.db"
    shutil.copyfile(small, db)
    if rng.random() < 0.5:  # `config set` on a good file (or none)
        if rng.random() < 0.8:
            space.config.write_bytes(config_text(rng, full, db, bent=False))
        argv = _one_set(rng, full, db)
        setting = True
    else:  # a hand-written file, read by a command
        space.config.write_bytes(config_text(rng, full, db))
        argv = list(rng.choice(READERS))
        if rng.random() < 0.5:
            argv = ["--db", str(db), *argv]
        setting = False
    before = space.config.read_bytes() if space.config.exists() else None
    listing = set(os.listdir(folder))
    if as_process and harness.fits_a_process(argv):
        result = harness.run_subprocess([os.fsencode(a) for a in argv], env=space.env())
    else:
        result = harness.run_inprocess(argv)
    repro = _repro(argv, before, keep, number)
    tally.judge(result, repro)
    after = space.config.read_bytes() if space.config.exists() else None
    if (result.code != 0 or not setting) and after != before:
        kind = "partial_writes" if setting else "other"
        tally.add(kind, f"`{harness.command_of(argv)}` changed the config file", repro)
    if result.code != 0 and harness.leftovers(folder, listing):
        tally.add(
            "partial_writes",
            f"`{harness.command_of(argv)}` left {harness.leftovers(folder, listing)[0]} behind",
            repro,
        )
    # the password the file holds (not one the user just typed as another key's value)
    stored = PASSWORD.encode() in (before or b"") + (after or b"")
    if stored and PASSWORD.encode() in result.stdout + result.stderr:
        tally.add("other", f"`{harness.command_of(argv)}` printed the database password", repro)
    if result.code not in (0, 2) and not result.hang and not result.traceback:
        tally.add("other", f"exit status {result.code}", repro)
    if setting and result.code == 0:  # what was stored is shown by `config show`
        shown = harness.run_inprocess(["config", "show"])
        tally.judge(shown, repro + " && itpm config show")
        if PASSWORD.encode() in shown.stdout + shown.stderr and _url_holds_password(after):
            tally.add("other", "`config show` printed the database password", repro)
    if (
        keep is not None
        and before is not None
        and any(f.repro.startswith(repro) for f in tally.findings.values())
    ):
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"config-{number:05d}.toml").write_bytes(before)


def _repro(argv: list[str], before: bytes | None, keep: Path | None, number: int) -> str:
    shown = " ".join(harness.shell_quote(a) for a in argv)
    if before is None:
        return f"itpm {shown}   # no config file"
    where = keep / f"config-{number:05d}.toml" if keep else "<the fuzzed config.toml>"
    return f"ITPM_CONFIG={where} itpm {shown}"


def _url_holds_password(config: bytes | None) -> bool:
    """Whether the saved `database_url` holds the password (typed as another key's value,
    say `user`, it is that key's value, shown as typed)."""
    import tomllib

    try:
        url = tomllib.loads((config or b"").decode("utf-8")).get("database_url", "")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True
    return isinstance(url, str) and PASSWORD in url
