"""Safety approaches compared with interpretability."""

from typing import Annotated

from pydantic import Field

from .common import LabelledEnum, Markdown, Record, ReferenceIds, Text


class Maturity(LabelledEnum):
    """Least mature first."""

    conceptual = "conceptual"
    theoretical = "theoretical"
    research = "research"
    production = "production"


class Verdict(LabelledEnum):
    yes = "yes"
    unclear = "unclear"
    unlikely = "unlikely"
    no = "no"


class Approach(Record):
    name: Text
    """The approach's name: the heading of its card and the first column of comparison tables."""
    verifies: Text
    """What the approach checks about a model, in a few words."""
    deception_detection: Text
    """How well the approach can detect a model's deception, in a few words."""
    scalability: Text
    """Whether and how far the approach scales to larger models, in a few words."""
    maturity: Maturity
    """How far the approach has been developed."""
    sufficient_alone: Verdict
    """The verdict on whether the approach would be sufficient for safety on its own; qualify it in
    sufficiency_note."""
    sufficiency_note: Text | None = None
    """A few words qualifying the sufficient_alone verdict, shown beside it."""
    strengths: Annotated[list[Text], Field(default_factory=list)]
    """What speaks for the approach, one short point per item."""
    weaknesses: Annotated[list[Text], Field(default_factory=list)]
    """What speaks against the approach, one short point per item."""
    best_for: Text
    """What the approach is most useful for, in a few words."""
    description: Markdown | None = None
    """What the approach is and how it works, shown on its card."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""
