"""Where a person or organisation stands on a topic."""

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import (
    Attribution,
    Confidence,
    Id,
    LabelledEnum,
    Markdown,
    Record,
    Ref,
    ReferenceIds,
    Text,
    attribution_needed,
)


class Stance(LabelledEnum):
    """An ordered spectrum, most optimistic about interpretability's sufficiency first."""

    strong_optimist = "strong-optimist"
    optimist = "optimist"
    cautious_optimist = "cautious-optimist"
    pessimist = "pessimist"
    skeptic = "skeptic"


class QuoteKind(LabelledEnum):
    characterisation = "characterisation"
    verbatim = "verbatim"


class Position(Record):
    topic: Annotated[Id, Ref("topics")]
    """The topic the position is on; the topic's disagreement map shows it."""
    # Before the holder, whose check needs it; required, as that check says (with the holder's line).
    attributed_by: Attribution | None = None
    """The source that says the holder holds this position (where in it, with locator)."""
    holder: Annotated[Id, Ref("people", "organisations")]
    """The person or organisation who holds the position."""
    stance: Stance
    """Where the holder stands on the topic's question: it places them on the disagreement map."""
    confidence: Confidence
    """How confidently the holder takes this stance."""
    summary: Text
    """The position in one sentence."""
    reasoning: Markdown
    """Why the holder takes this stance, in one or more paragraphs."""
    evidence: Annotated[list[Markdown], Field(default_factory=list)]
    """The evidence the holder relies on, one point per item."""
    quote: Text | None = None
    """A short quotation of the holder that sums up the position; it needs quote_source."""
    quote_source: Annotated[Id | None, Ref("references")] = None
    """The reference the quote comes from: a quote is only shown with the source it comes from."""
    quote_kind: QuoteKind = Field(default_factory=lambda: QuoteKind.characterisation)
    """Whether the quote is the holder's own words as the source prints them (verbatim) or the
    source's wording of the view (characterisation, the default): the site says which."""
    references: ReferenceIds
    """The references the position is drawn from, listed as its sources."""

    @field_validator("holder")
    @classmethod
    def _attribution_has_a_source(cls, holder: str, info: ValidationInfo) -> str:
        if info.data.get("attributed_by") is None:
            raise ValueError(attribution_needed(holder))
        return holder

    @model_validator(mode="after")
    def _quote_has_source(self) -> "Position":
        if self.quote and not self.quote_source:
            raise ValueError("a quote needs quote_source: the id of the reference it comes from")
        return self
