"""Text that is slow to make and the same from build to build, kept in the private folder of the
user's temporary directory where Jinja keeps compiled templates (see template_cache.py).

An entry is named by a digest of everything its text depends on, so a changed input is a new
entry, never a stale one. A folder that cannot be had, or an entry that cannot be read or
written, is no cache: the text is made, as without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

# The source of each module as this process first read it. The code that runs is the code first
# imported: `mkdocs serve` rebuilds (after an edit to a page, say) without importing an edited
# module again, so the file as it is now would key the old code's output under the new source.
_SOURCES: dict[str, bytes] = {}


def source_as_imported(module: str) -> bytes:
    """The source of ``module`` (its name, imported) as this process first read it, for a key of
    what its code makes; b"" for a module without a file."""
    if module not in _SOURCES:
        file = getattr(sys.modules.get(module), "__file__", None)
        _SOURCES[module] = Path(file).read_bytes() if file else b""
    return _SOURCES[module]


def kept_text(
    kind: str, depends_on: bytes, make: Callable[[], str], usable: Callable[[str], bool] = lambda text: True
) -> str:
    """``make()``, or the text an earlier build made under the same ``kind`` and ``depends_on``
    if it is ``usable`` (an entry damaged outside the build is made again)."""
    try:
        # Jinja's folder: made private to the user (mode 0700), and checked to be theirs.
        folder = Path(FileSystemBytecodeCache().directory)
    except (OSError, RuntimeError):
        return make()
    entry = folder / f"__mi_survey_{kind}_{hashlib.sha256(depends_on).hexdigest()[:32]}.txt"
    try:
        kept = entry.read_text(encoding="utf-8")
        if usable(kept):
            return kept
    except (OSError, UnicodeDecodeError):
        pass
    text = make()
    # Written beside under a name of its own, then renamed into place: a build running at the same
    # time reads a whole entry or none.
    partial: Path | None = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".partial", delete=False) as file:
            partial = Path(file.name)
            file.write(text)
        os.replace(partial, entry)
    except OSError:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
    return text
