"""What stands between today's interpretability and sufficiency."""

from typing import Annotated

from pydantic import Field

from .common import LabelledEnum, Level, Markdown, Record, ReferenceIds, Text


class Challenge(Record):
    name: Text
    """The challenge's name, as its heading."""
    status: Text
    """Where work on the challenge stands, in one line."""
    impact: Text
    """What stays out of reach while the challenge is unsolved, in one line."""
    description: Markdown | None = None
    """The challenge explained, in a paragraph or more."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""


class RequirementStatus(LabelledEnum):
    """Least progress first."""

    unsolved = "unsolved"
    largely_unsolved = "largely-unsolved"
    partial = "partial"
    solved = "solved"


class Requirement(Record):
    title: Text
    """The requirement, in a few words: its heading in the list."""
    needs: Annotated[list[Text], Field(min_length=1)]
    """What meeting the requirement involves, one point per item."""
    status: RequirementStatus
    """How far the requirement has been met."""
    status_note: Text | None = None
    """A few words qualifying the status, shown under the requirement."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""


class RiskModel(Record):
    risk: Text
    """The kind of risk, as its heading."""
    priority: Level
    """How much interpretability matters against this risk, shown as its priority."""
    role: Markdown
    """What interpretability can and cannot do against this risk, in a paragraph."""
    points: Annotated[list[Text], Field(default_factory=list)]
    """The role in key points, one short point per item."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""
