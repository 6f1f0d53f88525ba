"""Terms the site uses, defined once and explained wherever they appear."""

from typing import Annotated

from pydantic import Field

from .common import Id, Markdown, Record, Ref, ReferenceIds, Text


class Term(Record):
    term: Text
    abbreviation: Text | None = None
    # A one-sentence definition, plain text: it is also the tooltip wherever the term appears.
    short: Text
    definition: Markdown
    related: Annotated[list[Annotated[Id, Ref("glossary")]], Field(default_factory=list)]
    references: ReferenceIds
