"""The content model: one pydantic model per collection, and where each collection lives.

A *folder* collection keeps one record per file (``content/data/cruxes/deception.yaml``), for
records contributors add independently; a *list* collection is one file holding an ordered list
(``content/data/approaches.yaml``), where the order is part of the content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .approaches import Approach
from .challenges import Challenge, Requirement, RiskModel
from .common import Record
from .cruxes import Crux
from .glossary import Term
from .milestones import Milestone
from .organisations import Organisation
from .people import Person
from .positions import Position
from .references import Reference
from .results import Result, ScaleGap
from .topics import Topic
from .venues import Venue


@dataclass(frozen=True)
class Collection:
    name: str
    model: type[Record]
    layout: Literal["folder", "list"]
    title: str

    @property
    def path(self) -> str:
        """Path below the data directory."""
        return self.name if self.layout == "folder" else f"{self.name}.yaml"


COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Collection("references", Reference, "folder", "References"),
        Collection("venues", Venue, "folder", "Venues"),
        Collection("organisations", Organisation, "folder", "Organisations"),
        Collection("people", Person, "folder", "People"),
        Collection("topics", Topic, "folder", "Topics"),
        Collection("positions", Position, "folder", "Positions"),
        Collection("cruxes", Crux, "folder", "Cruxes"),
        Collection("approaches", Approach, "list", "Safety approaches"),
        Collection("milestones", Milestone, "list", "Timeline milestones"),
        Collection("results", Result, "list", "Results by organisation"),
        Collection("scale-gap", ScaleGap, "list", "Scale gap by model"),
        Collection("challenges", Challenge, "list", "Remaining challenges"),
        Collection("requirements", Requirement, "list", "Requirements for sufficiency"),
        Collection("risk-models", RiskModel, "list", "Risk models"),
        Collection("glossary", Term, "list", "Glossary"),
    )
}


def collection_at(parts: Sequence[str]) -> Collection | None:
    """The collection a file belongs to, by its path's parts below the data folder, or None."""
    if not parts or not parts[-1].endswith(".yaml"):
        return None
    if len(parts) == 1:
        found = COLLECTIONS.get(parts[0][: -len(".yaml")])
        return found if found and found.layout == "list" else None
    if len(parts) == 2:
        found = COLLECTIONS.get(parts[0])
        return found if found and found.layout == "folder" else None
    return None


__all__ = ["COLLECTIONS", "Collection", "Record", "collection_at"]
