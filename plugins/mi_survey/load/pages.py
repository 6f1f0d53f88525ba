"""What the written pages say that the content rules need: each page's title and its citations.

One scanner for the build, ``mi-survey validate``, ``mi-survey stats`` and the benchmark, so a
contributor's local check and CI count the same citations. A citation is ``[@id]`` or
``[@a; @b]`` outside fenced code (a fence opened with ``` or ~~~ runs to the same marker).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..model.common import CITATION_PATTERN, citation_keys

_CITATION = re.compile(CITATION_PATTERN)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PageRef:
    title: str
    src_uri: str  # relative to the docs folder, with "/"


@dataclass
class PageScan:
    pages: list[PageRef] = field(default_factory=list)  # in the order given
    # Reference id -> the pages citing it, each once, in page order.
    citations: dict[str, list[PageRef]] = field(default_factory=dict)

    def cited(self, reference_id: str) -> bool:
        return reference_id in self.citations


def scan_pages(pages: Iterable[tuple[str, str]]) -> PageScan:
    """Scan ``(src_uri, Markdown)`` pairs."""
    scan = PageScan()
    for src_uri, text in pages:
        body = _FENCE.sub("", text)
        page = PageRef(_title(src_uri, body), src_uri)
        scan.pages.append(page)
        for found in _CITATION.finditer(body):
            for key in citation_keys(found.group(1)) or []:
                citing = scan.citations.setdefault(key, [])
                if page not in citing:
                    citing.append(page)
    return scan


def _title(src_uri: str, body: str) -> str:
    """The first level-1 heading outside code, else a title made from the file name."""
    match = _TITLE.search(body)
    if match:
        return match.group(1)
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").capitalize()


def read_pages(docs_dir: Path) -> list[tuple[str, str]]:
    """Every Markdown page below ``docs_dir`` as ``(src_uri, text)``, sorted by path."""
    if not docs_dir.is_dir():
        return []
    return [
        (path.relative_to(docs_dir).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(docs_dir.rglob("*.md"))
    ]
