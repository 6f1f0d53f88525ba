"""YAML parsing that remembers where every value came from.

The document is composed once into a node tree (which carries line marks), checked for what
YAML allows but content must not use, then constructed into plain Python data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .problems import Problem, dotted as _dotted

try:  # The C loader is about seven times faster; PyYAML wheels ship it.
    from yaml import CSafeLoader as SafeLoader
    _BYTE_POSITIONS = True  # libyaml reports positions in the UTF-8 bytes
except ImportError:  # pragma: no cover - only on a PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]
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

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def parse(text: str, display_path: str) -> tuple[Parsed | None, list[Problem]]:
    # Composing is recursive (in C for libyaml: a few hundred thousand "[" overflow the stack and
    # kill the process), so the nesting is measured on the flat event stream first.
    too_deep, aliases = _scan(text, display_path)
    if too_deep is not None:
        return None, [too_deep]
    loader = None
    try:
        loader = SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(display_path, 1, "", "the file is empty; expected a record")]
        problems: list[Problem] = []
        lines: dict[Path, int] = {(): node.start_mark.line + 1}
        _walk(node, (), node.start_mark.line + 1, lines, problems, display_path, set(), loader, aliases)
        if problems:
            return None, problems
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        return None, [Problem(display_path, line, "", f"YAML syntax error: {what}")]
    except yaml.reader.ReaderError as exc:
        before = text.encode("utf-8")[:exc.position] if _BYTE_POSITIONS else text[:exc.position]
        line = before.count(b"\n" if _BYTE_POSITIONS else "\n") + 1
        return None, [Problem(display_path, line, "",
                              f"YAML error: unacceptable character #x{exc.character:04x}: {exc.reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, "", f"YAML error: {exc}")]
    except Exception as exc:  # noqa: BLE001 # pragma: no cover - _walk tries each scalar first
        return None, [Problem(display_path, 1, "", f"YAML error: a value cannot be read ({exc})")]
    finally:
        if loader is not None:
            loader.dispose()
    return Parsed(data, lines), []


def _scan(text: str, display_path: str) -> tuple[Problem | None, dict[Path, int]]:
    """Nesting deeper than MAX_DEPTH, found on the event stream without recursion; and the line of
    each alias (the composed tree only has the anchored node, with the anchor's line)."""
    aliases: dict[Path, int] = {}
    try:
        loader = SafeLoader(text)
    except yaml.YAMLError:
        return None, aliases  # the parse proper reports it, with its line
    # Per open collection: [is a mapping, key or index of the child being read, expecting a key].
    stack: list[list] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) > MAX_DEPTH:
                    path = tuple(frame[1] for frame in stack[:3])
                    return Problem(display_path, event.start_mark.line + 1, _dotted(path) + "...",
                                   f"nested more than {MAX_DEPTH} levels deep"), aliases
                _child(stack, None)
                stack.append([isinstance(event, yaml.MappingStartEvent), 0, True])
                if stack[-1][0]:
                    stack[-1][1] = "?"
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                _done(stack)
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                _child(stack, getattr(event, "value", None))
                if isinstance(event, yaml.AliasEvent):
                    aliases[tuple(frame[1] for frame in stack)] = event.start_mark.line + 1
                _done(stack)
    except yaml.YAMLError:
        return None, aliases  # the parse proper reports it, with its line
    finally:
        loader.dispose()
    return None, aliases


def _child(stack: list[list], scalar: str | None) -> None:
    """A node starts inside the innermost collection: in a mapping, a key names the next value."""
    if stack and stack[-1][0] and stack[-1][2]:
        stack[-1][1] = scalar if scalar is not None else "?"


def _done(stack: list[list]) -> None:
    """A node ended: a mapping alternates between key and value, a sequence counts items."""
    if not stack:
        return
    frame = stack[-1]
    if frame[0]:
        frame[2] = not frame[2]
    else:
        frame[1] += 1


def _walk(node, path: Path, line: int, lines, problems, display_path: str, seen: set[int], loader,
          aliases: dict[Path, int]) -> None:
    # An alias makes the composer hand back the very node object it already produced; expanding
    # such shared nodes is how a few lines of YAML become billions of values.
    if id(node) in seen:
        problems.append(
            Problem(display_path, aliases.get(path, line), _dotted(path),
                    "YAML anchors and aliases are not supported; write the value out")
        )
        return
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        problems.append(Problem(display_path, node.start_mark.line + 1, _dotted(path[:3]) + "...",
                                f"nested more than {MAX_DEPTH} levels deep"))
        return
    if isinstance(node, yaml.MappingNode):
        keys: set[object] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is None:
                problems.append(Problem(display_path, line, _dotted(path), "keys must be plain words"))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(display_path, line, _dotted(path), "YAML merge keys (<<) are not supported"))
                continue
            if key in keys:
                problems.append(Problem(display_path, line, _dotted(path + (key,)),
                                        "duplicate key; the earlier value would be lost"))
            keys.add(key)
            lines[path + (key,)] = line
            if key_node.tag != "tag:yaml.org,2002:str":
                # 1, true or ~ as a key: validation reports the key as read (1, True, 'None').
                try:
                    value = loader.construct_object(key_node)
                    lines.setdefault(path + (value,), line)
                    lines.setdefault(path + (str(value),), line)
                except Exception:  # noqa: BLE001 - an unreadable key is reported by validation
                    pass
            _walk(value_node, path + (key,), line, lines, problems, display_path, seen, loader, aliases)
    elif isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:str":
        # A number with 5,000 digits, a date like 2024-13-45 or "!!int abc" stops the constructor
        # with a plain Python exception, which has no line: try each such value here.
        try:
            loader.construct_object(node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - PyYAML raises ValueError, IndexError, KeyError...
            what = _SCALAR_KINDS.get(node.tag.rsplit(":", 1)[-1], "a value of its type")
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            # Only the date checks say something a contributor can act on ("month must be in 1..12").
            reason = f" ({exc})" if what == "a date" and isinstance(exc, ValueError) else ""
            problems.append(Problem(display_path, node.start_mark.line + 1, _dotted(path),
                                    f"cannot read '{shown}' as {what}{reason}; put text in quotes"))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), item.start_mark.line + 1, lines, problems, display_path, seen, loader,
                  aliases)


_SCALAR_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false",
                 "timestamp": "a date", "null": "nothing", "binary": "base64 data"}
