"""Organisations' headline results and the model-scale gap they leave."""

from typing import Annotated

from .common import Id, LabelledEnum, Markdown, PartialDate, Record, Ref, ReferenceIds, Text


class Result(Record):
    organisation: Annotated[Id, Ref("organisations")]
    """The organisation that obtained the result; its page lists it."""
    achievement: Text
    """The result's name, usually the title of the work that reported it."""
    date: PartialDate
    """When the result was published, as precisely as the sources say."""
    model: Text
    """The model the result was obtained on."""
    features: Text
    """The features extracted, as the source reports them (a number or a phrase)."""
    interpretability: Text
    """How interpretable those features were found to be, as the source reports it."""
    description: Markdown | None = None
    """The result in a paragraph."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""


class GapSize(LabelledEnum):
    """Smallest gap first."""

    partially_addressed = "partially-addressed"
    large = "large"
    very_large = "very-large"
    fundamental = "fundamental"


class ScaleGap(Record):
    model: Text
    """The model, or class of models, the row is about."""
    parameters: Text
    """The model's size in parameters, as reported or estimated ("≈70B (estimated)")."""
    features_extracted: Text
    """How many features or neurons have been extracted or analysed in it."""
    features_needed: Text
    """How many features an account of the whole model is estimated to need."""
    gap: GapSize
    """How large the gap between the features extracted and those needed is."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""
