"""``mi-survey stats``: how big the survey is, and where its sourcing is thin.

A reference is *cited* when a record points at it (a ``references`` list, a ``quote_source``) or
cites it in its Markdown text, or when a page under the docs folder cites it with ``[@id]`` or
``[@a; @b]`` outside fenced code: the build's rule and scanner (``load.scan_pages``). A crux is *unsourced* when
neither it nor any of its positions lists or cites a reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..load import KnowledgeBase, read_pages, scan_pages, uncited_reference_ids
from ..model import COLLECTIONS
from ..model.common import CITATION_PATTERN, citation_keys
from ..model.fields import references_in, strings_in

_CITATION = re.compile(CITATION_PATTERN)


@dataclass(frozen=True)
class Located:
    id: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.id}"


@dataclass(frozen=True)
class Stats:
    counts: dict[str, int]
    pages: int  # Markdown pages scanned for citations
    uncited: list[Located]
    unsourced_cruxes: list[Located]

    def report(self, docs: str) -> str:
        width = max(len(name) for name in self.counts)
        lines = ["Records per collection:"]
        lines += [f"  {name:<{width}}  {count:>4}" for name, count in self.counts.items()]
        lines.append(f"  {'total':<{width}}  {sum(self.counts.values()):>4}")
        lines.append("")
        lines.append(
            f"Uncited references: {len(self.uncited)} (cited by no record and by none of the "
            f"{self.pages} pages under {docs}/)"
        )
        lines += [f"  {item}" for item in self.uncited]
        lines.append(f"Cruxes without sources: {len(self.unsourced_cruxes)}")
        lines += [f"  {item}" for item in self.unsourced_cruxes]
        return "\n".join(lines)


def collect(kb: KnowledgeBase, docs_dir: Path) -> Stats:
    scan = scan_pages(read_pages(docs_dir))
    uncited = [_located(kb, "references", ref_id) for ref_id in uncited_reference_ids(kb, scan)]
    unsourced = [_located(kb, "cruxes", crux.id) for crux in kb.all("cruxes") if not _has_source(crux)]
    return Stats({name: len(kb.all(name)) for name in COLLECTIONS}, len(scan.pages), uncited, unsourced)


def _has_source(record) -> bool:
    if any(marker.collections == ("references",) for _, marker, _ in references_in(record)):
        return True
    return any(citation_keys(m.group(1)) for _, text in strings_in(record) for m in _CITATION.finditer(text))


def _located(kb: KnowledgeBase, collection: str, record_id: str) -> Located:
    source = kb.source(collection, record_id)
    return Located(record_id, source.path, source.line)
