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
    verifies: Text
    deception_detection: Text
    scalability: Text
    maturity: Maturity
    sufficient_alone: Verdict
    sufficiency_note: Text | None = None
    strengths: Annotated[list[Text], Field(default_factory=list)]
    weaknesses: Annotated[list[Text], Field(default_factory=list)]
    best_for: Text
    description: Markdown | None = None
    references: ReferenceIds
