"""Where a person or organisation stands on a topic."""

from typing import Annotated

from pydantic import Field, model_validator

from .common import Confidence, Id, LabelledEnum, Markdown, Record, Ref, ReferenceIds, Text


class Stance(LabelledEnum):
    """An ordered spectrum, most optimistic about interpretability's sufficiency first."""

    strong_optimist = "strong-optimist"
    optimist = "optimist"
    cautious_optimist = "cautious-optimist"
    pessimist = "pessimist"
    skeptic = "skeptic"


class Position(Record):
    topic: Annotated[Id, Ref("topics")]
    holder: Annotated[Id, Ref("people", "organisations")]
    stance: Stance
    confidence: Confidence
    summary: Text
    reasoning: Markdown
    evidence: Annotated[list[Markdown], Field(default_factory=list)]
    quote: Text | None = None
    # A quote is only shown with the source it comes from.
    quote_source: Annotated[Id | None, Ref("references")] = None
    references: ReferenceIds

    @model_validator(mode="after")
    def _quote_has_source(self) -> "Position":
        if self.quote and not self.quote_source:
            raise ValueError("a quote needs quote_source: the id of the reference it comes from")
        return self
