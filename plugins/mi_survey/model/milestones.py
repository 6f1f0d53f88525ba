"""Dated events of the field's history, shown on the timeline."""

from typing import Annotated

from pydantic import Field

from .common import Id, Markdown, PartialDate, Record, Ref, ReferenceIds, Tag, Text


class Milestone(Record):
    date: PartialDate
    title: Text
    significance: Markdown
    organisations: Annotated[list[Annotated[Id, Ref("organisations")]], Field(default_factory=list)]
    people: Annotated[list[Annotated[Id, Ref("people")]], Field(default_factory=list)]
    tags: Annotated[list[Tag], Field(default_factory=list)]
    references: ReferenceIds
