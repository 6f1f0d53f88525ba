"""How long `mkdocs serve` takes to show an edit to a YAML record: save to rebuilt page.

Usage: python scripts/measure_reload.py [ROUNDS]     (make reload-time)
Works on a scratch copy of the project, so the working tree is never touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = "content/data/cruxes/deception-hiding.yaml"
PAGE = "cruxes/deception-hiding/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(
            ROOT,
            project,
            symlinks=True,
            ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".git", "screenshots"),
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}/{PAGE}"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PRINT_PAGE": "false"}  # as `make serve` runs it
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while "deception" not in fetch(url):
                if time.monotonic() > deadline:
                    print("mkdocs serve did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            record = project / RECORD
            original = record.read_text(encoding="utf-8")
            times = []
            for n in range(rounds):
                marker = f"reload check {n} {time.time_ns()}"
                lines = [
                    line + f" ({marker})" if line.startswith("question: ") else line for line in original.splitlines()
                ]
                record.write_text("\n".join(lines) + "\n", encoding="utf-8")
                saved = time.monotonic()
                while marker not in fetch(url):
                    if time.monotonic() - saved > 60:
                        print("the edit never reached the page", file=sys.stderr)
                        return 1
                    time.sleep(0.05)
                times.append(time.monotonic() - saved)
                time.sleep(1.0)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("save to rebuilt page, seconds: " + ", ".join(f"{t:.2f}" for t in times))
    print(f"median: {statistics.median(times):.2f} s over {rounds} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
