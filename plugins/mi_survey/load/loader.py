"""Reads ``content/data`` into a KnowledgeBase, or fails with every problem at once."""

from __future__ import annotations

import difflib
import gc
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model import COLLECTIONS, Collection, Record, collection_at
from ..model.common import CITATION_PATTERN
from ..model.people import Person
from ..model.references import Reference
from . import rules
from .knowledge_base import Key, KnowledgeBase, Source
from .messages import describe, field_code
from .problems import ContentError, Problem
from .problems import dotted as _field
from .yaml_source import Parsed, parse

_CITATION = re.compile(CITATION_PATTERN)

# Limits that keep one file from costing the build minutes or gigabytes. The largest real file is
# a few kilobytes and the longest list a few dozen records.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LIST_RECORDS = 5_000


@dataclass
class _Loaded:
    record: Record
    parsed: Parsed
    prefix: tuple[str | int, ...]  # where the record sits in its file ((), or (index,))
    display: str
    cited: list[tuple[tuple[str | int, ...], str]]  # its texts holding "[@", by field


def load(data_dir: Path, root: Path | None = None) -> KnowledgeBase:
    """Load and cross-check every record below ``data_dir``.

    Paths in problems and sources are shown relative to ``root`` (the project), so an editor or
    a CI log can jump straight to them.
    """
    # Loading makes a few hundred thousand small objects and no reference cycles; the cycle
    # collector would only walk them over and over (a third of the time at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(data_dir, root or data_dir.parent)
    finally:
        if collecting:
            gc.enable()


def _load(data_dir: Path, root: Path) -> KnowledgeBase:
    problems: list[Problem] = []
    loaded: dict[str, list[_Loaded]] = {name: [] for name in COLLECTIONS}
    # Ids of records that failed validation: pointing at them is not a second problem.
    invalid: dict[str, set[str]] = {name: set() for name in COLLECTIONS}

    if not data_dir.is_dir():
        raise ContentError([Problem(_display(data_dir, root), 1, "", "data directory not found", "file-missing")])

    shown = _display(data_dir, root)
    # Paths are handled as strings: at 10,000 files pathlib's objects cost a tenth of the load.
    top = os.fspath(data_dir)
    for parts, kind in _entries_below(top):
        display = f"{shown}/{'/'.join(parts)}"
        if kind in _UNREAD:
            problems.append(Problem(display, 1, "", _UNREAD[kind], "file-unreadable"))
            continue
        collection = collection_at(parts)
        if collection is None:
            if parts[-1].startswith("."):
                continue
            problems.append(Problem(display, 1, "", _misplaced(parts[-1]), "file-misplaced"))
            continue
        _load_file(
            os.path.join(top, *parts),
            kind == "file",
            display,
            collection,
            loaded[collection.name],
            invalid[collection.name],
            problems,
        )

    records, sources = _index(loaded, problems)
    backlinks, authored = _cross_check(records, invalid, problems, _Suggester(records))
    if problems:
        raise ContentError(problems)
    return KnowledgeBase.build(
        {name: [item.record for item in items] for name, items in records.items()},
        sources,
        backlinks,
        authored,
    )


_UNREAD = {
    "unreadable": "this folder cannot be read; its records would be left out",
    "linked folder": "a link to a folder, which is not followed; put the records themselves here",
}


def _entries_below(top: str) -> list[tuple[tuple[str, ...], str]]:
    """Every entry below ``top`` that is not a folder, as its path's parts and its kind: "file"
    (a regular file, or a link to one), "linked folder" (not followed) or "other" (a pipe, a
    dangling link); and every folder that cannot be listed, as "unreadable". Sorted as paths sort."""
    found: list[tuple[tuple[str, ...], str]] = []
    folders: list[tuple[str, ...]] = [()]
    while folders:
        parts = folders.pop()
        try:
            # scandir knows from the folder listing which entries are regular files: no stat each.
            with os.scandir(os.path.join(top, *parts)) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(parts + (entry.name,))
                    elif entry.is_file():
                        found.append((parts + (entry.name,), "file"))
                    else:
                        found.append((parts + (entry.name,), "linked folder" if entry.is_dir() else "other"))
        except OSError:
            if not parts:
                raise
            found.append((parts, "unreadable"))
    found.sort()
    return found


