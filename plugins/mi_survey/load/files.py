"""Which files the build may read: regular files inside the repository, and nothing from ``.git``.

A pull request can add a symbolic link under ``content/`` or ``templates/`` to anything on the
build machine (``/proc/self/environ``, ``~/.ssh``, ``/dev/zero``); the build would publish it, or
read forever. Every file the build reads from those folders is checked here first.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .problems import Problem


def refused_files(root: Path, paths: Iterable[str | Path]) -> list[Problem]:
    """Problems for the paths (files or folders below ``root``) the build must not read."""
    top = os.path.realpath(root)
    git = os.path.join(top, ".git")
    problems = []
    for path in paths:
        shown = _shown(path, root)
        real = os.path.realpath(path)
        if os.path.commonpath([top, real]) != top:
            problems.append(Problem(shown, 1, "", f"links to {real}, outside the repository; refused", "file-outside"))
            continue
        if real == git or real.startswith(git + os.sep):
            problems.append(Problem(shown, 1, "", "links into .git; refused", "file-outside"))
            continue
        try:
            mode = os.stat(real).st_mode
        except OSError as error:
            problems.append(Problem(shown, 1, "", f"cannot be read ({error.strerror})", "file-unreadable"))
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            problems.append(
                Problem(shown, 1, "", "is not a regular file (a device, a pipe or a socket); refused", "file-special")
            )
    return problems


def refused_in(root: Path, folder: Path) -> list[Problem]:
    """The links and special files anywhere below ``folder`` (links are not followed)."""
    found: list[str] = []
    for top, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = os.path.join(top, name)
            if os.path.islink(path) or not (os.path.isfile(path) or os.path.isdir(path)):
                found.append(path)
    return refused_files(root, found)


def _shown(path: str | Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return str(path)
