"""One measured figure, as every benchmark script returns it, and the table that shows them.

Each script's `results(sizes, quick=...)` returns `Figure`s; its own `main` prints them and
`python -m tests.benchmarks` gathers every script's into one table with the machine they were
measured on. A figure is itpm's value beside the same measure of a floor (the bare Textual
app, a stdlib-only import, or taskwarrior) where there is one, and its target: either a most
value (milliseconds, seconds, MB) or a most ratio to that floor.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """itpm's `value` of one measure at one size (`unit`: ms, s or MB), beside the floor's."""

    what: str
    size: str
    value: float
    unit: str = "ms"
    floor: float | None = None  # the same measure of the floor, in `unit`
    floor_name: str = "floor"  # or "taskwarrior", "stdlib import"
    target: float | None = None  # the most `value` may be, or the most ratio (`per_floor`)
    per_floor: bool = False  # the target is a ratio to the floor
    cpu: float | None = None  # CPU time of the measure in `unit`, where known
    note: str = ""  # e.g. "median of 7", "worst 1,441"

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def meets(self) -> bool | None:
        """Whether the target is met; None without a target (or a floor for a ratio)."""
        if self.target is None:
            return None
        if self.per_floor:
            ratio = self.ratio
            return None if ratio is None else ratio <= self.target
        return self.value <= self.target

    @property
    def verdict(self) -> str:
        return {True: "meets", False: "misses", None: ""}[self.meets]

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        if self.per_floor:
            return f"≤ {_number(self.target)}× {self.floor_name}"
        return f"≤ {_number(self.target)} {self.unit}"


def _number(value: float) -> str:
    if abs(value - 1 / 3) < 1e-9:
        return "⅓"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"


def shown(value: float | None, unit: str) -> str:
    """A figure in its unit, precise enough to compare (ms whole, s to the millisecond)."""
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:,.1f} {unit}"


HEADINGS = ("figure", "size", "floor", "itpm", "ratio", "target", "verdict")


def cells(figure: Figure) -> tuple[str, ...]:
    ratio = figure.ratio
    floor = shown(figure.floor, figure.unit)
    if figure.floor is not None and figure.floor_name != "floor":
        floor = f"{floor} ({figure.floor_name})"
    value = shown(figure.value, figure.unit)
    if figure.cpu is not None:
        value = f"{value} (cpu {shown(figure.cpu, figure.unit)})"
    what = f"{figure.what} ({figure.note})" if figure.note else figure.what
    return (
        what,
        figure.size,
        floor,
        value,
        "—" if ratio is None else f"{ratio:.2f}×",
        figure.target_text(),
        figure.verdict,
    )


def table(figures: list[Figure], markdown: bool = False) -> str:
    """The figures as aligned text columns, or as a Markdown table for the README."""
    rows = [HEADINGS, *(cells(f) for f in figures)]
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "|".join("---" for _ in HEADINGS) + "|")
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    left = {0, 1, 5, 6}
    lines = [
        "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass(frozen=True)
class Machine:
    """What the figures were measured on."""

    cpu: str
    cores: int
    ram_gb: float
    python: str
    system: str

    def lines(self, load_before: tuple[float, ...], load_after: tuple[float, ...]) -> list[str]:
        def load(values: tuple[float, ...]) -> str:
            return " ".join(f"{v:.2f}" for v in values)

        return [
            f"machine: {self.cpu}, {self.cores} cores, {self.ram_gb:.1f} GB RAM, {self.system}",
            f"python {self.python}; load average (1, 5, 15 min) {load(load_before)} at start, "
            f"{load(load_after)} at end",
        ]


def machine() -> Machine:
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        ram_gb=_ram_bytes() / 1024**3,
        python=sys.version.split()[0],
        system=f"{platform.system()} {platform.release()}",
    )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _ram_bytes() -> float:
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 0.0
