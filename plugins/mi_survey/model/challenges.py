"""What stands between today's interpretability and sufficiency."""

from typing import Annotated

from pydantic import Field

from .common import LabelledEnum, Level, Markdown, Record, ReferenceIds, Text


class Challenge(Record):
    name: Text
    status: Text
    impact: Text
    description: Markdown | None = None
    references: ReferenceIds


class RequirementStatus(LabelledEnum):
    """Least progress first."""

    unsolved = "unsolved"
    largely_unsolved = "largely-unsolved"
    partial = "partial"
    solved = "solved"


class Requirement(Record):
    title: Text
    needs: Annotated[list[Text], Field(min_length=1)]
    status: RequirementStatus
    status_note: Text | None = None
    references: ReferenceIds


class RiskModel(Record):
    risk: Text
    priority: Level
    role: Markdown
    points: Annotated[list[Text], Field(default_factory=list)]
    references: ReferenceIds
