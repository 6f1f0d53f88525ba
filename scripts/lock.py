"""The Python lock beside pyproject.toml, checked from both sides.

    python scripts/lock.py check            every requirement of pyproject.toml, extras included,
                                            is installed at a version its range allows
    python scripts/lock.py diff LOCK PYTHON which installed versions differ from the lock

`make setup` runs `check` after installing the lock, so a range added to pyproject.toml without
`make lock` fails at once on every machine (pip's own check skips the extras). The canary runs
`diff`, so a red canary names the releases to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

PROJECT = "mi-survey"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check() -> int:
    extras = metadata.metadata(PROJECT).get_all("Provides-Extra") or []
    missing = []
    for text in metadata.requires(PROJECT) or []:
        requirement = Requirement(text)
        if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in ["", *extras]):
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            missing.append(f"{requirement} is not in the lock")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            missing.append(f"{requirement} but the lock has {requirement.name} {version}")
    for problem in missing:
        print(f"requirements.txt: {problem}", file=sys.stderr)
    if missing:
        print("pyproject.toml and requirements.txt disagree: run `make lock`, then commit both", file=sys.stderr)
        return 1
    return 0


def diff(lock_path: str, python: str) -> int:
    pins = {canonical(n): v for n, v in _PIN.findall(Path(lock_path).read_text(encoding="utf-8"))}
    listing = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout
    now = {canonical(item["name"]): item["version"] for item in json.loads(listing)}
    changed = sorted(name for name in pins.keys() & now.keys() if pins[name] != now[name])
    added = sorted(now.keys() - pins.keys() - {"pip"})
    print(f"canary: {len(changed)} of {len(pins)} locked packages at another version than {lock_path}")
    for name in changed:
        print(f"  {name} {pins[name]} -> {now[name]}")
    for name in added:
        print(f"  {name} {now[name]} (not in the lock)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["check"] and len(sys.argv) == 2:
        sys.exit(check())
    if sys.argv[1:2] == ["diff"] and len(sys.argv) == 4:
        sys.exit(diff(sys.argv[2], sys.argv[3]))
    sys.exit(__doc__)