def _misplaced(name: str) -> str:
    folders = ", ".join(f"{c.name}/" for c in COLLECTIONS.values() if c.layout == "folder")
    lists = ", ".join(c.path for c in COLLECTIONS.values() if c.layout == "list")
    hint = " (records are .yaml files)" if not name.endswith(".yaml") else ""
    return (
        f"not part of any collection{hint}; a record goes in one of the folders {folders} "
        f"or in one of the files {lists}"
    )


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _load_file(
    path: str,
    regular: bool,
    display: str,
    collection: Collection,
    out: list[_Loaded],
    invalid: set[str],
    problems: list[Problem],
) -> None:
    if not regular:  # a dangling link, a pipe or a device: reading could fail or never end
        problems.append(Problem(display, 1, "", "not a regular file; a record is a plain .yaml file", "file-special"))
        return
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            raw = file.read() if size <= MAX_FILE_BYTES else b""  # a file too large is not read
    except OSError as exc:
        problems.append(Problem(display, 1, "", f"cannot be read ({exc.strerror or exc})", "file-unreadable"))
        return
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:  # (it may have grown since)
        problems.append(
            Problem(
                display,
                1,
                "",
                f"the file is {max(size, len(raw)):,} bytes; a data file may be at most {MAX_FILE_BYTES:,} "
                f"bytes ({MAX_FILE_BYTES // (1024 * 1024)} MB)",
                "file-size",
            )
        )
        if collection.layout == "folder":  # its record is not read: pointing at it is no second problem
            invalid.add(os.path.basename(path).removesuffix(".yaml"))
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(display, line, "", f"not valid UTF-8 text ({exc.reason} at byte {exc.start})", "file-encoding")
        )
        return
    if "\r" in text:  # as a file opened as text reads it
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    parsed, found = parse(text, display)
    problems.extend(found)
    if parsed is None:
        if collection.layout == "folder":  # records pointing at this one are no second problem
            invalid.add(os.path.basename(path).removesuffix(".yaml"))
        return
    if collection.layout == "folder":
        if not isinstance(parsed.data, dict):
            problems.append(Problem(display, 1, "", "expected one record: a mapping of field: value", "record-shape"))
            return
        items: list[tuple[tuple[int, ...], Any]] = [((), parsed.data)]
    else:
        if not isinstance(parsed.data, list):
            problems.append(
                Problem(display, 1, "", "expected a list of records, each starting with '- id: ...'", "record-shape")
            )
            return
        if len(parsed.data) > MAX_LIST_RECORDS:
            problems.append(
                Problem(
                    display,
                    parsed.line_of((MAX_LIST_RECORDS,)),
                    "",
                    f"the file holds {len(parsed.data):,} records; a list file may hold at most "
                    f"{MAX_LIST_RECORDS:,} (this is record {MAX_LIST_RECORDS + 1:,})",
                    "list-size",
                )
            )
            # Its records are not validated (that could add a problem for each of hundreds of
            # thousands); records pointing at them are no second problem.
            invalid.update(item["id"] for item in parsed.data if isinstance(item, dict) and type(item.get("id")) is str)
            return
        items = [((index,), item) for index, item in enumerate(parsed.data)]
    # The record's texts that may cite, their paths made relative to the record.
    cited: dict[tuple[str | int, ...], list] = {}
    for where, text in parsed.cited:
        prefix = where[: len(items[0][0])] if items else ()
        cited.setdefault(prefix, []).append((where[len(prefix) :], text))

    name = os.path.basename(path)
    for prefix, data in items:
        if not isinstance(data, dict):
            problems.append(
                Problem(
                    display,
                    parsed.line_of(prefix),
                    _field(prefix),
                    "expected a record: a mapping of field: value",
                    "record-shape",
                )
            )
            continue
        try:
            record = collection.model.model_validate(data)
        except ValidationError as exc:
            if isinstance(data.get("id"), str):
                invalid.add(data["id"])
            for error in exc.errors():
                loc = prefix + tuple(error["loc"])
                message = describe(error, collection.model)
                problems.append(Problem(display, parsed.line_of(loc), _field(loc), message, field_code(error)))
            continue
        if collection.layout == "folder" and f"{record.id}.yaml" != name:
            problems.append(
                Problem(
                    display,
                    parsed.line_of(("id",)),
                    "id",
                    f"'{record.id}' must match the file name '{name}'",
                    "id-file-name",
                )
            )
            continue
        out.append(_Loaded(record, parsed, prefix, display, cited.get(prefix, [])))
    # The records hold what they need; the lines stay for cross-checking, the raw data can go now
    # rather than once every file is loaded (at 10,000 records it is as large as the records).
    parsed.data = None


