"""People who hold positions or author references."""

from typing import Annotated

from pydantic import Field

from .common import HttpUrl, Id, Markdown, Record, Ref, Text


class Person(Record):
    name: Text
    # Other spellings of the name as printed in author lists ("C. Olah"); authored references
    # are matched on the name and these.
    also_known_as: Annotated[list[Text], Field(default_factory=list)]
    affiliation: Annotated[Id | None, Ref("organisations")] = None
    role: Text | None = None
    description: Markdown | None = None
    url: HttpUrl | None = None
