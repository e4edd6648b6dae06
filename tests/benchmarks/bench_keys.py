"""Key pressed → the expected text on screen, as a user sees it, on a running dashboard.

    python tests/benchmarks/bench_keys.py [--sizes M L] [--rounds 5] [--width 200]
                                          [--height 60] [--filter P0999] [--rebuild]
                                          [--screens team budget …]

The dashboard runs in a tmux session of a fixed size on a private tmux server (as
`bench_startup.py` runs it, same environment). Each key is sent with `tmux send-keys`; the
clock starts just before and stops when `tmux capture-pane -p`, polled back to back (a
capture costs 1–3 ms), first shows what the key should bring. Between keys the dashboard is
left alone until its background work is done, so each figure is one key, not a queue.

Measured, beside the targets of issue 15:
- first visit of each screen (`2`…`8` from Projects, once each): its title and its data
  (≤ 300 ms at M, ≤ 600 ms at L);
- switching back to a screen already shown (`1`…`8` again, in turn, `--rounds` times): its
  title and data (≤ 50 ms);
- the Projects filter, per character typed then erased (`/` then `--filter` one character
  at a time, then as many backspaces): the summary line naming the filter as typed
  (≤ 50 ms at L).
`--screens` measures only the screens named (by title: `team`, `my-work`, …; Projects is
always where the dashboard opens and comes back to), and the filter only when `projects` is
named: one screen's figures in a fraction of the time.
The floor app (`floor_app.py`) runs first in the same terminal and environment: the first
visit of its second screen (20 rows read from the same file) and switching between its two
screens are the floor of the first two measures (the filter has none). Prints each screen's
figure, then a table of figures beside the floor with the targets, "meets" or "misses".
"""

from __future__ import annotations

import argparse
import re
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_startup
import portfolios
from figures import Figure, table
from floor_app import SECOND

TIMEOUT = 60.0
#: Quiet time after a key before the next: the screen's background work (detail, polls) ends.
SETTLE = 1.0

Shown = Callable[[str], bool]


@dataclass(frozen=True)
class ScreenMark:
    key: str
    title: str
    data: re.Pattern[str]  # on screen once the screen shows its rows

    def shown(self, screen: str) -> bool:
        lines = screen.splitlines()
        return bool(lines) and f" {self.title} — " in lines[0] and bool(self.data.search(screen))


SCREENS = (
    ScreenMark("1", "Projects", re.compile(r"\d+ of \d+ projects")),
    ScreenMark("2", "Timeline", re.compile(r"^\s+1\.1\s", re.M)),
    ScreenMark("3", "Budget", re.compile(r"^ Total\s+[\d,]+\.\d\d", re.M)),
    ScreenMark("4", "Risks", re.compile(r"· \d+ risks? ·")),
    ScreenMark("5", "Stakeholders", re.compile(r"\d+ of \d+ contacts")),
    ScreenMark("6", "My work", re.compile(r"\d+ open ·")),
    ScreenMark("7", "Team", re.compile(r"\d+ (people|person)\b")),
    ScreenMark("8", "What changed", re.compile(r"Since \w{3} \d{4}-\d\d-\d\d")),
)


def slug(mark: ScreenMark) -> str:
    """The screen's name for `--screens`: its title, lowercase, `-` for spaces."""
    return mark.title.lower().replace(" ", "-")


def picked(names: Sequence[str] | None) -> tuple[ScreenMark, ...]:
    """Projects, then the screens named (all of them when None), in the dashboard's order."""
    if names is None:
        return SCREENS
    unknown = set(names) - {slug(m) for m in SCREENS}
    if unknown:
        raise SystemExit(f"--screens: no screen {', '.join(sorted(unknown))}")
    return (SCREENS[0], *(m for m in SCREENS[1:] if slug(m) in names))


#: Targets (seconds) by measure and size; None: no target at that size.
TARGETS: dict[str, dict[str, float]] = {
    "first visit": {"M": 0.300, "L": 0.600},
    "switch back": {"M": 0.050, "L": 0.050},
    "filter key": {"L": 0.050},
}


