"""The data of every published edition, read from git, beside the working copy's.

An edition is a git tag ``vX.Y``. For each tag this reads the YAML files of the data folder as
they were at its commit (``git ls-tree`` and one ``git cat-file --batch``) and parses them with the
loader's parser, without validating: an older edition need not fit today's model, and comparing
editions compares what was written. A tag's commit never changes, so what it holds is read once
per process (``mkdocs serve`` rebuilds without asking git again). Git is asked with a timeout; no
git, no repository or no tag is not an error: the history is then what can be known.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import COLLECTIONS, collection_at
from .edition import CITATION_FILE
from .loader import MAX_FILE_BYTES
from .yaml_source import parse

log = logging.getLogger("mkdocs.plugins.survey")

GIT_TIMEOUT = 60  # seconds for one git command
TAG = re.compile(r"^v([0-9]+)\.([0-9]+)$")

# Collection -> record id -> the record as written (a mapping), in file order.
Records = Mapping[str, Mapping[str, Mapping]]


@dataclass(frozen=True)
class Snapshot:
    """The data at one edition's tag, or in the working copy (``tag`` None)."""

    tag: str | None
    released: date | None  # CITATION.cff's date-released at the tag, else the tag's date
    records: Records

    @property
    def version(self) -> tuple[int, int] | None:
        match = TAG.match(self.tag or "")
        return (int(match.group(1)), int(match.group(2))) if match else None


@dataclass(frozen=True)
class History:
    editions: tuple[Snapshot, ...]  # the tagged editions, oldest first
    working: Snapshot  # the data as it stands
    git: bool  # False: no history could be read (no git, not a repository); ``why`` says so
    why: str = ""


def read_history(root: Path, data_dir: str) -> History:
    """Every ``vX.Y`` tag's data and the working copy's, below ``root``/``data_dir``."""
    working = Snapshot(None, None, _working_records(root / data_dir))
    try:
        tags = _tags(root)
        editions = tuple(_snapshot(str(root), data_dir, name, commit, day) for name, commit, day in tags)
    except _GitError as error:
        log.info("no edition history for the changes page: %s", error)
        return History((), working, False, str(error))
    return History(editions, working, True)


def records_of(files: Iterable[tuple[str, str]]) -> dict[str, dict[str, Mapping]]:
    """The records of data files given as (path below the data folder, text); files that do not
    parse and items without an id are left out (the loader reports those of the working copy)."""
    found: dict[str, dict[str, Mapping]] = {name: {} for name in COLLECTIONS}
    for path, text in files:
        collection = collection_at(path.split("/"))
        if collection is None:
            continue
        parsed, _ = parse(text, path)
        if parsed is None:
            continue
        items = [parsed.data] if collection.layout == "folder" else parsed.data
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found[collection.name].setdefault(item["id"], item)
    return found


class _GitError(Exception):
    pass


def _git(root: str, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", root, *args], input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise _GitError(str(error)) from None
    if done.returncode != 0:
        raise _GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def _tags(root: Path) -> list[tuple[str, str, str]]:
    """(tag, commit, date) of every edition tag, oldest edition first."""
    out = _git(
        str(root),
        "for-each-ref",
        "--format=%(refname:short)%00%(objectname)%00%(*objectname)%00%(creatordate:short)",
        "refs/tags",
    )
    tags = []
    for line in out.decode("utf-8", "replace").splitlines():
        name, commit, peeled, day = (line.split("\0") + ["", "", ""])[:4]
        name = name.removeprefix("tags/")
        if TAG.match(name):
            tags.append((name, peeled or commit, day))
    return sorted(tags, key=lambda t: tuple(int(n) for n in TAG.match(t[0]).groups()))  # type: ignore[union-attr]


@functools.lru_cache(maxsize=256)  # a tag's commit never changes: read once per process
def _snapshot(root: str, data_dir: str, tag: str, commit: str, day: str) -> Snapshot:
    listing = _git(root, "ls-tree", "-r", "-l", "-z", commit, "--", data_dir, CITATION_FILE)
    wanted: list[tuple[str, str]] = []  # (object id, path)
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, oid, size = meta.split()
        # Regular files only (a link in history is not followed), and none larger than the loader reads.
        if kind == b"blob" and mode in (b"100644", b"100755") and size.isdigit() and int(size) <= MAX_FILE_BYTES:
            wanted.append((oid.decode(), path.decode("utf-8", "replace")))
    texts = _blobs(root, [oid for oid, _ in wanted])
    prefix = data_dir.rstrip("/") + "/"
    files = [(path.removeprefix(prefix), texts[oid]) for oid, path in wanted if path.startswith(prefix)]
    citation = next((texts[oid] for oid, path in wanted if path == CITATION_FILE), None)
    return Snapshot(tag, _released(citation) or _day(day), records_of(files))


def _blobs(root: str, oids: list[str]) -> dict[str, str]:
    """The text of each blob, in one ``git cat-file --batch``; text that is not UTF-8 is left out."""
    if not oids:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    texts: dict[str, str] = {}
    at = 0
    for oid in oids:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        body = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
        try:
            texts[oid] = body.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def _released(citation: str | None) -> date | None:
    if citation is None:
        return None
    parsed, _ = parse(citation, CITATION_FILE)
    value = parsed.data.get("date-released") if parsed is not None and isinstance(parsed.data, dict) else None
    return value if isinstance(value, date) else _day(value) if isinstance(value, str) else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _working_records(data_dir: Path) -> dict[str, dict[str, Mapping]]:
    """The working copy's records, read as the loader reads them (links are not followed)."""
    files = []
    for top, dirs, names in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(top, d)))
        for name in sorted(names):
            path = os.path.join(top, name)
            if not name.endswith(".yaml") or os.path.islink(path) or not os.path.isfile(path):
                continue
            if os.path.getsize(path) > MAX_FILE_BYTES:
                continue
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            files.append((Path(path).relative_to(data_dir).as_posix(), text))
    return records_of(files)
