"""YAML parsing that remembers where every value came from.

The document is read once from the parser's events into plain Python data, with the line of
every key and item; on the way it refuses what YAML allows but content must not use.

What a contributor wrote is never changed silently. PyYAML reads YAML 1.1, where some unquoted
values are not the text they look like: ``33:44``, ``2_024`` and ``0x7E8`` are the number 2024,
``0777`` is octal, ``yes``/``no``/``on``/``off`` are booleans. An unquoted value is taken only when
YAML 1.2 (what editors and most other tools read) reads it the same way: decimal integers and
floats, ``true``/``false``, ``null``/``~``/nothing, and dates ``YYYY-MM-DD``; anything else typed
is a problem that says what YAML 1.1 makes of it. Tags (``!!str``, ``!!binary``, ``!foo``) are
refused, and text is normalised to Unicode NFC (é typed as e and a combining accent is é).
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem
from .problems import dotted as _dotted

try:  # The C loader is about seven times faster; PyYAML wheels ship it.
    from yaml import CSafeLoader as SafeLoader

    _BYTE_POSITIONS = True  # libyaml reports positions in the UTF-8 bytes
except ImportError:  # pragma: no cover - only on a PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]  # the pure-Python class stands in for the C one

    _BYTE_POSITIONS = False

Path = tuple[str | int, ...]

# No record needs more than a handful of levels; the limit keeps hostile input from exhausting
# the stack of the walker or the validator.
MAX_DEPTH = 20


@dataclass
class Parsed:
    data: object
    # The line (1-based) of every mapping key and sequence item, by its path in the document.
    lines: dict[Path, int] = field(default_factory=dict)
    # Every text that may hold a citation ("[@"), by its path: found while parsing, so the loader
    # need not walk every record again to check citations.
    cited: list[tuple[Path, str]] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def parse(text: str, display_path: str) -> tuple[Parsed | None, list[Problem]]:
    loader = builder = None
    try:
        loader = SafeLoader(text)
        builder = _Builder(loader, display_path)
        return builder.build()
    except _TooDeepError as exc:
        return None, [exc.problem]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if builder is not None and _PARSER_TOO_DEEP in str(exc.problem):
            # libyaml 0.2.6 (PyYAML 6.0.4) refuses deep flow nesting itself, reading ahead of the
            # events we count: the same problem, said the same way, wherever it was caught.
            return None, [builder.too_deep(line)]
        what = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        return None, [Problem(display_path, line, "", f"YAML syntax error: {what}", "yaml-syntax")]
    except yaml.reader.ReaderError as exc:
        if _BYTE_POSITIONS:
            line = text.encode("utf-8")[: exc.position].count(b"\n") + 1
        else:
            line = text[: exc.position].count("\n") + 1
        return None, [
            Problem(
                display_path,
                line,
                "",
                f"YAML error: unacceptable character #x{exc.character:04x}: {exc.reason}",
                "yaml-syntax",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, "", f"YAML error: {exc}", "yaml-syntax")]
    finally:
        if loader is not None:
            loader.dispose()


@functools.lru_cache(maxsize=4096)  # dates, numbers and booleans repeat from record to record
def _implicit_tag(plain: str) -> str:
    """The type PyYAML gives an unquoted, untagged scalar: int, float, bool, null, timestamp,
    merge, value or str. (The single letters y and n stay text, as PyYAML reads and writes them:
    refusing them would refuse what our own tools and most editors write.)"""
    return _RESOLVER.resolve(yaml.ScalarNode, plain, (True, False))


def _resolve(plain: str) -> str:
    # Long values are not kept in the cache: a few thousand of them could hold gigabytes.
    return _implicit_tag(plain) if len(plain) <= 64 else _implicit_tag.__wrapped__(plain)


# The resolver SafeLoader and CSafeLoader share.
_RESOLVER = yaml.resolver.Resolver()
# Plain scalars starting with any other character are text: no implicit type applies.
_TYPED_STARTS = frozenset(ch for ch in yaml.resolver.Resolver.yaml_implicit_resolvers if ch is not None)
# Of those starting with a letter, only YAML 1.1's words for true, false and null are typed (yes,
# Off, NULL...), and none is longer than "false": longer text such as "The model" needs no check.
_WORD_STARTS = frozenset(ch for ch in _TYPED_STARTS if ch.isalpha())
_LONGEST_WORD = len("false")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MERGE = "tag:yaml.org,2002:merge"
# The typed forms YAML 1.2's core schema reads as YAML 1.1 does (with the resolver's own match
# already made): decimal integers without a leading 0 or "_", decimal floats without "_" or ":",
# the six spellings of true and false. Null (~, null, nothing) reads the same in both.
_CORE_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)
_CORE_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?", re.ASCII)
_CORE_BOOLS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))


class _Frame:
    """A mapping or sequence being filled, and where it sits in the document."""

    __slots__ = ("key", "path", "value")

    def __init__(self, value: dict | list, path: Path) -> None:
        # Any: the builder tells a mapping from a list by `type(...) is`, on the hot path.
        self.value: Any = value
        self.path = path
        # A mapping's key, read and waiting for its value (any YAML scalar: 1, true, a date...),
        # or one of the markers _NO_KEY and _REFUSED.
        self.key: Any = _NO_KEY


# An anchor alone does nothing, but one name used twice is an error in PyYAML; content needs neither.
_NO_ANCHORS = "YAML anchors and aliases are not supported; write the value out"
_NO_KEY = object()
# Part of libyaml's own message when a flow collection nests past its limit (libyaml >= 0.2.6).
_PARSER_TOO_DEEP = "maximum nesting depth"
_REFUSED = object()  # a key or typed value that is a problem (a key's value is then skipped)
_normalize = unicodedata.normalize


class _Builder:
    """Builds the document's data straight from the parser's events, in one pass and without
    recursion: composing a node tree first costs twice the time, and in libyaml recursion a few
    hundred thousand "[" overflow the stack and kill the process. On the way it records the line
    of every key and item, normalises text to NFC, and refuses what content must not use (aliases,
    merge keys, duplicate keys, tags, values YAML 1.1 reads other than YAML 1.2, nesting beyond
    MAX_DEPTH)."""

    def __init__(self, loader, display_path: str) -> None:
        self.loader = loader
        self.display = display_path
        self.lines: dict[Path, int] = {}
        self.cited: list[tuple[Path, str]] = []
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []

    def build(self) -> tuple[Parsed | None, list[Problem]]:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None, [Problem(self.display, 1, "", "the file is empty; expected a record", "record-shape")]
        document = loader.get_event()
        data = self._document()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            extra = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                document.start_mark,
                "but found another document",
                extra.start_mark,
            )
        if self.problems:
            return None, self.problems
        return Parsed(data, self.lines, self.cited), []

    def _document(self) -> object:
        loader = self.loader
        stack: list[_Frame] = []
        self.stack = stack
        skip = 0  # depth inside a value that is already a problem (a mapping used as a key)
        lines = self.lines
        get_event, scalar, typed_starts, word_starts = loader.get_event, yaml.ScalarEvent, _TYPED_STARTS, _WORD_STARTS
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar and not skip and stack and event.tag is None and event.anchor is None:
                # Fast path for most of a file: an untagged key, or text under a key or in a list.
                frame = stack[-1]
                value = event.value
                if not event.implicit[0] or (
                    value
                    and (
                        value[0] not in typed_starts
                        or (value[0] in word_starts and (len(value) > _LONGEST_WORD or _implicit_tag(value) == _STR))
                    )
                ):
                    if not value.isascii():  # (ASCII text is already in NFC)
                        value = _normalize("NFC", value)
                    if type(frame.value) is list:
                        path = frame.path + (len(frame.value),)
                        lines[path] = event.start_mark.line + 1
                        if "[@" in value:
                            self.cited.append((path, value))
                        frame.value.append(value)
                        continue
                    if frame.key is _NO_KEY:
                        if value not in frame.value:  # else the slow path reports the duplicate
                            lines[frame.path + (value,)] = event.start_mark.line + 1
                            frame.key = value
                            continue
                    elif frame.key is not _REFUSED:
                        if "[@" in value:
                            self.cited.append((frame.path + (frame.key,), value))
                        frame.value[frame.key] = value
                        frame.key = _NO_KEY
                        continue
            if skip:
                if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    skip += 1
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    skip -= 1
                continue
            parent = stack[-1] if stack else None
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                if not stack:
                    return done.value
                self._add(stack[-1], done.value)
                continue
            line = event.start_mark.line + 1
            if parent is not None and type(parent.value) is dict:
                if parent.key is _NO_KEY:
                    parent.key = self._key(event, parent, line)
                    if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                        skip = 1
                    continue
                if parent.key is _REFUSED:  # the value of a key that is a problem: not read
                    parent.key = _NO_KEY
                    if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                        skip = 1
                    continue
            path = parent.path + (self._slot(parent),) if parent is not None else ()
            if parent is not None and type(parent.value) is list:
                self.lines[path] = line
            elif parent is None:
                self.lines[()] = line
            if event.anchor is not None and kind is not yaml.AliasEvent:
                self._problem(line, path, _NO_ANCHORS, "yaml-alias")
            if kind is yaml.ScalarEvent:
                value = self._scalar(event, path)
                if type(value) is str and "[@" in value:
                    self.cited.append((path, value))
                if parent is None:
                    return value
                self._add(parent, value)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) > MAX_DEPTH:
                    raise _TooDeepError(self._deep(line, path))
                mapping = kind is yaml.MappingStartEvent
                self._check_tag(event, path, line)
                stack.append(_Frame({} if mapping else [], path))
            elif kind is yaml.AliasEvent:
                self._problem(line, path, _NO_ANCHORS, "yaml-alias")
                if parent is None:
                    return None
                self._add(parent, None)
            else:  # pragma: no cover - the parser gives no other event inside a document
                raise yaml.YAMLError(f"unexpected {event}")

    def _slot(self, frame: _Frame) -> str | int:
        return frame.key if type(frame.value) is dict else len(frame.value)

    def _add(self, frame: _Frame, value: object) -> None:
        if type(frame.value) is dict:
            frame.value[frame.key] = value
            frame.key = _NO_KEY
        else:
            frame.value.append(value)

    def _key(self, event, frame: _Frame, line: int) -> object:
        """The key a mapping's next value goes under, or _REFUSED."""
        if type(event) is yaml.AliasEvent or event.anchor is not None:
            self._problem(line, frame.path, _NO_ANCHORS, "yaml-alias")
            return _REFUSED
        if type(event) is not yaml.ScalarEvent:
            self._problem(line, frame.path, "keys must be plain words", "yaml-key")
            return _REFUSED
        if event.tag is not None:
            self._problem(line, frame.path, _tag_problem(event.tag, _SCALAR_HINT), "yaml-tag")
            return _REFUSED
        tag = self._tag(event)
        if tag == _MERGE:
            self._problem(line, frame.path, "YAML merge keys (<<) are not supported", "yaml-merge")
            return _REFUSED
        key: Any = event.value
        if tag == _STR and not key.isascii():
            key = _normalize("NFC", key)
        self.lines[frame.path + (key,)] = line
        if tag != _STR:
            # 1, true or ~ as a key: validation reports the key as read (1, True, 'None').
            key = self._typed(event, tag, frame.path)
            if key is _REFUSED:
                return _REFUSED
            self.lines.setdefault(frame.path + (key,), line)
            self.lines.setdefault(frame.path + (str(key),), line)
        # Every earlier key of the mapping is in it with its value: a key found there is written twice.
        if key in frame.value:
            shown = key if tag == _STR else event.value
            self._problem(
                line, frame.path + (shown,), "duplicate key; the earlier value would be lost", "yaml-duplicate-key"
            )
        return key

    def _tag(self, event) -> str:
        """The type of an untagged scalar: str when quoted, else what YAML 1.1 makes of it."""
        value = event.value
        if not event.implicit[0] or (
            value and (value[0] not in _TYPED_STARTS or (len(value) > _LONGEST_WORD and value[0] in _WORD_STARTS))
        ):
            return _STR
        return _resolve(value)

    def _scalar(self, event, path: Path) -> object:
        if event.tag is not None:
            self._problem(event.start_mark.line + 1, path, _tag_problem(event.tag, _SCALAR_HINT), "yaml-tag")
            return None
        tag = self._tag(event)
        if tag == _STR:
            value = event.value
            return value if value.isascii() else _normalize("NFC", value)
        value = self._typed(event, tag, path)
        return None if value is _REFUSED else value

    def _typed(self, event, tag: str, path: Path) -> object:
        """A typed plain scalar (key or value) as PyYAML reads it, or _REFUSED with the problem
        reported: when YAML 1.2 would read it otherwise, or when it cannot be read at all."""
        value = event.value
        if not (
            (tag == _INT and ((value.isdigit() and (value[0] != "0" or value == "0")) or _CORE_INT.fullmatch(value)))
            or (tag == _TIMESTAMP and len(value) == 10)  # YYYY-MM-DD: the resolver has matched it
            or tag == _NULL
            or (tag == _BOOL and value in _CORE_BOOLS)
            or (tag == _FLOAT and _CORE_FLOAT.fullmatch(value))
        ):
            self._problem(event.start_mark.line + 1, path, _ambiguous(value, tag), "yaml-ambiguous")
            return _REFUSED
        try:
            return self._construct(event, tag)
        except yaml.YAMLError:
            raise
        except Exception as exc:
            # A number with 5,000 digits, a date like 2024-13-45 or "!!int abc" stops the constructor
            # with a plain Python exception, which has no line.
            what = _SCALAR_KINDS.get(tag.rsplit(":", 1)[-1], "a value of its type")
            shown = event.value if len(event.value) <= 40 else event.value[:37] + "..."
            # Only the date checks say something a contributor can act on ("month must be in 1..12").
            reason = f" ({exc})" if what == "a date" and isinstance(exc, ValueError) else ""
            message = f"cannot read '{shown}' as {what}{reason}; put text in quotes"
            self._problem(event.start_mark.line + 1, path, message, "yaml-value")
            return _REFUSED

    def _construct(self, event, tag: str) -> object:
        value = event.value
        # The usual typed values, read as PyYAML reads them without building a node for it.
        if tag == _INT and value.isdigit() and len(value) < 19 and (value[0] != "0" or value == "0"):
            return int(value)  # (a leading 0 is octal in YAML 1.1: left to PyYAML)
        if tag == _TIMESTAMP and len(value) == 10 and _DAY.fullmatch(value):
            return datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        # deep: a constructor that finishes in a second step (mappings, sets) raises here, not never.
        return self.loader.construct_object(node, deep=True)

    def _check_tag(self, event, path: Path, line: int) -> None:
        if event.tag is not None:
            self._problem(line, path, _tag_problem(event.tag, "write a plain mapping or list"), "yaml-tag")

    def too_deep(self, line: int) -> Problem:
        """The nesting problem at the innermost mapping or list being read."""
        if not self.stack:
            return self._deep(line, ())
        frame = self.stack[-1]
        waiting = type(frame.value) is list or frame.key not in (_NO_KEY, _REFUSED)
        return self._deep(line, frame.path + (self._slot(frame),) if waiting else frame.path)

    def _deep(self, line: int, path: Path) -> Problem:
        return Problem(
            self.display, line, _dotted(path[:3]) + "...", f"nested more than {MAX_DEPTH} levels deep", "yaml-depth"
        )

    def _problem(self, line: int, path: Path, message: str, code: str) -> None:
        self.problems.append(Problem(self.display, line, _dotted(path), message, code))


