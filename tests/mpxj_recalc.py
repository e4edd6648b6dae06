"""Recalculate MS Project XML files the way MS Project does on opening them, with MPXJ's
`MicrosoftScheduler` (an independent Java implementation of MS Project's scheduling), and
print each task's dates before and after.

    python -m tests.mpxj_recalc PLAN.xml [PLAN.xml ...]

Prints one JSON object per file, one a line: {"file", "tasks": {UID: {"name", "written":
[start, finish], "recalculated": [start, finish], "critical"}}} with ISO date-times. It
needs the test extra `recalc` (`pip install ".[test,recalc]"`: the `mpxj` package with its
jars, and JPype1) and a Java runtime 11 or newer; `unavailable()` says what is missing. The
tests run it in a child process so the JVM never lives in the test process.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from typing import Any


def unavailable() -> str:
    """Why the recalculation cannot run here ("" when it can)."""
    for module, package in (("jpype", "JPype1"), ("mpxj", "mpxj")):
        if importlib.util.find_spec(module) is None:
            return f"no {package} package (pip install '.[recalc]')"
    import jpype

    try:
        jpype.getDefaultJVMPath()
    except jpype.JVMNotFoundException:
        return "no Java runtime (apt-get install default-jre-headless)"
    return ""


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)


def recalculate(paths: list[str]) -> list[dict[str, Any]]:
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    jpype.startJVM()
    from org.mpxj.cpm import MicrosoftScheduler  # type: ignore[import-not-found]
    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    out = []
    for path in paths:
        plan = UniversalProjectReader().read(path)
        tasks: dict[str, dict[str, Any]] = {}
        for task in plan.getTasks():
            uid = int(task.getUniqueID())
            if uid != 0:
                tasks[str(uid)] = {
                    "name": str(task.getName()),
                    "written": [_iso(task.getStart()), _iso(task.getFinish())],
                }
        MicrosoftScheduler().schedule(plan, plan.getProjectProperties().getStartDate())
        for task in plan.getTasks():
            uid = int(task.getUniqueID())
            if uid != 0:
                tasks[str(uid)]["recalculated"] = [_iso(task.getStart()), _iso(task.getFinish())]
                tasks[str(uid)]["critical"] = bool(task.getCritical())
        out.append({"file": path, "tasks": tasks})
    return out


def main(argv: list[str]) -> int:
    reason = unavailable()
    if reason:
        print(f"mpxj_recalc: {reason}", file=sys.stderr)
        return 2
    for result in recalculate(argv):
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
