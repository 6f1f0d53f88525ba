"""Content problems, one type for all: the loader's, the page rules', the components' and the
tools'. Each prints as ``path:line: field: message [code]``, the code naming the rule broken
(CONTRIBUTING.md lists them), so a contributor can look a rule up and a tool can filter on it.

Where each kind of rule lives: one record's, in its model (``model/``); across records, in the
loader and ``load/rules.py``; a page's, in ``load/pages.py``; a component's, in its options model
(``render/components.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    code: str = ""  # the rule's stable name, e.g. "page-nesting"

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{self.path}:{self.line}:{field} {self.message}{code}"


class ContentError(Exception):
    """Raised once, with every problem found, when the content does not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} content problem{'s' if count != 1 else ''} found.")
        return "\n".join(lines)


class RefusedFilesError(ContentError):
    """Raised before anything is read: links out of the repository, or special files, where the
    build reads."""


def dotted(loc: tuple[str | int, ...]) -> str:
    """``("positions", 1, "confidence")`` -> ``positions[1].confidence``."""
    out = ""
    for part in loc:
        if isinstance(part, str) and len(part) > 40:  # a hostile key must not make the report huge
            part = part[:37] + "..."
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
