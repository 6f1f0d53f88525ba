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
except ImportError:  # pragma: no cover - only on a PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

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
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(display_path, 1, "", "the file is empty; expected a record")]
        problems: list[Problem] = []
        lines: dict[Path, int] = {(): node.start_mark.line + 1}
        _walk(node, (), node.start_mark.line + 1, lines, problems, display_path, set())
        if problems:
            return None, problems
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        return None, [Problem(display_path, line, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, "", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return Parsed(data, lines), []


def _walk(node, path: Path, line: int, lines, problems, display_path: str, seen: set[int]) -> None:
    # An alias makes the composer hand back the very node object it already produced; expanding
    # such shared nodes is how a few lines of YAML become billions of values.
    if id(node) in seen:
        problems.append(
            Problem(display_path, line, _dotted(path),
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
            _walk(value_node, path + (key,), line, lines, problems, display_path, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), item.start_mark.line + 1, lines, problems, display_path, seen)

