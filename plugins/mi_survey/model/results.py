"""Organisations' headline results and the model-scale gap they leave."""

from typing import Annotated

from .common import Id, LabelledEnum, Markdown, PartialDate, Record, Ref, ReferenceIds, Text


class Result(Record):
    organisation: Annotated[Id, Ref("organisations")]
    achievement: Text
    date: PartialDate
    model: Text
    features: Text
    interpretability: Text
    description: Markdown | None = None
    references: ReferenceIds


class GapSize(LabelledEnum):
    """Smallest gap first."""

    partially_addressed = "partially-addressed"
    large = "large"
    very_large = "very-large"
    fundamental = "fundamental"


class ScaleGap(Record):
    model: Text
    parameters: Text
    features_extracted: Text
    features_needed: Text
    gap: GapSize
    references: ReferenceIds