class Dashboard:
    """One itpm dashboard in a tmux session of the terminals' private server."""

    def __init__(
        self,
        terminals: bench_startup.Terminals,
        db: Path,
        width: int,
        height: int,
        argv: list[str] | None = None,
    ):
        self.terminals = terminals
        self.name = f"keys{terminals.count}"
        terminals.count += 1
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(terminals.env.items()))
        argv = argv or [sys.executable, "-m", "itpm_tui", "--db", str(db)]
        line = f'exec env -i TERM="$TERM" {assignments} {shlex.join(argv)}'
        terminals.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), line
        )

    def screen(self) -> str:
        return self.terminals.tmux("capture-pane", "-p", "-t", self.name)

    def wait(self, shown: Shown, what: str) -> float:
        began = time.perf_counter()
        while True:
            screen = self.screen()
            if shown(screen):
                return time.perf_counter() - began
            if time.perf_counter() - began > TIMEOUT:
                raise SystemExit(f"{what}: not shown after {TIMEOUT:.0f} s:\n{screen}")

    def key(self, keys: str, shown: Shown, what: str, literal: bool = False) -> float:
        """Seconds from sending `keys` to `shown` being true of the screen."""
        args = ["send-keys", "-t", self.name, *(["-l"] if literal else []), keys]
        began = time.perf_counter()
        self.terminals.tmux(*args)
        while True:
            screen = self.screen()
            if shown(screen):
                return time.perf_counter() - began
            if time.perf_counter() - began > TIMEOUT:
                raise SystemExit(f"{what}: not shown after {TIMEOUT:.0f} s:\n{screen}")

    def close(self) -> None:
        self.terminals.tmux("kill-session", "-t", self.name)


def summary_line(screen: str) -> str:
    return next(
        (line for line in screen.splitlines() if re.search(r"\d+ of \d+ projects", line)), ""
    )


def filtered(needle: str) -> Shown:
    """The Projects summary names the filter as typed (none: no filter)."""

    def shown(screen: str) -> bool:
        line = summary_line(screen)
        if not needle:
            return bool(line) and "filter:" not in line
        return line.rstrip().endswith(f"filter: {needle}")

    return shown


def floor_keys(
    db: Path, args: argparse.Namespace, terminals: bench_startup.Terminals
) -> dict[str, list[float]]:
    """The floor app (`floor_app.py`) in the same terminal: the first visit of its second
    screen, then switching between its two screens `args.rounds` times (seconds)."""
    codes = bench_startup.any_of(bench_startup.project_codes(db))

    def first(screen: str) -> bool:
        return SECOND not in screen and codes(screen)

    def second(screen: str) -> bool:
        return SECOND in screen and codes(screen)

    argv = [sys.executable, str(Path(__file__).resolve().parent / "floor_app.py"), str(db)]
    board = Dashboard(terminals, db, args.width, args.height, argv)
    found: dict[str, list[float]] = {"floor first visit": [], "floor switch back": []}
    try:
        board.wait(first, "the floor app")
        time.sleep(args.settle)
        found["floor first visit"].append(board.key("2", second, "the floor's second screen"))
        time.sleep(args.settle)
        for _ in range(args.rounds):
            for key, shown in (("1", first), ("2", second)):
                found["floor switch back"].append(board.key(key, shown, f"floor screen {key}"))
                time.sleep(args.settle)
    finally:
        board.close()
    return found


def measure(size: str, args: argparse.Namespace, terminals: bench_startup.Terminals) -> dict:
    db = portfolios.build(size, rebuild=args.rebuild)
    config = portfolios.cache_dir() / f"config-{size}.toml"
    config.write_text(f'user = "{portfolios.technician(size)}"\n')
    return measure_file(db, config, size, args, terminals)


def measure_file(
    db: Path,
    config: Path,
    size: str,
    args: argparse.Namespace,
    terminals: bench_startup.Terminals,
) -> dict[str, list[float]]:
    """Every measure on the dashboard of `db` (seconds), printing each screen's figure; the
    floor app's first visit and switch back before them (`floor first visit`, `floor switch
    back`)."""
    terminals.env = bench_startup.environment(config, no_color=False)
    found = floor_keys(db, args, terminals)
    marks = picked(args.screens)
    board = Dashboard(terminals, db, args.width, args.height)
    found.update({"first visit": [], "switch back": [], "filter key": []})
    settle = args.settle
    try:
        board.wait(SCREENS[0].shown, "Projects")
        time.sleep(settle * 3)  # the detail, the glance and the first poll
        per_screen: dict[str, float] = {}
        for mark in marks[1:]:
            took = board.key(mark.key, mark.shown, f"{mark.title} (first visit)")
            per_screen[mark.title] = took
            found["first visit"].append(took)
            time.sleep(settle)
        back: dict[str, list[float]] = {m.title: [] for m in marks}
        for _ in range(args.rounds):
            for mark in marks:
                took = board.key(mark.key, mark.shown, f"{mark.title} (again)")
                back[mark.title].append(took)
                found["switch back"].append(took)
                time.sleep(settle)
        if args.screens is None or "projects" in args.screens:
            board.key("1", SCREENS[0].shown, "Projects")
            time.sleep(settle)
            board.key("/", lambda s: "filter: words" in s, "the filter box")
            time.sleep(settle)
            typed = ""
            for char in args.filter:
                typed += char
                found["filter key"].append(
                    board.key(char, filtered(typed), f"filter {typed!r}", True)
                )
                time.sleep(settle)
            for _ in args.filter:
                typed = typed[:-1]
                found["filter key"].append(
                    board.key("BSpace", filtered(typed), f"filter {typed!r}")
                )
                time.sleep(settle)
            board.key("Escape", filtered(""), "filter closed")
    finally:
        board.close()
    for title, took in per_screen.items():
        print(f"# {size} first visit {title:<13} {took * 1000:7.0f} ms", flush=True)
    for title, times in back.items():
        print(
            f"# {size} switch back {title:<13} {statistics.median(times) * 1000:7.0f} ms",
            flush=True,
        )
    return found


