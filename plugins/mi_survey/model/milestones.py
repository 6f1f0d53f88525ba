"""Dated events of the field's history, shown on the timeline."""

from typing import Annotated

from pydantic import Field

from .common import Id, Markdown, PartialDate, Record, Ref, ReferenceIds, Tag, Text


class Milestone(Record):
    date: PartialDate
    """When it happened, as precisely as the sources say: it places the milestone on the timeline."""
    title: Text
    """What happened, in a few words: the milestone's heading on the timeline."""
    significance: Markdown
    """Why the milestone matters, in a paragraph."""
    organisations: Annotated[list[Annotated[Id, Ref("organisations")]], Field(default_factory=list)]
    """The organisations involved, named on the timeline; their pages list the milestone."""
    people: Annotated[list[Annotated[Id, Ref("people")]], Field(default_factory=list)]
    """The people involved, named on the timeline; their pages list the milestone."""
    tags: Annotated[list[Tag], Field(default_factory=list)]
    """Tags a page can pick milestones by (the timeline component's `tag` option)."""
    references: ReferenceIds
    """The references that support the record, listed as its sources."""
