"""The validated, cross-linked content of the site: built once per build, never mutated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, NamedTuple, overload

from ..model import COLLECTIONS, Record
from ..model.approaches import Approach
from ..model.challenges import Challenge, Requirement, RiskModel
from ..model.cruxes import Crux
from ..model.glossary import Term
from ..model.milestones import Milestone
from ..model.organisations import Organisation
from ..model.people import Person
from ..model.positions import Position
from ..model.references import Reference
from ..model.results import Result, ScaleGap
from ..model.topics import Topic
from ..model.venues import Venue

Key = tuple[str, str]  # (collection, id)


@dataclass(frozen=True)
class Source:
    """Where a record was written: a path relative to the project root, and a line."""

    path: str
    line: int


class Found(NamedTuple):
    """A record found among several collections, and which one holds it."""

    collection: str
    record: Record


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
    def build(
        cls,
        records: dict[str, list[Record]],
        sources: dict[Key, Source],
        backlinks: dict[Key, list[Key]],
        authored: dict[str, list[str]],
    ) -> KnowledgeBase:
        frozen = {name: tuple(records.get(name, ())) for name in COLLECTIONS}
        return cls(
            records=MappingProxyType(frozen),
            sources=MappingProxyType(dict(sources)),
            backlinks=MappingProxyType({k: tuple(dict.fromkeys(v)) for k, v in backlinks.items()}),
            authored=MappingProxyType({k: tuple(v) for k, v in authored.items()}),
            _index=MappingProxyType({name: MappingProxyType({r.id: r for r in recs}) for name, recs in frozen.items()}),
        )

    # Typed by collection name, so that code reading ``kb.all("cruxes")`` is checked against Crux.
    @overload
    def all(self, collection: Literal["references"]) -> tuple[Reference, ...]: ...
    @overload
    def all(self, collection: Literal["venues"]) -> tuple[Venue, ...]: ...
    @overload
    def all(self, collection: Literal["organisations"]) -> tuple[Organisation, ...]: ...
    @overload
    def all(self, collection: Literal["people"]) -> tuple[Person, ...]: ...
    @overload
    def all(self, collection: Literal["topics"]) -> tuple[Topic, ...]: ...
    @overload
    def all(self, collection: Literal["positions"]) -> tuple[Position, ...]: ...
    @overload
    def all(self, collection: Literal["cruxes"]) -> tuple[Crux, ...]: ...
    @overload
    def all(self, collection: Literal["approaches"]) -> tuple[Approach, ...]: ...
    @overload
    def all(self, collection: Literal["milestones"]) -> tuple[Milestone, ...]: ...
    @overload
    def all(self, collection: Literal["results"]) -> tuple[Result, ...]: ...
    @overload
    def all(self, collection: Literal["scale-gap"]) -> tuple[ScaleGap, ...]: ...
    @overload
    def all(self, collection: Literal["challenges"]) -> tuple[Challenge, ...]: ...
    @overload
    def all(self, collection: Literal["requirements"]) -> tuple[Requirement, ...]: ...
    @overload
    def all(self, collection: Literal["risk-models"]) -> tuple[RiskModel, ...]: ...
    @overload
    def all(self, collection: Literal["glossary"]) -> tuple[Term, ...]: ...
    @overload
    def all(self, collection: str) -> tuple[Record, ...]: ...
    def all(self, collection: str) -> tuple[Record, ...]:
        return self.records[collection]

    @overload
    def get(self, collection: Literal["references"], record_id: str) -> Reference | None: ...
    @overload
    def get(self, collection: Literal["venues"], record_id: str) -> Venue | None: ...
    @overload
    def get(self, collection: Literal["organisations"], record_id: str) -> Organisation | None: ...
    @overload
    def get(self, collection: Literal["people"], record_id: str) -> Person | None: ...
    @overload
    def get(self, collection: Literal["topics"], record_id: str) -> Topic | None: ...
    @overload
    def get(self, collection: Literal["positions"], record_id: str) -> Position | None: ...
    @overload
    def get(self, collection: Literal["cruxes"], record_id: str) -> Crux | None: ...
    @overload
    def get(self, collection: Literal["approaches"], record_id: str) -> Approach | None: ...
    @overload
    def get(self, collection: Literal["milestones"], record_id: str) -> Milestone | None: ...
    @overload
    def get(self, collection: Literal["results"], record_id: str) -> Result | None: ...
    @overload
    def get(self, collection: Literal["scale-gap"], record_id: str) -> ScaleGap | None: ...
    @overload
    def get(self, collection: Literal["challenges"], record_id: str) -> Challenge | None: ...
    @overload
    def get(self, collection: Literal["requirements"], record_id: str) -> Requirement | None: ...
    @overload
    def get(self, collection: Literal["risk-models"], record_id: str) -> RiskModel | None: ...
    @overload
    def get(self, collection: Literal["glossary"], record_id: str) -> Term | None: ...
    @overload
    def get(self, collection: str, record_id: str) -> Record | None: ...
    def get(self, collection: str, record_id: str) -> Record | None:
        return self._index[collection].get(record_id)

    def find(self, collections: tuple[str, ...], record_id: str) -> Found | None:
        """The first of ``collections`` holding ``record_id`` (holders may be people or organisations)."""
        for name in collections:
            record = self._index[name].get(record_id)
            if record is not None:
                return Found(name, record)
        return None

    def source(self, collection: str, record_id: str) -> Source:
        return self.sources[(collection, record_id)]

    def links_to(self, collection: str, record_id: str) -> tuple[Key, ...]:
        return self.backlinks.get((collection, record_id), ())

    def count(self) -> int:
        return sum(len(r) for r in self.records.values())
