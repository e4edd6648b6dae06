"""Seeded mutations: the hostile values issue 14 was found with, and ways to bend a document.

Everything draws from the `random.Random` it is given, so one seed gives one run.
"""

from __future__ import annotations

import copy
import os
import random
from typing import Any

#: Sequences that do something to a terminal (OSC 52 clipboard, title, clear, hyperlink, C1 CSI).
ESCAPES = (
    "\x1b]52;c;aXRwbS1mdXp6\x07",
    "\x1b]0;itpm-fuzz-title\x07",
    "\x1b[2J\x1b[H",
    "\x1b]8;;https://example.invalid/\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[31mred\x1b[0m",
    "\x9b2J",
    "\x9d0;c1-title\x9c",
    "\x1bP+q544e\x1b\\",
)
CONTROLS = ("\x00", "\x07", "\x08", "\r", "\x7f", "\x85", "\u202e", "\ufeff", "\u2028", "\x0b")
NOT_UTF8 = (os.fsdecode(b"\xff\xfe"), os.fsdecode(b"caf\xe9"), os.fsdecode(b"\xc3"))
NUMBERS = (
    "0",
    "-0",
    "-1",
    "0.001",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "99999999999999999999999999999999",
    "1_000",
    "1,5",
    "١٢٣",
    "0x10",
    " 7 ",
    "",
    "+5",
    "9" * 400,
    "12.345678901234567890",
    "-999999999.99",
)
DATES = (
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "10000-01-01",
    "-2026-01-01",
    "2026-1-1",
    "2026-03-18T10:00",
    "18/03/2026",
    "",
    "today",
    "2026-03-18 99:99",
    "1969-12-31",
    "2026-03-18\x00",
    "２０２６-０３-１８",
)


def long_text(rng: random.Random, full: bool) -> str:
    sizes = [256, 1_000, 5_000, 70_000] + ([1_000_000] if full else [])
    return rng.choice("AéZ→") * rng.choice(sizes)


def hostile(rng: random.Random, full: bool, *, kinds: str = "ecunld") -> str:
    """One hostile value: e(scape), c(ontrol), u(non-UTF-8), n(umber), l(ong), d(ate)."""
    kind = rng.choice(kinds)
    if kind == "e":
        return rng.choice(["", "x", "Projekt "]) + rng.choice(ESCAPES) + rng.choice(["", " end"])
    if kind == "c":
        return "a" + "".join(rng.choice(CONTROLS) for _ in range(rng.randint(1, 3))) + "b"
    if kind == "u":
        return "name" + rng.choice(NOT_UTF8)
    if kind == "n":
        return rng.choice(NUMBERS)
    if kind == "l":
        return long_text(rng, full)
    return rng.choice(DATES)


def mutate_value(rng: random.Random, value: Any, full: bool) -> Any:
    """A replacement for one JSON value: another type, a hostile string, a huge number…"""
    choice = rng.randrange(12)
    if choice <= 3:
        return hostile(rng, full)
    if choice == 4:
        return rng.choice([None, True, False, [], {}, 0, -1, 1.5, 10**30, -(10**30), 1e308])
    if choice == 5:
        return [value] * rng.randint(1, 3)
    if choice == 6:
        return {"x": value}
    if choice == 7:
        return nested(rng.randint(20, 500))
    if choice == 8 and isinstance(value, str):
        return value + rng.choice(ESCAPES)
    if choice == 9 and isinstance(value, str):
        return value * rng.randint(2, 40)
    if choice == 10 and isinstance(value, (int, float)) and not isinstance(value, bool):
        return rng.choice([value * 10**12, -value, value + 0.5, str(value)])
    return rng.choice(["", " ", "null", "0"])


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if len(prefix) >= 6:  # below the portfolio's own depth: deep values are replaced whole
        return found
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def mutate_document(rng: random.Random, document: Any, full: bool) -> Any:
    """One to three changes to a parsed JSON document: values, keys, duplicated rows,
    dropped rows or fields."""
    doc = copy.deepcopy(document)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            return mutate_value(rng, doc, full)
        path = rng.choice(paths)
        parent = _get(doc, path[:-1])
        last = path[-1]
        action = rng.randrange(10)
        if action <= 5:
            parent[last] = mutate_value(rng, parent[last], full)
        elif action == 6 and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))  # a duplicate row
        elif action == 7:
            del parent[last]
        elif action == 8 and isinstance(parent, dict):
            parent[hostile(rng, full, kinds="ecu")] = parent.pop(last)  # an odd key
        elif isinstance(parent, list) and parent:
            parent.extend(copy.deepcopy(parent[-1]) for _ in range(rng.choice([2, 50, 400])))
        else:
            parent[last] = mutate_value(rng, parent[last], full)
    return doc


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """Byte-level damage: flips, cuts, inserted controls or invalid UTF-8, a repeated slice."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not buf:
            buf += b"\xff"
            continue
        at = rng.randrange(len(buf))
        action = rng.randrange(6)
        if action == 0:
            buf[at] = rng.randrange(256)
        elif action == 1:
            del buf[at : at + rng.randint(1, 200)]
        elif action == 2:
            buf[at:at] = rng.choice(
                [b"\x00", b"\xff\xfe", b"\xc3", b"\x1b]52;c;eA==\x07", b"\x9b2J"]
            )
        elif action == 3:
            end = min(len(buf), at + rng.randint(1, 80))
            buf[at:at] = bytes(buf[at:end]) * rng.randint(2, 50)
        elif action == 4:
            buf = buf[:at]
        else:
            buf[at:at] = rng.choice(ESCAPES).encode("utf-8", "surrogateescape")
    return bytes(buf)
