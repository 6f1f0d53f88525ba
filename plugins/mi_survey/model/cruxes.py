"""Key questions on which the debate turns, each with its competing answers."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .common import Confidence, Id, Level, Markdown, Record, Ref, ReferenceIds, Text


class CruxPosition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    answer: Text
    confidence: Confidence
    reasoning: Markdown
    implication: Text
    holders: Annotated[list[Annotated[Id, Ref("people", "organisations")]], Field(default_factory=list)]
    references: ReferenceIds


class Crux(Record):
    question: Text
    description: Markdown
    stakes: Markdown
    current_state: Markdown
    importance: Level
    positions: Annotated[list[CruxPosition], Field(min_length=2)]
    related: Annotated[list[Annotated[Id, Ref("cruxes")]], Field(default_factory=list)]
    would_change_minds: Annotated[list[Markdown], Field(default_factory=list)]
    topic: Annotated[Id | None, Ref("topics")] = None
    references: ReferenceIds
