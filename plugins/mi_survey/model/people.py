"""People who hold positions or author references."""

from typing import Annotated

from pydantic import Field

from .common import HttpUrl, Id, Markdown, Record, Ref, Text


class Person(Record):
    name: Text
    """The person's name as it is usually written."""
    also_known_as: Annotated[list[Text], Field(default_factory=list)]
    """Other spellings of the name as printed in author lists ("C. Olah"); authored references are
    matched on the name and these."""
    affiliation: Annotated[Id | None, Ref("organisations")] = None
    """The organisation the person belongs to, if any, linked beside their name."""
    role: Text | None = None
    """The person's role or title, in a few words, shown beside their name."""
    description: Markdown | None = None
    """Who the person is, shown under their name."""
    url: HttpUrl | None = None
    """The person's website or profile page."""