def figures_of(
    size: str, found: dict[str, list[float]], screens: Sequence[str] | None = None
) -> list[Figure]:
    """Each screen's first visit, then the median (and worst) switch back and filter key
    (those measured: `screens`, see `picked`)."""
    floor_visit = _ms(_median(found.get("floor first visit")))
    out = []
    marks = picked(screens)
    for mark, took in zip(marks[1:], found["first visit"], strict=True):
        out.append(
            Figure(
                f"first visit: {mark.title}",
                size,
                took * 1000,
                floor=floor_visit,
                target=_ms(TARGETS["first visit"].get(size)),
            )
        )
    for label, what in (("switch back", "switch back to a screen"), ("filter key", "`/` filter")):
        times = found[label]
        if not times:
            continue
        note = f"median of {len(times)}, worst {max(times) * 1000:,.0f} ms"
        what = f"{what}, per character" if label == "filter key" else what
        out.append(
            Figure(
                what,
                size,
                statistics.median(times) * 1000,
                floor=_ms(_median(found.get(f"floor {label}"))),
                target=_ms(TARGETS[label].get(size)),
                note=note,
            )
        )
    return out


def _median(times: list[float] | None) -> float | None:
    return statistics.median(times) if times else None


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def results(
    sizes: Sequence[str],
    *,
    quick: bool = False,
    rounds: int = 5,
    width: int = 200,
    height: int = 60,
    filter_text: str = "P0999",
    settle: float = SETTLE,
    rebuild: bool = False,
    screens: Sequence[str] | None = None,
) -> list[Figure]:
    """Every key measure at each size (`quick`: one round, keys 0.2 s apart, two characters),
    or those of the `screens` named (see `picked`)."""
    if quick:
        rounds, settle, filter_text = 1, 0.2, filter_text[:2]
    args = argparse.Namespace(
        rounds=rounds,
        width=width,
        height=height,
        filter=filter_text,
        settle=settle,
        rebuild=rebuild,
        screens=screens,
    )
    picked(screens)  # a name that is no screen is told before any portfolio is opened
    terminals = bench_startup.Terminals(poll=0)
    out: list[Figure] = []
    try:
        for size in sizes:
            out += figures_of(size, measure(size, args, terminals), screens)
    finally:
        terminals.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"], choices=portfolios.ALL_SIZES)
    parser.add_argument("--rounds", type=int, default=5, help="times each screen is revisited")
    parser.add_argument("--width", type=int, default=200)
    parser.add_argument("--height", type=int, default=60)
    parser.add_argument("--filter", default="P0999", help="typed into the Projects filter")
    parser.add_argument("--settle", type=float, default=SETTLE, help="seconds between keys")
    parser.add_argument("--rebuild", action="store_true", help="build the portfolios again")
    names = ", ".join(slug(m) for m in SCREENS)
    parser.add_argument("--screens", nargs="+", metavar="SCREEN", help=f"only these: {names}")
    args = parser.parse_args()
    found = results(
        args.sizes,
        rounds=args.rounds,
        width=args.width,
        height=args.height,
        filter_text=args.filter,
        settle=args.settle,
        rebuild=args.rebuild,
        screens=args.screens,
    )
    print(f"\nkey → expected text on screen at {args.width}×{args.height}, milliseconds")
    print(table(found))


if __name__ == "__main__":
    main()