def _index(loaded: dict[str, list[_Loaded]], problems: list[Problem]):
    records: dict[str, list[_Loaded]] = {}
    sources: dict[Key, Source] = {}
    for name, items in loaded.items():
        seen: dict[str, _Loaded] = {}
        for item in items:
            first = seen.get(item.record.id)
            line = item.parsed.line_of(item.prefix + ("id",))
            if first is not None:
                where = f"{first.display}:{first.parsed.line_of(first.prefix + ('id',))}"
                problems.append(
                    Problem(
                        item.display,
                        line,
                        _field(item.prefix + ("id",)),
                        f"duplicate id '{item.record.id}' in {name}; first used at {where}",
                        "id-duplicate",
                    )
                )
                continue
            seen[item.record.id] = item
            sources[(name, item.record.id)] = Source(item.display, item.parsed.line_of(item.prefix))
        records[name] = list(seen.values())
    return records, sources


def _cross_check(
    records: dict[str, list[_Loaded]],
    invalid: dict[str, set[str]],
    problems: list[Problem],
    suggest: _Suggester,
):
    """The rules across records, each a function of load/rules.py; and the backlinks they find."""
    ids = {name: {item.record.id for item in items} for name, items in records.items()}
    known = {name: ids[name] | invalid[name] for name in ids}
    backlinks: dict[Key, list[Key]] = defaultdict(list)
    for name, items in records.items():
        for item in items:
            here = (name, item.record.id)

            def report(loc, message, code, item=item):
                full = item.prefix + loc
                problems.append(Problem(item.display, item.parsed.line_of(full), _field(full), message, code))

            rules.ids_point_at_records(item.record, here, ids, known, backlinks, report, suggest)
            rules.citations_name_references(item.cited, here, ids, invalid, backlinks, report, suggest)
    authored = rules.authored_references(
        [item.record for item in records["people"] if isinstance(item.record, Person)],
        [item.record for item in records["references"] if isinstance(item.record, Reference)],
        backlinks,
    )
    return backlinks, authored


class _Suggester:
    """ " (did you mean 'x'?)" for an unknown id: the closest id of the collections it may name.

    Each suggestion compares the id with every id of its collections, so thousands of unknown ids
    in a collection of thousands (a long glossary whose `related` ids are all misspelt) took
    minutes. Suggestions are remembered, and once a load has spent its budget of comparisons the
    remaining unknown ids are reported without one: a typo or two is what a suggestion is for.
    """

    BUDGET = 200_000  # comparisons per load: half a second at most

    def __init__(self, records: dict[str, list[_Loaded]]) -> None:
        self.records = records
        self.left = self.BUDGET
        self.candidates: dict[tuple[str, ...], list[str]] = {}
        self.found: dict[tuple[str, tuple[str, ...]], str] = {}

    def __call__(self, target: str, collections: tuple[str, ...]) -> str:
        known = self.found.get((target, collections))
        if known is not None:
            return known
        candidates = self.candidates.get(collections)
        if candidates is None:
            # Sorted: which ids are compared before the budget runs out does not depend on hashing.
            candidates = sorted({item.record.id for c in collections for item in self.records[c]})
            self.candidates[collections] = candidates
        if len(candidates) > self.left:
            return ""
        self.left -= len(candidates)
        close = difflib.get_close_matches(target, candidates, n=1, cutoff=0.75)
        self.found[(target, collections)] = found = f" (did you mean '{close[0]}'?)" if close else ""
        return found