class _TooDeepError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


_SCALAR_HINT = "write the value plainly or in quotes"
_NOTATIONS = {"0b": "binary", "0x": "hexadecimal"}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # PyYAML's reading of a refused value, for its problem


def _tag_problem(tag: str, hint: str) -> str:
    shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"YAML tags are not supported ({shown}); {hint}"


def _ambiguous(value: str, tag: str) -> str:
    """Why an unquoted value is refused: what YAML 1.1 makes of it, which YAML 1.2 would not."""
    shown = value if len(value) <= 40 else value[:37] + "..."
    quote = f"put it in quotes ('{shown}') if it is text" if shown == value else "put it in quotes if it is text"
    kind = tag.rsplit(":", 1)[-1]
    if kind == "bool":
        word = "true" if value.lower() in ("y", "yes", "on") else "false"
        return f"{shown} is read by YAML 1.1 as {word}; {quote}, or write {word}"
    if kind in ("int", "float"):
        number = _yaml11_number(value, kind)
        if isinstance(number, float) and not math.isfinite(number):
            what = "not-a-number" if math.isnan(number) else "infinity" if number > 0 else "minus infinity"
            return f"{shown} is read by YAML as {what}, which no field takes; {quote}"
        how = _NOTATIONS.get(value.lstrip("+-")[:2], "octal") if kind == "int" and value.lstrip("+-")[:1] == "0" else ""
        how = "base 60" if ":" in value else how or "the _ left out"
        if number is None:
            return f"{shown} is read by YAML 1.1 as a number ({how}); {quote}"
        return f"{shown} is read by YAML 1.1 as the number {number} ({how}); {quote}, or write {number}"
    if kind == "timestamp":
        try:
            when = _CONSTRUCTOR.construct_yaml_timestamp(yaml.ScalarNode(tag, value))
            day = f"as {when.isoformat()[:10]}"
        except Exception:
            day = "as YYYY-MM-DD"
        return f"{shown} is read by YAML 1.1 as a date and time; {quote}, or write the day alone {day}"
    meaning = {"merge": "a merge key", "value": "a 'value' key"}.get(kind, f"a {kind}")
    return f"{shown} is read by YAML 1.1 as {meaning}; {quote}"


def _yaml11_number(value: str, kind: str) -> int | float | None:
    """The number YAML 1.1 reads, when it is short enough to show (a long base-60 value would take
    PyYAML minutes, and a long number is not worth printing)."""
    if len(value) > 40:
        return None
    node = yaml.ScalarNode(f"tag:yaml.org,2002:{kind}", value)
    try:
        if kind == "int":
            number = _CONSTRUCTOR.construct_yaml_int(node)
            return number if abs(number) < 10**30 else None
        return _CONSTRUCTOR.construct_yaml_float(node)
    except Exception:
        return None


_SCALAR_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "null": "nothing",
}
