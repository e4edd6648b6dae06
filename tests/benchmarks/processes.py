"""A command run as a whole process, measured: wall seconds, CPU seconds and peak RSS.

A child's peak RSS (`ru_maxrss`) starts at its parent's RSS when it is forked, so a command
forked by a benchmark holding a portfolio in memory would be charged the benchmark's memory.
A small launcher (`LAUNCHER`) forks the command instead and reports the command's own
rusage (`os.wait4`) on a pipe; its wall time starts at the spawn, after the launcher's own
start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import NamedTuple

LAUNCHER = """
import os, sys, time
report, command = int(sys.argv[1]), sys.argv[2:]
began = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - began
os.write(report, f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}".encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Measured(NamedTuple):
    seconds: float  # wall
    cpu: float  # user + system
    rss_mb: float  # peak resident set


def measure_process(argv: list[str], env: dict[str, str]) -> Measured:
    """Run `argv` (output discarded) and measure it; `SystemExit` naming it if it failed."""
    read_end, write_end = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-S", "-c", LAUNCHER, str(write_end), *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
    child.wait()
    with os.fdopen(read_end, "rb") as report:
        said = report.read().decode().split()
    if child.returncode != 0 or len(said) != 3:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {errors.strip()}")
    seconds, cpu, rss_kib = (float(x) for x in said)
    return Measured(seconds, cpu, rss_kib / 1024)  # KiB on Linux
