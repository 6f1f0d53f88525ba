"""Key questions on which the debate turns, each with its competing answers."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .common import (
    Attribution,
    Confidence,
    Editorial,
    Id,
    Level,
    Markdown,
    Record,
    Ref,
    ReferenceIds,
    Text,
    attribution_needed,
)


class Holder(BaseModel):
    """A person or organisation who gives an answer, and the source that says they do."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True)

    id: Annotated[Id, Ref("people", "organisations")]
    """The person or organisation."""
    attributed_by: Attribution
    """The source that says this holder gives this answer."""

    @model_validator(mode="before")
    @classmethod
    def _needs_a_source(cls, value: object) -> object:
        if isinstance(value, str):  # a bare id, as holders were once written
            raise ValueError(attribution_needed(value))
        if isinstance(value, dict) and "attributed_by" not in value and "id" in value:
            raise ValueError(attribution_needed(value["id"]))
        return value


class CruxPosition(BaseModel):
    # As in Record: every field's docstring is its description.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True)

    answer: Text
    """One answer to the crux's question, in a few words: the heading of this position."""
    confidence: Confidence
    """How confidently the answer is held."""
    reasoning: Markdown
    """The argument for the answer, in one or more paragraphs."""
    implication: Text
    """What follows if the answer is right, in one sentence."""
    holders: Annotated[list[Holder], Field(default_factory=list)]
    """The people and organisations who give this answer, each with the source that says so."""
    references: ReferenceIds
    """The references that support this answer, listed as its sources."""


class Crux(Record):
    question: Text
    """The question the crux asks: its title on its page, in the crux index and in the crux map."""
    description: Markdown
    """What the question means and why it is open: the main text of the crux's page."""
    stakes: Markdown
    """Why the answer matters: what depends on which answer is right."""
    current_state: Markdown
    """What the evidence on the question shows so far."""
    importance: Annotated[Level, Editorial("how much the answer matters: no source ranks the cruxes")]
    """How much the answer matters for the survey's question: the editors' judgement."""
    positions: Annotated[list[CruxPosition], Field(min_length=2)]
    """The competing answers to the question, each with its reasoning, holders and sources."""
    related: Annotated[list[Annotated[Id, Ref("cruxes")]], Field(default_factory=list)]
    """Other cruxes whose answers bear on this one, linked from its page."""
    would_change_minds: Annotated[
        list[Markdown], Field(default_factory=list), Editorial("what evidence would settle the question")
    ]
    """Evidence or results that would move people from one answer to another, one per item: the
    editors' judgement."""
    topic: Annotated[Id | None, Ref("topics")] = None
    """The topic whose question the crux bears on, if any."""
    references: ReferenceIds
    """The references the crux draws on, listed as its sources."""
