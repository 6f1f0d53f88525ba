"""Terms the site uses, defined once and explained wherever they appear."""

from typing import Annotated

from pydantic import Field

from .common import Id, Markdown, Record, Ref, ReferenceIds, Text


class Term(Record):
    term: Text
    """The term as written in the text: its heading in the glossary. Each use of it in a page gets
    the short definition as a tooltip."""
    abbreviation: Text | None = None
    """The term's abbreviation, if it has one; uses of it get the tooltip too."""
    short: Text
    """A one-sentence definition, plain text: it is also the tooltip wherever the term appears."""
    definition: Markdown
    """The full definition, shown in the glossary."""
    related: Annotated[list[Annotated[Id, Ref("glossary")]], Field(default_factory=list)]
    """Other terms worth reading with this one, linked from its entry."""
    references: ReferenceIds
    """The references that support the definition, listed as its sources."""
