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
    """What kind of work it is, shown as a badge with the reference."""
    title: Text
    """The title as printed in the source."""
    authors: Annotated[list[Text], Field(default_factory=list)]
    """As printed in the source, in order. People records link to the references they authored
    by matching these names."""
    date: PartialDate
    """When the work was published, as precisely as the source says."""
    venue: Annotated[Id, Ref("venues")]
    """Where the work was published; the venue's credibility is shown with the reference."""
    venue_detail: Text | None = None
    """Volume, issue, pages, proceedings acronym: whatever locates the work inside the venue."""
    organisation: Annotated[Id | None, Ref("organisations")] = None
    """The organisation the work comes from, if any; the organisation's page lists it."""
    url: HttpUrl | None = None
    """Where the work can be read online; the title links to it."""
    doi: Annotated[str, StringConstraints(pattern=DOI_PATTERN)] | None = None
    """The work's DOI, if it has one; it is linked through doi.org."""
    arxiv: Annotated[str, StringConstraints(pattern=ARXIV_PATTERN)] | None = None
    """The work's arXiv id, if it has one, with a version (v2) or without; it is linked to arxiv.org."""
    summary: Markdown
    """What the work says, in the survey's own words rather than its abstract."""
    key_points: Annotated[list[Markdown], Field(default_factory=list)]
    """The work's points that matter here, one per item, listed in its bibliography entry."""
    tags: Annotated[list[Tag], Field(default_factory=list)]
    """Tags a page can pick references by (the references component's `tag` option); shown
    with the reference."""
    annotation: Markdown | None = None
    """The survey's own reading of the work, shown in the literature review."""

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Bibliography order: first author's surname, then date, then title."""
        first = self.authors[0].split()[-1].casefold() if self.authors else self.title.casefold()
        return (first, self.date, self.title.casefold())
