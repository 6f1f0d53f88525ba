"""Which installed versions differ from the lock: `python scripts/lock_diff.py requirements.txt PYTHON`.

The canary installs the newest releases pyproject.toml's ranges allow; this names each package
whose version is not the locked one, so a red canary says at once which release to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: Path) -> dict[str, str]:
    return {canonical(name): version for name, version in _PIN.findall(lock.read_text(encoding="utf-8"))}


def installed(python: str) -> dict[str, str]:
    listing = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout
    return {canonical(item["name"]): item["version"] for item in json.loads(listing)}


def main(lock_path: str, python: str) -> int:
    pins, now = locked(Path(lock_path)), installed(python)
    changed = sorted(name for name in pins.keys() & now.keys() if pins[name] != now[name])
    added = sorted(now.keys() - pins.keys() - {"pip"})
    print(f"canary: {len(changed)} of {len(pins)} locked packages at another version than {lock_path}")
    for name in changed:
        print(f"  {name} {pins[name]} -> {now[name]}")
    for name in added:
        print(f"  {name} {now[name]} (not in the lock)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[0])
    sys.exit(main(sys.argv[1], sys.argv[2]))
