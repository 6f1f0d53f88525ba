"""Sources: every factual claim on the site points at one of these."""

from typing import Annotated

from pydantic import Field, StringConstraints

from .common import (
    ARXIV_PATTERN,
    DOI_PATTERN,
    HttpUrl,
    Id,
    LabelledEnum,
    Markdown,
    PartialDate,
    Record,
    Ref,
    Tag,
    Text,
)


class ReferenceType(LabelledEnum):
    paper = "paper"
    article = "article"
    web = "web"
    blog = "blog"
    book = "book"
    report = "report"
    dataset = "dataset"
    software = "software"


class Reference(Record):
    type: ReferenceType
    title: Text
    # As printed in the source, in order. People records link to the references they authored
    # by matching these names.
    authors: Annotated[list[Text], Field(default_factory=list)]
    date: PartialDate
    venue: Annotated[Id, Ref("venues")]
    # Volume, issue, pages, proceedings acronym: whatever locates the work inside the venue.
    venue_detail: Text | None = None
    organisation: Annotated[Id | None, Ref("organisations")] = None
    url: HttpUrl | None = None
    doi: Annotated[str, StringConstraints(pattern=DOI_PATTERN)] | None = None
    arxiv: Annotated[str, StringConstraints(pattern=ARXIV_PATTERN)] | None = None
    summary: Markdown
    key_points: Annotated[list[Markdown], Field(default_factory=list)]
    tags: Annotated[list[Tag], Field(default_factory=list)]
    # The survey's own reading of the work, shown in the literature review.
    annotation: Markdown | None = None

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Bibliography order: first author's surname, then date, then title."""
        first = self.authors[0].split()[-1].casefold() if self.authors else self.title.casefold()
        return (first, self.date, self.title.casefold())
