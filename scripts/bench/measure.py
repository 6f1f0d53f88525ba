"""Running one build, or one load of the data, in its own process and measuring it.

Each ``mkdocs build`` is a child process reaped with ``os.wait4``, which returns the resource
usage of that child alone: its peak resident memory (``ru_maxrss``) and CPU time, whatever else
this process has run before. Wall time is measured around it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"
ZENSICAL = BIN / "zensical"


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time
    cpu: float  # user + system CPU time of the build process
    peak_mb: float  # peak resident set size
    returncode: int
    log: Path


def build(config: Path, log: Path, profile: Path | None = None, engine: str = "mkdocs") -> Run:
    # Zensical keeps a cache between builds: --clean makes each build a whole one, as MkDocs' is.
    args = [str(MKDOCS), "build", "-f", str(config)]
    if engine == "zensical":
        args = [str(ZENSICAL), "build", "--clean", "-f", str(config)]
    if profile is not None:
        args = [sys.executable, "-m", "cProfile", "-o", str(profile), *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=config.parent, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, log)


_LOAD = """
import json, sys, time
from pathlib import Path
from mi_survey.load import load
root = Path(sys.argv[1])
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    kb = load(root / "content" / "data", root)
    times.append(time.perf_counter() - start)
print(json.dumps({"records": kb.count(), "times": times}))
"""


def load_times(root: Path, repeat: int = 5) -> tuple[int, list[float]]:
    """Records loaded and the seconds of each of ``repeat`` loads, in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(root), str(repeat)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"loading the 10,000-record corpus failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["records"], result["times"]


def machine_speed() -> float:
    """Seconds a fixed pure-Python loop takes (the best of three): on a virtual machine whose
    speed drifts, it tells how fast the machine ran when a figure was taken."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best
