"""Fuzz `itpm import plan.xml` (Microsoft Project XML): the samples of tests/data/mspdi with
hostile element texts, damaged bytes, and the XML attacks (billion laughs, external
entities, quadratic blow-up, a DTD fetched over the network), which must all be refused."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from tests.robustness import harness, mutate
from tests.robustness.imports import FileInput, databases, fuzz_imports

FULL, SHORT = 2_000, 40
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "mspdi"
_NS = '<Project xmlns="http://schemas.microsoft.com/project">'


def attacks(secret: Path) -> list[tuple[str, bytes]]:
    """Each a plan that must be refused (or imported without the entity expanded)."""
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return [
        (
            "billion laughs",
            (
                f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY l0 "lol">{laughs}]>'
                f"{_NS}<Name>&l9;</Name><Tasks><Task><UID>1</UID><Name>&l9;</Name></Task></Tasks>"
                "</Project>"
            ).encode(),
        ),
        (
            "external entity (file)",
            (
                f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>'
                f"{_NS}<Name>&x;</Name><Tasks><Task><UID>1</UID><Name>&x;</Name>"
                "<OutlineLevel>1</OutlineLevel></Task></Tasks></Project>"
            ).encode(),
        ),
        (
            "external DTD over the network",
            (
                '<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://127.0.0.1:9/evil.dtd">'
                f"{_NS}<Name>x</Name></Project>"
            ).encode(),
        ),
        (
            "parameter entity",
            (
                f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY % p SYSTEM "file://{secret}">%p;]>'
                f"{_NS}<Name>x</Name></Project>"
            ).encode(),
        ),
        (
            "quadratic blow-up",
            (
                f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "{"A" * 50_000}">]>'
                f"{_NS}<Name>{'&a;' * 2_000}</Name></Project>"
            ).encode(),
        ),
        (
            "deep nesting",
            (
                f'<?xml version="1.0"?>{_NS}'
                + "<Tasks>" * 50_000
                + "</Tasks>" * 50_000
                + "</Project>"
            ).encode(),
        ),
    ]


def _hostile_texts(rng: random.Random, xml: str, full: bool) -> str:
    """Replace the text of one to three elements by a hostile value (XML-escaped, so the
    file stays well-formed and the value reaches the importer)."""
    spots = list(re.finditer(r">([^<>\n]+)</", xml))
    for _ in range(rng.randint(1, 3)):
        if not spots:
            break
        spot = rng.choice(spots)
        value = escape(mutate.hostile(rng, full)).replace("\x00", "")
        xml = xml[: spot.start(1)] + value + xml[spot.end(1) :]
        spots = list(re.finditer(r">([^<>\n]+)</", xml))
    return xml


def inputs(rng: random.Random, count: int, full: bool, secret: Path) -> Iterator[FileInput]:
    samples = {p.name: p.read_bytes() for p in sorted(SAMPLES.glob("*.xml"))}
    base = samples["office_move.xml"].decode("utf-8")
    for number in range(count):
        if number < len(attack_list := attacks(secret)) and number < count:
            label, data = attack_list[number]
            yield FileInput("plan.xml", data, ("--code", f"ATK-{number}"), label=label)
            continue
        roll = rng.random()
        if roll < 0.55:
            text = _hostile_texts(rng, base, full)
            data = text.encode("utf-8", "surrogateescape")
            label = "hostile element text"
        elif roll < 0.9:
            data = mutate.mutate_bytes(rng, rng.choice(list(samples.values())))
            label = "sample bytes damaged"
        else:
            label, data = rng.choice(attack_list)
            data = mutate.mutate_bytes(rng, data)
        code: tuple[str, ...] = ()
        if rng.random() < 0.5:
            code = ("--code", rng.choice(["OM-1", mutate.hostile(rng, full, kinds="ecul")]))
        yield FileInput("plan.xml", data, code, label=label)


def run(
    full: bool, seed: int, *, count: int | None = None, keep: Path | None = None
) -> dict[str, int]:
    tally = harness.new_tally("mspdi")
    rng = random.Random(f"mspdi-{seed}")
    with harness.workspace("mspdi") as space:
        secret = space.root / "secret.txt"
        secret.write_text("ITPM-SECRET-FROM-DISK", encoding="utf-8")
        bases = databases(space, ["small"])
        n = count if count is not None else (FULL if full else SHORT)
        fuzz_imports(
            tally,
            space,
            bases,
            inputs(rng, n, full, secret),
            subprocess_every=100 if full else 0,
            keep=keep,
            forbidden=b"ITPM-SECRET-FROM-DISK",
        )
    return tally.figures
