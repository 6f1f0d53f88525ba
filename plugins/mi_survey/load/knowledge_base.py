"""The validated, cross-linked content of the site: built once per build, never mutated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..model import COLLECTIONS, Record

Key = tuple[str, str]  # (collection, id)


@dataclass(frozen=True)
class Source:
    """Where a record was written: a path relative to the project root, and a line."""

    path: str
    line: int


@dataclass(frozen=True)
class KnowledgeBase:
    records: Mapping[str, tuple[Record, ...]]
    sources: Mapping[Key, Source]
    # For every record, the records whose fields or Markdown text point at it.
    backlinks: Mapping[Key, tuple[Key, ...]]
    # Person id -> ids of the references that list the person among their authors.
    authored: Mapping[str, tuple[str, ...]]
    _index: Mapping[str, Mapping[str, Record]]

    @classmethod
    def build(cls, records: dict[str, list[Record]], sources: dict[Key, Source],
              backlinks: dict[Key, list[Key]], authored: dict[str, list[str]]) -> "KnowledgeBase":
        frozen = {name: tuple(records.get(name, ())) for name in COLLECTIONS}
        return cls(
            records=MappingProxyType(frozen),
            sources=MappingProxyType(dict(sources)),
            backlinks=MappingProxyType({k: tuple(dict.fromkeys(v)) for k, v in backlinks.items()}),
            authored=MappingProxyType({k: tuple(v) for k, v in authored.items()}),
            _index=MappingProxyType(
                {name: MappingProxyType({r.id: r for r in recs}) for name, recs in frozen.items()}
            ),
        )

    def all(self, collection: str) -> tuple[Record, ...]:
        return self.records[collection]

    def get(self, collection: str, record_id: str) -> Record | None:
        return self._index[collection].get(record_id)

    def has(self, collection: str, record_id: str) -> bool:
        return record_id in self._index.get(collection, {})

    def find(self, collections: tuple[str, ...], record_id: str) -> tuple[str, Record] | None:
        """The first of ``collections`` holding ``record_id`` (holders may be people or organisations)."""
        for name in collections:
            record = self._index[name].get(record_id)
            if record is not None:
                return name, record
        return None

    def source(self, collection: str, record_id: str) -> Source:
        return self.sources[(collection, record_id)]

    def links_to(self, collection: str, record_id: str) -> tuple[Key, ...]:
        return self.backlinks.get((collection, record_id), ())

    def count(self) -> int:
        return sum(len(r) for r in self.records.values())
